// Package fakeapi is an in-memory stand-in for 360dialog's WhatsApp "multi
// webhook" API (https://waba-v2.360dialog.io/multi_webhook) and for a
// number's primary webhook (/v1/configs/webhook).
//
// It answers the requests and texts of the public documentation word for
// word, keeps one configuration per API key (one key is one phone number),
// applies accepted changes asynchronously after a configurable delay, and can
// inject the faults a real deployment shows: transient failures, 5xx pages,
// rate limiting and slow responses. Every request is recorded in a log that
// never contains the raw API key.
//
// The package depends on the standard library only, so that it checks the
// project's API client independently instead of sharing code with it.
package fakeapi

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// HeaderAPIKey is the request header that carries the API key.
const HeaderAPIKey = "D360-API-KEY"

// The paths of the two endpoints the fake serves.
const (
	PathMultiWebhook = "/multi_webhook"      // and /multi_webhook/{name}
	PathWebhook      = "/v1/configs/webhook" // the primary webhook
)

// MaxDestinations is the documented limit of destinations per phone number.
const MaxDestinations = 3

// Texts the fake answers with. The first five are quoted from the
// documentation; the others are the fake's own choice where it is silent.
const (
	MessageStarted           = "Operation has been started, please wait several seconds until change is applied"
	MessageDisabled          = "Multi webhook is disabled, use POST to enable it first"
	ErrorOperationFailed     = "Operation failed, please retry later or contact support"
	ErrorNamesNotUnique      = "Destination names must be unique"
	ErrorTooManyDestinations = "You cannot add more than 3 destinations"
	ErrorMissingAPIKey       = "Missing D360-API-KEY header"
	ErrorInvalidAPIKey       = "Invalid API key"
	ErrorTooManyRequests     = "Too many requests"
	ErrorInternal            = "Internal server error"
)

// Options configures the behaviour and the faults of a Server.
type Options struct {
	// SettleDelay is how long an accepted change takes to become visible,
	// measured from its acceptance. Zero means the next request sees it.
	SettleDelay time.Duration
	// SettleJitter adds a uniform random offset in [-SettleJitter,
	// +SettleJitter] to SettleDelay; the result is never below zero.
	SettleJitter time.Duration
	// DisabledStatus is the status of GET while the feature is disabled:
	// 409 (the default, as in 360dialog's OpenAPI file) or 200.
	DisabledStatus int
	// ClearOnDisable removes every destination when the feature is disabled.
	// By default they survive, hidden, and reappear when it is enabled again.
	ClearOnDisable bool
	// ShuffleOrder makes GET list the destinations in a random order.
	ShuffleOrder bool
	// QueueWhilePending accepts a change sent while another of the same
	// endpoint is still pending and applies it after that one. By default
	// such a change fails with "Operation failed, please retry later or
	// contact support" (500). The two endpoints' changes never wait for
	// each other.
	QueueWhilePending bool
	// ChangeFailureRate is the fraction of mutating requests, to either
	// endpoint, answered "Operation failed, please retry later or contact
	// support" (500, in the meta shape for the primary webhook) without
	// applying anything. It is drawn after authentication and rate limiting
	// but before any validation, so it may mask a 400.
	ChangeFailureRate float64
	// GetFailureRate is the fraction of GET requests, to either endpoint,
	// answered with a server error: alternately a 502 (an HTML page for
	// multi webhook, the meta shape for the primary webhook) and a JSON 500.
	GetFailureRate float64
	// RateLimit is the number of requests one API key may make per
	// RateWindow (a sliding window), to both endpoints together; zero means
	// unlimited. Requests beyond it are answered 429 with a Retry-After
	// header.
	RateLimit int
	// RateWindow is the window of RateLimit; the default is one second.
	RateWindow time.Duration
	// NeverSettle keeps accepted changes pending for as long as it is set.
	// Changes that became due meanwhile apply once it is cleared.
	NeverSettle bool
	// ResponseDelay delays every response. The delay happens before the
	// request is handled and ends early, without any effect, when the
	// request's context is cancelled.
	ResponseDelay time.Duration
	// AcceptedKeys, when non-empty, lists the only API keys that are
	// accepted; any other key is answered 401. When empty, every non-empty
	// key is a phone number, created disabled on first use.
	AcceptedKeys []string
	// Seed seeds the randomness of jitter, shuffling and faults, so that a
	// sequential run is reproducible. Zero is a seed like any other.
	Seed int64
	// WebhookHeaders is how GET /v1/configs/webhook shows header values:
	// HeadersShown (the default, also for an unknown value), HeadersOmitted
	// or HeadersMasked.
	WebhookHeaders HeaderVisibility
}

