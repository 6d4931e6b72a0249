package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Destination is one extra webhook destination of a phone number.
type Destination struct {
	Name    string            `json:"name"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"` // always sent, as {} when empty (the API documents it as required)
}

// Config is what GET /multi_webhook reports for one number.
type Config struct {
	Enabled      bool
	Destinations []Destination // API order; nil/empty when none or when disabled
}

// Find returns the destination called exactly name (names are case-sensitive).
func (c *Config) Find(name string) (Destination, bool) {
	if c == nil {
		return Destination{}, false
	}
	for _, d := range c.Destinations {
		if d.Name == name {
			return d, true
		}
	}
	return Destination{}, false
}

// Get returns the current config. A disabled number (409, or 200 with the
// "Multi webhook is disabled" message) is Config{Enabled:false}, nil error.
func (num *Number) Get(ctx context.Context) (*Config, error) {
	r := request{method: http.MethodGet, path: apiPath}
	resp, err := num.send(ctx, r)
	if err != nil {
		return nil, err
	}
	cfg, apiErr := decodeConfig(r.method, r.path, resp.status, resp.body, num.client.secrets)
	if apiErr != nil {
		return nil, num.finish(apiErr, resp)
	}
	for _, d := range cfg.Destinations {
		num.client.secrets.add(slices.Collect(maps.Values(d.Headers))...)
	}
	return cfg, nil
}

// SetEnabled is POST /multi_webhook {"enabled":..., "destinations":[...] (omitted when nil or empty)}.
func (num *Number) SetEnabled(ctx context.Context, enabled bool, destinations []Destination) error {
	payload := struct {
		Enabled      bool              `json:"enabled"`
		Destinations []wireDestination `json:"destinations,omitempty"`
	}{Enabled: enabled, Destinations: toWire(destinations)}
	return num.change(ctx, http.MethodPost, apiPath, payload, destinations)
}

// Append is PUT /multi_webhook {"destinations":[...]}.
func (num *Number) AddDestinations(ctx context.Context, destinations []Destination) error {
	payload := struct {
		Destinations []wireDestination `json:"destinations"`
	}{Destinations: toWire(destinations)}
	return num.change(ctx, http.MethodPut, apiPath, payload, destinations)
}

// Update is PATCH /multi_webhook {"name","url","headers"}.
func (num *Number) PatchDestination(ctx context.Context, d Destination) error {
	return num.change(ctx, http.MethodPatch, apiPath, toWire([]Destination{d})[0], []Destination{d})
}

// Delete is DELETE /multi_webhook/{url.PathEscape(name)}.
func (num *Number) DeleteDestination(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("DELETE /multi_webhook/{name}: the destination name is empty")
	}
	return num.change(ctx, http.MethodDelete, apiPath+"/"+escapeName(name), nil, nil)
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

// change sends one change call and decodes its answer.
func (num *Number) change(ctx context.Context, method, path string, payload any, dests []Destination) error {
	num.client.secrets.add(headerValues(dests)...)
	r := request{method: method, path: path}
	if payload != nil {
		body, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("%s %s: encoding the request: %w", method, path, err)
		}
		r.body = body
	}
	resp, err := num.send(ctx, r)
	if err != nil {
		return err
	}
	if apiErr := checkChange(method, path, resp.status, resp.body, num.client.secrets); apiErr != nil {
		return num.finish(apiErr, resp)
	}
	return nil
}

// finish completes an APIError decoded from the final answer of a call.
func (num *Number) finish(e *APIError, resp *response) error {
	e.Attempts = resp.attempts
	e.Message = num.client.secrets.redact(e.Message)
	e.secrets = num.client.secrets
	return e
}

// wireDestination is a Destination as sent and received, with headers never null.
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
func headerValues(ds []Destination) []string {
	var out []string
	for _, d := range ds {
		for _, v := range d.Headers {
			out = append(out, v)
		}
	}
	return out
}

// decodeConfig decodes the answer to GET /multi_webhook. The disabled message
// means a disabled number whatever the status (409 per the OpenAPI file, 200
// seen in the wild); "destinations": null and missing headers are tolerated.
func decodeConfig(method, path string, status int, body []byte, secrets *secretSet) (*Config, *APIError) {
	a := parseAnswer(body)
	if isDisabledText(a.text()) {
		return &Config{Enabled: false}, nil
	}
	if !is2xx(status) || a.hasError {
		return nil, newAPIError(method, path, status, a, body, secrets)
	}
	var wire struct {
		Enabled      *bool             `json:"enabled"`
		Destinations []wireDestination `json:"destinations"`
	}
	if err := json.Unmarshal(body, &wire); err != nil || wire.Enabled == nil {
		return nil, newAPIError(method, path, status, a, body, secrets)
	}
	return fromWire(*wire.Enabled, wire.Destinations), nil
}

// fromWire builds a Config. A disabled number has no destinations, as the
// contract with the provider says, even if the API listed some; every
// destination gets a non-nil Headers map.
func fromWire(enabled bool, ds []wireDestination) *Config {
	cfg := &Config{Enabled: enabled}
	if !enabled || len(ds) == 0 {
		return cfg
	}
	cfg.Destinations = make([]Destination, 0, len(ds))
	for _, d := range ds {
		h := d.Headers
		if h == nil {
			h = map[string]string{}
		}
		cfg.Destinations = append(cfg.Destinations, Destination{Name: d.Name, URL: d.URL, Headers: h})
	}
	return cfg
}
