package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// Ensure the implementation satisfies the expected interfaces.
var (
	_ datasource.DataSource              = (*webhookDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*webhookDataSource)(nil)
)

// webhookDataSource reads the primary webhook of a number.
type webhookDataSource struct {
	dataSourceBase
}

// webhookDataSourceModel maps the d360_webhook data source.
type webhookDataSourceModel struct {
	ID       types.String   `tfsdk:"id"`
	Number   types.String   `tfsdk:"number"`
	URL      types.String   `tfsdk:"url"`
	Headers  types.Map      `tfsdk:"headers"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// NewWebhookDataSource returns the d360_webhook data source.
func NewWebhookDataSource() datasource.DataSource {
	return &webhookDataSource{}
}

func (d *webhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (d *webhookDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the primary webhook of one 360dialog WhatsApp phone number, as 360dialog " +
			"reports it now.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Fingerprint of the number's API key: the first 16 hex digits of its SHA-256.",
				Computed:            true,
			},
			"number": dataSourceNumberSchema(),
			"url": schema.StringAttribute{
				MarkdownDescription: "URL that receives every notification of the number; `null` when the number " +
					"has no primary webhook.",
				Computed: true,
			},
			"headers": schema.MapAttribute{
				MarkdownDescription: "HTTP headers sent with every notification. Sensitive. `null` when the number " +
					"has no primary webhook, or when 360dialog does not show the header values.",
				ElementType: types.StringType,
				Computed:    true,
				Sensitive:   true,
			},
			"timeouts": dataSourceTimeoutsSchema(ctx),
		},
	}
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, num, timeout, ok := dataSourceInputs[webhookDataSourceModel](ctx, req, resp, d.data)
	if !ok {
		return
	}
	observed, ok := readWebhook(ctx, num, timeout, "Error Reading Webhook", &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, webhookDataSourceFrom(*config, num.client.Fingerprint(), observed))...)
}

// webhookDataSourceFrom maps what GET reported into the data source model.
func webhookDataSourceFrom(config webhookDataSourceModel, fingerprint string, observed *client.Webhook) webhookDataSourceModel {
	config.ID = types.StringValue(fingerprint)
	config.URL, config.Headers = types.StringNull(), types.MapNull(types.StringType)
	if observed != nil {
		config.URL = types.StringValue(observed.URL)
		if !observed.HeadersHidden {
			config.Headers = stringMap(observed.Headers)
		}
	}
	return config
}
