package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// floorProvider has the settings of the d360 provider block and uses none.
type floorProvider struct{}

// newProvider returns the provider for providerserver.Serve.
func newProvider() provider.Provider { return floorProvider{} }

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = typeName
}

func (floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerschema.Schema{Attributes: map[string]providerschema.Attribute{
		"api_key":  providerschema.StringAttribute{Optional: true, Sensitive: true},
		"numbers":  providerschema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: true},
		"base_url": providerschema.StringAttribute{Optional: true},
	}}
}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return multiWebhook{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// multiWebhook is floor_multi_webhook: d360_multi_webhook's attributes,
// defaults, sensitivity and write-only headers, without validators, plan
// modification or API. Its id and digests are known at plan time only
// from the state (UseStateForUnknown), as d360's ModifyPlan makes them.
type multiWebhook struct{}

// model maps floor_multi_webhook.
type model struct {
	ID           types.String   `tfsdk:"id"`
	Number       types.String   `tfsdk:"number"`
	Enabled      types.Bool     `tfsdk:"enabled"`
	Destinations types.Map      `tfsdk:"destinations"`
	Digests      types.Map      `tfsdk:"headers_wo_digests"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (multiWebhook) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multi_webhook"
}

func (multiWebhook) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	headersType := types.MapType{ElemType: types.StringType}
	resp.Schema = schema.Schema{Version: 1, Attributes: map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"number":  schema.StringAttribute{Optional: true},
		"enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"destinations": schema.MapNestedAttribute{
			Optional: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{Required: true},
				"headers": schema.MapAttribute{
					ElementType: types.StringType, Optional: true, Computed: true, Sensitive: true,
					Default: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				},
				"headers_wo": schema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: true, WriteOnly: true},
			}},
		},
		"headers_wo_digests": schema.MapAttribute{ElementType: headersType, Computed: true,
			PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()}},
		"timeouts": timeouts.AttributesAll(ctx),
	}}
}

// Create stores the plan, with an id and no digests.
func (multiWebhook) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	store(ctx, req.Plan, &resp.State, &resp.Diagnostics, func(m *model) {
		m.ID = types.StringValue("floor-" + m.Number.ValueString())
		m.Digests = types.MapValueMust(types.MapType{ElemType: types.StringType}, map[string]attr.Value{})
	})
}

// Read returns the state, decoded and encoded again as a provider that
// compared it with an API would.
func (multiWebhook) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	store(ctx, req.State, &resp.State, &resp.Diagnostics, nil)
}

// Update stores the plan.
func (multiWebhook) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	store(ctx, req.Plan, &resp.State, &resp.Diagnostics, nil)
}

// store decodes a plan or a state into the model, lets edit change it, and
// sets it as the new state: what any provider does with the values.
func store(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
}, to *tfsdk.State, diags *diag.Diagnostics, edit func(*model)) {
	var m model
	diags.Append(from.Get(ctx, &m)...)
	if diags.HasError() {
		return
	}
	if edit != nil {
		edit(&m)
	}
	diags.Append(to.Set(ctx, m)...)
}

// Delete forgets the instance; the framework removes it from the state.
func (multiWebhook) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState takes the id as it is.
func (multiWebhook) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
