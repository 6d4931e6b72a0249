package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Destination is one extra webhook destination of a phone number.
type Destination struct {
	Name    string
	URL     string
	Headers map[string]string // header values are secrets
}

// MultiWebhook is what GET /multi_webhook reports for one number.
type MultiWebhook struct {
	Enabled      bool
	Destinations []Destination // API order; nil/empty when none or when disabled
}

// Find returns the destination called exactly name (names are case-sensitive).
func (mw *MultiWebhook) Find(name string) (Destination, bool) {
	if mw == nil {
		return Destination{}, false
	}
	for _, d := range mw.Destinations {
		if d.Name == name {
			return d, true
		}
	}
	return Destination{}, false
}

// GetMultiWebhook is GET /multi_webhook. A disabled number (409, or 200
// with the "Multi webhook is disabled" message) is a MultiWebhook with
// Enabled false and no error; a success answer of another shape than
// documented is an error of KindUnexpected. Header values shown are added
// to the secrets the Client keeps out of every text.
func (num *Number) GetMultiWebhook(ctx context.Context) (*MultiWebhook, error) {
	mw, err := call(ctx, num, request{method: http.MethodGet, path: multiWebhookPath}, decodeMultiWebhook)
	if err != nil {
		return nil, err
	}
	num.client.secrets.add(headerValues(mw.Destinations...)...)
	return mw, nil
}

// SetMultiWebhookEnabled is POST /multi_webhook {"enabled":...,
// "destinations":[...]}, the destinations omitted when nil or empty.
func (num *Number) SetMultiWebhookEnabled(ctx context.Context, enabled bool, destinations []Destination) error {
	payload := struct {
		Enabled      bool              `json:"enabled"`
		Destinations []wireDestination `json:"destinations,omitempty"`
	}{Enabled: enabled, Destinations: toWire(destinations)}
	return num.change(ctx, request{method: http.MethodPost, path: multiWebhookPath}, payload, headerValues(destinations...), checkChange)
}

// AddDestinations is PUT /multi_webhook {"destinations":[...]}.
func (num *Number) AddDestinations(ctx context.Context, destinations []Destination) error {
	payload := struct {
		Destinations []wireDestination `json:"destinations"`
	}{Destinations: toWire(destinations)}
	return num.change(ctx, request{method: http.MethodPut, path: multiWebhookPath}, payload, headerValues(destinations...), checkChange)
}

// PatchDestination is PATCH /multi_webhook {"name","url","headers"}.
func (num *Number) PatchDestination(ctx context.Context, d Destination) error {
	return num.change(ctx, request{method: http.MethodPatch, path: multiWebhookPath}, toWire([]Destination{d})[0], headerValues(d), checkChange)
}

// DeleteDestination is DELETE /multi_webhook/{name}, the name escaped as one
// path segment (see escapeName).
func (num *Number) DeleteDestination(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("DELETE /multi_webhook/{name}: the destination name is empty")
	}
	return num.change(ctx, request{method: http.MethodDelete, path: multiWebhookPath + "/" + escapeName(name)}, nil, nil, checkChange)
}

// escapeName escapes a destination name as one path segment. The dot
// segments "." and ".." are escaped too, because clients and proxies would
// otherwise resolve them and send the DELETE to another path.
func escapeName(name string) string {
	if strings.Trim(name, ".") == "" && len(name) <= 2 {
		return strings.ReplaceAll(name, ".", "%2E")
	}
	return url.PathEscape(name)
}

// change sends r, with payload encoded as its JSON body unless nil, and
// checks the final answer with check. secrets are the header values the
// payload carries: they join the Client's secrets before anything is sent,
// so that no text about this call or a later one can show them.
func (num *Number) change(ctx context.Context, r request, payload any, secrets []string, check decoder[struct{}]) error {
	num.client.secrets.add(secrets...)
	if payload != nil {
		body, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("%s %s: encoding the request: %w", r.method, r.path, err)
		}
		r.body = body
	}
	_, err := call(ctx, num, r, check)
	return err
}

// decoder reads the final answer to a call: the value it stands for, or the
// APIError saying why it is not a success.
type decoder[T any] func(request, *response, *secretSet) (T, *APIError)

// call sends r and decodes its final answer with decode.
func call[T any](ctx context.Context, num *Number, r request, decode decoder[T]) (T, error) {
	var zero T
	resp, err := num.send(ctx, r)
	if err != nil {
		return zero, err
	}
	v, apiErr := decode(r, resp, num.client.secrets)
	if apiErr != nil {
		return zero, num.finish(apiErr, resp)
	}
	return v, nil
}

// finish completes an APIError decoded from the final answer of a call.
func (num *Number) finish(e *APIError, resp *response) error {
	e.Attempts = resp.attempts
	e.Message = num.client.secrets.redact(e.Message)
	e.secrets = num.client.secrets
	return e
}

