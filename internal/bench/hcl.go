package bench

import (
	"fmt"
	"maps"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// Number is one declared phone number: the for_each key of its resource
// instance, its own API key and what it should have.
type Number struct {
	Name         string                           `json:"name"`
	Key          string                           `json:"-"`
	Enabled      bool                             `json:"enabled"`
	Destinations map[string]hclconfig.Destination `json:"destinations"`
}

// Clone returns a deep copy of n.
func (n Number) Clone() Number {
	c := n
	c.Destinations = make(map[string]hclconfig.Destination, len(n.Destinations))
	for name, d := range n.Destinations {
		c.Destinations[name] = hclconfig.Destination{URL: d.URL, Headers: maps.Clone(d.Headers), HeadersWO: maps.Clone(d.HeadersWO)}
	}
	return c
}

// ForEachConfig renders a configuration managing every number with one
// for_each resource, the way a team manages many phone numbers: the
// provider holds every key in its numbers map, and each instance names its
// number.
func ForEachConfig(baseURL string, numbers []Number) string {
	var b strings.Builder
	b.WriteString(clitest.RequiredProviders)
	fmt.Fprintf(&b, "\nprovider \"d360\" {\n  base_url = %q\n  numbers  = { for name, n in local.numbers : name => n.key }\n}\n\n", baseURL)
	writeLocals(&b, numbers, true)
	b.WriteString(forEachResource("d360_multi_webhook"))
	return b.String()
}

// ImportConfig is ForEachConfig with one import block that adopts every
// number by its name (Terraform and OpenTofu 1.7+).
func ImportConfig(baseURL string, numbers []Number) string {
	return ForEachConfig(baseURL, numbers) + `
import {
  for_each = local.numbers
  to       = d360_multi_webhook.n[each.key]
  id       = each.key
}
`
}

// FloorConfig renders the same configuration for the floor provider of
// the benchmarks (cmd/floorprovider): the same locals and provider
// settings, one floor_multi_webhook instance per number.
func FloorConfig(numbers []Number) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    floor = { source = \"" + FloorSource + "\" }\n  }\n}\n")
	b.WriteString("\nprovider \"floor\" {\n  numbers = { for name, n in local.numbers : name => n.key }\n}\n\n")
	writeLocals(&b, numbers, true)
	b.WriteString(forEachResource("floor_multi_webhook"))
	return b.String()
}

// forEachResource is the resource of type typ, named n, with one instance
// per number of local.numbers, naming its number; the d360 and floor
// configurations share it so that they differ only in their provider.
func forEachResource(typ string) string {
	return fmt.Sprintf(`
resource %q "n" {
  for_each     = local.numbers
  number       = each.key
  enabled      = each.value.enabled
  destinations = each.value.destinations
}
`, typ)
}

// FloorSource is the source address of the floor provider.
const FloorSource = "d360-terraform/floor"

// TerraformDataConfig renders the same locals with one terraform_data
// instance per number: the baseline of the scale measure, evaluated by the
// same CLI with no provider to start and no API to call.
func TerraformDataConfig(numbers []Number) string {
	var b strings.Builder
	writeLocals(&b, numbers, false)
	b.WriteString(`
resource "terraform_data" "n" {
  for_each = local.numbers
  input    = each.value
}
`)
	return b.String()
}

// writeLocals renders local.numbers. Every destination spells out its
// headers, so all elements of a destinations map have one type.
func writeLocals(b *strings.Builder, numbers []Number, withKeys bool) {
	b.WriteString("locals {\n  numbers = {\n")
	for _, n := range numbers {
		fmt.Fprintf(b, "    %q = {\n", n.Name)
		if withKeys {
			fmt.Fprintf(b, "      key     = %q\n", n.Key)
		}
		fmt.Fprintf(b, "      enabled = %t\n", n.Enabled)
		fmt.Fprintf(b, "      destinations = %s\n    }\n", hclconfig.Destinations(withHeaders(n.Destinations), "      "))
	}
	b.WriteString("  }\n}\n")
}

// withHeaders returns dests with an empty headers map where one has none.
func withHeaders(dests map[string]hclconfig.Destination) map[string]hclconfig.Destination {
	out := make(map[string]hclconfig.Destination, len(dests))
	for name, d := range dests {
		if d.Headers == nil {
			d.Headers = map[string]string{}
		}
		out[name] = d
	}
	return out
}
