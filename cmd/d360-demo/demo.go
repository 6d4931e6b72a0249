package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// demo is the state of one run of the story.
type demo struct {
	out         *printer
	fake        *fakeAPI
	cli         *cliRunner
	mainDir     string // the working directory of every step but the fresh import
	importDir   string // a fresh working directory for the import by fingerprint
	apiKey      string // the default number's key
	crmToken    string
	appToken    string // the primary webhook's bearer token
	fingerprint string // the default number's id: the fingerprint of apiKey
	second      number // the number the provider holds as numbers["second"]
	practice    practice
	guard       *leakGuard
	timings     []timing
}

// number is a phone number of the demo other than the default one.
type number struct {
	key         string
	fingerprint string
}

// newDemo creates the working directories, random demo keys and tokens,
// the guard that looks for them and the CLI runner that passes them
// through the environment. cli says which practice the configuration can
// follow.
func newDemo(out *printer, fk *fakeAPI, cli cliInfo, tmp, providerDir string) (*demo, error) {
	d := &demo{
		out: out, fake: fk, practice: practice{writeOnly: cli.writeOnly},
		mainDir:   filepath.Join(tmp, "main"),
		importDir: filepath.Join(tmp, "imported"),
		apiKey:    "demo-key-" + randomHex(),
		crmToken:  "demo-token-" + randomHex(),
		appToken:  "demo-app-token-" + randomHex(),
	}
	d.fingerprint = fingerprint(d.apiKey)
	d.second.key = "demo-key-" + randomHex()
	d.second.fingerprint = fingerprint(d.second.key)
	for _, dir := range []string{d.mainDir, d.importDir} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	env := map[string]string{
		"D360_API_KEY": d.apiKey, "TF_VAR_second_key": d.second.key,
		"D360_BASE_URL": fk.url, "TF_VAR_crm_token": d.crmToken, "TF_VAR_app_token": d.appToken,
	}
	d.guard = newLeakGuard(
		map[string]string{"default number's API key": d.apiKey, "second number's API key": d.second.key},
		map[string]string{"CRM token": d.crmToken, "app's token": d.appToken},
		cli.writeOnly)
	runner, err := newCLIRunner(out, cli, tmp, providerDir, env, d.guard)
	d.cli = runner
	return d, err
}

// fingerprint is the number's id as the documentation computes it:
// printf %s "$KEY" | sha256sum | cut -c1-16.
func fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:16]
}

// randomHex returns 16 random bytes in hex, so that every run uses fresh
// demo keys and tokens.
func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails, per crypto/rand
	return hex.EncodeToString(b)
}

// intro says what the demo runs against, and how it passes secrets.
func (d *demo) intro(settle time.Duration) {
	d.out.heading("terraform-provider-d360 demo")
	d.out.say("CLI:     %s (%s)", d.cli.info, d.cli.path)
	d.out.say("API:     the fake 360dialog API at %s. Like 360dialog, it answers each change", d.fake.url)
	d.out.say("         with \"Operation has been started...\" and applies it %s later.", settle)
	d.out.say("Numbers: random demo API keys, never printed: the default number's in D360_API_KEY")
	d.out.say("         (id %s), and a second one's in TF_VAR_second_key, which the", d.fingerprint)
	d.out.say("         provider holds as numbers[%q] (id %s).", secondName, d.second.fingerprint)
	if d.practice.writeOnly {
		d.out.say("Secrets: as docs/guides/secrets.md recommends: keys only in the provider, header tokens")
		d.out.say("         in headers_wo, and every secret from an ephemeral variable (TF_VAR_*), so none")
		d.out.say("         reaches the state or a saved plan. The demo checks both after every command.")
	} else {
		d.out.say("Secrets: %s has neither write-only attributes nor ephemeral variables, so the header", d.cli.info)
		d.out.say("         tokens go in headers, from sensitive variables, and the state holds them. A saved")
		d.out.say("         plan would hold every variable's value, a key included, so this run saves none.")
	}
	d.out.say("The CLI uses the fresh build through dev_overrides, so it warns about that once per command.")
}

// step is one chapter of the story. calls are the changes its commands
// must send, by method and endpoint: the provider promises the fewest
// calls; explain says what they were.
type step struct {
	title   string
	run     func(context.Context) error
	calls   map[change]int
	explain string
}

