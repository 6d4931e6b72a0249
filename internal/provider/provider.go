// Package provider implements the d360 Terraform provider: its
// configuration, the d360_multi_webhook resource and data source. It talks
// to 360dialog only through internal/client and never builds HTTP requests.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

const (
	// DefaultBaseURL is 360dialog's Cloud API host.
	DefaultBaseURL = "https://waba-v2.360dialog.io"
	// EnvAPIKey and EnvBaseURL are read when the provider block omits the setting.
	EnvAPIKey  = "D360_API_KEY"
	EnvBaseURL = "D360_BASE_URL"
)

// Ensure the implementation satisfies the expected interfaces.
var _ provider.Provider = (*d360Provider)(nil)

// d360Provider is the provider implementation.
type d360Provider struct {
	version string
	// clientOptions lets tests tune retries and polling of the client the
	// provider builds; nil in production.
	clientOptions func(*client.Options)
}

// providerModel maps the provider block.
type providerModel struct {
	APIKey  types.String `tfsdk:"api_key"`
	BaseURL types.String `tfsdk:"base_url"`
}

// New returns a constructor of the provider for providerserver.Serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &d360Provider{version: version}
	}
}

// Metadata names the provider "d360" and reports its version.
func (p *d360Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "d360"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *d360Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the extra webhook destinations (\"multi webhook\") of 360dialog " +
			"WhatsApp Cloud API phone numbers.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "360dialog API key of a phone number (`D360-API-KEY`). One key belongs to one " +
					"number. Resources and data sources may set their own `api_key`, which takes precedence. " +
					"Defaults to the `" + EnvAPIKey + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the 360dialog Messaging API. Defaults to the `" + EnvBaseURL +
					"` environment variable, then to `" + DefaultBaseURL + "`. Must be `https`; plain `http` " +
					"is accepted only for loopback hosts (tests and the built-in fake API).",
				Optional:   true,
				Validators: []validator.String{baseURLValidator{}},
			},
		},
	}
}

// Configure builds the API client shared by every resource and data source.
// An API key is not required here: resources may carry their own, so a
// missing key is reported only where one is needed.
func (p *d360Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{}
	data.apiKey, data.apiKeyUnknown = settingOrEnv(config.APIKey, EnvAPIKey, "")
	ctx = maskSecrets(ctx, data.apiKey)
	baseURL, baseURLUnknown := settingOrEnv(config.BaseURL, EnvBaseURL, DefaultBaseURL)
	if baseURLUnknown {
		// The framework way: with an unknown endpoint nothing can be read;
		// resources report it when they need the client.
		data.unknownReason = "the provider's base_url is not known until apply"
		resp.ResourceData, resp.DataSourceData = data, data
		return
	}
	if err := checkBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid 360dialog Base URL",
			"The base URL "+baseURL+" (from the provider block or "+EnvBaseURL+") cannot be used: "+err.Error())
		return
	}
	c, err := client.New(p.newClientOptions(baseURL))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Unable to Create 360dialog API Client", err.Error())
		return
	}
	data.client = c
	tflog.Debug(ctx, "configured 360dialog client", map[string]any{"base_url": baseURL, "api_key_set": data.apiKey != ""})
	resp.ResourceData, resp.DataSourceData = data, data
}

// newClientOptions assembles the client options, letting tests adjust them.
func (p *d360Provider) newClientOptions(baseURL string) client.Options {
	opts := client.Options{
		BaseURL:   baseURL,
		UserAgent: "terraform-provider-d360/" + p.version,
		Logger:    tflogLogger{},
	}
	if p.clientOptions != nil {
		p.clientOptions(&opts)
	}
	return opts
}

// settingOrEnv returns the configured value, else the environment variable,
// else the fallback; the boolean reports a value unknown during plan.
func settingOrEnv(v types.String, env, fallback string) (string, bool) {
	if v.IsUnknown() {
		return "", true
	}
	if !v.IsNull() {
		return v.ValueString(), false
	}
	if e, ok := os.LookupEnv(env); ok && e != "" {
		return e, false
	}
	return fallback, false
}

// Resources lists the provider's resources.
func (p *d360Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewMultiWebhookResource}
}

// DataSources lists the provider's data sources.
func (p *d360Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewMultiWebhookDataSource}
}
