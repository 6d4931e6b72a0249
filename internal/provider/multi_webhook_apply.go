package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// multiWebhookApply is one create, update or delete of d360_multi_webhook.
type multiWebhookApply struct {
	plan    *multiWebhookModel // nil on delete
	prior   *multiWebhookModel // nil on create
	config  tfsdk.Config       // the configuration, the only source of write-only values; empty on delete
	timeout time.Duration
	action  string       // "Creating", "Updating" or "Deleting", for diagnostics
	private privateState // the resource's private state: what was learnt of 360dialog
}

// apply reconciles the number to the plan (to nothing, on delete) and
// returns the model the state must record, nil for none (see savedState).
// In order: resolve the number, work out what it must end with, then,
// holding its lock, read where it starts and make the changes
// (reconcileLocked).
func (r *multiWebhookResource) apply(ctx context.Context, a multiWebhookApply, diags *diag.Diagnostics) *multiWebhookModel {
	failed := outcome[multiWebhookModel]{plan: a.plan, prior: a.prior}
	target := a.plan
	if target == nil {
		target = a.prior
	}
	num, d := r.data.mustResolve(target.Number)
	diags.Append(d...)
	if diags.HasError() {
		return savedState(failed)
	}
	want, split, d := a.desired(ctx, num.key)
	diags.Append(d...)
	if diags.HasError() {
		return savedState(failed)
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	settled, err := reconcileLocked(ctx, num, a, want, split)
	if err != nil {
		diags.AddError("Error "+a.action+" Multi Webhook", describeAPIError(num, "applying the plan", err, a.timeout)+
			failureNote(a.prior == nil))
	}
	return savedState(outcome[multiWebhookModel]{plan: a.plan, prior: a.prior, ok: err == nil,
		fingerprint: num.client.Fingerprint(), settled: settledMultiWebhookInto(a.plan, settled, split)})
}

// desired is what the number must end with: the plan, with the
// configuration's write-only headers, or for a delete no destination and
// the feature off. The split it returns tells the write-only headers of the
// plan and of the prior state apart from the others.
func (a multiWebhookApply) desired(ctx context.Context, key string) (desiredMultiWebhook, writeOnlySplit, diag.Diagnostics) {
	var diags diag.Diagnostics
	priorDigests := map[string]map[string]string{}
	if a.prior != nil {
		priorDigests, diags = digestsFromModel(ctx, a.prior.Digests)
	}
	if a.plan == nil {
		return desiredMultiWebhook{Purge: true, Destinations: map[string]client.Destination{}}, newSplit(key, priorDigests, nil), diags
	}
	wo, _, d := writeOnlyFromConfig(a.config)
	diags.Append(d...)
	values := knownValues(wo)
	dests, d := destinationsFromMap(ctx, a.plan.Destinations, values)
	diags.Append(d...)
	return desiredMultiWebhook{Enabled: a.plan.Enabled.ValueBool(), Destinations: dests}, newSplit(key, priorDigests, values), diags
}

// reconcileLocked takes the number's lock, finds where the number starts,
// and reconciles it with what earlier applies learnt (habits and settle
// knowledge from the private state), which it then records; it returns
// what settled (nil when nothing could be read).
func reconcileLocked(ctx context.Context, num *number, a multiWebhookApply, want desiredMultiWebhook, split writeOnlySplit) (*client.MultiWebhook, error) {
	unlock, err := num.client.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	observed, err := multiWebhookStart(ctx, num, a, want, split)
	if err != nil {
		return nil, err
	}
	habits := loadHabits(ctx, a.private)
	rememberSettle(ctx, num.client, a.private)
	settled, err := reconcile(ctx, num.client, observed, want, &habits)
	if a.plan != nil {
		// Destroy never enables, so it neither uses nor teaches habits, and
		// it leaves no private state to keep knowledge in.
		_ = saveHabits(ctx, a.private, habits)
		_ = saveSettle(ctx, num.client, a.private)
	}
	return settled, err
}

// multiWebhookStart is what the number has when the changes start. An
// update of the same number starts from the state Terraform just refreshed,
// saving a GET; a create, a delete, or a changed key start from a fresh
// read.
func multiWebhookStart(ctx context.Context, num *number, a multiWebhookApply, want desiredMultiWebhook, split writeOnlySplit) (*client.MultiWebhook, error) {
	if a.plan != nil && a.prior != nil && a.prior.ID.ValueString() == num.client.Fingerprint() && !a.prior.Enabled.IsNull() {
		observed, diags := multiWebhookFromModel(ctx, *a.prior, split, want.Destinations)
		if !diags.HasError() {
			return observed, nil
		}
	}
	return num.client.GetMultiWebhook(ctx)
}

// habitsKey names the learnt apiHabits in the private state.
const habitsKey = "api_habits"

// loadHabits reads what earlier applies learnt; nothing learnt is the zero value.
func loadHabits(ctx context.Context, private privateState) apiHabits {
	var habits apiHabits
	if _, err := getPrivateJSON(ctx, private, habitsKey, &habits); err != nil {
		// A value this version cannot read is only a lost optimisation.
		return apiHabits{}
	}
	return habits
}

// saveHabits records what this apply learnt.
func saveHabits(ctx context.Context, private privateState, habits apiHabits) diag.Diagnostics {
	return setPrivateJSON(ctx, private, habitsKey, habits)
}

// settledMultiWebhookInto records what 360dialog showed last onto a model:
// the destinations and the feature's state, and the plan's own settings. It
// is nil when nothing could be read.
func settledMultiWebhookInto(plan *multiWebhookModel, settled *client.MultiWebhook, split writeOnlySplit) func(*multiWebhookModel) {
	if settled == nil {
		return nil
	}
	return func(m *multiWebhookModel) {
		if plan != nil {
			m.Number, m.Timeouts = plan.Number, plan.Timeouts
		}
		observedMultiWebhookToModel(m, settled, split)
	}
}
