package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// mutatingMethods are the calls that change a number; tests assert their
// exact counts against the minimum of DESIGN.md ("From plan to API calls").
var mutatingMethods = []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// accEnv is one fake 360dialog API on loopback, private to one test, plus
// the provider factories that talk to it.
type accEnv struct {
	t    *testing.T
	fake *fakeapi.Server
	url  string
}

// newAccEnv starts a fake API for one test. A small settle delay keeps the
// asynchrony real while the suite stays fast.
func newAccEnv(t *testing.T, opts fakeapi.Options) *accEnv {
	t.Helper()
	if opts.SettleDelay == 0 {
		opts.SettleDelay = 30 * time.Millisecond
		opts.SettleJitter = 10 * time.Millisecond
	}
	fake := fakeapi.New(opts)
	return newAccEnvWithHandler(t, fake, fake)
}

// newAccEnvWithHandler serves handler (a wrapper of fake) instead of fake.
func newAccEnvWithHandler(t *testing.T, fake *fakeapi.Server, handler http.Handler) *accEnv {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &accEnv{t: t, fake: fake, url: srv.URL}
}

// factories serves the provider in-process with fast retries and polling.
func (e *accEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"d360": providerserver.NewProtocol6WithError(&d360Provider{version: "test", clientOptions: fastClient}),
	}
}

// fastClient shortens waits so acceptance tests take seconds, not minutes.
func fastClient(o *client.Options) {
	o.Retry = client.RetryPolicy{MaxAttempts: 8, WaitMin: 5 * time.Millisecond, WaitMax: 100 * time.Millisecond,
		RetryAfterMax: 3 * time.Second}
	o.Poll = client.PollPolicy{Initial: 10 * time.Millisecond, Factor: 1.5, Max: 100 * time.Millisecond, Jitter: 0.1}
}

// providerBlock configures the provider against the fake, with key as the
// default number's API key ("" for none).
func (e *accEnv) providerBlock(key string) string {
	return e.providerWithNumbers(key, nil)
}

