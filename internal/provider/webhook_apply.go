package provider

import (
	"context"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// primaryScope stands for the primary webhook where write-only digests
// name a destination; no destination can have an empty name.
const primaryScope = ""

// webhookApply is what create and update of d360_webhook have in common.
type webhookApply struct {
	plan    *webhookModel
	prior   *webhookModel // nil on create
	config  tfsdk.Config  // the only source of write-only values
	timeout time.Duration
	action  string // "Creating" or "Updating", for diagnostics
}

// apply makes the primary webhook what the plan says, with one POST when
// it differs and none when it already matches, then waits until GET shows
// it; it returns the model the state must record (see savedState).
func (r *webhookResource) apply(ctx context.Context, a webhookApply, diags *diag.Diagnostics) *webhookModel {
	failed := outcome[webhookModel]{plan: a.plan, prior: a.prior}
	num, d := r.data.mustResolve(a.plan.Number)
	diags.Append(d...)
	writeOnly, _, d := webhookWriteOnly(a.config)
	diags.Append(d...)
	values := knownValues(map[string]map[string]types.String{primaryScope: writeOnly})
	want, d := desiredWebhook(ctx, a.plan, values[primaryScope])
	diags.Append(d...)
	priorDigests := map[string]string{}
	if a.prior != nil {
		priorDigests, d = flatDigests(ctx, a.prior.Digests)
		diags.Append(d...)
	}
	if diags.HasError() {
		return savedState(failed)
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	settled, err := r.setLocked(ctx, num, a, want)
	if err != nil {
		diags.AddError("Error "+a.action+" Webhook", describeAPIError(num, "setting the primary webhook", err, a.timeout)+
			failureNote(a.prior == nil))
	}
	split := newSplit(num.key, map[string]map[string]string{primaryScope: priorDigests}, values)
	return savedState(outcome[webhookModel]{plan: a.plan, prior: a.prior, ok: err == nil, fingerprint: num.client.Fingerprint(),
		settled: settledWebhookInto(a.plan, settled, split)})
}

// setLocked takes the number's lock and sets the primary webhook unless it
// already matches; it returns what GET showed last (nil when nothing).
func (r *webhookResource) setLocked(ctx context.Context, num *number, a webhookApply, want client.Webhook) (*client.Webhook, error) {
	unlock, err := num.client.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	current, err := r.webhookStart(ctx, num, a, want)
	if err != nil || !needsSet(current, want) {
		return current, err
	}
	if err := num.client.SetWebhook(ctx, want); err != nil {
		return current, err
	}
	w, _, err := num.client.WaitForWebhook(ctx, "the primary webhook to show its new url and headers",
		client.SettledWhen(func(w *client.Webhook) bool { return sameWebhook(w, want) }))
	return w, err
}

// webhookStart is what the changes start from: an update of the same
// number starts from the state Terraform just refreshed (saving a GET),
// with the write-only headers whose digests show they hold what is wanted;
// a create, or a changed key, reads.
func (r *webhookResource) webhookStart(ctx context.Context, num *number, a webhookApply, want client.Webhook) (*client.Webhook, error) {
	if a.prior == nil || a.prior.ID.ValueString() != num.client.Fingerprint() {
		return num.client.GetWebhook(ctx)
	}
	headers := map[string]string{}
	diags := a.prior.Headers.ElementsAs(ctx, &headers, false)
	digests, d := flatDigests(ctx, a.prior.Digests)
	diags.Append(d...)
	if diags.HasError() {
		return num.client.GetWebhook(ctx)
	}
	newSplit(num.key, nil, nil).restore(headers, primaryScope, digests, want.Headers)
	return &client.Webhook{URL: a.prior.URL.ValueString(), Headers: headers}, nil
}

// needsSet reports whether the primary webhook must be set: GET shows no
// webhook, another url or other headers, or hides the header values while
// the plan wants some (they cannot be known to be there, so a create that
// adopts a webhook sends them once rather than trust a hidden value).
func needsSet(got *client.Webhook, want client.Webhook) bool {
	if got != nil && got.HeadersHidden {
		return got.URL != want.URL || len(want.Headers) > 0
	}
	return !sameWebhook(got, want)
}

// sameWebhook reports whether what GET shows is the wanted webhook. Header
// values 360dialog does not show cannot be compared and count as equal:
// comparing them would show a difference on every plan.
func sameWebhook(got *client.Webhook, want client.Webhook) bool {
	if got == nil || got.URL != want.URL {
		return false
	}
	return got.HeadersHidden || len(got.Headers) == len(want.Headers) && maps.Equal(got.Headers, want.Headers)
}

// desiredWebhook is the webhook a plan asks for, its headers the union of
// headers and the configured write-only values.
func desiredWebhook(ctx context.Context, plan *webhookModel, writeOnly map[string]string) (client.Webhook, diag.Diagnostics) {
	headers := map[string]string{}
	diags := plan.Headers.ElementsAs(ctx, &headers, false)
	maps.Copy(headers, writeOnly)
	return client.Webhook{URL: plan.URL.ValueString(), Headers: headers}, diags
}

// settledWebhookInto records what GET showed last onto a model, with the
// plan's own settings; nil when nothing could be read.
func settledWebhookInto(plan *webhookModel, settled *client.Webhook, split writeOnlySplit) func(*webhookModel) {
	if settled == nil {
		return nil
	}
	return func(m *webhookModel) {
		m.Number, m.Timeouts = plan.Number, plan.Timeouts
		observedWebhookToModel(m, settled, split)
	}
}

// observedWebhookToModel records what GET showed into m; split tells the
// write-only headers, whose values become digests. Header values that GET
// does not show leave headers and digests as they are.
func observedWebhookToModel(m *webhookModel, observed *client.Webhook, split writeOnlySplit) {
	m.URL = types.StringValue(observed.URL)
	if observed.HeadersHidden {
		return
	}
	kept, digests := split.separate([]client.Destination{{Name: primaryScope, Headers: observed.Headers}})
	m.Headers = stringMap(kept[0].Headers)
	m.Digests = emptyHeaders()
	if inner, ok := digests.Elements()[primaryScope].(types.Map); ok {
		m.Digests = inner
	}
}

// flatDigests reads the headers_wo_digests of d360_webhook.
func flatDigests(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	return out, m.ElementsAs(ctx, &out, false)
}

// readWebhook reads a number's primary webhook within timeout (retries
// included); nil means the number has none.
func readWebhook(ctx context.Context, num *number, timeout time.Duration, summary string, diags *diag.Diagnostics) (*client.Webhook, bool) {
	return readWithin(ctx, num, timeout, summary, "reading the primary webhook", num.client.GetWebhook, diags)
}
