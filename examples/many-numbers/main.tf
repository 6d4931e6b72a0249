# Manages the extra webhook destinations of many 360dialog phone numbers
# from one configuration, adopting what each has today: the provider holds
# every number's API key by name, one d360_multi_webhook per number names
# its number, and one import block adopts them all in one plan.

terraform {
  # Ephemeral variables need Terraform 1.10 or OpenTofu 1.11; import
  # blocks with for_each need 1.7.
  required_version = ">= 1.10.0"

  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

variable "numbers" {
  description = "Phone numbers to manage, keyed by a name of your choice, with the destinations each has besides the CRM. Not secret."
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

# Ephemeral: the keys are stored nowhere, not in the state and not in a
# saved plan file (sensitive alone keeps them out of the CLI's output, but
# a saved plan still holds them). Pass them again when applying a saved
# plan.
variable "api_keys" {
  description = "360dialog API key of each number, keyed like var.numbers. Pass it from a secret store, e.g. TF_VAR_api_keys='{\"support\":\"...\",\"sales\":\"...\"}'."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

# Every key lives here, by name. No state or plan records a key.
provider "d360" {
  numbers = var.api_keys
}

resource "d360_multi_webhook" "number" {
  # for_each cannot iterate over sensitive or ephemeral values: iterate
  # over var.numbers and name each number; the provider holds its key.
  for_each = var.numbers

  number = each.key

  destinations = merge(
    {
      crm = {
        url     = "https://crm.example.com/whatsapp/${each.key}"
        headers = { X-Number = each.key }
        # Secret header values belong in headers_wo (Terraform and
        # OpenTofu 1.11+), which keeps them out of the state.
      }
    },
    each.value.extra_destinations,
  )
}

# Adopt every number as it is at 360dialog, with one GET each, instead of
# creating it: the plan shows what it changes there. Numbers already in the
# state are skipped, so the block can stay.
import {
  for_each = var.numbers
  to       = d360_multi_webhook.number[each.key]
  id       = each.key
}

# The id of each number: the fingerprint of its key, safe to share.
output "ids" {
  value = { for name, number in d360_multi_webhook.number : name => number.id }
}
