package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// TestAccCLI_writeOnlyNotStored applies a write-only header through saved
// plans, changes it, lets it drift and repairs it, then scans the CLI's
// output, the TRACE log, every state file, every saved plan and `show
// -json` for every write-only value: none may appear in any form. The
// values come from an ephemeral variable, as from a secrets manager: a
// literal in the configuration would be in the saved plan's copy of it.
func TestAccCLI_writeOnlyNotStored(t *testing.T) {
	skipUnlessAcc(t)
	if info := clitest.Info(t); !atLeast(info.Version, "1.11") {
		t.Skipf("%s has no write-only attributes", info)
	}
	key := randomSecret(t, "key")
	tokens := map[string]string{"first token": "Bearer " + randomSecret(t, "one"), "second token": "Bearer " + randomSecret(t, "two")}
	r := newCLIRun(t, fakeapi.Options{}, "TF_VAR_numbers="+mustJSON(t, map[string]string{"sales": key}))
	r.ws.WriteConfig(clitest.RequiredProviders + fmt.Sprintf(`
variable "numbers" {
  type      = map(string)
  ephemeral = true
}

variable "crm_token" {
  type      = string
  ephemeral = true
}

provider "d360" {
  base_url = %q
  numbers  = var.numbers
}

resource "d360_multi_webhook" "test" {
  number = "sales"
  destinations = {
    crm = {
      url        = "https://crm.example.com/whatsapp"
      headers    = { X-Env = "prod" }
      headers_wo = { Authorization = var.crm_token }
    }
  }
}
`, r.env.url))
	applyWith := func(token, planFile string) {
		t.Helper()
		r.ws.Env = append(r.ws.Env, "TF_VAR_crm_token="+token)
		r.must("plan", "-input=false", "-no-color", "-out="+planFile)
		r.must("show", "-json", planFile)
		r.must("apply", "-input=false", "-no-color", planFile)
		want := map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"X-Env": "prod", "Authorization": token}}}
		if err := r.env.checkFake(key, true, want); err != nil {
			t.Fatalf("after applying %s: %v", planFile, err)
		}
	}
	applyWith(tokens["first token"], "create.tfplan")
	applyWith(tokens["second token"], "change.tfplan")
	drifted := "Bearer " + randomSecret(t, "drift")
	tokens["drifted value"] = drifted
	r.env.seed(key, true, map[string]dest{"crm": {URL: crm.URL, Headers: map[string]string{"X-Env": "prod", "Authorization": drifted}}})
	if r.planEmpty() {
		t.Fatal("the plan did not show the write-only header changed outside Terraform")
	}
	applyWith(tokens["second token"], "repair.tfplan")
	if !r.planEmpty() {
		t.Fatal("the plan after the repair is not empty")
	}
	r.must("show", "-json")
	r.must("destroy", "-auto-approve", "-input=false", "-no-color")
	tokens["API key"] = key
	r.checkNoSecret(tokens)
}

// mustJSON encodes v for a TF_VAR_ environment variable.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
