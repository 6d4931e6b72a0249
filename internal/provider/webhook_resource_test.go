package provider

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

const testWebhook = "d360_webhook.test"

// primaryHCL renders d360_webhook.test; extra lines go inside it.
func primaryHCL(url string, headers, writeOnly map[string]string, extra ...string) string {
	return hclconfig.Webhook("test", dest{URL: url, Headers: headers, HeadersWO: writeOnly}, extra...)
}

// expectWebhookPOSTs checks the exact number of POST /v1/configs/webhook
// the fake answered since the last resetLog, and that nothing else changed.
func (e *accEnv) expectWebhookPOSTs(want int) fakeCheck {
	return func() error {
		got := 0
		for _, r := range e.fake.Requests() {
			switch {
			case r.Method == http.MethodPost && r.Path == fakeapi.PathWebhook:
				got++
			case r.Method != http.MethodGet:
				return fmt.Errorf("unexpected call %s %s", r.Method, r.Path)
			}
		}
		if got != want {
			return fmt.Errorf("POST %s: got %d, want %d", fakeapi.PathWebhook, got, want)
		}
		return nil
	}
}

// expectFakeWebhook checks the fake's settled primary webhook of key.
func (e *accEnv) expectFakeWebhook(key, url string, headers map[string]string) fakeCheck {
	return func() error {
		w := e.fake.Webhook(key)
		switch {
		case w == nil:
			return fmt.Errorf("number %s has no primary webhook", fakeapi.Fingerprint(key))
		case w.URL != url || !maps.Equal(w.Headers, headers):
			// Header names only, never values.
			return fmt.Errorf("number %s: primary webhook %s %v, want %s %v", fakeapi.Fingerprint(key), w.URL,
				slices.Sorted(maps.Keys(w.Headers)), url, slices.Sorted(maps.Keys(headers)))
		}
		return nil
	}
}

var (
	appURL   = "https://app.example.com/whatsapp"
	appMoved = "https://app2.example.com/whatsapp"
)

// TestAccWebhook_lifecycle creates the primary webhook of a fresh number,
// then changes its url and headers, each with exactly one POST, plans empty
// in between, repairs drift, and destroys with a warning that leaves it.
func TestAccWebhook_lifecycle(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	cfg := func(url string, headers map[string]string) string {
		return env.providerWithNumbers("", map[string]string{"sales": key}) + primaryHCL(url, headers, nil, `number = "sales"`)
	}
	env1 := map[string]string{"X-Env": "prod"}
	env2 := map[string]string{"X-Env": "staging", "X-Team": "sales"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{ // A number without a primary webhook: one POST.
				PreConfig: env.resetLog, Config: cfg(appURL, env1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testWebhook, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(key))),
					statecheck.ExpectKnownValue(testWebhook, tfjsonpath.New("url"), knownvalue.StringExact(appURL)),
					fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, env1)),
				},
			},
			{PreConfig: env.resetLog, Config: cfg(appURL, env1), ConfigPlanChecks: emptyPlan(),
				ConfigStateChecks: []statecheck.StateCheck{env.expectWebhookPOSTs(0)}},
			{ // A new url: one POST.
				PreConfig: env.resetLog, Config: cfg(appMoved, env1), ConfigPlanChecks: expectWebhookUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appMoved, env1))},
			},
			{ // New headers: one POST.
				PreConfig: env.resetLog, Config: cfg(appMoved, env2), ConfigPlanChecks: expectWebhookUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appMoved, env2))},
			},
			{ // Changed outside Terraform: the plan shows it, one POST repairs it.
				PreConfig: func() {
					env.fake.SetWebhook(key, &fakeapi.Webhook{URL: "https://elsewhere.example.com/hook", Headers: env2})
					env.resetLog()
				},
				Config: cfg(appMoved, env2), ConfigPlanChecks: expectWebhookUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appMoved, env2))},
			},
			{PreConfig: env.resetLog, Config: cfg(appMoved, env2), ConfigPlanChecks: emptyPlan()},
			{ // Destroy forgets it: no call, and the webhook stays.
				PreConfig: env.resetLog, Config: cfg(appMoved, env2), Destroy: true,
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(0), env.expectFakeWebhook(key, appMoved, env2))},
			},
		},
	})
}

