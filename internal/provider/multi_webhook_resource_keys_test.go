package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// namedHCL renders a d360_multi_webhook block called label that manages
// the number named name ("" for the default number).
func namedHCL(label, name string, dests map[string]dest) string {
	var extra []string
	if name != "" {
		extra = []string{fmt.Sprintf("number = %q", name)}
	}
	hcl := multiWebhookHCL(dests, extra...)
	return regexp.MustCompile(`"test"`).ReplaceAllString(hcl, fmt.Sprintf("%q", label))
}

// TestAccNumbers_byName manages two named numbers and the default number
// from one provider block: each resource records its number's name and
// fingerprint, and each number gets exactly its own calls.
func TestAccNumbers_byName(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	defaultKey, salesKey, supportKey := testKey(t, "default"), testKey(t, "sales"), testKey(t, "support")
	provider := env.providerWithNumbers(defaultKey, map[string]string{"sales": salesKey, "support": supportKey})
	config := provider + namedHCL("sales", "sales", map[string]dest{"crm": crm}) +
		namedHCL("support", "support", map[string]dest{"analytics": analytics}) +
		namedHCL("default", "", map[string]dest{"audit": audit})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(defaultKey, salesKey, supportKey),
		Steps: []resource.TestStep{{
			PreConfig: env.resetLog,
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("d360_multi_webhook.sales", tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(salesKey))),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("d360_multi_webhook.sales", tfjsonpath.New("number"), knownvalue.StringExact("sales")),
				statecheck.ExpectKnownValue("d360_multi_webhook.sales", tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(salesKey))),
				statecheck.ExpectKnownValue("d360_multi_webhook.support", tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(supportKey))),
				statecheck.ExpectKnownValue("d360_multi_webhook.default", tfjsonpath.New("number"), knownvalue.Null()),
				statecheck.ExpectKnownValue("d360_multi_webhook.default", tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(defaultKey))),
				fakeChecks(env.expectFake(salesKey, map[string]dest{"crm": crm}), env.expectFake(supportKey, map[string]dest{"analytics": analytics}),
					env.expectFake(defaultKey, map[string]dest{"audit": audit}), env.expectCallsFor(salesKey, map[string]int{"POST": 1}),
					env.expectCallsFor(supportKey, map[string]int{"POST": 1}), env.expectCallsFor(defaultKey, map[string]int{"POST": 1})),
			},
		}},
	})
}

// expectCallsFor checks the exact mutating calls one number received since
// the last resetLog.
func (e *accEnv) expectCallsFor(key string, want map[string]int) fakeCheck {
	return func() error {
		got := e.fake.CountsFor(key)
		for _, m := range mutatingMethods {
			if got[m] != want[m] {
				return fmt.Errorf("number %s: mutating calls %v, want %v", fakeapi.Fingerprint(key), got, want)
			}
		}
		return nil
	}
}

