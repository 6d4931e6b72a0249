package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// outcome is what a create, update or delete achieved, for savedState.
type outcome[M any] struct {
	plan, prior *M // plan is nil on delete, prior on create
	ok          bool
	fingerprint string // of the key the number was reached with
	// settled records onto a model what 360dialog showed last; nil when
	// nothing could be read.
	settled func(*M)
}

// identified is a model with the id attribute, which savedState sets.
type identified interface {
	setID(types.String)
}

// savedState is the one place that decides what the state records after
// create, update or delete, for every resource, so that the next plan shows
// exactly the work left:
//   - success: the plan (nothing after a delete);
//   - a failed create: nothing. Create adopts whatever the number has, so
//     the next apply simply tries again; a saved state would be tainted,
//     and its replacement would first remove what the number has;
//   - a failed update or delete: the prior state, with what settled when
//     anything could be read, under the fingerprint of the number read.
func savedState[M any, PM interface {
	*M
	identified
}](o outcome[M]) *M {
	switch {
	case o.ok && o.plan != nil:
		saved := *o.plan
		PM(&saved).setID(types.StringValue(o.fingerprint))
		return &saved
	case o.ok, o.prior == nil:
		return nil
	case o.settled == nil:
		return o.prior
	}
	saved := *o.prior
	o.settled(&saved)
	PM(&saved).setID(types.StringValue(o.fingerprint))
	return &saved
}

func (m *multiWebhookModel) setID(id types.String) { m.ID = id }

// setSaved writes the saved model, or removes the resource for nil.
func setSaved[M any](ctx context.Context, state *tfsdk.State, saved *M, diags *diag.Diagnostics) {
	if saved == nil {
		state.RemoveResource(ctx)
		return
	}
	diags.Append(state.Set(ctx, saved)...)
}

// failureNote tells the user what the state now holds after a failure.
func failureNote(create bool) string {
	if create {
		return "\n\nNothing was saved to the state; the next apply adopts whatever the number has and goes on " +
			"from there."
	}
	return "\n\nThe state now records what 360dialog shows; the next plan lists the remaining changes."
}