// tell runs every step, stopping at the first that misbehaves.
func (d *demo) tell(ctx context.Context) error {
	steps := []step{
		{"Apply two destinations", d.applyTwo, map[change]int{postMulti: 1},
			"One POST enabled the feature with both destinations at once. The GETs are refreshes\n" +
				"   and the provider's polls while the change settled."},
		{"Plan a third destination and a changed URL, then apply it", d.planAndApply, map[change]int{patchMulti: 1, putMulti: 1},
			"One PATCH for the changed URL, then one PUT adding the new destination, the second\n" +
				"   sent only once GET showed the first."},
		{"Catch and repair a change made behind Terraform's back", d.repairDrift, map[change]int{patchMulti: 1},
			"One PATCH put the URL back."},
		{"Import the number into a fresh state", d.importFresh, map[change]int{},
			"No change was sent: importing only reads."},
		{"Import a second number by its name", d.importByName, map[change]int{}, d.importByNameCalls()},
		{"Adopt the number's primary webhook", d.adoptPrimary, map[change]int{postPrimary: 1},
			"One POST /v1/configs/webhook made the primary webhook the configured one; the\n" +
				"   destinations were not touched. The GETs are refreshes and the polls while it settled."},
		{"Destroy", d.destroy, map[change]int{deleteMulti: 5, postMulti: 2},
			"One DELETE per destination of each number, each waited for, then one POST per number\n" +
				"   disabling the feature. Nothing was sent for the primary webhook: 360dialog cannot\n" +
				"   remove one, so the number keeps it, as the warning says."},
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
	if d.practice.writeOnly {
		d.out.say("main.tf declares two destinations. The CRM one sends a plain header and a bearer token,")
		d.out.say("write-only, from an ephemeral variable:")
	} else {
		d.out.say("main.tf declares two destinations; the CRM one sends a bearer token from a sensitive variable:")
	}
	dests := d.practice.twoDestinations()
	if err := d.writeConfig(d.mainDir, dests); err != nil {
		return err
	}
	d.out.block(d.practice.mainTF(dests))
	res, err := d.cli.expect(ctx, d.mainDir, 0, "apply must succeed", "apply", "-auto-approve", "-input=false", "-compact-warnings")
	if err != nil {
		return err
	}
	d.out.say("\napply took %s: it returned only once GET showed the change.", seconds(res.took))
	if err := d.checkFake(ctx, d.fingerprint, true, dests); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// planAndApply plans a change and applies it: the saved plan, where the
// CLI keeps secrets out of saved plans.
func (d *demo) planAndApply(ctx context.Context) error {
	d.out.say("The resource now declares a third destination and a new URL for analytics:")
	dests := d.practice.threeDestinations()
	if err := d.writeConfig(d.mainDir, dests); err != nil {
		return err
	}
	d.out.block(resourceBlock(dests))
	save := d.practice.writeOnly
	if _, err := d.plan(ctx, d.mainDir, save); err != nil {
		return err
	}
	if err := d.applyPlanned(ctx, d.mainDir, save); err != nil {
		return err
	}
	if err := d.checkFake(ctx, d.fingerprint, true, dests); err != nil {
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
	if err := d.checkFake(ctx, d.fingerprint, true, d.practice.threeDestinations()); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// importFresh adopts the number in a new working directory with no state,
// with an import block: plan, apply, then a plan that must be empty. The
// plan is never saved: it holds every header value the import read.
func (d *demo) importFresh(ctx context.Context) error {
	d.out.say("A new working directory with the same main.tf and no state, as in a fresh pipeline,")
	d.out.say("plus an import block. The import ID is the fingerprint of the provider's key:")
	d.out.say("printf %%s \"$D360_API_KEY\" | sha256sum | cut -c1-16  ->  %s", d.fingerprint)
	if err := d.writeConfig(d.importDir, d.practice.threeDestinations()); err != nil {
		return err
	}
	block := importBlock(resourceAddress, d.fingerprint)
	if err := os.WriteFile(filepath.Join(d.importDir, "import.tf"), []byte(block), 0o600); err != nil {
		return err
	}
	d.out.block(block)
	if d.practice.writeOnly {
		d.out.say("This plan is not saved: an import cannot know which headers are write-only, so it")
		d.out.say("reads every header value into headers, the CRM token too, and a saved plan would")
		d.out.say("hold it.")
	}
	res, err := d.plan(ctx, d.importDir, false)
	if err != nil {
		return err
	}
	if err := d.explainImportUpdate(res.output); err != nil {
		return err
	}
	if err := d.applyPlanned(ctx, d.importDir, false); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.importDir)
}

// explainImportUpdate says why the import plan updates the resource in
// place. Where the CLI has write-only attributes the update is required:
// it is what takes the CRM token out of the state.
func (d *demo) explainImportUpdate(output string) error {
	updates := strings.Contains(output, "1 to import, 0 to add, 1 to change, 0 to destroy")
	switch {
	case d.practice.writeOnly && !updates:
		return errors.New("the import plan does not import one number and update it in place")
	case d.practice.writeOnly:
		d.out.say("\nThe update in place moves the CRM token out of headers: the state keeps only its")
		d.out.say("digest (headers_wo_digests). It changes the state alone; the provider sends nothing to")
		d.out.say("360dialog for it, as the calls below show.")
	case updates:
		// Terraform, unlike OpenTofu, plans an update when only the
		// sensitivity of a value changes.
		d.out.say("\nThe update in place changes nothing visible: Terraform records in the state that the")
		d.out.say("CRM header comes from a sensitive variable, which an import cannot know. The provider")
		d.out.say("sends no change to 360dialog for it, as the calls below show.")
	}
	return nil
}

// importByName adopts a second number, configured outside Terraform, into
// the main working directory with an import block whose ID is the number's
// name in the provider: the plan must import it with one GET and change
// nothing, and the apply must send no change.
func (d *demo) importByName(ctx context.Context) error {
	if err := d.seedSecond(ctx); err != nil {
		return err
	}
	d.out.say("main.tf gains a resource that names the second number, and import.tf an import block")
	d.out.say("whose ID is that name: import IDs are printed, so they are never keys.")
	second := secondBlock(secondDestinations)
	config := d.practice.mainTF(d.practice.threeDestinations()) + "\n" + second
	if err := os.WriteFile(filepath.Join(d.mainDir, "main.tf"), []byte(config), 0o600); err != nil {
		return err
	}
	block := importBlock(secondAddress, secondName)
	if err := os.WriteFile(filepath.Join(d.mainDir, "import.tf"), []byte(block), 0o600); err != nil {
		return err
	}
	d.out.block(second + "\n" + block)
	save := d.practice.writeOnly
	res, err := d.plan(ctx, d.mainDir, save)
	if err != nil {
		return err
	}
	if !strings.Contains(res.output, "1 to import, 0 to add, 0 to change, 0 to destroy") {
		return errors.New("the plan does not import exactly one number and change nothing")
	}
	if err := d.checkPlanReads(ctx); err != nil {
		return err
	}
	if err := d.applyPlanned(ctx, d.mainDir, save); err != nil {
		return err
	}
	if err := d.checkFake(ctx, d.second.fingerprint, true, secondDestinations); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// importByNameCalls explains the requests of importByName.
func (d *demo) importByNameCalls() string {
	if d.practice.writeOnly {
		return "No change was sent. The import read the second number with one GET (the refresh\n" +
			"   right after it reused that read); the other GETs are the refreshes of the\n" +
			"   default number in both plans, and of the second number in the last one."
	}
	return "No change was sent. The import read the second number with one GET in the plan, and\n" +
		"   once more in the apply, which plans afresh without a saved plan; the other GETs are\n" +
		"   the refreshes of the default number in every plan, and of the second in the last one."
}

// plan runs a plan in dir that must propose changes, saved to planFile
// when save is true.
func (d *demo) plan(ctx context.Context, dir string, save bool) (result, error) {
	args := []string{"plan", "-detailed-exitcode", "-input=false", "-compact-warnings"}
	if save {
		args = append(args, "-out="+planFile)
	}
	return d.cli.expect(ctx, dir, 2, "2 means the plan has changes", args...)
}

// applyPlanned applies the changes plan showed: the saved plan, which it
// then deletes, as the docs advise, when save is true, else a fresh plan
// of the same configuration.
func (d *demo) applyPlanned(ctx context.Context, dir string, save bool) error {
	if !save {
		_, err := d.cli.expect(ctx, dir, 0, "apply must succeed", "apply", "-auto-approve", "-input=false", "-compact-warnings")
		return err
	}
	if _, err := d.cli.expect(ctx, dir, 0, "applying the saved plan must succeed",
		"apply", "-input=false", "-compact-warnings", planFile); err != nil {
		return err
	}
	return os.Remove(filepath.Join(dir, planFile))
}

// seedSecond configures the second number outside Terraform, waits until
// the change has settled and forgets the requests it took.
func (d *demo) seedSecond(ctx context.Context) error {
	d.out.say("Someone configured a second number in the 360dialog hub, with its own key:")
	d.out.say("POST /multi_webhook {\"enabled\": true, \"destinations\": [crm, audit]}.")
	if err := d.fake.enableWith(ctx, d.second.key, fakeDestinations(expectedAtFake(secondDestinations, ""))); err != nil {
		return fmt.Errorf("configuring the second number: %w", err)
	}
	err := d.fake.waitFor(ctx, d.second.fingerprint, func(n fakeapi.NumberState) bool {
		return n.Enabled && len(n.Destinations) == len(secondDestinations)
	})
	if err != nil {
		return err
	}
	d.out.say("The change has settled. Counting only Terraform's requests from here on.\n")
	return d.fake.resetLog(ctx)
}

// checkPlanReads shows what the import plan sent for the second number and
// checks it with importReadsOnce.
func (d *demo) checkPlanReads(ctx context.Context) error {
	st, err := d.fake.stats(ctx)
	if err != nil {
		return err
	}
	d.out.say("\n-> During the plan, the fake saw for the second number: %s.", formatCalls(st.Keys[d.second.fingerprint]))
	return importReadsOnce(st, d.second.fingerprint)
}

// importReadsOnce checks that a plan read the number with fingerprint fp
// with exactly one GET and sent no change to any number.
func importReadsOnce(st fakeapi.Stats, fp string) error {
	calls := st.Keys[fp]
	if calls["GET"] != 1 || len(calls) != 1 {
		return fmt.Errorf("the plan sent %s for the imported number, want GET x1 and nothing else", formatCalls(calls))
	}
	return compareChanges(st, nil)
}

// fakeDestinations lists destinations for a request body, sorted by name.
func fakeDestinations(byName map[string]fakeapi.Destination) []fakeapi.Destination {
	out := make([]fakeapi.Destination, 0, len(byName))
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[name])
	}
	return out
}

// destroy removes every destination of both numbers and disables the
// feature; the primary webhook, which 360dialog cannot remove, must stay
// as it is, and the CLI must say so.
func (d *demo) destroy(ctx context.Context) error {
	d.out.say("Without -compact-warnings this time, so that the CLI shows every warning in full.")
	res, err := d.cli.expect(ctx, d.mainDir, 0, "destroy must succeed", "destroy", "-auto-approve", "-input=false")
	if err != nil {
		return err
	}
	if !strings.Contains(res.output, primaryLeftWarning) {
		return fmt.Errorf("destroy did not warn %q", primaryLeftWarning)
	}
	if err := d.checkFake(ctx, d.fingerprint, false, nil); err != nil {
		return err
	}
	if err := d.checkFake(ctx, d.second.fingerprint, false, nil); err != nil {
		return err
	}
	return d.checkPrimary(ctx, "still has")
}

// writeConfig writes main.tf for dests into dir.
func (d *demo) writeConfig(dir string, dests map[string]hclconfig.Destination) error {
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(d.practice.mainTF(dests)), 0o600)
}

// expectEmptyPlan fails unless a plan in dir proposes no change.
func (d *demo) expectEmptyPlan(ctx context.Context, dir string) error {
	_, err := d.cli.expect(ctx, dir, 0, "0 means no changes: the state, the configuration and 360dialog agree",
		"plan", "-detailed-exitcode", "-input=false", "-compact-warnings")
	return err
}

// checkFake compares the settled configuration of the number with
// fingerprint fp at the fake with the expectation, and requires that
// nothing is still pending: the provider must not report success before
// its changes are visible.
func (d *demo) checkFake(ctx context.Context, fp string, enabled bool, dests map[string]hclconfig.Destination) error {
	n, err := d.fake.number(ctx, fp)
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
	d.out.say("\nChecked: the fake API shows %s with enabled = %t and %s, nothing pending.", d.numberName(fp), enabled, describe(dests))
	return nil
}

// numberName names a number of the demo for a check's confirmation.
func (d *demo) numberName(fp string) string {
	if fp == d.second.fingerprint {
		return "the second number"
	}
	return "the default number"
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
func describe(dests map[string]hclconfig.Destination) string {
	if len(dests) == 0 {
		return "no destinations"
	}
	names := slices.Sorted(maps.Keys(dests))
	return fmt.Sprintf("%d destinations (%s)", len(dests), strings.Join(names, ", "))
}
