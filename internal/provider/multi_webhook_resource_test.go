package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

const testResource = "d360_multi_webhook.test"

// testKey derives an API key unique to the test, so parallel tests never
// share a number (or its process-wide lock).
func testKey(t *testing.T, suffix string) string {
	return "key-" + t.Name() + "-" + suffix
}

// expectDestinations checks the destinations in state: names, urls and
// headers.
func expectDestinations(dests map[string]dest) statecheck.StateCheck {
	checks := map[string]knownvalue.Check{}
	for name, d := range dests {
		headers := map[string]knownvalue.Check{}
		for k, v := range d.Headers {
			headers[k] = knownvalue.StringExact(v)
		}
		checks[name] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"url":        knownvalue.StringExact(d.URL),
			"headers":    knownvalue.MapExact(headers),
			"headers_wo": knownvalue.Null(), // write-only: never in the state
		})
	}
	return statecheck.ExpectKnownValue(testResource, tfjsonpath.New("destinations"), knownvalue.MapExact(checks))
}

func expectEnabled(enabled bool) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(testResource, tfjsonpath.New("enabled"), knownvalue.Bool(enabled))
}

func expectUpdate() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate)}}
}

var (
	crm       = dest{URL: "https://crm.example.com/whatsapp", Headers: map[string]string{"Authorization": "Bearer crm-secret"}}
	crmMoved  = dest{URL: "https://crm2.example.com/whatsapp", Headers: crm.Headers}
	crmNewKey = dest{URL: crm.URL, Headers: map[string]string{"Authorization": "Bearer rotated", "X-Team": "support"}}
	analytics = dest{URL: "https://analytics.example.com/wa"}
	audit     = dest{URL: "https://audit.example.com/hook", Headers: map[string]string{"X-Audit": "on"}}
)

// TestAccMultiWebhook_lifecycle walks one number through every kind of
// change and asserts each apply makes exactly the minimum calls.
func TestAccMultiWebhook_lifecycle(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{ShuffleOrder: true})
	key := testKey(t, "a")
	cfg := func(dests map[string]dest) string { return env.providerBlock(key) + multiWebhookHCL(dests) }
	two := map[string]dest{"crm": crm, "analytics": analytics}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{ // Create on a fresh (disabled) number: one POST with every destination.
				PreConfig: env.resetLog,
				Config:    cfg(two),
				ConfigStateChecks: []statecheck.StateCheck{
					expectDestinations(two), expectEnabled(true),
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(key))),

					fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFake(key, two)),
				},
			},
			{ // Same configuration: an empty plan and no calls, whatever order GET lists.
				PreConfig:         env.resetLog,
				Config:            cfg(two),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectCalls(nil)},
			},
			{ // Change a URL: one PATCH.
				PreConfig:         env.resetLog,
				Config:            cfg(map[string]dest{"crm": crmMoved, "analytics": analytics}),
				ConfigPlanChecks:  expectUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(map[string]dest{"crm": crmMoved, "analytics": analytics}), fakeChecks(env.expectCalls(map[string]int{"PATCH": 1}), env.expectFake(key, map[string]dest{"crm": crmMoved, "analytics": analytics}))},
			},
			{ // Change headers only: one PATCH.
				PreConfig:         env.resetLog,
				Config:            cfg(map[string]dest{"crm": crmNewKey, "analytics": analytics}),
				ConfigPlanChecks:  expectUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"PATCH": 1}), env.expectFake(key, map[string]dest{"crm": crmNewKey, "analytics": analytics}))},
			},
			{ // Add one: one PUT.
				PreConfig:         env.resetLog,
				Config:            cfg(map[string]dest{"crm": crmNewKey, "analytics": analytics, "audit": audit}),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"PUT": 1}), env.expectFake(key, map[string]dest{"crm": crmNewKey, "analytics": analytics, "audit": audit}))},
			},
			{ // Remove one: one DELETE.
				PreConfig:         env.resetLog,
				Config:            cfg(map[string]dest{"crm": crmNewKey, "audit": audit}),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"DELETE": 1}), env.expectFake(key, map[string]dest{"crm": crmNewKey, "audit": audit}))},
			},
			{ // Rename: one DELETE, then one PUT.
				PreConfig:        env.resetLog,
				Config:           cfg(map[string]dest{"crm": crmNewKey, "audit-archive": audit}),
				ConfigPlanChecks: expectUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(map[string]dest{"crm": crmNewKey, "audit-archive": audit}), fakeChecks(env.expectCalls(map[string]int{"DELETE": 1, "PUT": 1}),
					env.expectOrder("DELETE /multi_webhook/audit", "PUT /multi_webhook"))},
			},
			{ // Remove, change and add at once, at the cap: deletes, then patches, then one append.
				PreConfig: env.resetLog,
				Config:    cfg(map[string]dest{"crm": crm, "analytics": analytics, "audit": audit}),
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"DELETE": 1, "PATCH": 1, "PUT": 1}),
					env.expectOrder("DELETE /multi_webhook/audit-archive", "PATCH /multi_webhook", "PUT /multi_webhook"),
					env.expectFake(key, map[string]dest{"crm": crm, "analytics": analytics, "audit": audit}))},
			},
			{ // Remove every destination while staying enabled: an omitted map means none.
				PreConfig: env.resetLog,
				Config:    cfg(nil),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("destinations"), knownvalue.Null()), expectEnabled(true),
					fakeChecks(env.expectCalls(map[string]int{"DELETE": 3}), env.expectFake(key, map[string]dest{})),
				},
			},
			{ // Still none: no change, whatever the refresh reads.
				PreConfig:         env.resetLog,
				Config:            cfg(nil),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectCalls(nil)},
			},
			{ // An explicit empty map is a change of the configuration only (destinations
				// cannot be Computed beside write-only values): one update, no call.
				PreConfig:         env.resetLog,
				Config:            env.providerBlock(key) + "resource \"d360_multi_webhook\" \"test\" {\n  destinations = {}\n}\n",
				ConfigPlanChecks:  expectUpdate(),
				ConfigStateChecks: []statecheck.StateCheck{expectDestinations(map[string]dest{}), env.expectCalls(nil)},
			},
			{
				Config:           env.providerBlock(key) + "resource \"d360_multi_webhook\" \"test\" {\n  destinations = {}\n}\n",
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// expectOrder checks the accepted mutating calls, in order.
func (e *accEnv) expectOrder(want ...string) fakeCheck {
	return func() error {
		got := e.mutationOrder()
		if !slices.Equal(got, want) {
			return fmt.Errorf("call order: got %q, want %q", got, want)
		}
		return nil
	}
}

// TestAccMultiWebhook_emptyHeadersDoNotFlap checks that headers = {} and an
// omitted headers attribute are the same, in either direction.
func TestAccMultiWebhook_emptyHeadersDoNotFlap(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	withEmpty := env.providerBlock(key) + `resource "d360_multi_webhook" "test" {
  destinations = {
    crm = {
      url     = "https://crm.example.com/whatsapp"
      headers = {}
    }
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: withEmpty, ConfigStateChecks: []statecheck.StateCheck{expectDestinations(map[string]dest{"crm": {URL: crm.URL}})}},
			{Config: env.providerBlock(key) + multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL}}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{Config: withEmpty, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
