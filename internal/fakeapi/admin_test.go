package fakeapi

import (
	"encoding/json"
	"maps"
	"testing"
)

func TestAdminHandler(t *testing.T) {
	s := New(Options{})
	admin := s.AdminHandler()
	do(t, s, "POST", "/multi_webhook", "k1", `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`)
	do(t, s, "GET", "/multi_webhook", "k1", "")
	do(t, s, "GET", "/multi_webhook", "k2", "")

	r := do(t, admin, "GET", "/_fake/stats", "", "")
	var stats Stats
	if err := json.Unmarshal([]byte(r.body), &stats); err != nil || r.status != 200 {
		t.Fatalf("stats: %d %s (%v)", r.status, r.body, err)
	}
	if stats.Total != 3 || !maps.Equal(stats.Methods, map[string]int{"GET": 2, "POST": 1}) ||
		!maps.Equal(stats.Statuses, map[string]int{"200": 2, "409": 1}) ||
		!maps.Equal(stats.Keys[Fingerprint("k1")], map[string]int{"GET": 1, "POST": 1}) {
		t.Fatalf("stats = %+v", stats)
	}

	expect(t, do(t, admin, "GET", "/_fake/state?fingerprint="+Fingerprint("k1"), "", ""), 200,
		`{"fingerprint": "`+Fingerprint("k1")+`", "enabled": true, "pending": 0,
		  "destinations": [{"name": "a", "url": "https://a.example.com", "headers": {}}]}`)
	expect(t, do(t, admin, "GET", "/_fake/state?fingerprint=nope", "", ""), 404, `{"error": "Unknown fingerprint: nope"}`)
	r = do(t, admin, "GET", "/_fake/state", "", "")
	var all struct{ Numbers []NumberState }
	if err := json.Unmarshal([]byte(r.body), &all); err != nil || len(all.Numbers) != 2 {
		t.Fatalf("state of all: %s (%v)", r.body, err)
	}

	expect(t, do(t, admin, "POST", "/_fake/reset?scope=log", "", ""), 200, `{"message": "reset"}`)
	if len(s.Requests()) != 0 || !s.State("k1").Enabled {
		t.Fatal("reset of the log only did not keep the state")
	}
	expect(t, do(t, admin, "POST", "/_fake/reset", "", ""), 200, `{"message": "reset"}`)
	if s.State("k1").Enabled || len(s.Numbers()) != 0 {
		t.Fatal("full reset kept the state")
	}
	expect(t, do(t, admin, "POST", "/_fake/reset?scope=all", "", ""), 400, `{"error": "scope must be empty or \"log\""}`)
	expect(t, do(t, admin, "POST", "/_fake/stats", "", ""), 405, `{"error": "Method POST not allowed, use GET"}`)
	expect(t, do(t, admin, "GET", "/_fake/nope", "", ""), 404, `{"error": "Not found: /_fake/nope"}`)
	if len(s.Requests()) != 0 {
		t.Fatal("admin requests were logged")
	}
}

func TestAdminShowsThePrimaryWebhook(t *testing.T) {
	s := New(Options{})
	admin := s.AdminHandler()
	do(t, s, "POST", PathWebhook, "k1", `{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod"}}`)
	do(t, s, "GET", PathWebhook, "k1", "")
	id := Fingerprint("k1")
	expect(t, do(t, admin, "GET", "/_fake/state?fingerprint="+id, "", ""), 200,
		`{"fingerprint": "`+id+`", "enabled": false, "pending": 0, "destinations": [],
		  "webhook": {"url": "https://app.example.com/wa", "headers": {"X-Env": "prod"}}}`)
	var stats Stats
	if r := do(t, admin, "GET", "/_fake/stats", "", ""); json.Unmarshal([]byte(r.body), &stats) != nil {
		t.Fatalf("stats: %s", r.body)
	}
	if !maps.Equal(stats.Endpoints[PathWebhook], map[string]int{"GET": 1, "POST": 1}) ||
		!maps.Equal(stats.KeyEndpoints[id][PathWebhook], map[string]int{"GET": 1, "POST": 1}) {
		t.Errorf("stats %+v", stats)
	}
	expect(t, do(t, admin, "POST", "/_fake/reset", "", ""), 200, `{"message": "reset"}`)
	if s.Webhook("k1") != nil {
		t.Error("reset kept the primary webhook")
	}
}
