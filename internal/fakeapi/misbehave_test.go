package fakeapi

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	echoKey    = "sk-S3CRETKEY-0123456789"
	echoHeader = `Bearer <tok&"en>`
	echoPut    = `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": {"Authorization": "Bearer <tok&\"en>"}}]}`
)

// sendWith sends one request with the echo key and an extra header.
func sendWith(t *testing.T, h http.Handler, method, path, body string) result {
	t.Helper()
	req := httptest.NewRequest(method, "http://fake.test"+path, strings.NewReader(body))
	req.Header.Set(HeaderAPIKey, echoKey)
	req.Header.Set("X-Extra", echoHeader)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return result{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func TestMisbehavingBehavesByDefault(t *testing.T) {
	s := New(Options{})
	m := NewMisbehaving(s)
	expect(t, sendWith(t, m, "GET", PathMultiWebhook, ""), 409, disabled)
	m.Set(Misbehaviour{Mode: EchoRaw})
	m.Set(Misbehaviour{})
	expect(t, sendWith(t, m, "POST", PathMultiWebhook, `{"enabled": true}`), 200, startedJS)
	if n := len(s.Requests()); n != 2 {
		t.Fatalf("%d requests logged, want 2", n)
	}
}

func TestMisbehavingEchoes(t *testing.T) {
	cases := []struct {
		mode   MisbehaveMode
		status int
		want   []string // what the answer must contain
	}{
		{EchoRaw, 400, []string{"D360-Api-Key: " + echoKey, "X-Extra: " + echoHeader, echoPut}},
		{EchoJSON, 400, []string{`{"error":"Invalid json: `, `D360-Api-Key: ` + echoKey, `X-Extra: Bearer \u003ctok\u0026\"en\u003e`}},
		{EchoURLEncoded, 400, []string{"request=", url.QueryEscape("D360-Api-Key: " + echoKey), url.QueryEscape(echoHeader), url.QueryEscape(echoPut)}},
		{EchoHTMLPage, 403, []string{"<title>403 Forbidden</title>", "D360-Api-Key: sk-S3CRE…\n", "X-Extra: " + html.EscapeString(echoHeader)}},
	}
	for _, tc := range cases {
		s := New(Options{})
		s.SetState(echoKey, enabledWith())
		m := NewMisbehaving(s)
		m.Set(Misbehaviour{Mode: tc.mode})
		r := sendWith(t, m, "PUT", PathMultiWebhook, echoPut)
		if r.status != tc.status {
			t.Errorf("mode %d: status %d, want %d", tc.mode, r.status, tc.status)
		}
		for _, part := range tc.want {
			if !strings.Contains(r.body, part) {
				t.Errorf("mode %d: answer lacks %q:\n%s", tc.mode, part, r.body)
			}
		}
		if tc.mode == EchoJSON && !json.Valid([]byte(r.body)) {
			t.Errorf("EchoJSON answer is not JSON: %s", r.body)
		}
		if tc.mode == EchoHTMLPage && strings.Contains(r.body, echoKey[:9]) {
			t.Errorf("EchoHTMLPage shows more than 8 bytes of the key: %s", r.body)
		}
		if len(s.State(echoKey).Destinations) != 0 {
			t.Errorf("mode %d: the echoed change was applied", tc.mode)
		}
		if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Status != tc.status || reqs[0].Fingerprint != Fingerprint(echoKey) {
			t.Errorf("mode %d: log %+v", tc.mode, reqs)
		}
		expect(t, sendWith(t, m, "GET", PathMultiWebhook, ""), 200, `{"enabled": true, "destinations": []}`)
	}
}

func TestMisbehavingEchoHTMLPageKeyCut(t *testing.T) {
	m := NewMisbehaving(New(Options{}))
	m.Set(Misbehaviour{Mode: EchoHTMLPage, KeyCut: 5})
	r := sendWith(t, m, "POST", PathWebhook, `{"url": "https://a.example.com"}`)
	if r.status != 403 || !strings.Contains(r.body, "D360-Api-Key: sk-S3…\n") || strings.Contains(r.body, "sk-S3C") {
		t.Errorf("got %d\n%s", r.status, r.body)
	}
}

func TestMisbehavingRedirects(t *testing.T) {
	const to = "http://thief:pw@other.example.com:8080/steal?q=1"
	for _, status := range []int{0, 302, 307, 308} {
		m := NewMisbehaving(New(Options{}))
		m.Set(Misbehaviour{Mode: Redirect, RedirectStatus: status, RedirectTo: to})
		want := status
		if want == 0 {
			want = 307
		}
		for _, method := range []string{"GET", "POST"} {
			r := sendWith(t, m, method, PathMultiWebhook, `{"enabled": true}`)
			if r.status != want || r.header.Get("Location") != to {
				t.Errorf("status %d, %s: got %d to %q", status, method, r.status, r.header.Get("Location"))
			}
		}
	}
}

func TestMisbehavingHangsGets(t *testing.T) {
	s := New(Options{})
	m := NewMisbehaving(s)
	m.Set(Misbehaviour{Mode: HangGets})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	r := doCtx(t, ctx, m, "GET", PathWebhook, testKey, "")
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("GET returned after %s, want when its context ended", elapsed)
	}
	if reqs := s.Requests(); r.body != "" || len(reqs) != 1 || reqs[0].Status != statusClientClosed {
		t.Errorf("answer %q, log %+v", r.body, reqs)
	}
	// Changes are answered; a bounded context keeps a hang from stalling the test.
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	expect(t, doCtx(t, ctx, m, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 200, startedJS)
}

func TestMisbehavingChangeAnswers(t *testing.T) {
	for mode, want := range map[MisbehaveMode]string{ChangeNotJSON: "OK", ChangeMalformedJSON: `{"message": "Operation has been started, please wa`} {
		s := New(Options{})
		m := NewMisbehaving(s)
		m.Set(Misbehaviour{Mode: mode})
		for _, path := range []string{PathMultiWebhook, PathWebhook} {
			r := do(t, m, "POST", path, testKey, `{"enabled": true}`)
			if r.status != 200 || r.body != want || json.Valid([]byte(r.body)) {
				t.Errorf("mode %d, %s: got %d %q", mode, path, r.status, r.body)
			}
		}
		if s.State(testKey).Enabled {
			t.Errorf("mode %d: the change was applied", mode)
		}
	}
}

func TestMisbehavingGetAnswers(t *testing.T) {
	listed := func(ok func(config) bool) func(*testing.T, result) bool {
		return func(t *testing.T, r result) bool { return ok(r.config(t)) }
	}
	cases := map[MisbehaveMode]func(*testing.T, result) bool{
		GetDestinationsNotArray: func(_ *testing.T, r result) bool {
			return r.body == `{"enabled": true, "destinations": {}}`
		},
		GetDestinationWithoutName: listed(func(c config) bool {
			return len(c.Destinations) == 2 && c.Destinations[0].Name == "a" && c.Destinations[1].Name == ""
		}),
		GetDestinationWithoutURL: listed(func(c config) bool { return len(c.Destinations) == 1 && c.Destinations[0].URL == "" }),
	}
	for mode, ok := range cases {
		s := New(Options{})
		s.SetWebhook(testKey, &Webhook{URL: "https://app.example.com"})
		m := NewMisbehaving(s)
		m.Set(Misbehaviour{Mode: mode})
		r := do(t, m, "GET", PathMultiWebhook, testKey, "")
		if r.status != 200 || !ok(t, r) {
			t.Errorf("mode %d: got %d %s", mode, r.status, r.body)
		}
		expect(t, do(t, m, "GET", PathWebhook, testKey, ""), 200, `{"url": "https://app.example.com", "headers": {}}`)
	}
}
