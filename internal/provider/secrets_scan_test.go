package provider

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/secretscan"
)

// randomSecret is a secret unique to one run: a label that says what it
// is, then 24 random hex digits, so that no other text can contain even a
// fragment of it by chance.
func randomSecret(t *testing.T, label string) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return label + "-" + hex.EncodeToString(b)
}

// expandPlanFile returns a saved plan with the contents of its zip
// entries uncompressed (secretscan.ExpandPlan).
func expandPlanFile(t *testing.T, path string) string {
	t.Helper()
	return expandFile(t, path, secretscan.ExpandPlan)
}

// expandState returns a state file with its instances' private data
// decoded (secretscan.ExpandState).
func expandState(t *testing.T, path string) string {
	t.Helper()
	return expandFile(t, path, secretscan.ExpandState)
}

// expandFile reads the file at path and expands it with expand.
func expandFile(t *testing.T, path string, expand func([]byte) (string, error)) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text, err := expand(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return text
}

// leakScan collects texts (CLI output, logs, states, plans) and fails the
// test if any holds a secret in any form.
type leakScan struct {
	t     *testing.T
	texts map[string]string
}

func newLeakScan(t *testing.T) *leakScan {
	return &leakScan{t: t, texts: map[string]string{}}
}

// add records a text under a name; adding to a name appends.
func (s *leakScan) add(what, text string) {
	s.texts[what] += text + "\n"
}

// addFiles records every file of dir matching pattern, expanded by expand.
func (s *leakScan) addFiles(dir, pattern string, expand func(*testing.T, string) string) {
	s.t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range matches {
		s.add(filepath.Base(m), expand(s.t, m))
	}
}

// readFile is an expand function that returns a file as it is.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// check fails the test for every secret found in the texts named in only
// (all texts when none is named), saying where and in which form, never
// printing the secret.
func (s *leakScan) check(secrets map[string]string, only ...string) {
	s.t.Helper()
	if len(s.texts) == 0 {
		s.t.Fatal("nothing was scanned; the check would prove nothing")
	}
	for _, what := range only {
		if s.texts[what] == "" {
			s.t.Fatalf("nothing was scanned as %s; the check would prove nothing", what)
		}
	}
	for what, text := range s.texts {
		if len(only) > 0 && !slices.Contains(only, what) {
			continue
		}
		for name, secret := range secrets {
			if forms := secretscan.Find(text, secret); len(forms) > 0 {
				s.t.Errorf("the %s appears in %s (%s)", name, what, strings.Join(forms, ", "))
			}
		}
	}
}
