package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

const testDataSource = "data.d360_multi_webhook.test"

// TestAccMultiWebhookDataSource reads an enabled number, a disabled one and
// one with its own key, with a single GET each and no change.
func TestAccMultiWebhookDataSource(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{DisabledStatus: 200, ShuffleOrder: true})
	key, other := testKey(t, "a"), testKey(t, "b")
	env.seed(key, true, map[string]dest{"crm": crm, "analytics": analytics})
	env.seed(other, false, map[string]dest{"hidden": audit})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetLog,
				Config:    env.providerBlock(key) + "data \"d360_multi_webhook\" \"test\" {}\n",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(key))),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("destinations"), knownvalue.MapExact(map[string]knownvalue.Check{
						"crm": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"url":     knownvalue.StringExact(crm.URL),
							"headers": knownvalue.MapExact(map[string]knownvalue.Check{"Authorization": knownvalue.StringExact("Bearer crm-secret")}),
						}),
						"analytics": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"url": knownvalue.StringExact(analytics.URL), "headers": knownvalue.MapExact(map[string]knownvalue.Check{}),
						}),
					})),
					env.expectCalls(nil),
				},
			},
			{ // A disabled number: enabled = false and no list, since 360dialog shows none.
				Config: env.providerWithNumbers(key, map[string]string{"other": other}) + "data \"d360_multi_webhook\" \"test\" {\n  number = \"other\"\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(other))),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("destinations"), knownvalue.Null()),
				},
			},
		},
	})
}

// TestAccMultiWebhookDataSource_missingKey says where to set a key.
func TestAccMultiWebhookDataSource_missingKey(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	env := newAccEnv(t, fakeapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock("") + "data \"d360_multi_webhook\" \"test\" {}\n",
			ExpectError: wordsRegexp("Missing 360dialog API Key.*api_key in the provider block or the D360_API_KEY environment variable"),
		}},
	})
	env.expectNoRequests()
}
