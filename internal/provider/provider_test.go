package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccProvider_environment configures the provider from D360_API_KEY and
// D360_BASE_URL alone, as pipelines do.
func TestAccProvider_environment(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "env")
	t.Setenv(EnvAPIKey, key)
	t.Setenv(EnvBaseURL, env.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(key),
		Steps: []resource.TestStep{{
			Config:            "provider \"d360\" {}\n" + multiWebhookHCL(map[string]dest{"crm": crm}),
			ConfigStateChecks: []statecheck.StateCheck{env.expectFake(key, map[string]dest{"crm": crm})},
		}},
	})
}

// TestAccProvider_invalidBaseURLFromEnvironment rejects a bad D360_BASE_URL
// with the variable named in the message.
func TestAccProvider_invalidBaseURLFromEnvironment(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	t.Setenv(EnvAPIKey, "k")
	t.Setenv(EnvBaseURL, "http://waba-v2.360dialog.io")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      "provider \"d360\" {}\n" + multiWebhookHCL(map[string]dest{"crm": crm}),
			ExpectError: wordsRegexp("Invalid 360dialog Base URL.*from the provider block or D360_BASE_URL.*plain http is accepted only for loopback hosts"),
		}},
	})
	env.expectNoRequests()
}

func TestSettingOrEnv(t *testing.T) {
	t.Setenv("D360_TEST_SETTING", "from-env")
	cases := []struct {
		name        string
		value       types.String
		env         string
		want        string
		wantUnknown bool
	}{
		{"configured wins", types.StringValue("from-config"), "D360_TEST_SETTING", "from-config", false},
		{"environment next", types.StringNull(), "D360_TEST_SETTING", "from-env", false},
		{"fallback last", types.StringNull(), "D360_TEST_UNSET", "fallback", false},
		{"unknown during plan", types.StringUnknown(), "D360_TEST_SETTING", "", true},
	}
	for _, tc := range cases {
		got, unknown := settingOrEnv(tc.value, tc.env, "fallback")
		if got != tc.want || unknown != tc.wantUnknown {
			t.Errorf("%s: got (%q, %t), want (%q, %t)", tc.name, got, unknown, tc.want, tc.wantUnknown)
		}
	}
}

// TestResolve covers every way of naming a number, without Terraform.
func TestResolve(t *testing.T) {
	p := &providerData{
		defaultKey:   heldKey{key: "default-key", known: true},
		numbers:      map[string]heldKey{"sales": {key: "sales-key", known: true}, "late": {}, "blank": {key: "", known: true}},
		numbersKnown: true,
	}
	p.client, _ = client.New(client.Options{BaseURL: "https://example.com"})
	cases := []struct {
		name      types.String
		wantKey   string
		wantKnown bool
		wantError string
	}{
		{types.StringNull(), "default-key", true, ""},
		{types.StringValue("sales"), "sales-key", true, ""},
		{types.StringValue("late"), "", false, ""},
		{types.StringUnknown(), "", false, ""},
		{types.StringValue("blank"), "", false, "Missing 360dialog API Key"},
		{types.StringValue("nope"), "", false, "Unknown Number"},
	}
	for _, tc := range cases {
		num, known, diags := p.resolve(tc.name)
		switch {
		case tc.wantError != "":
			if !diags.HasError() || diags[0].Summary() != tc.wantError {
				t.Errorf("%s: diagnostics %v, want %q", tc.name, diags, tc.wantError)
			}
		case diags.HasError() || known != tc.wantKnown:
			t.Errorf("%s: known %t, diagnostics %v", tc.name, known, diags)
		case known && num.key != tc.wantKey:
			t.Errorf("%s: resolved to the wrong key", tc.name)
		}
	}
	if _, _, diags := (&providerData{client: p.client, defaultKey: heldKey{known: true}}).resolve(types.StringNull()); !diags.HasError() ||
		diags[0].Summary() != "Missing 360dialog API Key" {
		t.Errorf("no key anywhere: got %v", diags)
	}
	unreachable := &providerData{defaultKey: heldKey{key: "k", known: true}, unknownReason: "the provider's base_url is not known until apply"}
	if _, known, diags := unreachable.resolve(types.StringNull()); known || diags.HasError() {
		t.Errorf("base_url unknown during plan: known %t, diagnostics %v; want unknown, no error", known, diags)
	}
	if _, diags := unreachable.mustResolve(types.StringNull()); !diags.HasError() || diags[0].Summary() != "360dialog Provider Not Ready" {
		t.Errorf("base_url unknown when the number is needed: got %v", diags)
	}
}

// TestAccProvider_unknownKeyDuringPlan takes the API key, then the base
// URL, from a value only known after apply: the plan shows id as unknown
// and the apply uses the real value.
func TestAccProvider_unknownKeyDuringPlan(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "late")
	keySource := "resource \"terraform_data\" \"key\" {\n  input = \"" + key + "\"\n}\n"
	idUnknown := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(testResource, tfjsonpath.New("id"))}}
	idKnown := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(key))),
		env.expectFake(key, map[string]dest{"crm": crm}),
	}
	for _, config := range []string{
		keySource + "provider \"d360\" {\n  base_url = \"" + env.url + "\"\n  numbers  = { late = terraform_data.key.output }\n}\n" +
			multiWebhookHCL(map[string]dest{"crm": crm}, `number = "late"`),
		keySource + "provider \"d360\" {\n  base_url = \"" + env.url + "\"\n  api_key  = terraform_data.key.output\n}\n" + multiWebhookHCL(map[string]dest{"crm": crm}),
		"resource \"terraform_data\" \"url\" {\n  input = \"" + env.url + "\"\n}\nprovider \"d360\" {\n  base_url = terraform_data.url.output\n" +
			"  api_key  = \"" + key + "\"\n}\n" + multiWebhookHCL(map[string]dest{"crm": crm}),
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			ExternalProviders:        map[string]resource.ExternalProvider{"terraform": {Source: "terraform.io/builtin/terraform"}},
			CheckDestroy:             env.checkDestroyed(key),
			Steps:                    []resource.TestStep{{Config: config, ConfigPlanChecks: idUnknown, ConfigStateChecks: idKnown}},
		})
	}
}
