package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// maxDestinations is 360dialog's fixed cap per phone number.
const maxDestinations = 3

// destinationsValidator checks the destination map as a whole: the cap and
// every name (the map keys), so mistakes surface at plan time.
var destinationsValidator = rule{
	description: fmt.Sprintf("at most %d destinations, each named by a non-empty key without control characters or '/'", maxDestinations),
	checkMap: func(at path.Path, elems map[string]attr.Value, diags *diag.Diagnostics) {
		names := make([]string, 0, len(elems))
		for name, value := range elems {
			names = append(names, name)
			if err := checkDestinationName(name); err != nil {
				diags.AddAttributeError(at.AtMapKey(name), "Invalid Destination Name",
					fmt.Sprintf("The destination name %q cannot be used: %s.", name, err))
			}
			if obj, ok := value.(types.Object); ok {
				plain, _ := obj.Attributes()["headers"].(types.Map)
				writeOnly, _ := obj.Attributes()["headers_wo"].(types.Map)
				checkHeaderOverlap(plain, writeOnly, at.AtMapKey(name).AtName("headers_wo"),
					fmt.Sprintf(" of destination %q", name), diags)
			}
		}
		if len(names) > maxDestinations {
			sort.Strings(names)
			diags.AddAttributeError(at, "Too Many Destinations",
				fmt.Sprintf("360dialog allows at most %d destinations per phone number, and this cannot be raised; "+
					"%d are declared (%s). Remove %d of them.",
					maxDestinations, len(names), strings.Join(names, ", "), len(names)-maxDestinations))
		}
	},
}

// checkHeaderOverlap refuses a header name in both headers and headers_wo
// (case ignored, as in HTTP), of d360_webhook or of one destination: the
// union is sent, so one of the two values would be lost. writeOnlyAt is
// the path of headers_wo; whose says whose headers they are, after the
// header's name ("" for the primary webhook).
func checkHeaderOverlap(plain, writeOnly types.Map, writeOnlyAt path.Path, whose string, diags *diag.Diagnostics) {
	for _, name := range overlappingHeaders(plain.Elements(), writeOnly.Elements()) {
		diags.AddAttributeError(writeOnlyAt.AtMapKey(name), "Header in Both headers and headers_wo",
			fmt.Sprintf("The header %q%s is in both headers and headers_wo (names are compared ignoring case). "+
				"Keep it in one of them: headers_wo keeps its value out of the state.", name, whose))
	}
}

