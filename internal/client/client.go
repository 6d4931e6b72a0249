// Package client is a typed Go client for 360dialog's multi-webhook API
// (GET, POST, PUT, PATCH /multi_webhook and DELETE /multi_webhook/{name})
// and for a number's primary webhook (GET and POST /v1/configs/webhook).
//
// It knows nothing of Terraform: it logs through its own [Logger] interface,
// which the provider adapts to tflog.
//
// Retries are delegated to github.com/hashicorp/go-retryablehttp rather than a
// hand-written loop. It is HashiCorp's own, well-kept library, the one
// terraform-provider-http uses; it rewinds request bodies between attempts,
// honours the request context while waiting, and exposes every decision as a
// pluggable hook (CheckRetry, Backoff, ErrorHandler, RequestLogHook, Logger).
// This package plugs its own policy into those hooks: which answers are
// transient (including the API's "Operation failed" text inside a JSON body),
// a capped exponential backoff with jitter that honours Retry-After, and the
// typed [APIError] of the last answer once attempts are exhausted.
// retryablehttp's own logger is left unset on purpose: its LeveledLogger
// carries no context, and tflog needs the context of the call, so each attempt
// is logged from the hooks instead, through [Logger], never to stderr.
//
// Changes are asynchronous on 360dialog's side, so the package also offers
// [Number.WaitForMultiWebhook] and [Number.WaitForWebhook] to poll until a
// change is visible, and [Number.Lock] to keep a single change in flight
// per phone number across the process.
//
// No secret the Client knows (the API keys given to [Client.Number], the
// header values sent or received) appears in its errors or logs, in any
// encoding (redact.go). Every answer is checked against its documented
// shape, redirects are never followed, and every wait and retry ends with
// the caller's context.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	cleanhttp "github.com/hashicorp/go-cleanhttp"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// multiWebhookPath is the path of the multi-webhook resource, relative to the base URL.
const multiWebhookPath = "/multi_webhook"

// defaultUserAgent is sent when Options.UserAgent is empty, so that requests
// never go out as the anonymous "Go-http-client".
const defaultUserAgent = "terraform-provider-d360-client"

// defaultAttemptTimeout bounds one HTTP attempt when the HTTP client sets no
// timeout of its own, so that a server that never answers becomes a
// retryable network error well before a whole call's budget (the provider
// gives a read two minutes) is spent on one attempt. 360dialog answers in
// well under a second.
const defaultAttemptTimeout = 15 * time.Second

// Logger lets the caller route client logs (the provider adapts it to tflog).
// The Client removes its secrets from every message and field first, so
// they never contain a secret it knows.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Options configures a Client.
type Options struct {
	BaseURL   string      // required: see CheckBaseURL
	UserAgent string      // e.g. "terraform-provider-d360/1.2.3"
	Logger    Logger      // optional; nil = silent
	Retry     RetryPolicy // zero value = defaults
	Poll      PollPolicy  // zero value = defaults
	// httpClient replaces go-cleanhttp's default client, for tests only
	// (nothing outside the package needs another). It is used through a
	// copy that never follows redirects and, when its Timeout is zero,
	// bounds each attempt to 15 s.
	httpClient *http.Client
}

// RetryPolicy bounds the retries of one API call. Zero fields take defaults.
type RetryPolicy struct {
	MaxAttempts int           // default 8 (total attempts, not retries)
	WaitMin     time.Duration // default 250ms
	WaitMax     time.Duration // default 10s (cap of the exponential backoff)
	// Retry-After from a 429/503 is honoured even above WaitMax, up to RetryAfterMax (default 60s).
	RetryAfterMax time.Duration
}

// PollPolicy shapes the cold grid: the schedule of a wait while the Client
// knows nothing of how long changes of the number take to settle. Waits
// that follow what earlier ones learnt poll elsewhere first, and fall back
// to this grid (see schedule.go). Zero fields take the defaults of
// withDefaults, which DESIGN.md's "Waiting" section states and explains.
type PollPolicy struct {
	Initial time.Duration // first poll after the change, before jitter
	Factor  float64       // later polls at elapsed times growing by this factor (1: every Initial)
	Max     time.Duration // cap between polls
	// Jitter moves the whole grid of one wait later by up to this fraction
	// of each poll's time, drawn once per wait, so that waits started
	// together do not poll together.
	Jitter float64
}

