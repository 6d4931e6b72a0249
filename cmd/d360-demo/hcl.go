package main

import (
	"fmt"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// resourceAddress is the resource of the default number; secondAddress
// that of the number the provider holds as numbers["second"].
const (
	resourceAddress = "d360_multi_webhook.support"
	secondAddress   = "d360_multi_webhook.second"
	secondName      = "second"
)

// The default number's primary webhook: where it delivered before
// Terraform managed it, and where the configuration points it.
const (
	oldPrimaryURL = "https://old-app.example.com/whatsapp"
	primaryURL    = "https://app.example.com/whatsapp"
)

// primaryBlock is the d360_webhook of the default number, with the
// variable of the app's bearer token, which arrives as TF_VAR_app_token.
// The token is in headers, not headers_wo, so that Terraform 1.5 runs the
// demo too.
const primaryBlock = `variable "app_token" {
  type      = string
  sensitive = true
}

resource "d360_webhook" "support" {
  url     = "` + primaryURL + `"
  headers = { Authorization = "Bearer ${var.app_token}" }
}
`

// expectedPrimary is what the fake must hold once primaryBlock is applied.
func expectedPrimary(appToken string) fakeapi.Webhook {
	return fakeapi.Webhook{URL: primaryURL, Headers: map[string]string{"Authorization": "Bearer " + appToken}}
}

// destination is one declared destination. authorized destinations send
// the demo's CRM token in an Authorization header.
type destination struct {
	name       string
	url        string
	authorized bool
}

// configPreamble is everything in main.tf except the resources. The keys
// and the base URL come from the environment, as in a pipeline: the
// default number's from D360_API_KEY, the second number's from
// TF_VAR_second_key (a plain variable, which Terraform 1.5 also reads).
const configPreamble = `terraform {
  required_providers {
    d360 = { source = "` + devoverride.Source + `" }
  }
}

# api_key from D360_API_KEY; base_url from D360_BASE_URL (the fake API).
provider "d360" {
  numbers = { ` + secondName + ` = var.second_key }
}

variable "second_key" {
  type      = string
  sensitive = true
}

variable "crm_token" {
  type      = string
  sensitive = true
}

`

// mainTF is the demo's whole configuration for the given destinations of
// the default number.
func mainTF(dests []destination) string {
	return configPreamble + resourceBlock(dests)
}

// resourceBlock renders the resource of the default number.
func resourceBlock(dests []destination) string {
	return webhookBlock("support", "", dests)
}

// secondBlock renders the resource of the second number, which names its
// number instead of carrying a key.
func secondBlock(dests []destination) string {
	return webhookBlock(secondName, secondName, dests)
}

// webhookBlock renders a d360_multi_webhook as terraform fmt would; number
// is empty for the default number.
func webhookBlock(label, number string, dests []destination) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"d360_multi_webhook\" %q {\n", label)
	if number != "" {
		fmt.Fprintf(&b, "  number = %q\n\n", number)
	}
	b.WriteString("  destinations = {\n")
	for _, d := range dests {
		if d.authorized {
			fmt.Fprintf(&b, "    %s = {\n      url     = %q\n      headers = { Authorization = \"Bearer ${var.crm_token}\" }\n    }\n", d.name, d.url)
		} else {
			fmt.Fprintf(&b, "    %s = {\n      url = %q\n    }\n", d.name, d.url)
		}
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// expectedAtFake is what the fake must hold once dests are applied.
func expectedAtFake(dests []destination, crmToken string) map[string]fakeapi.Destination {
	out := make(map[string]fakeapi.Destination, len(dests))
	for _, d := range dests {
		headers := map[string]string{}
		if d.authorized {
			headers["Authorization"] = "Bearer " + crmToken
		}
		out[d.name] = fakeapi.Destination{Name: d.name, URL: d.url, Headers: headers}
	}
	return out
}

// importBlock adopts a number into the resource at address; id is its
// fingerprint or its name in the provider's numbers, never a key.
func importBlock(address, id string) string {
	return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", address, id)
}
