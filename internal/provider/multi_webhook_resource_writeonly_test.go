package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// writeOnlyCLIs are the CLIs with write-only attributes.
var writeOnlyCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.11.0")))}

// expectPlainHeaders checks the plain headers the state records for one
// destination: never a write-only value.
func expectPlainHeaders(dest string, headers map[string]string) statecheck.StateCheck {
	checks := map[string]knownvalue.Check{}
	for k, v := range headers {
		checks[k] = knownvalue.StringExact(v)
	}
	return statecheck.ExpectKnownValue(testResource, tfjsonpath.New("destinations").AtMapKey(dest).AtMapKey("headers"), knownvalue.MapExact(checks))
}

// expectDigestsOf checks which write-only headers the state has digests for.
func expectDigestsOf(dest string, names ...string) statecheck.StateCheck {
	checks := map[string]knownvalue.Check{}
	for _, n := range names {
		checks[n] = knownvalue.StringRegexp(hexDigest)
	}
	return statecheck.ExpectKnownValue(testResource, tfjsonpath.New("headers_wo_digests").AtMapKey(dest), knownvalue.MapExact(checks))
}

// TestAccWriteOnly_lifecycle creates a destination whose Authorization is
// write-only and walks every case where a write-only value must still
// show: a change in the configuration, a change made outside Terraform, a
// rotated key, and a header moved between headers and headers_wo; each with
// the fewest calls and no value in the state.
func TestAccWriteOnly_lifecycle(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key, rotated := testKey(t, "a"), testKey(t, "rotated")
	token1, token2, drifted := "Bearer "+randomSecret(t, "one"), "Bearer "+randomSecret(t, "two"), "Bearer "+randomSecret(t, "drift")
	cfg := func(k string, d dest) string {
		return env.providerWithNumbers("", map[string]string{"sales": k}) + multiWebhookHCL(map[string]dest{"crm": d}, `number = "sales"`)
	}
	withToken := func(token string) dest {
		return dest{URL: crm.URL, Headers: map[string]string{"X-Env": "prod"}, HeadersWO: map[string]string{"Authorization": token}}
	}
	applied := func(token string) map[string]dest {
		return map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"X-Env": "prod", "Authorization": token}}}
	}
	noValueInState := []statecheck.StateCheck{expectPlainHeaders("crm", map[string]string{"X-Env": "prod"}), expectDigestsOf("crm", "Authorization")}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             env.checkDestroyed(rotated),
		Steps: []resource.TestStep{
			{ // Create: one POST carrying the union of headers and headers_wo.
				PreConfig: env.resetLog, Config: cfg(key, withToken(token1)),
				ConfigStateChecks: append(noValueInState, fakeChecks(env.expectCalls(map[string]int{"POST": 1}), env.expectFake(key, applied(token1)))),
			},
			{ // Unchanged: an empty plan, no call.
				PreConfig: env.resetLog, Config: cfg(key, withToken(token1)),
				ConfigPlanChecks:  emptyPlan(),
				ConfigStateChecks: []statecheck.StateCheck{env.expectCalls(nil)},
			},
			{ // A new write-only value: the plan shows its digest change; one PATCH.
				PreConfig: env.resetLog, Config: cfg(key, withToken(token2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					expectDigestChange("crm", "Authorization"),
				}},
				ConfigStateChecks: append(noValueInState, fakeChecks(env.expectCalls(map[string]int{"PATCH": 1}), env.expectFake(key, applied(token2)))),
			},
			{ // Changed outside Terraform: the plan shows it, the apply repairs it with one PATCH.
				PreConfig: func() { env.seed(key, true, applied(drifted)); env.resetLog() },
				Config:    cfg(key, withToken(token2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					expectDigestChange("crm", "Authorization"),
				}},
				ConfigStateChecks: append(noValueInState, fakeChecks(env.expectCalls(map[string]int{"PATCH": 1}), env.expectFake(key, applied(token2)))),
			},
			{ // Repaired: empty again.
				PreConfig: env.resetLog, Config: cfg(key, withToken(token2)), ConfigPlanChecks: emptyPlan(),
			},
			{ // A rotated key: only id changes; the digests are recomputed with the new key, no call.
				PreConfig: func() { env.seed(rotated, true, applied(token2)); env.resetLog() },
				Config:    cfg(rotated, withToken(token2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
					expectOnlyIDChanges{},
				}},
				ConfigStateChecks: append(noValueInState, env.expectCalls(nil)),
			},
			{ // Authorization moves to headers with its value: a plan, and no call.
				PreConfig: env.resetLog,
				Config:    cfg(rotated, dest{URL: crm.URL, Headers: map[string]string{"X-Env": "prod", "Authorization": token2}}),
				ConfigStateChecks: []statecheck.StateCheck{
					expectPlainHeaders("crm", map[string]string{"X-Env": "prod", "Authorization": token2}),
					statecheck.ExpectKnownValue(testResource, tfjsonpath.New("headers_wo_digests"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					env.expectCalls(nil),
				},
			},
			{ // And back, with a new value at the same time: one PATCH.
				PreConfig: env.resetLog, Config: cfg(rotated, withToken(token1)),
				ConfigStateChecks: append(noValueInState, fakeChecks(env.expectCalls(map[string]int{"PATCH": 1}), env.expectFake(rotated, applied(token1)))),
			},
		},
	})
}

