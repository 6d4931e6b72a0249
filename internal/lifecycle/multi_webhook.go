package lifecycle

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// MultiWebhookAddress is the resource the multi-webhook lifecycle manages.
const MultiWebhookAddress = "d360_multi_webhook.lifecycle"

// The steps of the multi-webhook lifecycle, by the names the hooks get.
const (
	StepCreate         = "create"
	StepChange         = "change a url and headers"
	StepRemoveHeader   = "remove one header"
	StepDrift          = "repair drift"
	StepRemoveOne      = "remove a destination"
	StepNoDestinations = "no destinations while enabled"
	StepDisable        = "disable"
	StepEnable         = "enable"
	StepImport         = "import"
)

// applied is d, called name, as 360dialog holds it: its headers and
// write-only headers in one map.
func applied(name string, d hclconfig.Destination) client.Destination {
	headers := maps.Clone(d.Headers)
	if headers == nil {
		headers = map[string]string{}
	}
	maps.Copy(headers, d.HeadersWO)
	return client.Destination{Name: name, URL: d.URL, Headers: headers}
}

// multiWebhookHCL renders the lifecycle's d360_multi_webhook.
func (t Target) multiWebhookHCL(enabled bool, dests map[string]hclconfig.Destination) string {
	var attrs []string
	if t.Number != "" {
		attrs = append(attrs, fmt.Sprintf("number = %q", t.Number))
	}
	if !enabled {
		attrs = append(attrs, "enabled = false")
	}
	return hclconfig.MultiWebhook("lifecycle", dests, attrs...)
}

// MultiWebhook is the multi-webhook lifecycle: create two destinations (one
// with a write-only header); change a url and headers; remove one header;
// repair drift made through the API; remove a destination; keep the
// feature enabled with no destinations; disable; enable; import; destroy.
// After each apply, GET must show exactly what the configuration declares.
func MultiWebhook(tb testing.TB, t Target) resource.TestCase {
	a, b := t.Prefix+"a", t.Prefix+"b"
	secret := t.Prefix + "write-only-value"
	destA := hclconfig.Destination{URL: t.URL + "/a", Headers: map[string]string{"X-Tfacc": "1", "X-Tfacc-Gone": "1"},
		HeadersWO: map[string]string{"Authorization": "Bearer " + secret + "-1"}}
	destB := hclconfig.Destination{URL: t.URL + "/b"}
	changed := hclconfig.Destination{URL: t.URL + "/a2", Headers: map[string]string{"X-Tfacc": "2", "X-Tfacc-Gone": "1"},
		HeadersWO: map[string]string{"Authorization": "Bearer " + secret + "-2"}}
	fewer := changed
	fewer.Headers = map[string]string{"X-Tfacc": "2"}
	two := map[string]hclconfig.Destination{a: changed, b: destB}
	steps := []step{
		t.multiStep(StepCreate, true, map[string]hclconfig.Destination{a: destA, b: destB}, resource.ConfigPlanChecks{}),
		t.multiStep(StepChange, true, two, expectUpdate(MultiWebhookAddress)),
		t.multiStep(StepRemoveHeader, true, map[string]hclconfig.Destination{a: fewer, b: destB}, expectUpdate(MultiWebhookAddress)),
		t.driftStep(map[string]hclconfig.Destination{a: fewer, b: destB}, b),
		t.multiStep(StepRemoveOne, true, map[string]hclconfig.Destination{a: fewer}, expectUpdate(MultiWebhookAddress)),
		t.multiStep(StepNoDestinations, true, map[string]hclconfig.Destination{}, expectUpdate(MultiWebhookAddress)),
		t.multiStep(StepDisable, false, map[string]hclconfig.Destination{a: fewer}, expectUpdate(MultiWebhookAddress)),
		t.multiStep(StepEnable, true, map[string]hclconfig.Destination{a: fewer}, expectUpdate(MultiWebhookAddress)),
		t.importStep(StepImport, MultiWebhookAddress, t.multiWebhookHCL(true, map[string]hclconfig.Destination{a: fewer})),
	}
	return t.testCase(tb, steps, destroyCheck(t.expectMultiWebhook(false, nil)))
}

// multiStep applies a configuration and checks that GET shows it.
func (t Target) multiStep(name string, enabled bool, dests map[string]hclconfig.Destination, plan resource.ConfigPlanChecks) step {
	return step{name: name, config: t.multiWebhookHCL(enabled, dests), step: resource.TestStep{
		ConfigPlanChecks:  plan,
		ConfigStateChecks: []statecheck.StateCheck{t.expectMultiWebhook(enabled, dests)},
	}}
}

// driftStep changes destination name's url through the API, then applies
// the unchanged configuration: the plan must show the drift, and the apply
// must repair it.
func (t Target) driftStep(dests map[string]hclconfig.Destination, name string) step {
	s := t.multiStep(StepDrift, true, dests, expectUpdate(MultiWebhookAddress))
	drifted := applied(name, dests[name])
	drifted.URL += "-drift"
	s.pre = func() error {
		ctx := context.Background()
		if err := t.API.PatchDestination(ctx, drifted); err != nil {
			return fmt.Errorf("making drift: %w", err)
		}
		return t.waitForMultiWebhook(ctx, "the drift to show", func(c *client.MultiWebhook) bool {
			got, ok := c.Find(name)
			return ok && got.URL == drifted.URL
		})
	}
	return s
}

// importStep imports the number into a fresh state through an import
// block. The plan that follows may update the resource (import cannot know
// which headers the configuration keeps write-only), and must not replace
// it.
func (t Target) importStep(name, address, config string) step {
	return step{name: name, config: config, step: resource.TestStep{
		ResourceName: address, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: t.ImportID,
		ExpectNonEmptyPlan: true,
		ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
		}},
	}}
}

// expectMultiWebhook checks that GET shows the number enabled or not and,
// when enabled, with exactly dests.
func (t Target) expectMultiWebhook(enabled bool, dests map[string]hclconfig.Destination) checkFunc {
	return func(ctx context.Context) error {
		cfg, err := t.API.GetMultiWebhook(ctx)
		if err != nil {
			return fmt.Errorf("reading the number: %w", err)
		}
		if cfg.Enabled != enabled {
			return fmt.Errorf("GET shows enabled = %t, want %t", cfg.Enabled, enabled)
		}
		if !enabled {
			return nil
		}
		return compareDestinations(cfg, dests)
	}
}

// compareDestinations says, without any url or header value, how cfg
// differs from dests.
func compareDestinations(cfg *client.MultiWebhook, dests map[string]hclconfig.Destination) error {
	var problems []string
	for name, d := range dests {
		want := applied(name, d)
		got, ok := cfg.Find(name)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%q is missing", name))
		case got.URL != want.URL:
			problems = append(problems, fmt.Sprintf("%q has another url", name))
		case !maps.Equal(got.Headers, want.Headers):
			problems = append(problems, describeHeaders(name, got.Headers, want.Headers))
		}
	}
	for _, got := range cfg.Destinations {
		if _, ok := dests[got.Name]; !ok {
			problems = append(problems, fmt.Sprintf("%q is not declared", got.Name))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("GET shows other destinations: %s", strings.Join(problems, "; "))
	}
	return nil
}

// describeHeaders says how a destination's headers differ: by their
// names, never their values, which are secrets.
func describeHeaders(name string, got, want map[string]string) string {
	gotNames, wantNames := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))
	if slices.Equal(gotNames, wantNames) {
		return fmt.Sprintf("%q has other header values", name)
	}
	return fmt.Sprintf("%q has headers %v, want %v", name, gotNames, wantNames)
}
