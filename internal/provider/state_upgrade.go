package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// multiWebhookModelV0 is the state of d360_multi_webhook written by 0.1,
// whose resources carried their own api_key.
type multiWebhookModelV0 struct {
	ID           types.String `tfsdk:"id"`
	APIKey       types.String `tfsdk:"api_key"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	Destinations types.Map    `tfsdk:"destinations"`
	Timeouts     types.Object `tfsdk:"timeouts"`
}

// multiWebhookSchemaV0 is the shape of the 0.1 state, enough to decode it.
func multiWebhookSchemaV0() *schema.Schema {
	return &schema.Schema{Attributes: map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true},
		"api_key": schema.StringAttribute{Optional: true, Sensitive: true},
		"enabled": schema.BoolAttribute{Optional: true, Computed: true},
		"destinations": schema.MapNestedAttribute{Optional: true, Computed: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"url":     schema.StringAttribute{Required: true},
				"headers": schema.MapAttribute{ElementType: types.StringType, Optional: true, Computed: true, Sensitive: true},
			},
		}},
		"timeouts": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"create": schema.StringAttribute{Optional: true},
			"update": schema.StringAttribute{Optional: true},
			"delete": schema.StringAttribute{Optional: true},
		}},
	}}
}

// UpgradeState moves states written by 0.1 to the current schema.
func (r *multiWebhookResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {PriorSchema: multiWebhookSchemaV0(), StateUpgrader: r.upgradeFromV0}}
}

// upgradeFromV0 drops the resource's own api_key from a 0.1 state and
// names the number instead: the default number when the resource used the
// provider's key, else the number whose key has the same fingerprint among
// the keys the provider holds. The key itself never reaches the new state.
func (r *multiWebhookResource) upgradeFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var old multiWebhookModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name, problem := r.numberOfV0(old.APIKey)
	if problem != "" {
		resp.Diagnostics.AddError("Cannot Upgrade State Written by 0.1", problem)
		return
	}
	state := multiWebhookModel{ID: old.ID, Number: name, Enabled: old.Enabled, Destinations: upgradeDestinations(old.Destinations),
		Digests: emptyDigests(), Timeouts: nullTimeouts()}
	if !old.Timeouts.IsNull() {
		state.Timeouts.Object = withReadTimeout(ctx, old.Timeouts)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// numberOfV0 finds the number a 0.1 resource managed, or says why it
// cannot. A null or empty api_key meant the provider's key, which is the
// default number now.
func (r *multiWebhookResource) numberOfV0(apiKey types.String) (types.String, string) {
	if apiKey.IsNull() || apiKey.ValueString() == "" {
		return types.StringNull(), ""
	}
	if r.data == nil {
		return types.StringNull(), "The provider was not configured during the upgrade. Please report this to the provider developers."
	}
	fingerprint := client.Fingerprint(apiKey.ValueString())
	if name, found := r.data.byFingerprint(fingerprint); found {
		return name, ""
	}
	if !r.data.keysKnown() {
		return types.StringNull(), fmt.Sprintf("The state records the API key of the number with fingerprint %s, "+
			"and some keys the provider holds are not known during this plan, so the number cannot be matched. "+
			"Give the provider its keys from values known at plan time (variables, ephemeral values or the "+
			"environment) for this first plan with 0.2.", fingerprint)
	}
	return types.StringNull(), fmt.Sprintf("In 0.1 this resource carried its own api_key; in 0.2 keys live only in "+
		"the provider, and the provider holds no key with the fingerprint of the one in the state (%s). Add that "+
		"key to the provider's numbers map under a name, for example numbers = { sales = var.sales_key }, set "+
		"number = \"sales\" on the resource, and plan again. %s", fingerprint, r.data.heldSummary())
}

// withReadTimeout is a 0.1 timeouts object with the read timeout added.
func withReadTimeout(ctx context.Context, old types.Object) types.Object {
	attrs := map[string]attr.Value{"read": types.StringNull()}
	maps.Copy(attrs, old.Attributes())
	return types.ObjectValueMust(nullTimeouts().AttributeTypes(ctx), attrs)
}

// upgradeDestinations moves 0.1 destinations to the current type, which
// has headers_wo (null in every state). 0.1 recorded an omitted
// destinations attribute as {}; today an omitted one stays null, so an
// empty map becomes null: the configurations that omit it, by far the most
// common way to declare none, keep an empty plan.
func upgradeDestinations(old types.Map) types.Map {
	if len(old.Elements()) == 0 {
		return types.MapNull(destinationType)
	}
	elems := map[string]attr.Value{}
	for name, v := range old.Elements() {
		obj, ok := v.(types.Object)
		if !ok {
			continue
		}
		attrs := maps.Clone(obj.Attributes())
		attrs["headers_wo"] = types.MapNull(types.StringType)
		elems[name] = types.ObjectValueMust(destinationAttrTypes, attrs)
	}
	return types.MapValueMust(destinationType, elems)
}
