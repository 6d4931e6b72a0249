package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// WaitTimeoutError is returned by WaitForMultiWebhook and WaitForWebhook
// when their context ends before the awaited state is visible. T is what
// one poll reads (*MultiWebhook or *Webhook), so that the caller can
// record what had settled. It unwraps to the context's error.
type WaitTimeoutError[T any] struct {
	What    string        // the desc argument of the wait
	Path    string        // the path polled with GET
	Waited  time.Duration // from the start of the wait to its end
	Polls   int           // GET requests made (each possibly retried)
	Last    T             // the last value seen; the zero value when no GET succeeded
	Cause   error         // context.DeadlineExceeded or context.Canceled
	LastErr error         // the transient error of the last poll, if it failed

	secrets *secretSet // what Error removes; nil for an error built elsewhere
}

// Error reads like `timed out after 5m0s waiting for <desc> (12 polls); the
// change was accepted but is not yet visible in GET /multi_webhook`.
func (e *WaitTimeoutError[T]) Error() string {
	verb := "timed out"
	if errors.Is(e.Cause, context.Canceled) {
		verb = "canceled"
	}
	msg := fmt.Sprintf("%s after %s waiting for %s (%s); the change was accepted but is not yet visible in GET %s",
		verb, roundWait(e.Waited), e.What, plural(e.Polls, "poll"), e.Path)
	if e.LastErr != nil {
		msg += "; the last poll failed: " + e.LastErr.Error()
	}
	return e.secrets.redact(msg)
}

// Unwrap returns the context's error.
func (e *WaitTimeoutError[T]) Unwrap() error {
	return e.Cause
}

