# Adopt the number the provider holds as numbers["sales"] (Terraform 1.5
# and later, OpenTofu). The id is a name from the provider's numbers, or
# the fingerprint of a key the provider holds; never a key, since the CLI
# prints it.
import {
  to = d360_multi_webhook.sales
  id = "sales"
}