// emptyPlan expects a plan without changes.
func emptyPlan() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// TestAccWriteOnly_import imports a number whose configuration declares
// a write-only header: the first plan shows an update (import cannot know
// which headers are write-only), and its apply makes no call and leaves no
// header value in the state.
func TestAccWriteOnly_import(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	key := testKey(t, "a")
	token := "Bearer " + randomSecret(t, "token")
	env.seed(key, true, map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"Authorization": token}}})
	config := env.providerWithNumbers("", map[string]string{"sales": key}) + "import {\n  to = d360_multi_webhook.test\n  id = \"sales\"\n}\n" +
		multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL, HeadersWO: map[string]string{"Authorization": token}}}, `number = "sales"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   writeOnlyCLIs,
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetLog,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectPlainHeaders("crm", map[string]string{}), expectDigestsOf("crm", "Authorization"), env.expectCalls(nil),
				},
			},
			{Config: config, ConfigPlanChecks: emptyPlan()},
		},
	})
}

// TestAccWriteOnly_refusedBefore111 sets headers_wo on a CLI without
// write-only attributes: a clear error at plan time, and no request.
func TestAccWriteOnly_refusedBefore111(t *testing.T) {
	env := newAccEnv(t, fakeapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipAbove(version.Must(version.NewVersion("1.10.99")))},
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(testKey(t, "a")) + multiWebhookHCL(map[string]dest{"crm": {URL: crm.URL, HeadersWO: map[string]string{"Authorization": "x"}}}),
			ExpectError: wordsRegexp(`WriteOnly Attribute Not Allowed.*headers_wo.*Terraform 1.11`),
		}},
	})
	env.expectNoRequests()
}

// hexDigest is the shape of a write-only header digest.
var hexDigest = regexp.MustCompile(`^[0-9a-f]{16}$`)

// expectDigestChange is a plan check: the digest of one write-only header
// differs between the prior state and the plan.
func expectDigestChange(dest, header string) plancheck.PlanCheck {
	return planChangeCheck(func(before, after map[string]any) error {
		b, a := digestIn(before, dest, header), digestIn(after, dest, header)
		if b == "" || a == "" || a == b {
			return fmt.Errorf("digest of %s.%s: before %q, after %q; want two different digests", dest, header, b, a)
		}
		return nil
	})
}

// digestIn reads headers_wo_digests[dest][header] from a plan's values.
func digestIn(values map[string]any, dest, header string) string {
	digests, _ := values["headers_wo_digests"].(map[string]any)
	inner, _ := digests[dest].(map[string]any)
	s, _ := inner[header].(string)
	return s
}

// expectOnlyIDChanges is a plan check: the change of the test resource
// touches id and nothing else.
type expectOnlyIDChanges struct{}

func (expectOnlyIDChanges) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	planChangeCheck(func(before, after map[string]any) error {
		if before["id"] == after["id"] {
			return fmt.Errorf("id did not change: %v", before["id"])
		}
		for k := range after {
			if k != "id" && !reflect.DeepEqual(before[k], after[k]) {
				return fmt.Errorf("attribute %s changed too", k)
			}
		}
		return nil
	}).CheckPlan(ctx, req, resp)
}

// planChangeCheck adapts a check of the test resource's before and after
// values to a plan check.
type planChangeCheck func(before, after map[string]any) error

func (f planChangeCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == testResource && rc.Change != nil {
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			resp.Error = f(before, after)
			return
		}
	}
	resp.Error = fmt.Errorf("%s: no resource change in plan", testResource)
}
