package main

import (
	"fmt"
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
var primaryBlock = `variable "app_token" {
  type      = string
  sensitive = true
}

` + hclconfig.Webhook("support", hclconfig.Destination{URL: primaryURL,
	Headers: map[string]string{"Authorization": "Bearer ${var.app_token}"}})

// expectedPrimary is what the fake must hold once primaryBlock is applied.
func expectedPrimary(appToken string) fakeapi.Webhook {
	return fakeapi.Webhook{URL: primaryURL, Headers: map[string]string{"Authorization": "Bearer " + appToken}}
}

// crmAuthorization is the headers of a destination that sends the demo's
// CRM token, which arrives as TF_VAR_crm_token.
func crmAuthorization() map[string]string {
	return map[string]string{"Authorization": "Bearer ${var.crm_token}"}
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
func mainTF(dests map[string]hclconfig.Destination) string {
	return configPreamble + resourceBlock(dests)
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

// expectedAtFake is what the fake must hold once dests are applied, with
// crmToken for the variable that holds it.
func expectedAtFake(dests map[string]hclconfig.Destination, crmToken string) map[string]fakeapi.Destination {
	out := make(map[string]fakeapi.Destination, len(dests))
	for name, d := range dests {
		headers := map[string]string{}
		for k, v := range d.Headers {
			headers[k] = strings.ReplaceAll(v, "${var.crm_token}", crmToken)
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
