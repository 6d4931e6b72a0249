// Package provider implements the d360 Terraform provider: its
// configuration (which holds every API key); the d360_webhook resource and
// data source, for a number's primary webhook; and the d360_multi_webhook
// resource and data source, for its extra destinations. It talks to
// 360dialog only through internal/client and never builds HTTP requests.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/pluginlog"
)

const (
	// TypeName is the provider's type name, the prefix of its resources.
	TypeName = "d360"
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
	Numbers types.Map    `tfsdk:"numbers"`
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
	resp.TypeName = TypeName
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *d360Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the webhooks of 360dialog WhatsApp Cloud API phone numbers: the primary " +
			"webhook that receives every notification (`d360_webhook`), and the extra destinations that " +
			"receive a copy once it has answered 200 (\"multi webhook\", `d360_multi_webhook`).",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "360dialog API key (`D360-API-KEY`) of the default number: the one managed or " +
					"read by resources and data sources that do not set `number`. One key belongs to one phone " +
					"number. Defaults to the `" + EnvAPIKey + "` environment variable. May be ephemeral.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{apiKeyValidator},
			},
			"numbers": schema.MapAttribute{
				MarkdownDescription: "More numbers, by a name of your choosing: `name = API key`. Resources and " +
					"data sources pick one with `number = \"name\"`; import takes the name as its ID. Keys live only " +
					"here: no state, plan or log ever holds one. Values may be ephemeral (Terraform 1.10+, " +
					"OpenTofu 1.11+), for example read from a secrets manager with an ephemeral resource.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				Validators:  []validator.Map{numbersValidator},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the 360dialog Messaging API. Defaults to the `" + EnvBaseURL +
					"` environment variable, then to `" + client.DefaultBaseURL + "`. Must be `https`; plain `http` " +
					"is accepted only for loopback hosts (tests and the built-in fake API). Credentials in the " +
					"URL are refused.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator},
			},
		},
	}
}

// Configure checks the keys the provider holds and builds the API client
// shared by every resource and data source. A key that is unknown during
// plan is not an error here: only the objects that use it wait for it.
func (p *d360Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{}
	data.defaultKey = defaultKeyFrom(config.APIKey, &resp.Diagnostics)
	data.numbers, data.numbersKnown = numbersFrom(config.Numbers, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	baseURL, baseURLUnknown := settingOrEnv(config.BaseURL, EnvBaseURL, client.DefaultBaseURL)
	if baseURLUnknown {
		// The framework way: with an unknown endpoint nothing can be read;
		// resources report it when they need the client.
		data.unknownReason = "the provider's base_url is not known until apply"
		resp.ResourceData, resp.DataSourceData = data, data
		return
	}
	if err := client.CheckBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid 360dialog Base URL", fmt.Sprintf(
			"The base URL %q (from the provider block or %s) cannot be used: %s", client.ShowURL(baseURL), EnvBaseURL, err))
		return
	}
	c, err := client.New(p.newClientOptions(baseURL))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Unable to Create 360dialog API Client", err.Error())
		return
	}
	data.client = c
	tflog.Debug(ctx, "configured 360dialog client", map[string]any{
		"base_url": client.ShowURL(baseURL), "default_number": data.defaultKey.key != "", "numbers": len(data.numbers),
	})
	resp.ResourceData, resp.DataSourceData = data, data
}

// defaultKeyFrom reads api_key, else D360_API_KEY, and checks it. An
// explicit empty api_key means no default number; it never falls back to
// the environment.
func defaultKeyFrom(v types.String, diags *diag.Diagnostics) heldKey {
	key, unknown := settingOrEnv(v, EnvAPIKey, "")
	if unknown {
		return heldKey{}
	}
	if err := checkAPIKey(key); key != "" && err != nil {
		source := "api_key"
		if v.IsNull() {
			source = "the " + EnvAPIKey + " environment variable"
		}
		diags.AddAttributeError(path.Root("api_key"), "Invalid 360dialog API Key",
			"The API key in "+source+" cannot be used: "+err.Error()+". (The key is secret and not shown.)")
	}
	return heldKey{key: key, known: true}
}

// numbersFrom reads the numbers map and checks every key in it. known is
// false while the map itself is unknown during plan.
func numbersFrom(m types.Map, diags *diag.Diagnostics) (map[string]heldKey, bool) {
	out := map[string]heldKey{}
	if m.IsUnknown() {
		return out, false
	}
	for name, v := range m.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() {
			out[name] = heldKey{}
			continue
		}
		at := path.Root("numbers").AtMapKey(name)
		for _, msg := range checkNumberEntry(name, s) {
			diags.AddAttributeError(at, "Invalid Number", msg)
		}
		out[name] = heldKey{key: s.ValueString(), known: true}
	}
	return out, true
}

// newClientOptions assembles the client options, letting tests adjust them.
// While the provider's logs are off, the client gets no logger: it would
// redact and format, for every call, entries that tflog then drops.
func (p *d360Provider) newClientOptions(baseURL string) client.Options {
	opts := client.Options{
		BaseURL:   baseURL,
		UserAgent: "terraform-provider-d360/" + p.version,
	}
	if !pluginlog.ProviderOff(TypeName) {
		opts.Logger = tflogLogger{}
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
	return []func() resource.Resource{NewMultiWebhookResource, NewWebhookResource}
}

// DataSources lists the provider's data sources.
func (p *d360Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewMultiWebhookDataSource, NewWebhookDataSource}
}
