package fakeapi

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	webhookBody   = `{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod", "Authorization": "Bearer tok"}}`
	noWebhookJS   = `{"meta": {"success": false, "http_code": 404, "developer_message": "No webhook is configured for this number", "details": []}}`
	webhookSetJS  = `{"url": "https://app.example.com/wa"}`
	webhookShowJS = `{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod", "Authorization": "Bearer tok"}}`
)

// metaJS is the fake's error body of the primary webhook endpoint.
func metaJS(code int, msg string, details ...string) string {
	d, _ := json.Marshal(append([]string{}, details...))
	m, _ := json.Marshal(msg)
	return `{"meta": {"success": false, "http_code": ` + itoa(code) + `, "developer_message": ` + string(m) + `, "details": ` + string(d) + `}}`
}

// itoa formats a status.
func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestWebhookGetAndPost(t *testing.T) {
	s := New(Options{})
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 404, noWebhookJS)
	if s.Webhook(testKey) != nil {
		t.Fatal("a new number has a primary webhook")
	}
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, webhookShowJS)
	want := &Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"X-Env": "prod", "Authorization": "Bearer tok"}}
	if got := s.Webhook(testKey); !reflect.DeepEqual(got, want) {
		t.Fatalf("Webhook = %+v, want %+v", got, want)
	}
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://other.example.com"}`), 200, `{"url": "https://other.example.com"}`)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, `{"url": "https://other.example.com", "headers": {}}`)
	// The primary webhook and multi webhook are independent.
	if st := s.State(testKey); st.Enabled || len(st.Destinations) != 0 {
		t.Fatalf("multi webhook changed: %+v", st)
	}
	expect(t, do(t, s, "GET", PathWebhook, "other-key", ""), 404, noWebhookJS)
}

func TestWebhookSettles(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: 2 * time.Second})
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 404, noWebhookJS)
	if s.Pending(testKey) != 1 {
		t.Fatalf("Pending = %d, want 1", s.Pending(testKey))
	}
	// A second change while one is pending fails, as for multi webhook.
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://b.example.com"}`), 500, metaJS(500, ErrorOperationFailed))
	// A multi-webhook change is not held up by the pending webhook change.
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 200, startedJS)
	clock.Advance(1999 * time.Millisecond)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 404, noWebhookJS)
	clock.Advance(time.Millisecond)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, webhookShowJS)
	if s.Pending(testKey) != 0 || !s.State(testKey).Enabled {
		t.Fatalf("pending %d, state %+v after both settled", s.Pending(testKey), s.State(testKey))
	}
}

func TestWebhookQueueAndNeverSettle(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: time.Second, QueueWhilePending: true, NeverSettle: true})
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://a.example.com"}`), 200, `{"url": "https://a.example.com"}`)
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://b.example.com"}`), 200, `{"url": "https://b.example.com"}`)
	clock.Advance(time.Hour)
	if s.Webhook(testKey) != nil || s.Pending(testKey) != 2 {
		t.Fatalf("NeverSettle: webhook %+v, pending %d", s.Webhook(testKey), s.Pending(testKey))
	}
	s.SetOptions(func(o *Options) { o.NeverSettle = false })
	if w := s.Webhook(testKey); w == nil || w.URL != "https://b.example.com" {
		t.Fatalf("after NeverSettle: %+v, want the later change", w)
	}
}

func TestWebhookSettleJitter(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: time.Second, SettleJitter: 500 * time.Millisecond, Seed: 3})
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://a.example.com"}`), 200, `{"url": "https://a.example.com"}`)
	clock.Advance(499 * time.Millisecond)
	if s.Webhook(testKey) != nil {
		t.Fatal("settled before SettleDelay - SettleJitter")
	}
	clock.Advance(1001 * time.Millisecond)
	if s.Webhook(testKey) == nil {
		t.Fatal("not settled after SettleDelay + SettleJitter")
	}
}

