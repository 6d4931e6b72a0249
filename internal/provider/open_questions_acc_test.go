package provider

import (
	"net/http"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// The tests of this file each play one answer that 360dialog's
// documentation allows and the provider once could not take (DESIGN.md,
// What the documentation leaves open). Their timeouts are short, so that a
// wait that cannot end fails the test quickly instead of after 5 minutes.

// TestAccOpenQuestion_enabledWithoutDestinations: an enabled number with no
// destinations is shown as {"enabled": true} or with "destinations": null.
// The provider itself leaves a number so (destinations = {}, and destroy
// after its last DELETE); it must read, plan, import and destroy it.
func TestAccOpenQuestion_enabledWithoutDestinations(t *testing.T) {
	for _, form := range []fakeapi.EmptyDestinations{fakeapi.EmptyDestinationsNull, fakeapi.EmptyDestinationsOmitted} {
		t.Run(string(form), func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{EmptyDestinations: form})
			key := testKey(t, "a")
			one := map[string]dest{"crm": {URL: crm.URL}}
			none := map[string]dest{}
			config := func(dests map[string]dest) string {
				return env.providerBlock(key) + multiWebhookHCL(dests, `timeouts = { create = "20s", update = "20s", delete = "20s" }`)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             env.checkDestroyed(key),
				Steps: []resource.TestStep{
					{PreConfig: env.resetLog, Config: config(one),
						ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFake(key, one))}},
					{PreConfig: env.resetLog, Config: config(none),
						ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"DELETE": 1}), env.expectFake(key, none))}},
					{Config: config(none), ConfigPlanChecks: emptyPlan()},
					{ResourceName: testResource, ImportState: true, ImportStateVerify: true,
						ImportStateVerifyIgnore: []string{"timeouts"}},
				},
			})
		})
	}
}

// TestAccOpenQuestion_webhookKeepsOmittedHeaders: 360dialog may keep a
// primary webhook's headers when a POST leaves "headers" out. Removing the
// last header must still show, with one POST.
func TestAccOpenQuestion_webhookKeepsOmittedHeaders(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{WebhookOmittedHeaders: fakeapi.WebhookOmittedHeadersKeep})
	key := testKey(t, "a")
	config := func(headers map[string]string) string {
		return env.providerBlock(key) + primaryHCL(appURL, headers, nil, `timeouts = { create = "20s", update = "20s" }`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{PreConfig: env.resetLog, Config: config(map[string]string{"X-Env": "prod"}),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, map[string]string{"X-Env": "prod"}))}},
			{PreConfig: env.resetLog, Config: config(nil),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectWebhookPOSTs(1), env.expectFakeWebhook(key, appURL, map[string]string{}))}},
			{Config: config(nil), ConfigPlanChecks: emptyPlan()},
		},
	})
}

// TestAccOpenQuestion_patchMergesHeaders: 360dialog may merge the headers a
// PATCH sends into the destination's. Removing a header must still show:
// the first time after the wait's patience, by deleting and adding the
// destination again, which the resource then remembers, so that the next
// removal goes straight to DELETE and PUT.
func TestAccOpenQuestion_patchMergesHeaders(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{PatchHeaders: fakeapi.PatchHeadersMerge})
	key := testKey(t, "a")
	withHeaders := func(names ...string) map[string]dest {
		headers := map[string]string{}
		for _, n := range names {
			headers[n] = "v-" + n
		}
		return map[string]dest{"crm": {URL: crm.URL, Headers: headers}}
	}
	config := func(dests map[string]dest) string {
		return env.providerBlock(key) + multiWebhookHCL(dests, `timeouts = { create = "20s", update = "20s", delete = "20s" }`)
	}
	step := func(dests map[string]dest, calls map[string]int) resource.TestStep {
		return resource.TestStep{PreConfig: env.resetLog, Config: config(dests),
			ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(calls), env.expectFake(key, dests))}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			step(withHeaders("X-A", "X-B", "X-C"), map[string]int{"POST": 1}),
			// A value change and an added header are a PATCH as usual.
			step(map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"X-A": "changed", "X-B": "v-X-B", "X-C": "v-X-C", "X-D": "v-X-D"}}},
				map[string]int{"PATCH": 1}),
			// The first removal: a PATCH that shows nothing, then DELETE and PUT.
			step(withHeaders("X-A", "X-B", "X-C"), map[string]int{"PATCH": 1, "DELETE": 1, "PUT": 1}),
			// Learnt: the next removal makes no PATCH.
			step(withHeaders("X-A"), map[string]int{"DELETE": 1, "PUT": 1}),
			{Config: config(withHeaders("X-A")), ConfigPlanChecks: emptyPlan()},
		},
	})
}

