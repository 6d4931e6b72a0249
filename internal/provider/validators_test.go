package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var destinationsPath = path.Root("destinations")

// mapOfURLs builds a destinations value from name → url.
func mapOfURLs(urls map[string]string) types.Map {
	elems := map[string]attr.Value{}
	for name, u := range urls {
		elems[name] = types.ObjectValueMust(destinationAttrTypes, map[string]attr.Value{
			"url": types.StringValue(u), "headers": emptyHeaders(), "headers_wo": types.MapNull(types.StringType),
		})
	}
	return types.MapValueMust(destinationType, elems)
}

// destinationWithHeaders builds a one-destination value named crm with
// both header maps.
func destinationWithHeaders(plain, writeOnly map[string]string) types.Map {
	return types.MapValueMust(destinationType, map[string]attr.Value{"crm": types.ObjectValueMust(destinationAttrTypes, map[string]attr.Value{
		"url": types.StringValue("https://crm.example.com"), "headers": stringMap(plain), "headers_wo": stringMap(writeOnly),
	})})
}

func TestDestinationsValidator(t *testing.T) {
	cases := []struct {
		name     string
		value    types.Map
		wantPath path.Path // zero value: no error expected
		wantText string
	}{
		{"three is fine", mapOfURLs(map[string]string{"a": "x", "b": "x", "c": "x"}), path.Path{}, ""},
		{"four is too many", mapOfURLs(map[string]string{"a": "x", "b": "x", "c": "x", "d": "x"}), destinationsPath, "4 are declared (a, b, c, d). Remove 1"},
		{"empty name", mapOfURLs(map[string]string{"": "x"}), destinationsPath.AtMapKey(""), "it is empty"},
		{"slash", mapOfURLs(map[string]string{"a/b": "x"}), destinationsPath.AtMapKey("a/b"), "'/' cannot travel"},
		{"control character", mapOfURLs(map[string]string{"a\tb": "x"}), destinationsPath.AtMapKey("a\tb"), "control character"},
		{"dots", mapOfURLs(map[string]string{".": "x"}), destinationsPath.AtMapKey("."), "only dots"},
		{"spaces, percent and unicode travel escaped", mapOfURLs(map[string]string{"my hook %1": "x", "crm-é": "x"}), path.Path{}, ""},
		{"a header in both maps", destinationWithHeaders(map[string]string{"X-Env": "a"}, map[string]string{"x-env": "b", "Authorization": "c"}),
			destinationsPath.AtMapKey("crm").AtName("headers_wo").AtMapKey("x-env"), `"x-env" of destination "crm" is in both headers and headers_wo`},
		{"distinct header names", destinationWithHeaders(map[string]string{"X-Env": "a"}, map[string]string{"Authorization": "c"}), path.Path{}, ""},
		{"null is not checked", types.MapNull(destinationType), path.Path{}, ""},
		{"unknown is not checked", types.MapUnknown(destinationType), path.Path{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &validator.MapResponse{}
			destinationsValidator.ValidateMap(context.Background(), validator.MapRequest{Path: destinationsPath, ConfigValue: tc.value}, resp)
			checkOneDiagnostic(t, resp.Diagnostics.Errors(), tc.wantPath, tc.wantText)
		})
	}
}

func TestCheckWebhookURL(t *testing.T) {
	cases := map[string]string{
		"https://crm.example.com/whatsapp":                "",
		"https://crm.example.com/wa?team=support#x":       "",
		"https://yourwebhook.example.com":                 "",
		"https://your_webhook.example.com":                "'_' in the host",
		"https://subdomain.your_webhook.example.com:3000": "'_' in the host",
		"https://subdomain.example.com:3000":              "explicit port",
		"https://subdomain.example.com:":                  "explicit port",
		"https://example.com/path_with_underscore":        "",
		"http://crm.example.com":                          `scheme must be https, not "http"`,
		"www.example.com/webhook":                         "must be absolute",
		"/relative":                                       "must be absolute",
		"https://user:pass@example.com":                   "credentials",
		"https://exa mple.com":                            "not a valid URL",
		"":                                                "must be absolute",
		" https://crm.example.com/whatsapp":               "white space",
		"https://crm.example.com/whatsapp\t":              "white space",
	}
	for raw, want := range cases {
		err := checkWebhookURL(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want one containing %q", raw, err, want)
		}
	}
}

