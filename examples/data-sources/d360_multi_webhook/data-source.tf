# What 360dialog shows for the number now, whoever configured it.
data "d360_multi_webhook" "current" {}

# The ID to import the number's d360_multi_webhook resource with.
output "import_id" {
  value = data.d360_multi_webhook.current.id
}

# destinations is null while the feature is disabled, hence the try().
output "destination_urls" {
  value = try({ for name, d in data.d360_multi_webhook.current.destinations : name => d.url }, {})
}
