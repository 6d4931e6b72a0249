package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/record"
)

// Bounds of one probe request.
const (
	probeTimeout  = 30 * time.Second
	probeAttempts = 5
	probeBodyMax  = 1 << 20
)

// sender makes the probes' raw requests, whose answers the record keeps:
// the client would read them, and the record needs them as they came. It
// never follows a redirect (the key would travel with it) and retries only
// what 360dialog asks to be retried (429, 5xx), recording the last answer.
type sender struct {
	baseURL string
	key     string
	http    *http.Client
	rec     *record.Record
}

// newSender returns a sender for s that records into rec.
func newSender(s settings, rec *record.Record) *sender {
	rec.Secret(s.key)
	return &sender{baseURL: s.baseURL, key: s.key, rec: rec, http: &http.Client{
		Timeout:       probeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// probe is one request and where its answer goes in the record.
type probe struct {
	method    string
	path      string // as sent
	endpoint  string // the path template, e.g. "/multi_webhook/{name}"
	situation string
	body      any     // encoded as JSON unless nil or raw is set
	raw       string  // sent as the body as is
	key       *string // the API key to send instead of the number's ("" sends none)
}

// answer is what a probe got back.
type answer struct {
	status int
	body   []byte
}

// accepted reports whether the API accepted the request.
func (a answer) accepted() bool {
	return a.status >= 200 && a.status <= 299
}

// send makes the probe's request and records its final answer.
func (s *sender) send(ctx context.Context, p probe) (answer, error) {
	body, err := p.encode()
	if err != nil {
		return answer{}, err
	}
	var last answer
	for attempt := 1; ; attempt++ {
		resp, err := s.do(ctx, p, body)
		if err != nil {
			return answer{}, fmt.Errorf("%s %s (%s): %w", p.method, p.endpoint, p.situation, err)
		}
		last = answer{status: resp.StatusCode}
		last.body, err = io.ReadAll(io.LimitReader(resp.Body, probeBodyMax))
		_ = resp.Body.Close()
		if err != nil {
			return answer{}, fmt.Errorf("%s %s (%s): reading the answer: %w", p.method, p.endpoint, p.situation, err)
		}
		if !retryable(resp.StatusCode) || attempt == probeAttempts {
			s.rec.Add(record.Answer{Endpoint: p.method + " " + p.endpoint, Situation: p.situation, Status: resp.StatusCode,
				ContentType: resp.Header.Get("Content-Type"), Shape: record.Shape(last.body)})
			return last, nil
		}
		select {
		case <-ctx.Done():
			return answer{}, ctx.Err()
		case <-time.After(retryAfter(resp.Header.Get("Retry-After"), attempt)):
		}
	}
}

// encode returns the probe's body.
func (p probe) encode() ([]byte, error) {
	switch {
	case p.raw != "":
		return []byte(p.raw), nil
	case p.body == nil:
		return nil, nil
	}
	b, err := json.Marshal(p.body)
	if err != nil {
		return nil, fmt.Errorf("encoding the body of %s %s: %w", p.method, p.endpoint, err)
	}
	return b, nil
}

// do sends one attempt.
func (s *sender) do(ctx context.Context, p probe, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, p.method, s.baseURL+p.path, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("building the request failed") // the URL may not be quoted: it is the user's
	}
	key := s.key
	if p.key != nil {
		key = *p.key
	}
	if key != "" {
		req.Header.Set("D360-API-KEY", key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "terraform-provider-d360-live-suite")
	return s.http.Do(req)
}

// retryable reports whether 360dialog asks for the request again.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// retryAfter is how long to wait before attempt+1: Retry-After when it
// gives whole seconds (at most a minute), else one second doubling.
func retryAfter(header string, attempt int) time.Duration {
	if secs, err := strconv.Atoi(header); err == nil && secs >= 0 {
		return min(time.Duration(secs)*time.Second, time.Minute)
	}
	return time.Second << (attempt - 1)
}
