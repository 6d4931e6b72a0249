package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// providerData is what Configure hands to resources and data sources: the
// client and the API keys of the numbers the provider holds. It is the only
// place keys live; states and plans name a number instead.
type providerData struct {
	client        *client.Client
	defaultKey    heldKey            // api_key or D360_API_KEY: the number of objects without `number`
	numbers       map[string]heldKey // the numbers map, by name
	numbersKnown  bool               // false while the numbers map as a whole is unknown during plan
	unknownReason string             // non-empty when no client could be built yet
	claims        claimRegistry      // which resource manages which number in this plan
}

// heldKey is one API key the provider holds, or the fact that it is not
// known yet (a value computed during apply).
type heldKey struct {
	key   string
	known bool
}

// number is a resolved phone number: its name in the provider (empty for
// the default number), its key and the client handle that uses the key.
type number struct {
	name   string
	key    string
	client *client.Number
}

// String names the number for messages, never showing its key.
func (n *number) String() string {
	return describeNumber(n.name, n.client.Fingerprint())
}

// nameAttr is the number attribute that names n: null for the default
// number.
func (n *number) nameAttr() types.String {
	if n.name == "" {
		return types.StringNull()
	}
	return types.StringValue(n.name)
}

// describeNumber reads like `number "sales" (fingerprint 3f9a…)`.
func describeNumber(name, fingerprint string) string {
	if name == "" {
		return "the provider's default number (api_key, fingerprint " + fingerprint + ")"
	}
	return fmt.Sprintf("number %q (fingerprint %s)", name, fingerprint)
}

// providerDataFrom converts ProviderData, which is nil during validation.
func providerDataFrom(data any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. Please report this to the provider developers.", data))
	}
	return pd, diags
}

// numberAttr is the path of the `number` attribute of resources and data
// sources, where every problem resolving a number is reported.
var numberAttr = path.Root("number")

// resolve finds the number an object names: a name from the provider's
// numbers, or the default number when name is null. known is false (and
// diags empty) while the key is not known yet during plan; every other
// failure is an error diagnostic on the number attribute that says what to
// fix, naming the number but never a key.
func (p *providerData) resolve(name types.String) (num *number, known bool, diags diag.Diagnostics) {
	if p.client == nil || name.IsUnknown() {
		// No client while base_url is unknown during plan: as unknown as a key.
		return nil, false, nil
	}
	held, found := p.defaultKey, true
	if !name.IsNull() {
		if !p.numbersKnown {
			return nil, false, nil
		}
		held, found = p.numbers[name.ValueString()]
	}
	switch {
	case !found:
		diags.AddAttributeError(numberAttr, "Unknown Number", p.unknownNumberDetail(name.ValueString()))
	case !held.known:
		return nil, false, nil
	case held.key == "":
		diags.AddAttributeError(numberAttr, "Missing 360dialog API Key", missingKeyDetail(name.ValueString()))
	default:
		return &number{name: name.ValueString(), key: held.key, client: p.client.Number(held.key)}, true, nil
	}
	return nil, false, diags
}

// mustResolve is resolve for operations that need the number now (apply,
// refresh, import): a key still unknown is an error too.
func (p *providerData) mustResolve(name types.String) (*number, diag.Diagnostics) {
	num, known, diags := p.resolve(name)
	switch {
	case known || diags.HasError():
	case p.unknownReason != "":
		diags.AddError("360dialog Provider Not Ready", "Cannot reach 360dialog: "+p.unknownReason+".")
	default:
		diags.AddAttributeError(numberAttr, "Unknown 360dialog API Key",
			"The API key of "+quoteName(name)+" is not known yet. Apply the resource that produces it first, "+
				"or take it from a variable, an ephemeral resource or the "+EnvAPIKey+" environment variable.")
	}
	return num, diags
}

// refreshHint completes a refresh of what (a resource type's title) that
// could not resolve its number: an error says how to stop managing a
// number the provider no longer holds; a key or base_url unknown during
// plan keeps the state as it is, with a warning that says why.
func (p *providerData) refreshHint(diags *diag.Diagnostics, known bool, name types.String, what string) {
	switch {
	case diags.HasError():
		diags.AddAttributeError(numberAttr, "Cannot Refresh "+what, "Refreshing needs the key of "+quoteName(name)+
			". To stop managing a number, remove its resource while the provider still holds its key (then "+
			"destroy, or `terraform state rm` to leave the number as it is), and only then remove the key from "+
			"the provider.")
	case !known:
		why := "the API key of " + quoteName(name) + " is not known until apply"
		if p.unknownReason != "" {
			why = p.unknownReason
		}
		diags.AddAttributeWarning(numberAttr, what+" Not Refreshed", "Because "+why+", the number was not read; "+
			"the plan uses the last known state.")
	}
}

// quoteName names a number by its name only, for messages written before
// its key is resolved.
func quoteName(name types.String) string {
	if name.IsNull() || name.IsUnknown() {
		return "the provider's default number"
	}
	return fmt.Sprintf("number %q", name.ValueString())
}

// names lists the names of the provider's numbers, sorted.
func (p *providerData) names() []string {
	return slices.Sorted(maps.Keys(p.numbers))
}

