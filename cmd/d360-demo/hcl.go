package main

import (
	"fmt"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// resourceAddress is the one resource of the demo.
const resourceAddress = "d360_multi_webhook.support"

// destination is one declared destination. authorized destinations send
// the demo's CRM token in an Authorization header.
type destination struct {
	name       string
	url        string
	authorized bool
}

// configPreamble is everything in main.tf except the resource. The key and
// the base URL come from D360_API_KEY and D360_BASE_URL, as in a pipeline.
const configPreamble = `terraform {
  required_providers {
    d360 = { source = "` + devoverride.Source + `" }
  }
}

# api_key from D360_API_KEY; base_url from D360_BASE_URL (the fake API).
provider "d360" {}

variable "crm_token" {
  type      = string
  sensitive = true
}

`

// mainTF is the demo's whole configuration for the given destinations.
func mainTF(dests []destination) string {
	return configPreamble + resourceBlock(dests)
}

// resourceBlock renders the resource as terraform fmt would.
func resourceBlock(dests []destination) string {
	var b strings.Builder
	b.WriteString("resource \"d360_multi_webhook\" \"support\" {\n  destinations = {\n")
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

// importBlock adopts the demo's number, known by its id.
func importBlock(id string) string {
	return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", resourceAddress, id)
}
