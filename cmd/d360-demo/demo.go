package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// demo is the state of one run of the story.
type demo struct {
	out         *printer
	fake        *fakeAPI
	cli         *cliRunner
	mainDir     string // the working directory of steps 1, 2, 3 and 5
	importDir   string // a fresh working directory for step 4
	apiKey      string
	crmToken    string
	fingerprint string // the number's id: the fingerprint of apiKey
	timings     []timing
}

// The destinations of the story: two at first, then three with one URL
// changed, and the value someone sets behind Terraform's back.
var (
	twoDestinations = []destination{
		{name: "crm", url: "https://crm.example.com/whatsapp", authorized: true},
		{name: "analytics", url: "https://analytics.example.com/wa"},
	}
	threeDestinations = []destination{
		{name: "crm", url: "https://crm.example.com/whatsapp", authorized: true},
		{name: "analytics", url: "https://analytics.example.com/v2/wa"},
		{name: "alerts", url: "https://alerts.example.com/wa"},
	}
	driftedAnalytics = fakeapi.Destination{Name: "analytics", URL: "https://legacy-analytics.example.com/wa", Headers: map[string]string{}}
)

// newDemo creates the working directories, a random demo key and CRM
// token, and the CLI runner that passes them through the environment.
func newDemo(out *printer, fk *fakeAPI, cliPath, tmp, providerDir string) (*demo, error) {
	d := &demo{
		out: out, fake: fk,
		mainDir:   filepath.Join(tmp, "main"),
		importDir: filepath.Join(tmp, "imported"),
		apiKey:    "demo-key-" + randomHex(16),
		crmToken:  "demo-token-" + randomHex(16),
	}
	d.fingerprint = fingerprint(d.apiKey)
	for _, dir := range []string{d.mainDir, d.importDir} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	env := map[string]string{"D360_API_KEY": d.apiKey, "D360_BASE_URL": fk.url, "TF_VAR_crm_token": d.crmToken}
	cli, err := newCLIRunner(out, cliPath, tmp, providerDir, env, d.secrets())
	d.cli = cli
	return d, err
}

// secrets are the values that must never be printed or logged.
func (d *demo) secrets() []string {
	return []string{d.apiKey, d.crmToken}
}

// fingerprint is the number's id as the documentation computes it:
// printf %s "$KEY" | sha256sum | cut -c1-16.
func fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:16]
}

// randomHex returns n random bytes in hex, so that every run uses a fresh
// demo key and token.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails, per crypto/rand
	return hex.EncodeToString(b)
}

// intro says what the demo runs against.
func (d *demo) intro(ctx context.Context, settle time.Duration) error {
	version, err := d.cli.version(ctx)
	if err != nil {
		return err
	}
	d.out.heading("terraform-provider-d360 demo")
	d.out.say("CLI:     %s (%s)", version, d.cli.path)
	d.out.say("API:     the fake 360dialog API at %s. Like 360dialog, it answers each change", d.fake.url)
	d.out.say("         with \"Operation has been started...\" and applies it %s later.", settle)
	d.out.say("Number:  a random demo API key in D360_API_KEY, never printed; its id is %s.", d.fingerprint)
	d.out.say("The CLI uses the fresh build through dev_overrides, so it warns about that once per command.")
	return nil
}

// step is one chapter of the story. calls are the changes its commands
// must send, by method: the provider promises the fewest calls; explain
// says what they were.
type step struct {
	title   string
	run     func(context.Context) error
	calls   map[string]int
	explain string
}

// tell runs every step, stopping at the first that misbehaves.
func (d *demo) tell(ctx context.Context) error {
	steps := []step{
		{"Apply two destinations", d.applyTwo, map[string]int{"POST": 1},
			"One POST enabled the feature with both destinations at once. The GETs are refreshes\n" +
				"   and the provider's polls while the change settled."},
		{"Plan a third destination and a changed URL, then apply the plan", d.planAndApply, map[string]int{"PATCH": 1, "PUT": 1},
			"One PATCH for the changed URL, then one PUT adding the new destination, the second\n" +
				"   sent only once GET showed the first."},
		{"Catch and repair a change made behind Terraform's back", d.repairDrift, map[string]int{"PATCH": 1},
			"One PATCH put the URL back."},
		{"Import the number into a fresh state", d.importFresh, map[string]int{},
			"No change was sent: importing only reads."},
		{"Destroy", d.destroy, map[string]int{"DELETE": 3, "POST": 1},
			"One DELETE per destination, each waited for, then one POST disabling the feature."},
	}
	for i, s := range steps {
		d.out.heading("Step %d of %d: %s", i+1, len(steps), s.title)
		start := time.Now()
		if err := d.fake.resetLog(ctx); err != nil {
			return err
		}
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
		if err := d.checkCalls(ctx, s.calls); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
		d.out.say("   %s", s.explain)
		d.timings = append(d.timings, timing{step: fmt.Sprintf("%d. %s", i+1, s.title), took: time.Since(start)})
	}
	return nil
}

