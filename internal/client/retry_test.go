package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestExpBackoff(t *testing.T) {
	p := RetryPolicy{WaitMin: 100 * time.Millisecond, WaitMax: time.Second}
	cases := []struct {
		retry int
		rnd   float64
		want  time.Duration
	}{
		{0, 0, 100 * time.Millisecond},    // ceiling 100ms, floor WaitMin
		{0, 0.99, 100 * time.Millisecond}, // never below WaitMin, never above the ceiling
		{1, 0, 100 * time.Millisecond},    // ceiling 200ms, upper half starts at 100ms
		{1, 0.5, 150 * time.Millisecond},
		{3, 0, 400 * time.Millisecond}, // ceiling 800ms
		{3, 0.5, 600 * time.Millisecond},
		{4, 0, 500 * time.Millisecond}, // ceiling capped at WaitMax
		{4, 0.5, 750 * time.Millisecond},
		{1000, 0.5, 750 * time.Millisecond}, // no overflow
	}
	for _, tc := range cases {
		if got := expBackoff(p, tc.retry, tc.rnd); got != tc.want {
			t.Errorf("expBackoff(retry %d, rnd %g) = %s, want %s", tc.retry, tc.rnd, got, tc.want)
		}
	}
	defaults, err := RetryPolicy{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	for retry := range 70 {
		for _, rnd := range []float64{0, 0.3, 0.999999} {
			if got := expBackoff(defaults, retry, rnd); got < 250*time.Millisecond || got > 10*time.Second {
				t.Errorf("default policy, retry %d, rnd %g: %s outside [WaitMin, WaitMax]", retry, rnd, got)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	limit := time.Minute
	cases := []struct {
		status int
		value  string
		want   time.Duration
		ok     bool
	}{
		{429, "2", 2 * time.Second, true},
		{503, " 3 ", 3 * time.Second, true},
		{429, "0", 0, true},
		{503, "120", time.Minute, true}, // capped
		{429, "99999999999999999", time.Minute, true},
		{429, now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{429, now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{503, now.Add(time.Hour).Format(http.TimeFormat), time.Minute, true},
		{500, "2", 0, false}, // only 429 and 503 carry a meaningful Retry-After
		{200, "2", 0, false},
		{429, "", 0, false},
		{429, "-1", 0, false},
		{429, "soon", 0, false},
		{429, "1.5", 0, false},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Retry-After", tc.value)
		}
		got, ok := retryAfter(tc.status, h, now, limit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%d, %q) = %s, %v; want %s, %v", tc.status, tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	fs := newFakeServer(t,
		reply{status: 429, body: errBody("slow down"), header: map[string]string{"Retry-After": "1"}},
		reply{status: 200, body: msgBody(msgStarted)})
	num, log := fs.number(testKey)
	start := time.Now()
	if err := num.SetMultiWebhookEnabled(t.Context(), true, nil); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 950*time.Millisecond {
		t.Errorf("retried after %s, before the 1s Retry-After", elapsed)
	}
	if fs.count() != 2 {
		t.Errorf("%d requests, want 2", fs.count())
	}
	var warned bool
	for _, e := range log.all() {
		if e.Level == "warn" && e.Fields["wait_ms"] == int64(1000) && e.Fields["reason"] == "HTTP 429" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no retry warning with wait_ms 1000 and reason HTTP 429 in\n%s", log.dump())
	}
}

func TestRetryAfterIsCappedByRetryAfterMax(t *testing.T) {
	fs := newFakeServer(t,
		reply{status: 503, body: "busy", header: map[string]string{"Retry-After": "3600"}},
		reply{status: 200, body: msgBody(msgStarted)})
	p := fastRetry
	p.RetryAfterMax = 30 * time.Millisecond
	num, _ := fs.number(testKey, withRetry(p))
	start := time.Now()
	if err := num.DeleteDestination(t.Context(), "crm"); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("waited %s, want about RetryAfterMax (30ms)", elapsed)
	}
}

func TestMaxAttemptsIsTotalAttempts(t *testing.T) {
	fs := newFakeServer(t, reply{status: 502, body: html502})
	p := fastRetry
	p.MaxAttempts = 3
	num, _ := fs.number(testKey, withRetry(p))
	_, err := num.GetMultiWebhook(t.Context())
	e := apiErr(t, err)
	if fs.count() != 3 || e.Attempts != 3 {
		t.Errorf("%d requests, Attempts %d; want 3", fs.count(), e.Attempts)
	}
	if e.StatusCode != 502 || !kindIs(KindTransient)(err) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("last answer not reported: %v", err)
	}
}

func TestNonTransientAnswersAreNotRetried(t *testing.T) {
	for _, rep := range []reply{
		{status: 400, body: errBody(errAlreadyExists)},
		{status: 400, body: errBody(errMoreThanThree)},
		{status: 401, body: errBody("Unauthorized")},
		{status: 403, body: ""},
		{status: 404, body: "not found"},
		{status: 409, body: msgBody(msgDisabled)},
	} {
		fs := newFakeServer(t, rep)
		num, _ := fs.number(testKey)
		if err := num.AddDestinations(t.Context(), []Destination{{Name: "crm", URL: "https://crm.example.com"}}); err == nil {
			t.Errorf("status %d %s: no error", rep.status, rep.body)
		}
		if fs.count() != 1 {
			t.Errorf("status %d %s: %d requests, want exactly 1", rep.status, rep.body, fs.count())
		}
	}
}

func TestOperationFailedIsRetriedThenSucceeds(t *testing.T) {
	for _, status := range []int{400, 200, 500} {
		fs := newFakeServer(t,
			reply{status: status, body: errBody(errOperationFaild)},
			reply{status: 200, body: msgBody(msgStarted)})
		num, _ := fs.number(testKey)
		dests := []Destination{{Name: "crm", URL: "https://crm.example.com", Headers: map[string]string{"X-Token": "t"}}}
		if err := num.AddDestinations(t.Context(), dests); err != nil {
			t.Fatalf("status %d: %v", status, err)
		}
		reqs := fs.requests()
		if len(reqs) != 2 {
			t.Fatalf("status %d: %d requests, want 2", status, len(reqs))
		}
		if reqs[0].Body == "" || reqs[1].Body != reqs[0].Body {
			t.Errorf("body not rewound for the retry: %q then %q", reqs[0].Body, reqs[1].Body)
		}
	}
}

func TestNetworkErrorsAreRetriedAndWrapped(t *testing.T) {
	fs := newFakeServer(t)
	url := fs.srv.URL
	fs.srv.Close() // nothing listens there any more
	num, log := newTestNumber(t, url, testKey)
	err := num.DeleteDestination(t.Context(), "a b")
	e := apiErr(t, err)
	if e.Kind != KindTransient || e.StatusCode != 0 || e.Attempts != fastRetry.MaxAttempts {
		t.Errorf("got %+v", e)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("network error not wrapped: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "DELETE /multi_webhook/a%20b: ") || strings.Contains(err.Error(), "http://") {
		t.Errorf("error text %q", err.Error())
	}
	if n := countLogs(log, "debug", "360dialog API attempt"); n != fastRetry.MaxAttempts {
		t.Errorf("%d attempt logs, want %d", n, fastRetry.MaxAttempts)
	}
}

func TestAttemptsAreLogged(t *testing.T) {
	fs := newFakeServer(t, reply{status: 503, body: errBody(errOperationFaild)}, reply{status: 200, body: docGETList})
	num, log := fs.number(testKey)
	if _, err := num.GetMultiWebhook(t.Context()); err != nil {
		t.Fatal(err)
	}
	var attempts []logEntry
	for _, e := range log.all() {
		if e.Msg == "360dialog API attempt" {
			attempts = append(attempts, e)
		}
	}
	if len(attempts) != 2 {
		t.Fatalf("%d attempt logs, want 2:\n%s", len(attempts), log.dump())
	}
	for i, e := range attempts {
		f := e.Fields
		if e.Level != "debug" || f["method"] != "GET" || f["path"] != "/multi_webhook" || f["attempt"] != i+1 ||
			f["fingerprint"] != Fingerprint(testKey) || f["duration_ms"] == nil {
			t.Errorf("attempt log %d: %+v", i, e)
		}
	}
	if attempts[0].Fields["status"] != 503 || attempts[1].Fields["status"] != 200 {
		t.Errorf("statuses logged: %v, %v", attempts[0].Fields["status"], attempts[1].Fields["status"])
	}
	if n := countLogs(log, "warn", "retrying 360dialog API call"); n != 1 {
		t.Errorf("%d retry warnings, want 1", n)
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	fs := newFakeServer(t, reply{status: 503, body: "busy"})
	num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 5, WaitMin: time.Minute, WaitMax: time.Minute}))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := num.PatchDestination(ctx, Destination{Name: "crm", URL: "https://crm.example.com"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
	if fs.count() != 1 {
		t.Errorf("%d requests, want 1", fs.count())
	}
}

func TestCancelDuringRequestReturnsPromptly(t *testing.T) {
	fs := newFakeServer(t)
	fs.holdAnswers()
	num, _ := fs.number(testKey)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := num.GetMultiWebhook(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
	if fs.count() != 1 {
		t.Errorf("%d requests, want 1 (no retry once ctx is done)", fs.count())
	}
}

// countLogs counts the messages of one level and text.
func countLogs(log *recLogger, level, msg string) int {
	n := 0
	for _, e := range log.all() {
		if e.Level == level && e.Msg == msg {
			n++
		}
	}
	return n
}

func TestHungServerGetEndsAtTheDeadline(t *testing.T) {
	fs := newFakeServer(t)
	fs.holdAnswers()
	// Default retry and attempt timeout: only the deadline can end the call.
	num, _ := fs.number(testKey, withRetry(RetryPolicy{}))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := num.GetMultiWebhook(ctx)
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	if elapsed < 1900*time.Millisecond || elapsed > 2500*time.Millisecond {
		t.Errorf("returned after %s, want about 2s", elapsed)
	}
	want := regexp.MustCompile(`^GET /multi_webhook: no answer within the time allowed \(2(\.\d+)?s, 1 attempt\): context deadline exceeded$`)
	if !want.MatchString(err.Error()) {
		t.Errorf("error text %q", err.Error())
	}
}

func TestAttemptTimeoutRetriesUntilTheDeadline(t *testing.T) {
	fs := newFakeServer(t)
	fs.holdAnswers()
	hc := &http.Client{Timeout: 200 * time.Millisecond}
	num, _ := fs.number(testKey, withRetry(RetryPolicy{WaitMin: 50 * time.Millisecond, WaitMax: 100 * time.Millisecond}),
		func(o *Options) { o.httpClient = hc })
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := num.GetMultiWebhook(ctx)
	if elapsed := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || elapsed > 1500*time.Millisecond {
		t.Fatalf("error %v after %s, want DeadlineExceeded after about 1s", err, elapsed)
	}
	if n := fs.count(); n < 3 || n > 6 {
		t.Errorf("%d attempts in 1s with 200ms attempts, want 3 to 6", n)
	}
	want := regexp.MustCompile(`^GET /multi_webhook: no answer within the time allowed \(1(\.\d+)?s, \d attempts\): context deadline exceeded$`)
	if !want.MatchString(err.Error()) {
		t.Errorf("error text %q", err.Error())
	}
}

func TestAttemptTimeoutDefaults(t *testing.T) {
	for _, tc := range []struct {
		hc   *http.Client
		want time.Duration
	}{
		{nil, 15 * time.Second},
		{&http.Client{}, 15 * time.Second},
		{&http.Client{Timeout: 3 * time.Second}, 3 * time.Second},
	} {
		c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io", httpClient: tc.hc})
		if err != nil {
			t.Fatal(err)
		}
		if c.http.Timeout != tc.want {
			t.Errorf("attempt timeout %s, want %s", c.http.Timeout, tc.want)
		}
		if tc.hc != nil && tc.hc.Timeout != tc.want && tc.hc.Timeout != 0 {
			t.Error("the caller's client was modified")
		}
	}
}

func TestDeadlineErrorNamesTheLastAnswer(t *testing.T) {
	fs := newFakeServer(t, reply{status: 503, body: "busy"})
	num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 100, WaitMin: 20 * time.Millisecond, WaitMax: 20 * time.Millisecond}))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := num.GetMultiWebhook(ctx)
	want := regexp.MustCompile(`^GET /multi_webhook: the time allowed ran out \(\d+ms, \d+ attempts; last answer: HTTP 503\): context deadline exceeded$`)
	if !errors.Is(err, context.DeadlineExceeded) || !want.MatchString(err.Error()) {
		t.Errorf("error %q", err)
	}
}

func TestDeadlineErrorNamesTheLastNetworkError(t *testing.T) {
	closed := newFakeServer(t)
	closed.srv.Close()
	num, _ := newTestNumber(t, closed.srv.URL, testKey, withRetry(RetryPolicy{MaxAttempts: 100, WaitMin: 50 * time.Millisecond, WaitMax: 50 * time.Millisecond}))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := num.GetMultiWebhook(ctx)
	want := regexp.MustCompile(`^GET /multi_webhook: the time allowed ran out \(\d+ms, \d+ attempts; last failure: .*connection refused\): context deadline exceeded$`)
	if !errors.Is(err, context.DeadlineExceeded) || !want.MatchString(err.Error()) {
		t.Errorf("error %q", err)
	}
}
