terraform {
  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# The primary webhook of the number the provider holds as numbers["sales"]:
# the URL that receives every notification of the number. The app checks a
# bearer token, sent write-only: its value never reaches the state or the
# plan (Terraform and OpenTofu 1.11+). X-Env is not secret and stays in
# headers.
resource "d360_webhook" "sales" {
  number = "sales"

  url        = "https://app.example.com/whatsapp"
  headers    = { X-Env = "prod" }
  headers_wo = { Authorization = "Bearer ${var.app_token}" }
}

# The primary webhook of the provider's default number (its api_key),
# without headers, with longer timeouts for a slow day at 360dialog.
# Destroy makes no call, so there is no delete timeout to raise.
resource "d360_webhook" "default" {
  url = "https://app.example.com/whatsapp/default"

  timeouts = {
    create = "10m"
    update = "10m"
    read   = "5m"
  }
}

# Ephemeral (Terraform 1.10+, OpenTofu 1.11+): the token is kept out of
# saved plan files too.
variable "app_token" {
  description = "Bearer token the app's webhook endpoint expects."
  type        = string
  sensitive   = true
  ephemeral   = true
}
