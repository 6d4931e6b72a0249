package fakeapi

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// MisbehaveMode names one way a Misbehaving handler departs from the API.
type MisbehaveMode int

// The ways a Misbehaving handler departs from the API. "Changes" are the
// requests other than GET, to either endpoint.
const (
	// Behave passes every request to the Server.
	Behave MisbehaveMode = iota
	// EchoRaw answers changes 400 text/plain with the request's headers
	// and body, verbatim.
	EchoRaw
	// EchoJSON answers changes 400 {"error": "Invalid json: <headers and
	// body>"}, JSON-escaped as encoding/json does by default.
	EchoJSON
	// EchoURLEncoded answers changes 400 text/plain "request=" followed by
	// the headers and body, URL-encoded (url.QueryEscape).
	EchoURLEncoded
	// EchoHTMLPage answers changes with a proxy's HTML 403 page repeating
	// the request headers, HTML-escaped, with the API key cut short to
	// Misbehaviour.KeyCut bytes followed by "…".
	EchoHTMLPage
	// Redirect answers every request with Misbehaviour.RedirectStatus and
	// a Location of Misbehaviour.RedirectTo.
	Redirect
	// HangGets never answers a GET: it returns when the request's context
	// ends.
	HangGets
	// ChangeNotJSON answers changes 200 text/plain "OK".
	ChangeNotJSON
	// ChangeMalformedJSON answers changes 200 with JSON cut short.
	ChangeMalformedJSON
	// GetDestinationsNotArray answers GET /multi_webhook 200
	// {"enabled": true, "destinations": {}}: the documentation's array
	// as an object. (An enabled number without "destinations" is one of
	// the readings of the Options, not a misbehaviour.)
	GetDestinationsNotArray
	// GetDestinationWithoutName answers GET /multi_webhook with a list in
	// which the second destination has no name.
	GetDestinationWithoutName
	// GetDestinationWithoutURL answers GET /multi_webhook with a list in
	// which the first destination has no url.
	GetDestinationWithoutURL
)

// Misbehaviour configures a Misbehaving handler.
type Misbehaviour struct {
	Mode MisbehaveMode
	// RedirectStatus is the status of Redirect: 302, 307 or 308; 307 when
	// zero.
	RedirectStatus int
	// RedirectTo is the Location of Redirect, an absolute URL that the
	// test chooses (another origin, with a path, query or userinfo if it
	// wants).
	RedirectTo string
	// KeyCut is how many bytes of the API key EchoHTMLPage shows; 8 when
	// zero.
	KeyCut int
}

// Misbehaving is an http.Handler in front of a Server that, as configured,
// answers like a broken API or a hostile proxy would: echoing secrets,
// redirecting, hanging, or answering in shapes the documentation does not
// allow. Requests it does not intercept reach the Server; those it answers
// itself are still recorded in the Server's request log. It is safe for
// concurrent use, and its Misbehaviour may change while it serves.
type Misbehaving struct {
	api *Server
	mu  sync.Mutex
	cfg Misbehaviour
}

// NewMisbehaving returns a handler in front of api that behaves until Set
// says otherwise.
func NewMisbehaving(api *Server) *Misbehaving {
	return &Misbehaving{api: api}
}

// Set changes how the handler misbehaves from the next request on.
func (m *Misbehaving) Set(cfg Misbehaviour) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cfg = cfg
}

// config returns the current Misbehaviour, defaults applied.
func (m *Misbehaving) config() Misbehaviour {
	m.mu.Lock()
	defer m.mu.Unlock()
	cfg := m.cfg
	if cfg.RedirectStatus == 0 {
		cfg.RedirectStatus = http.StatusTemporaryRedirect
	}
	if cfg.KeyCut <= 0 {
		cfg.KeyCut = 8
	}
	return cfg
}

// misbehaviour is one mode: which requests it intercepts and how it
// answers them, returning the status it wrote (statusClientClosed when
// the client went away first).
type misbehaviour struct {
	intercepts func(*http.Request) bool
	answer     func(Misbehaviour, http.ResponseWriter, *http.Request) int
}

// misbehaviours holds every mode but Behave.
var misbehaviours = map[MisbehaveMode]misbehaviour{
	EchoRaw:                   {isChange, echoRaw},
	EchoJSON:                  {isChange, echoJSON},
	EchoURLEncoded:            {isChange, echoURLEncoded},
	EchoHTMLPage:              {isChange, echoHTMLPage},
	Redirect:                  {func(*http.Request) bool { return true }, redirect},
	HangGets:                  {isGet, hang},
	ChangeNotJSON:             {isChange, ok200("text/plain; charset=utf-8", "OK")},
	ChangeMalformedJSON:       {isChange, ok200("application/json", `{"message": "Operation has been started, please wa`)},
	GetDestinationsNotArray:   {isMultiWebhookGet, ok200("application/json", `{"enabled": true, "destinations": {}}`)},
	GetDestinationWithoutName: {isMultiWebhookGet, ok200("application/json", `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com", "headers": {}}, {"url": "https://b.example.com", "headers": {}}]}`)},
	GetDestinationWithoutURL:  {isMultiWebhookGet, ok200("application/json", `{"enabled": true, "destinations": [{"name": "a", "headers": {}}]}`)},
}