// overlappingHeaders lists the names of b that a also has, ignoring case,
// sorted.
func overlappingHeaders(a, b map[string]attr.Value) []string {
	lower := map[string]bool{}
	for name := range a {
		lower[strings.ToLower(name)] = true
	}
	var out []string
	for name := range b {
		if lower[strings.ToLower(name)] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// checkDestinationName enforces what a name needs to travel as the last
// segment of DELETE /multi_webhook/{name}: other characters are escaped.
func checkDestinationName(name string) error {
	switch {
	case name == "":
		return errors.New("it is empty; names identify destinations and must not be blank")
	case name == "." || name == "..":
		return errors.New("a URL path segment of only dots is rewritten by HTTP clients and proxies")
	case strings.Contains(name, "/"):
		return errors.New("'/' cannot travel in the URL path of DELETE /multi_webhook/{name}, even escaped, " +
			"because proxies decode it")
	case client.HasControl(name):
		return errors.New("it contains a control character")
	}
	return nil
}

// webhookURLValidator enforces 360dialog's URL rules at plan time.
var webhookURLValidator = rule{
	description: "an absolute https URL whose host has no '_' and no explicit port",
	checkString: func(at path.Path, value string, diags *diag.Diagnostics) {
		raw := value
		if err := checkWebhookURL(raw); err != nil {
			diags.AddAttributeError(at, "Invalid Webhook URL",
				fmt.Sprintf("The webhook URL %q cannot be used: %s.", raw, err))
		}
	},
}

// checkWebhookURL applies the rules of 360dialog's documentation: the URL
// must be absolute https, and the (sub)domain may hold neither '_' nor a
// ':port'.
func checkWebhookURL(raw string) error {
	if strings.TrimSpace(raw) != raw {
		return errors.New("it starts or ends with white space, which would be sent as part of the URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("it is not a valid URL (%s)", strings.TrimPrefix(err.Error(), "parse "))
	}
	switch {
	case !u.IsAbs() || u.Host == "":
		return errors.New("it must be absolute, for example https://hooks.example.com/whatsapp")
	case u.Scheme != "https":
		return fmt.Errorf("the scheme must be https, not %q", u.Scheme)
	case u.User != nil:
		return errors.New("credentials in the URL are not allowed; send them in headers")
	case strings.Contains(u.Host, "_"):
		return errors.New("360dialog does not accept '_' in the host name; rename the (sub)domain")
	case u.Port() != "" || strings.HasSuffix(u.Host, ":"):
		return errors.New("360dialog does not accept an explicit port in the host; serve the webhook on 443")
	}
	return nil
}

// headersValidator checks header names and values without ever echoing a
// value, since values are secrets.
var headersValidator = rule{
	description: "header names are HTTP tokens without '_', unique ignoring case; values have no line breaks",
	checkMap: func(at path.Path, elems map[string]attr.Value, diags *diag.Diagnostics) {
		seen := map[string]string{}
		for name, value := range elems {
			at := at.AtMapKey(name)
			if err := checkHeaderName(name); err != nil {
				diags.AddAttributeError(at, "Invalid Header Name",
					fmt.Sprintf("The header name %q cannot be used: %s.", name, err))
			}
			if other, dup := seen[strings.ToLower(name)]; dup {
				diags.AddAttributeError(at, "Duplicate Header Name",
					fmt.Sprintf("The headers %q and %q differ only in case; HTTP header names are case-insensitive, "+
						"so keep one.", other, name))
			}
			seen[strings.ToLower(name)] = name
			if s, ok := value.(types.String); ok && !s.IsUnknown() && !s.IsNull() && hasLineBreak(s.ValueString()) {
				diags.AddAttributeError(at, "Invalid Header Value",
					fmt.Sprintf("The value of header %q contains a carriage return, line feed or NUL character, "+
						"which would split the HTTP request. (The value is secret and not shown.)", name))
			}
		}
	},
}

// checkHeaderName requires an RFC 9110 token without '_', which 360dialog
// rejects.
func checkHeaderName(name string) error {
	if name == "" {
		return errors.New("it is empty")
	}
	for _, r := range name {
		if r == '_' {
			return errors.New("360dialog does not accept '_' in header names; use '-'")
		}
		if !isTokenChar(r) {
			return fmt.Errorf("%q is not allowed in an HTTP header name", r)
		}
	}
	return nil
}

// isTokenChar reports whether r is an RFC 9110 tchar.
func isTokenChar(r rune) bool {
	if r > unicode.MaxASCII {
		return false
	}
	if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// hasLineBreak reports characters that would end an HTTP header line.
func hasLineBreak(s string) bool {
	return strings.ContainsAny(s, "\r\n\x00")
}

// baseURLValidator checks base_url at plan time.
var baseURLValidator = rule{
	description: "must be an absolute https URL (http only for loopback hosts)",
	checkString: func(at path.Path, value string, diags *diag.Diagnostics) {
		raw := value
		if err := client.CheckBaseURL(raw); err != nil {
			diags.AddAttributeError(at, "Invalid 360dialog Base URL",
				fmt.Sprintf("The base_url %q cannot be used: %s.", client.ShowURL(raw), err))
		}
	},
}

// rule is a validator of values known at plan time, of a string
// attribute (checkString) or a map attribute (checkMap): the check reports
// what is wrong with one, at its path. Null and unknown values are left for
// later.
type rule struct {
	description string
	checkString func(at path.Path, value string, diags *diag.Diagnostics)
	checkMap    func(at path.Path, elems map[string]attr.Value, diags *diag.Diagnostics)
}

var (
	_ validator.String = rule{}
	_ validator.Map    = rule{}
)

// Description says what the rule accepts.
func (v rule) Description(context.Context) string { return v.description }

// MarkdownDescription says what the rule accepts.
func (v rule) MarkdownDescription(context.Context) string { return v.description }

// ValidateString checks a known string.
func (v rule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if v.checkString != nil && !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		v.checkString(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
	}
}

// ValidateMap checks a known map.
func (v rule) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if v.checkMap != nil && !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		v.checkMap(req.Path, req.ConfigValue.Elements(), &resp.Diagnostics)
	}
}
