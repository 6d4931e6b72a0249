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

// The import step must fail when the plan read the imported number more
// than once, or changed anything anywhere.
func TestImportReadsOnce(t *testing.T) {
	const fp, other = "0123456789abcdef", "fedcba9876543210"
	stats := func(methods map[string]int, keys map[string]map[string]int) fakeapi.Stats {
		return fakeapi.Stats{Methods: methods, Keys: keys}
	}
	for _, tc := range []struct {
		name string
		st   fakeapi.Stats
		ok   bool
	}{
		{"one GET, and a refresh of another number", stats(map[string]int{"GET": 2},
			map[string]map[string]int{fp: {"GET": 1}, other: {"GET": 1}}), true},
		{"not read", stats(map[string]int{"GET": 1}, map[string]map[string]int{other: {"GET": 1}}), false},
		{"read twice", stats(map[string]int{"GET": 2}, map[string]map[string]int{fp: {"GET": 2}}), false},
		{"changed", stats(map[string]int{"GET": 1, "PATCH": 1}, map[string]map[string]int{fp: {"GET": 1, "PATCH": 1}}), false},
		{"changed another number", stats(map[string]int{"GET": 2, "DELETE": 1},
			map[string]map[string]int{fp: {"GET": 1}, other: {"GET": 1, "DELETE": 1}}), false},
	} {
		if err := importReadsOnce(tc.st, fp); (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok = %t", tc.name, err, tc.ok)
		}
	}
}

// The second number's resource names its number; its key travels only in
// the environment, as TF_VAR_second_key.
func TestSecondNumberConfiguration(t *testing.T) {
	config := mainTF(threeDestinations) + secondBlock(secondDestinations) + importBlock(secondAddress, secondName)
	for _, want := range []string{
		"numbers = { second = var.second_key }",
		"resource \"d360_multi_webhook\" \"second\" {\n  number = \"second\"\n",
		"import {\n  to = d360_multi_webhook.second\n  id = \"second\"\n}\n",
	} {
		if !strings.Contains(config, want) {
			t.Errorf("the configuration lacks %q:\n%s", want, config)
		}
	}
	got := fakeDestinations(expectedAtFake(secondDestinations, ""))
	if len(got) != 2 || got[0].Name != "audit" || got[1].Name != "crm" || got[0].Headers == nil {
		t.Errorf("fakeDestinations = %+v, want audit then crm, with empty headers", got)
	}
}
