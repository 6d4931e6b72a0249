package main

import (
	"fmt"
	"maps"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// resourceAddress is the resource of the default number; secondAddress
// that of the number the provider holds as numbers["second"].
const (
	resourceAddress = "d360_multi_webhook.support"
	secondAddress   = "d360_multi_webhook.second"
	secondName      = "second"
)

// practice is how the configuration passes secrets. With writeOnly, as
// docs/guides/secrets.md recommends: keys only in the provider, header
// secrets in headers_wo, every secret from an ephemeral variable, so that
// none reaches the state or a saved plan. Without, the fallback for a CLI
// that has neither write-only attributes nor ephemeral variables
// (Terraform before 1.11): sensitive variables, and headers.
type practice struct {
	writeOnly bool
}

// variable renders the declaration of a secret string variable, which
// arrives as TF_VAR_<name>.
func (p practice) variable(name string) string {
	ephemeral := ""
	if p.writeOnly {
		ephemeral = "  ephemeral = true\n"
	}
	return fmt.Sprintf("variable %q {\n  type      = string\n  sensitive = true\n%s}\n", name, ephemeral)
}

// withSecret returns d with the secret header name: value added, in
// headers_wo where the CLI has write-only attributes, else in headers.
// Plain headers d already has stay in headers.
func (p practice) withSecret(d hclconfig.Destination, name, value string) hclconfig.Destination {
	secret := map[string]string{name: value}
	if p.writeOnly {
		d.HeadersWO = secret
		return d
	}
	d.Headers = maps.Clone(d.Headers)
	if d.Headers == nil {
		d.Headers = map[string]string{}
	}
	maps.Copy(d.Headers, secret)
	return d
}

// crm is the CRM destination at url: a plain header that says where
// notifications come from, and the CRM's bearer token, which arrives as
// TF_VAR_crm_token.
func (p practice) crm(url string) hclconfig.Destination {
	plain := hclconfig.Destination{URL: url, Headers: map[string]string{"X-Env": "demo"}}
	return p.withSecret(plain, "Authorization", "Bearer ${var.crm_token}")
}

// twoDestinations are the destinations of the story's first apply.
func (p practice) twoDestinations() map[string]hclconfig.Destination {
	return map[string]hclconfig.Destination{
		"crm":       p.crm("https://crm.example.com/whatsapp"),
		"analytics": {URL: "https://analytics.example.com/wa"},
	}
}

// threeDestinations are the story's destinations from its second step on:
// a third one, and a changed URL.
func (p practice) threeDestinations() map[string]hclconfig.Destination {
	return map[string]hclconfig.Destination{
		"crm":       p.crm("https://crm.example.com/whatsapp"),
		"analytics": {URL: "https://analytics.example.com/v2/wa"},
		"alerts":    {URL: "https://alerts.example.com/wa"},
	}
}

// driftedAnalytics is the value someone sets behind Terraform's back.
var driftedAnalytics = fakeapi.Destination{Name: "analytics", URL: "https://legacy-analytics.example.com/wa", Headers: map[string]string{}}

// secondDestinations are what the second number has before Terraform
// manages it, and what its configuration declares.
var secondDestinations = map[string]hclconfig.Destination{
	"crm":   {URL: "https://crm.example.com/whatsapp/second"},
	"audit": {URL: "https://audit.example.com/wa"},
}

// preamble is everything in main.tf except the resources. The keys and the
// base URL come from the environment, as in a pipeline: the default
// number's from D360_API_KEY, the second number's from TF_VAR_second_key.
func (p practice) preamble() string {
	return `terraform {
  required_providers {
    d360 = { source = "` + devoverride.Source + `" }
  }
}

# api_key from D360_API_KEY; base_url from D360_BASE_URL (the fake API).
provider "d360" {
  numbers = { ` + secondName + ` = var.second_key }
}

` + p.variable("second_key") + "\n" + p.variable("crm_token") + "\n"
}

// mainTF is the demo's whole configuration for the given destinations of
// the default number.
func (p practice) mainTF(dests map[string]hclconfig.Destination) string {
	return p.preamble() + resourceBlock(dests)
}

// resourceBlock renders the resource of the default number.
func resourceBlock(dests map[string]hclconfig.Destination) string {
	return hclconfig.MultiWebhook("support", dests)
}

// secondBlock renders the resource of the second number, which names its
// number instead of carrying a key.
func secondBlock(dests map[string]hclconfig.Destination) string {
	return hclconfig.MultiWebhook(secondName, dests, fmt.Sprintf("number = %q", secondName))
}

// expectedAtFake is what the fake must hold once dests are applied: each
// destination's headers and headers_wo together, as the provider sends
// them, with crmToken for the variable that holds it.
func expectedAtFake(dests map[string]hclconfig.Destination, crmToken string) map[string]fakeapi.Destination {
	out := make(map[string]fakeapi.Destination, len(dests))
	for name, d := range dests {
		headers := map[string]string{}
		for _, m := range []map[string]string{d.Headers, d.HeadersWO} {
			for k, v := range m {
				headers[k] = strings.ReplaceAll(v, "${var.crm_token}", crmToken)
			}
		}
		out[name] = fakeapi.Destination{Name: name, URL: d.URL, Headers: headers}
	}
	return out
}

// importBlock adopts a number into the resource at address; id is its
// fingerprint or its name in the provider's numbers, never a key.
func importBlock(address, id string) string {
	return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", address, id)
}