// providerWithNumbers configures the provider against the fake with a
// default key ("" for none) and a numbers map (nil for none).
func (e *accEnv) providerWithNumbers(key string, numbers map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"d360\" {\n  base_url = %q\n", e.url)
	if key != "" {
		fmt.Fprintf(&b, "  api_key  = %q\n", key)
	}
	if numbers != nil {
		b.WriteString("  numbers = {\n")
		for _, name := range slices.Sorted(maps.Keys(numbers)) {
			fmt.Fprintf(&b, "    %q = %q\n", name, numbers[name])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dest is a destination in test configurations and expectations, short
// for the many tables that list them; HeadersWO is configuration only.
type dest = hclconfig.Destination

// multiWebhookHCL renders a d360_multi_webhook.test block; extra lines
// (such as `enabled = false`) go inside it.
func multiWebhookHCL(dests map[string]dest, extra ...string) string {
	return hclconfig.MultiWebhook("test", dests, extra...)
}

// resetLog starts counting calls afresh; use it as a step's PreConfig.
func (e *accEnv) resetLog() { e.fake.ResetLog() }

// fakeCheck adapts a check of the fake's side to a state check, so it runs
// with the other ConfigStateChecks after each apply.
type fakeCheck func() error

var _ statecheck.StateCheck = fakeCheck(nil)

func (f fakeCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

var _ plancheck.PlanCheck = fakeCheck(nil)

// CheckPlan runs the check as a plan check, for import blocks, whose
// steps have plan checks only.
func (f fakeCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// importChecked runs a fake-side check as the ImportStateCheck of a
// `terraform import` step, which runs no Check.
func importChecked(check fakeCheck) resource.ImportStateCheckFunc {
	return func([]*terraform.InstanceState) error { return check() }
}

// fakeChecks combines fake-side checks into one.
func fakeChecks(checks ...fakeCheck) fakeCheck {
	return func() error {
		for _, c := range checks {
			if err := c(); err != nil {
				return err
			}
		}
		return nil
	}
}

// expectCalls checks the exact number of mutating calls the fake answered
// since the last resetLog, whatever the answer: a refused call is a call.
// Methods not listed must not have been called.
func (e *accEnv) expectCalls(want map[string]int) fakeCheck {
	return func() error { return e.checkCalls(want, false) }
}

// expectAcceptedCalls is expectCalls counting only 2xx answers, for tests
// that inject failures: a failed attempt there is not a change.
func (e *accEnv) expectAcceptedCalls(want map[string]int) fakeCheck {
	return func() error { return e.checkCalls(want, true) }
}

func (e *accEnv) checkCalls(want map[string]int, acceptedOnly bool) error {
	got := e.mutations(acceptedOnly)
	for _, m := range mutatingMethods {
		if got[m] != want[m] {
			return fmt.Errorf("mutating calls: got %s, want %s", formatCounts(got), formatCounts(want))
		}
	}
	return nil
}

// mutations counts mutating calls per method, all or only the accepted.
func (e *accEnv) mutations(acceptedOnly bool) map[string]int {
	counts := map[string]int{}
	for _, r := range e.fake.Requests() {
		accepted := r.Status >= 200 && r.Status < 300
		if r.Method != http.MethodGet && (accepted || !acceptedOnly) {
			counts[r.Method]++
		}
	}
	return counts
}

// mutationOrder lists the accepted mutating calls as "METHOD path" in order.
func (e *accEnv) mutationOrder() []string {
	var out []string
	for _, r := range e.fake.Requests() {
		if r.Method != http.MethodGet && r.Status >= 200 && r.Status < 300 {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func formatCounts(c map[string]int) string {
	var parts []string
	for _, m := range mutatingMethods {
		if c[m] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", m, c[m]))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// expectFake checks that key's number in the fake is enabled with exactly
// dests, settled.
func (e *accEnv) expectFake(key string, dests map[string]dest) fakeCheck {
	return func() error { return e.checkFake(key, true, dests) }
}

func (e *accEnv) checkFake(key string, enabled bool, dests map[string]dest) error {
	st := e.fake.State(key)
	if st.Enabled != enabled {
		return fmt.Errorf("fake number %s: enabled = %t, want %t", fakeapi.Fingerprint(key), st.Enabled, enabled)
	}
	if want := fakeDestinations(dests); !fakeapi.SameDestinations(st.Destinations, want) {
		return fmt.Errorf("fake number %s: destinations = %s, want %s", fakeapi.Fingerprint(key),
			fakeapi.DescribeDestinations(st.Destinations), fakeapi.DescribeDestinations(want))
	}
	return nil
}

// seed puts an existing configuration on a number, as if made elsewhere.
func (e *accEnv) seed(key string, enabled bool, dests map[string]dest) {
	e.fake.SetState(key, fakeapi.State{Enabled: enabled, Destinations: fakeDestinations(dests)})
}

// fakeDestinations is dests as the fake holds them, sorted by name. Only
// headers count: the fake keeps no distinction between plain and
// write-only headers, so an expectation lists their union in headers.
func fakeDestinations(dests map[string]dest) []fakeapi.Destination {
	out := make([]fakeapi.Destination, 0, len(dests))
	for _, name := range slices.Sorted(maps.Keys(dests)) {
		d := dests[name]
		out = append(out, fakeapi.Destination{Name: name, URL: d.URL, Headers: d.Headers})
	}
	return out
}

// expectNoRequests fails the test if the fake saw any request at all.
func (e *accEnv) expectNoRequests() {
	e.t.Helper()
	if reqs := e.fake.Requests(); len(reqs) > 0 {
		e.t.Errorf("expected zero API requests, got %d (first: %s %s)", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// checkDestroyed verifies destroy left key's number disabled and empty.
func (e *accEnv) checkDestroyed(keys ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, key := range keys {
			if err := e.checkFake(key, false, map[string]dest{}); err != nil {
				return fmt.Errorf("after destroy: %w", err)
			}
		}
		return nil
	}
}

// expectBefore is a plan check on the prior state of a resource change:
// the destinations it records before the apply, by name.
type expectBefore struct {
	address string
	names   []string
}

var _ plancheck.PlanCheck = expectBefore{}

func (c expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address || rc.Change == nil {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		dests, _ := before["destinations"].(map[string]any)
		got := slices.Sorted(maps.Keys(dests))
		if !slices.Equal(got, c.names) {
			resp.Error = fmt.Errorf("%s: prior state destinations = %v, want %v", c.address, got, c.names)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: no resource change in plan", c.address)
}
