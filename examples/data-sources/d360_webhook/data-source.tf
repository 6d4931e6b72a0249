# Where the number the provider holds as numbers["sales"] delivers its
# notifications now, whoever set it. Leave number out to read the
# provider's default number.
data "d360_webhook" "sales" {
  number = "sales"
}

# url is null when the number has no primary webhook.
output "primary_webhook_url" {
  value = data.d360_webhook.sales.url
}

# 360dialog copies notifications to the multi-webhook destinations only
# after the primary webhook answered 200: warn when the number has none.
check "primary_webhook_set" {
  assert {
    condition     = data.d360_webhook.sales.url != null
    error_message = "The number has no primary webhook, so its multi-webhook destinations receive nothing."
  }
}
