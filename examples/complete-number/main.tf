# The complete webhook setup of one 360dialog phone number: its primary
# webhook, which receives every notification, and the extra destinations
# that 360dialog sends a copy to once the primary webhook has answered 200.
# Without the primary webhook, the destinations receive nothing.

terraform {
  # headers_wo (write-only) and ephemeral variables need Terraform or
  # OpenTofu 1.11.
  required_version = ">= 1.11.0"

  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# Ephemeral variables are stored nowhere, not even in a saved plan file:
# pass them with TF_VAR_support_key, TF_VAR_app_token and TF_VAR_crm_token,
# and again when applying a saved plan.
variable "support_key" {
  description = "360dialog API key (D360-API-KEY) of the support number."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "app_token" {
  description = "Bearer token the app's webhook endpoint expects."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "crm_token" {
  description = "Bearer token the CRM endpoint expects."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# The provider holds the key; the resources name the number. base_url
# comes from D360_BASE_URL when set, else it is 360dialog's.
provider "d360" {
  numbers = { support = var.support_key }
}

# The primary webhook: create adopts the one the number has and makes it
# this one. Destroy leaves it in place: 360dialog documents no call that
# removes a primary webhook.
resource "d360_webhook" "support" {
  number = "support"

  url        = "https://app.example.com/whatsapp"
  headers    = { X-Env = "prod" }
  headers_wo = { Authorization = "Bearer ${var.app_token}" }
}

# The copies: one d360_multi_webhook per number owns all of its
# destinations. Both resources manage the same number, which is fine:
# they manage different things, and their changes wait for each other.
resource "d360_multi_webhook" "support" {
  number = "support"

  destinations = {
    crm = {
      url        = "https://crm.example.com/whatsapp"
      headers_wo = { Authorization = "Bearer ${var.crm_token}" }
    }
    analytics = {
      url = "https://analytics.example.com/wa"
    }
  }
}

# The number's fingerprint: not secret, and an ID to import either
# resource with (the name "support" is another).
output "id" {
  value = d360_webhook.support.id
}
