package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

const html502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502   Bad
Gateway</h1></center>
<hr><center>nginx &amp; friends</center>
</body>
</html>`

func TestNonJSONBodiesBecomeReadableErrors(t *testing.T) {
	long := strings.Repeat("word ", 500)
	cases := []struct {
		name   string
		method string
		status int
		body   string
		msg    string
		kind   ErrorKind
	}{
		{"html 502", http.MethodPut, 502, html502, `Bad Gateway (non-JSON body: "502 Bad Gateway 502 Bad Gateway nginx & friends")`, KindTransient},
		{"empty 500", http.MethodPatch, 500, "", "Internal Server Error (empty body)", KindTransient},
		{"blank 400", http.MethodPost, 400, " \n ", "Bad Request (empty body)", KindUnknown},
		{"truncated json", http.MethodPut, 400, `{"error": "Destination with na`, "Bad Request (malformed or truncated JSON body, 30 bytes)", KindUnknown},
		{"json without text", http.MethodDelete, 418, `{"detail": 1}`, "I'm a teapot (JSON body of an unexpected shape)", KindUnknown},
		{"json null", http.MethodDelete, 418, `null`, "I'm a teapot (JSON body of an unexpected shape)", KindUnknown},
		{"long text", http.MethodPost, 400, long, `Bad Request (non-JSON body: "` + strings.TrimSpace(long)[:excerptMax] + `…")`, KindUnknown},
		{"unknown status", http.MethodPost, 499, "nope", `unexpected answer (non-JSON body: "nope")`, KindUnknown},
		{"html on get", http.MethodGet, 200, html502, `unexpected answer (HTTP 200, text/html; charset=utf-8, 158 bytes): not JSON`, KindUnexpected},
		{"html on a change", http.MethodPost, 200, html502, `unexpected answer (HTTP 200, text/html; charset=utf-8, 158 bytes): not JSON`, KindUnexpected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: tc.status, body: tc.body})
			num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 2, WaitMin: 1, WaitMax: 1}))
			var err error
			if tc.method == http.MethodGet {
				_, err = num.GetMultiWebhook(t.Context())
			} else {
				err = callByMethod(t.Context(), num, tc.method)
			}
			e := apiErr(t, err)
			if e.Message != tc.msg || e.Kind != tc.kind || e.StatusCode != tc.status {
				t.Errorf("got message %q kind %s status %d\nwant message %q kind %s", e.Message, e.Kind, e.StatusCode, tc.msg, tc.kind)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	cases := map[string]string{
		"<p>a</p><p>b</p>":       "a b",
		"  a \t\n b  ":           "a b",
		"x &lt;y&gt; &amp; z":    "x <y> & z",
		"unclosed <tag":          "unclosed",
		"a > b":                  "a > b",
		"\xff\xfeok":             "\uFFFDok",
		strings.Repeat("é", 300): strings.Repeat("é", 10) + "…",
		"0123456[redacted] more": "0123456…",
		"012345678[redacted]":    "012345678…",
		"0[redacted]2345678901":  "0…",
		"[redacted]0":            "[redacted]…",
		"012345678[x":            "012345678[…",
	}
	for in, want := range cases {
		n := 10
		if !strings.HasPrefix(in, "é") && !strings.ContainsAny(in, "0[") {
			n = 100
		}
		if got := excerpt(in, n); got != want {
			t.Errorf("excerpt(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAPIErrorString(t *testing.T) {
	cases := []struct {
		err  *APIError
		want string
	}{
		{&APIError{Method: "PUT", Path: "/multi_webhook", StatusCode: 400, Message: "Destination with name crm already exists", Attempts: 1},
			"PUT /multi_webhook: HTTP 400: Destination with name crm already exists"},
		{&APIError{Method: "GET", Path: "/multi_webhook", StatusCode: 503, Message: errOperationFaild, Attempts: 8},
			"GET /multi_webhook: HTTP 503: " + errOperationFaild + " (gave up after 8 attempts)"},
		{&APIError{Method: "DELETE", Path: "/multi_webhook/a%20b", Message: "connection refused", Attempts: 3},
			"DELETE /multi_webhook/a%20b: connection refused (gave up after 3 attempts)"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q\nwant %q", got, tc.want)
		}
	}
}

func TestPredicatesWorkThroughWrapping(t *testing.T) {
	preds := map[ErrorKind]func(error) bool{
		KindTransient: kindIs(KindTransient), KindValidation: IsValidation, KindAuth: IsAuth,
		KindNotFound: IsNotFound, KindDisabled: IsDisabled, KindRedirect: kindIs(KindRedirect), KindUnexpected: kindIs(KindUnexpected),
	}
	for kind, pred := range preds {
		err := fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", &APIError{Kind: kind}))
		for other, otherPred := range preds {
			if got := otherPred(err); got != (other == kind) {
				t.Errorf("predicate for %s on a %s error = %v", other, kind, got)
			}
		}
		if pred(nil) || pred(errors.New("plain")) || pred(context.Canceled) {
			t.Errorf("predicate for %s matched a non-API error", kind)
		}
	}
}

func TestKindString(t *testing.T) {
	seen := map[string]bool{}
	for k := KindUnknown; k <= KindUnexpected; k++ {
		s := k.String()
		if s == "" || seen[s] {
			t.Errorf("kind %d has name %q (empty or duplicate)", int(k), s)
		}
		seen[s] = true
	}
}

// fuzzSeeds are the documented bodies and some junk.
var fuzzSeeds = []string{
	msgBody(msgStarted), msgBody(msgDisabled), errBody(errInvalidJSON), errBody(errAlreadyExists),
	errBody(errNamesUnique), errBody(errMoreThanThree), errBody(errOperationFaild),
	docGETList, docGETListLiteral, html502,
	"", "null", "[]", "{", "}", `"text"`, "42", `{"error": 1}`, `{"error": null, "message": null}`,
	`{"error": ""}`, `{"enabled":"yes"}`, `{"enabled":true,"destinations":[null]}`,
	`{"enabled":true,"destinations":[{"headers":null}]}`, `{"enabled":false,"destinations":[{"name":"a"}]}`,
	`{"enabled":true,"destinations":{}}`, "\xff\xfe\x00", "<", "<<>>&#;", strings.Repeat("{", 10000),
	`{"enabled":true,"destinations":[{"name":"a","url":"u"},{"name":"a","url":"v"}]}`,
	`{"enabled":true,"destinations":[{"name":"a","url":"u","headers":{"k":1}}]}`,
	`{"enabled":true,"destinations":[{"name":"","url":"u"}]}`, `{"enabled":true,"destinations":[{"name":"a"}]}`,
	`{"message":"x","error":null}`, `{"message":1}`, `{"url":"https://a.example.com","headers":{"X":"***"}}`,
	`{"meta":{"success":false,"http_code":400,"developer_message":"bad url","details":["no port"]}}`,
	`{"meta":{"success":false,"http_code":"400"}}`, `{"meta":{"success":true}}`, `{"meta":[]}`,
}

func FuzzDecodeResponse(f *testing.F) {
	for _, body := range fuzzSeeds {
		for _, status := range []int{200, 400, 404, 409, 500} {
			f.Add(status, []byte(body))
		}
	}
	f.Add(-1, []byte(msgBody(msgStarted)))
	f.Add(1<<40, []byte(html502))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &response{status: status, header: http.Header{"Content-Type": {"text/html"}}, body: body}
		get := request{method: http.MethodGet, path: multiWebhookPath}
		cfg, e := decodeMultiWebhook(get, resp, nil)
		if (cfg == nil) == (e == nil) {
			t.Fatalf("decodeConfig returned config %+v and error %v", cfg, e)
		}
		if cfg != nil {
			checkConfig(t, cfg)
		} else {
			checkDecodedError(t, e, get, status, body)
		}
		checkWebhookDecoders(t, resp)
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			change := request{method: m, path: multiWebhookPath}
			_, e := checkChange(change, resp, nil)
			if e == nil {
				checkAccepted(t, status, body)
			} else {
				checkDecodedError(t, e, change, status, body)
			}
		}
	})
}

