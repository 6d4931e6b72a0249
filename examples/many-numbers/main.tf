# Manages the extra webhook destinations of several 360dialog phone numbers
# from one configuration: one d360_multi_webhook per number, each with its
# own API key.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    d360 = {
      source = "d360-terraform/d360"
    }
  }
}

# No provider-level key: every number brings its own.
provider "d360" {}

variable "numbers" {
  description = "Phone numbers to manage, keyed by a name of your choice, with the destinations each has besides the CRM."
  type = map(object({
    extra_destinations = optional(map(object({
      url     = string
      headers = optional(map(string), {})
    })), {})
  }))
  default = {
    support = {}
    sales = {
      extra_destinations = {
        analytics = { url = "https://analytics.example.com/wa/sales" }
      }
    }
  }
}

variable "api_keys" {
  description = "360dialog API key of each number, keyed like var.numbers. Pass it from a secret store, e.g. TF_VAR_api_keys='{\"support\":\"...\",\"sales\":\"...\"}'."
  type        = map(string)
  sensitive   = true
}

variable "crm_token" {
  description = "Bearer token the CRM endpoint expects."
  type        = string
  sensitive   = true
}

resource "d360_multi_webhook" "number" {
  # for_each needs non-sensitive keys: iterate over var.numbers and look
  # the secret up by key.
  for_each = var.numbers

  api_key = var.api_keys[each.key]

  destinations = merge(
    {
      crm = {
        url     = "https://crm.example.com/whatsapp/${each.key}"
        headers = { Authorization = "Bearer ${var.crm_token}" }
      }
    },
    each.value.extra_destinations,
  )
}

# The id of each number: the fingerprint of its key, safe to share, and the
# ID to import it with.
output "ids" {
  value = { for name, number in d360_multi_webhook.number : name => number.id }
}
