package fakeapi

import (
	"maps"
	"net/http"
	"time"
)

// Texts of the primary webhook endpoint, the fake's own choice where the
// documentation is silent.
const (
	ErrorNoWebhook  = "No webhook is configured for this number"
	ErrorBadGateway = "Bad gateway"
)

// WebhookURLRule is the detail of a refused primary webhook URL.
const WebhookURLRule = "url must be an absolute https URL without '_' or a port in its host"

// maskedValue is how GET shows every header value with HeadersMasked.
const maskedValue = "********"

// HeaderVisibility is how GET /v1/configs/webhook shows header values.
type HeaderVisibility string

// The ways GET /v1/configs/webhook may show header values.
const (
	HeadersShown   HeaderVisibility = "shown"   // as set (the default)
	HeadersOmitted HeaderVisibility = "omitted" // no "headers" field at all
	HeadersMasked  HeaderVisibility = "masked"  // every value replaced by "********"
)

// Webhook is the primary webhook of a phone number.
type Webhook struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
}

// clone returns a deep copy of w, nil for nil; the headers of the copy are
// never nil.
func (w *Webhook) clone() *Webhook {
	if w == nil {
		return nil
	}
	h := maps.Clone(w.Headers)
	if h == nil {
		h = map[string]string{}
	}
	return &Webhook{URL: w.URL, Headers: h}
}

// metaError is the body of an error of /v1/configs/webhook.
type metaError struct {
	Meta struct {
		Success          bool     `json:"success"`
		HTTPCode         int      `json:"http_code"`
		DeveloperMessage string   `json:"developer_message"`
		Details          []string `json:"details"`
	} `json:"meta"`
}

// metaResponse returns an error answer of /v1/configs/webhook.
func metaResponse(status int, text string, details ...string) *response {
	var body metaError
	body.Meta.HTTPCode = status
	body.Meta.DeveloperMessage = text
	body.Meta.Details = append([]string{}, details...)
	return &response{status: status, body: body}
}

// webhookChange is a decoded POST /v1/configs/webhook.
type webhookChange struct {
	hook           Webhook
	headersOmitted bool // no "headers" key, or null (see Options.WebhookOmittedHeaders)
}

// decodeWebhookBody decodes {"url", "headers"?} and applies the rules of a
// primary webhook, or returns the 400 answer refusing it.
func decodeWebhookBody(body []byte) (webhookChange, *response) {
	obj, err := decodeObject(body, "", "url", "headers")
	if err != nil {
		return webhookChange{}, metaResponse(http.StatusBadRequest, invalidJSONText(err))
	}
	var w Webhook
	if w.URL, err = decodeRequiredString(obj, "", "url"); err != nil {
		return webhookChange{}, metaResponse(http.StatusBadRequest, invalidJSONText(err))
	}
	if w.Headers, err = decodeHeaders(obj["headers"], "headers"); err != nil {
		return webhookChange{}, metaResponse(http.StatusBadRequest, invalidJSONText(err))
	}
	if text := checkWebhook(w.URL, w.Headers, true); text != "" {
		return webhookChange{}, metaResponse(http.StatusBadRequest, text, WebhookURLRule,
			"header names must be tokens without '_'", "header values must not contain CR or LF")
	}
	return webhookChange{hook: w, headersOmitted: isNull(obj["headers"])}, nil
}

// webhookGetLocked answers GET /v1/configs/webhook from the settled state.
func (s *Server) webhookGetLocked(n *number) response {
	w := n.settled.webhook
	if w == nil {
		return s.noWebhookLocked()
	}
	return response{status: http.StatusOK, body: s.shownWebhookLocked(w)}
}

// noWebhookLocked answers GET /v1/configs/webhook for a number without a
// primary webhook, as Options.NoWebhook says.
func (s *Server) noWebhookLocked() response {
	switch s.opts.NoWebhook {
	case NoWebhook404Error:
		return *errorResponse(http.StatusNotFound, ErrorNoWebhook)
	case NoWebhook200EmptyURL:
		return response{status: http.StatusOK, body: webhookURL{}}
	case NoWebhook200EmptyObject:
		return response{status: http.StatusOK, body: struct{}{}}
	}
	return *metaResponse(http.StatusNotFound, ErrorNoWebhook)
}

// shownWebhookLocked is w as GET shows it under Options.WebhookHeaders.
func (s *Server) shownWebhookLocked(w *Webhook) any {
	switch s.opts.WebhookHeaders {
	case HeadersOmitted:
		return webhookURL{URL: w.URL}
	case HeadersMasked:
		masked := make(map[string]string, len(w.Headers))
		for name := range w.Headers {
			masked[name] = maskedValue
		}
		return shownWebhook{URL: w.URL, Headers: masked}
	}
	return shownWebhook{URL: w.URL, Headers: w.clone().Headers}
}

// shownWebhook is a webhook as GET shows it, with "headers" always there
// ({} when there are none).
type shownWebhook struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// webhookPostLocked handles POST /v1/configs/webhook: it validates the
// request and queues the change, answering {"url": ...}. Without headers
// in the request, the change keeps the headers the webhook has when it
// applies if Options.WebhookOmittedHeaders says so.
func (s *Server) webhookPostLocked(n *number, req apiRequest, now time.Time) response {
	if refused := s.admitLocked(n, req); refused != nil {
		return *refused
	}
	w := req.hook.hook.clone()
	keep := req.hook.headersOmitted && s.opts.WebhookOmittedHeaders == WebhookOmittedHeadersKeep
	s.queueLocked(n, PathWebhook, now, func(st *numState) {
		next := w.clone()
		if keep && st.webhook != nil {
			next.Headers = st.webhook.clone().Headers
		}
		st.webhook = next
	})
	return response{status: s.opts.AcceptedStatus, body: webhookURL{URL: w.URL}}
}

// Webhook returns the settled primary webhook of key's phone number (pending
// changes that are due are applied first), or nil when it has none.
func (s *Server) Webhook(key string) *Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numbers[Fingerprint(key)]
	if n == nil {
		return nil
	}
	s.settleLocked(n, s.now())
	return n.settled.webhook.clone()
}

// SetWebhook replaces the primary webhook of key's phone number out of band,
// as a change made elsewhere would (drift); nil removes it, which the API
// itself cannot do. It settles immediately and drops pending changes of the
// primary webhook. The webhook is taken as given, without validation.
func (s *Server) SetWebhook(key string, w *Webhook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numberLocked(Fingerprint(key))
	n.settled.webhook = w.clone()
	n.dropPending(PathWebhook)
}
