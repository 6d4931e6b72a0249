package provider

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

const testDataSource = "data.d360_multi_webhook.test"

// TestAccMultiWebhookDataSource reads an enabled number (the default one)
// and a disabled one (named in the numbers map), each with GETs of its own
// multi webhook alone: no change, no call for another number, nothing of
// the primary webhook.
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
					env.expectReadsOnly(key),
				},
			},
			{ // A disabled number: enabled = false and no list, since 360dialog shows none.
				PreConfig: env.resetLog,
				Config:    env.providerWithNumbers(key, map[string]string{"other": other}) + "data \"d360_multi_webhook\" \"test\" {\n  number = \"other\"\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(other))),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testDataSource, tfjsonpath.New("destinations"), knownvalue.Null()),
					env.expectCalls(nil),
					env.expectReadsOnly(other),
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

// expectReadsOnly checks that the fake answered at least one request since
// the last resetLog, and that every one was a GET of the multi webhook of
// key's number.
func (e *accEnv) expectReadsOnly(key string) fakeCheck {
	return func() error {
		reqs := e.fake.Requests()
		if len(reqs) == 0 {
			return errors.New("no request: the number was not read")
		}
		for _, r := range reqs {
			if r.Method != http.MethodGet || r.Endpoint != fakeapi.PathMultiWebhook || r.Fingerprint != fakeapi.Fingerprint(key) {
				return fmt.Errorf("%s %s for number %s: want only GETs of the multi webhook of number %s",
					r.Method, r.Path, r.Fingerprint, fakeapi.Fingerprint(key))
			}
		}
		return nil
	}
}
