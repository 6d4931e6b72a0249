package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/lifecycle"
)

// reading is one answer 360dialog's documentation allows where it is
// silent, as the fake plays it (DESIGN.md, What the documentation leaves
// open).
type reading struct {
	name string
	set  func(*fakeapi.Options)
	// calls overrides, by step, the mutating calls the lifecycles make
	// under this reading; other steps make lifecycleCalls's.
	calls map[string]map[string]int
}

// lifecycleCalls are the mutating calls each step of the lifecycles makes
// under the fake's default readings: the fewest the step allows.
var lifecycleCalls = map[string]map[string]int{
	lifecycle.StepCreate:               {"POST": 1},
	lifecycle.StepChange:               {"PATCH": 1},
	lifecycle.StepRemoveHeader:         {"PATCH": 1},
	lifecycle.StepDrift:                {"PATCH": 1},
	lifecycle.StepRemoveOne:            {"DELETE": 1},
	lifecycle.StepNoDestinations:       {"DELETE": 1},
	lifecycle.StepDisable:              {"POST": 1},
	lifecycle.StepEnable:               {"POST": 1},
	lifecycle.StepWebhookCreate:        {"POST": 1},
	lifecycle.StepWebhookAddHeaders:    {"POST": 1},
	lifecycle.StepWebhookDrift:         {"POST": 1},
	lifecycle.StepWebhookChangeURL:     {"POST": 1},
	lifecycle.StepWebhookRemoveHeaders: {"POST": 1},
}

// readings lists the fake's default readings, every other reading of each
// switch (fakeapi.Readings, so that a reading added to the fake is played
// here), and changes visible at once.
func readings() []reading {
	out := []reading{{name: "defaults", set: func(*fakeapi.Options) {}}}
	for _, r := range fakeapi.Readings() {
		out = append(out, reading{name: r.String(), set: r.Apply})
	}
	out = append(out, reading{name: "SettleDelay=0", set: func(o *fakeapi.Options) { o.SettleDelay, o.SettleJitter = 0, 0 }})
	for i := range out {
		if out[i].name == "PatchHeaders=merge" {
			// The PATCH that only removes a header looks unchanged; after
			// the wait's patience the destination is recreated.
			out[i].calls = map[string]map[string]int{lifecycle.StepRemoveHeader: {"PATCH": 1, "DELETE": 1, "PUT": 1}}
		}
	}
	return out
}

// TestAccReadings walks the lifecycle of both resources through Terraform
// under every reading of what 360dialog's documentation leaves open: each
// step must end with the number as declared and an empty plan, within its
// timeout, with the fewest calls that reading allows. Terraform 1.11 is
// enough for the matrix; OpenTofu runs the rest of the suite.
func TestAccReadings(t *testing.T) {
	if info := clitest.Info(t); info.OpenTofu {
		t.Skipf("the matrix of readings runs on Terraform only (this is %s)", info)
	}
	for _, r := range readings() {
		t.Run(strings.ReplaceAll(r.name, "/", "-"), func(t *testing.T) {
			t.Parallel()
			opts := fakeapi.Options{SettleDelay: readingSettle, SettleJitter: readingSettle / 3}
			r.set(&opts)
			fake := fakeapi.New(opts)
			env := newAccEnvWithHandler(t, fake, fake)
			target := env.lifecycleTarget(t, r)
			resource.Test(t, lifecycle.MultiWebhook(t, target))
			resource.Test(t, lifecycle.Webhook(t, target))
		})
	}
}

// readingSettle is the fake's settle delay in the matrix, unless the
// reading is "visible at once".
const readingSettle = 30 * time.Millisecond // as newAccEnv's

// lifecycleTarget is the number of key in env, with the call counts r
// allows checked after each step.
func (e *accEnv) lifecycleTarget(t *testing.T, r reading) lifecycle.Target {
	key := testKey(t, "readings")
	c, err := client.New(client.Options{BaseURL: e.url})
	if err != nil {
		t.Fatal(err)
	}
	return lifecycle.Target{
		Factories:  e.factories(),
		Provider:   e.providerWithNumbers("", map[string]string{"lifecycle": key}),
		Number:     "lifecycle",
		ImportID:   "lifecycle",
		API:        c.Number(key),
		URL:        "https://hooks.example.com/wa",
		WebhookURL: "https://app.example.com/wa",
		Prefix:     "tfacc-",
		Wait:       10 * time.Second,
		Before:     func(string) { e.resetLog() },
		After: func(step string) statecheck.StateCheck {
			want, ok := r.calls[step]
			if !ok {
				want = lifecycleCalls[step]
			}
			return e.expectCalls(want)
		},
	}
}
