package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// multiWebhookApply is what create, update and delete have in common.
type multiWebhookApply struct {
	plan    *multiWebhookModel // nil on delete
	prior   *multiWebhookModel // nil on create
	config  tfsdk.Config       // the configuration, the only source of write-only values; empty on delete
	timeout time.Duration
	action  string       // "Creating", "Updating" or "Deleting", for diagnostics
	private privateState // the resource's private state: what was learnt of 360dialog
}

// summary is the diagnostic summary of a failed request.
func (req multiWebhookApply) summary() string {
	return "Error " + req.action + " Multi Webhook"
}

// privateState is the part of the framework's private state data used here.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
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

// getPrivateJSON decodes the JSON value of key in private into v; found is
// false when there is none.
func getPrivateJSON(ctx context.Context, private privateState, key string, v any) (found bool, err error) {
	raw, diags := private.GetKey(ctx, key)
	if diags.HasError() {
		return false, fmt.Errorf("reading private state key %q: %s", key, diags[0].Detail())
	}
	if len(raw) == 0 {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

// setPrivateJSON stores v as the JSON value of key in private.
func setPrivateJSON(ctx context.Context, private privateState, key string, v any) diag.Diagnostics {
	raw, err := json.Marshal(v)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Error Saving Private State", fmt.Sprintf("%s: %v", key, err))
		return diags
	}
	return private.SetKey(ctx, key, raw)
}

// apply reconciles the number to the plan (to nothing, on delete) and
// returns the model the state must record, nil for none (see savedState).
func (r *multiWebhookResource) apply(ctx context.Context, req multiWebhookApply, diags *diag.Diagnostics) *multiWebhookModel {
	target := req.plan
	if target == nil {
		target = req.prior
	}
	num, d := r.data.mustResolve(target.Number)
	diags.Append(d...)
	if diags.HasError() {
		return savedState(outcome[multiWebhookModel]{plan: req.plan, prior: req.prior})
	}
	want, split, d := desiredFromRequest(ctx, req, num.key)
	diags.Append(d...)
	if diags.HasError() {
		return savedState(outcome[multiWebhookModel]{plan: req.plan, prior: req.prior})
	}
	ctx, cancel := context.WithTimeout(ctx, req.timeout)
	defer cancel()
	settled, err := r.reconcileLocked(ctx, num, req, want, split)
	if err != nil {
		diags.AddError(req.summary(), describeAPIError(num, "applying the plan", err, req.timeout)+failureNote(req.prior == nil))
	}
	return savedState(outcome[multiWebhookModel]{plan: req.plan, prior: req.prior, ok: err == nil, fingerprint: num.client.Fingerprint(),
		settled: settledMultiWebhookInto(req.plan, settled, split)})
}

// settledMultiWebhookInto records what 360dialog showed last onto a model: the
// destinations and the feature's state, and the plan's own settings. It is
// nil when nothing could be read.
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

// reconcileLocked takes the number's lock, finds the starting point and
// reconciles; it returns what settled (nil when nothing could be read).
func (r *multiWebhookResource) reconcileLocked(ctx context.Context, num *number, req multiWebhookApply, want desiredMultiWebhook, split writeOnlySplit) (*client.MultiWebhook, error) {
	unlock, err := num.client.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	observed, err := multiWebhookStart(ctx, num, req, want, split)
	if err != nil {
		return nil, err
	}
	habits := loadHabits(ctx, req.private)
	rememberSettle(ctx, num.client, req.private)
	final, err := reconcile(ctx, num.client, observed, want, &habits)
	if req.plan != nil {
		// Destroy never enables, so it neither uses nor teaches habits, and
		// it leaves no private state to keep knowledge in.
		_ = saveHabits(ctx, req.private, habits)
		_ = saveSettle(ctx, num.client, req.private)
	}
	return final, err
}

// desiredFromRequest is what the number must end with: the plan, with the
// configuration's write-only headers, or for a delete no destination and
// the feature off. The split it returns tells the write-only headers of the
// plan and of the prior state apart from the others.
func desiredFromRequest(ctx context.Context, req multiWebhookApply, key string) (desiredMultiWebhook, writeOnlySplit, diag.Diagnostics) {
	var diags diag.Diagnostics
	priorDigests := map[string]map[string]string{}
	if req.prior != nil {
		priorDigests, diags = digestsFromModel(ctx, req.prior.Digests)
	}
	if req.plan == nil {
		return desiredMultiWebhook{Purge: true, Destinations: map[string]client.Destination{}}, newSplit(key, priorDigests, nil), diags
	}
	wo, _, d := writeOnlyFromConfig(req.config)
	diags.Append(d...)
	values := knownValues(wo)
	dests, d := destinationsFromMap(ctx, req.plan.Destinations, values)
	diags.Append(d...)
	return desiredMultiWebhook{Enabled: req.plan.Enabled.ValueBool(), Destinations: dests}, newSplit(key, priorDigests, values), diags
}

// multiWebhookStart is the configuration the changes are planned from. An
// update of the same number starts from the state Terraform just refreshed,
// saving a GET; a create, a delete, or a changed key start from a fresh
// read.
func multiWebhookStart(ctx context.Context, num *number, req multiWebhookApply, want desiredMultiWebhook, split writeOnlySplit) (*client.MultiWebhook, error) {
	if req.plan != nil && req.prior != nil && req.prior.ID.ValueString() == num.client.Fingerprint() && !req.prior.Enabled.IsNull() {
		cfg, diags := multiWebhookFromModel(ctx, *req.prior, split, want.Destinations)
		if !diags.HasError() {
			return cfg, nil
		}
	}
	return num.client.GetMultiWebhook(ctx)
}
