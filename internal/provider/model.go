package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// resourceModel maps the d360_multi_webhook resource.
type resourceModel struct {
	ID           types.String   `tfsdk:"id"`
	Number       types.String   `tfsdk:"number"`
	Enabled      types.Bool     `tfsdk:"enabled"`
	Destinations types.Map      `tfsdk:"destinations"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// destinationModel is one element of the destinations map; its name is the
// map key.
type destinationModel struct {
	URL     types.String `tfsdk:"url"`
	Headers types.Map    `tfsdk:"headers"`
}

var (
	headersType          = types.MapType{ElemType: types.StringType}
	destinationAttrTypes = map[string]attr.Type{"url": types.StringType, "headers": headersType}
	destinationType      = types.ObjectType{AttrTypes: destinationAttrTypes}
)

// emptyDestinations and emptyHeaders are the defaults, so that an omitted
// map and an empty one plan the same and never flap.
func emptyDestinations() types.Map {
	return types.MapValueMust(destinationType, map[string]attr.Value{})
}
func emptyHeaders() types.Map { return types.MapValueMust(types.StringType, map[string]attr.Value{}) }

// destinationsFromMap converts the destinations attribute to client values
// keyed by name.
func destinationsFromMap(ctx context.Context, m types.Map) (map[string]client.Destination, diag.Diagnostics) {
	out := map[string]client.Destination{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	var models map[string]destinationModel
	diags := m.ElementsAs(ctx, &models, false)
	for name, dm := range models {
		headers := map[string]string{}
		if !dm.Headers.IsNull() && !dm.Headers.IsUnknown() {
			diags.Append(dm.Headers.ElementsAs(ctx, &headers, false)...)
		}
		out[name] = client.Destination{Name: name, URL: dm.URL.ValueString(), Headers: headers}
	}
	return out, diags
}

// destinationsToMap converts destinations read from the API to the
// attribute value; headers are always a (possibly empty) map.
func destinationsToMap(dests []client.Destination) types.Map {
	elems := make(map[string]attr.Value, len(dests))
	for _, d := range dests {
		headers := make(map[string]attr.Value, len(d.Headers))
		for k, v := range d.Headers {
			headers[k] = types.StringValue(v)
		}
		elems[d.Name] = types.ObjectValueMust(destinationAttrTypes, map[string]attr.Value{
			"url":     types.StringValue(d.URL),
			"headers": types.MapValueMust(types.StringType, headers),
		})
	}
	return types.MapValueMust(destinationType, elems)
}

// sortedDestinations returns a map's destinations ordered by name, so that
// requests and logs are deterministic.
func sortedDestinations(m map[string]client.Destination) []client.Destination {
	out := make([]client.Destination, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// headerValues lists every header value, so they can be masked in logs.
func headerValues(dests map[string]client.Destination) []string {
	var out []string
	for _, d := range dests {
		for _, v := range d.Headers {
			out = append(out, v)
		}
	}
	return out
}

// observedToModel records what the API showed into m. While the feature is
// disabled the API lists no destinations, so the ones m already holds (the
// declared ones) are kept.
func observedToModel(m *resourceModel, observed *client.Config) {
	m.Enabled = types.BoolValue(observed.Enabled)
	if observed.Enabled {
		m.Destinations = destinationsToMap(observed.Destinations)
	} else if m.Destinations.IsNull() || m.Destinations.IsUnknown() {
		m.Destinations = emptyDestinations()
	}
}

// configFromModel is the configuration a model says the number has, used as
// the starting point of an update instead of an extra GET.
func configFromModel(ctx context.Context, m resourceModel) (*client.Config, diag.Diagnostics) {
	dests, diags := destinationsFromMap(ctx, m.Destinations)
	return &client.Config{Enabled: m.Enabled.ValueBool(), Destinations: sortedDestinations(dests)}, diags
}
