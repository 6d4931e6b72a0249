package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client        *client.Client
	apiKey        string // the provider-level key; "" when none is set
	apiKeyUnknown bool   // the provider-level key is computed during plan
	unknownReason string // non-empty when no client could be built yet
}

// missingKeyDetail tells the user every place an API key can come from.
const missingKeyDetail = "No 360dialog API key is set for this phone number. Set api_key on the resource or data " +
	"source, api_key in the provider block, or the " + EnvAPIKey + " environment variable. (A resource just " +
	"imported has no api_key in state until the next apply records it; until then the provider's key is used.)"

// providerDataFrom converts ProviderData, which is nil during validation.
func providerDataFrom(data any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		return nil, diags
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. Please report this to the provider developers.", data))
	}
	return pd, diags
}

// keyInUse resolves the API key for an object: its own api_key wins over
// the provider's. known is false while either is unknown during plan.
func (p *providerData) keyInUse(own types.String) (key string, known bool) {
	if own.IsUnknown() {
		return "", false
	}
	if !own.IsNull() && own.ValueString() != "" {
		return own.ValueString(), true
	}
	if p.apiKeyUnknown {
		return "", false
	}
	return p.apiKey, true
}

// numberFor returns the client handle for the number an object manages, or
// an error diagnostic on the api_key attribute saying what is missing.
func (p *providerData) numberFor(own types.String) (*client.Number, diag.Diagnostics) {
	var diags diag.Diagnostics
	if p.unknownReason != "" {
		diags.AddError("360dialog Provider Not Ready", "Cannot reach 360dialog: "+p.unknownReason+".")
		return nil, diags
	}
	key, known := p.keyInUse(own)
	switch {
	case !known:
		diags.AddAttributeError(path.Root("api_key"), "Unknown 360dialog API Key",
			"The API key for this phone number is not known yet. Apply the resource that produces it first, "+
				"or set it from a variable or the "+EnvAPIKey+" environment variable.")
	case key == "":
		diags.AddAttributeError(path.Root("api_key"), "Missing 360dialog API Key", missingKeyDetail)
	default:
		return p.client.Number(key), diags
	}
	return nil, diags
}

// maskSecrets makes tflog replace every given secret (the API key, header
// values) wherever it would appear in a message or field of this context.
func maskSecrets(ctx context.Context, secrets ...string) context.Context {
	nonEmpty := make([]string, 0, len(secrets))
	for _, s := range secrets {
		if s != "" {
			nonEmpty = append(nonEmpty, s)
		}
	}
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "api_key", "headers")
	if len(nonEmpty) == 0 {
		return ctx
	}
	return tflog.MaskLogStrings(ctx, nonEmpty...)
}

// tflogLogger routes the client's logs to tflog, so they follow TF_LOG and
// the masks set on the context.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}
