# Adopt the number configured as d360_multi_webhook.support (Terraform 1.5
# and later, OpenTofu). The id is the fingerprint of the provider-level key:
#   printf %s "$D360_API_KEY" | sha256sum | cut -c1-16
import {
  to = d360_multi_webhook.support
  id = "3f0a9c2e7b41d865"
}
