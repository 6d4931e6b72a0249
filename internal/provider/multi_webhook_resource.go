package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ resource.Resource                 = (*multiWebhookResource)(nil)
	_ resource.ResourceWithConfigure    = (*multiWebhookResource)(nil)
	_ resource.ResourceWithImportState  = (*multiWebhookResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*multiWebhookResource)(nil)
	_ resource.ResourceWithUpgradeState = (*multiWebhookResource)(nil)
)

// multiWebhookResource manages the whole multi webhook of one phone
// number: a singleton per number.
type multiWebhookResource struct {
	resourceBase
}

// NewMultiWebhookResource returns the d360_multi_webhook resource.
func NewMultiWebhookResource() resource.Resource {
	return &multiWebhookResource{}
}

func (r *multiWebhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multi_webhook"
}

func (r *multiWebhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 1,
		MarkdownDescription: "Manages the extra webhook destinations (\"multi webhook\") of one 360dialog WhatsApp " +
			"phone number. The resource owns the number's whole multi-webhook configuration: create adopts " +
			"what is there and reconciles it to the configuration, destroy removes every destination and " +
			"disables the feature. Changes are asynchronous at 360dialog; the provider waits until each one " +
			"is visible before the next.",
		Attributes: map[string]schema.Attribute{
			"id":     fingerprintSchema("Changes in place when the number's key changes (key rotation)."),
			"number": numberSchema("manage"),
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the multi-webhook feature is on. While `false`, 360dialog cannot " +
					"list destinations; the declared ones stay in state and are reconciled when it is enabled " +
					"again. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"destinations":       destinationsSchema(),
			"headers_wo_digests": digestsSchema(),
			"timeouts":           timeoutsSchema(ctx),
		},
	}
}

// destinationsSchema describes the map of destinations keyed by name. It
// is not Computed: a Computed nested attribute may not hold a write-only
// one. An omitted map and a map without destinations both mean none.
func destinationsSchema() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		MarkdownDescription: "Destinations keyed by name (360dialog's case-sensitive unique ID). At most 3. " +
			"Names must be non-empty, without control characters or `/`, and not `.` or `..`. Omitted: none.",
		Optional:   true,
		Validators: []validator.Map{destinationsValidator},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{
					MarkdownDescription: "Absolute `https` URL that receives copies of the number's notifications. " +
						"360dialog rejects `_` and an explicit `:port` in the host.",
					Required:   true,
					Validators: []validator.String{webhookURLValidator},
				},
				"headers": headersSchema(", such as `X-Env`", ""),
				"headers_wo": headersWOSchema(". A changed value, and a value changed outside Terraform, still " +
					"show in the plan, through `headers_wo_digests`."),
			},
		},
	}
}

// digestsSchema describes headers_wo_digests.
func digestsSchema() schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: "Digest of each write-only header value, by destination and header name: an " +
			"HMAC-SHA256 keyed with the number's API key, which the state never holds, so it reveals nothing of " +
			"the value. The plan shows it change when a value in `headers_wo` changes, or when 360dialog shows " +
			"another value than the one applied.",
		ElementType: headersType,
		Computed:    true,
	}
}

// ModifyPlan sets the planned id to the fingerprint of the number's key, so
// a rotated key shows as an in-place id change, and reports at plan time,
// on the number attribute, a name the provider does not hold, an empty key,
// and a number that another resource of this configuration manages too. It
// also remembers the settle knowledge of the prior private state: this is
// how the apply's provider process learns what earlier applies did.
func (r *multiWebhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	num, ok := r.data.planNumber(ctx, req, resp, "d360_multi_webhook", headersType)
	if !ok {
		return
	}
	rememberSettle(ctx, num.client, req.Private)
	wo, known, diags := writeOnlyFromConfig(req.Config)
	resp.Diagnostics.Append(diags...)
	digests := types.MapUnknown(headersType)
	if known {
		digests = plannedDigests(num.key, wo)
	}
	setPlanned(ctx, &resp.Plan, digestsAttr, digests, &resp.Diagnostics)
}

// digestsAttr is the path of headers_wo_digests.
var digestsAttr = path.Root("headers_wo_digests")

func (r *multiWebhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, timeout, ok := createInputs[multiWebhookModel](ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	saved := r.apply(ctx, multiWebhookApply{plan: plan, config: req.Config, timeout: timeout, action: "Creating", private: resp.Private},
		&resp.Diagnostics)
	setSaved(ctx, &resp.State, saved, &resp.Diagnostics)
}

func (r *multiWebhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, prior, timeout, ok := updateInputs[multiWebhookModel](ctx, req, &resp.Diagnostics)
	if !ok {
		resp.State.Raw = req.State.Raw
		return
	}
	saved := r.apply(ctx, multiWebhookApply{plan: plan, prior: prior, config: req.Config, timeout: timeout, action: "Updating",
		private: resp.Private}, &resp.Diagnostics)
	setSaved(ctx, &resp.State, saved, &resp.Diagnostics)
}

// Delete removes every destination, then disables the feature. A number
// that is already disabled is left as it is: enabling it just to look
// would send its notifications to old destinations.
func (r *multiWebhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var prior multiWebhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := prior.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	saved := r.apply(ctx, multiWebhookApply{prior: &prior, timeout: timeout, action: "Deleting", private: resp.Private}, &resp.Diagnostics)
	setSaved(ctx, &resp.State, saved, &resp.Diagnostics)
}

// ImportState adopts the multi webhook of the number the import ID names
// (see importState).
func (r *multiWebhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, r.data, req, resp, func(ctx context.Context, num *number, diags *diag.Diagnostics) (*multiWebhookModel, bool) {
		observed, ok := readMultiWebhook(ctx, num, defaultReadTimeout, "Error Importing Multi Webhook", diags)
		if !ok {
			return nil, false
		}
		state := multiWebhookModel{ID: types.StringValue(num.client.Fingerprint()), Number: num.nameAttr(),
			Destinations: types.MapNull(destinationType), Digests: emptyDigests(), Timeouts: nullTimeouts()}
		observedMultiWebhookToModel(&state, observed, newSplit(num.key, nil, nil))
		return &state, true
	})
}

func (r *multiWebhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, num, timeout, ok := readInputs[multiWebhookModel](ctx, req, resp, r.data, "Multi Webhook")
	if !ok {
		return
	}
	rememberSettle(ctx, num.client, req.Private)
	observed, ok := readMultiWebhook(ctx, num, timeout, "Error Reading Multi Webhook", &resp.Diagnostics)
	digests, diags := digestsFromModel(ctx, state.Digests)
	resp.Diagnostics.Append(diags...)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	observedMultiWebhookToModel(state, observed, newSplit(num.key, digests, nil))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}
