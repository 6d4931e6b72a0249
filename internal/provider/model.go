package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// multiWebhookModel maps the d360_multi_webhook resource.
type multiWebhookModel struct {
	ID           types.String   `tfsdk:"id"`
	Number       types.String   `tfsdk:"number"`
	Enabled      types.Bool     `tfsdk:"enabled"`
	Destinations types.Map      `tfsdk:"destinations"`
	Digests      types.Map      `tfsdk:"headers_wo_digests"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// destinationModel is one element of the destinations map; its name is the
// map key. HeadersWO is null everywhere but in the configuration.
type destinationModel struct {
	URL       types.String `tfsdk:"url"`
	Headers   types.Map    `tfsdk:"headers"`
	HeadersWO types.Map    `tfsdk:"headers_wo"`
}

var (
	headersType = types.MapType{ElemType: types.StringType}
	// destinationAttrTypes is a destination of the resource.
	destinationAttrTypes = map[string]attr.Type{"url": types.StringType, "headers": headersType, "headers_wo": headersType}
	destinationType      = types.ObjectType{AttrTypes: destinationAttrTypes}
	// readDestinationAttrTypes is a destination as the data source reads it.
	readDestinationAttrTypes = map[string]attr.Type{"url": types.StringType, "headers": headersType}
	readDestinationType      = types.ObjectType{AttrTypes: readDestinationAttrTypes}
)

// emptyHeaders is the default of headers, so that an omitted map and an
// empty one plan the same and never flap.
func emptyHeaders() types.Map { return types.MapValueMust(types.StringType, map[string]attr.Value{}) }

// destinationsFromMap converts the destinations attribute to client values
// keyed by name, adding to each the write-only headers the configuration
// gives it.
func destinationsFromMap(ctx context.Context, m types.Map, writeOnly headerValuesByDestination) (map[string]client.Destination, diag.Diagnostics) {
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
		maps.Copy(headers, writeOnly[name])
		out[name] = client.Destination{Name: name, URL: dm.URL.ValueString(), Headers: headers}
	}
	return out, diags
}

// destinationsToMap converts destinations read from the API to the
// resource's attribute value; headers are always a (possibly empty) map.
func destinationsToMap(dests []client.Destination) types.Map {
	elems := make(map[string]attr.Value, len(dests))
	for _, d := range dests {
		elems[d.Name] = types.ObjectValueMust(destinationAttrTypes, map[string]attr.Value{
			"url":        types.StringValue(d.URL),
			"headers":    stringMap(d.Headers),
			"headers_wo": types.MapNull(types.StringType),
		})
	}
	return types.MapValueMust(destinationType, elems)
}

// stringMap converts a Go map to a map attribute value.
func stringMap(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// sortedDestinations returns a map's destinations ordered by name, so that
// requests and logs are deterministic.
func sortedDestinations(m map[string]client.Destination) []client.Destination {
	out := make([]client.Destination, 0, len(m))
	for _, name := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[name])
	}
	return out
}

// observedMultiWebhookToModel records what the API showed into m; split tells which
// headers are write-only, so that their values become digests instead of
// state. While the feature is disabled the API lists no destinations, so
// the ones m already holds (the declared ones) are kept. An omitted
// destinations attribute (null) and none observed are the same.
func observedMultiWebhookToModel(m *multiWebhookModel, observed *client.MultiWebhook, split writeOnlySplit) {
	m.Enabled = types.BoolValue(observed.Enabled)
	if m.Digests.IsNull() || m.Digests.IsUnknown() {
		m.Digests = emptyDigests()
	}
	if !observed.Enabled {
		return
	}
	kept, digests := split.separate(observed.Destinations)
	m.Digests = digests
	if len(kept) > 0 || !m.Destinations.IsNull() {
		m.Destinations = destinationsToMap(kept)
	}
}

// multiWebhookFromModel is the configuration a model says the number has, used as
// the starting point of an update instead of an extra GET. The values of
// write-only headers are not in the model; split recovers those whose
// digest shows they are what want holds.
func multiWebhookFromModel(ctx context.Context, m multiWebhookModel, split writeOnlySplit, want map[string]client.Destination) (*client.MultiWebhook, diag.Diagnostics) {
	dests, diags := destinationsFromMap(ctx, m.Destinations, nil)
	digests, d := digestsFromModel(ctx, m.Digests)
	diags.Append(d...)
	for name, dest := range dests {
		split.restore(dest.Headers, name, digests[name], want[name].Headers)
	}
	return &client.MultiWebhook{Enabled: m.Enabled.ValueBool(), Destinations: sortedDestinations(dests)}, diags
}
