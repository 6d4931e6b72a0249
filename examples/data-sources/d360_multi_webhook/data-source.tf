terraform {
  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# What 360dialog shows now for the number the provider holds as
# numbers["marketing"], whoever configured it. Leave number out to read
# the provider's default number.
#
# The data source stores every header value it reads in the state,
# write-only ones included, since it cannot tell them apart. Read only
# numbers whose destinations carry no secret header: not a number whose
# d360_multi_webhook keeps a token in headers_wo.
data "d360_multi_webhook" "marketing" {
  number = "marketing"
}

# The number's fingerprint: not secret, and an ID to import the number's
# d360_multi_webhook resource with (its name, "marketing", is another).
output "import_id" {
  value = data.d360_multi_webhook.marketing.id
}

# destinations is null while the feature is disabled, hence the try().
output "destination_urls" {
  value = try({ for name, d in data.d360_multi_webhook.marketing.destinations : name => d.url }, {})
}
