package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// defaultTimeout bounds create, update and delete when no timeouts block
// says otherwise; each change normally settles within seconds.
const defaultTimeout = 5 * time.Minute

// Ensure the implementation satisfies the expected interfaces.
var (
	_ resource.Resource                = (*multiWebhookResource)(nil)
	_ resource.ResourceWithConfigure   = (*multiWebhookResource)(nil)
	_ resource.ResourceWithImportState = (*multiWebhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*multiWebhookResource)(nil)
)

// multiWebhookResource manages the whole multi-webhook configuration of one
// phone number: a singleton per API key.
type multiWebhookResource struct {
	data *providerData
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
		MarkdownDescription: "Manages the extra webhook destinations (\"multi webhook\") of one 360dialog WhatsApp " +
			"phone number. The resource owns the number's whole multi-webhook configuration: create adopts " +
			"what is there and reconciles it to the configuration, destroy removes every destination and " +
			"disables the feature. Changes are asynchronous at 360dialog; the provider waits until each one " +
			"is visible before the next.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Fingerprint of the API key in use: the first 16 hex digits of its SHA-256. " +
					"Not secret, never the key itself. Changes (in place) when the key in use changes.",
				Computed: true,
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "API key of the phone number to manage. Overrides the provider's `api_key`, " +
					"so one configuration can manage many numbers with `for_each`.",
				Optional:  true,
				Sensitive: true,
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the multi-webhook feature is on. While `false`, 360dialog cannot " +
					"list destinations; the declared ones stay in state and are reconciled when it is enabled " +
					"again. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"destinations": destinationsSchema(),
			"timeouts":     timeoutsSchema(ctx),
		},
	}
}

// timeoutsSchema is the timeouts attribute with a description of what the
// limits bound.
func timeoutsSchema(ctx context.Context) schema.Attribute {
	attr := timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Delete: true})
	nested, ok := attr.(schema.SingleNestedAttribute)
	if !ok {
		return attr
	}
	nested.MarkdownDescription = "How long create, update and delete may take in all, including waiting for each " +
		"change to become visible at 360dialog and retries of transient failures. Each defaults to `5m`."
	return nested
}

// destinationsSchema describes the map of destinations keyed by name.
func destinationsSchema() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		MarkdownDescription: "Destinations keyed by name (360dialog's case-sensitive unique ID). At most 3. " +
			"Names must be non-empty, without control characters or `/`, and not `.` or `..`. Defaults to none.",
		Optional:   true,
		Computed:   true,
		Default:    mapdefault.StaticValue(emptyDestinations()),
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
					MarkdownDescription: "HTTP headers sent with every notification, such as `Authorization`. " +
						"Sensitive. Names are HTTP tokens without `_`, unique ignoring case; values may not contain " +
						"carriage returns, line feeds or NUL characters.",
					ElementType: types.StringType,
					Optional:    true,
					Computed:    true,
					Sensitive:   true,
					Default:     mapdefault.StaticValue(emptyHeaders()),
					Validators:  []validator.Map{headersValidator{}},
				},
			},
		},
	}
}

func (r *multiWebhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	if data != nil {
		r.data = data
	}
}

// ModifyPlan sets the planned id to the fingerprint of the key in use, so a
// changed key shows as an in-place id change, and reports a missing key at
// plan time instead of during apply.
func (r *multiWebhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var apiKey types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("api_key"), &apiKey)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key, known := r.data.keyInUse(apiKey)
	switch {
	case !known:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), types.StringUnknown())...)
	case key == "":
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing 360dialog API Key", missingKeyDetail)
	default:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), client.Fingerprint(key))...)
	}
}

func (r *multiWebhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, applyRequest{plan: plan, timeout: timeout, action: "Creating", private: resp.Private}, &resp.State, &resp.Diagnostics)
}

func (r *multiWebhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior resourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		resp.State.Raw = req.State.Raw
		return
	}
	r.apply(ctx, applyRequest{plan: plan, prior: &prior, timeout: timeout, action: "Updating", private: resp.Private},
		&resp.State, &resp.Diagnostics)
}

// applyRequest is what Create and Update have in common.
type applyRequest struct {
	plan    resourceModel
	prior   *resourceModel // nil on create
	timeout time.Duration
	action  string       // "Creating" or "Updating", for diagnostics
	private privateState // the resource's private state: what was learnt of 360dialog
}

