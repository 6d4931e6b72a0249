package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultBaseURL is 360dialog's Cloud API host.
const DefaultBaseURL = "https://waba-v2.360dialog.io"

// CheckBaseURL says why raw cannot be the base URL of a Client, in words
// that complete "cannot be used: "; nil when it can. It must be an
// absolute https URL, or plain http for a loopback host only: the API key
// travels in a header, so it must never cross a network in clear text,
// while tests and the demo use a local fake. Credentials, a query and a
// fragment are refused, since a URL is printed in logs and errors.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("it is not a URL")
	}
	if !u.IsAbs() || u.Host == "" {
		return errors.New("it must be an absolute URL such as " + DefaultBaseURL)
	}
	if u.User != nil {
		return errors.New("credentials in the URL are refused: the API key is the only credential, and a " +
			"URL is printed in logs and errors")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return errors.New("it must not carry a query or fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return errors.New("plain http is accepted only for loopback hosts (localhost, 127.0.0.0/8, ::1); use https")
	default:
		return fmt.Errorf("the scheme must be https, not %q", u.Scheme)
	}
}

// isLoopbackHost reports whether host names this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ShowURL returns raw as a message may quote it: without userinfo, query
// and fragment, which may hold credentials. It works on the text, so that
// it also cleans a URL that url.Parse refuses: the authority (after "//"
// if there is one, else from the start) loses everything up to its last
// "@", and the text from the first "?" or "#" goes.
func ShowURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	end := len(raw)
	if i := strings.IndexByte(raw[start:], '/'); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndexByte(raw[start:end], '@'); at >= 0 {
		return raw[:start] + raw[start+at+1:]
	}
	return raw
}

// parseBaseURL checks raw with CheckBaseURL and returns it without its
// trailing slash.
func parseBaseURL(raw string) (string, error) {
	if err := CheckBaseURL(raw); err != nil {
		return "", fmt.Errorf("invalid base URL %q: %w", ShowURL(raw), err)
	}
	u, _ := url.Parse(raw) // CheckBaseURL parsed it already
	return strings.TrimRight(u.String(), "/"), nil
}
