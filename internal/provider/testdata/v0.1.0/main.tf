terraform {
  required_providers {
    d360 = { source = "d360-terraform/d360" }
  }
}

provider "d360" {
  base_url = "http://127.0.0.1:18360"
  api_key  = "v01-default-key-0123456789"
}

# Manages the provider's number.
resource "d360_multi_webhook" "default" {
  destinations = {
    crm = {
      url     = "https://crm.example.com/whatsapp"
      headers = { Authorization = "Bearer v01-crm-token" }
    }
  }
}

# Manages another number with its own key, as 0.1 allowed.
resource "d360_multi_webhook" "sales" {
  api_key = "v01-sales-key-0123456789"
  destinations = {
    analytics = { url = "https://analytics.example.com/wa" }
  }
  timeouts = { create = "2m" }
}

# Manages nothing yet: no destinations declared.
resource "d360_multi_webhook" "empty" {
  api_key = "v01-empty-key-0123456789"
  enabled = false
}