// applyTwo creates the resource with two destinations.
func (d *demo) applyTwo(ctx context.Context) error {
	d.out.say("main.tf declares two destinations; the CRM one sends a bearer token from a sensitive variable:")
	if err := d.writeConfig(d.mainDir, twoDestinations); err != nil {
		return err
	}
	d.out.block(mainTF(twoDestinations))
	res, err := d.cli.expect(ctx, d.mainDir, 0, "apply must succeed", "apply", "-auto-approve", "-input=false", "-compact-warnings")
	if err != nil {
		return err
	}
	d.out.say("\napply took %s: it returned only once GET showed the change.", seconds(res.took))
	if err := d.checkFake(ctx, true, twoDestinations); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// planAndApply saves a plan with changes and applies exactly that plan.
func (d *demo) planAndApply(ctx context.Context) error {
	d.out.say("The resource now declares a third destination and a new URL for analytics:")
	if err := d.writeConfig(d.mainDir, threeDestinations); err != nil {
		return err
	}
	d.out.block(resourceBlock(threeDestinations))
	if _, err := d.cli.expect(ctx, d.mainDir, 2, "2 means the plan has changes",
		"plan", "-detailed-exitcode", "-input=false", "-compact-warnings", "-out=tfplan"); err != nil {
		return err
	}
	if _, err := d.cli.expect(ctx, d.mainDir, 0, "applying the saved plan must succeed",
		"apply", "-input=false", "-compact-warnings", "tfplan"); err != nil {
		return err
	}
	if err := d.checkFake(ctx, true, threeDestinations); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// repairDrift changes a destination through the API itself, then shows
// the plan catching it and the apply putting the configuration back.
func (d *demo) repairDrift(ctx context.Context) error {
	d.out.say("Someone with the number's key changes the analytics URL directly, with")
	d.out.say("PATCH /multi_webhook {\"name\": \"analytics\", \"url\": %q}.", driftedAnalytics.URL)
	if err := d.fake.patchDestination(ctx, d.apiKey, driftedAnalytics); err != nil {
		return fmt.Errorf("changing the destination behind Terraform's back: %w", err)
	}
	err := d.fake.waitFor(ctx, d.fingerprint, func(n fakeapi.NumberState) bool {
		got, ok := findDestination(n.Destinations, driftedAnalytics.Name)
		return ok && got.URL == driftedAnalytics.URL
	})
	if err != nil {
		return err
	}
	d.out.say("The change has settled. Counting only Terraform's requests from here on.")
	if err := d.fake.resetLog(ctx); err != nil {
		return err
	}
	res, err := d.cli.expect(ctx, d.mainDir, 2, "2 means the plan has changes: the drift was caught",
		"plan", "-detailed-exitcode", "-input=false", "-compact-warnings")
	if err != nil {
		return err
	}
	if !strings.Contains(res.output, driftedAnalytics.URL) {
		return fmt.Errorf("the plan does not show the drifted URL %s", driftedAnalytics.URL)
	}
	if _, err := d.cli.expect(ctx, d.mainDir, 0, "apply must succeed",
		"apply", "-auto-approve", "-input=false", "-compact-warnings"); err != nil {
		return err
	}
	if err := d.checkFake(ctx, true, threeDestinations); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// importFresh adopts the number in a new working directory with no state,
// with an import block: plan, apply, then a plan that must be empty.
func (d *demo) importFresh(ctx context.Context) error {
	d.out.say("A new working directory with the same main.tf and no state, as in a fresh pipeline,")
	d.out.say("plus an import block. The import ID is the fingerprint of the provider's key:")
	d.out.say("printf %%s \"$D360_API_KEY\" | sha256sum | cut -c1-16  ->  %s", d.fingerprint)
	if err := d.writeConfig(d.importDir, threeDestinations); err != nil {
		return err
	}
	block := importBlock(d.fingerprint)
	if err := os.WriteFile(filepath.Join(d.importDir, "import.tf"), []byte(block), 0o600); err != nil {
		return err
	}
	d.out.block(block)
	res, err := d.cli.expect(ctx, d.importDir, 2, "2 means the plan has changes: the import",
		"plan", "-detailed-exitcode", "-input=false", "-compact-warnings", "-out=tfplan")
	if err != nil {
		return err
	}
	if strings.Contains(res.output, "1 to change") {
		// Terraform, unlike OpenTofu, plans an update when only the
		// sensitivity of a value changes.
		d.out.say("\nThe update in place changes nothing visible: Terraform records in the state that the")
		d.out.say("CRM header comes from a sensitive variable, which an import cannot know. The provider")
		d.out.say("sends no change to 360dialog for it, as the calls below show.")
	}
	if _, err := d.cli.expect(ctx, d.importDir, 0, "applying the import must succeed",
		"apply", "-input=false", "-compact-warnings", "tfplan"); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.importDir)
}

// destroy removes every destination and disables the feature.
func (d *demo) destroy(ctx context.Context) error {
	if _, err := d.cli.expect(ctx, d.mainDir, 0, "destroy must succeed",
		"destroy", "-auto-approve", "-input=false", "-compact-warnings"); err != nil {
		return err
	}
	return d.checkFake(ctx, false, nil)
}

// writeConfig writes main.tf for dests into dir.
func (d *demo) writeConfig(dir string, dests []destination) error {
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF(dests)), 0o600)
}

