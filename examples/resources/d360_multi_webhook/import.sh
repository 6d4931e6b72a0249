# By name: a key of the provider's numbers map. The imported resource gets
# number = "sales".
terraform import d360_multi_webhook.sales sales

# By fingerprint: the first 16 hex digits of the SHA-256 of a key the
# provider holds, here the default number's (D360_API_KEY). It is not
# secret; the key itself is never an import ID.
terraform import d360_multi_webhook.default "$(printf %s "$D360_API_KEY" | sha256sum | cut -c1-16)"
