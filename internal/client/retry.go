package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// maxBodyBytes caps how much of an answer is read: the API's answers are a
// few hundred bytes, and an unbounded read of a misbehaving proxy's body would
// only waste memory.
const maxBodyBytes = 1 << 20

// run is the bookkeeping of one logical call across its HTTP attempts. A run
// is used by a single goroutine: retryablehttp calls the hooks sequentially.
type run struct {
	ctx      context.Context
	num      *Number
	req      request
	attempts int
	began    time.Time // when the call began
	started  time.Time // when the current attempt began
	last     *response // the last answer, with its body buffered
	lastErr  error     // the last network error, when there was no answer
	outcome  string    // the last answer or failure other than a timeout, for ended
	reason   string    // why the last attempt is being retried
}

// newRun starts the bookkeeping of one call.
func newRun(ctx context.Context, num *Number, r request) *run {
	return &run{ctx: ctx, num: num, req: r, began: time.Now()}
}

// retryClient returns a retryablehttp client whose hooks are this run's. It is
// built per call, which is cheap, so that hooks can log with the call's ctx.
func (r *run) retryClient() *retryablehttp.Client {
	p := r.num.client.retry
	return &retryablehttp.Client{
		HTTPClient:     r.num.client.http,
		RetryWaitMin:   p.WaitMin,
		RetryWaitMax:   p.WaitMax,
		RetryMax:       p.MaxAttempts - 1,
		CheckRetry:     r.checkRetry,
		Backoff:        r.backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: r.beforeAttempt,
		// Logger stays nil: see the package documentation.
	}
}

// beforeAttempt records the attempt number and its start time.
func (r *run) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, i int) {
	r.attempts = i + 1
	r.started = time.Now()
}

// checkRetry records and logs the attempt, then decides whether to retry. It
// never retries once ctx is done, but still returns a final answer that
// arrived in time, so that an accepted change is not reported as failed.
func (r *run) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	r.record(resp, err)
	retry, reason := retryable(r.last, r.lastErr)
	if !retry {
		return false, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	r.reason = reason
	return true, nil
}

// record buffers the answer (restoring resp.Body for whoever reads it next)
// or the network error of the attempt, and logs the attempt.
func (r *run) record(resp *http.Response, err error) {
	fields := r.fields()
	fields["duration_ms"] = time.Since(r.started).Milliseconds()
	r.last, r.lastErr = nil, err
	if err == nil {
		r.last, r.lastErr = bufferResponse(resp, r.attempts)
		fields["status"] = resp.StatusCode
	}
	if r.lastErr != nil {
		fields["error"] = networkMessage(r.lastErr)
	}
	switch {
	case r.last != nil:
		r.outcome = fmt.Sprintf("last answer: HTTP %d", r.last.status)
	case !errors.Is(r.lastErr, context.DeadlineExceeded) && !errors.Is(r.lastErr, context.Canceled):
		// An attempt cut by a timeout, the call's or the attempt's own,
		// got no answer, which is what ended says when nothing else came.
		r.outcome = "last failure: " + networkMessage(r.lastErr)
	}
	r.num.client.log.Debug(r.ctx, "360dialog API attempt", fields)
}

// bufferResponse reads the body (capped) and puts an in-memory copy back.
func bufferResponse(resp *http.Response, attempts int) (*response, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("reading the response body: %w", err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body, attempts: attempts}, nil
}

// retryable says whether an attempt's outcome is worth another attempt, and
// why: a network error other than a refused certificate, or a transient
// answer (429, 5xx, "Operation failed", or the meta shape saying 429 or
// 5xx). Redirects, validation, auth and not-found answers are not retried.
func retryable(last *response, err error) (bool, string) {
	if err != nil {
		var certErr *tls.CertificateVerificationError
		if errors.As(err, &certErr) {
			return false, ""
		}
		return true, "network error"
	}
	a := parseAnswer(last.body)
	switch {
	case isRedirect(last.status) || classify(last.status, a) != KindTransient:
		return false, ""
	case isOperationFailed(a.text()):
		return true, "the API answered \"Operation failed\""
	}
	return true, fmt.Sprintf("HTTP %d", a.code(last.status))
}

