package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKey   = "test-key-1"
	startedJS = `{"message": "Operation has been started, please wait several seconds until change is applied"}`
	disabled  = `{"message": "Multi webhook is disabled, use POST to enable it first"}`
	opFailed  = `{"error": "Operation failed, please retry later or contact support"}`
)

// fakeClock is a manual clock for settle and rate-limit tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newClocked returns a Server driven by a manual clock.
func newClocked(opts Options) (*Server, *fakeClock) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := New(opts)
	s.now = clock.Now
	return s, clock
}

// result is a recorded answer.
type result struct {
	status int
	header http.Header
	body   string
}

// do sends one request straight to h.
func do(t *testing.T, h http.Handler, method, path, key, body string) result {
	t.Helper()
	return doCtx(t, context.Background(), h, method, path, key, body)
}

// doCtx sends one request with ctx straight to h.
func doCtx(t *testing.T, ctx context.Context, h http.Handler, method, path, key, body string) result {
	t.Helper()
	req := httptest.NewRequestWithContext(ctx, method, "http://fake.test"+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set(HeaderAPIKey, key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return result{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// errorText returns the "error" field of a JSON answer.
func (r result) errorText(t *testing.T) string {
	t.Helper()
	var body struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("answer %q is not JSON: %v", r.body, err)
	}
	return body.Error
}

// config is the body of a GET /multi_webhook that lists destinations.
type config struct {
	Enabled      bool          `json:"enabled"`
	Destinations []Destination `json:"destinations"`
}

// config decodes a GET answer.
func (r result) config(t *testing.T) config {
	t.Helper()
	var c config
	if err := json.Unmarshal([]byte(r.body), &c); err != nil {
		t.Fatalf("answer %q is not a config: %v", r.body, err)
	}
	return c
}

// assertJSON fails unless got and want are the same JSON value.
func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("answer %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected %q is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("answer\n  %s\nwant\n  %s", strings.TrimSpace(got), want)
	}
}

// expect fails unless r has status and the JSON body want.
func expect(t *testing.T, r result, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d (body %s)", r.status, status, strings.TrimSpace(r.body))
	}
	assertJSON(t, r.body, want)
}

// dest builds a destination with one Authorization header.
func dest(name, url string) Destination {
	return Destination{Name: name, URL: url, Headers: map[string]string{"Authorization": "Bearer " + name}}
}

// names lists the names of dests in order.
func names(dests []Destination) []string {
	out := make([]string, len(dests))
	for i, d := range dests {
		out[i] = d.Name
	}
	return out
}

// enabledWith is an enabled state holding dests.
func enabledWith(dests ...Destination) State {
	return State{Enabled: true, Destinations: dests}
}
