package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// metaBody builds the error shape of /v1/configs/webhook.
func metaBody(code int, msg string, details ...any) string {
	d := "[]"
	if len(details) > 0 {
		parts := make([]string, len(details))
		for i, v := range details {
			parts[i] = fmt.Sprintf("%#v", v)
			if s, ok := v.(string); ok {
				parts[i] = fmt.Sprintf("%q", s)
			}
		}
		d = "[" + strings.Join(parts, ",") + "]"
	}
	return fmt.Sprintf(`{"meta": {"success": false, "http_code": %d, "developer_message": %q, "details": %s}}`, code, msg, d)
}

const webhookShown = `{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod", "Authorization": "Bearer tok-123456"}}`

func TestSetWebhookSendsURLAndHeaders(t *testing.T) {
	cases := []struct {
		name string
		w    Webhook
		body string
	}{
		{"with headers", Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"X-Env": "prod"}},
			`{"url":"https://app.example.com/wa","headers":{"X-Env":"prod"}}`},
		// No headers are sent as {}: whether a POST without "headers" keeps
		// the previous ones is not documented, and {} clears them either way.
		{"nil headers", Webhook{URL: "https://app.example.com/wa"}, `{"url":"https://app.example.com/wa","headers":{}}`},
		{"empty headers", Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{}}, `{"url":"https://app.example.com/wa","headers":{}}`},
		{"hidden flag ignored", Webhook{URL: "https://a.example.com", HeadersHidden: true}, `{"url":"https://a.example.com","headers":{}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: 200, body: `{"url": "https://app.example.com/wa"}`})
			num, _ := fs.number(testKey)
			if err := num.SetWebhook(t.Context(), tc.w); err != nil {
				t.Fatal(err)
			}
			r := fs.requests()[0]
			if r.Method != http.MethodPost || r.Path != "/v1/configs/webhook" || r.Body != tc.body || r.Header.Get("D360-API-KEY") != testKey {
				t.Errorf("sent %s %s %s (key %q), want POST /v1/configs/webhook %s", r.Method, r.Path, r.Body, r.Header.Get("D360-API-KEY"), tc.body)
			}
		})
	}
}

func TestGetWebhookAnswers(t *testing.T) {
	shown := &Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"X-Env": "prod", "Authorization": "Bearer tok-123456"}}
	hidden := &Webhook{URL: "https://app.example.com/wa", HeadersHidden: true}
	withHeader := func(v string) string {
		return fmt.Sprintf(`{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod", "Authorization": %q}}`, v)
	}
	shownWith := func(v string) *Webhook {
		return &Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"X-Env": "prod", "Authorization": v}}
	}
	cases := []struct {
		name   string
		status int
		body   string
		want   *Webhook
	}{
		{"shown", 200, webhookShown, shown},
		{"unknown fields ignored", 200, `{"url": "https://app.example.com/wa", "id": 7, "headers": {"X-Env": "prod", "Authorization": "Bearer tok-123456"}}`, shown},
		{"no headers field", 200, `{"url": "https://app.example.com/wa"}`, hidden},
		{"null headers", 200, `{"url": "https://app.example.com/wa", "headers": null}`, hidden},
		{"no headers", 200, `{"url": "https://app.example.com/wa", "headers": {}}`, &Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{}}},
		{"stars", 200, withHeader("********"), hidden},
		{"three stars", 200, withHeader("***"), hidden},
		{"bullets", 200, withHeader("•••"), hidden},
		{"circles", 200, withHeader("●●●●●●"), hidden},
		{"scheme kept", 200, withHeader("Bearer ****"), hidden},
		{"last four kept", 200, withHeader("••••3456"), hidden},
		{"two stars are a value", 200, withHeader("a**b"), shownWith("a**b")},
		{"scattered stars are a value", 200, withHeader("*a*b*c*"), shownWith("*a*b*c*")},
		{"empty value is a value", 200, withHeader(""), shownWith("")},
		{"no primary webhook", 404, metaBody(404, "Webhook not found"), nil},
		// How GET shows a number without a primary webhook is not
		// documented: each of these can mean nothing else.
		{"no primary webhook, 404 error", 404, errBody("Webhook not found"), nil},
		{"no primary webhook, 404 message", 404, msgBody("Webhook not found"), nil},
		{"no primary webhook, empty url", 200, `{"url": ""}`, nil},
		{"no primary webhook, null url", 200, `{"url": null, "headers": null}`, nil},
		{"no primary webhook, empty object", 200, `{}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: tc.status, body: tc.body})
			num, _ := fs.number(testKey)
			got, err := num.GetWebhook(t.Context())
			if err != nil {
				t.Fatalf("GetWebhook: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if r := fs.requests()[0]; r.Method != http.MethodGet || r.Path != "/v1/configs/webhook" {
				t.Errorf("sent %s %s", r.Method, r.Path)
			}
		})
	}
}

func TestWebhookErrors(t *testing.T) {
	get := func(ctx context.Context, num *Number) error { _, err := num.GetWebhook(ctx); return err }
	set := func(ctx context.Context, num *Number) error {
		return num.SetWebhook(ctx, Webhook{URL: "https://app.example.com/wa"})
	}
	const invalid = "The webhook URL is not valid"
	cases := []struct {
		name     string
		call     func(context.Context, *Number) error
		status   int
		body     string
		kind     ErrorKind
		msg      string
		attempts int
	}{
		{"set 400", set, 400, metaBody(400, invalid, "url must use https", 7, "no port"), KindValidation, invalid + " (url must use https; no port)", 1},
		{"set 400 without details", set, 400, metaBody(400, invalid), KindValidation, invalid, 1},
		{"set 422", set, 422, metaBody(422, invalid), KindValidation, invalid, 1},
		{"set 401", set, 401, metaBody(401, "Invalid API key"), KindAuth, "Invalid API key", 1},
		{"get 403", get, 403, metaBody(403, "Forbidden"), KindAuth, "Forbidden", 1},
		{"set 404", set, 404, metaBody(404, "Channel not found"), KindNotFound, "Channel not found", 1},
		{"get 404 page", get, 404, "<h1>Not Found</h1>", KindNotFound, `Not Found (non-JSON body: "Not Found")`, 1},
		{"get 404 JSON of another shape", get, 404, `{"status": "not found"}`, KindNotFound, "Not Found (JSON body of an unexpected shape)", 1},
		{"set 500", set, 500, metaBody(500, "Internal error"), KindTransient, "Internal error", fastRetry.MaxAttempts},
		{"get 503", get, 503, metaBody(503, "Unavailable"), KindTransient, "Unavailable", fastRetry.MaxAttempts},
		{"set 200 with meta 500", set, 200, metaBody(500, "Internal error"), KindTransient, "Internal error", fastRetry.MaxAttempts},
		{"get 200 with meta 400", get, 200, metaBody(400, invalid), KindValidation, invalid, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: tc.status, body: tc.body})
			num, _ := fs.number(testKey)
			err := tc.call(t.Context(), num)
			e := apiErr(t, err)
			if e.Kind != tc.kind || e.Message != tc.msg || e.StatusCode != tc.status || e.Path != "/v1/configs/webhook" {
				t.Errorf("got %+v (kind %s), want kind %s, message %q", e, e.Kind, tc.kind, tc.msg)
			}
			if e.Attempts != tc.attempts || fs.count() != tc.attempts {
				t.Errorf("attempts %d, requests %d, want %d", e.Attempts, fs.count(), tc.attempts)
			}
		})
	}
}

func TestWebhookErrorText(t *testing.T) {
	fs := newFakeServer(t, reply{status: 400, body: metaBody(400, "Invalid url", "must be https")})
	num, _ := fs.number(testKey)
	err := num.SetWebhook(t.Context(), Webhook{URL: "http://app.example.com"})
	if want := "POST /v1/configs/webhook: HTTP 400: Invalid url (must be https)"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestWebhook429HonoursRetryAfter(t *testing.T) {
	fs := newFakeServer(t,
		reply{status: 429, body: metaBody(429, "Too many requests"), header: map[string]string{"Retry-After": "1"}},
		reply{status: 200, body: `{"url": "https://app.example.com/wa"}`})
	num, _ := fs.number(testKey)
	start := time.Now()
	if err := num.SetWebhook(t.Context(), Webhook{URL: "https://app.example.com/wa"}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < time.Second || fs.count() != 2 {
		t.Errorf("retried after %s with %d requests, want after Retry-After (1s) with 2", elapsed, fs.count())
	}
}

func TestWebhookAnswersMustHaveTheDocumentedShape(t *testing.T) {
	setBodies := map[string]string{
		"OK":                        "not JSON",
		`{"url": "https://a.exa`:    "malformed JSON",
		`{}`:                        `a JSON object without a string "url"`,
		`{"message": "ok"}`:         `a JSON object without a string "url"`,
		`{"url": 5}`:                `a JSON object without a string "url"`,
		`["https://a.example.com"]`: "a JSON array",
	}
	getBodies := map[string]string{
		`{"message": "ok"}`: `a JSON object without a string "url"`,
		`{"headers": {}}`:   `a JSON object without a string "url"`,
		`null`:              "JSON null",
		`{"url": "https://a.example.com", "headers": {"X": 1}}`: `"headers" is not an object of strings`,
		`{"url": "https://a.example.com", "headers": ["x"]}`:    `"headers" is not an object of strings`,
	}
	for name, bodies := range map[string]map[string]string{"set": setBodies, "get": getBodies} {
		for body, shape := range bodies {
			fs := newFakeServer(t, reply{status: 200, body: body, header: map[string]string{"Content-Type": "application/json"}})
			num, _ := fs.number(testKey)
			var err error
			if name == "set" {
				err = num.SetWebhook(t.Context(), Webhook{URL: "https://a.example.com"})
			} else {
				_, err = num.GetWebhook(t.Context())
			}
			want := fmt.Sprintf("unexpected answer (HTTP 200, application/json, %s): %s", plural(len(body), "byte"), shape)
			if e := apiErr(t, err); e.Kind != KindUnexpected || e.Message != want || fs.count() != 1 {
				t.Errorf("%s answered %q: got %+v after %d request(s), want message %q", name, body, e, fs.count(), want)
			}
		}
	}
}

