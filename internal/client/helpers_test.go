package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Documented answers, verbatim from the multi-webhook documentation page.
const (
	msgStarted        = "Operation has been started, please wait several seconds until change is applied"
	msgDisabled       = "Multi webhook is disabled, use POST to enable it first"
	errInvalidJSON    = "Invalid json: <details>"
	errAlreadyExists  = "Destination with name destination2 already exists"
	errNamesUnique    = "Destination names must be unique"
	errMoreThanThree  = "You cannot add more than 3 destinations"
	errOperationFaild = "Operation failed, please retry later or contact support"
)

// docGETList is the documented GET answer, with the comma the page forgot
// between the two destinations.
const docGETList = `{
  "enabled": true,
  "destinations": [
    {"name": "Webhook1", "url": "https://example.com/webhook1", "headers": {"Authorization": "Bearer abc123"}},
    {"name": "Webhook2", "url": "https://example.com/webhook2", "headers": {"Authorization": "Bearer abc123"}}
  ]
}`

// docGETListLiteral is the documented GET answer exactly as printed, which is
// not valid JSON (the comma between the destinations is missing).
const docGETListLiteral = `{
  "enabled": true,
  "destinations": [
    {
      "name": "Webhook1",
      "url": "https://example.com/webhook1",
      "headers": {"Authorization": "Bearer abc123"}
    }
      {
      "name": "Webhook2",
      "url": "https://example.com/webhook2",
      "headers": {"Authorization": "Bearer abc123"}
    }
  ]
}`

// errBody and msgBody build the API's two JSON answer forms.
func errBody(text string) string { return fmt.Sprintf(`{"error": %q}`, text) }
func msgBody(text string) string { return fmt.Sprintf(`{"message": %q}`, text) }

// fastRetry and fastPoll keep tests in the millisecond range.
var (
	fastRetry = RetryPolicy{MaxAttempts: 4, WaitMin: time.Millisecond, WaitMax: 4 * time.Millisecond, RetryAfterMax: 2 * time.Second}
	fastPoll  = PollPolicy{Initial: time.Millisecond, Factor: 2, Max: 4 * time.Millisecond, Jitter: 0.1}
)

// testKey is the API key of most tests.
const testKey = "test-key-0123456789"

// reply is one scripted answer of a test server.
type reply struct {
	status int
	body   string
	header map[string]string
}

// seen is one request received by a test server.
type seen struct {
	Method string
	Path   string // escaped, as sent
	Header http.Header
	Body   string
}

// fakeServer answers with a script of replies (the last one repeats) and
// records every request. A nil script answers 200 with the started message
// to changes and the documented list to GET.
type fakeServer struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	script []reply
	reqs   []seen
	hold   bool // never answer; return when the client goes away
}

// holdAnswers makes the server record requests but never answer them.
func (fs *fakeServer) holdAnswers() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.hold = true
}

// newFakeServer starts a loopback test server answering with script.
func newFakeServer(t *testing.T, script ...reply) *fakeServer {
	t.Helper()
	fs := &fakeServer{t: t, script: script}
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.srv.Close)
	return fs
}

// serve records the request and writes the next scripted reply.
func (fs *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	fs.mu.Lock()
	fs.reqs = append(fs.reqs, seen{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: string(body)})
	rep, hold := fs.next(r.Method), fs.hold
	fs.mu.Unlock()
	if hold {
		<-r.Context().Done()
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

// next returns the reply for the request just recorded; fs.mu is held.
func (fs *fakeServer) next(method string) reply {
	if len(fs.script) == 0 {
		if method == http.MethodGet {
			return reply{status: http.StatusOK, body: docGETList}
		}
		return reply{status: http.StatusOK, body: msgBody(msgStarted)}
	}
	i := min(len(fs.reqs)-1, len(fs.script)-1)
	return fs.script[i]
}

// requests returns a copy of the requests received so far.
func (fs *fakeServer) requests() []seen {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seen(nil), fs.reqs...)
}

// count returns how many requests were received.
func (fs *fakeServer) count() int {
	return len(fs.requests())
}

// number returns a Number on fs with fast policies and a recording logger.
func (fs *fakeServer) number(key string, opts ...func(*Options)) (*Number, *recLogger) {
	fs.t.Helper()
	return newTestNumber(fs.t, fs.srv.URL, key, opts...)
}

// newTestNumber builds a Client on baseURL with fast policies and a
// recording logger, and returns the Number of key.
func newTestNumber(t *testing.T, baseURL, key string, opts ...func(*Options)) (*Number, *recLogger) {
	t.Helper()
	log := &recLogger{}
	o := Options{BaseURL: baseURL, UserAgent: "terraform-provider-d360/test", Logger: log, Retry: fastRetry, Poll: fastPoll}
	for _, f := range opts {
		f(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c.Number(key), log
}

// withRetry and withPoll override a policy of newTestNumber.
func withRetry(p RetryPolicy) func(*Options) { return func(o *Options) { o.Retry = p } }
func withPoll(p PollPolicy) func(*Options)   { return func(o *Options) { o.Poll = p } }

// logEntry is one message received by recLogger.
type logEntry struct {
	Level  string
	Msg    string
	Fields map[string]any
}

// recLogger records every message, safely across goroutines.
type recLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

// Debug records a debug message.
func (l *recLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("debug", msg, fields)
}

// Warn records a warning.
func (l *recLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("warn", msg, fields)
}

// add records one message, copying its fields.
func (l *recLogger) add(level, msg string, fields map[string]any) {
	cp := make(map[string]any, len(fields))
	for k, v := range fields {
		cp[k] = v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{Level: level, Msg: msg, Fields: cp})
}

// all returns a copy of the recorded messages.
func (l *recLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// dump renders every recorded message and field as text.
func (l *recLogger) dump() string {
	var b strings.Builder
	for _, e := range l.all() {
		fmt.Fprintf(&b, "%s %s %v\n", e.Level, e.Msg, e.Fields)
	}
	return b.String()
}

// apiErr extracts the *APIError of err or fails the test.
func apiErr(t *testing.T, err error) *APIError {
	t.Helper()
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return e
}

// kindIs returns a predicate that reports whether an error is an APIError
// of kind k, anywhere in its chain.
func kindIs(k ErrorKind) func(error) bool {
	return func(err error) bool { return kindOf(err) == k }
}
