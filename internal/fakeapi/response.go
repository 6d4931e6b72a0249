package fakeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// statusClientClosed is logged for a request whose context ended before it
// was answered; nothing is written to such a request.
const statusClientClosed = 499

// badGatewayPage is the HTML page of an injected 502, as a proxy in front of
// the API would serve it.
const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
</body>
</html>
`

// response is an answer before it is written.
type response struct {
	status     int
	body       any    // encoded as JSON unless html is set
	html       string // served as text/html when non-empty
	retryAfter int    // seconds; a Retry-After header when positive
	allow      string // an Allow header when non-empty (405)
	// refusal marks a multi-webhook {"error": ...} refusal of a change,
	// whose status is Options.RefusalStatus (see Server.dressLocked).
	refusal bool
	// contentType is the Content-Type of a JSON body; "" sends none. The
	// writer of the answer sets it: the API from Options.ContentType, the
	// admin endpoints always JSONContentType.
	contentType string
}

// errorBody is the API's {"error": ...} answer.
type errorBody struct {
	Error string `json:"error"`
}

// messageBody is the API's {"message": ...} answer.
type messageBody struct {
	Message string `json:"message"`
}

// errorResponse returns an {"error": text} answer.
func errorResponse(status int, text string) *response {
	return &response{status: status, body: errorBody{Error: text}}
}

// messageResponse returns a {"message": text} answer.
func messageResponse(status int, text string) *response {
	return &response{status: status, body: messageBody{Message: text}}
}

// refusal returns the multi webhook's {"error": text} refusal of a change.
// Its status, 400 until the answer is dressed, is Options.RefusalStatus.
func refusal(text string) *response {
	resp := errorResponse(http.StatusBadRequest, text)
	resp.refusal = true
	return resp
}

// write sends resp to w.
func (resp response) write(w http.ResponseWriter) {
	h := w.Header()
	if resp.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(resp.retryAfter))
	}
	if resp.allow != "" {
		h.Set("Allow", resp.allow)
	}
	if resp.html != "" {
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(resp.status)
		_, _ = w.Write([]byte(resp.html))
		return
	}
	if resp.contentType == "" {
		// A nil value stops net/http from sniffing one: no header at all.
		h["Content-Type"] = nil
	} else {
		h.Set("Content-Type", resp.contentType)
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(encodeJSON(resp.body))
}

// encodeJSON encodes v on one line, without escaping HTML characters (URLs
// keep their "&").
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the fake's own types are encoded; they cannot fail.
		panic("fakeapi: encoding a response: " + err.Error())
	}
	return buf.Bytes()
}