func TestHeadersValidator(t *testing.T) {
	headersPath := destinationsPath.AtMapKey("crm").AtName("headers")
	cases := []struct {
		name     string
		headers  map[string]attr.Value
		wantPath path.Path
		wantText string
	}{
		{"valid", map[string]attr.Value{"Authorization": types.StringValue("Bearer x"), "X-Team": types.StringValue("a")}, path.Path{}, ""},
		{"underscore", map[string]attr.Value{"X_Token": types.StringValue("v")}, headersPath.AtMapKey("X_Token"), "'_' in header names"},
		{"space", map[string]attr.Value{"X Token": types.StringValue("v")}, headersPath.AtMapKey("X Token"), "not allowed in an HTTP header name"},
		{"colon", map[string]attr.Value{"X:Token": types.StringValue("v")}, headersPath.AtMapKey("X:Token"), "not allowed"},
		{"non-ASCII", map[string]attr.Value{"Ünicode": types.StringValue("v")}, headersPath.AtMapKey("Ünicode"), "not allowed"},
		{"LF in value", map[string]attr.Value{"A": types.StringValue("s3cr3t-v4lue\nX-Evil: 1")}, headersPath.AtMapKey("A"), "not shown"},
		{"CR in value", map[string]attr.Value{"A": types.StringValue("s3cr3t-v4lue\r")}, headersPath.AtMapKey("A"), "carriage return"},
		{"NUL in value", map[string]attr.Value{"A": types.StringValue("s3cr3t-v4lue\x00")}, headersPath.AtMapKey("A"), "NUL"},
		{"unknown value is not checked", map[string]attr.Value{"A": types.StringUnknown()}, path.Path{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &validator.MapResponse{}
			value := types.MapValueMust(types.StringType, tc.headers)
			headersValidator.ValidateMap(context.Background(), validator.MapRequest{Path: headersPath, ConfigValue: value}, resp)
			errs := resp.Diagnostics.Errors()
			checkOneDiagnostic(t, errs, tc.wantPath, tc.wantText)
			for _, d := range errs {
				if strings.Contains(d.Detail(), "s3cr3t-v4lue") {
					t.Errorf("a header value leaked into the diagnostic: %q", d.Detail())
				}
			}
		})
	}
	t.Run("names differing in case", func(t *testing.T) {
		resp := &validator.MapResponse{}
		value := types.MapValueMust(types.StringType, map[string]attr.Value{"Authorization": types.StringValue("a"), "authorization": types.StringValue("b")})
		headersValidator.ValidateMap(context.Background(), validator.MapRequest{Path: headersPath, ConfigValue: value}, resp)
		if errs := resp.Diagnostics.Errors(); len(errs) != 1 || errs[0].Summary() != "Duplicate Header Name" {
			t.Fatalf("want one Duplicate Header Name error, got %v", errs)
		}
	})
}

// checkOneDiagnostic expects no error when wantText is empty, else exactly
// one error at wantPath whose detail contains wantText.
func checkOneDiagnostic(t *testing.T, errs diag.Diagnostics, wantPath path.Path, wantText string) {
	t.Helper()
	if wantText == "" {
		if len(errs) > 0 {
			t.Fatalf("unexpected errors: %v", errs)
		}
		return
	}
	if len(errs) != 1 {
		t.Fatalf("want one error containing %q, got %d: %v", wantText, len(errs), errs)
	}
	withPath, ok := errs[0].(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(wantPath) {
		t.Errorf("error is not at %s: %v", wantPath, errs[0])
	}
	if !strings.Contains(errs[0].Detail(), wantText) {
		t.Errorf("error %q does not contain %q", errs[0].Detail(), wantText)
	}
}
