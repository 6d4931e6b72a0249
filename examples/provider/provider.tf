terraform {
  required_providers {
    d360 = {
      source = "d360-terraform/d360"
    }
  }
}

# The provider-level key is the default for every resource and data source.
# Leave api_key out to read it from the D360_API_KEY environment variable.
provider "d360" {
  api_key = var.d360_api_key
}

variable "d360_api_key" {
  description = "360dialog API key of the phone number (D360-API-KEY)."
  type        = string
  sensitive   = true
}