// checkWebhookDecoders decodes resp as answers to GET and POST
// /v1/configs/webhook and asserts what the provider relies on: no webhook
// only for a 404, headers either shown or hidden, and a POST accepted only
// with a success status and a string "url".
func checkWebhookDecoders(t *testing.T, resp *response) {
	t.Helper()
	get := request{method: http.MethodGet, path: webhookPath}
	w, e := decodeWebhook(get, resp, nil)
	switch {
	case e != nil:
		checkDecodedError(t, e, get, resp.status, resp.body)
	case w == nil && !meansNoWebhook(resp):
		t.Fatalf("no webhook and no error for %d %q", resp.status, resp.body)
	case w != nil && (w.HeadersHidden == (w.Headers != nil)):
		t.Fatalf("webhook %+v is neither shown nor hidden", w)
	}
	set := request{method: http.MethodPost, path: webhookPath}
	if _, e := checkWebhookSet(set, resp, nil); e != nil {
		checkDecodedError(t, e, set, resp.status, resp.body)
	} else if _, ok := stringOf(parseAnswer(resp.body).fields["url"]); !ok || !is2xx(resp.status) {
		t.Fatalf("POST answered %d %q accepted", resp.status, resp.body)
	}
}

// meansNoWebhook reports whether an answer to GET /v1/configs/webhook may
// stand for a number without a primary webhook: a 404 in one of the API's
// error shapes, or a success holding an empty object or a null or empty
// url.
func meansNoWebhook(resp *response) bool {
	a := parseAnswer(resp.body)
	if resp.status == http.StatusNotFound {
		return a.failed() || a.msgText != ""
	}
	u, hasURL := a.fields["url"]
	s, _ := stringOf(u)
	return is2xx(resp.status) && a.isObject() && (len(a.fields) == 0 || hasURL && (isNull(u) || s == ""))
}