// Client talks to one 360dialog API host. It is safe for concurrent use.
type Client struct {
	baseURL   string // scheme://host[/prefix], without a trailing slash
	userAgent string
	http      *http.Client
	log       Logger
	retry     RetryPolicy
	poll      PollPolicy
	settled   map[string]*settleMemory // by path polled: how long recent changes took to settle there
	secrets   *secretSet               // every secret the Client knows, kept out of errors and logs
}

// Number is a handle for one phone number, that is one API key.
type Number struct {
	client      *Client
	key         string
	fingerprint string
}

// New builds a Client from opts, filling defaults and validating the base URL
// and the policies.
func New(opts Options) (*Client, error) {
	base, err := parseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	retry, err := opts.Retry.withDefaults()
	if err != nil {
		return nil, err
	}
	poll, err := opts.Poll.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{baseURL: base, userAgent: opts.UserAgent, http: opts.httpClient, retry: retry, poll: poll,
		settled: map[string]*settleMemory{multiWebhookPath: {}, webhookPath: {}}, secrets: newSecretSet()}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.http == nil {
		c.http = cleanhttp.DefaultPooledClient()
	}
	c.http = withoutRedirects(c.http)
	if c.http.Timeout == 0 {
		c.http.Timeout = defaultAttemptTimeout
	}
	c.log = redactingLogger{next: opts.Logger, secrets: c.secrets}
	if opts.Logger == nil {
		c.log = nopLogger{}
	}
	return c, nil
}

// withoutRedirects returns a shallow copy of hc that never follows a
// redirect, leaving the caller's client as it was. A redirect would carry
// the API key, and a change's body with its header values, to wherever the
// Location points; the 3xx answer itself becomes the call's error instead.
// CheckRedirect alone would not do: net/http parses the Location before it
// asks CheckRedirect, and fails with an error quoting a Location it cannot
// parse. So the transport moves the Location of every 3xx answer out of
// net/http's sight, and net/http returns such an answer as it is.
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	next := cp.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cp.Transport = hideLocation{next: next}
	return &cp
}

// refusedLocationHeader holds the Location of a 3xx answer once
// hideLocation has moved it.
const refusedLocationHeader = "X-D360-Refused-Location"

// hideLocation is the transport of withoutRedirects.
type hideLocation struct {
	next http.RoundTripper
}

// RoundTrip sends req and moves the Location of a 3xx answer aside.
func (t hideLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil && isRedirect(resp.StatusCode) {
		resp.Header.Set(refusedLocationHeader, resp.Header.Get("Location"))
		resp.Header.Del("Location")
	}
	return resp, err
}

// withDefaults fills zero fields and rejects values that cannot work.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	p.MaxAttempts = orDefault(p.MaxAttempts, 8)
	p.WaitMin = orDefault(p.WaitMin, 250*time.Millisecond)
	p.WaitMax = orDefault(p.WaitMax, 10*time.Second)
	p.RetryAfterMax = orDefault(p.RetryAfterMax, 60*time.Second)
	switch {
	case p.MaxAttempts < 1:
		return p, fmt.Errorf("invalid retry policy: MaxAttempts %d is below 1", p.MaxAttempts)
	case p.WaitMin < 0 || p.WaitMax < 0 || p.RetryAfterMax < 0:
		return p, errors.New("invalid retry policy: durations must not be negative")
	case p.WaitMin > p.WaitMax:
		return p, fmt.Errorf("invalid retry policy: WaitMin %s is above WaitMax %s", p.WaitMin, p.WaitMax)
	}
	return p, nil
}

