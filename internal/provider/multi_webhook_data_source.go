package provider

import (
	"context"

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

// multiWebhookDataSource reads the multi-webhook configuration of a number.
type multiWebhookDataSource struct {
	data *providerData
}

// dataSourceModel maps the d360_multi_webhook data source.
type dataSourceModel struct {
	ID           types.String `tfsdk:"id"`
	APIKey       types.String `tfsdk:"api_key"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	Destinations types.Map    `tfsdk:"destinations"`
}

// NewMultiWebhookDataSource returns the d360_multi_webhook data source.
func NewMultiWebhookDataSource() datasource.DataSource {
	return &multiWebhookDataSource{}
}

func (d *multiWebhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_multi_webhook"
}

func (d *multiWebhookDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the extra webhook destinations (\"multi webhook\") of one 360dialog WhatsApp " +
			"phone number, as 360dialog reports them now.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Fingerprint of the API key in use: the first 16 hex digits of its SHA-256. " +
					"It is the ID to import the number's `d360_multi_webhook` resource with.",
				Computed: true,
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "API key of the phone number to read. Overrides the provider's `api_key`.",
				Optional:            true,
				Sensitive:           true,
			},
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

func (d *multiWebhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	if data != nil {
		d.data = data
	}
}

func (d *multiWebhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config dataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	num, diags := d.data.numberFor(config.APIKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	key, _ := d.data.keyInUse(config.APIKey)
	ctx = maskSecrets(ctx, key)
	cfg, err := num.Get(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Error Reading Multi Webhook", describeAPIError(num, "reading the configuration", err, 0))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, dataSourceFromConfig(config, num.Fingerprint(), cfg))...)
}

// dataSourceFromConfig maps what GET reported into the data source model.
func dataSourceFromConfig(config dataSourceModel, id string, cfg *client.Config) dataSourceModel {
	config.ID = types.StringValue(id)
	config.Enabled = types.BoolValue(cfg.Enabled)
	config.Destinations = types.MapNull(destinationType)
	if cfg.Enabled {
		config.Destinations = destinationsToMap(cfg.Destinations)
	}
	return config
}