// checkConfig asserts the invariants the provider relies on: a disabled
// number has no destinations, and every destination has a name unique in
// the config, a URL, and a non-nil Headers map.
func checkConfig(t *testing.T, cfg *MultiWebhook) {
	t.Helper()
	if !cfg.Enabled && cfg.Destinations != nil {
		t.Fatalf("disabled config with destinations: %+v", cfg)
	}
	names := map[string]bool{}
	for _, d := range cfg.Destinations {
		if d.Name == "" || d.URL == "" || d.Headers == nil || names[d.Name] {
			t.Fatalf("destination %+v breaks an invariant of %+v", d, cfg)
		}
		names[d.Name] = true
	}
}

// checkAccepted asserts that an accepted change answered a success status
// with a JSON object holding a string "message" and no "error".
func checkAccepted(t *testing.T, status int, body []byte) {
	t.Helper()
	var obj map[string]any
	_ = json.Unmarshal(body, &obj)
	if _, isString := obj["message"].(string); !is2xx(status) || !isString || obj["error"] != nil {
		t.Fatalf("a change answered %d %q was accepted", status, body)
	}
}

// checkDecodedError asserts that a decoded error is well formed and readable.
func checkDecodedError(t *testing.T, e *APIError, r request, status int, body []byte) {
	t.Helper()
	if e.Method != r.method || e.StatusCode != status || e.Message == "" {
		t.Fatalf("malformed error %+v", e)
	}
	if e.Kind < KindUnknown || e.Kind > KindUnexpected {
		t.Fatalf("kind %d out of range", e.Kind)
	}
	if e.Kind == KindUnexpected && !is2xx(status) {
		t.Fatalf("status %d classified %s", status, e.Kind)
	}
	if !strings.HasPrefix(e.Error(), r.method+" "+r.path+": ") {
		t.Fatalf("error text %q lacks its method and path", e.Error())
	}
	if (status == 401 || status == 403) && e.Kind != KindAuth && e.Kind != KindTransient && e.Kind != KindDisabled {
		t.Fatalf("status %d classified %s", status, e.Kind)
	}
	if !parseAnswer(body).isObject() {
		checkReadable(t, e.Message)
	}
}

// checkReadable asserts that a message made from a body that is not the
// API's JSON is a capped, valid, single-line excerpt.
func checkReadable(t *testing.T, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\n\r\t") || utf8.RuneCountInString(msg) > 2*excerptMax+80 {
		t.Fatalf("unreadable message %q", msg)
	}
}
