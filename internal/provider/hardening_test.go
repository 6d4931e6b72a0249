package provider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccHardening_failedCreateNotTainted fails a create half-way (a PATCH
// refused for good while adopting what the number has): nothing is saved,
// so nothing is tainted, and the next apply creates again, adopting and
// finishing the work, instead of replacing the resource (which would
// remove every destination and disable the feature first).
func TestAccHardening_failedCreateNotTainted(t *testing.T) {
	fake := fakeapi.New(fakeapi.Options{SettleDelay: 20 * time.Millisecond})
	patches := failingMethod(fake, http.MethodPatch)
	env := newAccEnvWithHandler(t, fake, patches)
	key := testKey(t, "a")
	env.seed(key, true, map[string]dest{"crm": crmMoved, "legacy": {URL: "https://legacy.example.com/hook"}})
	want := map[string]dest{"crm": crm, "analytics": analytics}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{ // DELETE legacy settles, PATCH crm fails for good, PUT analytics is never sent.
				PreConfig:   func() { patches.on.Store(true); env.resetLog() },
				Config:      env.providerBlock(key) + multiWebhookHCL(want),
				ExpectError: wordsRegexp(`Error Creating Multi Webhook.*PATCH /multi_webhook: HTTP 500.*Nothing was saved to the state`),
			},
			{ // No state, so a create again (not a replace): only the remaining PATCH and PUT.
				PreConfig: func() {
					// The refused PATCH never reaches the fake, so the fake saw
					// only the DELETE, and no PUT followed the failure.
					if patches.refused.Load() == 0 {
						t.Error("no PATCH was refused; the test proves nothing")
					}
					if err := env.checkCalls(map[string]int{"DELETE": 1}, false); err != nil {
						t.Errorf("failed create: %v", err)
					}
					patches.on.Store(false)
					env.resetLog()
				},
				Config: env.providerBlock(key) + multiWebhookHCL(want),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(want),
					fakeChecks(env.expectCalls(map[string]int{"PATCH": 1, "PUT": 1}), env.expectFake(key, want))},
			},
		},
	})
}

// TestAccHardening_otherEnableRefusalStands refuses the enable of a create
// for another reason than a surviving destination: the API's words are
// shown, and the number is not left enabled without destinations.
func TestAccHardening_otherEnableRefusalStands(t *testing.T) {
	fake := fakeapi.New(fakeapi.Options{SettleDelay: 20 * time.Millisecond})
	// Every enable that carries destinations is refused as a body 360dialog
	// cannot take would be.
	handler := &refusing{next: fake, status: http.StatusBadRequest, body: `{"error": "Invalid json: request body too large"}`,
		match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && r.ContentLength > int64(len(`{"enabled":true}`))
		}}
	handler.on.Store(true)
	env := newAccEnvWithHandler(t, fake, handler)
	key := testKey(t, "a")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(key) + multiWebhookHCL(map[string]dest{"crm": crm}),
			ExpectError: wordsRegexp(`Error Creating Multi Webhook.*HTTP 400: Invalid json: request body too large`),
		}},
	})
	if handler.refused.Load() == 0 {
		t.Fatal("no enable was refused; the test proves nothing")
	}
	if err := env.checkFake(key, false, map[string]dest{}); err != nil {
		t.Errorf("after the refusal: %v", err)
	}
}

// TestAccCLI_badSettingsAtPlanTime gives the provider, through the
// environment as a pipeline does, a base URL with credentials and an API
// key with a line break: each is refused at plan time on its attribute, at
// once and without a request, and no output shows the password or the key.
// (A literal in the configuration is the user's own source, which the CLI
// quotes in any diagnostic on that line.)
func TestAccCLI_badSettingsAtPlanTime(t *testing.T) {
	password, key := randomSecret(t, "pw"), randomSecret(t, "key")
	r := newCLIRun(t, fakeapi.Options{}, "D360_API_KEY="+key)
	r.ws.WriteConfig(clitest.RequiredProviders + "provider \"d360\" {}\n" + multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL}}))
	withCredentials := strings.Replace(r.env.url, "http://", "http://user:"+password+"@", 1)
	r.ws.Env = append(r.ws.Env, "D360_BASE_URL="+withCredentials)
	r.fails(`Invalid 360dialog Base URL.*"http://127.0.0.1:.*credentials in the URL are refused`, "plan", "-input=false", "-no-color")
	r.ws.Env = append(r.ws.Env, "D360_BASE_URL="+r.env.url, "D360_API_KEY="+key+"\n")
	r.fails(`Invalid 360dialog API Key.*D360_API_KEY environment variable cannot be used: it contains a line break`, "plan", "-input=false", "-no-color")
	r.env.expectNoRequests()
	r.scan.check(map[string]string{"password": password, "API key": key}, "CLI output")
}

// TestAccCLI_interruptedCreateNotTainted interrupts an apply (Ctrl-C) while
// a create waits for a change that 360dialog has accepted but not yet
// shown: the CLI stops, nothing is saved, and the next apply is a create
// that adopts and finishes the work, not a replace.
func TestAccCLI_interruptedCreateNotTainted(t *testing.T) {
	key := randomSecret(t, "key")
	r := newCLIRun(t, fakeapi.Options{NeverSettle: true}, "D360_API_KEY="+key)
	r.env.seed(key, true, map[string]dest{"legacy": {URL: "https://legacy.example.com/hook"}})
	want := map[string]dest{"crm": {URL: crm.URL}}
	r.ws.WriteConfig(clitest.RequiredProviders + r.env.providerBlock("") + multiWebhookHCL(want))
	r.env.resetLog()
	res := r.ws.RunInterrupted(r.ctx, func() bool { return r.env.mutations(true)[http.MethodDelete] > 0 },
		"apply", "-auto-approve", "-input=false", "-no-color")
	r.scan.add("CLI output", res.Stdout+res.Stderr)
	if res.Err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", res.Stdout)
	}
	if list := r.must("state", "list").Stdout; strings.TrimSpace(list) != "" {
		t.Fatalf("the interrupted create left state: %q", list)
	}
	r.env.fake.SetOptions(func(o *fakeapi.Options) { o.NeverSettle = false })
	r.env.resetLog()
	plan := r.must("plan", "-input=false", "-no-color")
	if !strings.Contains(plan.Stdout, "1 to add, 0 to change, 0 to destroy") {
		t.Fatalf("the plan after the interruption is not a plain create:\n%s", plan.Stdout)
	}
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	if err := r.env.checkCalls(map[string]int{"PUT": 1}, false); err != nil {
		t.Errorf("the apply after the interruption: %v", err)
	}
	if err := r.env.checkFake(key, true, want); err != nil {
		t.Error(err)
	}
}
