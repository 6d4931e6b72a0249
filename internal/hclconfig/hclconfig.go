// Package hclconfig renders the d360 provider's resources as HCL, laid out
// as terraform fmt lays them out, for the acceptance tests, the benchmarks
// and the demo: one renderer and one destination type for all three.
package hclconfig

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Destination is one destination of a d360_multi_webhook, or the url and
// headers of a d360_webhook. A nil header map is left out of the HCL.
// Values are written as HCL strings, so "${var.token}" in one is an
// interpolation. The JSON names are the attributes', so that the values of
// a state (terraform show -json) decode into it.
type Destination struct {
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	HeadersWO map[string]string `json:"headers_wo"`
}

// MultiWebhook renders resource "d360_multi_webhook" label: the attribute
// lines attrs first (such as `number = "sales"` or `enabled = false`),
// then the destinations attribute, unless dests is nil.
func MultiWebhook(label string, dests map[string]Destination, attrs ...string) string {
	var body []string
	if dests != nil {
		body = append(body, "destinations = "+Destinations(dests, "  "))
	}
	return resource("d360_multi_webhook", label, attrs, body)
}

// Webhook renders resource "d360_webhook" label: the attribute lines attrs
// first, then w's url and headers.
func Webhook(label string, w Destination, attrs ...string) string {
	return resource("d360_webhook", label, attrs, aligned(w.attributes()))
}

// Destinations renders dests as an HCL object, sorted by name, each
// destination on lines of its own; every line after the first is indented
// by indent, the indentation of the line the object starts on.
func Destinations(dests map[string]Destination, indent string) string {
	if len(dests) == 0 {
		return "{}"
	}
	var b strings.Builder
	b.WriteString("{\n")
	for _, name := range slices.Sorted(maps.Keys(dests)) {
		fmt.Fprintf(&b, "%s  %s = {\n", indent, key(name))
		for _, line := range aligned(dests[name].attributes()) {
			fmt.Fprintf(&b, "%s    %s\n", indent, line)
		}
		fmt.Fprintf(&b, "%s  }\n", indent)
	}
	b.WriteString(indent + "}")
	return b.String()
}

// attribute is one attribute of a body whose value fits on its line.
type attribute struct {
	name, value string
}

// attributes are d's url and, when not nil, its header maps.
func (d Destination) attributes() []attribute {
	attrs := []attribute{{"url", quote(d.URL)}}
	if d.Headers != nil {
		attrs = append(attrs, attribute{"headers", object(d.Headers)})
	}
	if d.HeadersWO != nil {
		attrs = append(attrs, attribute{"headers_wo", object(d.HeadersWO)})
	}
	return attrs
}

// aligned renders attributes as terraform fmt does a run of one-line
// attributes: their equals signs in one column.
func aligned(attrs []attribute) []string {
	width := 0
	for _, a := range attrs {
		width = max(width, len(a.name))
	}
	lines := make([]string, 0, len(attrs))
	for _, a := range attrs {
		lines = append(lines, fmt.Sprintf("%-*s = %s", width, a.name, a.value))
	}
	return lines
}

// resource renders a resource block: the lines of attrs, then a blank line
// when both are there, then the lines of body.
func resource(typ, label string, attrs, body []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q %q {\n", typ, label)
	for _, line := range attrs {
		b.WriteString("  " + line + "\n")
	}
	if len(attrs) > 0 && len(body) > 0 {
		b.WriteString("\n")
	}
	for _, line := range body {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// object renders a map of strings as a one-line HCL object, sorted by key,
// such as { Authorization = "Bearer ${var.token}", X-Env = "prod" }.
func object(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, key(k)+" = "+quote(m[k]))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// bareKey matches an object key that HCL reads as the string it spells.
var bareKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// key renders an object key: bare when HCL reads it literally, else quoted.
// The keywords true, false, null and for would be read as something else.
func key(k string) string {
	if bareKey.MatchString(k) && !slices.Contains([]string{"true", "false", "null", "for"}, k) {
		return k
	}
	return quote(k)
}

// quote renders s as an HCL string. Quotes, backslashes and control
// characters are escaped; "${" and "%{" are left alone, so that a value
// may hold an interpolation.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
