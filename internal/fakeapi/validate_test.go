package fakeapi

import (
	"strings"
	"testing"
)

func TestInvalidJSON(t *testing.T) {
	tests := []struct {
		method, body string
		want         string // the whole "error" text
	}{
		{"POST", ``, "Invalid json: unexpected end of JSON input"},
		{"POST", `{"enabled": true`, "Invalid json: unexpected end of JSON input"},
		{"POST", `{"enabled": tru}`, "Invalid json: invalid character '}' in literal true (expecting 'e')"},
		{"POST", `{"enabled": true} {}`, "Invalid json: invalid character '{' after top-level value"},
		{"POST", `[]`, "Invalid json: body must be a JSON object"},
		{"POST", `null`, "Invalid json: body must be a JSON object"},
		{"POST", `{}`, `Invalid json: missing required field "enabled"`},
		{"POST", `{"enabled": null}`, `Invalid json: missing required field "enabled"`},
		{"POST", `{"Enabled": true}`, `Invalid json: unknown field "Enabled"`},
		{"POST", `{"enabled": "true"}`, `Invalid json: field "enabled" must be a boolean`},
		{"POST", `{"enabled": true, "destinations": {}}`, `Invalid json: field "destinations" must be an array`},
		{"POST", `{"enabled": true, "destinations": [42]}`, `Invalid json: field "destinations[0]" must be a JSON object`},
		{"POST", `{"enabled": true, "destinations": [{"url": "https://a.example.com"}]}`, `Invalid json: missing required field "destinations[0].name"`},
		{"POST", `{"enabled": true, "destinations": [{"name": "a"}]}`, `Invalid json: missing required field "destinations[0].url"`},
		{"POST", `{"enabled": true, "destinations": [{"name": "", "url": "https://a.example.com"}]}`, `Invalid json: field "destinations[0].name" must not be empty`},
		{"POST", `{"enabled": true, "destinations": [{"name": 1, "url": "https://a.example.com"}]}`, `Invalid json: field "destinations[0].name" must be a string`},
		{"POST", `{"enabled": false, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`, `Invalid json: field "destinations" is not allowed when "enabled" is false`},
		{"PUT", `{}`, `Invalid json: missing required field "destinations"`},
		{"PUT", `{"destinations": []}`, `Invalid json: field "destinations" must not be empty`},
		{"PUT", `{"destinations": [{"name": "a", "url": "https://a.example.com", "header": {}}]}`, `Invalid json: unknown field "destinations[0].header"`},
		{"PUT", `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": []}]}`, `Invalid json: field "destinations[0].headers" must be an object of strings`},
		{"PUT", `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": {"X": 1}}]}`, `Invalid json: field "destinations[0].headers.X" must be a string`},
		{"PUT", `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": {"X": null}}]}`, `Invalid json: field "destinations[0].headers.X" must be a string`},
		{"PATCH", `{"url": "https://a.example.com"}`, `Invalid json: missing required field "name"`},
		{"PATCH", `{"name": "a"}`, `Invalid json: missing required field "url"`},
		{"PATCH", `{"name": "a", "url": "https://a.example.com", "enabled": true}`, `Invalid json: unknown field "enabled"`},
	}
	for _, tt := range tests {
		s := New(Options{})
		s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
		r := do(t, s, tt.method, "/multi_webhook", testKey, tt.body)
		if r.status != 400 || r.errorText(t) != tt.want {
			t.Errorf("%s %s: got %d %s, want 400 %q", tt.method, tt.body, r.status, strings.TrimSpace(r.body), tt.want)
		}
	}
}

func TestHeadersAreOptional(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith())
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": null}]}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200,
		`{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com", "headers": {}}]}`)
}

func TestWebhookURLRules(t *testing.T) {
	valid := []string{
		"https://yourwebhook.example.com",
		"https://subdomain.yourwebhook.example.com",
		"https://example.com/path_with_underscore?x=a_b",
		"http://example.com/webhook",
		"HTTPS://EXAMPLE.COM/x",
		"https://user:pass@example.com/",
		"http://127.0.0.1/hook",
		"http://[::1]/hook",
	}
	invalid := []string{
		"https://your_webhook.example.com",
		"https://subdomain.your_webhook.example.com:3000",
		"https://example.com:443/webhook",
		"https://example.com:/webhook",
		"http://[::1]:8080/hook",
		"www.example.com/webhook",
		"/relative",
		"ftp://example.com",
		"mailto:a@example.com",
		"https:///nohost",
		"https://exa mple.com",
		"not a url",
	}
	for _, u := range valid {
		if !validWebhookURL(u) {
			t.Errorf("%q rejected", u)
		}
	}
	for _, u := range invalid {
		if validWebhookURL(u) {
			t.Errorf("%q accepted", u)
		}
		s := New(Options{})
		s.SetState(testKey, enabledWith())
		body := `{"destinations": [{"name": "a", "url": "` + u + `"}]}`
		expect(t, do(t, s, "PUT", "/multi_webhook", testKey, body), 400, `{"error": "Invalid webhook URL: `+u+`"}`)
	}
}

func TestHeaderRules(t *testing.T) {
	tests := []struct {
		headers string
		want    string // "" = accepted
	}{
		{`{"Authorization": "Bearer x", "X-Api-Key": "k", "Content-Type": "application/json"}`, ""},
		{`{"X_Api_Key": "k"}`, "Invalid header name: X_Api_Key"},
		{`{"": "k"}`, "Invalid header name: "},
		{`{"Bad Name": "k"}`, "Invalid header name: Bad Name"},
		{`{"X-Ok": "line\r\nInjected: yes"}`, "Invalid header value: X-Ok"},
	}
	for _, tt := range tests {
		for _, method := range []string{"PUT", "PATCH", "POST"} {
			s := New(Options{})
			s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
			body := map[string]string{
				"PUT":   `{"destinations": [{"name": "b", "url": "https://b.example.com", "headers": ` + tt.headers + `}]}`,
				"PATCH": `{"name": "a", "url": "https://a.example.com", "headers": ` + tt.headers + `}`,
				"POST":  `{"enabled": true, "destinations": [{"name": "b", "url": "https://b.example.com", "headers": ` + tt.headers + `}]}`,
			}[method]
			r := do(t, s, method, "/multi_webhook", testKey, body)
			if tt.want == "" {
				expect(t, r, 200, startedJS)
				continue
			}
			if r.status != 400 || r.errorText(t) != tt.want {
				t.Errorf("%s %s: got %d %s, want 400 %q", method, tt.headers, r.status, strings.TrimSpace(r.body), tt.want)
			}
		}
	}
}

func TestPatchReplacesURLAndHeaders(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith(
		Destination{Name: "a", URL: "https://a.example.com", Headers: map[string]string{"Old": "1", "Keep": "2"}},
		dest("b", "https://b.example.com")))
	expect(t, do(t, s, "PATCH", "/multi_webhook", testKey, `{"name": "a", "url": "https://a2.example.com", "headers": {"New": "3"}}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200, `{"enabled": true, "destinations": [
		{"name": "a", "url": "https://a2.example.com", "headers": {"New": "3"}},
		{"name": "b", "url": "https://b.example.com", "headers": {"Authorization": "Bearer b"}}]}`)
}