// expectWebhookUpdate expects the test webhook to be updated in place.
func expectWebhookUpdate() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testWebhook, plancheck.ResourceActionUpdate)}}
}

// TestAccWebhook_adopt creates the resource on numbers that already have a
// primary webhook: no call when it matches, one POST when it differs.
func TestAccWebhook_adopt(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	same, other := testKey(t, "same"), testKey(t, "other")
	headers := map[string]string{"X-Env": "prod"}
	env.fake.SetWebhook(same, &fakeapi.Webhook{URL: appURL, Headers: headers})
	env.fake.SetWebhook(other, &fakeapi.Webhook{URL: "https://old.example.com/hook"})
	for key, posts := range map[string]int{same: 0, other: 1} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				PreConfig: env.resetLog,
				Config:    env.providerBlock(key) + primaryHCL(appURL, headers, nil),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeChecks(env.expectWebhookPOSTs(posts), env.expectFakeWebhook(key, appURL, headers)),
				},
			}},
		})
	}
}

// TestAccWebhook_import imports by name and by fingerprint, one GET each,
// generates configuration naming the number (with no header to keep it a
// no-op: the CLI writes a sensitive map as null), and refuses a number
// that has no primary webhook.
func TestAccWebhook_import(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key, plain, bare := testKey(t, "a"), testKey(t, "plain"), testKey(t, "bare")
	env.fake.SetWebhook(key, &fakeapi.Webhook{URL: appURL, Headers: map[string]string{"X-Env": "prod"}})
	env.fake.SetWebhook(plain, &fakeapi.Webhook{URL: appURL})
	provider := env.providerWithNumbers("", map[string]string{"sales": key, "plain": plain, "bare": bare})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: provider + primaryHCL(appURL, map[string]string{"X-Env": "prod"}, nil, `number = "sales"`)},
			{ResourceName: testWebhook, ImportState: true, ImportStateId: "sales", ImportStateVerify: true,
				PreConfig: env.resetLog, ImportStateCheck: importChecked(env.expectOneGET())},
			{ResourceName: testWebhook, ImportState: true, ImportStateId: client.Fingerprint(key), ImportStateVerify: true,
				PreConfig: env.resetLog, ImportStateCheck: importChecked(env.expectOneGET())},
			{ResourceName: testWebhook, ImportState: true, ImportStateId: "bare",
				ExpectError: wordsRegexp(`Cannot Import Webhook.*number "bare" .* has no primary webhook to import`)},
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			ResourceName: testWebhook, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "plain",
			GenerateConfig: true, ImportStateConfigExact: true,
			Config: requiredProvidersHCL + provider + fmt.Sprintf("import {\n  to = %s\n  id = \"plain\"\n}\n", testWebhook),
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(testWebhook, plancheck.ResourceActionNoop),
				plancheck.ExpectKnownValue(testWebhook, tfjsonpath.New("number"), knownvalue.StringExact("plain")),
				plancheck.ExpectKnownValue(testWebhook, tfjsonpath.New("url"), knownvalue.StringExact(appURL)),
			}},
		}},
	})
}

