package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ resource.Resource                   = (*webhookResource)(nil)
	_ resource.ResourceWithConfigure      = (*webhookResource)(nil)
	_ resource.ResourceWithImportState    = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*webhookResource)(nil)
	_ resource.ResourceWithValidateConfig = (*webhookResource)(nil)
)

// webhookResource manages the primary webhook of one number: where
// 360dialog delivers every notification, before it copies them to the
// multi-webhook destinations.
type webhookResource struct {
	resourceBase
}

// webhookModel maps the d360_webhook resource.
type webhookModel struct {
	ID        types.String   `tfsdk:"id"`
	Number    types.String   `tfsdk:"number"`
	URL       types.String   `tfsdk:"url"`
	Headers   types.Map      `tfsdk:"headers"`
	HeadersWO types.Map      `tfsdk:"headers_wo"`
	Digests   types.Map      `tfsdk:"headers_wo_digests"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (m *webhookModel) setID(id types.String) { m.ID = id }

// NewWebhookResource returns the d360_webhook resource.
func NewWebhookResource() resource.Resource {
	return &webhookResource{}
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the primary webhook of one 360dialog WhatsApp phone number: the URL that " +
			"receives every notification. 360dialog copies a notification to the multi-webhook destinations only " +
			"after the primary webhook answered 200, so a working setup declares both. Create adopts the webhook " +
			"the number has; destroy only forgets it, since 360dialog has no call that removes a primary webhook.",
		Attributes: map[string]schema.Attribute{
			"id":     fingerprintSchema("Changes in place when the number's key changes (key rotation)."),
			"number": numberSchema("configure"),
			"url": schema.StringAttribute{
				MarkdownDescription: "Absolute `https` URL that receives every notification of the number. " +
					"360dialog rejects `_` and an explicit `:port` in the host.",
				Required:   true,
				Validators: []validator.String{webhookURLValidator},
			},
			"headers": headersSchema("", "When 360dialog does not show header values, they cannot be compared and "+
				"are taken as applied. "),
			"headers_wo": headersWOSchema("; changes show through `headers_wo_digests`."),
			"headers_wo_digests": schema.MapAttribute{
				MarkdownDescription: "Digest of each write-only header value, by header name: an HMAC-SHA256 keyed " +
					"with the number's API key, which the state never holds, so it reveals nothing of the value.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"timeouts": timeoutsSchema(ctx),
		},
	}
}

// ValidateConfig refuses a header name in both headers and headers_wo.
func (r *webhookResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var plain, writeOnly types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("headers"), &plain)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("headers_wo"), &writeOnly)...)
	checkHeaderOverlap(plain, writeOnly, path.Root("headers_wo"), "", &resp.Diagnostics)
}

// ModifyPlan sets the planned id and write-only digests, and reports at
// plan time what resolving the number finds wrong, and a number whose
// primary webhook another resource of this configuration manages too.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	num, ok := r.data.planNumber(ctx, req, resp, "d360_webhook", types.StringType)
	if !ok {
		return
	}
	writeOnly, known, diags := webhookWriteOnly(req.Config)
	resp.Diagnostics.Append(diags...)
	digests := types.MapUnknown(types.StringType)
	if known {
		digests = plannedHeaderDigests(num.key, primaryScope, writeOnly)
	}
	setPlanned(ctx, &resp.Plan, digestsAttr, digests, &resp.Diagnostics)
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, timeout, ok := createInputs[webhookModel](ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	saved := r.apply(ctx, webhookApply{plan: plan, config: req.Config, timeout: timeout, action: "Creating"}, &resp.Diagnostics)
	setSaved(ctx, &resp.State, saved, &resp.Diagnostics)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, prior, timeout, ok := updateInputs[webhookModel](ctx, req, &resp.Diagnostics)
	if !ok {
		resp.State.Raw = req.State.Raw
		return
	}
	saved := r.apply(ctx, webhookApply{plan: plan, prior: prior, config: req.Config, timeout: timeout, action: "Updating"},
		&resp.Diagnostics)
	setSaved(ctx, &resp.State, saved, &resp.Diagnostics)
}

// Delete forgets the primary webhook: 360dialog has no call that removes
// one, so it stays as it is, and a warning says so.
func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var prior webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning("Primary Webhook Left in Place", fmt.Sprintf("360dialog has no call that removes "+
		"a primary webhook, so the number with fingerprint %s still delivers its notifications to %s. The "+
		"resource is only removed from the state; point url elsewhere before destroying it to change that.",
		prior.ID.ValueString(), prior.URL.ValueString()))
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, num, timeout, ok := readInputs[webhookModel](ctx, req, resp, r.data, "Webhook")
	if !ok {
		return
	}
	observed, ok := readWebhook(ctx, num, timeout, "Error Reading Webhook", &resp.Diagnostics)
	if !ok {
		return
	}
	if observed == nil {
		// Gone, which only 360dialog support could have done: plan a create.
		resp.State.RemoveResource(ctx)
		return
	}
	digests, diags := flatDigests(ctx, state.Digests)
	resp.Diagnostics.Append(diags...)
	observedWebhookToModel(state, observed, newSplit(num.key, map[string]map[string]string{primaryScope: digests}, nil))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// ImportState adopts the primary webhook of the number the import ID names
// (see importState).
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, r.data, req, resp, func(ctx context.Context, num *number, diags *diag.Diagnostics) (*webhookModel, bool) {
		observed, ok := readWebhook(ctx, num, defaultReadTimeout, "Error Importing Webhook", diags)
		if !ok {
			return nil, false
		}
		if observed == nil {
			diags.AddError("Cannot Import Webhook", fmt.Sprintf("%s has no primary webhook to import. Declare the "+
				"d360_webhook resource without importing: its create sets the webhook.", num))
			return nil, false
		}
		state := webhookModel{ID: types.StringValue(num.client.Fingerprint()), Number: num.nameAttr(),
			Headers: emptyHeaders(), HeadersWO: types.MapNull(types.StringType), Digests: emptyHeaders(), Timeouts: nullTimeouts()}
		observedWebhookToModel(&state, observed, newSplit(num.key, nil, nil))
		return &state, true
	})
}
