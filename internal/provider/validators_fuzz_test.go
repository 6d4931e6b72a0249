package provider

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The fuzz targets below check the plan-time validators against oracles
// written independently of them. Their seed corpora run with every go test;
// make fuzz explores further.

// FuzzCheckDestinationName: an accepted name is non-empty, not a dot
// segment, without '/' or control characters, and travels as exactly one
// URL path segment of DELETE /multi_webhook/{name}.
func FuzzCheckDestinationName(f *testing.F) {
	for _, s := range []string{"crm", "", ".", "..", "...", "a/b", "/", "a\x00b", "a\tb", "a\nb", "\u0085", "\u2028",
		"naïve?#%", "%2F", "%2f", "a%2Fb", "my hook", "\xff\xfe", "Webhook1", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := checkDestinationName(name)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("rejected %q with an empty message", name)
			}
			return
		}
		switch {
		case name == "" || name == "." || name == "..":
			t.Fatalf("accepted %q", name)
		case strings.ContainsRune(name, '/'):
			t.Fatalf("accepted %q, which holds '/'", name)
		case strings.IndexFunc(name, unicode.IsControl) >= 0:
			t.Fatalf("accepted %q, which holds a control character", name)
		}
		seg := url.PathEscape(name)
		if strings.ContainsRune(seg, '/') {
			t.Fatalf("%q escapes to %q, more than one path segment", name, seg)
		}
		if back, err := url.PathUnescape(seg); err != nil || back != name {
			t.Fatalf("%q escapes to %q, which reads back as %q (%v)", name, seg, back, err)
		}
	})
}

// FuzzCheckWebhookURL: an accepted URL parses as an absolute https URL with
// a host that has no '_', no port, no trailing ':' and no credentials.
func FuzzCheckWebhookURL(f *testing.F) {
	for _, s := range []string{
		"https://crm.example.com/whatsapp", "https://crm.example.com/wa?team=support#x", "https://your_webhook.example.com",
		"https://sub.your_webhook.example.com:3000", "https://example.com:443/x", "https://example.com:/x", "http://example.com",
		"HTTPS://EXAMPLE.COM", "https:example.com", "https:///path", "//example.com/x", "/relative", "", "https://",
		"https://user:pw@example.com", "https://[::1]/x", "https://[::1]:/x", "https://[::1]:8443/x", "https://exa%5Fmple.com",
		"https://ex ample.com", "https://example.com\x00", "https://ex\nample.com", "https://xn--nave-6pa.example/", "https://例え.jp/",
		"https://a＿b.example.com", "https://example.com%2F@evil.com", " https://example.com", "https://example.com\n",
		"https://example.com/\u00a0", "https://example.com\\@evil.com", "https://%31.example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := checkWebhookURL(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("rejected %q with an empty message", raw)
			}
			return
		}
		u, perr := url.Parse(raw)
		switch {
		case perr != nil:
			t.Fatalf("accepted %q, which does not parse: %v", raw, perr)
		case !u.IsAbs() || u.Scheme != "https" || u.Host == "":
			t.Fatalf("accepted %q: scheme %q, host %q", raw, u.Scheme, u.Host)
		case strings.Contains(u.Host, "_") || strings.Contains(u.Hostname(), "_"):
			t.Fatalf("accepted %q with '_' in the host %q", raw, u.Host)
		case u.Port() != "" || strings.HasSuffix(u.Host, ":"):
			t.Fatalf("accepted %q with a port in the host %q", raw, u.Host)
		case u.User != nil:
			t.Fatalf("accepted %q with credentials", raw)
		case strings.TrimSpace(raw) != raw:
			t.Fatalf("accepted %q, which starts or ends with white space", raw)
		}
	})
}

// isTchar is RFC 9110's tchar, spelled out from the grammar rather than
// shared with the code under test.
func isTchar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// FuzzCheckHeaderName: a name is accepted exactly when it is a non-empty
// RFC 9110 token without '_'.
func FuzzCheckHeaderName(f *testing.F) {
	for _, s := range []string{"Authorization", "X-Team", "X_Token", "", "X Token", "X:Token", "Ünicode", "a\x00", "a\r\nb",
		"!#$%&'*+-.^`|~", "\x7f", "\xff", "é", "Content-Type"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		want := name != ""
		for i := 0; i < len(name); i++ {
			want = want && isTchar(name[i]) && name[i] != '_'
		}
		if err := checkHeaderName(name); (err == nil) != want {
			t.Fatalf("checkHeaderName(%q) = %v; want accepted = %t", name, err, want)
		}
	})
}

