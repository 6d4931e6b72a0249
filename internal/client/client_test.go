package client

import (
	"strings"
	"testing"
	"time"
)

func TestNewValidatesBaseURL(t *testing.T) {
	valid := map[string]string{
		"https://waba-v2.360dialog.io":     "https://waba-v2.360dialog.io",
		"https://waba-v2.360dialog.io/":    "https://waba-v2.360dialog.io",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080",
		"https://proxy.example.com/d360//": "https://proxy.example.com/d360",
	}
	for raw, want := range valid {
		c, err := New(Options{BaseURL: raw})
		if err != nil {
			t.Errorf("New(%q): unexpected error %v", raw, err)
			continue
		}
		if c.baseURL != want {
			t.Errorf("New(%q): base %q, want %q", raw, c.baseURL, want)
		}
	}
	invalid := []string{
		"", "waba-v2.360dialog.io", "/multi_webhook", "ftp://example.com", "https://",
		"https://example.com?x=1", "https://example.com/?", "https://example.com#frag",
		"https://user:pass@example.com", "://missing-scheme", "http://[::1",
	}
	for _, raw := range invalid {
		if _, err := New(Options{BaseURL: raw}); err == nil {
			t.Errorf("New(%q): expected an error", raw)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io"})
	if err != nil {
		t.Fatal(err)
	}
	wantRetry := RetryPolicy{MaxAttempts: 8, WaitMin: 250 * time.Millisecond, WaitMax: 10 * time.Second, RetryAfterMax: 60 * time.Second}
	if c.retry != wantRetry {
		t.Errorf("retry policy %+v, want %+v", c.retry, wantRetry)
	}
	wantPoll := PollPolicy{Initial: 500 * time.Millisecond, Factor: 1.29, Max: 5 * time.Second, Jitter: 0.1}
	if c.poll != wantPoll {
		t.Errorf("poll policy %+v, want %+v", c.poll, wantPoll)
	}
	if c.http == nil || c.http.Timeout != defaultAttemptTimeout {
		t.Errorf("default HTTP client %+v, want one with a %s timeout", c.http, defaultAttemptTimeout)
	}
	if c.userAgent != defaultUserAgent || c.log == nil {
		t.Errorf("user agent %q, logger %v", c.userAgent, c.log)
	}
}

func TestNewKeepsExplicitPolicies(t *testing.T) {
	c, err := New(Options{BaseURL: "https://x.example", Retry: RetryPolicy{MaxAttempts: 1}, Poll: PollPolicy{Factor: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if c.retry.MaxAttempts != 1 || c.retry.WaitMin != 250*time.Millisecond {
		t.Errorf("retry policy %+v: explicit MaxAttempts lost or defaults not filled", c.retry)
	}
	if c.poll.Factor != 3 || c.poll.Initial != 500*time.Millisecond {
		t.Errorf("poll policy %+v: explicit Factor lost or defaults not filled", c.poll)
	}
}

func TestNewRejectsBadPolicies(t *testing.T) {
	bad := map[string]Options{
		"negative attempts": {Retry: RetryPolicy{MaxAttempts: -1}},
		"min above max":     {Retry: RetryPolicy{WaitMin: time.Second, WaitMax: time.Millisecond}},
		"negative wait":     {Retry: RetryPolicy{RetryAfterMax: -time.Second}},
		"factor below 1":    {Poll: PollPolicy{Factor: 0.5}},
		"jitter of 1":       {Poll: PollPolicy{Jitter: 1}},
		"negative jitter":   {Poll: PollPolicy{Jitter: -0.1}},
		"negative initial":  {Poll: PollPolicy{Initial: -time.Second}},
	}
	for name, o := range bad {
		o.BaseURL = "https://waba-v2.360dialog.io"
		if _, err := New(o); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}

func TestFingerprint(t *testing.T) {
	// SHA-256 test vectors: "" and "abc".
	if got := Fingerprint(""); got != "e3b0c44298fc1c14" {
		t.Errorf(`Fingerprint("") = %q`, got)
	}
	if got := Fingerprint("abc"); got != "ba7816bf8f01cfea" {
		t.Errorf(`Fingerprint("abc") = %q`, got)
	}
	c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io"})
	if err != nil {
		t.Fatal(err)
	}
	num := c.Number(testKey)
	if num.Fingerprint() != Fingerprint(testKey) || len(num.Fingerprint()) != 16 || strings.Contains(num.Fingerprint(), testKey) {
		t.Errorf("Number.Fingerprint() = %q", num.Fingerprint())
	}
	if c.Number(testKey+"x").Fingerprint() == num.Fingerprint() {
		t.Error("two keys share a fingerprint")
	}
}

func TestConfigFind(t *testing.T) {
	cfg := &MultiWebhook{Enabled: true, Destinations: []Destination{{Name: "crm", URL: "https://a"}, {Name: "CRM", URL: "https://b"}}}
	if d, ok := cfg.Find("CRM"); !ok || d.URL != "https://b" {
		t.Errorf("Find(CRM) = %+v, %v", d, ok)
	}
	if _, ok := cfg.Find("Crm"); ok {
		t.Error("Find must be case-sensitive")
	}
	var nilCfg *MultiWebhook
	if _, ok := nilCfg.Find("crm"); ok {
		t.Error("Find on a nil config found something")
	}
}

func TestBaseURLPrefixIsKept(t *testing.T) {
	fs := newFakeServer(t)
	num, _ := newTestNumber(t, fs.srv.URL+"/prefix/", testKey)
	if err := num.DeleteDestination(t.Context(), "crm"); err != nil {
		t.Fatal(err)
	}
	if got := fs.requests()[0].Path; got != "/prefix/multi_webhook/crm" {
		t.Errorf("path %q", got)
	}
}

func TestDefaultUserAgentIsSent(t *testing.T) {
	fs := newFakeServer(t)
	num, _ := fs.number(testKey, func(o *Options) { o.UserAgent = "" })
	if _, err := num.GetMultiWebhook(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := fs.requests()[0].Header.Get("User-Agent"); got != defaultUserAgent {
		t.Errorf("User-Agent %q", got)
	}
}

func TestBaseURLErrorsNeverShowCredentials(t *testing.T) {
	// The user is alice and the secret hunter2pw, in userinfo, query or
	// fragment; neither may appear in any error.
	cases := map[string]string{
		"http://alice:hunter2pw@example.com":             `"http://example.com": credentials in the URL are refused`,
		"https://alice:hunter2pw@example.com/p?x=1":      `"https://example.com/p": credentials`,
		"ftp://alice:hunter2pw@example.com":              `"ftp://example.com": credentials`,
		"http://alice:hunter2pw@[::1":                    `"http://[::1": it is not a URL`,
		"http://al ice:hunter2pw@example.com":            `"http://example.com": it is not a URL`,
		"alice:hunter2pw@example.com":                    `"example.com": `,
		"//alice:hunter2pw@example.com/x":                `"//example.com/x": `,
		"https://example.com/?key=hunter2pw":             `"https://example.com/": it must not carry a query or fragment`,
		"https://example.com/#hunter2pw":                 `"https://example.com/": it must not carry a query or fragment`,
		"https://alice@b:hunter2pw@example.com":          `"https://example.com": credentials`,
		"ftp://example.com/@path":                        `"ftp://example.com/@path": the scheme must be https, not "ftp"`,
		"http://example.com:port":                        `"http://example.com:port": it is not a URL`,
		"https://alice:hunter2pw@example.com:99999/x%zz": `"https://example.com:99999/x%zz": `,
	}
	for raw, want := range cases {
		_, err := New(Options{BaseURL: raw})
		if err == nil {
			t.Errorf("New(%q): no error", raw)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q): error %q lacks %q", raw, err, want)
		}
		if strings.Contains(err.Error(), "hunter2pw") || strings.Contains(err.Error(), "alice") {
			t.Errorf("New(%q): error %q shows credentials", raw, err)
		}
	}
}

func TestKeyWithAControlCharacterIsRefusedAtOnce(t *testing.T) {
	for _, key := range []string{"sk-line\nbreak-secret", "sk-carriage\rreturn", "sk-nul\x00byte", "sk-del\x7fchar",
		"sk-tab\tchar", "sk-c1\u0085char"} {
		fs := newFakeServer(t)
		num, _ := fs.number(key)
		_, err := num.GetMultiWebhook(t.Context())
		if err == nil || !strings.Contains(err.Error(), "contains a control character") || strings.Contains(err.Error(), "sk-") {
			t.Errorf("key %q: error %v", key, err)
		}
		if fs.count() != 0 {
			t.Errorf("key %q: %d requests sent", key, fs.count())
		}
	}
	fs := newFakeServer(t)
	num, _ := fs.number("sk-inner space-is-allowed")
	if _, err := num.GetMultiWebhook(t.Context()); err != nil || fs.count() != 1 {
		t.Errorf("a space inside the key: error %v after %d request(s)", err, fs.count())
	}
}
