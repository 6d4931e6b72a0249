terraform {
  required_providers {
    d360 = {
      source  = "d360-terraform/d360"
      version = "~> 0.3"
    }
  }
}

# Where the number the provider holds as numbers["marketing"] delivers its
# notifications now, whoever set it. Leave number out to read the
# provider's default number.
#
# The data source stores every header value it reads in the state,
# write-only ones included, since it cannot tell them apart. Read only
# numbers whose primary webhook carries no secret header: not a number
# whose d360_webhook keeps a token in headers_wo.
data "d360_webhook" "marketing" {
  number = "marketing"
}

# url is null when the number has no primary webhook.
output "primary_webhook_url" {
  value = data.d360_webhook.marketing.url
}

# 360dialog copies notifications to the multi-webhook destinations only
# after the primary webhook answered 200: warn when the number has none.
check "primary_webhook_set" {
  assert {
    condition     = data.d360_webhook.marketing.url != null
    error_message = "The number has no primary webhook, so its multi-webhook destinations receive nothing."
  }
}