// normalized returns o with defaults applied and out-of-range values clamped.
func (o Options) normalized() Options {
	if o.DisabledStatus == 0 {
		o.DisabledStatus = http.StatusConflict
	}
	if o.RateWindow <= 0 {
		o.RateWindow = time.Second
	}
	o.SettleDelay = max(o.SettleDelay, 0)
	o.SettleJitter = max(o.SettleJitter, 0)
	o.ResponseDelay = max(o.ResponseDelay, 0)
	o.RateLimit = max(o.RateLimit, 0)
	o.ChangeFailureRate = min(max(o.ChangeFailureRate, 0), 1)
	o.GetFailureRate = min(max(o.GetFailureRate, 0), 1)
	o.AcceptedKeys = append([]string(nil), o.AcceptedKeys...)
	if o.WebhookHeaders != HeadersOmitted && o.WebhookHeaders != HeadersMasked {
		o.WebhookHeaders = HeadersShown
	}
	return o
}

// Server is the fake API. It is an http.Handler and safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	opts      Options
	accepted  map[string]bool
	rng       *rand.Rand
	numbers   map[string]*number // by Fingerprint
	log       requestLog
	getFaults int // GET faults served so far, to alternate their kind

	// now is the clock used for settling and rate limiting; tests of this
	// package replace it before the Server is used.
	now func() time.Time
}

// New returns a Server configured with opts.
func New(opts Options) *Server {
	s := &Server{
		numbers: map[string]*number{},
		log:     newRequestLog(),
		now:     time.Now,
	}
	s.setOptionsLocked(opts)
	s.rng = newRand(s.opts.Seed)
	return s
}

// newRand returns the random source for seed.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x360d1a1060))
}

// Options returns a copy of the current options, defaults applied.
func (s *Server) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.normalized()
}

// SetOptions changes the options at run time: fn receives a copy of the
// current options and edits it. It is safe to call while requests are being
// served; fn must not call the Server. Changing Seed reseeds the randomness.
func (s *Server) SetOptions(fn func(*Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	opts := s.opts.normalized()
	fn(&opts)
	seed := s.opts.Seed
	s.setOptionsLocked(opts)
	if s.opts.Seed != seed {
		s.rng = newRand(s.opts.Seed)
	}
}

// setOptionsLocked stores opts and what is derived from them.
func (s *Server) setOptionsLocked(opts Options) {
	s.opts = opts.normalized()
	s.accepted = make(map[string]bool, len(s.opts.AcceptedKeys))
	for _, k := range s.opts.AcceptedKeys {
		s.accepted[k] = true
	}
}

// Reset forgets every phone number and clears the request log. Options are
// kept.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.numbers = map[string]*number{}
	s.log = newRequestLog()
	s.getFaults = 0
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	key := r.Header.Get(HeaderAPIKey)
	id := Fingerprint(key)
	resp := s.respond(r, key, id)
	if resp.status != statusClientClosed {
		resp.write(w)
	}
	s.record(Request{
		Time:        start,
		Method:      r.Method,
		Path:        r.URL.EscapedPath(),
		Fingerprint: id,
		Status:      resp.status,
		Duration:    time.Since(start),
	})
}

// respond computes the answer to r: the artificial delay and the parsing of
// the request happen outside the lock, everything touching state inside it.
func (s *Server) respond(r *http.Request, key, id string) response {
	if !s.delay(r.Context()) {
		return response{status: statusClientClosed}
	}
	rt, rejected := parseRoute(r)
	if rejected != nil {
		return *rejected
	}
	req := parseRequest(r, rt)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handleLocked(req, key, id)
}

