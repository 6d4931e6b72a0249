package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// What a d360_multi_webhook keeps in its private state about how long its
// number's changes take to settle, so that a later provider process waits
// as if warm: when it is remembered into the process (ModifyPlan, Update,
// Read) and when it is recorded (after a create or an update) is DESIGN.md's
// "Waiting" section, "Where it is kept" and "What seeds a process". The
// value is client.SettleKnowledge's versioned JSON form: elapsed times and
// dates only; no key, no fingerprint, no header.

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
