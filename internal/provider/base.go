package provider

import (
	"context"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// resourceBase is embedded by every resource: it keeps what Configure
// received, which is nil during validation.
type resourceBase struct {
	data *providerData
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data, resp.Diagnostics = providerDataFrom(req.ProviderData)
}

// dataSourceBase is resourceBase for data sources.
type dataSourceBase struct {
	data *providerData
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data, resp.Diagnostics = providerDataFrom(req.ProviderData)
}

// timedModel is a model with a number and a timeouts attribute, whose
// value is of type T: resource and data source timeouts differ.
type timedModel[T any] interface {
	timeoutsValue() T
	numberName() types.String
}

func (m *multiWebhookModel) timeoutsValue() timeouts.Value             { return m.Timeouts }
func (m *webhookModel) timeoutsValue() timeouts.Value                  { return m.Timeouts }
func (m *multiWebhookDataSourceModel) timeoutsValue() dstimeouts.Value { return m.Timeouts }
func (m *webhookDataSourceModel) timeoutsValue() dstimeouts.Value      { return m.Timeouts }
func (m *multiWebhookModel) numberName() types.String                  { return m.Number }
func (m *webhookModel) numberName() types.String                       { return m.Number }
func (m *multiWebhookDataSourceModel) numberName() types.String        { return m.Number }
func (m *webhookDataSourceModel) numberName() types.String             { return m.Number }

// readInputs reads what every Read starts from: the prior state, its
// number and the read timeout. ok is false when there is nothing to read:
// an object ImportState read an instant ago (one GET per import), a number
// whose key is not known yet (a warning says so), or an error reported.
// what is the resource's title in messages.
func readInputs[M any, PM interface {
	*M
	timedModel[timeouts.Value]
}](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, data *providerData, what string) (
	state *M, num *number, timeout time.Duration, ok bool) {
	state = new(M)
	resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	if resp.Diagnostics.HasError() || justImported(ctx, req.Private, resp.Private, &resp.Diagnostics) {
		return nil, nil, 0, false
	}
	timeout, diags := PM(state).timeoutsValue().Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	num, known, diags := data.resolve(PM(state).numberName())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !known {
		data.refreshHint(&resp.Diagnostics, known, PM(state).numberName(), what)
		return nil, nil, 0, false
	}
	return state, num, timeout, true
}

// dataSourceInputs reads what every data source's Read starts from: its
// configuration, the read timeout and the number, which must be known
// now. ok is false when an error is reported.
func dataSourceInputs[M any, PM interface {
	*M
	timedModel[dstimeouts.Value]
}](ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, data *providerData) (
	config *M, num *number, timeout time.Duration, ok bool) {
	config = new(M)
	resp.Diagnostics.Append(req.Config.Get(ctx, config)...)
	if resp.Diagnostics.HasError() {
		return nil, nil, 0, false
	}
	timeout, diags := PM(config).timeoutsValue().Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	num, diags = data.mustResolve(PM(config).numberName())
	resp.Diagnostics.Append(diags...)
	return config, num, timeout, !resp.Diagnostics.HasError()
}

// createInputs reads what every Create starts from: the plan and the
// create timeout. ok is false when either could not be read.
func createInputs[M any, PM interface {
	*M
	timedModel[timeouts.Value]
}](ctx context.Context, req resource.CreateRequest, diags *diag.Diagnostics) (plan *M, timeout time.Duration, ok bool) {
	plan = new(M)
	diags.Append(req.Plan.Get(ctx, plan)...)
	if diags.HasError() {
		return nil, 0, false
	}
	timeout, d := PM(plan).timeoutsValue().Create(ctx, defaultTimeout)
	diags.Append(d...)
	return plan, timeout, !diags.HasError()
}

// updateInputs reads what every Update starts from: the plan, the prior
// state and the update timeout. ok is false when any could not be read.
func updateInputs[M any, PM interface {
	*M
	timedModel[timeouts.Value]
}](ctx context.Context, req resource.UpdateRequest, diags *diag.Diagnostics) (plan, prior *M, timeout time.Duration, ok bool) {
	plan, prior = new(M), new(M)
	diags.Append(req.Plan.Get(ctx, plan)...)
	diags.Append(req.State.Get(ctx, prior)...)
	if diags.HasError() {
		return nil, nil, 0, false
	}
	timeout, d := PM(plan).timeoutsValue().Update(ctx, defaultTimeout)
	diags.Append(d...)
	return plan, prior, timeout, !diags.HasError()
}
