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

// TestAccMultiWebhook_keyRotation changes the key in use: the plan shows id
// changing in place, never a replacement, and the apply makes no call when
// the new key reaches the same, already configured number.
func TestAccMultiWebhook_keyRotation(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	oldKey, newKey := testKey(t, "old"), testKey(t, "new")
	two := map[string]dest{"crm": crm, "analytics": analytics}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(newKey),
		Steps: []resource.TestStep{
			{Config: env.providerBlock(oldKey) + webhookHCL(two)},
			{
				// The same number under its rotated key already shows the
				// destinations (360dialog keeps them across key rotation).
				PreConfig: func() { env.seed(newKey, true, two); env.resetLog() },
				Config:    env.providerBlock(newKey) + webhookHCL(two),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(newKey))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(newKey))),

					env.expectCalls(nil),
				},
			},
			{ // A resource-level key overrides the provider's: another number, reconciled on apply.
				PreConfig: func() { env.seed(oldKey, false, nil); env.resetLog() },
				Config:    env.providerBlock(newKey) + webhookHCL(two, fmt.Sprintf("api_key = %q", oldKey)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(oldKey))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFake(oldKey, two))},
			},
			{ // Back to the provider's key for a clean destroy of newKey's number.
				Config: env.providerBlock(newKey) + webhookHCL(two),
			},
		},
	})
}

// TestAccMultiWebhook_missingKey reports a missing key at plan time, on the
// api_key attribute, and says where to set one.
func TestAccMultiWebhook_missingKey(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	env := newAccEnv(t, fakeapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock("") + webhookHCL(map[string]dest{"crm": crm}),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Missing 360dialog API Key.*api_key.*D360_API_KEY`),
		}},
	})
	env.expectNoRequests()
}
