# Two extra destinations for the number whose key the provider uses.
resource "d360_multi_webhook" "support" {
  destinations = {
    crm = {
      url = "https://crm.example.com/whatsapp"
      headers = {
        Authorization = "Bearer ${var.crm_token}"
      }
    }
    analytics = {
      url = "https://analytics.example.com/wa"
    }
  }
}

# Another number, with its own key and longer timeouts for a slow day at
# 360dialog. The feature is switched off; the declared destination stays
# in state and is restored when enabled is set back to true.
resource "d360_multi_webhook" "sales" {
  api_key = var.sales_api_key
  enabled = false

  destinations = {
    crm = {
      url = "https://crm.example.com/whatsapp/sales"
    }
  }

  timeouts = {
    create = "10m"
    update = "10m"
    delete = "10m"
  }
}

variable "crm_token" {
  description = "Bearer token the CRM endpoint expects."
  type        = string
  sensitive   = true
}

variable "sales_api_key" {
  description = "360dialog API key of the sales number."
  type        = string
  sensitive   = true
}
