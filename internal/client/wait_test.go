package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// hasCRM is the predicate of most wait tests.
func hasCRM(cfg *MultiWebhook) bool {
	_, ok := cfg.Find("crm")
	return ok
}

const (
	listEmpty = `{"enabled":true,"destinations":[]}`
	listCRM   = `{"enabled":true,"destinations":[{"name":"crm","url":"https://crm.example.com","headers":{}}]}`
)

func TestWaitForReturnsWhenThePredicateHolds(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty}, reply{status: 200, body: listEmpty}, reply{status: 200, body: listCRM})
	num, log := fs.number(testKey)
	cfg, _, err := num.WaitForMultiWebhook(t.Context(), "destination crm to appear", SettledWhen(hasCRM))
	if err != nil {
		t.Fatal(err)
	}
	if !hasCRM(cfg) {
		t.Errorf("returned config %+v does not satisfy the predicate", cfg)
	}
	if fs.count() != 3 {
		t.Errorf("%d GETs, want exactly 3", fs.count())
	}
	if n := countLogs(log, "debug", "polled 360dialog API"); n != 3 {
		t.Errorf("%d poll logs, want 3", n)
	}
}

func TestWaitForDelaysTheFirstPoll(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listCRM})
	num, _ := fs.number(testKey, withPoll(PollPolicy{Initial: 60 * time.Millisecond, Max: time.Second}))
	start := time.Now()
	if _, _, err := num.WaitForMultiWebhook(t.Context(), "crm", SettledWhen(hasCRM)); err != nil {
		t.Fatal(err)
	}
	// Initial 60ms with the default ±10% jitter: at least 54ms.
	if elapsed := time.Since(start); elapsed < 54*time.Millisecond {
		t.Errorf("first poll after %s, before PollPolicy.Initial", elapsed)
	}
}

func TestWaitForToleratesTransientErrors(t *testing.T) {
	fs := newFakeServer(t,
		reply{status: 503, body: "busy"},
		reply{status: 200, body: errBody(errOperationFaild)},
		reply{status: 200, body: listCRM})
	num, _ := fs.number(testKey, withRetry(RetryPolicy{MaxAttempts: 1}))
	cfg, _, err := num.WaitForMultiWebhook(t.Context(), "crm", SettledWhen(hasCRM))
	if err != nil || !hasCRM(cfg) {
		t.Fatalf("WaitForMultiWebhook: %+v, %v", cfg, err)
	}
	if fs.count() != 3 {
		t.Errorf("%d GETs, want 3", fs.count())
	}
}

func TestWaitForNetworkErrorsAreTransient(t *testing.T) {
	fs := newFakeServer(t)
	url := fs.srv.URL
	fs.srv.Close()
	num, _ := newTestNumber(t, url, testKey, withRetry(RetryPolicy{MaxAttempts: 1}))
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Millisecond)
	defer cancel()
	_, _, err := num.WaitForMultiWebhook(ctx, "crm", SettledWhen(hasCRM))
	var wt *WaitTimeoutError[*MultiWebhook]
	if !errors.As(err, &wt) {
		t.Fatalf("error %v, want a *WaitTimeoutError[*Config]", err)
	}
	if wt.Polls < 2 || wt.Last != nil || !kindIs(KindTransient)(wt.LastErr) {
		t.Errorf("got %+v", wt)
	}
	if !strings.Contains(err.Error(), "the last poll failed: GET /multi_webhook: ") {
		t.Errorf("error text %q does not report the failing poll", err.Error())
	}
}

func TestWaitForEndsAtOnceOnAuthError(t *testing.T) {
	fs := newFakeServer(t, reply{status: 401, body: errBody("Invalid api key")})
	num, _ := fs.number(testKey)
	_, _, err := num.WaitForMultiWebhook(t.Context(), "destination crm to appear", SettledWhen(hasCRM))
	if !IsAuth(err) {
		t.Fatalf("error %v, want an auth error", err)
	}
	var wt *WaitTimeoutError[*MultiWebhook]
	if errors.As(err, &wt) {
		t.Error("an auth error became a timeout")
	}
	if !strings.HasPrefix(err.Error(), "waiting for destination crm to appear: GET /multi_webhook: HTTP 401: Invalid api key") {
		t.Errorf("error text %q", err.Error())
	}
	if fs.count() != 1 {
		t.Errorf("%d GETs, want 1", fs.count())
	}
}

func TestWaitForTimesOut(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty})
	num, _ := fs.number(testKey)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := num.WaitForMultiWebhook(ctx, "destination crm to appear", SettledWhen(hasCRM))
	var wt *WaitTimeoutError[*MultiWebhook]
	if !errors.As(err, &wt) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want a *WaitTimeoutError wrapping DeadlineExceeded", err)
	}
	if wt.What != "destination crm to appear" || wt.Polls < 2 || wt.Polls-fs.count() > 1 || wt.Polls < fs.count() || wt.Last == nil || !wt.Last.Enabled {
		t.Errorf("got %+v after %d GETs (the last poll may have been cut short)", wt, fs.count())
	}
	if wt.Waited < 55*time.Millisecond || time.Since(start) > 5*time.Second {
		t.Errorf("waited %s", wt.Waited)
	}
	for _, part := range []string{"timed out after ", "waiting for destination crm to appear (", " polls); the change was accepted but is not yet visible in GET /multi_webhook"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error text %q lacks %q", err.Error(), part)
		}
	}
}

