package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccMultiWebhook_validation checks every plan-time rule: each mistake
// fails the plan with the attribute path and a message saying what to fix,
// and not a single request reaches the API.
func TestAccMultiWebhook_validation(t *testing.T) {
	cases := []struct {
		name  string
		hcl   string
		error string
	}{
		{"more than three destinations", `destinations = {
    a = { url = "https://a.example.com" }
    b = { url = "https://b.example.com" }
    c = { url = "https://c.example.com" }
    d = { url = "https://d.example.com" }
  }`, `Too Many Destinations.*at most 3 destinations.*4 are declared (a, b, c, d)`},
		{"empty name", `destinations = { "" = { url = "https://a.example.com" } }`, `Invalid Destination Name.*name "" cannot be used: it is empty`},
		{"control character in name", `destinations = { "bad\u0007name" = { url = "https://a.example.com" } }`, `Invalid Destination Name.*contains a control character`},
		{"slash in name", `destinations = { "a/b" = { url = "https://a.example.com" } }`, `Invalid Destination Name.*name "a/b" cannot be used: '/' cannot travel`},
		{"dot-only name", `destinations = { ".." = { url = "https://a.example.com" } }`, `Invalid Destination Name.*only dots`},
		{"relative url", `destinations = { a = { url = "/hook" } }`, `Invalid Webhook URL.*URL "/hook" cannot be used: it must be absolute`},
		{"plain http url", `destinations = { a = { url = "http://a.example.com/hook" } }`, `Invalid Webhook URL.*scheme must be https, not "http"`},
		{"url with a trailing space", `destinations = { a = { url = "https://a.example.com/hook " } }`, `Invalid Webhook URL.*starts or ends with white space`},
		{"url with a leading tab", `destinations = { a = { url = "\thttps://a.example.com/hook" } }`, `Invalid Webhook URL.*starts or ends with white space`},
		{"underscore in host", `destinations = { a = { url = "https://your_webhook.example.com" } }`, `Invalid Webhook URL.*does not accept '_' in the host name`},
		{"port in host", `destinations = { a = { url = "https://subdomain.example.com:3000/hook" } }`, `Invalid Webhook URL.*does not accept an explicit port`},
		{"underscore in header name", `destinations = { a = {
    url     = "https://a.example.com"
    headers = { X_Token = "v" }
  } }`, `Invalid Header Name.*header name "X_Token" cannot be used: 360dialog does not accept '_'`},
		{"header name not a token", `destinations = { a = {
    url     = "https://a.example.com"
    headers = { "X Token" = "v" }
  } }`, `Invalid Header Name.*not allowed in an HTTP header name`},
		{"line break in header value", `destinations = { a = {
    url     = "https://a.example.com"
    headers = { Authorization = "Bearer x\r\nX-Injected: 1" }
  } }`, `Invalid Header Value.*line feed.*value is secret and not shown`},
		{"header names differing in case", `destinations = { a = {
    url     = "https://a.example.com"
    headers = { Authorization = "a", authorization = "b" }
  } }`, `Duplicate Header Name.*names are case-insensitive`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t, fakeapi.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerBlock(testKey(t, "a")) + "resource \"d360_multi_webhook\" \"test\" {\n  " + tc.hcl + "\n}\n",
					PlanOnly:    true,
					ExpectError: wordsRegexp(tc.error),
				}},
			})
			env.expectNoRequests()
		})
	}
}

// wordsRegexp matches a message the CLI may have wrapped over lines: the
// pattern is literal except ".*", and any run of spaces matches any
// whitespace.
func wordsRegexp(pattern string) *regexp.Regexp {
	parts := strings.Split(pattern, ".*")
	for i, part := range parts {
		words := strings.Fields(part)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile("(?s)" + strings.Join(parts, ".*"))
}

// TestAccProvider_baseURLValidation refuses plain http to anything but a
// loopback host, before any request.
func TestAccProvider_baseURLValidation(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, fakeapi.Options{})
	for _, tc := range []struct{ url, error string }{
		{"http://api.example.com", `Invalid 360dialog Base URL.*plain http is accepted only for loopback hosts`},
		{"waba-v2.360dialog.io", `Invalid 360dialog Base URL.*must be an absolute URL`},
		{"ftp://127.0.0.1", `Invalid 360dialog Base URL.*scheme must be https`},
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      "provider \"d360\" {\n  base_url = \"" + tc.url + "\"\n  api_key = \"k\"\n}\n" + multiWebhookHCL(map[string]dest{"a": analytics}),
				PlanOnly:    true,
				ExpectError: wordsRegexp(tc.error),
			}},
		})
	}
	env.expectNoRequests()
}
