terraform {
  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# The provider holds every API key; resources and data sources name the
# number they mean. api_key is the default number, used by those without
# `number` (leave it out to read D360_API_KEY). numbers holds more, by a
# name of your choosing: `number = "sales"` picks one.
provider "d360" {
  api_key = var.d360_api_key
  numbers = var.d360_numbers
}

# Ephemeral variables (Terraform 1.10+, OpenTofu 1.11+) are stored nowhere,
# not even in a saved plan file; on an older CLI drop `ephemeral = true`.
variable "d360_api_key" {
  description = "360dialog API key (D360-API-KEY) of the default phone number."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "d360_numbers" {
  description = "360dialog API keys of more phone numbers, by name, e.g. TF_VAR_d360_numbers='{\"sales\":\"...\",\"support\":\"...\"}'."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
  default     = {}
}
