package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ datasource.DataSource              = (*multiWebhookDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*multiWebhookDataSource)(nil)
)

// multiWebhookDataSource reads the multi webhook of a number.
type multiWebhookDataSource struct {
	dataSourceBase
}

// multiWebhookDataSourceModel maps the d360_multi_webhook data source.
type multiWebhookDataSourceModel struct {
	ID           types.String   `tfsdk:"id"`
	Number       types.String   `tfsdk:"number"`
	Enabled      types.Bool     `tfsdk:"enabled"`
	Destinations types.Map      `tfsdk:"destinations"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// NewMultiWebhookDataSource returns the d360_multi_webhook data source.
func NewMultiWebhookDataSource() datasource.DataSource {
	return &multiWebhookDataSource{}
}

func (d *multiWebhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multi_webhook"
}

func (d *multiWebhookDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the extra webhook destinations (\"multi webhook\") of one 360dialog WhatsApp " +
			"phone number, as 360dialog reports them now.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Fingerprint of the number's API key: the first 16 hex digits of its SHA-256. " +
					"Not secret; one of the IDs the number's `d360_multi_webhook` resource can be imported with.",
				Computed: true,
			},
			"number":   dataSourceNumberSchema(),
			"timeouts": dataSourceTimeoutsSchema(ctx),
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the multi-webhook feature is on.",
				Computed:            true,
			},
			"destinations": schema.MapNestedAttribute{
				MarkdownDescription: "Destinations keyed by name. `null` while the feature is disabled, because " +
					"360dialog does not list the destinations of a disabled number; `{}` when it is enabled " +
					"without any.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"url": schema.StringAttribute{
							MarkdownDescription: "URL that receives copies of the number's notifications.",
							Computed:            true,
						},
						"headers": schema.MapAttribute{
							MarkdownDescription: "HTTP headers sent with every notification. Sensitive.",
							ElementType:         types.StringType,
							Computed:            true,
							Sensitive:           true,
						},
					},
				},
			},
		},
	}
}

func (d *multiWebhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, num, timeout, ok := dataSourceInputs[multiWebhookDataSourceModel](ctx, req, resp, d.data)
	if !ok {
		return
	}
	observed, ok := readMultiWebhook(ctx, num, timeout, "Error Reading Multi Webhook", &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, multiWebhookDataSourceFrom(*config, num.client.Fingerprint(), observed))...)
}

// readDestinationsToMap converts destinations read from the API to the
// data source's attribute value.
func readDestinationsToMap(dests []client.Destination) types.Map {
	elems := make(map[string]attr.Value, len(dests))
	for _, d := range dests {
		elems[d.Name] = types.ObjectValueMust(readDestinationAttrTypes, map[string]attr.Value{
			"url": types.StringValue(d.URL), "headers": stringMap(d.Headers),
		})
	}
	return types.MapValueMust(readDestinationType, elems)
}

// multiWebhookDataSourceFrom maps what GET reported into the data source model.
func multiWebhookDataSourceFrom(config multiWebhookDataSourceModel, id string, observed *client.MultiWebhook) multiWebhookDataSourceModel {
	config.ID = types.StringValue(id)
	config.Enabled = types.BoolValue(observed.Enabled)
	config.Destinations = types.MapNull(readDestinationType)
	if observed.Enabled {
		config.Destinations = readDestinationsToMap(observed.Destinations)
	}
	return config
}
