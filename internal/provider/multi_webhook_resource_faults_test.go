package provider

import (
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccMultiWebhook_faults runs create, update and destroy while the API
// fails 30% of changes and 20% of GETs and rate-limits with 429s: retries
// absorb it all, the number converges, and only the minimum of changes is
// ever accepted (failed attempts are retries, not extra changes).
func TestAccMultiWebhook_faults(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{
		ChangeFailureRate: 0.3, GetFailureRate: 0.2, RateLimit: 12, RateWindow: 500 * time.Millisecond,
		ShuffleOrder: true, Seed: 42,
	})
	key := testKey(t, "a")
	three := map[string]dest{"crm": crm, "analytics": analytics, "audit": audit}
	changed := map[string]dest{"crm": crmMoved, "archive": audit}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{
				PreConfig:         env.resetLog,
				Config:            env.providerBlock(key) + multiWebhookHCL(three),
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(three), fakeChecks(env.expectAcceptedCalls(map[string]int{"POST": 1}), env.expectFake(key, three))},
			},
			{
				PreConfig: env.resetLog,
				Config:    env.providerBlock(key) + multiWebhookHCL(changed),
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(changed),
					fakeChecks(env.expectAcceptedCalls(map[string]int{"DELETE": 2, "PATCH": 1, "PUT": 1}), env.expectFake(key, changed), env.expectFaultsSeen())},
			},
		},
	})
}

// expectFaultsSeen guards the fault test itself: if the fake injected no
// failures, the test proved nothing.
func (e *accEnv) expectFaultsSeen() fakeCheck {
	return func() error {
		failed := 0
		for _, r := range e.fake.Requests() {
			if r.Status >= 429 {
				failed++
			}
		}
		if failed == 0 {
			return errNoFaults
		}
		return nil
	}
}

var errNoFaults = errorString("the fake injected no failures; raise the rates or change the seed")

type errorString string

func (e errorString) Error() string { return string(e) }

// TestAccMultiWebhook_neverSettles ends with a clear timeout error within
// the timeouts value when 360dialog accepts a change that never shows.
func TestAccMultiWebhook_neverSettles(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	two := map[string]dest{"crm": crm, "analytics": analytics}
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{Config: env.providerBlock(key) + multiWebhookHCL(two)},
			{
				PreConfig: func() {
					env.fake.SetOptions(func(o *fakeapi.Options) { o.NeverSettle = true })
					started = time.Now()
				},
				Config: env.providerBlock(key) + multiWebhookHCL(map[string]dest{"crm": crmMoved, "analytics": analytics},
					`timeouts = { update = "3s" }`),
				ExpectError: wordsRegexp(`Error Updating Multi Webhook.*timed out after.*waiting for destination "crm" to ` +
					`show its new url and headers.*the change was accepted but is not yet visible.*The timeout is 3s`),
			},
			{
				// The error came within the timeout (plus CLI start-up), and once
				// 360dialog catches up, the next apply has nothing left to do.
				PreConfig: func() {
					if elapsed := time.Since(started); elapsed > 20*time.Second {
						t.Errorf("the timeout error took %s for a 3s timeout", elapsed)
					}
					env.fake.SetOptions(func(o *fakeapi.Options) { o.NeverSettle = false })
					env.resetLog()
				},
				Config: env.providerBlock(key) + multiWebhookHCL(map[string]dest{"crm": crmMoved, "analytics": analytics}),
				ConfigStateChecks: []statecheck.StateCheck{
					fakeChecks(env.expectCalls(nil), env.expectFake(key, map[string]dest{"crm": crmMoved, "analytics": analytics})),
				},
			},
		},
	})
}

// refusing answers the requests that match, while on, with a fixed API
// error, and passes every other request to next.
type refusing struct {
	next    http.Handler
	match   func(*http.Request) bool
	status  int
	body    string
	on      atomic.Bool
	refused atomic.Int32
}

func (f *refusing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.on.Load() && f.match(r) {
		f.refused.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
		return
	}
	f.next.ServeHTTP(w, r)
}

// failingMethod makes every request with the given method fail with the
// API's transient error, as an outage of one kind of change would; it
// starts off.
func failingMethod(next http.Handler, method string) *refusing {
	return &refusing{next: next, match: func(r *http.Request) bool { return r.Method == method },
		status: http.StatusInternalServerError, body: `{"error": "Operation failed, please retry later or contact support"}`}
}

// TestAccMultiWebhook_partialFailure fails the second of three changes for
// good: the saved state is what settled, and the next plan and apply do
// exactly the rest, nothing twice.
func TestAccMultiWebhook_partialFailure(t *testing.T) {
	fake := fakeapi.New(fakeapi.Options{SettleDelay: 20 * time.Millisecond})
	patches := failingMethod(fake, http.MethodPatch)
	env := newAccEnvWithHandler(t, fake, patches)
	key := testKey(t, "a")
	before := map[string]dest{"crm": crm, "analytics": analytics}
	after := map[string]dest{"crm": crmMoved, "audit": audit}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{Config: env.providerBlock(key) + multiWebhookHCL(before)},
			{ // DELETE analytics settles, PATCH crm fails for good, PUT audit is never sent.
				PreConfig:   func() { patches.on.Store(true); env.resetLog() },
				Config:      env.providerBlock(key) + multiWebhookHCL(after),
				ExpectError: wordsRegexp(`Error Updating Multi Webhook.*PATCH /multi_webhook: HTTP 500: Operation failed, please retry later or contact support.*next plan lists the remaining changes`),
			},
			{ // The state recorded the deletion: the plan starts from {crm} alone.
				PreConfig: func() {
					if err := env.checkCalls(map[string]int{"DELETE": 1}, false); err != nil {
						t.Errorf("failed apply: %v", err)
					}
					patches.on.Store(false)
					env.resetLog()
				},
				Config: env.providerBlock(key) + multiWebhookHCL(after),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					expectBefore{address: testResource, names: []string{"crm"}},
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(after),
					fakeChecks(env.expectCalls(map[string]int{"PATCH": 1, "PUT": 1}), env.expectFake(key, after))},
			},
		},
	})
}

// TestAccMultiWebhook_apiErrorVerbatim shows an API rejection in the API's
// own words.
func TestAccMultiWebhook_apiErrorVerbatim(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{AcceptedKeys: []string{"the-only-valid-key"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(testKey(t, "unknown")) + multiWebhookHCL(map[string]dest{"crm": crm}),
			ExpectError: regexp.MustCompile(`GET /multi_webhook: HTTP 401: Invalid API key`),
		}},
	})
}
