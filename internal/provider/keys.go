package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// checkAPIKey finds what would make a key fail in the D360-API-KEY header,
// so that the mistake is reported at plan time with its attribute path,
// instead of as a network error after retries. It never quotes the key.
func checkAPIKey(key string) error {
	switch {
	case client.HasControl(key):
		return errors.New("it contains a line break or another control character")
	case strings.TrimSpace(key) != key:
		return errors.New("it starts or ends with white space")
	}
	return nil
}

// checkNumberEntry checks one entry of the provider's numbers map. Names
// are quoted in messages (they are not secret); keys never are.
func checkNumberEntry(name string, key types.String) []string {
	var problems []string
	if name == "" || client.HasControl(name) {
		problems = append(problems, fmt.Sprintf("The number name %q cannot be used: names must be non-empty and "+
			"free of control characters.", name))
	}
	if key.IsNull() || key.IsUnknown() {
		if key.IsNull() {
			problems = append(problems, fmt.Sprintf("numbers[%q] is null. Set it to the API key of that phone "+
				"number, or leave the name out of the map.", name))
		}
		return problems
	}
	if key.ValueString() == "" {
		problems = append(problems, fmt.Sprintf("numbers[%q] is empty. Set it to the API key of that phone "+
			"number, or leave the name out of the map.", name))
	} else if err := checkAPIKey(key.ValueString()); err != nil {
		problems = append(problems, fmt.Sprintf("The API key of number %q cannot be used: %s. (The key is "+
			"secret and not shown.)", name, err))
	}
	return problems
}

// apiKeyValidator checks api_key at plan time when its value is known.
var apiKeyValidator = rule{
	description: "an API key without control characters or surrounding white space",
	checkString: func(at path.Path, value string, diags *diag.Diagnostics) {
		if err := checkAPIKey(value); err != nil {
			diags.AddAttributeError(at, "Invalid 360dialog API Key",
				"The api_key cannot be used: "+err.Error()+". (The key is secret and not shown.)")
		}
	},
}

// numbersValidator checks every known entry of the numbers map at plan
// time; Configure checks again the values that were unknown here.
var numbersValidator = rule{
	description: "non-empty names, each with a non-empty API key without control characters",
	checkMap: func(at path.Path, elems map[string]attr.Value, diags *diag.Diagnostics) {
		for name, v := range elems {
			key, ok := v.(types.String)
			if !ok {
				continue
			}
			for _, msg := range checkNumberEntry(name, key) {
				diags.AddAttributeError(at.AtMapKey(name), "Invalid Number", msg)
			}
		}
	},
}
