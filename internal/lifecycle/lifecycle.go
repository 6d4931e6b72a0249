// Package lifecycle is the lifecycle of each resource as acceptance tests
// walk it through a real CLI: create, change, drift, removals, disable,
// enable, import and destroy. The switch matrix runs it against the fake
// under every reading of what 360dialog's documentation leaves open, and
// the live suite runs it against 360dialog itself, so both check the same
// steps. It reaches the number through the public API only: drift is made
// and results are checked with the API's own calls.
package lifecycle

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// Target is the number a lifecycle runs on, and how to reach it.
type Target struct {
	Factories map[string]func() (tfprotov6.ProviderServer, error)
	Provider  string         // the provider block, holding the number's key
	Number    string         // the resources' number attribute; "" for the provider's default number
	ImportID  string         // the number's import ID: its name or its key's fingerprint
	API       *client.Number // the number, through the public API
	URL       string         // https URL the destinations point under
	// WebhookURL is the primary webhook's URL while the lifecycle runs;
	// the steps add a query parameter to it.
	WebhookURL string
	Prefix     string        // every destination name starts with it
	Wait       time.Duration // bound of the lifecycle's own waits (drift becoming visible)
	// Before, when set, runs before each step's plan, after the drift the
	// step makes; After, when set, adds a check to each step's state
	// checks (the matrix counts calls there).
	Before func(step string)
	After  func(step string) statecheck.StateCheck
}

// writeOnlyCLIs are the CLIs with write-only attributes, which the
// lifecycles use.
var writeOnlyCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.11.0")))}

// step is one step of a lifecycle before the target's hooks are added.
type step struct {
	name   string
	config string
	pre    func() error // runs before the plan, before Before (drift the step must repair)
	step   resource.TestStep
}

// testStep adds the target's hooks and the step's configuration to s.
func (t Target) testStep(tb testing.TB, s step) resource.TestStep {
	ts := s.step
	ts.Config = t.Provider + s.config
	ts.PreConfig = func() {
		if s.pre != nil {
			if err := s.pre(); err != nil {
				tb.Fatalf("step %q: %v", s.name, err)
			}
		}
		if t.Before != nil {
			t.Before(s.name)
		}
	}
	if t.After != nil && !ts.ImportState {
		ts.ConfigStateChecks = append(ts.ConfigStateChecks, t.After(s.name))
	}
	return ts
}

// testCase assembles a TestCase of steps.
func (t Target) testCase(tb testing.TB, steps []step, checkDestroy resource.TestCheckFunc) resource.TestCase {
	tc := resource.TestCase{
		ProtoV6ProviderFactories: t.Factories,
		TerraformVersionChecks:   writeOnlyCLIs,
		CheckDestroy:             checkDestroy,
	}
	for _, s := range steps {
		tc.Steps = append(tc.Steps, t.testStep(tb, s))
	}
	return tc
}

// checkFunc adapts a check of the number to a state check, so that it runs
// after the apply with the other state checks.
type checkFunc func(context.Context) error

var _ statecheck.StateCheck = checkFunc(nil)

// CheckState runs the check.
func (f checkFunc) CheckState(ctx context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx)
}

// destroyCheck adapts a check of the number to a CheckDestroy.
func destroyCheck(f checkFunc) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return f(ctx)
	}
}

// expectUpdate is the plan check of a step whose plan updates address in
// place.
func expectUpdate(address string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}}
}

// waitForMultiWebhook waits, at most t.Wait, until GET /multi_webhook
// shows what done wants, with the client's own waiter.
func (t Target) waitForMultiWebhook(ctx context.Context, what string, done func(*client.MultiWebhook) bool) error {
	ctx, cancel := context.WithTimeout(ctx, t.Wait)
	defer cancel()
	_, _, err := t.API.WaitForMultiWebhook(ctx, what, client.SettledWhen(done))
	return err
}

// waitForWebhook waits as waitForMultiWebhook does, on the primary webhook.
func (t Target) waitForWebhook(ctx context.Context, what string, done func(*client.Webhook) bool) error {
	ctx, cancel := context.WithTimeout(ctx, t.Wait)
	defer cancel()
	_, _, err := t.API.WaitForWebhook(ctx, what, client.SettledWhen(done))
	return err
}