// withDefaults fills zero fields with the cold grid of DESIGN.md
// ("Waiting") and rejects values that cannot work.
func (p PollPolicy) withDefaults() (PollPolicy, error) {
	p.Initial = orDefault(p.Initial, 500*time.Millisecond)
	p.Factor = orDefault(p.Factor, 1.29)
	p.Max = orDefault(p.Max, 5*time.Second)
	p.Jitter = orDefault(p.Jitter, 0.1)
	switch {
	case p.Initial < 0 || p.Max < 0:
		return p, errors.New("invalid poll policy: durations must not be negative")
	case p.Factor < 1:
		return p, fmt.Errorf("invalid poll policy: Factor %g is below 1", p.Factor)
	case p.Jitter < 0 || p.Jitter >= 1:
		return p, fmt.Errorf("invalid poll policy: Jitter %g is outside [0, 1)", p.Jitter)
	}
	return p, nil
}

// orDefault returns def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Number returns a handle for one phone number (one API key), and adds the
// key to the secrets the Client keeps out of every text.
func (c *Client) Number(apiKey string) *Number {
	c.secrets.add(apiKey)
	return &Number{client: c, key: apiKey, fingerprint: Fingerprint(apiKey)}
}

// Fingerprint returns the Fingerprint of the number's API key.
func (num *Number) Fingerprint() string {
	return num.fingerprint
}

// request is one logical API call, before retries.
type request struct {
	method string
	path   string // API path as sent (escaped), e.g. /multi_webhook/a%20b
	body   []byte // nil for GET and DELETE
}

// response is the final answer of a call, with its body already read.
type response struct {
	status   int
	header   http.Header
	body     []byte
	attempts int
}

// send performs r with retries and returns the last answer, or an error when
// no answer could be obtained (network failure after retries, or ctx ended).
func (num *Number) send(ctx context.Context, r request) (*response, error) {
	if HasControl(num.key) {
		// net/http would refuse most of them in a header on every attempt,
		// and retries would only delay the same error.
		return nil, fmt.Errorf("%s %s: the API key of number %s contains a control character, such as a line break", r.method, r.path, num.fingerprint)
	}
	req, err := num.newRequest(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building the request: %w", r.method, r.path, err)
	}
	run := newRun(ctx, num, r)
	resp, err := run.retryClient().Do(req)
	if resp != nil {
		// The body was buffered by checkRetry; closing releases the original.
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, run.failure(err)
	}
	if run.lastErr != nil {
		return nil, run.failure(run.lastErr)
	}
	if isRedirect(run.last.status) {
		return nil, num.finish(redirectError(req.URL, r, run.last), run.last)
	}
	return run.last, nil
}

// HasControl reports whether s holds a control character: one of
// Unicode's category Cc, that is the C0 codes (tab included), DEL and the
// C1 codes. It is the one rule for every text that names or reaches a
// number: API keys (here, before anything is sent, and in the provider's
// validation), number names and destination names.
func HasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// newRequest builds the retryable request with the API's headers.
func (num *Number) newRequest(ctx context.Context, r request) (*retryablehttp.Request, error) {
	var body any
	if r.body != nil {
		body = r.body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, num.client.baseURL+r.path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("D360-API-KEY", num.key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", num.client.userAgent)
	return req, nil
}

// redactingLogger passes every message to next with the secrets removed.
type redactingLogger struct {
	next    Logger
	secrets *secretSet
}

// Debug logs a redacted debug message.
func (l redactingLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	l.next.Debug(ctx, l.secrets.redact(msg), l.redactFields(fields))
}

// Warn logs a redacted warning.
func (l redactingLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	l.next.Warn(ctx, l.secrets.redact(msg), l.redactFields(fields))
}

// redactFields returns a copy of fields in which every value other than a
// number or a boolean is its redacted text.
func (l redactingLogger) redactFields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		switch v.(type) {
		case bool, int, int64, float64:
			out[k] = v
		default:
			out[k] = l.secrets.redact(fmt.Sprint(v))
		}
	}
	return out
}

// nopLogger is the Logger used when Options.Logger is nil.
type nopLogger struct{}

// Debug discards the message.
func (nopLogger) Debug(context.Context, string, map[string]any) {}

// Warn discards the message.
func (nopLogger) Warn(context.Context, string, map[string]any) {}