// wireDestination is a Destination as sent. Headers are always sent, as {}
// when there are none, because the API documents them as required.
type wireDestination struct {
	Name    string            `json:"name"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// toWire converts destinations for a request body, never returning nil so
// that PUT sends [] rather than null.
func toWire(ds []Destination) []wireDestination {
	out := make([]wireDestination, 0, len(ds))
	for _, d := range ds {
		h := d.Headers
		if h == nil {
			h = map[string]string{}
		}
		out = append(out, wireDestination{Name: d.Name, URL: d.URL, Headers: h})
	}
	return out
}

// headerValues lists the header values of ds, which are secrets.
func headerValues(ds ...Destination) []string {
	var out []string
	for _, d := range ds {
		for _, v := range d.Headers {
			out = append(out, v)
		}
	}
	return out
}

// checkChange checks the answer to POST, PUT, PATCH or DELETE: nil when the
// change was accepted, that is a success status with the documented
// {"message": "..."} and no "error", else the APIError saying why not.
func checkChange(r request, resp *response, secrets *secretSet) (struct{}, *APIError) {
	a := parseAnswer(resp.body)
	if isDisabledText(a.text()) {
		return struct{}{}, newAPIError(r, resp, a, secrets)
	}
	return decodeAnswer(r, resp, a, secrets, hasString("message"))
}

// decodeMultiWebhook decodes the answer to GET /multi_webhook.
func decodeMultiWebhook(r request, resp *response, secrets *secretSet) (*MultiWebhook, *APIError) {
	a := parseAnswer(resp.body)
	if saysDisabled(resp.status, a) {
		return &MultiWebhook{Enabled: false}, nil
	}
	return decodeAnswer(r, resp, a, secrets, multiWebhookOf)
}

// saysDisabled reports whether a GET answer stands for a disabled number:
// the disabled message, with status 409 (as in 360dialog's OpenAPI file) or
// a success status (seen in the wild), or an object whose "enabled" is
// false with either status, since the OpenAPI file's success shape can say
// so too.
func saysDisabled(status int, a answer) bool {
	if !is2xx(status) && status != http.StatusConflict {
		return false
	}
	enabled, ok := boolOf(a.fields["enabled"])
	return isDisabledText(a.text()) || ok && !enabled && !a.failed()
}

// multiWebhookOf reads an enabled number's MultiWebhook from a GET answer
// (saysDisabled has taken the answers of a disabled one), or says what is
// wrong with it: an object with "enabled" true and an array "destinations"
// (see destinationsOf).
func multiWebhookOf(body []byte, a answer) (*MultiWebhook, string) {
	if enabled, ok := boolOf(a.fields["enabled"]); !ok || !enabled {
		return nil, objectProblem(body, a, `a boolean "enabled"`)
	}
	// The OpenAPI file does not require "destinations": an enabled number
	// without any may leave it out, or send null as a Go server does for
	// a nil slice. Both mean none.
	var items []json.RawMessage
	if raw := a.fields["destinations"]; !isNull(raw) && json.Unmarshal(raw, &items) != nil {
		return nil, `"destinations" is not an array`
	}
	dests, problem := destinationsOf(items)
	if problem != "" {
		return nil, problem
	}
	return &MultiWebhook{Enabled: true, Destinations: dests}, ""
}

// destinationsOf reads the destinations of a GET answer, or says what is
// wrong with them: each must be an object with a non-empty string "name"
// and "url" and "headers" absent, null or an object of strings, and no two
// may share a name. Destinations are numbered from 1 in the problem, and
// never quoted, since a header value is a secret. Every destination gets a
// non-nil Headers map.
func destinationsOf(items []json.RawMessage) ([]Destination, string) {
	if len(items) == 0 {
		return nil, ""
	}
	dests := make([]Destination, 0, len(items))
	first := make(map[string]int, len(items)) // name → number of the first destination with it
	for i, item := range items {
		d, problem := destinationOf(item)
		if problem != "" {
			return nil, fmt.Sprintf("destination %d %s", i+1, problem)
		}
		if j, dup := first[d.Name]; dup {
			return nil, fmt.Sprintf("destinations %d and %d have the same name", j, i+1)
		}
		first[d.Name] = i + 1
		dests = append(dests, d)
	}
	return dests, ""
}

// destinationOf reads one destination of a GET answer, or says what is
// wrong with it, as the end of a sentence about it.
func destinationOf(raw json.RawMessage) (Destination, string) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return Destination{}, "is not a JSON object"
	}
	name, _ := stringOf(fields["name"])
	if name == "" {
		return Destination{}, "has no name"
	}
	u, _ := stringOf(fields["url"])
	if u == "" {
		return Destination{}, "has no url"
	}
	headers, ok := headersOf(fields["headers"])
	if !ok {
		return Destination{}, "has headers that are not an object of strings"
	}
	return Destination{Name: name, URL: u, Headers: headers}, ""
}
