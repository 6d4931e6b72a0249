package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// answer is what the API says in a body, read leniently so that any body
// yields one: the fields of a JSON object, and its {"error"}, {"message"} or
// {"meta": {...}} parts when they are there.
type answer struct {
	fields   map[string]json.RawMessage // nil unless the body is a JSON object
	hasError bool                       // the object has a non-null "error"
	errText  string                     // "error", when a string
	msgText  string                     // "message", when a string
	meta     *metaAnswer                // the {"meta": {"success": false, ...}} error shape
}

// metaAnswer is the error shape of /v1/configs/webhook:
// {"meta": {"success": false, "http_code": 400, "developer_message": "...", "details": [...]}}.
type metaAnswer struct {
	code int    // http_code; 0 when absent or not a number
	text string // developer_message, then the string details in parentheses
}

// parseAnswer reads body as the API's answer.
func parseAnswer(body []byte) answer {
	var a answer
	if json.Unmarshal(body, &a.fields) != nil {
		a.fields = nil
		return a
	}
	a.hasError = !isNull(a.fields["error"])
	a.errText, _ = stringOf(a.fields["error"])
	a.msgText, _ = stringOf(a.fields["message"])
	a.meta = parseMeta(a.fields["meta"])
	return a
}

// parseMeta reads the "meta" object of an answer; nil unless it is an
// object whose "success" is not true.
func parseMeta(raw json.RawMessage) *metaAnswer {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return nil
	}
	if ok, _ := boolOf(fields["success"]); ok {
		return nil
	}
	m := &metaAnswer{}
	_ = json.Unmarshal(fields["http_code"], &m.code) // stays 0 when it is not an integer
	m.text, _ = stringOf(fields["developer_message"])
	var details []json.RawMessage
	_ = json.Unmarshal(fields["details"], &details) // stays empty when not an array
	var texts []string
	for _, d := range details {
		if s, ok := stringOf(d); ok && s != "" {
			texts = append(texts, s)
		}
	}
	if len(texts) > 0 {
		m.text = strings.TrimSpace(m.text + " (" + strings.Join(texts, "; ") + ")")
	}
	return m
}

// isObject reports whether the body is a JSON object.
func (a answer) isObject() bool {
	return a.fields != nil
}

// failed reports whether the body is one of the API's error shapes.
func (a answer) failed() bool {
	return a.hasError || a.meta != nil
}

// text is the API's own words: the error field, else the message field,
// else the developer message of the meta shape.
func (a answer) text() string {
	switch {
	case a.errText != "":
		return a.errText
	case a.msgText != "":
		return a.msgText
	case a.meta != nil:
		return a.meta.text
	}
	return ""
}

// code is the status the answer stands for: the HTTP status, or the meta
// shape's http_code when an error came with a 2xx status.
func (a answer) code(status int) int {
	if is2xx(status) && a.meta != nil && a.meta.code >= 400 {
		return a.meta.code
	}
	return status
}

// decodeAnswer is the path every answer takes once its special cases are
// handled: an error status or one of the API's error shapes becomes an
// APIError classified by classify; a success is read by read, and a body
// read cannot make sense of (it says what is wrong) becomes an error of
// KindUnexpected, never data.
func decodeAnswer[T any](r request, resp *response, a answer, secrets *secretSet, read func([]byte, answer) (T, string)) (T, *APIError) {
	var zero T
	if !is2xx(resp.status) || a.failed() {
		return zero, newAPIError(r, resp, a, secrets)
	}
	v, problem := read(resp.body, a)
	if problem != "" {
		return zero, unexpectedAnswer(r, resp, problem)
	}
	return v, nil
}

// hasString returns a read function for decodeAnswer that accepts a JSON
// object holding a string field called name.
func hasString(name string) func([]byte, answer) (struct{}, string) {
	return func(body []byte, a answer) (struct{}, string) {
		if _, ok := stringOf(a.fields[name]); !ok {
			return struct{}{}, objectProblem(body, a, fmt.Sprintf("a string %q", name))
		}
		return struct{}{}, ""
	}
}

// objectProblem says that a body is not a JSON object, or that the object
// lacks what, whichever is the case.
func objectProblem(body []byte, a answer, what string) string {
	if !a.isObject() {
		return bodyShape(body)
	}
	return "a JSON object without " + what
}

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// stringOf decodes raw as a JSON string; ok is false for anything else.
func stringOf(raw json.RawMessage) (s string, ok bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '"' || json.Unmarshal(t, &s) != nil {
		return "", false
	}
	return s, true
}

// boolOf decodes raw as a JSON boolean; ok is false for anything else.
func boolOf(raw json.RawMessage) (b bool, ok bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != 't' && t[0] != 'f' || json.Unmarshal(t, &b) != nil {
		return false, false
	}
	return b, true
}

// headersOf decodes raw as header values: absent or null is none (an empty,
// non-nil map), an object of strings is the headers, and anything else is
// not ok.
func headersOf(raw json.RawMessage) (map[string]string, bool) {
	h := map[string]string{}
	if isNull(raw) {
		return h, true
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return nil, false
	}
	for name, v := range fields {
		s, ok := stringOf(v)
		if !ok {
			return nil, false
		}
		h[name] = s
	}
	return h, true
}

// bodyShape names what a body is, for an error that must not quote it.
func bodyShape(body []byte) string {
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		return "an empty body"
	case !json.Valid(t) && (t[0] == '{' || t[0] == '['):
		return "malformed JSON"
	case !json.Valid(t):
		return "not JSON"
	}
	switch t[0] {
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "JSON null"
	}
	return "a JSON number"
}

// contentTypeMax caps the content type quoted in an error.
const contentTypeMax = 60

// describeUnexpected says what came back, without quoting the body: its
// status, content type, length and what is wrong with its shape.
func describeUnexpected(resp *response, problem string) string {
	ct := excerpt(resp.header.Get("Content-Type"), contentTypeMax)
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("unexpected answer (HTTP %d, %s, %s): %s", resp.status, ct, plural(len(resp.body), "byte"), problem)
}
