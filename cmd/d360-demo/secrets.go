package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/secretscan"
)

// planFile is the name of every plan the demo saves.
const planFile = "tfplan"

// leakGuard looks for the demo's secrets, in every encoding secretscan
// knows, in everything the CLI writes: its output, every state file it
// leaves in a working directory and every plan it saves there. API keys
// may appear nowhere. Header values may appear nowhere either where the
// CLI has write-only attributes; before, headers is their only place, so
// the state holds them by necessity, and only their absence from outputs
// and saved plans is checked.
type leakGuard struct {
	keys           map[string]string // what each key is, then the key
	headers        map[string]string // what each header value is, then the value
	headersInState bool

	outputs           int
	states, plans     map[[sha256.Size]byte]bool // the distinct files scanned
	statesWithHeaders int
}

// newLeakGuard guards keys and header values, each by what it is.
func newLeakGuard(keys, headers map[string]string, writeOnly bool) *leakGuard {
	return &leakGuard{
		keys: keys, headers: headers, headersInState: !writeOnly,
		states: map[[sha256.Size]byte]bool{}, plans: map[[sha256.Size]byte]bool{},
	}
}

// all returns every secret, keys and header values, by what it is.
func (g *leakGuard) all() map[string]string {
	all := maps.Clone(g.keys)
	maps.Copy(all, g.headers)
	return all
}

// values returns every secret's value.
func (g *leakGuard) values() []string {
	return slices.Collect(maps.Values(g.all()))
}

// find reports the first of secrets found in text, which is called what,
// naming the secret and the forms found, never the value.
func find(what, text string, secrets map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(secrets)) {
		if forms := secretscan.Find(text, secrets[name]); len(forms) > 0 {
			return fmt.Errorf("the %s appears in %s (%s)", name, what, strings.Join(forms, ", "))
		}
	}
	return nil
}

// checkText fails if any secret is in a text the demo did not write, such
// as the fake API's log.
func (g *leakGuard) checkText(what, text string) error {
	return find(what, text, g.all())
}

// countOutput records that one command's output was checked, line by line,
// as it was shown (outputFilter).
func (g *leakGuard) countOutput() {
	g.outputs++
}

// checkDir scans every state file in dir (terraform.tfstate and its
// backup), with the private data of its instances decoded, and the saved
// plan, with its zip entries uncompressed.
func (g *leakGuard) checkDir(dir string) error {
	states, err := filepath.Glob(filepath.Join(dir, "*.tfstate*"))
	if err != nil {
		return err
	}
	for _, path := range states {
		if err := g.checkFile(path, secretscan.ExpandState, g.checkState); err != nil {
			return err
		}
	}
	plan := filepath.Join(dir, planFile)
	if _, err := os.Stat(plan); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return g.checkFile(plan, secretscan.ExpandPlan, g.checkPlan)
}

// checkFile reads the file at path, expands it and checks the result with
// check, unless a file with the same contents was checked already.
func (g *leakGuard) checkFile(path string, expand func([]byte) (string, error), check func(what, text string, sum [sha256.Size]byte) error) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s to check it for secrets: %w", path, err)
	}
	text, err := expand(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	what := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
	return check(what, text, sha256.Sum256(raw))
}

// checkState fails if a state holds a key, or a header value where the
// CLI has write-only attributes.
func (g *leakGuard) checkState(what, text string, sum [sha256.Size]byte) error {
	if g.states[sum] {
		return nil
	}
	g.states[sum] = true
	if !g.headersInState {
		return find("the state "+what, text, g.all())
	}
	if find("", text, g.headers) != nil {
		g.statesWithHeaders++
	}
	return find("the state "+what, text, g.keys)
}

// checkPlan fails if a saved plan holds any secret.
func (g *leakGuard) checkPlan(what, text string, sum [sha256.Size]byte) error {
	if g.plans[sum] {
		return nil
	}
	g.plans[sum] = true
	return find("the saved plan "+what, text, g.all())
}

// report says what was checked, in numbers, for the end of the demo; cli
// names the CLI where it explains the fallback.
func (g *leakGuard) report(cli cliInfo) []string {
	scanned := []string{
		fmt.Sprintf("Scanned, raw and encoded (JSON, base64, URL): the output of %d commands,", g.outputs),
		fmt.Sprintf("%d versions of the state files, %d saved plans and the fake API's log.", len(g.states), len(g.plans)),
	}
	claim := "Checked: no key or header value in any output, state or saved plan."
	var fallback []string
	if g.headersInState {
		claim = "Checked: no key or header value in any output or saved plan, and no key in any state."
		fallback = []string{fmt.Sprintf("The header tokens are in %d of those states, since %s has no headers_wo.", g.statesWithHeaders, cli)}
	}
	return slices.Concat([]string{claim}, scanned, fallback)
}