// privateState is the part of the framework's private state data used here.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// habitsKey names the learnt apiHabits in the private state.
const habitsKey = "api_habits"

// loadHabits reads what earlier applies learnt; nothing learnt is the zero value.
func loadHabits(ctx context.Context, private privateState) (apiHabits, diag.Diagnostics) {
	var habits apiHabits
	raw, diags := private.GetKey(ctx, habitsKey)
	if len(raw) > 0 && json.Unmarshal(raw, &habits) != nil {
		// A value this version cannot read is only a lost optimisation.
		habits = apiHabits{}
	}
	return habits, diags
}

// saveHabits records what this apply learnt.
func saveHabits(ctx context.Context, private privateState, habits apiHabits) diag.Diagnostics {
	raw, err := json.Marshal(habits)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Error Saving Private State", err.Error())
		return diags
	}
	return private.SetKey(ctx, habitsKey, raw)
}

// apply reconciles the number to the plan. On failure the state records
// what actually settled, so the next plan shows exactly the remaining work.
func (r *multiWebhookResource) apply(ctx context.Context, req applyRequest, state *tfsdk.State, diags *diag.Diagnostics) {
	if req.prior != nil {
		// Until something settles, the prior state is the honest answer.
		diags.Append(state.Set(ctx, req.prior)...)
	}
	want, d := desiredFromModel(ctx, req.plan)
	diags.Append(d...)
	num, d := r.data.numberFor(req.plan.APIKey)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	ctx = maskSecrets(ctx, append(headerValues(want.Destinations), r.apiKeyValue(req.plan.APIKey))...)
	ctx, cancel := context.WithTimeout(ctx, req.timeout)
	defer cancel()
	summary := "Error " + req.action + " Multi Webhook"
	unlock, ok := lockNumber(ctx, num, summary, req.timeout, diags)
	if !ok {
		return
	}
	defer unlock()

	observed, err := r.startingPoint(ctx, num, req.prior)
	if err != nil {
		diags.AddError(summary, describeAPIError(num, "reading the current configuration", err, req.timeout))
		return
	}
	habits, d := loadHabits(ctx, req.private)
	diags.Append(d...)
	final, err := reconcile(ctx, num, observed, want, &habits)
	diags.Append(saveHabits(ctx, req.private, habits)...)
	result := req.plan
	result.ID = types.StringValue(num.Fingerprint())
	if err != nil {
		if req.prior != nil {
			result.Destinations = req.prior.Destinations
		}
		observedToModel(&result, final)
		diags.AddError(summary, describeAPIError(num, "applying the plan", err, req.timeout)+
			"\n\nThe state now records what 360dialog shows; the next plan lists the remaining changes.")
	}
	diags.Append(state.Set(ctx, result)...)
}

// lockNumber waits until no other change to the number is in flight in
// this provider process; on failure it reports why under summary.
func lockNumber(ctx context.Context, num *client.Number, summary string, timeout time.Duration, diags *diag.Diagnostics) (func(), bool) {
	unlock, err := num.Lock(ctx)
	if err != nil {
		diags.AddError(summary, describeAPIError(num, "waiting for other changes to the number", err, timeout))
		return nil, false
	}
	return unlock, true
}

// startingPoint is the configuration the changes are planned from. An
// update of the same number starts from the state Terraform just refreshed,
// saving a GET; a create, or a changed key, starts from a fresh read.
func (r *multiWebhookResource) startingPoint(ctx context.Context, num *client.Number, prior *resourceModel) (*client.Config, error) {
	if prior != nil && prior.ID.ValueString() == num.Fingerprint() && !prior.Enabled.IsNull() {
		cfg, diags := configFromModel(ctx, *prior)
		if !diags.HasError() {
			return cfg, nil
		}
	}
	return num.Get(ctx)
}

// apiKeyValue returns the key set on the resource, if any, for masking.
func (r *multiWebhookResource) apiKeyValue(own types.String) string {
	key, _ := r.data.keyInUse(own)
	return key
}

// desiredFromModel turns a planned model into the configuration to apply.
func desiredFromModel(ctx context.Context, m resourceModel) (desiredConfig, diag.Diagnostics) {
	dests, diags := destinationsFromMap(ctx, m.Destinations)
	return desiredConfig{Enabled: m.Enabled.ValueBool(), Destinations: dests}, diags
}

