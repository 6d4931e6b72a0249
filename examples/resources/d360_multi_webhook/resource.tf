terraform {
  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# The number the provider holds as numbers["sales"]: two destinations. The
# CRM checks a bearer token, sent write-only: its value never reaches the
# state or the plan (Terraform and OpenTofu 1.11+). X-Env is not secret
# and stays in headers.
resource "d360_multi_webhook" "sales" {
  number = "sales"

  destinations = {
    crm = {
      url        = "https://crm.example.com/whatsapp"
      headers    = { X-Env = "prod" }
      headers_wo = { Authorization = "Bearer ${var.crm_token}" }
    }
    analytics = {
      url = "https://analytics.example.com/wa"
    }
  }
}

# The provider's default number (its api_key), with longer timeouts for a
# slow day at 360dialog. The feature is switched off; the declared
# destination stays in state and is restored when enabled is set back to
# true.
resource "d360_multi_webhook" "default" {
  enabled = false

  destinations = {
    crm = {
      url = "https://crm.example.com/whatsapp/default"
    }
  }

  timeouts = {
    create = "10m"
    update = "10m"
    delete = "10m"
    read   = "5m"
  }
}

# Ephemeral (Terraform 1.10+, OpenTofu 1.11+): the token is kept out of
# saved plan files too.
variable "crm_token" {
  description = "Bearer token the CRM endpoint expects."
  type        = string
  sensitive   = true
  ephemeral   = true
}
