package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// The documented shell recipe, the provider and the fake must agree on a
// number's id, or the demo's import and checks would address another one.
func TestFingerprintMatchesProviderAndFake(t *testing.T) {
	key := "demo-key-0123"
	got := fingerprint(key)
	if want := client.Fingerprint(key); got != want {
		t.Errorf("fingerprint = %s, provider's id = %s", got, want)
	}
	if want := fakeapi.Fingerprint(key); got != want {
		t.Errorf("fingerprint = %s, fake's fingerprint = %s", got, want)
	}
}

func TestOutputFilterWithholdsSecrets(t *testing.T) {
	var shown bytes.Buffer
	f := &outputFilter{w: &shown, secrets: []string{"s3cret"}}
	// A secret split across writes must still be caught.
	for _, chunk := range []string{"plan: ok\nheader: Bearer s3", "cret\nlast line"} {
		if _, err := f.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	f.flush()
	if !f.leaked {
		t.Error("leak not recorded")
	}
	if strings.Contains(shown.String(), "s3cret") || strings.Contains(f.text(), "s3cret") {
		t.Errorf("secret shown:\n%s", shown.String())
	}
	want := "    plan: ok\n    [line withheld by the demo: it contained a secret]\n    last line\n"
	if shown.String() != want {
		t.Errorf("shown:\n%q\nwant:\n%q", shown.String(), want)
	}
}

func TestCompareDestinationsNeverShowsHeaderValues(t *testing.T) {
	want := expectedAtFake([]destination{{name: "crm", url: "https://crm.example.com/wa", authorized: true}}, "tok-123")
	got := []fakeapi.Destination{{Name: "crm", URL: "https://crm.example.com/wa", Headers: map[string]string{"Authorization": "Bearer zz-9x"}}}
	err := compareDestinations(got, want)
	if err == nil {
		t.Fatal("different headers not reported")
	}
	if strings.Contains(err.Error(), "tok-123") || strings.Contains(err.Error(), "zz-9x") {
		t.Errorf("error shows a header value: %v", err)
	}
	got[0].Headers["Authorization"] = "Bearer tok-123"
	if err := compareDestinations(got, want); err != nil {
		t.Errorf("equal destinations reported: %v", err)
	}
}

func TestFormatCalls(t *testing.T) {
	if got := formatCalls(map[string]int{"PUT": 1, "GET": 7}); got != "GET x7, PUT x1" {
		t.Errorf("formatCalls = %q", got)
	}
	if got := formatCalls(nil); got != "no requests" {
		t.Errorf("formatCalls(nil) = %q", got)
	}
}

func TestFirstLine(t *testing.T) {
	w := &firstLine{ready: make(chan struct{})}
	_, _ = w.Write([]byte("http://127.0.0.1:1"))
	_, _ = w.Write([]byte("234\nmore\n"))
	<-w.ready
	if got := w.line(); got != "http://127.0.0.1:1234" {
		t.Errorf("line = %q", got)
	}
}
