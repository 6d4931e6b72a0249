package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccMultiWebhook_disableEnable toggles the feature under both possible
// behaviours of the real API: destinations surviving a disable, or not.
func TestAccMultiWebhook_disableEnable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clear bool
		// reenable is the calls to enable again with a changed url: one POST
		// when destinations were cleared; when they survived, the POST
		// carrying them is refused ("already exists"), a bare POST enables,
		// and one PATCH fixes the changed url. The provider learns from it.
		reenable map[string]int
	}{
		{name: "destinations survive", clear: false, reenable: map[string]int{"POST": 2, "PATCH": 1}},
		{name: "destinations cleared", clear: true, reenable: map[string]int{"POST": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{ClearOnDisable: tc.clear})
			key := testKey(t, "a")
			two := map[string]dest{"crm": crm, "analytics": analytics}
			moved := map[string]dest{"crm": crmMoved, "analytics": analytics}
			cfg := func(dests map[string]dest, extra ...string) string {
				return env.providerBlock(key) + multiWebhookHCL(dests, extra...)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             env.checkDestroyed(key),
				Steps: []resource.TestStep{
					{Config: cfg(two), ConfigStateChecks: []statecheck.StateCheck{env.expectCalls(map[string]int{"POST": 1})}},
					{ // Disable: one POST; the declared destinations stay in state.
						PreConfig:         env.resetLog,
						Config:            cfg(two, "enabled = false"),
						ConfigPlanChecks:  expectUpdate(),
						ConfigStateChecks: []statecheck.StateCheck{expectEnabled(false), expectDestinations(two), fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFakeEnabled(key, false))},
					},
					{ // Editing destinations while disabled changes state only.
						PreConfig:         env.resetLog,
						Config:            cfg(moved, "enabled = false"),
						ConfigStateChecks: []statecheck.StateCheck{expectEnabled(false), expectDestinations(moved), env.expectCalls(nil)},
					},
					{ // Enable again: the declared destinations are reconciled.
						PreConfig:         env.resetLog,
						Config:            cfg(moved),
						ConfigStateChecks: []statecheck.StateCheck{expectEnabled(true), expectDestinations(moved), fakeChecks(env.expectCalls(tc.reenable), env.expectFake(key, moved))},
					},
					{PreConfig: env.resetLog, Config: cfg(moved, "enabled = false"),
						ConfigStateChecks: []statecheck.StateCheck{env.expectCalls(map[string]int{"POST": 1})}},
					{ // A second cycle uses what the first taught: one POST either way.
						PreConfig:         env.resetLog,
						Config:            cfg(moved),
						ConfigStateChecks: []statecheck.StateCheck{expectEnabled(true), fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFake(key, moved))},
					},
				},
			})
		})
	}
}

// expectFakeEnabled checks only whether the feature is on in the fake.
func (e *accEnv) expectFakeEnabled(key string, enabled bool) fakeCheck {
	return func() error {
		if got := e.fake.State(key).Enabled; got != enabled {
			return fmt.Errorf("fake number enabled = %t, want %t", got, enabled)
		}
		return nil
	}
}

// TestAccMultiWebhook_adoptExisting creates the resource on a number that
// already has destinations: create adopts them and makes only the needed
// calls, in the order that never crosses the cap.
func TestAccMultiWebhook_adoptExisting(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	env.seed(key, true, map[string]dest{"crm": crmMoved, "legacy": {URL: "https://legacy.example.com/hook"}, "audit": audit})
	want := map[string]dest{"crm": crm, "audit": audit, "analytics": analytics}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{{
			PreConfig: env.resetLog,
			Config:    env.providerBlock(key) + multiWebhookHCL(want),
			ConfigStateChecks: []statecheck.StateCheck{expectDestinations(want), fakeChecks(
				env.expectOrder("DELETE /multi_webhook/legacy", "PATCH /multi_webhook", "PUT /multi_webhook"),
				env.expectFake(key, want))},
		}},
	})
}

// TestAccMultiWebhook_adoptIdentical makes no change at all when the number
// already matches.
func TestAccMultiWebhook_adoptIdentical(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	want := map[string]dest{"crm": crm, "analytics": analytics}
	env.seed(key, true, want)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig:         env.resetLog,
			Config:            env.providerBlock(key) + multiWebhookHCL(want),
			ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(nil), env.expectFake(key, want))},
		}},
	})
}

// TestAccMultiWebhook_drift changes the number behind Terraform's back: the
// plan shows it and the apply repairs it with the fewest calls.
func TestAccMultiWebhook_drift(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	two := map[string]dest{"crm": crm, "analytics": analytics}
	cfg := env.providerBlock(key) + multiWebhookHCL(two)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{
			{Config: cfg},
			{ // A url edited elsewhere and a destination added elsewhere.
				PreConfig: func() {
					env.seed(key, true, map[string]dest{"crm": crmMoved, "analytics": analytics, "intruder": audit})
					env.resetLog()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					expectBefore{address: testResource, names: []string{"analytics", "crm", "intruder"}},
				}},
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"DELETE": 1, "PATCH": 1}), env.expectFake(key, two))},
			},
			{ // Disabled elsewhere: the plan shows enabled going back to true.
				PreConfig: func() { env.seed(key, false, two); env.resetLog() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectFake(key, two))},
			},
			{ // Everything removed elsewhere.
				PreConfig:         func() { env.seed(key, true, nil); env.resetLog() },
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectBefore{address: testResource, names: []string{}}}},
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"PUT": 1}), env.expectFake(key, two))},
			},
		},
	})
}

// TestAccMultiWebhook_import adopts the default number by its fingerprint
// with `terraform import` and with an import block, and refuses an ID that
// names no number the provider holds.
func TestAccMultiWebhook_import(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	two := map[string]dest{"crm": crm, "analytics": analytics}
	cfg := env.providerBlock(key) + multiWebhookHCL(two)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: cfg},
			{ResourceName: testResource, ImportState: true, ImportStateVerify: true},
			{ResourceName: testResource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(key))),
				}}},
			{ResourceName: testResource, ImportState: true, ImportStateId: "0123456789abcdef",
				ExpectError: regexp.MustCompile(`(?s)import ID "0123456789abcdef" is neither a name`)},
			{ResourceName: testResource, ImportState: true, ImportStateId: "0123456789abcdef", ImportStateKind: resource.ImportBlockWithID,
				ExpectError: regexp.MustCompile(`(?s)Unknown Import ID`)},
		},
	})
}

// requiredProvidersHCL pins the source the test framework serves the
// in-process provider under.
const requiredProvidersHCL = `terraform {
  required_providers {
    d360 = { source = "registry.terraform.io/hashicorp/d360" }
  }
}
`