// delay waits for the configured ResponseDelay; it reports false when the
// request's context ended first.
func (s *Server) delay(ctx context.Context) bool {
	s.mu.Lock()
	d := s.opts.ResponseDelay
	s.mu.Unlock()
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// handleLocked authenticates, rate limits and dispatches one parsed request.
func (s *Server) handleLocked(req apiRequest, key, id string) response {
	n, rejected := s.authorizeLocked(req.endpoint, key, id)
	if rejected != nil {
		return *rejected
	}
	now := s.now()
	if limited := s.rateLimitLocked(n, req.endpoint, now); limited != nil {
		return *limited
	}
	s.settleLocked(n, now)
	if req.method == http.MethodGet && s.drawLocked(s.opts.GetFailureRate) {
		return s.getFaultLocked(req.endpoint)
	}
	switch {
	case req.endpoint == PathWebhook && req.method == http.MethodGet:
		return s.webhookGetLocked(n)
	case req.endpoint == PathWebhook:
		return s.webhookPostLocked(n, req, now)
	case req.method == http.MethodGet:
		return s.getLocked(n)
	}
	return s.changeLocked(n, req, now)
}

// authorizeLocked returns the phone number of key, creating it on first use,
// or the 401 answer of endpoint for a missing or unknown key.
func (s *Server) authorizeLocked(endpoint, key, id string) (*number, *response) {
	if key == "" {
		return nil, failure(endpoint, http.StatusUnauthorized, ErrorMissingAPIKey)
	}
	if len(s.accepted) > 0 && !s.accepted[key] {
		return nil, failure(endpoint, http.StatusUnauthorized, ErrorInvalidAPIKey)
	}
	return s.numberLocked(id), nil
}

// numberLocked returns the phone number with fingerprint id, creating it
// disabled and empty if needed.
func (s *Server) numberLocked(id string) *number {
	n := s.numbers[id]
	if n == nil {
		n = &number{}
		s.numbers[id] = n
	}
	return n
}

// getLocked answers GET /multi_webhook from the settled state.
func (s *Server) getLocked(n *number) response {
	if !n.settled.enabled {
		return *messageResponse(s.opts.DisabledStatus, MessageDisabled)
	}
	dests := cloneDestinations(n.settled.dests)
	if s.opts.ShuffleOrder {
		s.rng.Shuffle(len(dests), func(i, j int) { dests[i], dests[j] = dests[j], dests[i] })
	}
	return response{status: http.StatusOK, body: config{Enabled: true, Destinations: dests}}
}

// changeLocked handles POST, PUT, PATCH and DELETE: it validates the change
// against the state it will apply to and queues it.
func (s *Server) changeLocked(n *number, req apiRequest, now time.Time) response {
	if refused := s.admitLocked(n, req); refused != nil {
		return *refused
	}
	apply, rejected := plan(req, n.projected(), s.opts.ClearOnDisable)
	if rejected != nil {
		return *rejected
	}
	s.queueLocked(n, PathMultiWebhook, now, apply)
	return *messageResponse(http.StatusOK, MessageStarted)
}

// admitLocked returns the answer refusing a change of either endpoint
// before its state is looked at, or nil: an injected failure (drawn before
// any validation, so it may mask a 400), an invalid body, or a change of
// the same endpoint still pending, which fails like the injected failure
// unless Options.QueueWhilePending.
func (s *Server) admitLocked(n *number, req apiRequest) *response {
	if s.drawLocked(s.opts.ChangeFailureRate) {
		return failure(req.endpoint, http.StatusInternalServerError, ErrorOperationFailed)
	}
	if req.invalid != nil {
		return req.invalid
	}
	if n.pendingAt(req.endpoint) && !s.opts.QueueWhilePending {
		return failure(req.endpoint, http.StatusInternalServerError, ErrorOperationFailed)
	}
	return nil
}