func TestWaitForCancelDuringPollWaitReturnsPromptly(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty})
	num, _ := fs.number(testKey, withPoll(PollPolicy{Initial: time.Minute, Max: time.Minute}))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := num.WaitForMultiWebhook(ctx, "crm", SettledWhen(hasCRM))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
	if fs.count() != 0 || !strings.HasPrefix(err.Error(), "canceled after ") {
		t.Errorf("%d GETs, error %q", fs.count(), err.Error())
	}
}

func TestWaitForCancelDuringGetReturnsPromptly(t *testing.T) {
	fs := newFakeServer(t)
	fs.holdAnswers()
	num, _ := fs.number(testKey)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := num.WaitForMultiWebhook(ctx, "crm", SettledWhen(hasCRM))
	var wt *WaitTimeoutError[*MultiWebhook]
	if !errors.As(err, &wt) || !errors.Is(err, context.DeadlineExceeded) || wt.Polls != 1 {
		t.Fatalf("error %v (%+v), want a timeout after 1 poll", err, wt)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
}

func TestWaitTimeoutErrorText(t *testing.T) {
	e := &WaitTimeoutError[*MultiWebhook]{What: "destination crm to appear", Path: multiWebhookPath, Waited: 5*time.Minute + 3*time.Millisecond, Polls: 12, Cause: context.DeadlineExceeded}
	want := "timed out after 5m0s waiting for destination crm to appear (12 polls); the change was accepted but is not yet visible in GET /multi_webhook"
	if e.Error() != want {
		t.Errorf("got  %q\nwant %q", e.Error(), want)
	}
	short := &WaitTimeoutError[*MultiWebhook]{What: "x", Waited: 1234567 * time.Microsecond, Polls: 1, Cause: context.Canceled}
	if got := short.Error(); !strings.HasPrefix(got, "canceled after 1.235s waiting for x (1 poll);") {
		t.Errorf("got %q", got)
	}
	if !errors.Is(e, context.DeadlineExceeded) || errors.Is(e, context.Canceled) {
		t.Error("Unwrap does not return the cause")
	}
}

// patientPoll keeps the waits of these tests short: the patience it gives is
// 3 × the 12th cold poll, about 0.4 s.
var patientPoll = PollPolicy{Initial: 5 * time.Millisecond, Factor: 1.5, Max: 20 * time.Millisecond, Jitter: 0.1}

// judgeCRM is settled when crm shows, diverged when the number is
// disabled, and otherwise says unchanged.
func judgeCRM(cfg *MultiWebhook) Progress {
	switch {
	case !cfg.Enabled:
		return Diverged
	case hasCRM(cfg):
		return Settled
	}
	return Unchanged
}

func TestWaitEndsAtOnceWhenDiverged(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty}, reply{status: 409, body: msgBody(msgDisabled)}, reply{status: 200, body: listCRM})
	num, _ := fs.number(testKey, withPoll(patientPoll))
	cfg, progress, err := num.WaitForMultiWebhook(t.Context(), "crm", judgeCRM)
	if err != nil || progress != Diverged || cfg.Enabled {
		t.Fatalf("got %+v, %s, %v; want the disabled number, diverged", cfg, progress, err)
	}
	if fs.count() != 2 {
		t.Errorf("%d GETs, want 2: a diverged change ends the wait", fs.count())
	}
	if _, learnt := num.client.settled[multiWebhookPath].estimate(num.fingerprint); learnt {
		t.Error("a diverged wait taught a settle time")
	}
}

func TestWaitGivesUnchangedItsPatience(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty})
	num, _ := fs.number(testKey, withPoll(patientPoll))
	want := patience(num.client.poll, num.client.settled[multiWebhookPath], num.fingerprint)
	start := time.Now()
	cfg, progress, err := num.WaitForMultiWebhook(t.Context(), "crm", judgeCRM)
	if err != nil || progress != Unchanged || hasCRM(cfg) {
		t.Fatalf("got %+v, %s, %v; want the unchanged number", cfg, progress, err)
	}
	if elapsed := time.Since(start); elapsed < want {
		t.Errorf("the wait ended after %s, before its patience of %s", elapsed, want)
	}
	if _, learnt := num.client.settled[multiWebhookPath].estimate(num.fingerprint); learnt {
		t.Error("an unchanged wait taught a settle time")
	}
}

func TestWaitUnchangedWithinPatienceIsPending(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty}, reply{status: 200, body: listEmpty}, reply{status: 200, body: listCRM})
	num, _ := fs.number(testKey, withPoll(patientPoll))
	cfg, progress, err := num.WaitForMultiWebhook(t.Context(), "crm", judgeCRM)
	if err != nil || progress != Settled || !hasCRM(cfg) || fs.count() != 3 {
		t.Fatalf("got %+v, %s, %v after %d GETs; want crm settled at the third", cfg, progress, err, fs.count())
	}
}

func TestPatience(t *testing.T) {
	p, err := PollPolicy{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	mem := &settleMemory{}
	// The cold grid's 12th poll with the defaults: 0.5 s × 1.29^11 ≈ 8.23 s.
	if got := patience(p, mem, "fp"); got < 24600*time.Millisecond || got > 24800*time.Millisecond {
		t.Errorf("cold patience %s, want 3 × 8.23 s", got)
	}
	mem.learn("fp", bracket{lo: 15 * time.Second, hi: 20 * time.Second})
	if got := patience(p, mem, "fp"); got != 60*time.Second {
		t.Errorf("patience after 20 s settles %s, want 3 × 20 s", got)
	}
}