// FuzzHasLineBreak: hasLineBreak reports exactly the strings with a CR, LF
// or NUL byte, so that a value it lets through fits on one header line.
func FuzzHasLineBreak(f *testing.F) {
	for _, s := range []string{"Bearer x", "", "a\rb", "a\nb", "a\x00b", "\r\n", "é\u2028\u0085", "\xff", "tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for i := 0; i < len(s); i++ {
			want = want || s[i] == '\r' || s[i] == '\n' || s[i] == 0
		}
		if got := hasLineBreak(s); got != want {
			t.Fatalf("hasLineBreak(%q) = %t, want %t", s, got, want)
		}
		if !want && strings.Count("X-A: "+s+"\r\n", "\n") != 1 {
			t.Fatalf("%q passed but does not fit on one header line", s)
		}
	})
}

// FuzzHeadersValidator runs the framework validator on one header: it
// errs exactly when the name or the value is invalid, and its diagnostics
// never depend on the value beyond whether it has a line break, so a
// secret can never leak into them.
func FuzzHeadersValidator(f *testing.F) {
	f.Add("Authorization", "Bearer s3cr3t")
	f.Add("X_Token", "s3cr3t\nX-Evil: 1")
	f.Add("", "")
	f.Add("Ünicode", "\x00")
	f.Fuzz(func(t *testing.T, name, value string) {
		got := validateHeader(name, value)
		wantErr := checkHeaderName(name) != nil || hasLineBreak(value)
		if got.HasError() != wantErr {
			t.Fatalf("header %q: errors %v, want error = %t", name, got, wantErr)
		}
		stand := "x"
		if hasLineBreak(value) {
			stand = "x\n"
		}
		if other := validateHeader(name, stand); !got.Equal(other) {
			t.Fatalf("header %q: diagnostics depend on the value:\n%v\n%v", name, got, other)
		}
	})
}

// validateHeader runs headersValidator on a map with one header.
func validateHeader(name, value string) diag.Diagnostics {
	resp := &validator.MapResponse{}
	m := types.MapValueMust(types.StringType, map[string]attr.Value{name: types.StringValue(value)})
	headersValidator.ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("headers"), ConfigValue: m}, resp)
	return resp.Diagnostics
}

// FuzzDestinationHeaders runs the destinations validator on one destination
// with a header in headers and one in headers_wo: it refuses exactly the
// names equal ignoring case, on the headers_wo path, and its diagnostics
// never depend on the values, so a write-only secret cannot leak.
func FuzzDestinationHeaders(f *testing.F) {
	f.Add("X-Env", "Authorization", "prod", "Bearer s3cr3t")
	f.Add("Authorization", "authorization", "a", "b")
	f.Add("X-Ä", "x-ä", "", "")
	f.Add("K", "k", "s3cr3t\n", "x")
	f.Fuzz(func(t *testing.T, plain, writeOnly, plainValue, writeOnlyValue string) {
		got := validateDestination(plain, writeOnly, plainValue, writeOnlyValue)
		overlap := strings.EqualFold(plain, writeOnly)
		reported := false
		for _, d := range got.Errors() {
			if d.Summary() == "Header in Both headers and headers_wo" {
				reported = true
				wantPath := destinationsPath.AtMapKey("crm").AtName("headers_wo").AtMapKey(writeOnly)
				if p, ok := d.(diag.DiagnosticWithPath); !ok || !p.Path().Equal(wantPath) {
					t.Fatalf("overlap of %q and %q reported at the wrong path: %v", plain, writeOnly, d)
				}
			}
		}
		if reported != overlap {
			t.Fatalf("headers %q and %q: overlap reported = %t, want %t", plain, writeOnly, reported, overlap)
		}
		if other := validateDestination(plain, writeOnly, "x", "y"); !got.Equal(other) {
			t.Fatalf("diagnostics depend on the header values:\n%v\n%v", got, other)
		}
	})
}

// validateDestination runs destinationsValidator on one destination named
// crm with one header in headers and one in headers_wo.
func validateDestination(plain, writeOnly, plainValue, writeOnlyValue string) diag.Diagnostics {
	resp := &validator.MapResponse{}
	m := destinationWithHeaders(map[string]string{plain: plainValue}, map[string]string{writeOnly: writeOnlyValue})
	destinationsValidator.ValidateMap(context.Background(), validator.MapRequest{Path: destinationsPath, ConfigValue: m}, resp)
	return resp.Diagnostics
}

// FuzzCheckAPIKey: a key is accepted exactly when it has no control
// character and no white space around it, so it fits in the D360-API-KEY
// header; a rejection never quotes the key.
func FuzzCheckAPIKey(f *testing.F) {
	for _, s := range []string{"abc", "", "a\nb", " k", "k ", "k\t", "\u0085k", "ключ", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := checkAPIKey(key)
		want := strings.IndexFunc(key, unicode.IsControl) < 0 && strings.TrimSpace(key) == key
		if (err == nil) != want {
			t.Fatalf("checkAPIKey(%q) = %v, want accepted = %t", key, err, want)
		}
		if err != nil && len(key) >= 4 && strings.Contains(err.Error(), key) {
			t.Fatalf("the error quotes the key: %v", err)
		}
	})
}
