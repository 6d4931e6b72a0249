package fakeapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDisabledStatus(t *testing.T) {
	for _, status := range []int{0, 409, 200} {
		s := New(Options{DisabledStatus: status})
		want := status
		if want == 0 {
			want = 409
		}
		expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), want, disabled)
		// Changes other than POST answer 409 whatever DisabledStatus is.
		expect(t, do(t, s, "PUT", "/multi_webhook", testKey, put("a")), 409, disabled)
		expect(t, do(t, s, "PATCH", "/multi_webhook", testKey, `{"name": "a", "url": "https://a.example.com"}`), 409, disabled)
		expect(t, do(t, s, "DELETE", "/multi_webhook/a", testKey, ""), 409, disabled)
	}
}

func TestDisableKeepsDestinationsHidden(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com"), dest("b", "https://b.example.com")))
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": false}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	if st := s.State(testKey); st.Enabled || !slices.Equal(names(st.Destinations), []string{"a", "b"}) {
		t.Fatalf("State = %+v, want disabled with hidden a, b", st)
	}
	// Hidden survivors count and conflict by name when enabling with more.
	twoMore := `{"enabled": true, "destinations": [{"name": "c", "url": "https://c.example.com"}, {"name": "d", "url": "https://d.example.com"}]}`
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, twoMore), 400, `{"error": "You cannot add more than 3 destinations"}`)
	sameName := `{"enabled": true, "destinations": [{"name": "b", "url": "https://b2.example.com"}]}`
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, sameName), 400, `{"error": "Destination with name b already exists"}`)
	oneMore := `{"enabled": true, "destinations": [{"name": "c", "url": "https://c.example.com"}]}`
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, oneMore), 200, startedJS)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("after re-enable GET shows %v, want [a b c]", got)
	}
}

func TestClearOnDisable(t *testing.T) {
	s := New(Options{ClearOnDisable: true})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": false}`), 200, startedJS)
	if st := s.State(testKey); st.Enabled || len(st.Destinations) != 0 {
		t.Fatalf("State = %+v, want disabled and empty", st)
	}
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200, `{"enabled": true, "destinations": []}`)
}

func TestPostWhileEnabled(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	body := `{"enabled": true, "destinations": [{"name": "b", "url": "https://b.example.com", "headers": {"X-Token": "t"}}]}`
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, body), 200, startedJS)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("GET shows %v, want [a b]", got)
	}
	before := s.State(testKey)
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true, "destinations": []}`), 200, startedJS)
	if after := s.State(testKey); !reflect.DeepEqual(before, after) {
		t.Fatalf("no-op POST changed the state: %+v → %+v", before, after)
	}
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": false, "destinations": [{"name": "c", "url": "https://c.example.com"}]}`),
		400, `{"error": "Invalid json: field \"destinations\" is not allowed when \"enabled\" is false"}`)
}

func TestShuffleOrder(t *testing.T) {
	three := enabledWith(dest("a", "https://a.example.com"), dest("b", "https://b.example.com"), dest("c", "https://c.example.com"))
	want := []string{"a", "b", "c"}

	s := New(Options{})
	s.SetState(testKey, three)
	for range 50 {
		if got := visible(t, s); !slices.Equal(got, want) {
			t.Fatalf("without ShuffleOrder GET shows %v, want %v", got, want)
		}
	}

	s = New(Options{ShuffleOrder: true, Seed: 3})
	s.SetState(testKey, three)
	shuffled := false
	for range 100 {
		got := visible(t, s)
		if !slices.Equal(slices.Sorted(slices.Values(got)), want) {
			t.Fatalf("shuffled GET shows %v, not a permutation of %v", got, want)
		}
		shuffled = shuffled || !slices.Equal(got, want)
	}
	if !shuffled {
		t.Fatal("ShuffleOrder never produced another order in 100 GETs")
	}
	if st := s.State(testKey); !slices.Equal(names(st.Destinations), want) {
		t.Fatalf("shuffling changed the stored order: %v", names(st.Destinations))
	}
}

// statuses sends n requests and returns their statuses.
func statuses(t *testing.T, s *Server, n int, method, body string) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = do(t, s, method, "/multi_webhook", testKey, body).status
	}
	return out
}

func TestChangeFailureRate(t *testing.T) {
	const n, rate = 1000, 0.25
	run := func(seed int64) []int {
		return statuses(t, New(Options{ChangeFailureRate: rate, Seed: seed}), n, "POST", `{"enabled": true}`)
	}
	got := run(7)
	failed := 0
	for _, st := range got {
		switch st {
		case 500:
			failed++
		case 200:
		default:
			t.Fatalf("unexpected status %d", st)
		}
	}
	if lo, hi := int(n*rate*0.8), int(n*rate*1.2); failed < lo || failed > hi {
		t.Fatalf("%d of %d changes failed, want about %d", failed, n, int(n*rate))
	}
	if !slices.Equal(got, run(7)) {
		t.Fatal("the same seed gave another sequence of failures")
	}
	if slices.Equal(got, run(8)) {
		t.Fatal("another seed gave the same sequence of failures")
	}
}

