package main

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
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
	want := expectedAtFake(map[string]hclconfig.Destination{"crm": practice{writeOnly: true}.crm("https://crm.example.com/wa")}, "tok-123")
	got := []fakeapi.Destination{{Name: "crm", URL: "https://crm.example.com/wa", Headers: map[string]string{"X-Env": "demo", "Authorization": "Bearer zz-9x"}}}
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
	p := practice{writeOnly: true}
	config := p.mainTF(p.threeDestinations()) + secondBlock(secondDestinations) + importBlock(secondAddress, secondName)
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

// A step's changes are compared per endpoint: a POST to the primary
// webhook is not the POST that enables multi webhook, and a change
// anywhere else fails the step too.
func TestCompareChanges(t *testing.T) {
	stats := func(endpoints map[string]map[string]int) fakeapi.Stats {
		st := fakeapi.Stats{Methods: map[string]int{}, Endpoints: endpoints}
		for _, counts := range endpoints {
			for m, n := range counts {
				st.Methods[m] += n
			}
		}
		return st
	}
	primaryOnce := map[change]int{postPrimary: 1}
	for _, tc := range []struct {
		name string
		st   fakeapi.Stats
		want map[change]int
		ok   bool
	}{
		{"one primary POST and GETs", stats(map[string]map[string]int{
			fakeapi.PathWebhook: {"GET": 3, "POST": 1}, fakeapi.PathMultiWebhook: {"GET": 2}}), primaryOnce, true},
		{"the POST went to multi webhook", stats(map[string]map[string]int{
			fakeapi.PathWebhook: {"GET": 3}, fakeapi.PathMultiWebhook: {"GET": 2, "POST": 1}}), primaryOnce, false},
		{"two primary POSTs", stats(map[string]map[string]int{fakeapi.PathWebhook: {"POST": 2}}), primaryOnce, false},
		{"no POST", stats(map[string]map[string]int{fakeapi.PathWebhook: {"GET": 1}}), primaryOnce, false},
		{"a change elsewhere", stats(map[string]map[string]int{fakeapi.PathWebhook: {"POST": 1}, "/other": {"PUT": 1}}),
			primaryOnce, false},
		{"destroy", stats(map[string]map[string]int{fakeapi.PathWebhook: {"GET": 1},
			fakeapi.PathMultiWebhook: {"GET": 9, "DELETE": 5, "POST": 2}}), map[change]int{deleteMulti: 5, postMulti: 2}, true},
		{"destroy that set the primary webhook", stats(map[string]map[string]int{fakeapi.PathWebhook: {"POST": 1},
			fakeapi.PathMultiWebhook: {"DELETE": 5, "POST": 2}}), map[change]int{deleteMulti: 5, postMulti: 2}, false},
	} {
		if err := compareChanges(tc.st, tc.want); (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok = %t", tc.name, err, tc.ok)
		}
	}
}

func TestFormatEndpointsAndChanges(t *testing.T) {
	got := formatEndpoints(map[string]map[string]int{fakeapi.PathWebhook: {"POST": 1, "GET": 2}, fakeapi.PathMultiWebhook: {"GET": 1}})
	if want := "/multi_webhook: GET x1; /v1/configs/webhook: GET x2, POST x1"; got != want {
		t.Errorf("formatEndpoints = %q, want %q", got, want)
	}
	if got := formatEndpoints(nil); got != "no requests" {
		t.Errorf("formatEndpoints(nil) = %q", got)
	}
	if got := formatChanges(map[change]int{postPrimary: 1, deleteMulti: 5}); got != "DELETE /multi_webhook x5, POST /v1/configs/webhook x1" {
		t.Errorf("formatChanges = %q", got)
	}
	if got := formatChanges(map[change]int{}); got != "none" {
		t.Errorf("formatChanges(empty) = %q", got)
	}
}

func TestCompareWebhookNeverShowsHeaderValues(t *testing.T) {
	want := expectedPrimary("tok-123")
	got := &fakeapi.Webhook{URL: primaryURL, Headers: map[string]string{"Authorization": "Bearer zz-9x"}}
	err := compareWebhook(got, want)
	if err == nil {
		t.Fatal("different headers not reported")
	}
	if strings.Contains(err.Error(), "tok-123") || strings.Contains(err.Error(), "zz-9x") {
		t.Errorf("error shows a header value: %v", err)
	}
	if err := compareWebhook(nil, want); err == nil {
		t.Error("a missing primary webhook not reported")
	}
	if err := compareWebhook(&fakeapi.Webhook{URL: oldPrimaryURL, Headers: want.Headers}, want); err == nil {
		t.Error("another url not reported")
	}
	got.Headers["Authorization"] = "Bearer tok-123"
	if err := compareWebhook(got, want); err != nil {
		t.Errorf("equal webhooks reported: %v", err)
	}
}

// The primary webhook is the default number's: it names no number, and
// its token travels only in the environment, as TF_VAR_app_token.
func TestPrimaryConfiguration(t *testing.T) {
	for _, p := range []practice{{writeOnly: true}, {writeOnly: false}} {
		block := p.primaryBlock()
		if !strings.Contains(block, "resource \"d360_webhook\" \"support\" {\n  url") {
			t.Errorf("writeOnly %t: primaryBlock lacks the resource:\n%s", p.writeOnly, block)
		}
		if strings.Contains(block, "number") {
			t.Errorf("writeOnly %t: primaryBlock names a number:\n%s", p.writeOnly, block)
		}
	}
}

// A CLI's output line that holds a secret in an encoded form is withheld
// too.
func TestOutputFilterWithholdsEncodedSecrets(t *testing.T) {
	var shown bytes.Buffer
	f := &outputFilter{w: &shown, secrets: []string{testToken}}
	_, _ = f.Write([]byte("debug: " + base64.StdEncoding.EncodeToString([]byte("Bearer "+testToken)) + "\nok\n"))
	f.flush()
	if !f.leaked || shown.String() != "    [line withheld by the demo: it contained a secret]\n    ok\n" {
		t.Errorf("leaked %t, shown:\n%s", f.leaked, shown.String())
	}
}

// Where the CLI has write-only attributes, the import plan must update the
// resource in place, since that update takes the CRM token out of the
// state; before, an update is optional.
func TestExplainImportUpdate(t *testing.T) {
	const updates, imports = "Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.", "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."
	for _, tc := range []struct {
		writeOnly bool
		output    string
		ok        bool
	}{
		{true, updates, true},
		{true, imports, false},
		{false, updates, true},
		{false, imports, true},
	} {
		var shown bytes.Buffer
		d := &demo{out: newPrinter(&shown), practice: practice{writeOnly: tc.writeOnly}}
		if err := d.explainImportUpdate(tc.output); (err == nil) != tc.ok {
			t.Errorf("writeOnly %t, %q: error %v, want ok = %t", tc.writeOnly, tc.output, err, tc.ok)
		}
		if tc.ok && (tc.output == updates) != (shown.Len() > 0) {
			t.Errorf("writeOnly %t, %q: explained %q", tc.writeOnly, tc.output, shown.String())
		}
	}
}