// TestAccWebhook_hiddenHeaders lets GET omit, then mask, header values:
// adopting a webhook with the configured url still sends the configured
// headers once (the old ones cannot be seen), after the apply the plan is
// empty, and a changed url still shows.
func TestAccWebhook_hiddenHeaders(t *testing.T) {
	for _, visibility := range []fakeapi.HeaderVisibility{fakeapi.HeadersOmitted, fakeapi.HeadersMasked} {
		t.Run(string(visibility), func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{WebhookHeaders: visibility})
			key := testKey(t, "a")
			headers := map[string]string{"X-Env": "prod"}
			env.fake.SetWebhook(key, &fakeapi.Webhook{URL: appURL, Headers: map[string]string{"X-Env": "old"}})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{
					{PreConfig: env.resetLog, Config: env.providerBlock(key) + primaryHCL(appURL, headers, nil),
						ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, headers))}},
					{PreConfig: env.resetLog, Config: env.providerBlock(key) + primaryHCL(appURL, headers, nil), ConfigPlanChecks: emptyPlan(),
						ConfigStateChecks: []statecheck.StateCheck{env.expectWebhookPOSTs(0)}},
					{PreConfig: env.resetLog, Config: env.providerBlock(key) + primaryHCL(appMoved, headers, nil), ConfigPlanChecks: expectWebhookUpdate(),
						ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appMoved, headers))}},
				},
			})
		})
	}
}

// TestAccWebhook_faults sets and changes the primary webhook while the API
// fails 30% of changes and 20% of GETs and rate-limits with 429s: retries
// absorb it, and only the minimum of changes is accepted.
func TestAccWebhook_faults(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{ChangeFailureRate: 0.3, GetFailureRate: 0.2, RateLimit: 6,
		RateWindow: 500 * time.Millisecond, Seed: 11})
	key := testKey(t, "a")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{PreConfig: env.resetLog, Config: env.providerBlock(key) + primaryHCL(appURL, nil, nil),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectAcceptedCalls(map[string]int{"POST": 1}), env.expectFakeWebhook(key, appURL, nil))}},
			{PreConfig: env.resetLog, Config: env.providerBlock(key) + primaryHCL(appMoved, nil, nil),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectAcceptedCalls(map[string]int{"POST": 1}),
					env.expectFakeWebhook(key, appMoved, nil), env.expectFaultsSeen())}},
		},
	})
}

// TestAccWebhook_apiErrorVerbatim shows the developer_message of a refusal
// in the API's own words.
func TestAccWebhook_apiErrorVerbatim(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{AcceptedKeys: []string{"the-only-valid-key"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(testKey(t, "unknown")) + primaryHCL(appURL, nil, nil),
			ExpectError: wordsRegexp(`Error Creating Webhook.*GET /v1/configs/webhook: HTTP 401`),
		}},
	})
}

// TestAccWebhook_validation refuses bad input at plan time, on the
// attribute, without a request.
func TestAccWebhook_validation(t *testing.T) {
	for name, tc := range map[string]struct{ hcl, want string }{
		"plain http":           {primaryHCL("http://app.example.com", nil, nil), `Invalid Webhook URL.*scheme must be https`},
		"underscore in host":   {primaryHCL("https://my_app.example.com", nil, nil), `Invalid Webhook URL.*'_' in the host`},
		"port":                 {primaryHCL("https://app.example.com:8443/x", nil, nil), `Invalid Webhook URL.*explicit port`},
		"trailing space":       {primaryHCL("https://app.example.com/x ", nil, nil), `Invalid Webhook URL.*white space`},
		"underscore in header": {primaryHCL(appURL, map[string]string{"X_Env": "a"}, nil), `Invalid Header Name.*'_'`},
		"line break in value":  {primaryHCL(appURL, map[string]string{"X-Env": "a\nb"}, nil), `Invalid Header Value.*not shown`},
	} {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.providerBlock(testKey(t, "a")) + tc.hcl, PlanOnly: true, ExpectError: wordsRegexp(tc.want)}},
			})
			env.expectNoRequests()
		})
	}
}