func TestChangeFailureAppliesNothing(t *testing.T) {
	s := New(Options{ChangeFailureRate: 1})
	s.SetState(testKey, enabledWith())
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, put("a")), 500, opFailed)
	if s.Pending(testKey) != 0 || len(s.State(testKey).Destinations) != 0 {
		t.Fatal("a failed change was applied")
	}
}

func TestGetFailureRate(t *testing.T) {
	const n, rate = 1000, 0.3
	s := New(Options{GetFailureRate: rate, Seed: 11})
	s.SetState(testKey, enabledWith())
	var kinds []int
	for range n {
		r := do(t, s, "GET", "/multi_webhook", testKey, "")
		switch r.status {
		case 200:
			continue
		case 502:
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.body, "502 Bad Gateway") {
				t.Fatalf("502 fault is not an HTML page: %q %q", r.header.Get("Content-Type"), r.body)
			}
		case 500:
			expect(t, r, 500, `{"error": "Internal server error"}`)
		default:
			t.Fatalf("unexpected status %d", r.status)
		}
		kinds = append(kinds, r.status)
	}
	if lo, hi := int(n*rate*0.8), int(n*rate*1.2); len(kinds) < lo || len(kinds) > hi {
		t.Fatalf("%d of %d GETs failed, want about %d", len(kinds), n, int(n*rate))
	}
	for i, k := range kinds {
		if want := []int{502, 500}[i%2]; k != want {
			t.Fatalf("fault %d is %d, want %d (they alternate)", i, k, want)
		}
	}
}

func TestRateLimit(t *testing.T) {
	s, clock := newClocked(Options{RateLimit: 2, RateWindow: 2500 * time.Millisecond})
	for range 2 {
		expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	}
	r := do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`)
	expect(t, r, 429, `{"error": "Too many requests"}`)
	if ra := r.header.Get("Retry-After"); ra != "3" {
		t.Fatalf("Retry-After %q, want 3 (2.5s rounded up)", ra)
	}
	// Another key has its own window.
	expect(t, do(t, s, "GET", "/multi_webhook", "other-key", ""), 409, disabled)
	clock.Advance(2400 * time.Millisecond)
	r = do(t, s, "GET", "/multi_webhook", testKey, "")
	if r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Fatalf("got %d Retry-After %q, want 429 and 1 (at least one second)", r.status, r.header.Get("Retry-After"))
	}
	clock.Advance(100 * time.Millisecond)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	if c := s.CountsFor(testKey); c["GET"] != 4 || c["POST"] != 1 {
		t.Fatalf("CountsFor = %v, want the 429s counted too", c)
	}
	if got := s.Stats().Statuses["429"]; got != 2 {
		t.Fatalf("%d requests logged as 429, want 2", got)
	}
}

func TestResponseDelay(t *testing.T) {
	s := New(Options{ResponseDelay: 20 * time.Millisecond})
	start := time.Now()
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	if elapsed := time.Since(start); elapsed < 20*time.Millisecond {
		t.Fatalf("answered after %v, want at least 20ms", elapsed)
	}
	if d := s.Requests()[0].Duration; d < 20*time.Millisecond {
		t.Fatalf("logged duration %v, want at least 20ms", d)
	}
}

func TestResponseDelayHonoursContext(t *testing.T) {
	s := New(Options{ResponseDelay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	doCtx(t, ctx, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`)
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("handler ignored the cancelled context (%v)", elapsed)
	}
	if st := s.State(testKey); st.Enabled || s.Pending(testKey) != 0 {
		t.Fatal("a request abandoned by its client was applied")
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Status != 499 {
		t.Fatalf("log %+v, want one request with status 499", reqs)
	}
}

func TestResponseDelayOverNetwork(t *testing.T) {
	s := New(Options{ResponseDelay: time.Minute})
	started := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		s.ServeHTTP(w, r)
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/multi_webhook", nil)
	req.Header.Set(HeaderAPIKey, testKey)
	resp, err := ts.Client().Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatal("request answered despite a one-minute response delay")
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("handler still waiting after its client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Requests()[0].Status; st != 499 {
		t.Fatalf("logged status %d, want 499", st)
	}
}

