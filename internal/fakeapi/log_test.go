package fakeapi

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"
)

func TestFingerprint(t *testing.T) {
	// The first 16 hex digits of sha256("k").
	if got, want := Fingerprint("k"), "8254c329a92850f6"; got != want {
		t.Fatalf("Fingerprint(k) = %q, want %q", got, want)
	}
	if Fingerprint("") != "" {
		t.Fatal("Fingerprint of the empty key is not empty")
	}
}

func TestRequestLogAndCounts(t *testing.T) {
	const key = "secret-key-value"
	s := New(Options{})
	before := time.Now()
	do(t, s, "GET", "/multi_webhook", key, "")
	do(t, s, "POST", "/multi_webhook", key, `{"enabled": true}`)
	do(t, s, "DELETE", "/multi_webhook/a%20b", key, "")
	do(t, s, "GET", "/multi_webhook", "other", "")
	do(t, s, "GET", "/multi_webhook", "", "")

	reqs := s.Requests()
	want := []struct {
		method, path, fingerprint string
		status                    int
	}{
		{"GET", "/multi_webhook", Fingerprint(key), 409},
		{"POST", "/multi_webhook", Fingerprint(key), 200},
		{"DELETE", "/multi_webhook/a%20b", Fingerprint(key), 404},
		{"GET", "/multi_webhook", Fingerprint("other"), 409},
		{"GET", "/multi_webhook", "", 401},
	}
	if len(reqs) != len(want) {
		t.Fatalf("log has %d entries, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path || r.Fingerprint != w.fingerprint || r.Status != w.status {
			t.Errorf("entry %d = %+v, want %+v", i, r, w)
		}
		if r.Time.Before(before) || r.Duration < 0 {
			t.Errorf("entry %d has time %v and duration %v", i, r.Time, r.Duration)
		}
	}
	if raw, _ := json.Marshal(reqs); strings.Contains(string(raw), key) {
		t.Fatal("the request log contains the raw API key")
	}
}

func TestCountsAndResetLog(t *testing.T) {
	const key = "secret-key-value"
	s := New(Options{})
	do(t, s, "GET", "/multi_webhook", key, "")
	do(t, s, "POST", "/multi_webhook", key, `{"enabled": true}`)
	do(t, s, "DELETE", "/multi_webhook/a%20b", key, "")
	do(t, s, "GET", "/multi_webhook", "other", "")
	do(t, s, "GET", "/multi_webhook", "", "")

	if got, want := s.Counts(), map[string]int{"GET": 3, "POST": 1, "DELETE": 1}; !maps.Equal(got, want) {
		t.Errorf("Counts = %v, want %v", got, want)
	}
	if got, want := s.CountsFor(key), map[string]int{"GET": 1, "POST": 1, "DELETE": 1}; !maps.Equal(got, want) {
		t.Errorf("CountsFor = %v, want %v", got, want)
	}
	if got := s.CountsFor("never-used"); len(got) != 0 || got == nil {
		t.Errorf("CountsFor(unused) = %#v, want an empty map", got)
	}

	s.ResetLog()
	if len(s.Requests()) != 0 || len(s.Counts()) != 0 || len(s.CountsFor(key)) != 0 {
		t.Fatal("ResetLog left entries")
	}
	if !s.State(key).Enabled {
		t.Fatal("ResetLog changed the state")
	}
}

func TestLogIsBounded(t *testing.T) {
	l := newRequestLog()
	if l.limit != maxLogEntries {
		t.Fatalf("limit %d, want %d", l.limit, maxLogEntries)
	}
	l.limit = 100
	for i := range 1000 {
		l.add(Request{Method: "GET", Status: i})
	}
	if len(l.entries) > 100 || l.entries[len(l.entries)-1].Status != 999 {
		t.Fatalf("log holds %d entries, more than 100, or lost the newest", len(l.entries))
	}
	if l.byMethod["GET"] != 1000 {
		t.Fatalf("count %d, want every request counted", l.byMethod["GET"])
	}
}