// roundWait rounds a wait for humans: whole seconds from ten seconds up.
func roundWait(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// Progress is what one poll of a wait shows of the awaited change.
type Progress int

// The progress a poll can show.
const (
	// Pending: the change is not visible yet; the wait polls again.
	Pending Progress = iota
	// Settled: the change is visible as awaited; the wait ends.
	Settled
	// Diverged: the number is in a state the change cannot lead to (it
	// changed meanwhile, or the change did something other than awaited);
	// the wait ends, and the caller plans again from what it saw.
	Diverged
	// Unchanged: the number looks as it did before the change, which a
	// change with no visible effect would also show. It counts as Pending
	// until the wait has lasted its patience (see patience); then the
	// wait ends with Unchanged.
	Unchanged
)

// String names the progress, for logs and test failures.
func (p Progress) String() string {
	switch p {
	case Settled:
		return "settled"
	case Diverged:
		return "diverged"
	case Unchanged:
		return "unchanged"
	}
	return "pending"
}

// SettledWhen judges a change settled when done holds and pending
// otherwise, for waits that need nothing else.
func SettledWhen[T any](done func(T) bool) func(T) Progress {
	return func(v T) Progress {
		if done(v) {
			return Settled
		}
		return Pending
	}
}

// WaitForMultiWebhook polls GET /multi_webhook until judge says the change
// settled, diverged, or stayed unchanged beyond the wait's patience, and
// returns what the last poll saw and that progress. An accepted change is
// never visible at once, so the first poll waits too. See waiter for the
// schedule, errors and timeout; a timeout is a
// *WaitTimeoutError[*MultiWebhook].
func (num *Number) WaitForMultiWebhook(ctx context.Context, desc string, judge func(*MultiWebhook) Progress) (*MultiWebhook, Progress, error) {
	return (&waiter[*MultiWebhook]{num: num, desc: desc, path: multiWebhookPath, get: num.GetMultiWebhook, judge: judge}).wait(ctx)
}

// WaitForWebhook polls GET /v1/configs/webhook as WaitForMultiWebhook
// does (w is nil while the number has no primary webhook), but its first
// poll happens at once, which costs nothing when a change is visible
// immediately. A timeout is a *WaitTimeoutError[*Webhook].
func (num *Number) WaitForWebhook(ctx context.Context, desc string, judge func(*Webhook) Progress) (*Webhook, Progress, error) {
	return (&waiter[*Webhook]{num: num, desc: desc, path: webhookPath, get: num.GetWebhook, judge: judge, atOnce: true}).wait(ctx)
}

// waiter is one wait: it polls get until judge says it is over. The poll
// schedule follows PollPolicy, adapted to how long recent changes of the
// same path took to settle (see schedule.go); the wait is bounded by ctx.
// Transient GET errors are retried by the retry layer and, if still
// failing, polling continues until ctx ends; any other GET error ends the
// wait at once. When ctx ends, the error is a *WaitTimeoutError[T]
// carrying what was awaited, how long, and the last value seen. Only a
// settled change teaches the settle memory: a diverged or unchanged one
// says nothing of how long changes take.
type waiter[T any] struct {
	num    *Number
	desc   string
	path   string
	get    func(context.Context) (T, error)
	judge  func(T) Progress
	atOnce bool // poll once before the schedule starts

	start    time.Time
	patience time.Duration // how long Unchanged counts as Pending
	polls    int
	last     T
	lastErr  error
	learnt   bracket // lo: when the last poll that missed was sent; hi: when the one that hit was answered
}

// wait runs the wait.
func (w *waiter[T]) wait(ctx context.Context) (T, Progress, error) {
	w.start = time.Now()
	memory := w.num.client.settled[w.path]
	w.patience = patience(w.num.client.poll, memory, w.num.fingerprint)
	sched := newSchedule(w.num.client.poll, memory, w.num.fingerprint)
	if w.atOnce {
		if v, progress, err := w.poll(ctx); progress != Pending || err != nil {
			return v, progress, err // seen at once: nothing to learn about settle times
		}
	}
	for {
		if err := sleep(ctx, sched.next(time.Since(w.start), rand.Float64())); err != nil {
			var zero T
			return zero, Pending, w.timeout(err)
		}
		v, progress, err := w.poll(ctx)
		if progress == Settled {
			memory.learn(w.num.fingerprint, w.learnt)
		}
		if progress != Pending || err != nil {
			return v, progress, err
		}
	}
}

// poll makes one GET and says how far the change is, or why the wait
// ends with an error.
func (w *waiter[T]) poll(ctx context.Context) (T, Progress, error) {
	sent := time.Since(w.start)
	v, err := w.get(ctx)
	w.polls++
	if err == nil {
		w.last, w.lastErr = v, nil
		progress := w.judge(v)
		if progress == Unchanged && time.Since(w.start) < w.patience {
			progress = Pending
		}
		w.log(ctx, "progress", progress.String())
		switch progress {
		case Settled:
			w.learnt.hi = time.Since(w.start)
		case Pending:
			w.learnt.lo = sent
		}
		return v, progress, nil
	}
	w.log(ctx, "error", err.Error())
	var zero T
	switch {
	case ctx.Err() != nil:
		return zero, Pending, w.timeout(ctx.Err())
	case kindOf(err) == KindTransient:
		w.lastErr = err
		return zero, Pending, nil
	}
	return zero, Pending, fmt.Errorf("waiting for %s: %w", w.num.client.secrets.redact(w.desc), err)
}

// log records one poll at Debug.
func (w *waiter[T]) log(ctx context.Context, key string, value any) {
	w.num.client.log.Debug(ctx, "polled 360dialog API", map[string]any{
		"what":        w.desc,
		"path":        w.path,
		"poll":        w.polls,
		"elapsed_ms":  time.Since(w.start).Milliseconds(),
		"fingerprint": w.num.fingerprint,
		key:           value,
	})
}

// timeout builds the error of a wait whose context ended.
func (w *waiter[T]) timeout(cause error) *WaitTimeoutError[T] {
	return &WaitTimeoutError[T]{
		What:    w.desc,
		Path:    w.path,
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
