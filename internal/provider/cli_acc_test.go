package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// skipUnlessAcc keeps the real-CLI tests with the acceptance suite.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
}

// TestAccCLI_forEach manages three numbers from one configuration with
// for_each and a key per number, through the real CLI and a built provider
// (terraform-plugin-testing's legacy state shim cannot hold string-keyed
// instances).
func TestAccCLI_forEach(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	env := newAccEnv(t, fakeapi.Options{})
	teams := []string{"billing", "sales", "support"}
	keys := map[string]string{}
	for _, team := range teams {
		keys[team] = testKey(t, team)
	}
	ws := clitest.NewWorkspace(t)
	ctx := context.Background()
	config := func(host string) string {
		return clitest.RequiredProviders + fmt.Sprintf(`
variable "keys" {
  type      = map(string)
  sensitive = true
}

provider "d360" {
  base_url = %q
  numbers  = var.keys
}

resource "d360_multi_webhook" "each" {
  for_each = toset(%s)
  number   = each.key
  destinations = {
    crm = { url = "https://%s/${each.key}" }
  }
}
`, env.url, hclList(teams), host)
	}
	writeTFVars(t, ws.Dir, keys)

	for step, host := range []string{"hooks.example.com", "hooks2.example.com"} {
		env.resetLog()
		ws.WriteConfig(config(host))
		ws.Apply(ctx)
		for _, team := range teams {
			if err := env.checkFake(keys[team], true, map[string]dest{"crm": {URL: "https://" + host + "/" + team}}); err != nil {
				t.Fatalf("step %d, %s: %v", step+1, team, err)
			}
			counts := env.fake.CountsFor(keys[team])
			if want := map[int]string{0: "POST", 1: "PATCH"}[step]; counts[want] != 1 || mutations(counts) != 1 {
				t.Errorf("step %d, %s: want exactly one %s, got %v", step+1, team, want, counts)
			}
		}
		if empty, r := ws.PlanIsEmpty(ctx); !empty {
			t.Fatalf("step %d: plan after apply is not empty:\n%s", step+1, r.Stdout)
		}
	}
	ws.Destroy(ctx)
	for _, team := range teams {
		if err := env.checkFake(keys[team], false, map[string]dest{}); err != nil {
			t.Errorf("after destroy, %s: %v", team, err)
		}
	}
}

// mutations sums the mutating calls in a per-method count.
func mutations(counts map[string]int) int {
	n := 0
	for _, m := range mutatingMethods {
		n += counts[m]
	}
	return n
}

// hclList renders strings as an HCL list literal.
func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// writeTFVars writes the keys variable to terraform.tfvars in dir.
func writeTFVars(t *testing.T, dir string, keys map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("keys = {\n")
	for team, key := range keys {
		fmt.Fprintf(&b, "  %s = %q\n", team, key)
	}
	b.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAccCLI_secretsNotLogged runs create, update, import, plan, drift and
// destroy at TF_LOG=TRACE while the API fails a fifth of the calls, and
// checks that neither the API key nor a header value appears in the log or
// the CLI's output in any form, nor the key in any state or plan.
func TestAccCLI_secretsNotLogged(t *testing.T) {
	apiKey, header := randomSecret(t, "sk"), "Bearer "+randomSecret(t, "hv")
	r := newCLIRun(t, fakeapi.Options{GetFailureRate: 0.2, ChangeFailureRate: 0.2, Seed: 7}, "D360_API_KEY="+apiKey)
	config := func(url string) string {
		return clitest.RequiredProviders + fmt.Sprintf(`
provider "d360" {
  base_url = %q
}

resource "d360_multi_webhook" "test" {
  destinations = {
    crm = {
      url     = %q
      headers = { Authorization = %q }
    }
  }
}
`, r.env.url, url, header)
	}
	for _, url := range []string{"https://crm.example.com/a", "https://crm.example.com/b"} {
		r.ws.WriteConfig(config(url))
		r.must("apply", "-auto-approve", "-input=false", "-no-color")
	}
	r.must("state", "rm", "d360_multi_webhook.test")
	r.must("import", "-no-color", "d360_multi_webhook.test", fakeapi.Fingerprint(apiKey))
	if !r.planEmpty() {
		t.Error("the plan after import is not empty")
	}
	logged := map[string]string{"API key": apiKey, "header value": header}
	// OpenTofu 1.12 and Terraform 1.5 print the old and new value of a
	// nested attribute that changed during refresh in a [WARN] line,
	// without looking at the nested attribute's sensitivity. The provider
	// cannot keep drift out of that line and still show drift in the plan,
	// so the drift runs where the CLI masks it.
	if info := r.info; !info.OpenTofu && atLeast(info.Version, "1.11") {
		drifted := "Bearer " + randomSecret(t, "dr")
		r.env.fake.SetState(apiKey, fakeapi.State{Enabled: true, Destinations: []fakeapi.Destination{{
			Name: "crm", URL: "https://crm.example.com/b", Headers: map[string]string{"Authorization": drifted},
		}}})
		if r.planEmpty() {
			t.Error("the plan did not show the drifted header")
		}
		logged["drifted header value"] = drifted
	}
	r.must("destroy", "-auto-approve", "-input=false", "-no-color")
	r.checkNoSecret(map[string]string{"API key": apiKey})
	r.scan.check(logged, "CLI output", "trace.log")
}

// atLeast reports whether a "major.minor.patch" version is at least the
// "major.minor" want.
func atLeast(version, want string) bool {
	var gotMajor, gotMinor, major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &gotMajor, &gotMinor); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(want, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return gotMajor > major || gotMajor == major && gotMinor >= minor
}
