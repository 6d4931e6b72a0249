package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// defaultTimeout bounds create, update and delete when no timeouts block
// says otherwise; each change normally settles within seconds.
const defaultTimeout = 5 * time.Minute

// defaultReadTimeout bounds a refresh, an import and a data source read,
// retries included, so that an API that never answers cannot hang a plan.
const defaultReadTimeout = 2 * time.Minute

// Ensure the implementation satisfies the expected interfaces.
var (
	_ resource.Resource                 = (*multiWebhookResource)(nil)
	_ resource.ResourceWithConfigure    = (*multiWebhookResource)(nil)
	_ resource.ResourceWithImportState  = (*multiWebhookResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*multiWebhookResource)(nil)
	_ resource.ResourceWithUpgradeState = (*multiWebhookResource)(nil)
)

// multiWebhookResource manages the whole multi-webhook configuration of one
// phone number: a singleton per number.
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

// timeoutsSchema is the timeouts attribute with a description of what the
// limits bound.
func timeoutsSchema(ctx context.Context) schema.Attribute {
	nested := timeouts.AttributesAll(ctx).(schema.SingleNestedAttribute) //nolint:forcetypeassert // the library's documented type
	nested.MarkdownDescription = "How long each operation may take in all, including waiting for each change to " +
		"become visible at 360dialog and retries of transient failures. `create`, `update` and `delete` default " +
		"to `5m`; `read` (a refresh) defaults to `2m`. An import reads within `2m`: Terraform gives import no " +
		"configuration to read a timeout from."
	return nested
}

// fingerprintSchema is the computed id of resources and data sources.
func fingerprintSchema(more string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Fingerprint of the number's API key: the first 16 hex digits of its SHA-256. Not " +
			"secret, never the key itself; one of the IDs import accepts. " + more,
		Computed: true,
	}
}

// numberSchema is the `number` attribute of resources.
func numberSchema(verb string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Name of the phone number to " + verb + ": a key of the provider's `numbers` map. " +
			"Omit it for the provider's default number (its `api_key`). The provider holds the number's API key; " +
			"the state never does.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
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
		Validators: []validator.Map{destinationsValidator{}},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"url": schema.StringAttribute{
					MarkdownDescription: "Absolute `https` URL that receives copies of the number's notifications. " +
						"360dialog rejects `_` and an explicit `:port` in the host.",
					Required:   true,
					Validators: []validator.String{webhookURLValidator{}},
				},
				"headers": schema.MapAttribute{
					MarkdownDescription: "HTTP headers sent with every notification, such as `X-Env`. Sensitive, " +
						"but kept in the state; use `headers_wo` for secrets. " + headerRules,
					ElementType: types.StringType,
					Optional:    true,
					Computed:    true,
					Sensitive:   true,
					Default:     mapdefault.StaticValue(emptyHeaders()),
					Validators:  []validator.Map{headersValidator{}},
				},
				"headers_wo": schema.MapAttribute{
					MarkdownDescription: "Write-only HTTP headers sent with every notification, such as " +
						"`Authorization`: their values never reach the state or the plan (Terraform and OpenTofu " +
						"1.11+). A changed value, and a value changed outside Terraform, still show in the plan, " +
						"through `headers_wo_digests`. Names may not also be in `headers` (case ignored). " + headerRules,
					ElementType: types.StringType,
					Optional:    true,
					Sensitive:   true,
					WriteOnly:   true,
					Validators:  []validator.Map{headersValidator{}},
				},
			},
		},
	}
}

// headerRules is what both header maps accept.
const headerRules = "Names are HTTP tokens without `_`, unique ignoring case; values may not contain carriage " +
	"returns, line feeds or NUL characters."

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

func (r *multiWebhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, num, timeout, ok := readInputs[multiWebhookModel](ctx, req, resp, r.data, "Multi Webhook")
	if !ok {
		return
	}
	rememberSettle(ctx, num.client, req.Private)
	cfg, ok := readMultiWebhook(ctx, num, timeout, "Error Reading Multi Webhook", &resp.Diagnostics)
	digests, diags := digestsFromModel(ctx, state.Digests)
	resp.Diagnostics.Append(diags...)
	if !ok || resp.Diagnostics.HasError() {
		return
	}
	observedMultiWebhookToModel(state, cfg, newSplit(num.key, digests, nil))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// nullTimeouts is an absent timeouts attribute of the right type.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}