// ServeHTTP misbehaves as configured, or passes r to the Server.
func (m *Misbehaving) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cfg := m.config()
	mb, ok := misbehaviours[cfg.Mode]
	if !ok || !mb.intercepts(r) {
		m.api.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	status := mb.answer(cfg, w, r)
	m.api.record(Request{Time: start, Method: r.Method, Path: r.URL.EscapedPath(),
		Fingerprint: Fingerprint(r.Header.Get(HeaderAPIKey)), Status: status, Duration: time.Since(start)})
}

// isChange reports whether r is a change.
func isChange(r *http.Request) bool { return r.Method != http.MethodGet }

// isGet reports whether r is a GET.
func isGet(r *http.Request) bool { return r.Method == http.MethodGet }

// isMultiWebhookGet reports whether r is GET /multi_webhook.
func isMultiWebhookGet(r *http.Request) bool {
	return isGet(r) && r.URL.EscapedPath() == PathMultiWebhook
}

// ok200 answers 200 with content type and body, whatever the request.
func ok200(contentType, body string) func(Misbehaviour, http.ResponseWriter, *http.Request) int {
	return func(_ Misbehaviour, w http.ResponseWriter, _ *http.Request) int {
		return write(w, http.StatusOK, contentType, body)
	}
}

// write sends one answer and returns its status.
func write(w http.ResponseWriter, status int, contentType, body string) int {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
	return status
}

// echo renders the request's headers, sorted, one "Name: value" per line,
// then a blank line and the body.
func echo(r *http.Request) string {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	return headerLines(r, func(_, v string) string { return v }) + "\n" + string(body)
}

// headerLines renders the request's headers, sorted, one "Name: value" per
// line, each value passed through show.
func headerLines(r *http.Request, show func(name, value string) string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, v := range r.Header[name] {
			fmt.Fprintf(&b, "%s: %s\n", name, show(name, v))
		}
	}
	return b.String()
}

// echoRaw answers EchoRaw.
func echoRaw(_ Misbehaviour, w http.ResponseWriter, r *http.Request) int {
	return write(w, http.StatusBadRequest, "text/plain; charset=utf-8", "request was:\n"+echo(r))
}

// echoJSON answers EchoJSON.
func echoJSON(_ Misbehaviour, w http.ResponseWriter, r *http.Request) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	body, _ := json.Marshal(errorBody{Error: "Invalid json: " + echo(r)}) // escapes HTML, unlike encodeJSON
	_, _ = w.Write(body)
	return http.StatusBadRequest
}

// echoURLEncoded answers EchoURLEncoded.
func echoURLEncoded(_ Misbehaviour, w http.ResponseWriter, r *http.Request) int {
	return write(w, http.StatusBadRequest, "text/plain; charset=utf-8", "request="+url.QueryEscape(echo(r)))
}

// echoHTMLPage answers EchoHTMLPage.
func echoHTMLPage(cfg Misbehaviour, w http.ResponseWriter, r *http.Request) int {
	lines := headerLines(r, func(name, v string) string {
		if http.CanonicalHeaderKey(name) == http.CanonicalHeaderKey(HeaderAPIKey) && len(v) > cfg.KeyCut {
			v = v[:cfg.KeyCut] + "…"
		}
		return html.EscapeString(v)
	})
	page := "<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<h1>403 Forbidden</h1>\n" +
		"<p>Your request was blocked. It carried these headers:</p>\n<pre>\n" + lines + "</pre>\n</body>\n</html>\n"
	return write(w, http.StatusForbidden, "text/html; charset=utf-8", page)
}

// redirect answers Redirect.
func redirect(cfg Misbehaviour, w http.ResponseWriter, _ *http.Request) int {
	w.Header().Set("Location", cfg.RedirectTo)
	return write(w, cfg.RedirectStatus, "text/plain; charset=utf-8", http.StatusText(cfg.RedirectStatus))
}

// hang answers HangGets: it writes nothing until the request's context
// ends.
func hang(_ Misbehaviour, _ http.ResponseWriter, r *http.Request) int {
	<-r.Context().Done()
	return statusClientClosed
}