// disableBefore wraps the fake: the first request of the given method
// finds the number disabled, as if someone disabled it between the plan
// and the apply. Its destinations are kept, hidden, as 360dialog may keep
// them.
type disableBefore struct {
	fake   *fakeapi.Server
	key    string
	method string
	once   sync.Once
}

func (d *disableBefore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == d.method {
		d.once.Do(func() {
			st := d.fake.State(d.key)
			d.fake.SetState(d.key, fakeapi.State{Enabled: false, Destinations: st.Destinations})
		})
	}
	d.fake.ServeHTTP(w, r)
}

// TestAccOpenQuestion_disabledBetweenPlanAndApply: the feature is disabled
// outside Terraform after the plan. Whether 360dialog accepts the PATCH for
// the hidden destinations or refuses it, the apply must see that the
// number is disabled, plan again from it and end with the number as
// declared: enabled, with the new url.
func TestAccOpenQuestion_disabledBetweenPlanAndApply(t *testing.T) {
	for _, whileDisabled := range fakeapi.WhileDisabledReadings() {
		t.Run(string(whileDisabled), func(t *testing.T) {
			fake := fakeapi.New(fakeapi.Options{SettleDelay: readingSettle, WhileDisabled: whileDisabled})
			key := testKey(t, "a")
			wrapper := &disableBefore{fake: fake, key: key, method: http.MethodPatch}
			env := newAccEnvWithHandler(t, fake, wrapper)
			config := func(url string) string {
				return env.providerBlock(key) + multiWebhookHCL(map[string]dest{"crm": {URL: url}}, `timeouts = { create = "20s", update = "20s", delete = "20s" }`)
			}
			// Accepted: the PATCH (for the hidden crm), then a bare enable
			// after an enable carrying crm was refused for its hidden twin.
			// Refused: the bare enable, then the PATCH again. Refused calls,
			// and those the fake fails while the PATCH is still pending,
			// are not counted.
			calls := map[string]int{"PATCH": 1, "POST": 1}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             env.checkDestroyed(key),
				Steps: []resource.TestStep{
					{Config: config(crm.URL)},
					{PreConfig: env.resetLog, Config: config(crmMoved.URL),
						ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectAcceptedCalls(calls),
							env.expectFake(key, map[string]dest{"crm": {URL: crmMoved.URL}}))}},
					{Config: config(crmMoved.URL), ConfigPlanChecks: emptyPlan()},
				},
			})
		})
	}
}

// TestAccOpenQuestion_survivorsBeyondTheCap: destinations that survived a
// disable are hidden, and an enable carrying the plan's ones may exceed the
// cap of 3 with them. The create must still end with exactly the plan's
// destinations, and remember that this number keeps them.
func TestAccOpenQuestion_survivorsBeyondTheCap(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	env.seed(key, false, map[string]dest{"old-a": {URL: crm.URL}, "old-b": {URL: crm.URL}})
	planned := map[string]dest{"crm": {URL: crm.URL}, "audit": {URL: crmMoved.URL}}
	config := env.providerBlock(key) + multiWebhookHCL(planned, `timeouts = { create = "20s", update = "20s", delete = "20s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			// The refused enable, a bare one, two DELETEs and one PUT.
			{PreConfig: env.resetLog, Config: config,
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"POST": 2, "DELETE": 2, "PUT": 1}),
					env.expectFake(key, planned))}},
			{Config: config, ConfigPlanChecks: emptyPlan()},
		},
	})
}