// expectEmptyPlan fails unless a plan in dir proposes no change.
func (d *demo) expectEmptyPlan(ctx context.Context, dir string) error {
	_, err := d.cli.expect(ctx, dir, 0, "0 means no changes: the state, the configuration and 360dialog agree",
		"plan", "-detailed-exitcode", "-input=false", "-compact-warnings")
	return err
}

// checkFake compares the number's settled configuration at the fake with
// the expectation, and requires that nothing is still pending: the
// provider must not report success before its changes are visible.
func (d *demo) checkFake(ctx context.Context, enabled bool, dests []destination) error {
	n, err := d.fake.number(ctx, d.fingerprint)
	if err != nil {
		return err
	}
	switch {
	case n.Pending > 0:
		return fmt.Errorf("%d changes were still pending at the fake when the command returned", n.Pending)
	case n.Enabled != enabled:
		return fmt.Errorf("the fake shows enabled = %t, want %t", n.Enabled, enabled)
	}
	if err := compareDestinations(n.Destinations, expectedAtFake(dests, d.crmToken)); err != nil {
		return err
	}
	d.out.say("\nChecked: the fake API shows enabled = %t with %s, nothing pending.", enabled, describe(dests))
	return nil
}

// checkCalls shows the requests of the step and compares the changes sent
// with the expected ones. GETs are not compared: their number depends on
// how soon each change settled.
func (d *demo) checkCalls(ctx context.Context, want map[string]int) error {
	st, err := d.fake.stats(ctx)
	if err != nil {
		return err
	}
	d.out.calls(st)
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if st.Methods[m] != want[m] {
			return fmt.Errorf("the provider sent %d %s requests, want %d (expected changes: %s)",
				st.Methods[m], m, want[m], formatCalls(want))
		}
	}
	return nil
}

// compareDestinations reports the first difference between what the fake
// holds and what is expected. It never prints a header value.
func compareDestinations(got []fakeapi.Destination, want map[string]fakeapi.Destination) error {
	names := make([]string, 0, len(got))
	for _, g := range got {
		names = append(names, g.Name)
	}
	slices.Sort(names)
	if wantNames := slices.Sorted(maps.Keys(want)); !slices.Equal(names, wantNames) {
		return fmt.Errorf("the fake holds destinations %v, want %v", names, wantNames)
	}
	for _, g := range got {
		w := want[g.Name]
		if g.URL != w.URL {
			return fmt.Errorf("destination %q has url %s at the fake, want %s", g.Name, g.URL, w.URL)
		}
		if !maps.Equal(g.Headers, w.Headers) {
			return fmt.Errorf("destination %q has other headers at the fake than configured (values not shown)", g.Name)
		}
	}
	return nil
}

// findDestination returns the destination called name.
func findDestination(dests []fakeapi.Destination, name string) (fakeapi.Destination, bool) {
	i := slices.IndexFunc(dests, func(d fakeapi.Destination) bool { return d.Name == name })
	if i < 0 {
		return fakeapi.Destination{}, false
	}
	return dests[i], true
}

// describe names the destinations for a check's confirmation.
func describe(dests []destination) string {
	if len(dests) == 0 {
		return "no destinations"
	}
	names := make([]string, len(dests))
	for i, d := range dests {
		names[i] = d.name
	}
	slices.Sort(names)
	return fmt.Sprintf("%d destinations (%s)", len(dests), strings.Join(names, ", "))
}
