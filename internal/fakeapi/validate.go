package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// The fake decodes bodies strictly, so that it catches client mistakes the
// real API may or may not forgive: field names are matched exactly (case
// included), unknown fields and values of the wrong type are rejected, and
// a required field that is null counts as missing. Every such problem is
// answered 400 {"error": "Invalid json: <details>"}, the documented form.

// invalidJSON returns the 400 "Invalid json: <details>" answer.
func invalidJSON(format string, args ...any) *response {
	return errorResponse(http.StatusBadRequest, "Invalid json: "+fmt.Sprintf(format, args...))
}

// fieldPath joins the path of an object and the name of one of its fields.
func fieldPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// describe names a value in error details: the body or a field.
func describe(path string) string {
	if path == "" {
		return "body"
	}
	return fmt.Sprintf("field %q", path)
}

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// decodeObject decodes raw, found at path, as a JSON object whose fields are
// all among allowed.
func decodeObject(raw []byte, path string, allowed ...string) (map[string]json.RawMessage, *response) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, invalidJSON("%v", err)
		}
		return nil, invalidJSON("%s must be a JSON object", describe(path))
	}
	if obj == nil {
		return nil, invalidJSON("%s must be a JSON object", describe(path))
	}
	var unknown []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, invalidJSON("unknown field %q", fieldPath(path, unknown[0]))
	}
	return obj, nil
}

// decodeBool decodes the required boolean field name of obj.
func decodeBool(obj map[string]json.RawMessage, path, name string) (bool, *response) {
	raw := obj[name]
	if isNull(raw) {
		return false, invalidJSON("missing required field %q", fieldPath(path, name))
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, invalidJSON("field %q must be a boolean", fieldPath(path, name))
	}
	return v, nil
}

// decodeString decodes the JSON string raw, the value at path.
func decodeString(raw json.RawMessage, path string) (string, *response) {
	var v string
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) || json.Unmarshal(raw, &v) != nil {
		return "", invalidJSON("field %q must be a string", path)
	}
	return v, nil
}

// decodeRequiredString decodes the required, non-empty string field name of
// obj.
func decodeRequiredString(obj map[string]json.RawMessage, path, name string) (string, *response) {
	p := fieldPath(path, name)
	if isNull(obj[name]) {
		return "", invalidJSON("missing required field %q", p)
	}
	v, rejected := decodeString(obj[name], p)
	if rejected == nil && v == "" {
		rejected = invalidJSON("field %q must not be empty", p)
	}
	return v, rejected
}

// decodeHeaders decodes the optional headers object at path: absent or null
// is no headers; every value must be a string.
func decodeHeaders(raw json.RawMessage, path string) (map[string]string, *response) {
	headers := map[string]string{}
	if isNull(raw) {
		return headers, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, invalidJSON("field %q must be an object of strings", path)
	}
	for k, v := range obj {
		s, rejected := decodeString(v, fieldPath(path, k))
		if rejected != nil {
			return nil, rejected
		}
		headers[k] = s
	}
	return headers, nil
}

// decodeDestination decodes one {"name", "url", "headers"} object found at
// path (the whole body of a PATCH when path is empty).
func decodeDestination(raw []byte, path string) (Destination, *response) {
	obj, rejected := decodeObject(raw, path, "name", "url", "headers")
	if rejected != nil {
		return Destination{}, rejected
	}
	var d Destination
	if d.Name, rejected = decodeRequiredString(obj, path, "name"); rejected != nil {
		return Destination{}, rejected
	}
	if d.URL, rejected = decodeRequiredString(obj, path, "url"); rejected != nil {
		return Destination{}, rejected
	}
	if d.Headers, rejected = decodeHeaders(obj["headers"], fieldPath(path, "headers")); rejected != nil {
		return Destination{}, rejected
	}
	return d, nil
}

// decodeDestinations decodes the "destinations" array of obj. When required
// (PUT), it must be present and non-empty; otherwise absent or null is none.
func decodeDestinations(obj map[string]json.RawMessage, required bool) ([]Destination, *response) {
	raw := obj["destinations"]
	if isNull(raw) {
		if required {
			return nil, invalidJSON(`missing required field "destinations"`)
		}
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, invalidJSON(`field "destinations" must be an array`)
	}
	if required && len(items) == 0 {
		return nil, invalidJSON(`field "destinations" must not be empty`)
	}
	dests := make([]Destination, 0, len(items))
	for i, item := range items {
		d, rejected := decodeDestination(item, fmt.Sprintf("destinations[%d]", i))
		if rejected != nil {
			return nil, rejected
		}
		dests = append(dests, d)
	}
	return dests, nil
}

// checkDestinations applies the documented rules to the destinations of one
// request: valid URLs and header names, and names unique within the request.
func checkDestinations(dests []Destination) *response {
	seen := make(map[string]bool, len(dests))
	for _, d := range dests {
		if rejected := checkDestination(d); rejected != nil {
			return rejected
		}
		if seen[d.Name] {
			return errorResponse(http.StatusBadRequest, ErrorNamesNotUnique)
		}
		seen[d.Name] = true
	}
	return nil
}

// checkDestination applies the documented URL and header rules to d.
//
// The documentation says that webhook URLs and headers do not support "_"
// or an explicit ":port" in the (sub)domain, but gives no error text for
// it. The fake answers 400 {"error": "Invalid webhook URL: <url>"} and
// 400 {"error": "Invalid header name: <name>"}, after the documentation's
// own wording ("Invalid webhook URL: https://your_webhook.example.com").
func checkDestination(d Destination) *response {
	if !validWebhookURL(d.URL) {
		return errorResponse(http.StatusBadRequest, "Invalid webhook URL: "+d.URL)
	}
	names := make([]string, 0, len(d.Headers))
	for name := range d.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !validHeaderName(name) {
			return errorResponse(http.StatusBadRequest, "Invalid header name: "+name)
		}
		if strings.ContainsAny(d.Headers[name], "\r\n\x00") {
			return errorResponse(http.StatusBadRequest, "Invalid header value: "+name)
		}
	}
	return nil
}

// validWebhookURL reports whether raw is an absolute http(s) URL whose host
// has neither "_" nor an explicit port.
func validWebhookURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return false
	}
	host := u.Hostname()
	return host != "" && !strings.Contains(host, "_") &&
		u.Port() == "" && !strings.HasSuffix(u.Host, ":")
}

// validHeaderName reports whether name is an HTTP token without "_".
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range []byte(name) {
		if c == '_' || !isTokenChar(c) {
			return false
		}
	}
	return true
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110).
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	default:
		return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
	}
}
