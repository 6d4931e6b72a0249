package hclconfig

import (
	"maps"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// awkward holds what a test configuration may put in a name or a value:
// keys HCL would misread bare, a line break, quotes, a backslash, a tab, a
// control character, a non-ASCII letter.
var awkward = map[string]Destination{
	"crm": {URL: "https://crm.example.com/wa", Headers: map[string]string{"Authorization": "Bearer a\"b\\c", "X-Env": "prod"}},
	"for": {URL: "https://for.example.com", Headers: map[string]string{}, HeadersWO: map[string]string{"null": "a\nb\tc\x01é"}},
	"a b": {URL: "https://ab.example.com"},
	"":    {URL: "https://empty.example.com", Headers: map[string]string{"true": "x"}},
}

// TestDestinationsRoundTrip parses what Destinations renders back into
// the same destinations, and terraform fmt's layout (hclwrite.Format)
// leaves it as it is.
func TestDestinationsRoundTrip(t *testing.T) {
	src := "destinations = " + Destinations(awkward, "") + "\n"
	if got := string(hclwrite.Format([]byte(src))); got != src {
		t.Errorf("not as terraform fmt lays it out:\n%s\nformatted:\n%s", src, got)
	}
	file, diags := hclsyntax.ParseConfig([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("does not parse: %s\n%s", diags, src)
	}
	attrs, _ := file.Body.JustAttributes()
	v, diags := attrs["destinations"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("does not evaluate: %s", diags)
	}
	got := map[string]Destination{}
	for name, d := range v.AsValueMap() {
		got[name] = Destination{URL: d.GetAttr("url").AsString(), Headers: stringsOf(d, "headers"), HeadersWO: stringsOf(d, "headers_wo")}
	}
	if !maps.EqualFunc(got, awkward, sameDestination) {
		t.Errorf("parsed back as %+v, want %+v", got, awkward)
	}
}

// stringsOf reads the map attribute name of an object, nil when absent.
func stringsOf(obj cty.Value, name string) map[string]string {
	if !obj.Type().HasAttribute(name) {
		return nil
	}
	out := map[string]string{}
	for k, v := range obj.GetAttr(name).AsValueMap() {
		out[k] = v.AsString()
	}
	return out
}

// sameDestination compares destinations, a nil header map unlike an empty one.
func sameDestination(a, b Destination) bool {
	return a.URL == b.URL && (a.Headers == nil) == (b.Headers == nil) && maps.Equal(a.Headers, b.Headers) &&
		(a.HeadersWO == nil) == (b.HeadersWO == nil) && maps.Equal(a.HeadersWO, b.HeadersWO)
}

// TestResourceLayout pins the layout of both resources as terraform fmt
// writes them, interpolations kept: the demo shows these blocks.
func TestResourceLayout(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{MultiWebhook("second", map[string]Destination{
			"crm":   {URL: "https://crm.example.com", Headers: map[string]string{"Authorization": "Bearer ${var.crm_token}"}},
			"audit": {URL: "https://audit.example.com"},
		}, `number = "second"`), `resource "d360_multi_webhook" "second" {
  number = "second"

  destinations = {
    audit = {
      url = "https://audit.example.com"
    }
    crm = {
      url     = "https://crm.example.com"
      headers = { Authorization = "Bearer ${var.crm_token}" }
    }
  }
}
`},
		{MultiWebhook("off", map[string]Destination{}, "enabled = false"), `resource "d360_multi_webhook" "off" {
  enabled = false

  destinations = {}
}
`},
		{MultiWebhook("bare", nil), "resource \"d360_multi_webhook\" \"bare\" {\n}\n"},
		{Webhook("support", Destination{URL: "https://app.example.com", Headers: map[string]string{"Authorization": "Bearer ${var.app_token}"},
			HeadersWO: map[string]string{"X-Signature": "${var.signature}"}}), `resource "d360_webhook" "support" {
  url        = "https://app.example.com"
  headers    = { Authorization = "Bearer ${var.app_token}" }
  headers_wo = { X-Signature = "${var.signature}" }
}
`},
	} {
		if tc.got != tc.want {
			t.Errorf("got:\n%s\nwant:\n%s", tc.got, tc.want)
		}
		if formatted := string(hclwrite.Format([]byte(tc.got))); formatted != tc.got {
			t.Errorf("not as terraform fmt lays it out:\n%s\nformatted:\n%s", tc.got, formatted)
		}
	}
}
