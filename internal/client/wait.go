package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// WaitTimeoutError is returned by WaitFor when its context ends before the
// awaited state is visible. It unwraps to the context's error.
type WaitTimeoutError struct {
	What    string        // the desc argument of WaitFor
	Waited  time.Duration // from the call of WaitFor to its end
	Polls   int           // GET requests made (each possibly retried)
	Last    *Config       // the last config seen, nil when no GET succeeded
	Cause   error         // context.DeadlineExceeded or context.Canceled
	LastErr error         // the transient error of the last poll, if it failed

	secrets *secretSet // what Error removes; nil for an error built elsewhere
}

// Error reads like `timed out after 5m0s waiting for <desc> (12 polls); the
// change was accepted but is not yet visible in GET /multi_webhook`.
func (e *WaitTimeoutError) Error() string {
	verb := "timed out"
	if errors.Is(e.Cause, context.Canceled) {
		verb = "canceled"
	}
	msg := fmt.Sprintf("%s after %s waiting for %s (%s); the change was accepted but is not yet visible in GET %s",
		verb, roundWait(e.Waited), e.What, plural(e.Polls, "poll"), apiPath)
	if e.LastErr != nil {
		msg += "; the last poll failed: " + e.LastErr.Error()
	}
	return e.secrets.redact(msg)
}

// Unwrap returns the context's error.
func (e *WaitTimeoutError) Unwrap() error {
	return e.Cause
}

// roundWait rounds a wait for humans: whole seconds from ten seconds up.
func roundWait(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// WaitFor polls GET until done(cfg) is true and returns that cfg. Poll schedule
// per PollPolicy, adapted to how long the Client's recent changes took to
// settle (see schedule.go); bounded by ctx; transient GET errors are retried
// by the retry layer and, if still failing, polling continues until ctx
// ends. On ctx end it returns a *WaitTimeoutError carrying what was waited
// for (the desc argument), how long it waited, and the last config seen. A
// non-transient GET error (auth, validation...) ends the wait at once.
func (num *Number) WaitFor(ctx context.Context, desc string, done func(*Config) bool) (*Config, error) {
	w := &waiter{num: num, desc: desc, start: time.Now(), sched: newSchedule(num.client.poll, num.client.settled)}
	for {
		// The first GET waits too: an accepted change is never visible at once.
		if err := sleep(ctx, w.sched.next(time.Since(w.start), rand.Float64())); err != nil {
			return nil, w.timeout(err)
		}
		if cfg, finished, err := w.poll(ctx, done); finished {
			if err == nil {
				num.client.settled.learn(w.learnt)
			}
			return cfg, err
		}
	}
}

// waiter is the state of one WaitFor call.
type waiter struct {
	num     *Number
	desc    string
	start   time.Time
	sched   *schedule
	polls   int
	last    *Config
	lastErr error
	learnt  bracket // lo: when the last poll that missed was sent; hi: when the one that hit was answered
}

// poll makes one GET and says whether the wait is finished, and how.
func (w *waiter) poll(ctx context.Context, done func(*Config) bool) (*Config, bool, error) {
	sent := time.Since(w.start)
	cfg, err := w.num.Get(ctx)
	w.polls++
	if err == nil {
		w.last, w.lastErr = cfg, nil
		ok := done(cfg)
		w.log(ctx, "satisfied", ok)
		if ok {
			w.learnt.hi = time.Since(w.start)
		} else {
			w.learnt.lo = sent
		}
		return cfg, ok, nil
	}
	w.log(ctx, "error", err.Error())
	switch {
	case ctx.Err() != nil:
		return nil, true, w.timeout(ctx.Err())
	case IsTransient(err):
		w.lastErr = err
		return nil, false, nil
	}
	return nil, true, fmt.Errorf("waiting for %s: %w", w.num.client.Redact(w.desc), err)
}

// log records one poll at Debug.
func (w *waiter) log(ctx context.Context, key string, value any) {
	w.num.client.log.Debug(ctx, "polled 360dialog multi webhook", map[string]any{
		"what":        w.desc,
		"poll":        w.polls,
		"elapsed_ms":  time.Since(w.start).Milliseconds(),
		"fingerprint": w.num.fingerprint,
		key:           value,
	})
}

// timeout builds the error of a wait whose context ended.
func (w *waiter) timeout(cause error) *WaitTimeoutError {
	return &WaitTimeoutError{
		What:    w.desc,
		Waited:  time.Since(w.start),
		Polls:   w.polls,
		Last:    w.last,
		Cause:   cause,
		LastErr: w.lastErr,
		secrets: w.num.client.secrets,
	}
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