func TestWebhookValidation(t *testing.T) {
	rules := []string{WebhookURLRule, "header names must be tokens without '_'", "header values must not contain CR or LF"}
	tests := []struct {
		body string
		msg  string
		rule bool // the answer lists the rules as details
	}{
		{`{"url": "http://app.example.com"}`, "Invalid webhook URL: http://app.example.com", true},
		{`{"url": "https://app_1.example.com"}`, "Invalid webhook URL: https://app_1.example.com", true},
		{`{"url": "https://app.example.com:8443/wa"}`, "Invalid webhook URL: https://app.example.com:8443/wa", true},
		{`{"url": "/relative"}`, "Invalid webhook URL: /relative", true},
		{`{"url": "ftp://app.example.com"}`, "Invalid webhook URL: ftp://app.example.com", true},
		{`{"url": "https://app.example.com", "headers": {"X_Token": "a"}}`, "Invalid header name: X_Token", true},
		{`{"url": "https://app.example.com", "headers": {"X Token": "a"}}`, "Invalid header name: X Token", true},
		{`{"url": "https://app.example.com", "headers": {"X-Token": "a\r\nInjected: b"}}`, "Invalid header value: X-Token", true},
		{`{"url": "https://app.example.com", "headers": {"X-Token": "a\nb"}}`, "Invalid header value: X-Token", true},
		{`not json`, "Invalid json: invalid character 'o' in literal null (expecting 'u')", false},
		{`[]`, "Invalid json: body must be a JSON object", false},
		{`{}`, `Invalid json: missing required field "url"`, false},
		{`{"url": ""}`, `Invalid json: field "url" must not be empty`, false},
		{`{"url": 1}`, `Invalid json: field "url" must be a string`, false},
		{`{"url": "https://app.example.com", "headers": []}`, `Invalid json: field "headers" must be an object of strings`, false},
		{`{"url": "https://app.example.com", "headers": {"X": 1}}`, `Invalid json: field "headers.X" must be a string`, false},
		{`{"url": "https://app.example.com", "enabled": true}`, `Invalid json: unknown field "enabled"`, false},
	}
	for _, tt := range tests {
		s := New(Options{})
		want := metaJS(400, tt.msg)
		if tt.rule {
			want = metaJS(400, tt.msg, rules...)
		}
		expect(t, do(t, s, "POST", PathWebhook, testKey, tt.body), 400, want)
		if s.Webhook(testKey) != nil || s.Pending(testKey) != 0 {
			t.Errorf("%s: a refused change was applied", tt.body)
		}
	}
}

func TestWebhookHeaderVisibility(t *testing.T) {
	s := New(Options{WebhookHeaders: HeadersOmitted})
	s.SetWebhook(testKey, &Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"X-Env": "prod", "Authorization": "Bearer tok"}})
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, `{"url": "https://app.example.com/wa"}`)
	s.SetOptions(func(o *Options) { o.WebhookHeaders = HeadersMasked })
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, `{"url": "https://app.example.com/wa", "headers": {"X-Env": "********", "Authorization": "********"}}`)
	s.SetOptions(func(o *Options) { o.WebhookHeaders = "no such mode" })
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, webhookShowJS)
	if s.Options().WebhookHeaders != HeadersShown {
		t.Errorf("an unknown visibility is %q, want shown", s.Options().WebhookHeaders)
	}
	// Hiding applies to GET only: the stored values are intact.
	if got := s.Webhook(testKey).Headers["Authorization"]; got != "Bearer tok" {
		t.Errorf("stored header %q", got)
	}
}

func TestWebhookFaults(t *testing.T) {
	s := New(Options{ChangeFailureRate: 1, GetFailureRate: 1})
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 500, metaJS(500, ErrorOperationFailed))
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 502, metaJS(502, ErrorBadGateway))
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 500, metaJS(500, ErrorInternal))
	if s.Webhook(testKey) != nil {
		t.Fatal("a failed change was applied")
	}
}

func TestWebhookAuthAndRoutes(t *testing.T) {
	s := New(Options{AcceptedKeys: []string{testKey}})
	expect(t, do(t, s, "GET", PathWebhook, "", ""), 401, metaJS(401, ErrorMissingAPIKey))
	expect(t, do(t, s, "POST", PathWebhook, "intruder", webhookBody), 401, metaJS(401, ErrorInvalidAPIKey))
	r := do(t, s, "DELETE", PathWebhook, testKey, "")
	expect(t, r, 405, metaJS(405, "Method DELETE not allowed, use GET, POST"))
	if r.header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	expect(t, do(t, s, "GET", PathWebhook+"/x", testKey, ""), 404, `{"error": "Not found: /v1/configs/webhook/x"}`)
}

func TestRateLimitIsSharedByBothEndpoints(t *testing.T) {
	s, _ := newClocked(Options{RateLimit: 2, RateWindow: time.Second})
	do(t, s, "GET", PathMultiWebhook, testKey, "")
	do(t, s, "GET", PathWebhook, testKey, "")
	r := do(t, s, "GET", PathWebhook, testKey, "")
	expect(t, r, 429, metaJS(429, ErrorTooManyRequests))
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 429, `{"error": "Too many requests"}`)
}

