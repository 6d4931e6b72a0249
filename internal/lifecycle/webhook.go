package lifecycle

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// WebhookAddress is the resource the primary-webhook lifecycle manages.
const WebhookAddress = "d360_webhook.lifecycle"

// The steps of the primary-webhook lifecycle, by the names the hooks get.
const (
	StepWebhookCreate        = "create the primary webhook"
	StepWebhookAddHeaders    = "add all headers"
	StepWebhookDrift         = "repair primary webhook drift"
	StepWebhookChangeURL     = "change the url"
	StepWebhookRemoveHeaders = "remove all headers"
	StepWebhookImport        = "import the primary webhook"
)

// appliedWebhook is w as 360dialog holds it.
func appliedWebhook(w hclconfig.Destination) client.Webhook {
	d := applied("", w)
	return client.Webhook{URL: d.URL, Headers: d.Headers}
}

// webhookHCL renders the lifecycle's d360_webhook.
func (t Target) webhookHCL(w hclconfig.Destination) string {
	var attrs []string
	if t.Number != "" {
		attrs = append(attrs, fmt.Sprintf("number = %q", t.Number))
	}
	return hclconfig.Webhook("lifecycle", w, attrs...)
}

// Webhook is the primary-webhook lifecycle: create (adopting what the
// number has) without headers; add all headers, plain and write-only;
// repair drift made through the API; change the url; remove every header;
// import; destroy, which leaves the primary webhook in place (360dialog
// has no call that removes one).
func Webhook(tb testing.TB, t Target) resource.TestCase {
	bare := hclconfig.Destination{URL: withQuery(t.WebhookURL, "tfacc", "1")}
	withHeaders := hclconfig.Destination{URL: bare.URL, Headers: map[string]string{"X-Tfacc": "1"},
		HeadersWO: map[string]string{"Authorization": "Bearer " + t.Prefix + "write-only-webhook-value"}}
	moved := withHeaders
	moved.URL = withQuery(t.WebhookURL, "tfacc", "2")
	emptied := hclconfig.Destination{URL: moved.URL}
	steps := []step{
		t.webhookStep(StepWebhookCreate, bare, resource.ConfigPlanChecks{}),
		t.webhookStep(StepWebhookAddHeaders, withHeaders, expectUpdate(WebhookAddress)),
		t.webhookDriftStep(withHeaders),
		t.webhookStep(StepWebhookChangeURL, moved, expectUpdate(WebhookAddress)),
		t.webhookStep(StepWebhookRemoveHeaders, emptied, expectUpdate(WebhookAddress)),
		t.importStep(StepWebhookImport, WebhookAddress, t.webhookHCL(emptied)),
	}
	tc := t.testCase(tb, steps, destroyCheck(t.expectWebhook(emptied)))
	// Import of a primary webhook without headers needs no update.
	tc.Steps[len(tc.Steps)-1].ExpectNonEmptyPlan = false
	tc.Steps[len(tc.Steps)-1].ImportPlanChecks = resource.ImportPlanChecks{}
	return tc
}

// webhookStep applies a configuration and checks that GET shows it.
func (t Target) webhookStep(name string, w hclconfig.Destination, plan resource.ConfigPlanChecks) step {
	return step{name: name, config: t.webhookHCL(w), step: resource.TestStep{
		ConfigPlanChecks:  plan,
		ConfigStateChecks: []statecheck.StateCheck{t.expectWebhook(w)},
	}}
}

// webhookDriftStep changes the url through the API, then applies the
// unchanged configuration.
func (t Target) webhookDriftStep(w hclconfig.Destination) step {
	s := t.webhookStep(StepWebhookDrift, w, expectUpdate(WebhookAddress))
	drifted := appliedWebhook(w)
	drifted.URL = withQuery(drifted.URL, "drift", "1")
	s.pre = func() error {
		ctx := context.Background()
		if err := t.API.SetWebhook(ctx, drifted); err != nil {
			return fmt.Errorf("making drift: %w", err)
		}
		return t.waitForWebhook(ctx, "the drift to show", func(got *client.Webhook) bool {
			return got != nil && got.URL == drifted.URL
		})
	}
	return s
}

// expectWebhook checks that GET shows w: its url, and its headers when
// 360dialog shows header values.
func (t Target) expectWebhook(w hclconfig.Destination) checkFunc {
	return func(ctx context.Context) error {
		got, err := t.API.GetWebhook(ctx)
		if err != nil {
			return fmt.Errorf("reading the primary webhook: %w", err)
		}
		want := appliedWebhook(w)
		switch {
		case got == nil:
			return fmt.Errorf("GET shows no primary webhook")
		case got.URL != want.URL:
			return fmt.Errorf("GET shows the primary webhook at another url")
		case !got.HeadersHidden && !maps.Equal(got.Headers, want.Headers):
			return fmt.Errorf("GET shows other primary webhook headers: %s", describeHeaders("the primary webhook", got.Headers, want.Headers))
		}
		return nil
	}
}

// withQuery adds name=value to a URL's query.
func withQuery(raw, name, value string) string {
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	return raw + sep + name + "=" + value
}
