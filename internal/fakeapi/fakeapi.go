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
	ErrorAlreadyEnabled      = "Multi webhook is already enabled, use PUT to add destinations" // under EnableWhileEnabledRefuse
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

	// The fields below play the questions the documentation leaves open.
	// "Documented:" is what 360dialog's multi-webhook page ("Webhook
	// Configuration & Management") and the Messaging API's OpenAPI file
	// (Webhooks, 1.38.1 to 1.41.0) say, as kept in the project's shared
	// reference (360dialog-multi-webhook-docs.txt, api-facts.md); "Guess:"
	// is what they leave open. The zero value of each is today's behaviour,
	// and an unknown value counts as it.

	// EmptyDestinations is how GET /multi_webhook shows an enabled number
	// without destinations: EmptyDestinationsArray ("destinations": []),
	// EmptyDestinationsNull or EmptyDestinationsOmitted (no key). It also
	// shapes an empty list under DisabledBodyEnabledFalseListed.
	// Documented: the GET example lists destinations in an array; the
	// OpenAPI file marks neither "enabled" nor "destinations" required, and
	// its schema names are those a Go server generates, which answers a nil
	// slice as null (api-facts.md). Guess: which shape an empty list takes.
	EmptyDestinations EmptyDestinations
	// NoHeaders is how GET /multi_webhook shows the headers of a
	// destination that has none: NoHeadersObject ("headers": {}),
	// NoHeadersNull or NoHeadersOmitted (no key).
	// Documented: the examples always show an object; the OpenAPI file
	// requires only "name" and "url" in a destination (api-facts.md).
	// Guess: which shape no headers take.
	NoHeaders NoHeaders
	// DisabledBody is the body of GET /multi_webhook while the feature is
	// disabled, with status DisabledStatus: DisabledBodyMessage
	// ({"message": MessageDisabled}), DisabledBodyEnabledFalse
	// ({"enabled": false}) or DisabledBodyEnabledFalseListed ({"enabled":
	// false, "destinations": [...]} listing the hidden destinations, shaped
	// like those of an enabled number).
	// Documented: the page gives the message as an answer of GET, and the
	// OpenAPI file's 409 answers {"message"}; its 200 schema has a boolean
	// "enabled", which may be false (api-facts.md). Guess: that a disabled
	// number can be answered as {"enabled": false}, with or without what
	// survived the disable.
	DisabledBody DisabledBody
	// AcceptedStatus is the status of an accepted change of either
	// endpoint (POST, PUT, PATCH and DELETE /multi_webhook, POST
	// /v1/configs/webhook): 200 (the default), 201 or 202. The bodies stay
	// as they are.
	// Documented: accepted changes answer 200 with the started message
	// (api-facts.md). Guess: that an asynchronous API may as well answer
	// 202 Accepted, or 201 for what it creates; the OpenAPI file's other
	// statuses of changes could not be read.
	AcceptedStatus int
	// ContentType is the Content-Type of every JSON answer of the API (not
	// of the admin endpoints): nil means JSONContentType; a pointer to ""
	// sends no Content-Type header at all (not even a sniffed one).
	// Documented: only the requests' Content-Type (application/json).
	// Guess: what the answers carry; a Go server that writes without
	// setting it sends "text/plain; charset=utf-8", a proxy may drop it.
	ContentType *string
	// PatchHeaders is what PATCH /multi_webhook does with a destination's
	// headers: PatchHeadersReplace (the sent headers are all it keeps) or
	// PatchHeadersMerge (the sent headers are set, a header not sent
	// stays).
	// Documented: PATCH updates "properties of an existing webhook" from a
	// name, url and headers. Guess: nothing says whether the headers are
	// replaced or merged (api-facts.md).
	PatchHeaders PatchHeaders
	// WhileDisabled is what PUT, PATCH and DELETE /multi_webhook do while
	// the feature is disabled: WhileDisabledRefuse (409 {"message":
	// MessageDisabled}) or WhileDisabledAccept (accepted, and applied to
	// the hidden destinations, validated against them as usual; with
	// ClearOnDisable there are none). The number stays disabled.
	// Documented: the disabled message says "use POST to enable it first".
	// Guess: nothing says what these changes answer while disabled
	// (api-facts.md); the refusal is the fake's reading of that message.
	WhileDisabled WhileDisabled
	// UnknownName is the answer to PATCH or DELETE of a name the number
	// does not have: UnknownNameNotFound (404 {"error": "Destination with
	// name X not found"}), UnknownNameBadRequest (the same text, 400) or
	// UnknownNameAccept (the started message, AcceptedStatus, queued like
	// any change and applying nothing).
	// Documented: PATCH and DELETE act "only ... if the <name> passed in
	// the request is an exact match". Guess: what they answer otherwise
	// (api-facts.md); the text is the fake's own, after "Destination with
	// name X already exists".
	UnknownName UnknownName
	// RefusalStatus is the status of the multi webhook's {"error": ...}
	// refusals of a change: "Invalid json: ...", "Destination with name X
	// already exists", "Destination names must be unique", "You cannot add
	// more than 3 destinations", the fake's invalid url and header texts
	// and ErrorAlreadyEnabled: 400 (the default), 409 or 422. The disabled
	// message, UnknownName's answers and the primary webhook's refusals
	// keep their own statuses.
	// Documented: the texts. Guess: their status, which the parts of the
	// OpenAPI file we could read do not give (api-facts.md).
	RefusalStatus int
	// EnableWhileEnabled is what POST /multi_webhook {"enabled": true,
	// "destinations": [...]} (at least one) does to a number already
	// enabled: EnableWhileEnabledAppend (appended, as PUT would) or
	// EnableWhileEnabledRefuse (RefusalStatus {"error":
	// ErrorAlreadyEnabled}, a text of the fake's own). A bare {"enabled":
	// true} is accepted either way.
	// Documented: POST enables and may carry initial destinations; "if
	// already enabled, use PUT" (api-facts.md). Guess: whether that is
	// advice or a refusal.
	EnableWhileEnabled EnableWhileEnabled
	// ExistingName is what POST and PUT /multi_webhook do with a
	// destination whose name the number already has, hidden destinations
	// included: ExistingNameRefuse (RefusalStatus {"error": "Destination
	// with name X already exists"}) or ExistingNameSkip (skipped silently,
	// the others added and counted against MaxDestinations).
	// Documented: both the "already exists" refusal and "The API will only
	// add a new webhook if the <name> provided in the request does not
	// match with any existing configuration", which reads as skipping.
	// Guess: which one holds.
	ExistingName ExistingName
	// WebhookOmittedHeaders is what POST /v1/configs/webhook without a
	// "headers" key (or with null) does to the primary webhook's headers:
	// WebhookOmittedHeadersClear (it ends with none) or
	// WebhookOmittedHeadersKeep (the previous headers stay).
	// Documented: the body is {"url", "headers"} (api-facts.md). Guess:
	// nothing says what an absent "headers" does (api-facts.md).
	WebhookOmittedHeaders WebhookOmittedHeaders
	// NoWebhook is the answer to GET /v1/configs/webhook of a number
	// without a primary webhook: NoWebhook404Meta (404 in the {"meta": ...}
	// shape of the endpoint's errors), NoWebhook404Error (404 {"error":
	// ErrorNoWebhook}), NoWebhook200EmptyURL (200 {"url": ""}) or
	// NoWebhook200EmptyObject (200 {}).
	// Documented: the endpoint's errors use {"meta": ...} (api-facts.md).
	// Guess: nothing says what GET answers for a number without one.
	NoWebhook NoWebhook
	// ExtraFields adds fields the documentation does not list to every
	// JSON object the API answers with, at the top level and in each
	// destination: "id" (an answer's sequence number, or a destination's
	// id derived from its name) and "updated_at" (the fake's clock). They
	// never hold a secret.
	// Documented: the examples' fields only; the OpenAPI file marks few
	// fields required and forbids none (api-facts.md). Guess: that 360dialog
	// answers with more.
	ExtraFields bool
}

// JSONContentType is the Content-Type of the API's answers unless
// Options.ContentType says otherwise.
const JSONContentType = "application/json"

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
	o.normalizeSwitches()
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
	answers   int // answers given extra fields so far, to number them

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
	s.answers = 0
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
	var req apiRequest
	if rejected == nil {
		req = parseRequest(r, rt)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rejected != nil {
		return s.dressLocked(*rejected)
	}
	return s.dressLocked(s.handleLocked(req, key, id))
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

// changeLocked handles POST, PUT, PATCH and DELETE: it validates the change
// against the state it will apply to and queues it.
func (s *Server) changeLocked(n *number, req apiRequest, now time.Time) response {
	if refused := s.admitLocked(n, req); refused != nil {
		return *refused
	}
	apply, rejected := plan(req, n.projected(), &s.opts)
	if rejected != nil {
		return *rejected
	}
	s.queueLocked(n, PathMultiWebhook, now, apply)
	return *messageResponse(s.opts.AcceptedStatus, MessageStarted)
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