func (r *multiWebhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	num, diags := r.data.numberFor(state.APIKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskSecrets(ctx, r.apiKeyValue(state.APIKey))
	cfg, err := num.Get(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Multi Webhook", describeAPIError(num, "reading the configuration", err, 0))
		return
	}
	observedToModel(&state, cfg)
	if state.Timeouts.IsNull() {
		state.Timeouts = nullTimeouts()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Delete removes every destination, then disables the feature. A number
// that is already disabled is left as it is: enabling it just to look
// would send its notifications to old destinations.
func (r *multiWebhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state resourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	num, diags := r.data.numberFor(state.APIKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = maskSecrets(ctx, r.apiKeyValue(state.APIKey))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	unlock, ok := lockNumber(ctx, num, "Error Deleting Multi Webhook", timeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer unlock()
	observed, err := num.Get(ctx)
	if err == nil {
		// Destroy never enables, so nothing can be learnt or used here.
		observed, err = reconcile(ctx, num, observed, desiredConfig{Purge: true, Destinations: map[string]client.Destination{}}, &apiHabits{})
	}
	if err != nil {
		resp.Diagnostics.AddError("Error Deleting Multi Webhook", describeAPIError(num, "removing the configuration", err, timeout))
		if observed != nil {
			// Keep the resource, recording what is left, so destroy can be retried.
			observedToModel(&state, observed)
			resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		}
	}
}

// ImportState adopts a number by the fingerprint of its key. Terraform does
// not pass the resource's configuration to import, so the key in use is the
// provider's.
func (r *multiWebhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data == nil {
		return
	}
	key, known := r.data.keyInUse(types.StringNull())
	if !known || key == "" {
		resp.Diagnostics.AddError("Missing 360dialog API Key for Import",
			"Importing reads the number with the provider's API key, because Terraform does not pass the "+
				"resource's own api_key to import. Set api_key in the provider block or "+EnvAPIKey+
				" to the key of the number with id "+req.ID+" while importing.")
		return
	}
	if want := client.Fingerprint(key); req.ID != want {
		resp.Diagnostics.AddError("Import ID Does Not Match the API Key",
			fmt.Sprintf("The import ID %q is not the fingerprint of the API key in use (%s). The id of a number "+
				"is the first 16 hex digits of the SHA-256 of its API key, e.g. "+
				"`printf %%s \"$D360_API_KEY\" | sha256sum | cut -c1-16`; import with that key set in the "+
				"provider block or %s.", req.ID, want, EnvAPIKey))
		return
	}
	// Read the number here rather than leaving it to the refresh that
	// follows: a refresh that fills in values makes Terraform 1.5 and
	// OpenTofu log them at WARN, nested sensitive headers included.
	ctx = maskSecrets(ctx, key)
	num, diags := r.data.numberFor(types.StringNull())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, err := num.Get(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Error Importing Multi Webhook", describeAPIError(num, "reading the configuration", err, 0))
		return
	}
	state := resourceModel{ID: types.StringValue(req.ID), APIKey: types.StringNull(), Timeouts: nullTimeouts()}
	observedToModel(&state, cfg)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// nullTimeouts is an absent timeouts attribute of the right type.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

// describeAPIError explains a failed step in the API's own words, naming
// the number by its fingerprint and, for a timeout, what was awaited.
func describeAPIError(num *client.Number, doing string, err error, timeout time.Duration) string {
	var waitErr *client.WaitTimeoutError[*client.Config]
	if errors.As(err, &waitErr) {
		return fmt.Sprintf("While %s of the number with id %s: %s. The timeout is %s; raise it with the "+
			"timeouts attribute if 360dialog is slow today.", doing, num.Fingerprint(), err, timeout)
	}
	if client.IsAuth(err) {
		return fmt.Sprintf("While %s of the number with id %s: %s. 360dialog rejected the API key. If it was "+
			"rotated and the old key revoked: a resource's own api_key is read from state during refresh, so "+
			"set the new key and run `terraform apply -refresh=false` once.", doing, num.Fingerprint(), err)
	}
	return fmt.Sprintf("While %s of the number with id %s: %s", doing, num.Fingerprint(), err)
}
