# What 360dialog shows now for the number the provider holds as
# numbers["sales"], whoever configured it. Leave number out to read the
# provider's default number.
data "d360_multi_webhook" "sales" {
  number = "sales"
}

# The number's fingerprint: not secret, and an ID to import the number's
# d360_multi_webhook resource with (its name, "sales", is another).
output "import_id" {
  value = data.d360_multi_webhook.sales.id
}

# destinations is null while the feature is disabled, hence the try().
output "destination_urls" {
  value = try({ for name, d in data.d360_multi_webhook.sales.destinations : name => d.url }, {})
}
