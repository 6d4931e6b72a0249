package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The secrets of the guard tests, shaped like the demo's.
const (
	testKey   = "demo-key-5f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5"
	testToken = "demo-token-9a8b7c6d5e4f30211203f4e5d6c7b8a9"
)

func testGuard(writeOnly bool) *leakGuard {
	return newLeakGuard(map[string]string{"default number's API key": testKey},
		map[string]string{"CRM token": testToken}, writeOnly)
}

// testState is a state file of the demo's resource as Terraform writes it:
// the CRM destination's attributes and the instance's private data, in
// which the provider keeps base64 values in a base64 JSON object.
func testState(t *testing.T, crm map[string]any, private []byte) []byte {
	t.Helper()
	inner, err := json.Marshal(map[string][]byte{"knowledge": private})
	if err != nil {
		t.Fatal(err)
	}
	state, err := json.MarshalIndent(map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "4b6f",
		"resources": []any{map[string]any{
			"mode": "managed", "type": "d360_multi_webhook", "name": "support",
			"instances": []any{map[string]any{
				"schema_version": 1,
				"attributes": map[string]any{
					"id": "26fbb55b571bec88", "enabled": true,
					"destinations":       map[string]any{"crm": crm},
					"headers_wo_digests": map[string]any{"crm": map[string]string{"Authorization": "d20b395fb7681818"}},
				},
				"private": base64.StdEncoding.EncodeToString(inner),
			}},
		}},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// cleanCRM is the CRM destination as the state holds it on a CLI with
// write-only attributes: the plain header alone.
func cleanCRM() map[string]any {
	return map[string]any{"url": "https://crm.example.com/whatsapp", "headers": map[string]string{"X-Env": "demo"}, "headers_wo": nil}
}

// writeFile writes data to name in a new directory and returns the
// directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "main")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// wantLeak fails unless err reports the secret called name in the file,
// without showing any secret.
func wantLeak(t *testing.T, err error, name, file string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("the %s planted in %s was not found", name, file)
	case !strings.Contains(err.Error(), "the "+name+" appears in") || !strings.Contains(err.Error(), "main/"+file):
		t.Errorf("the error does not say that the %s is in main/%s: %v", name, file, err)
	case strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testToken):
		t.Errorf("the error shows a secret: %v", err)
	}
}

// A secret planted in a state fails the demo on a CLI with write-only
// attributes, wherever the state holds it and however it is encoded.
func TestLeakGuardFailsOnASecretInAState(t *testing.T) {
	withToken := cleanCRM()
	withToken["headers"] = map[string]string{"X-Env": "demo", "Authorization": "Bearer " + testToken}
	inURL := cleanCRM()
	inURL["url"] = "https://crm.example.com/whatsapp?auth=" + url.QueryEscape("Bearer "+testToken)
	for _, tc := range []struct {
		name, file string
		state      []byte
		secret     string
	}{
		{"token in headers", "terraform.tfstate", testState(t, withToken, nil), "CRM token"},
		{"token in the backup", "terraform.tfstate.backup", testState(t, withToken, nil), "CRM token"},
		{"token URL-encoded in a URL", "terraform.tfstate", testState(t, inURL, nil), "CRM token"},
		{"token in private data", "terraform.tfstate", testState(t, cleanCRM(), []byte(testToken)), "CRM token"},
		{"key base64 in private data", "terraform.tfstate",
			testState(t, cleanCRM(), []byte(base64.StdEncoding.EncodeToString([]byte("k="+testKey)))), "default number's API key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantLeak(t, testGuard(true).checkDir(writeFile(t, tc.file, tc.state)), tc.secret, tc.file)
		})
	}
}

// Before write-only attributes, the state holds header values by
// necessity: the guard counts those states and still fails on a key.
func TestLeakGuardWithoutWriteOnly(t *testing.T) {
	withToken := cleanCRM()
	withToken["headers"] = map[string]string{"X-Env": "demo", "Authorization": "Bearer " + testToken}
	g := testGuard(false)
	if err := g.checkDir(writeFile(t, "terraform.tfstate", testState(t, withToken, nil))); err != nil {
		t.Errorf("a header value in the state failed the fallback: %v", err)
	}
	if err := g.checkDir(writeFile(t, "terraform.tfstate", testState(t, cleanCRM(), nil))); err != nil {
		t.Errorf("a clean state failed: %v", err)
	}
	if len(g.states) != 2 || g.statesWithHeaders != 1 {
		t.Errorf("%d states, %d with header values; want 2 and 1", len(g.states), g.statesWithHeaders)
	}
	withKey := cleanCRM()
	withKey["url"] = "https://crm.example.com/?key=" + testKey
	wantLeak(t, g.checkDir(writeFile(t, "terraform.tfstate", testState(t, withKey, nil))), "default number's API key", "terraform.tfstate")
}

// A clean state passes, and a state is counted once however often it is
// scanned.
func TestLeakGuardPassesACleanState(t *testing.T) {
	g := testGuard(true)
	dir := writeFile(t, "terraform.tfstate", testState(t, cleanCRM(), []byte("settled after 2 polls")))
	for range 2 {
		if err := g.checkDir(dir); err != nil {
			t.Fatalf("a clean state failed: %v", err)
		}
	}
	if len(g.states) != 1 || len(g.plans) != 0 {
		t.Errorf("%d states and %d plans counted, want 1 and 0", len(g.states), len(g.plans))
	}
}

// A saved plan holding any secret, compressed in its zip archive, fails
// the demo on every CLI.
func TestLeakGuardFailsOnASecretInASavedPlan(t *testing.T) {
	plan := func(content string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "tfplan", Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(strings.Repeat("variables ", 20) + content))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, writeOnly := range []bool{true, false} {
		g := testGuard(writeOnly)
		wantLeak(t, g.checkDir(writeFile(t, planFile, plan("crm_token="+testToken))), "CRM token", planFile)
		wantLeak(t, g.checkDir(writeFile(t, planFile, plan("second_key="+testKey))), "default number's API key", planFile)
		if err := g.checkDir(writeFile(t, planFile, plan("nothing secret"))); err != nil {
			t.Errorf("writeOnly %t: a clean plan failed: %v", writeOnly, err)
		}
		if len(g.plans) != 3 {
			t.Errorf("writeOnly %t: %d plans counted, want 3", writeOnly, len(g.plans))
		}
	}
}

// The end of the demo claims what was checked: on a CLI with write-only
// attributes, states too; before, keys only in states.
func TestLeakGuardReport(t *testing.T) {
	info, err := parseVersion("Terraform v1.5.7")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(testGuard(true).report(info), " "); !strings.Contains(got, "no key or header value in any output, state or saved plan") {
		t.Errorf("report with write-only attributes: %s", got)
	}
	got := strings.Join(testGuard(false).report(info), " ")
	if !strings.Contains(got, "no key in any state") || !strings.Contains(got, "Terraform 1.5.7 has no headers_wo") {
		t.Errorf("report without write-only attributes: %s", got)
	}
}