// backoff computes the wait before the next attempt and logs the retry.
func (r *run) backoff(_, _ time.Duration, retry int, _ *http.Response) time.Duration {
	p := r.num.client.retry
	wait := expBackoff(p, retry, rand.Float64())
	if r.last != nil {
		if ra, ok := retryAfter(r.last.status, r.last.header, time.Now(), p.RetryAfterMax); ok {
			wait = ra
		}
	}
	fields := r.fields()
	fields["reason"] = r.reason
	fields["wait_ms"] = wait.Milliseconds()
	fields["max_attempts"] = p.MaxAttempts
	r.num.client.log.Warn(r.ctx, "retrying 360dialog API call", fields)
	return wait
}

// expBackoff is a capped exponential backoff with "equal jitter": the ceiling
// doubles from WaitMin at each retry up to WaitMax, and the wait is drawn
// uniformly from the upper half of it (never below WaitMin). Keeping half of
// the ceiling guarantees progress; the random half spreads concurrent callers.
// rnd is a number in [0, 1).
func expBackoff(p RetryPolicy, retry int, rnd float64) time.Duration {
	ceiling := p.WaitMin
	for i := 0; i < retry && ceiling < p.WaitMax; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.WaitMax)
	half := ceiling / 2
	wait := half + time.Duration(rnd*float64(ceiling-half))
	return max(wait, p.WaitMin)
}

// retryAfter reads a Retry-After header (delay in seconds, or an HTTP date)
// on a 429 or 503 answer, capped at limit. ok is false when there is none.
func retryAfter(status int, h http.Header, now time.Time, limit time.Duration) (time.Duration, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return limit, true
		}
		return min(time.Duration(secs)*time.Second, limit), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(at.Sub(now), 0), limit), true
	}
	return 0, false
}

// failure turns the error that ended a run into the error of the call: the
// context's error when ctx ended, else a transient *APIError wrapping the
// network error.
func (r *run) failure(err error) error {
	if ctxErr := r.ctx.Err(); ctxErr != nil {
		return r.ended(ctxErr)
	}
	kind := KindTransient
	if ok, _ := retryable(nil, err); !ok {
		kind = KindUnknown
	}
	return &APIError{
		Method:   r.req.method,
		Path:     r.req.path,
		Message:  r.num.client.secrets.redact(networkMessage(err)),
		Kind:     kind,
		Attempts: r.attempts,
		Err:      err,
		secrets:  r.num.client.secrets,
	}
}

// ended is the error of a call whose context ended: how long it ran, how
// many attempts it made and what the last of them that ended on its own
// got, wrapping the context's error.
func (r *run) ended(ctxErr error) error {
	what := "the time allowed ran out"
	switch {
	case errors.Is(ctxErr, context.Canceled):
		what = "canceled"
	case r.outcome == "":
		what = "no answer within the time allowed"
	}
	detail := fmt.Sprintf("%s, %s", roundWait(time.Since(r.began)), plural(r.attempts, "attempt"))
	if r.outcome != "" {
		detail += "; " + r.num.client.secrets.redact(r.outcome)
	}
	return fmt.Errorf("%s %s: %s (%s): %w", r.req.method, r.req.path, what, detail, ctxErr)
}

// plural reads like "1 attempt" or "3 attempts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// networkMessage drops the *url.Error wrapper, whose text repeats the URL.
func networkMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// fields returns the log fields shared by every message of the run.
func (r *run) fields() map[string]any {
	return map[string]any{
		"method":      r.req.method,
		"path":        r.req.path,
		"attempt":     r.attempts,
		"fingerprint": r.num.fingerprint,
	}
}
