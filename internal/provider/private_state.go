package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateState is the part of the framework's private state data that the
// resources use: the import mark (import.go), the multi webhook's habits
// (multi_webhook_apply.go) and its settle knowledge (settle_knowledge.go).
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
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