// TestAccNumbers_planTimeErrors refuses, at plan time, on the number
// attribute and with zero requests: a name the provider does not hold
// (listing the names it has, never their keys), an empty key, a key with a
// line break, and two resources managing one number through one name or
// through two names holding the same key.
func TestAccNumbers_planTimeErrors(t *testing.T) {
	key, other := testKey(t, "a"), testKey(t, "b")
	cases := []struct {
		name   string
		config func(env *accEnv) string
		want   string
	}{
		{"unknown name", func(env *accEnv) string {
			return env.providerWithNumbers("", map[string]string{"sales": key, "support": other}) +
				namedHCL("test", "marketing", map[string]dest{"crm": crm})
		}, `Unknown Number.*no number named "marketing".*It holds: "sales", "support"`},
		{"no numbers at all", func(env *accEnv) string {
			return env.providerBlock(key) + namedHCL("test", "sales", map[string]dest{"crm": crm})
		}, `Unknown Number.*no number named "sales".*numbers map is empty`},
		{"empty key", func(env *accEnv) string {
			return env.providerWithNumbers("", map[string]string{"sales": ""}) + namedHCL("test", "sales", nil)
		}, `Invalid Number.*numbers["sales"] is empty`},
		{"key with a line break", func(env *accEnv) string {
			return env.providerWithNumbers("", map[string]string{"sales": key + "\n"}) + namedHCL("test", "sales", nil)
		}, `Invalid Number.*API key of number "sales" cannot be used: it contains a line break`},
		{"same name twice", func(env *accEnv) string {
			return env.providerWithNumbers("", map[string]string{"sales": key}) +
				namedHCL("one", "sales", map[string]dest{"crm": crm}) + namedHCL("two", "sales", map[string]dest{"audit": audit})
		}, `Number Managed Twice.*already manages number "sales"`},
		{"two names, one key", func(env *accEnv) string {
			return env.providerWithNumbers("", map[string]string{"sales": key, "sales-eu": key}) +
				namedHCL("one", "sales", map[string]dest{"crm": crm}) + namedHCL("two", "sales-eu", map[string]dest{"audit": audit})
		}, `Number Managed Twice.*already manages number "sales.*the same number as number "sales`},
		{"two primary webhooks of one number", func(env *accEnv) string {
			return env.providerWithNumbers(key, map[string]string{"sales": key}) + primaryHCL(appURL, nil, nil, `number = "sales"`) +
				strings.Replace(primaryHCL(appMoved, nil, nil), `"test"`, `"other"`, 1)
		}, `Number Managed Twice.*Another d360_webhook resource.*already manages`},
		{"a name and the default number, one key", func(env *accEnv) string {
			return env.providerWithNumbers(key, map[string]string{"sales": key}) +
				namedHCL("one", "sales", map[string]dest{"crm": crm}) + namedHCL("two", "", map[string]dest{"audit": audit})
		}, `Number Managed Twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: tc.config(env), PlanOnly: true, ExpectError: wordsRegexp(tc.want)}},
			})
			env.expectNoRequests()
		})
	}
}

// TestAccNumbers_dataSourceOfManagedNumber reads, with the data source, a
// number that a resource manages: that is not managing it twice.
func TestAccNumbers_dataSourceOfManagedNumber(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerWithNumbers("", map[string]string{"sales": key}) + namedHCL("test", "sales", map[string]dest{"crm": crm}) +
				"data \"d360_multi_webhook\" \"sales\" {\n  number     = \"sales\"\n  depends_on = [d360_multi_webhook.test]\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.d360_multi_webhook.sales", tfjsonpath.New("destinations").AtMapKey("crm").AtMapKey("url"),
					knownvalue.StringExact(crm.URL)),
			},
		}},
	})
}

// TestAccNumbers_completeSetup manages a number's primary webhook and its
// multi webhook side by side: two things of one number, not one number
// managed twice.
func TestAccNumbers_completeSetup(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.resetLog,
			Config: env.providerWithNumbers("", map[string]string{"sales": key}) + primaryHCL(appURL, nil, nil, `number = "sales"`) +
				namedHCL("test", "sales", map[string]dest{"crm": crm}),
			ConfigStateChecks: []statecheck.StateCheck{fakeChecks(env.expectFakeWebhook(key, appURL, nil), env.expectFake(key, map[string]dest{"crm": crm}))},
		}},
	})
}

// TestAccNumbers_keyRotation gives a named number a new key, as after a
// rotation whose old key is revoked at once: the plan shows id changing in
// place, never a replacement; the apply makes no change, and the old key is
// never sent again.
func TestAccNumbers_keyRotation(t *testing.T) {
	oldKey, newKey := testKey(t, "old"), testKey(t, "new")
	env := newAccEnv(t, fakeapi.Options{})
	two := map[string]dest{"crm": crm, "analytics": analytics}
	config := func(key string) string {
		return env.providerWithNumbers("", map[string]string{"sales": key}) + namedHCL("test", "sales", two)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDestroyed(newKey),
		Steps: []resource.TestStep{
			{Config: config(oldKey)},
			{
				// The same number under its rotated key shows the destinations
				// (360dialog keeps them across a rotation); the old key is revoked.
				PreConfig: func() {
					env.seed(newKey, true, two)
					env.fake.SetOptions(func(o *fakeapi.Options) { o.AcceptedKeys = []string{newKey} })
					env.resetLog()
				},
				Config: config(newKey),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(newKey))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("id"), knownvalue.StringExact(client.Fingerprint(newKey))),
					fakeChecks(env.expectCalls(nil), env.expectNoRequestsFor(oldKey)),
				},
			},
		},
	})
}

// expectNoRequestsFor checks that a key was not used since the last resetLog.
func (e *accEnv) expectNoRequestsFor(key string) fakeCheck {
	return func() error {
		for _, r := range e.fake.Requests() {
			if r.Fingerprint == fakeapi.Fingerprint(key) {
				return fmt.Errorf("the key with fingerprint %s was used: %s %s", r.Fingerprint, r.Method, r.Path)
			}
		}
		return nil
	}
}

// TestAccNumbers_import imports by name and by fingerprint, as `terraform
// import` and as an import block, with one GET per import; and refuses an
// ID that is neither, naming the numbers the provider holds.
func TestAccNumbers_import(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	defaultKey, salesKey := testKey(t, "default"), testKey(t, "sales")
	two := map[string]dest{"crm": crm, "analytics": analytics}
	env.seed(salesKey, true, two)
	provider := env.providerWithNumbers(defaultKey, map[string]string{"sales": salesKey})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: provider + namedHCL("test", "sales", two)},
			{ResourceName: testResource, ImportState: true, ImportStateId: "sales", ImportStateVerify: true,
				PreConfig: env.resetLog, ImportStateCheck: importChecked(env.expectOneGET())},
			{ResourceName: testResource, ImportState: true, ImportStateId: client.Fingerprint(salesKey), ImportStateVerify: true,
				PreConfig: env.resetLog, ImportStateCheck: importChecked(env.expectOneGET())},
			{ResourceName: testResource, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "sales",
				PreConfig: env.resetLog,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					env.expectOneGET(),
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("number"), knownvalue.StringExact("sales")),
				}}},
			{ResourceName: testResource, ImportState: true, ImportStateId: "marketing",
				ExpectError: wordsRegexp(`Unknown Import ID.*"marketing" is neither a name.*holds the numbers "sales" and a default number (api_key) with fingerprint ` +
					client.Fingerprint(defaultKey))},
			{ResourceName: testResource, ImportState: true, ImportStateId: "0123456789abcdef", ImportStateKind: resource.ImportBlockWithID,
				ExpectError: wordsRegexp(`Unknown Import ID.*"0123456789abcdef"`)},
		},
	})
}