// unknownNumberDetail explains a name the provider does not hold, listing
// the names it has (never their keys).
func (p *providerData) unknownNumberDetail(name string) string {
	held := "The provider's numbers map is empty."
	if len(p.numbers) > 0 {
		held = "It holds: " + quoteAll(p.names()) + "."
	}
	return fmt.Sprintf("The provider holds no number named %q. %s Add %q to the provider's numbers map (name = "+
		"API key), or use one of the names it holds. Keys live only in the provider block; resources and data "+
		"sources name a number.", name, held, name)
}

// missingKeyDetail tells the user where a number's key comes from.
func missingKeyDetail(name string) string {
	if name != "" {
		return fmt.Sprintf("The provider's numbers[%q] is empty. Set it to the API key of that phone number.", name)
	}
	return "No 360dialog API key is set for the provider's default number. Set api_key in the provider block or " +
		"the " + EnvAPIKey + " environment variable, or name a number from the provider's numbers map with the " +
		"`number` attribute."
}

// quoteAll renders names as a comma-separated list of quoted strings.
func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}

// byFingerprint finds the number whose key has the given fingerprint: a
// named number first (sorted by name, so the choice is stable), then the
// default number. found is false when no held key has it.
func (p *providerData) byFingerprint(fingerprint string) (name types.String, found bool) {
	for _, n := range p.names() {
		if held := p.numbers[n]; held.known && held.key != "" && client.Fingerprint(held.key) == fingerprint {
			return types.StringValue(n), true
		}
	}
	if p.defaultKey.known && p.defaultKey.key != "" && client.Fingerprint(p.defaultKey.key) == fingerprint {
		return types.StringNull(), true
	}
	return types.StringNull(), false
}

// keysKnown reports whether every key the provider holds is known, which
// a lookup by fingerprint needs to be conclusive.
func (p *providerData) keysKnown() bool {
	if !p.numbersKnown || !p.defaultKey.known {
		return false
	}
	for _, held := range p.numbers {
		if !held.known {
			return false
		}
	}
	return true
}

// planNumber is the part of ModifyPlan that every resource shares: it
// resolves the planned number, claims it for this resource type, and sets
// the planned id, which is unknown (with headers_wo_digests, whose
// elements are of digestElem) while the key is. ok is false when there is
// nothing more to plan: a destroy, an unknown key, or an error reported.
func (p *providerData) planNumber(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	typeName string, digestElem attr.Type) (*number, bool) {
	if req.Plan.Raw.IsNull() || p == nil {
		return nil, false
	}
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, numberAttr, &name)...)
	num, known, diags := p.resolve(name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return nil, false
	}
	if !known {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, digestsAttr, types.MapUnknown(digestElem))...)
		return nil, false
	}
	mine := claim{number: num.String(), create: req.State.Raw.IsNull(), config: req.Config.Raw}
	if other, ok := p.claims.claim(typeName+" "+num.client.Fingerprint(), mine); !ok {
		resp.Diagnostics.AddAttributeError(numberAttr, "Number Managed Twice", fmt.Sprintf("Another %s resource of "+
			"this configuration already manages %s, the same number as %s (two names holding the same key are one "+
			"number). Two resources managing one number undo each other's changes on every apply. Keep one %s per "+
			"number; to read a number another resource manages, use the %s data source.",
			typeName, other.number, num, typeName, typeName))
		return nil, false
	}
	setPlanned(ctx, &resp.Plan, path.Root("id"), types.StringValue(num.client.Fingerprint()), &resp.Diagnostics)
	return num, !resp.Diagnostics.HasError()
}

// setPlanned sets the planned value at p to want, unless the plan holds it
// already, as it does for every unchanged resource: setting an attribute
// rebuilds the whole planned object, reading one does not, and a plan of
// many numbers made this a visible part of the provider's time.
func setPlanned[T attr.Value](ctx context.Context, plan *tfsdk.Plan, p path.Path, want T, diags *diag.Diagnostics) {
	var got T
	if d := plan.GetAttribute(ctx, p, &got); d.HasError() || !got.Equal(want) {
		diags.Append(plan.SetAttribute(ctx, p, want)...)
	}
}

// claimRegistry remembers which resource instance of one plan manages
// which number, per resource type: a d360_multi_webhook and a d360_webhook
// may share a number, two of one type may not. Terraform runs one provider
// process per provider configuration and plans each resource instance once
// per walk, so a second claim of a number for one type in one process is a
// second resource managing it; the only exception is the plan of a
// replacement, which Terraform makes twice for one instance: with its prior
// state, then again as a create with the same configuration.
type claimRegistry struct {
	mu     sync.Mutex
	claims map[string]claim // by resource type and fingerprint
}

// claim is one resource instance's plan of a number.
type claim struct {
	number string        // how the instance names the number, for messages
	create bool          // planned as a create (no prior state)
	config tftypes.Value // the instance's configuration, to recognise a replacement's second plan
}

// claim records that one instance manages what key names: a resource type
// and a number's fingerprint. When another instance already does, it
// returns false and that instance's claim.
func (r *claimRegistry) claim(key string, c claim) (claim, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.claims == nil {
		r.claims = map[string]claim{}
	}
	prev, taken := r.claims[key]
	if !taken || !prev.create && c.create && prev.config.Equal(c.config) {
		// Not taken, or the second plan of a replacement: the same instance again.
		r.claims[key] = c
		return claim{}, true
	}
	return prev, false
}

// tflogLogger routes the client's logs to tflog, so they follow TF_LOG. The
// client has removed every secret it knows from them already: it is the one
// place that masks secrets (DESIGN.md, "Secrets").
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}
