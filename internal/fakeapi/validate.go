package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// The fake decodes bodies strictly, so that it catches client mistakes the
// real API may or may not forgive: field names are matched exactly (case
// included), unknown fields and values of the wrong type are rejected, and
// a required field that is null counts as missing. The decoders return the
// details of such a problem as an error; each endpoint refuses it in its
// own shape, with "Invalid json: <details>", the documented form.

// invalidJSON returns the "Invalid json: <details>" refusal of
// /multi_webhook for the decoding problem err.
func invalidJSON(err error) *response {
	return refusal(invalidJSONText(err))
}

// invalidJSONText is the text of a decoding problem.
func invalidJSONText(err error) string {
	return "Invalid json: " + err.Error()
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
func decodeObject(raw []byte, path string, allowed ...string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, err
		}
		return nil, fmt.Errorf("%s must be a JSON object", describe(path))
	}
	if obj == nil {
		return nil, fmt.Errorf("%s must be a JSON object", describe(path))
	}
	var unknown []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown field %q", fieldPath(path, unknown[0]))
	}
	return obj, nil
}

// decodeBool decodes the required boolean field name of obj.
func decodeBool(obj map[string]json.RawMessage, path, name string) (bool, error) {
	raw := obj[name]
	if isNull(raw) {
		return false, fmt.Errorf("missing required field %q", fieldPath(path, name))
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, fmt.Errorf("field %q must be a boolean", fieldPath(path, name))
	}
	return v, nil
}

// decodeString decodes the JSON string raw, the value at path.
func decodeString(raw json.RawMessage, path string) (string, error) {
	var v string
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) || json.Unmarshal(raw, &v) != nil {
		return "", fmt.Errorf("field %q must be a string", path)
	}
	return v, nil
}

// decodeRequiredString decodes the required, non-empty string field name of
// obj.
func decodeRequiredString(obj map[string]json.RawMessage, path, name string) (string, error) {
	p := fieldPath(path, name)
	if isNull(obj[name]) {
		return "", fmt.Errorf("missing required field %q", p)
	}
	v, err := decodeString(obj[name], p)
	if err == nil && v == "" {
		err = fmt.Errorf("field %q must not be empty", p)
	}
	return v, err
}

// decodeHeaders decodes the optional headers object at path: absent or null
// is no headers; every value must be a string.
func decodeHeaders(raw json.RawMessage, path string) (map[string]string, error) {
	headers := map[string]string{}
	if isNull(raw) {
		return headers, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("field %q must be an object of strings", path)
	}
	for k, v := range obj {
		s, err := decodeString(v, fieldPath(path, k))
		if err != nil {
			return nil, err
		}
		headers[k] = s
	}
	return headers, nil
}

// decodeDestination decodes one {"name", "url", "headers"} object found at
// path (the whole body of a PATCH when path is empty).
func decodeDestination(raw []byte, path string) (Destination, error) {
	obj, err := decodeObject(raw, path, "name", "url", "headers")
	if err != nil {
		return Destination{}, err
	}
	var d Destination
	if d.Name, err = decodeRequiredString(obj, path, "name"); err != nil {
		return Destination{}, err
	}
	if d.URL, err = decodeRequiredString(obj, path, "url"); err != nil {
		return Destination{}, err
	}
	if d.Headers, err = decodeHeaders(obj["headers"], fieldPath(path, "headers")); err != nil {
		return Destination{}, err
	}
	return d, nil
}

// decodeDestinations decodes the "destinations" array of obj. When required
// (PUT), it must be present and non-empty; otherwise absent or null is none.
func decodeDestinations(obj map[string]json.RawMessage, required bool) ([]Destination, error) {
	raw := obj["destinations"]
	if isNull(raw) {
		if required {
			return nil, errors.New(`missing required field "destinations"`)
		}
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errors.New(`field "destinations" must be an array`)
	}
	if required && len(items) == 0 {
		return nil, errors.New(`field "destinations" must not be empty`)
	}
	dests := make([]Destination, 0, len(items))
	for i, item := range items {
		d, err := decodeDestination(item, fmt.Sprintf("destinations[%d]", i))
		if err != nil {
			return nil, err
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
			return refusal(ErrorNamesNotUnique)
		}
		seen[d.Name] = true
	}
	return nil
}

// checkDestination applies the documented URL and header rules to d.
//
// The documentation says that webhook URLs and headers do not support "_"
// or an explicit ":port" in the (sub)domain, but gives no error text for
// it. The fake refuses them with {"error": "Invalid webhook URL: <url>"}
// and {"error": "Invalid header name: <name>"}, after the documentation's
// own wording ("Invalid webhook URL: https://your_webhook.example.com").
func checkDestination(d Destination) *response {
	if text := checkWebhook(d.URL, d.Headers, false); text != "" {
		return refusal(text)
	}
	return nil
}

// checkWebhook applies the URL and header rules shared by destinations and
// the primary webhook, whose URL must also be https when httpsOnly. It
// returns the text of the answer refusing them, or "".
func checkWebhook(rawURL string, headers map[string]string, httpsOnly bool) string {
	if !validWebhookURL(rawURL) || httpsOnly && !strings.HasPrefix(strings.ToLower(rawURL), "https:") {
		return "Invalid webhook URL: " + rawURL
	}
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !validHeaderName(name) {
			return "Invalid header name: " + name
		}
		if strings.ContainsAny(headers[name], "\r\n\x00") {
			return "Invalid header value: " + name
		}
	}
	return ""
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
