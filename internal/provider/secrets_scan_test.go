package provider

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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

// minFragment is the shortest cut of a secret the scan looks for: the
// label and the first random digits.
const minFragment = 12

// secretForms lists the encodings in which a secret could leak: raw,
// JSON-escaped (with and without HTML escaping), URL-encoded (query and
// path), HTML-escaped, and base64 at each of the three byte alignments it
// can have inside a longer encoded text.
func secretForms(secret string) map[string]string {
	jsonHTML, _ := json.Marshal(secret)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	forms := map[string]string{
		"raw":                secret,
		"JSON-escaped":       strings.Trim(string(jsonHTML), `"`),
		"JSON-escaped plain": strings.Trim(strings.TrimSpace(plain.String()), `"`),
		"query-escaped":      url.QueryEscape(secret),
		"path-escaped":       url.PathEscape(secret),
		"HTML-escaped":       html.EscapeString(secret),
	}
	for offset, drop := range []int{0, 2, 3} {
		// offset bytes before the secret change only the first drop
		// characters of its encoding; the last four depend on what follows.
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, offset), secret...))
		forms[fmt.Sprintf("base64+%d", offset)] = enc[drop : len(enc)-4]
	}
	return forms
}

// findLeaks names every form of secret found in text, a cut prefix of at
// least minFragment characters included.
func findLeaks(text, secret string) []string {
	var found []string
	for form, s := range secretForms(secret) {
		cut := min(len(s), minFragment)
		if strings.Contains(text, s[:cut]) {
			found = append(found, form)
		}
	}
	return found
}

// expandPlanFile returns the raw bytes of a saved plan followed by the
// uncompressed contents of every entry of its zip archive, so that a scan
// sees what the compression hides.
func expandPlanFile(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(raw)
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the saved plan %s is not a zip archive: %v", path, err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(body)
	}
	return b.String()
}

// expandState returns a state file with the base64 private data of its
// instances decoded and appended, so that a scan sees inside them.
func expandState(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				Private string `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b strings.Builder
	b.Write(raw)
	for _, r := range state.Resources {
		for _, i := range r.Instances {
			b.WriteString(decodePrivate(i.Private))
		}
	}
	return b.String()
}

// decodePrivate decodes an instance's private data: base64 of a JSON
// object whose values are the base64 of what the provider stored.
func decodePrivate(private string) string {
	outer, _ := base64.StdEncoding.DecodeString(private)
	var values map[string][]byte
	_ = json.Unmarshal(outer, &values)
	var b strings.Builder
	b.Write(outer)
	for _, v := range values {
		b.Write(v)
	}
	return b.String()
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
			if forms := findLeaks(text, secret); len(forms) > 0 {
				s.t.Errorf("the %s appears in %s (%s)", name, what, strings.Join(forms, ", "))
			}
		}
	}
}

// TestFindLeaks guards the scanner itself: every form it claims to find is
// found, and an unrelated text is clean.
func TestFindLeaks(t *testing.T) {
	secret := randomSecret(t, "sk<&>\"x y/")
	for form, s := range secretForms(secret) {
		if got := findLeaks("before "+s[:minFragment]+"… after", secret); len(got) == 0 {
			t.Errorf("a cut %s form was not found", form)
		}
	}
	if got := findLeaks("nothing secret here: sk-0123456789", secret); len(got) > 0 {
		t.Errorf("false positive: %v", got)
	}
}