// TestAccWebhook_writeOnly sets a write-only Authorization, changes it,
// repairs it after a change outside Terraform, and moves a header between
// headers and headers_wo without a call; the state never holds a value.
func TestAccWebhook_writeOnly(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	token1, token2 := "Bearer "+randomSecret(t, "one"), "Bearer "+randomSecret(t, "two")
	cfg := func(headers, writeOnly map[string]string) string {
		return env.providerBlock(key) + primaryHCL(appURL, headers, writeOnly)
	}
	plain := map[string]string{"X-Env": "prod"}
	sent := func(token string) map[string]string {
		return map[string]string{"X-Env": "prod", "Authorization": token}
	}
	noValue := statecheck.ExpectKnownValue(testWebhook, tfjsonpath.New("headers"), knownvalue.MapExact(map[string]knownvalue.Check{"X-Env": knownvalue.StringExact("prod")}))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{PreConfig: env.resetLog, Config: cfg(plain, map[string]string{"Authorization": token1}),
				ConfigStateChecks: []statecheck.StateCheck{noValue, fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, sent(token1)))}},
			{PreConfig: env.resetLog, Config: cfg(plain, map[string]string{"Authorization": token1}), ConfigPlanChecks: emptyPlan()},
			{PreConfig: env.resetLog, Config: cfg(plain, map[string]string{"Authorization": token2}), ConfigPlanChecks: expectWebhookUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{noValue, fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, sent(token2)))}},
			{PreConfig: func() { env.fake.SetWebhook(key, &fakeapi.Webhook{URL: appURL, Headers: sent(token1)}); env.resetLog() },
				Config: cfg(plain, map[string]string{"Authorization": token2}), ConfigPlanChecks: expectWebhookUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{noValue, fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, sent(token2)))}},
			{PreConfig: env.resetLog, Config: cfg(sent(token2), nil),
				ConfigStateChecks: []statecheck.StateCheck{env.expectWebhookPOSTs(0)}},
			{PreConfig: env.resetLog, Config: cfg(plain, map[string]string{"Authorization": token2}),
				ConfigStateChecks: []statecheck.StateCheck{noValue, env.expectWebhookPOSTs(0)}},
		},
	})
}

// TestAccWebhookDataSource reads the primary webhook of a number, with a
// null url for a number that has none.
func TestAccWebhookDataSource(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key, bare := testKey(t, "a"), testKey(t, "bare")
	env.fake.SetWebhook(key, &fakeapi.Webhook{URL: appURL, Headers: map[string]string{"X-Env": "prod"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerWithNumbers("", map[string]string{"sales": key, "bare": bare}) +
				"data \"d360_webhook\" \"sales\" {\n  number = \"sales\"\n}\ndata \"d360_webhook\" \"bare\" {\n  number = \"bare\"\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.d360_webhook.sales", tfjsonpath.New("url"), knownvalue.StringExact(appURL)),
				statecheck.ExpectKnownValue("data.d360_webhook.sales", tfjsonpath.New("headers"),
					knownvalue.MapExact(map[string]knownvalue.Check{"X-Env": knownvalue.StringExact("prod")})),
				statecheck.ExpectKnownValue("data.d360_webhook.bare", tfjsonpath.New("url"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.d360_webhook.bare", tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(bare))),
			},
		}},
	})
}

// TestAccWriteOnly_overlapRefused refuses a header in both headers and
// headers_wo, on both resources, at plan time and without a request.
func TestAccWriteOnly_overlapRefused(t *testing.T) {
	for name, hcl := range map[string]string{
		"d360_webhook": primaryHCL(appURL, map[string]string{"Authorization": "a"}, map[string]string{"authorization": "b"}),
		"d360_multi_webhook": multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"Authorization": "a"},
			HeadersWO: map[string]string{"authorization": "b"}}}),
	} {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				TerraformVersionChecks:   writeOnlyCLIs,
				Steps: []resource.TestStep{{Config: env.providerBlock(testKey(t, "a")) + hcl, PlanOnly: true,
					ExpectError: wordsRegexp(`Header in Both headers and headers_wo.*"authorization".*ignoring case`)}},
			})
			env.expectNoRequests()
		})
	}
}
