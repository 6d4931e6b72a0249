package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// What a d360_multi_webhook keeps in its private state about how long its
// number's changes take to settle, so that a later provider process waits
// as if warm (DESIGN.md, "Waiting").
//
// Terraform and OpenTofu start a provider process for the plan and another
// for the apply, so what a process learns reaches the next one only
// through the state. The apply's process plans every instance it changes
// once more (PlanResourceChange) before applying it, and ModifyPlan then
// remembers the instance's prior private state into the process: every
// wait of that apply starts from what the last applies of those numbers
// learnt, including numbers changed for the first time, which use the
// others' history. Update also remembers its own private state, which the
// framework passes on from the prior state; Create has none, and an import
// starts with none. After a create or an update, the private state records
// what the process then knows that bears on the number's next change.
// Read remembers too, as it costs little, but learns nothing from its GET:
// a read is not a wait.
//
// The value is client.SettleKnowledge's versioned JSON form: elapsed times
// in milliseconds and Unix dates, at most 4 waits, none older than 14
// days; no key, no fingerprint, no header.

// settleKey names the settle knowledge in the private state, beside
// habitsKey.
const settleKey = "settle"

// rememberSettle adds the settle knowledge kept in private to what the
// process knows. A value this version cannot read is ignored: losing it
// only makes the next wait cold.
func rememberSettle(ctx context.Context, num *client.Number, private privateState) {
	var k client.SettleKnowledge
	if found, err := getPrivateJSON(ctx, private, settleKey, &k); err != nil {
		tflog.Debug(ctx, "ignoring settle knowledge this version cannot read", map[string]any{"reason": err.Error()})
	} else if found {
		num.Remember(k)
	}
}

// saveSettle records in private what the process knows that bears on the
// number's next change, or removes the key when it knows nothing (what
// private held has aged out, since rememberSettle read it first).
func saveSettle(ctx context.Context, num *client.Number, private privateState) diag.Diagnostics {
	k := num.SettleKnowledge()
	if k.IsEmpty() {
		return private.SetKey(ctx, settleKey, nil)
	}
	return setPrivateJSON(ctx, private, settleKey, k)
}
