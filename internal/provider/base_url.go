package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// checkBaseURL accepts an absolute https URL, or plain http for a loopback
// host only: the API key travels in a header, so it must never cross a
// network in clear text, while tests and the demo use a local fake.
func checkBaseURL(raw string) error {
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
	if u.RawQuery != "" || u.Fragment != "" {
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

// describeBaseURL is a base URL as messages may show it: without userinfo,
// which may hold a password, and without query or fragment. A value that is
// not a URL at all is not shown, since it may be a secret pasted by mistake.
func describeBaseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(not a URL; not shown)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment = nil, "", false, ""
	return fmt.Sprintf("%q", u.String())
}

// isLoopbackHost reports whether host names this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// baseURLValidator checks base_url at plan time.
type baseURLValidator struct{}

var _ validator.String = baseURLValidator{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute https URL (http only for loopback hosts)"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid 360dialog Base URL",
			fmt.Sprintf("The base_url %s cannot be used: %s.", describeBaseURL(req.ConfigValue.ValueString()), err))
	}
}
