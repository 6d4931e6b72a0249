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
type destinationsValidator struct{}

var _ validator.Map = destinationsValidator{}

func (destinationsValidator) Description(context.Context) string {
	return fmt.Sprintf("at most %d destinations, each named by a non-empty key without control characters or '/'", maxDestinations)
}

func (v destinationsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (destinationsValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	names := make([]string, 0, len(req.ConfigValue.Elements()))
	for name, value := range req.ConfigValue.Elements() {
		names = append(names, name)
		if err := checkDestinationName(name); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(name), "Invalid Destination Name",
				fmt.Sprintf("The destination name %q cannot be used: %s.", name, err))
		}
		if obj, ok := value.(types.Object); ok {
			checkHeaderOverlap(obj, req.Path.AtMapKey(name), name, &resp.Diagnostics)
		}
	}
	if len(names) > maxDestinations {
		sort.Strings(names)
		resp.Diagnostics.AddAttributeError(req.Path, "Too Many Destinations",
			fmt.Sprintf("360dialog allows at most %d destinations per phone number, and this cannot be raised; "+
				"%d are declared (%s). Remove %d of them.",
				maxDestinations, len(names), strings.Join(names, ", "), len(names)-maxDestinations))
	}
}

// checkHeaderOverlap refuses a header name in both headers and headers_wo
// of one destination (case ignored, as in HTTP): the union is sent, so one
// of the two values would be lost.
func checkHeaderOverlap(dest types.Object, at path.Path, destName string, diags *diag.Diagnostics) {
	plain, _ := dest.Attributes()["headers"].(types.Map)
	writeOnly, _ := dest.Attributes()["headers_wo"].(types.Map)
	for _, name := range overlappingHeaders(plain.Elements(), writeOnly.Elements()) {
		diags.AddAttributeError(at.AtName("headers_wo").AtMapKey(name), "Header in Both headers and headers_wo",
			fmt.Sprintf("The header %q of destination %q is in both headers and headers_wo (names are compared "+
				"ignoring case). Keep it in one of them: headers_wo keeps its value out of the state.", name, destName))
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
type webhookURLValidator struct{}

var _ validator.String = webhookURLValidator{}

func (webhookURLValidator) Description(context.Context) string {
	return "an absolute https URL whose host has no '_' and no explicit port"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if err := checkWebhookURL(raw); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Webhook URL",
			fmt.Sprintf("The webhook URL %q cannot be used: %s.", raw, err))
	}
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
type headersValidator struct{}

var _ validator.Map = headersValidator{}

func (headersValidator) Description(context.Context) string {
	return "header names are HTTP tokens without '_', unique ignoring case; values have no line breaks"
}

func (v headersValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (headersValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]string{}
	for name, value := range req.ConfigValue.Elements() {
		at := req.Path.AtMapKey(name)
		if err := checkHeaderName(name); err != nil {
			resp.Diagnostics.AddAttributeError(at, "Invalid Header Name",
				fmt.Sprintf("The header name %q cannot be used: %s.", name, err))
		}
		if other, dup := seen[strings.ToLower(name)]; dup {
			resp.Diagnostics.AddAttributeError(at, "Duplicate Header Name",
				fmt.Sprintf("The headers %q and %q differ only in case; HTTP header names are case-insensitive, "+
					"so keep one.", other, name))
		}
		seen[strings.ToLower(name)] = name
		if s, ok := value.(types.String); ok && !s.IsUnknown() && !s.IsNull() && hasLineBreak(s.ValueString()) {
			resp.Diagnostics.AddAttributeError(at, "Invalid Header Value",
				fmt.Sprintf("The value of header %q contains a carriage return, line feed or NUL character, "+
					"which would split the HTTP request. (The value is secret and not shown.)", name))
		}
	}
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
	raw := req.ConfigValue.ValueString()
	if err := client.CheckBaseURL(raw); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid 360dialog Base URL",
			fmt.Sprintf("The base_url %q cannot be used: %s.", client.ShowURL(raw), err))
	}
}
