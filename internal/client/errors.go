package client

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrorKind classifies an APIError by what the caller can do about it.
type ErrorKind int

// The kinds of APIError.
const (
	KindUnknown    ErrorKind = iota
	KindTransient            // "Operation failed, please retry later…", 5xx, 429, network
	KindValidation           // 400-class with {"error": ...}: Invalid json, already exists, names unique, more than 3
	KindAuth                 // 401/403
	KindNotFound             // 404
	KindDisabled             // "Multi webhook is disabled…" when returned to a call other than GetMultiWebhook
	KindRedirect             // a 3xx answer: never followed, since the API key would travel with it
	KindUnexpected           // a success status whose body does not have the documented shape
)

// String names the kind, for logs and test failures.
func (k ErrorKind) String() string {
	switch k {
	case KindTransient:
		return "transient"
	case KindValidation:
		return "validation"
	case KindAuth:
		return "auth"
	case KindNotFound:
		return "not found"
	case KindDisabled:
		return "disabled"
	case KindRedirect:
		return "redirect"
	case KindUnexpected:
		return "unexpected answer"
	default:
		return "unknown"
	}
}

// APIError is every non-2xx answer (after retries), every answer carrying the
// API's {"error": ...} or {"meta": ...} error, every success answer of another
// shape than documented, and every network failure that outlived the retries
// (then StatusCode is 0 and Err holds the network error).
type APIError struct {
	Method     string
	Path       string // never contains the key; may contain a destination name
	StatusCode int
	Message    string // the API's own words (its "error", "message" or "developer_message") verbatim, else what came back; never a known secret
	Kind       ErrorKind
	Attempts   int
	Err        error // the underlying network error, if any

	secrets *secretSet // what Error removes; nil for an APIError built elsewhere
}

// Error reads like `PUT /multi_webhook: HTTP 400: Destination with name crm
// already exists`, without any secret the Client that returned e knows.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.StatusCode)
	}
	b.WriteString(e.Message)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return e.secrets.redact(b.String())
}

// Unwrap returns the underlying network error, if any.
func (e *APIError) Unwrap() error {
	return e.Err
}

// IsValidation reports whether err is an APIError rejecting the request itself.
func IsValidation(err error) bool { return kindOf(err) == KindValidation }

// IsAuth reports whether err is an APIError refusing the API key.
func IsAuth(err error) bool { return kindOf(err) == KindAuth }

// IsNotFound reports whether err is an APIError with status 404.
func IsNotFound(err error) bool { return kindOf(err) == KindNotFound }

// IsDisabled reports whether err is an APIError saying multi webhook is disabled.
func IsDisabled(err error) bool { return kindOf(err) == KindDisabled }

// kindOf returns the Kind of the APIError in err's chain, or KindUnknown.
func kindOf(err error) ErrorKind {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Kind
	}
	return KindUnknown
}

// isOperationFailed matches the API's transient failure text.
func isOperationFailed(text string) bool {
	return strings.HasPrefix(text, "Operation failed")
}

// isDisabledText matches "Multi webhook is disabled, use POST to enable it first".
func isDisabledText(text string) bool {
	return strings.HasPrefix(strings.ToLower(text), "multi webhook is disabled")
}

// newAPIError builds the error of an answer that is not a success. Its
// message is redacted by the caller; a body is redacted here too, before it
// is cut to an excerpt, so that no cut can split a secret beyond recognition.
func newAPIError(r request, resp *response, a answer, secrets *secretSet) *APIError {
	msg := a.text()
	if msg == "" {
		msg = describeBody(resp.status, a, []byte(secrets.redact(string(resp.body))))
	}
	return &APIError{Method: r.method, Path: r.path, StatusCode: resp.status, Message: msg, Kind: classify(resp.status, a)}
}

// unexpectedAnswer builds the error of a success status whose body does not
// have the documented shape. It never becomes data, and is not retried.
func unexpectedAnswer(r request, resp *response, problem string) *APIError {
	return &APIError{Method: r.method, Path: r.path, StatusCode: resp.status, Kind: KindUnexpected,
		Message: describeUnexpected(resp, problem)}
}

// classify maps an answer to its ErrorKind. The API's own words take
// precedence over the status, because 360dialog does not document statuses.
func classify(status int, a answer) ErrorKind {
	text, code := a.text(), a.code(status)
	switch {
	case isOperationFailed(text):
		return KindTransient
	case isDisabledText(text):
		return KindDisabled
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return KindAuth
	case code == http.StatusNotFound:
		return KindNotFound
	case code == http.StatusTooManyRequests || code >= 500:
		return KindTransient
	case a.hasError, a.meta != nil && code >= 400:
		return KindValidation
	}
	return KindUnknown
}

// excerptMax caps the excerpt of a non-JSON body quoted in an error.
const excerptMax = 200

// describeBody makes a readable message for an answer without the API's own
// words. A JSON body is never quoted, because it may hold header values; an
// HTML or text body (a proxy's error page) is quoted as a short excerpt.
// body must be redacted already.
func describeBody(status int, a answer, body []byte) string {
	label := http.StatusText(status)
	if is2xx(status) || label == "" {
		label = "unexpected answer"
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return label + " (empty body)"
	case a.isObject() || string(trimmed) == "null":
		return label + " (JSON body of an unexpected shape)"
	case trimmed[0] == '{' || trimmed[0] == '[':
		return fmt.Sprintf("%s (malformed or truncated JSON body, %d bytes)", label, len(body))
	}
	return fmt.Sprintf("%s (non-JSON body: %q)", label, excerpt(string(trimmed), excerptMax))
}

// excerpt strips markup and control characters from s, collapses
// whitespace and caps it at n runes.
func excerpt(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = html.UnescapeString(stripTags(s))
	s = strings.Map(printableOrSpace, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return cutOutsideMark(string([]rune(s)[:n]), s) + "…"
}

// cutOutsideMark returns cut, a prefix of s, without a redaction mark that
// the cut split, so that an excerpt never ends in "[redac".
func cutOutsideMark(cut, s string) string {
	for i := len(redactedMark) - 1; i > 0; i-- {
		if strings.HasSuffix(cut, redactedMark[:i]) && strings.HasPrefix(s[len(cut)-i:], redactedMark) {
			return cut[:len(cut)-i]
		}
	}
	return cut
}

// printableOrSpace replaces a non-printable rune by a space.
func printableOrSpace(r rune) rune {
	if unicode.IsPrint(r) {
		return r
	}
	return ' '
}

// stripTags removes everything between '<' and '>'.
func stripTags(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isRedirect reports whether status asks the client to go elsewhere.
func isRedirect(status int) bool {
	return status >= 300 && status <= 399
}

// redirectError is the error of a 3xx answer to r, sent to reqURL. It names
// only the host the Location points to: its path, query and userinfo may
// carry anything, a secret included.
func redirectError(reqURL *url.URL, r request, resp *response) *APIError {
	where := "without a usable Location"
	raw := resp.header.Get(refusedLocationHeader)
	if loc, err := reqURL.Parse(raw); err == nil && raw != "" {
		where = fmt.Sprintf("to host %q", loc.Host)
	}
	return &APIError{Method: r.method, Path: r.path, StatusCode: resp.status, Kind: KindRedirect,
		Message: "redirect " + where + " not followed: the provider does not follow redirects, because the API key would travel with them"}
}

// is2xx reports whether status is a success status.
func is2xx(status int) bool {
	return status >= 200 && status <= 299
}