func TestWebhookSlowResponseAndClientGone(t *testing.T) {
	s := New(Options{ResponseDelay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	doCtx(t, ctx, s, "GET", PathWebhook, testKey, "")
	if time.Since(start) > 5*time.Second {
		t.Fatal("the delay outlived the request")
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Status != statusClientClosed || reqs[0].Endpoint != PathWebhook {
		t.Fatalf("log %+v", reqs)
	}
}

func TestWebhookOutOfBand(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: time.Second})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	// SetState drops the pending multi-webhook change only.
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 200, startedJS)
	s.SetState(testKey, enabledWith(dest("c", "https://c.example.com")))
	if s.Pending(testKey) != 1 {
		t.Fatalf("Pending = %d after SetState, want the webhook change only", s.Pending(testKey))
	}
	clock.Advance(time.Hour)
	if w := s.Webhook(testKey); w == nil || w.URL != "https://app.example.com/wa" {
		t.Fatalf("webhook %+v, want the change sent before SetState", w)
	}
	// SetWebhook drops the pending webhook change only.
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://later.example.com"}`), 200, `{"url": "https://later.example.com"}`)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("d")), 200, startedJS)
	s.SetWebhook(testKey, &Webhook{URL: "https://drift.example.com"})
	if s.Pending(testKey) != 1 {
		t.Fatalf("Pending = %d after SetWebhook, want the multi-webhook change only", s.Pending(testKey))
	}
	clock.Advance(time.Hour)
	if w := s.Webhook(testKey); w == nil || w.URL != "https://drift.example.com" {
		t.Fatalf("webhook %+v", w)
	}
	if got := names(s.State(testKey).Destinations); !reflect.DeepEqual(got, []string{"c", "d"}) {
		t.Fatalf("destinations %v", got)
	}
	s.SetWebhook(testKey, nil)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 404, noWebhookJS)
}

func TestChangesOfBothEndpointsSettleWhenDue(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: time.Second, QueueWhilePending: true})
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("a")), 200, startedJS) // queued: due at 2s
	clock.Advance(500 * time.Millisecond)
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS) // due at 1.5s
	clock.Advance(time.Second)
	if s.Webhook(testKey) == nil {
		t.Fatal("the webhook change waited behind a later multi-webhook change")
	}
	if st := s.State(testKey); !st.Enabled || len(st.Destinations) != 0 || s.Pending(testKey) != 1 {
		t.Fatalf("state %+v, pending %d at 1.5s", st, s.Pending(testKey))
	}
}

func TestCountsPerEndpoint(t *testing.T) {
	s := New(Options{})
	do(t, s, "POST", PathWebhook, testKey, webhookBody)
	do(t, s, "GET", PathWebhook, testKey, "")
	do(t, s, "GET", PathWebhook, testKey, "")
	do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`)
	do(t, s, "DELETE", PathMultiWebhook+"/a", testKey, "")
	do(t, s, "GET", PathMultiWebhook, "k2", "")
	if got := s.CountsAt(testKey, PathWebhook); !maps.Equal(got, map[string]int{"POST": 1, "GET": 2}) {
		t.Errorf("CountsAt(webhook) = %v", got)
	}
	if got := s.CountsAt(testKey, PathMultiWebhook); !maps.Equal(got, map[string]int{"POST": 1, "DELETE": 1}) {
		t.Errorf("CountsAt(multi webhook) = %v", got)
	}
	if got := s.CountsFor(testKey); !maps.Equal(got, map[string]int{"POST": 2, "GET": 2, "DELETE": 1}) {
		t.Errorf("CountsFor = %v", got)
	}
	if got := s.CountsAt("nobody", PathWebhook); got == nil || len(got) != 0 {
		t.Errorf("CountsAt(unknown key) = %v", got)
	}
	st := s.Stats()
	if !maps.Equal(st.Endpoints[PathWebhook], map[string]int{"POST": 1, "GET": 2}) ||
		!maps.Equal(st.Endpoints[PathMultiWebhook], map[string]int{"POST": 1, "DELETE": 1, "GET": 1}) ||
		!maps.Equal(st.KeyEndpoints[Fingerprint("k2")][PathMultiWebhook], map[string]int{"GET": 1}) {
		t.Errorf("stats %+v", st)
	}
	for _, r := range s.Requests() {
		if strings.Contains(r.Path, "webhook") && r.Endpoint == "" {
			t.Errorf("request %+v has no endpoint", r)
		}
	}
}