func TestWebhookHeaderValuesBecomeSecrets(t *testing.T) {
	// No two of these share 4 bytes at either end, with each other or testKey.
	const sent, received, masked = "Token sent/abcdef", "Basic got/uvwxyz", "Hdr ●●●●●●●● mask"
	fs := newFakeServer(t,
		reply{status: 200, body: `{"url": "https://a.example.com"}`},
		reply{status: 200, body: `{"url": "https://a.example.com", "headers": {"A": "` + received + `"}}`},
		reply{status: 200, body: `{"url": "https://a.example.com", "headers": {"A": "` + masked + `"}}`})
	num, _ := fs.number(testKey)
	c := num.client
	if err := num.SetWebhook(t.Context(), Webhook{URL: "https://a.example.com", Headers: map[string]string{"A": sent}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := num.GetWebhook(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if c.secrets.redact(sent) != redactedMark || c.secrets.redact(received) != redactedMark {
		t.Errorf("header values not registered: %q, %q", c.secrets.redact(sent), c.secrets.redact(received))
	}
	if c.secrets.redact(masked) != masked {
		t.Errorf("a masked value was registered as a secret: %q", c.secrets.redact(masked))
	}
}

// showsNewURL is the predicate of most webhook wait tests.
func showsNewURL(w *Webhook) bool {
	return w != nil && w.URL == "https://new.example.com"
}

func TestWaitForWebhookPollsAtOnce(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: `{"url": "https://new.example.com"}`})
	num, _ := fs.number(testKey, withPoll(PollPolicy{Initial: time.Minute, Max: time.Minute}))
	start := time.Now()
	w, _, err := num.WaitForWebhook(t.Context(), "the new url", SettledWhen(showsNewURL))
	if err != nil || w.URL != "https://new.example.com" {
		t.Fatalf("WaitForWebhook: %+v, %v", w, err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second || fs.count() != 1 {
		t.Errorf("returned after %s and %d GETs, want at once after 1", elapsed, fs.count())
	}
	if _, ok := num.client.settled[webhookPath].estimate(num.fingerprint); ok {
		t.Error("a change seen at once taught the schedule a settle time")
	}
}

func TestWaitForWebhookPollsUntilVisible(t *testing.T) {
	fs := newFakeServer(t,
		reply{status: 404, body: metaBody(404, "not found")},
		reply{status: 200, body: `{"url": "https://old.example.com"}`},
		reply{status: 200, body: `{"url": "https://new.example.com"}`})
	num, log := fs.number(testKey)
	var seen []*Webhook
	w, _, err := num.WaitForWebhook(t.Context(), "the new url", SettledWhen(func(w *Webhook) bool {
		seen = append(seen, w)
		return showsNewURL(w)
	}))
	if err != nil || w.URL != "https://new.example.com" {
		t.Fatalf("WaitForWebhook: %+v, %v", w, err)
	}
	if fs.count() != 3 || len(seen) != 3 || seen[0] != nil || seen[1].URL != "https://old.example.com" {
		t.Errorf("%d GETs, predicate saw %+v", fs.count(), seen)
	}
	if _, ok := num.client.settled[webhookPath].estimate(num.fingerprint); !ok {
		t.Error("a change seen after a delay taught the schedule nothing")
	}
	if _, ok := num.client.settled[multiWebhookPath].estimate(num.fingerprint); ok {
		t.Error("the webhook's settle time was learnt for multi webhook")
	}
	if n := countLogs(log, "debug", "polled 360dialog API"); n != 3 {
		t.Errorf("%d poll logs, want 3", n)
	}
}

func TestWaitForWebhookTimesOutWithTheLastWebhook(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: `{"url": "https://old.example.com"}`})
	num, _ := fs.number(testKey)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, _, err := num.WaitForWebhook(ctx, "the new url", SettledWhen(showsNewURL))
	var wt *WaitTimeoutError[*Webhook]
	if !errors.As(err, &wt) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want a *WaitTimeoutError[*Webhook]", err)
	}
	if wt.Last == nil || wt.Last.URL != "https://old.example.com" || wt.Path != "/v1/configs/webhook" || wt.Polls < 2 {
		t.Errorf("got %+v", wt)
	}
	if !strings.Contains(err.Error(), "waiting for the new url (") || !strings.HasSuffix(err.Error(), "not yet visible in GET /v1/configs/webhook") {
		t.Errorf("error text %q", err.Error())
	}
}

func TestWaitForWebhookEndsOnAuthError(t *testing.T) {
	fs := newFakeServer(t, reply{status: 401, body: metaBody(401, "Invalid API key")})
	num, _ := fs.number(testKey)
	_, _, err := num.WaitForWebhook(t.Context(), "the new url", SettledWhen(showsNewURL))
	if !IsAuth(err) || !strings.HasPrefix(err.Error(), "waiting for the new url: GET /v1/configs/webhook: HTTP 401: Invalid API key") || fs.count() != 1 {
		t.Errorf("error %v after %d GETs", err, fs.count())
	}
}
