package secretscan

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// secret has a character of each kind that some encoding changes.
const secret = `sk<&>"x y/+0123456789abcdef`

// TestFind guards the scanner itself: every form it claims to find is
// found, even cut short, and an unrelated text is clean.
func TestFind(t *testing.T) {
	for form, s := range Forms(secret) {
		if got := Find("before "+s[:MinFragment]+"… after", secret); !slices.Contains(got, form) {
			t.Errorf("a cut %s form was not found: %v", form, got)
		}
	}
	if got := Find("nothing secret here: sk-0123456789", secret); len(got) > 0 {
		t.Errorf("false positive: %v", got)
	}
	if got := Find("anything", ""); got != nil {
		t.Errorf("an empty secret was found: %v", got)
	}
	for _, short := range []string{"x", "xy", "xyz"} {
		if got := Find("no such string", short); len(got) > 0 {
			t.Errorf("the short secret %q found as %v", short, got)
		}
	}
	if got := Find("a plain-secret-0123 here", "plain-secret-0123"); !slices.Equal(got, []string{"raw"}) {
		t.Errorf("a plain secret found as %v, want raw alone", got)
	}
}

// A secret inside a longer text, as a state or a plan holds it, is found
// in each encoding the file formats use.
func TestFindInEncodedText(t *testing.T) {
	value := "Bearer " + secret
	asJSON, _ := json.Marshal(map[string]string{"Authorization": value})
	for name, text := range map[string]string{
		"JSON":                          string(asJSON),
		"base64 of a value":             base64.StdEncoding.EncodeToString([]byte(value)),
		"a URL's query":                 "https://example.com/?auth=" + url.QueryEscape(value),
		"base64 of a value, one offset": base64.StdEncoding.EncodeToString([]byte("x" + value)),
	} {
		if got := Find(text, secret); len(got) == 0 {
			t.Errorf("not found in %s", name)
		}
	}
}

// ExpandPlan shows what the zip's compression hides.
func TestExpandPlan(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "tfplan", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(strings.Repeat("padding ", 50) + secret))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if len(Find(buf.String(), secret)) > 0 {
		t.Fatal("the test's archive shows the secret uncompressed; it would prove nothing")
	}
	text, err := ExpandPlan(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(Find(text, secret), "raw") {
		t.Error("the secret in a compressed entry was not found")
	}
	if _, err := ExpandPlan([]byte("not a zip")); err == nil {
		t.Error("a file that is no zip archive was accepted")
	}
}

// ExpandState decodes the private data of every instance: base64 of a
// JSON object of base64 values, where no encoding of the secret shows.
func TestExpandState(t *testing.T) {
	inner, _ := json.Marshal(map[string][]byte{"knowledge": []byte(`{"token":"` + secret + `"}`)})
	state, _ := json.Marshal(map[string]any{"resources": []any{map[string]any{
		"instances": []any{map[string]any{"private": base64.StdEncoding.EncodeToString(inner)}}}}})
	if len(Find(string(state), secret)) > 0 {
		t.Fatal("the test's state shows the secret without decoding; it would prove nothing")
	}
	text, err := ExpandState(state)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(Find(text, secret), "raw") {
		t.Error("the secret in private data was not found")
	}
	if _, err := ExpandState([]byte("{")); err == nil {
		t.Error("a state that is no JSON was accepted")
	}
}