func TestAuthentication(t *testing.T) {
	s := New(Options{})
	expect(t, do(t, s, "GET", "/multi_webhook", "", ""), 401, `{"error": "Missing D360-API-KEY header"}`)
	expect(t, do(t, s, "GET", "/multi_webhook", "anything", ""), 409, disabled)

	s = New(Options{AcceptedKeys: []string{"k1", "k2"}})
	expect(t, do(t, s, "GET", "/multi_webhook", "k1", ""), 409, disabled)
	expect(t, do(t, s, "POST", "/multi_webhook", "k2", `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", "k3", ""), 401, `{"error": "Invalid API key"}`)
	expect(t, do(t, s, "POST", "/multi_webhook", "k3", `{"enabled": true}`), 401, `{"error": "Invalid API key"}`)
	expect(t, do(t, s, "GET", "/multi_webhook", "", ""), 401, `{"error": "Missing D360-API-KEY header"}`)
	s.SetOptions(func(o *Options) { o.AcceptedKeys = append(o.AcceptedKeys, "k3") })
	expect(t, do(t, s, "GET", "/multi_webhook", "k3", ""), 409, disabled)
}

func TestKeysAreSeparateNumbers(t *testing.T) {
	s := New(Options{})
	expect(t, do(t, s, "POST", "/multi_webhook", "k1", `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", "k1", ""), 200, `{"enabled": true, "destinations": []}`)
	expect(t, do(t, s, "GET", "/multi_webhook", "k2", ""), 409, disabled)
}

func TestDeleteEscapedNames(t *testing.T) {
	odd := []string{"a b", "100%", "x/y", "a%2Fb", "ü-naïve", "+plus", "semi;colon", "q?x", "#hash", "dot.", "..", "tab\there"}
	for _, name := range odd {
		t.Run(name, func(t *testing.T) {
			s := New(Options{})
			s.SetState(testKey, enabledWith(dest(name, "https://a.example.com"), dest("keep", "https://k.example.com")))
			expect(t, do(t, s, "DELETE", "/multi_webhook/"+url.PathEscape(name), testKey, ""), 200, startedJS)
			if got := names(s.State(testKey).Destinations); !slices.Equal(got, []string{"keep"}) {
				t.Fatalf("after DELETE of %q the state holds %q", name, got)
			}
		})
	}
}

func TestDeleteEscapedNameOverNetwork(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	const name = "crm/eu 100%"
	s.SetState(testKey, enabledWith(dest(name, "https://a.example.com")))
	req, err := http.NewRequest("DELETE", ts.URL+"/multi_webhook/"+url.PathEscape(name), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(HeaderAPIKey, testKey)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || len(s.State(testKey).Destinations) != 0 {
		t.Fatalf("DELETE answered %d; state %+v", resp.StatusCode, s.State(testKey))
	}
	if p := s.Requests()[0].Path; p != "/multi_webhook/crm%2Feu%20100%25" {
		t.Fatalf("logged path %q", p)
	}
}

func TestRoutes(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	tests := []struct {
		method, path string
		status       int
		want, allow  string
	}{
		{"GET", "/", 404, `{"error": "Not found: /"}`, ""},
		{"GET", "/multi_webhooks", 404, `{"error": "Not found: /multi_webhooks"}`, ""},
		{"DELETE", "/multi_webhook/", 404, `{"error": "Not found: /multi_webhook/"}`, ""},
		{"DELETE", "/multi_webhook/x/y", 404, `{"error": "Not found: /multi_webhook/x/y"}`, ""},
		{"DELETE", "/multi_webhook", 405, `{"error": "Method DELETE not allowed, use GET, POST, PUT, PATCH"}`, "GET, POST, PUT, PATCH"},
		{"HEAD", "/multi_webhook", 405, `{"error": "Method HEAD not allowed, use GET, POST, PUT, PATCH"}`, "GET, POST, PUT, PATCH"},
		{"GET", "/multi_webhook/a", 405, `{"error": "Method GET not allowed, use DELETE"}`, "DELETE"},
		{"PATCH", "/multi_webhook/a", 405, `{"error": "Method PATCH not allowed, use DELETE"}`, "DELETE"},
	}
	for _, tt := range tests {
		r := do(t, s, tt.method, tt.path, testKey, "")
		if tt.method == "HEAD" {
			r.body = tt.want // a HEAD answer has no body to compare
		}
		expect(t, r, tt.status, tt.want)
		if got := r.header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
}

func TestSetOptionsAtRunTime(t *testing.T) {
	s := New(Options{})
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	s.SetOptions(func(o *Options) { o.DisabledStatus = 200 })
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200, disabled)
	s.SetOptions(func(o *Options) { o.ChangeFailureRate = 1 })
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 500, opFailed)
	if o := s.Options(); o.DisabledStatus != 200 || o.ChangeFailureRate != 1 || o.RateWindow != time.Second {
		t.Fatalf("Options() = %+v", o)
	}
}
