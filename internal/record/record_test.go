package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShape(t *testing.T) {
	cases := []struct{ body, want string }{
		{``, "empty"},
		{"  \n", "empty"},
		{`<html><body>502</body></html>`, "html"},
		{`Bad Gateway`, "text"},
		{`{"enabled": tru`, "text"},
		{`null`, "null"},
		{`{"enabled": true}`, `{"enabled": boolean}`},
		{`{"enabled": true, "destinations": null}`, `{"destinations": null, "enabled": boolean}`},
		{`{"enabled": true, "destinations": []}`, `{"destinations": [], "enabled": boolean}`},
		{`{"message": "Operation has been started"}`, `{"message": string}`},
		{`{"meta": {"success": false, "http_code": 400, "developer_message": "x", "details": ["a", "b"]}}`,
			`{"meta": {"details": [string], "developer_message": string, "http_code": number, "success": boolean}}`},
		// Header names are users' names, recorded as *; their values only as types.
		{`{"enabled": true, "destinations": [{"name": "a", "url": "u", "headers": {"Authorization": "Bearer s3cret", "X-Env": "p"}},
			{"name": "b", "url": "u", "headers": {}}]}`,
			`{"destinations": [{"headers": {*: string}, "name": string, "url": string} | {"headers": {}, "name": string, "url": string}], "enabled": boolean}`},
		{`[1, "a", 2]`, `[number | string]`},
	}
	for _, tc := range cases {
		if got := Shape([]byte(tc.body)); got != tc.want {
			t.Errorf("Shape(%q) = %s, want %s", tc.body, got, tc.want)
		}
	}
}

func TestShapeHoldsNoValue(t *testing.T) {
	body := `{"url": "https://app.example.com/hook?token=s3cret", "headers": {"X-Token": "s3cret"}, "n": 42, "ok": true}`
	got := Shape([]byte(body))
	for _, value := range []string{"s3cret", "app.example.com", "X-Token", "42", "true"} {
		if strings.Contains(got, value) {
			t.Errorf("Shape holds %q: %s", value, got)
		}
	}
}

func TestSecretsAreScrubbed(t *testing.T) {
	r := New()
	r.Secret("k3y-value")
	r.Add(Answer{Endpoint: "GET /x", Situation: "echo", Status: 200, Shape: Shape([]byte(`{"k3y-value": 1}`))})
	data, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "k3y-value") {
		t.Fatalf("record holds a secret: %s", data)
	}
	if !strings.Contains(string(data), "[secret]") {
		t.Fatalf("record does not say where the secret was: %s", data)
	}
}

func TestSaveLoadCompare(t *testing.T) {
	a := New()
	a.Add(Answer{Endpoint: "GET /multi_webhook", Situation: "enabled, no destinations", Status: 200,
		ContentType: "application/json", Shape: `{"destinations": [], "enabled": boolean}`})
	a.Add(Answer{Endpoint: "DELETE /multi_webhook/{name}", Situation: "unknown name", Status: 404,
		ContentType: "application/json", Shape: `{"error": string}`})
	a.Observe("PATCH headers", "replace")
	path := filepath.Join(t.TempDir(), "a.json")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := Compare(a, loaded); len(diffs) != 0 {
		t.Fatalf("a record differs from itself after Save and Load: %v", diffs)
	}

	b := New()
	b.Add(Answer{Endpoint: "GET /multi_webhook", Situation: "enabled, no destinations", Status: 200,
		ContentType: "text/plain; charset=utf-8", Shape: `{"enabled": boolean}`})
	b.Add(Answer{Endpoint: "PUT /multi_webhook", Situation: "while disabled", Status: 200,
		ContentType: "application/json", Shape: `{"message": string}`})
	b.Observe("PATCH headers", "merge")
	diffs := Compare(a, b)
	var got []string
	for _, d := range diffs {
		got = append(got, d.What)
	}
	want := []string{
		"DELETE /multi_webhook/{name} — unknown name",
		"GET /multi_webhook — enabled, no destinations",
		"PUT /multi_webhook — while disabled",
		"behaviour: PATCH headers",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("differences:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if diffs[0].B != notRecorded || diffs[2].A != notRecorded {
		t.Errorf("one-sided answers must say so: %v", diffs)
	}
	if !strings.Contains(diffs[1].B, "text/plain") || !strings.Contains(diffs[1].A, `"destinations": []`) {
		t.Errorf("a changed answer must show both sides: %+v", diffs[1])
	}
	report := Report(diffs, "fake", "live")
	if !strings.HasPrefix(report, "4 differences between A (fake) and B (live)") {
		t.Errorf("report: %s", report)
	}
	if Report(nil, "x", "y") != "no differences between x and y\n" {
		t.Errorf("report of no differences: %q", Report(nil, "x", "y"))
	}
}

func TestLoadRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"bad.json": "{", "v2.json": `{"version": 2}`} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil {
			t.Errorf("Load(%s) accepted %q", name, content)
		}
	}
}
