package client

import (
	"context"
	"net/http"
)

// webhookPath is the path of the primary webhook, relative to the base URL.
const webhookPath = "/v1/configs/webhook"

// Webhook is the primary webhook of a number: 360dialog delivers every
// notification there, and copies to the multi-webhook destinations only
// after it answered 200.
type Webhook struct {
	URL     string
	Headers map[string]string // header values are secrets; nil when HeadersHidden
	// HeadersHidden says that GET did not show the header values, so they
	// cannot be compared with any: it omitted "headers" (or sent null), or
	// masked at least one value (see isMasked). SetWebhook ignores it.
	HeadersHidden bool
}

// GetWebhook is GET /v1/configs/webhook. A number without a primary
// webhook is a nil *Webhook and no error: the documentation does not say
// how GET shows one, so a 404 in one of the API's JSON error shapes
// ({"meta": ...}, {"error"}, {"message"}) and a success without a url both
// mean none; a 404 of another shape (a proxy's page, a wrong base URL)
// stays an error of KindNotFound. Header values shown are added to the
// secrets the Client keeps out of every text.
func (num *Number) GetWebhook(ctx context.Context) (*Webhook, error) {
	w, err := call(ctx, num, request{method: http.MethodGet, path: webhookPath}, decodeWebhook)
	if err != nil || w == nil {
		return nil, err
	}
	num.client.secrets.add(headerValues(Destination{Headers: w.Headers})...)
	return w, nil
}

// SetWebhook is POST /v1/configs/webhook {"url", "headers"}. The headers
// are always sent, as {} when there are none: 360dialog does not say
// whether a POST without them keeps the previous ones or clears them, and
// with them the outcome is the same either way. Like every change, it may
// not be visible in GetWebhook at once: follow it with WaitForWebhook.
func (num *Number) SetWebhook(ctx context.Context, w Webhook) error {
	headers := w.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	payload := struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}{URL: w.URL, Headers: headers}
	return num.change(ctx, request{method: http.MethodPost, path: webhookPath}, payload, headerValues(Destination{Headers: w.Headers}), checkWebhookSet)
}

// checkWebhookSet checks the answer to POST /v1/configs/webhook: nil when it
// is a success status with a JSON object holding a string "url", as
// documented, else the APIError saying why not.
func checkWebhookSet(r request, resp *response, secrets *secretSet) (struct{}, *APIError) {
	return decodeAnswer(r, resp, parseAnswer(resp.body), secrets, hasString("url"))
}

// decodeWebhook decodes the answer to GET /v1/configs/webhook: nil and no
// error for the meta-shaped 404 of a number without a primary webhook.
func decodeWebhook(r request, resp *response, secrets *secretSet) (*Webhook, *APIError) {
	a := parseAnswer(resp.body)
	if resp.status == http.StatusNotFound && (a.failed() || a.msgText != "") {
		return nil, nil
	}
	return decodeAnswer(r, resp, a, secrets, webhookOf)
}

// webhookOf reads a Webhook from a GET answer, or says what is wrong with
// it: an object with a string "url" and "headers" absent, null or an
// object of strings. An empty object, or a "url" that is null or empty,
// is a number without a primary webhook (nil): the documentation does not
// say how GET shows one, and such an answer can mean nothing else. Any
// other object without a url is refused, as a body of another call would
// be.
func webhookOf(body []byte, a answer) (*Webhook, string) {
	raw, hasURL := a.fields["url"]
	if a.isObject() && (len(a.fields) == 0 || hasURL && isNull(raw)) {
		return nil, ""
	}
	u, ok := stringOf(raw)
	switch {
	case !ok:
		return nil, objectProblem(body, a, `a string "url"`)
	case u == "":
		return nil, ""
	}
	rawHeaders := a.fields["headers"]
	if isNull(rawHeaders) {
		return &Webhook{URL: u, HeadersHidden: true}, ""
	}
	headers, ok := headersOf(rawHeaders)
	if !ok {
		return nil, `"headers" is not an object of strings`
	}
	for _, v := range headers {
		if isMasked(v) {
			return &Webhook{URL: u, HeadersHidden: true}, ""
		}
	}
	return &Webhook{URL: u, Headers: headers}, ""
}

// maskRunMin is how many mask characters in a row make a value masked.
const maskRunMin = 3

// isMasked reports whether a header value, as GET shows it, is masked: it
// holds at least maskRunMin mask characters ('*', '•' or '●') in a row,
// such as "********", "Bearer ****" or "••••abcd". Taking a real value for
// a masked one only stops headers from being compared, whereas the reverse
// would show a difference on every plan (and offer to store the mask), so
// the rule errs towards "masked": a real value with "***" in it is rare.
func isMasked(v string) bool {
	run := 0
	for _, r := range v {
		switch r {
		case '*', '•', '●':
			run++
			if run >= maskRunMin {
				return true
			}
		default:
			run = 0
		}
	}
	return false
}
