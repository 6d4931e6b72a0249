// Package secretscan finds secrets in what a Terraform or OpenTofu CLI
// writes (its output, logs, state files and saved plans) in every encoding
// a secret could take there. It serves the provider's tests and the demo,
// so that both look for a leak the same way. It needs only the standard
// library.
package secretscan

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"slices"
	"strings"
)

// MinFragment is the shortest cut of a secret's form that Find looks for:
// an error message may cut a secret short, and a secret of tests or the
// demo starts with a label and random digits, so that no other text holds
// that many of its first characters by chance.
const MinFragment = 12

// Forms lists the encodings in which a secret could leak, by name: raw,
// JSON-escaped (with and without HTML escaping), URL-encoded (query and
// path), HTML-escaped, and base64 at each of the three byte alignments it
// can have inside a longer encoded text (for a secret long enough to have
// any characters of its own there).
func Forms(secret string) map[string]string {
	forms := map[string]string{
		"raw":                secret,
		"JSON-escaped":       jsonEscaped(secret, true),
		"JSON-escaped plain": jsonEscaped(secret, false),
		"query-escaped":      url.QueryEscape(secret),
		"path-escaped":       url.PathEscape(secret),
		"HTML-escaped":       html.EscapeString(secret),
	}
	for offset, drop := range []int{0, 2, 3} {
		// offset bytes before the secret change only the first drop
		// characters of its encoding; the last four depend on what follows.
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, offset), secret...))
		if len(enc)-4 > drop { // else too short to have a form of its own
			forms[fmt.Sprintf("base64+%d", offset)] = enc[drop : len(enc)-4]
		}
	}
	return forms
}

// jsonEscaped returns s as encoding/json writes it inside a string,
// without the quotes.
func jsonEscaped(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(b.String()), `"`), `"`)
}

// Find names, sorted, every form of secret found in text, a cut prefix of
// at least MinFragment characters of a form included. A form that is the
// raw secret, as every escaping of a plain secret is, is named "raw" only.
// An empty secret is never found.
func Find(text, secret string) []string {
	if secret == "" {
		return nil
	}
	var found []string
	for form, s := range Forms(secret) {
		if form != "raw" && s == secret {
			continue
		}
		if strings.Contains(text, s[:min(len(s), MinFragment)]) {
			found = append(found, form)
		}
	}
	slices.Sort(found)
	return found
}

// ExpandPlan returns the raw bytes of a saved plan file followed by the
// uncompressed contents of every entry of its zip archive, so that a scan
// sees what the compression hides.
func ExpandPlan(raw []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return "", fmt.Errorf("a saved plan is a zip archive: %w", err)
	}
	var b strings.Builder
	b.Write(raw)
	for _, f := range zr.File {
		if err := appendEntry(&b, f); err != nil {
			return "", fmt.Errorf("reading %s of the saved plan: %w", f.Name, err)
		}
	}
	return b.String(), nil
}

// appendEntry appends the uncompressed contents of one zip entry to b.
func appendEntry(b *strings.Builder, f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	_, err = io.Copy(b, rc)
	return err
}

// ExpandState returns a state file with the base64 private data of its
// instances decoded and appended, so that a scan sees inside them.
func ExpandState(raw []byte) (string, error) {
	var state struct {
		Resources []struct {
			Instances []struct {
				Private string `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		return "", fmt.Errorf("a state file is JSON: %w", err)
	}
	var b strings.Builder
	b.Write(raw)
	for _, r := range state.Resources {
		for _, i := range r.Instances {
			b.WriteString(decodePrivate(i.Private))
		}
	}
	return b.String(), nil
}

// decodePrivate decodes an instance's private data: base64 of a JSON
// object whose values are the base64 of what the provider stored. What
// does not decode is left out: the raw text is scanned anyway.
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