// expectOneGET checks that the fake answered exactly one GET since the
// last resetLog. An import step runs no Check: pass it as ImportStateCheck
// (importChecked) or among the ImportPlanChecks.
func (e *accEnv) expectOneGET() fakeCheck {
	return func() error {
		got := 0
		for _, r := range e.fake.Requests() {
			if r.Method == http.MethodGet {
				got++
			}
		}
		if got != 1 {
			return fmt.Errorf("GET requests: got %d, want 1", got)
		}
		return nil
	}
}

// TestAccNumbers_importGenerateConfig writes HCL with `plan
// -generate-config-out` for numbers that exist outside Terraform: `number =
// "sales"` for one imported by name, no number for the default number
// imported by its fingerprint.
func TestAccNumbers_importGenerateConfig(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	defaultKey, salesKey := testKey(t, "default"), testKey(t, "sales")
	for _, key := range []string{defaultKey, salesKey} {
		env.seed(key, true, map[string]dest{"analytics": analytics, "crm": {URL: crm.URL}})
	}
	for _, tc := range []struct {
		id     string
		number knownvalue.Check
	}{
		{"sales", knownvalue.StringExact("sales")},
		{client.Fingerprint(defaultKey), knownvalue.Null()},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				ResourceName:           testResource,
				ImportState:            true,
				ImportStateKind:        resource.ImportBlockWithID,
				ImportStateId:          tc.id,
				GenerateConfig:         true,
				ImportStateConfigExact: true,
				// The exact config must name the provider's source itself: OpenTofu
				// would otherwise look for it in its own registry.
				Config: requiredProvidersHCL + env.providerWithNumbers(defaultKey, map[string]string{"sales": salesKey}) +
					fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", testResource, tc.id),
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("number"), tc.number),
					plancheck.ExpectKnownValue(testResource, tfjsonpath.New("destinations").AtMapKey("crm").AtMapKey("url"),
						knownvalue.StringExact(crm.URL)),
				}},
			}},
		})
	}
}

// TestAccNumbers_missingDefaultKey reports, at plan time and on the number
// attribute, a resource that uses the default number when the provider has
// no api_key, and says where to set one.
func TestAccNumbers_missingDefaultKey(t *testing.T) {
	t.Setenv(EnvAPIKey, "")
	env := newAccEnv(t, fakeapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.providerBlock("") + multiWebhookHCL(map[string]dest{"crm": crm}),
			PlanOnly:    true,
			ExpectError: wordsRegexp(`Missing 360dialog API Key.*default number.*api_key in the provider block or the D360_API_KEY environment variable`),
		}},
	})
	env.expectNoRequests()
}

// TestAccNumbers_emptyAPIKeyIsNoKey sets api_key = "" while D360_API_KEY
// holds another number's key: the empty key means no default number, and
// is never silently replaced by the environment's key.
func TestAccNumbers_emptyAPIKeyIsNoKey(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	t.Setenv(EnvAPIKey, testKey(t, "other"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      strings.Replace(env.providerBlock(""), "}", "  api_key  = \"\"\n}", 1) + multiWebhookHCL(map[string]dest{"crm": crm}),
			PlanOnly:    true,
			ExpectError: wordsRegexp(`Missing 360dialog API Key.*default number`),
		}},
	})
	env.expectNoRequests()
}
