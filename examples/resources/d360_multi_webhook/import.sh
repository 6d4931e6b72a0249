# The ID is the fingerprint of the number's API key: the first 16 hex digits
# of its SHA-256. Import reads the number with the provider-level key, so
# D360_API_KEY (or api_key in the provider block) must be that number's key.
terraform import d360_multi_webhook.support "$(printf %s "$D360_API_KEY" | sha256sum | cut -c1-16)"
