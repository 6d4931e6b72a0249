package provider

import (
	"context"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The attributes that the resources and data sources share.

// defaultTimeout bounds create, update and delete when no timeouts block
// says otherwise; each change normally settles within seconds.
const defaultTimeout = 5 * time.Minute

// defaultReadTimeout bounds a refresh, an import and a data source read,
// retries included, so that an API that never answers cannot hang a plan.
const defaultReadTimeout = 2 * time.Minute

// timeoutsSchema is the timeouts attribute with a description of what the
// limits bound.
func timeoutsSchema(ctx context.Context) schema.Attribute {
	nested := timeouts.AttributesAll(ctx).(schema.SingleNestedAttribute) //nolint:forcetypeassert // the library's documented type
	nested.MarkdownDescription = "How long each operation may take in all, including waiting for each change to " +
		"become visible at 360dialog and retries of transient failures. `create`, `update` and `delete` default " +
		"to `5m`; `read` (a refresh) defaults to `2m`. An import reads within `2m`: Terraform gives import no " +
		"configuration to read a timeout from."
	return nested
}

// fingerprintSchema is the computed id of resources and data sources.
func fingerprintSchema(more string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Fingerprint of the number's API key: the first 16 hex digits of its SHA-256. Not " +
			"secret, never the key itself; one of the IDs import accepts. " + more,
		Computed: true,
	}
}

// numberSchema is the `number` attribute of resources.
func numberSchema(verb string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Name of the phone number to " + verb + ": a key of the provider's `numbers` map. " +
			"Omit it for the provider's default number (its `api_key`). The provider holds the number's API key; " +
			"the state never does.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// headerRules is what both header maps accept.
const headerRules = "Names are HTTP tokens without `_`, unique ignoring case; values may not contain carriage " +
	"returns, line feeds or NUL characters."

// headersSchema is a headers attribute: of d360_webhook, and of each
// destination of d360_multi_webhook. example and note complete its
// description, each empty or a sentence's worth.
func headersSchema(example, note string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: "HTTP headers sent with every notification" + example + ". Sensitive, but kept in the " +
			"state; use `headers_wo` for secrets. " + note + headerRules,
		ElementType: types.StringType,
		Optional:    true,
		Computed:    true,
		Sensitive:   true,
		Default:     mapdefault.StaticValue(emptyHeaders()),
		Validators:  []validator.Map{headersValidator},
	}
}

// headersWOSchema is a headers_wo attribute, the write-only twin of
// headersSchema; howChangesShow completes the sentence on its values.
func headersWOSchema(howChangesShow string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: "Write-only HTTP headers sent with every notification, such as `Authorization`: their " +
			"values never reach the state or the plan (Terraform and OpenTofu 1.11+)" + howChangesShow + " Names may " +
			"not also be in `headers` (case ignored). " + headerRules,
		ElementType: types.StringType,
		Optional:    true,
		Sensitive:   true,
		WriteOnly:   true,
		Validators:  []validator.Map{headersValidator},
	}
}

// nullTimeouts is an absent timeouts attribute of the right type.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

// dataSourceNumberSchema is the `number` attribute of data sources.
func dataSourceNumberSchema() dsschema.StringAttribute {
	return dsschema.StringAttribute{
		MarkdownDescription: "Name of the phone number to read: a key of the provider's `numbers` map. Omit it " +
			"for the provider's default number (its `api_key`). Reading a number that a resource manages is fine.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// dataSourceTimeoutsSchema is the timeouts attribute of data sources.
func dataSourceTimeoutsSchema(ctx context.Context) dsschema.Attribute {
	nested := dstimeouts.Attributes(ctx).(dsschema.SingleNestedAttribute) //nolint:forcetypeassert // the library's documented type
	nested.MarkdownDescription = "How long the read may take, retries of transient failures included. `read` " +
		"defaults to `2m`."
	return nested
}
