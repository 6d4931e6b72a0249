package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// importState is the ImportState of every resource. The import ID names
// the number: a name from the provider's numbers, or the fingerprint of any
// key the provider holds. Terraform passes import no configuration, so the
// ID alone picks the number, and the key never appears in the ID (which the
// CLI prints). read reads the number within the read timeout and returns
// the state to record, or reports why there is none. The object is then
// marked just imported, so that the Read Terraform makes next reuses this
// read: one GET per imported number. Reading here rather than there also
// keeps Terraform 1.5 and OpenTofu from logging, at WARN, values that a
// refresh fills in, nested sensitive headers included.
func importState[M any](ctx context.Context, data *providerData, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse, read func(context.Context, *number, *diag.Diagnostics) (*M, bool)) {
	num, ok := data.importNumber(req.ID, &resp.Diagnostics)
	if !ok {
		return
	}
	state, ok := read(ctx, num, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, justImportedKey, []byte(`true`))...)
}

// importNumber resolves the number an import ID names; a failure is
// reported, and ok is false.
func (p *providerData) importNumber(id string, diags *diag.Diagnostics) (*number, bool) {
	if p == nil {
		diags.AddError("Provider Not Configured", "Importing needs the provider's configuration, which holds the "+
			"API keys; Terraform did not pass it. Please report this to the provider developers.")
		return nil, false
	}
	name, d := p.importTarget(id)
	diags.Append(d...)
	if diags.HasError() {
		return nil, false
	}
	num, d := p.mustResolve(name)
	diags.Append(d...)
	return num, !diags.HasError()
}

// importTarget maps an import ID to the number attribute it stands for. A
// name wins over a fingerprint; an ID that is neither is refused with the
// names the provider holds (never their keys).
func (p *providerData) importTarget(id string) (types.String, diag.Diagnostics) {
	var diags diag.Diagnostics
	if _, ok := p.numbers[id]; ok {
		return types.StringValue(id), diags
	}
	if name, found := p.byFingerprint(id); found {
		return name, diags
	}
	if !p.keysKnown() {
		diags.AddError("Cannot Import Before the Keys Are Known", fmt.Sprintf("The import ID %q is not a name "+
			"in the provider's numbers, and some keys the provider holds are not known yet, so it cannot be "+
			"matched as a fingerprint. Import by name, or once the keys are known.", id))
		return types.StringNull(), diags
	}
	diags.AddError("Unknown Import ID", fmt.Sprintf("The import ID %q is neither a name in the provider's "+
		"numbers nor the fingerprint of a key the provider holds. %s Import with one of those names, or with "+
		"the fingerprint (the id attribute: the first 16 hex digits of the SHA-256 of the key) of a key held "+
		"in api_key or numbers.", id, p.heldSummary()))
	return types.StringNull(), diags
}

// heldSummary says which numbers the provider holds, by name and
// fingerprint, never by key.
func (p *providerData) heldSummary() string {
	s := "The provider holds no named numbers"
	if len(p.numbers) > 0 {
		s = "The provider holds the numbers " + quoteAll(p.names())
	}
	if p.defaultKey.known && p.defaultKey.key != "" {
		return s + " and a default number (api_key) with fingerprint " + client.Fingerprint(p.defaultKey.key) + "."
	}
	return s + " and no default number (api_key)."
}

// justImportedKey marks, in the private state, an object that ImportState
// has just read.
const justImportedKey = "just_imported"

// justImported reports whether the object was read by ImportState an
// instant ago, and clears the mark so that every later refresh reads.
func justImported(ctx context.Context, in, out privateState, diags *diag.Diagnostics) bool {
	mark, d := in.GetKey(ctx, justImportedKey)
	diags.Append(d...)
	if len(mark) == 0 {
		return false
	}
	diags.Append(out.SetKey(ctx, justImportedKey, nil)...)
	return true
}
