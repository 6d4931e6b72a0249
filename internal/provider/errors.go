package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// describeAPIError explains a failed step in the API's own words, naming
// the number by its name and fingerprint and, when time ran out, what was
// awaited and how to allow more time.
func describeAPIError(num *number, doing string, err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("While %s of %s: %s. The timeout is %s; raise it with the timeouts attribute if "+
			"360dialog is slow today.", doing, num, err, timeout)
	case client.IsAuth(err):
		return fmt.Sprintf("While %s of %s: %s. 360dialog rejected the API key: check the key the provider "+
			"holds for this number (after a rotation, set the new key in the provider; the old one is never "+
			"needed again).", doing, num, err)
	}
	return fmt.Sprintf("While %s of %s: %s", doing, num, err)
}

// readMultiWebhook reads a number's multi webhook within timeout (retries
// included).
func readMultiWebhook(ctx context.Context, num *number, timeout time.Duration, summary string, diags *diag.Diagnostics) (*client.MultiWebhook, bool) {
	return readWithin(ctx, num, timeout, summary, "reading the multi webhook", num.client.GetMultiWebhook, diags)
}

// readWithin makes one read of a number within timeout, retries included;
// a failure is reported under summary, and ok is false.
func readWithin[T any](ctx context.Context, num *number, timeout time.Duration, summary, doing string,
	get func(context.Context) (T, error), diags *diag.Diagnostics) (value T, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	value, err := get(ctx)
	if err != nil {
		diags.AddError(summary, describeAPIError(num, doing, err, timeout))
		return value, false
	}
	return value, true
}
