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
	env := newAccEnv(t, fakeapi.Options{})
	teams := []string{"billing", "sales", "support"}
	keys := map[string]string{}
	for _, team := range teams {
		keys[team] = testKey(t, team)
	}
	ws := clitest.NewWorkspace(t)
	ctx := context.Background()
	config := func(host string) string {
		return clitest.RequiredProviders + env.providerBlock("") + fmt.Sprintf(`
variable "keys" {
  type      = map(string)
  sensitive = true
}

resource "d360_multi_webhook" "each" {
  for_each = toset(%s)
  api_key  = var.keys[each.key]
  destinations = {
    crm = { url = "https://%s/${each.key}" }
  }
}
`, hclList(teams), host)
	}
	writeTFVars(t, ws.Dir, keys)

	for step, host := range []string{"hooks.example.com", "hooks2.example.com"} {
		env.resetLog()
		ws.WriteConfig(config(host))
		ws.Apply(ctx)
		for _, team := range teams {
			if err := env.checkFake(keys[team], true, map[string]dest{"crm": {url: "https://" + host + "/" + team}}); err != nil {
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

// TestAccCLI_secretsNotLogged runs create, plan, update, import and destroy
// at TF_LOG=TRACE and checks that neither the API key nor a header value
// appears in the log, the CLI's output, or the fake's request log.
func TestAccCLI_secretsNotLogged(t *testing.T) {
	skipUnlessAcc(t)
	env := newAccEnv(t, fakeapi.Options{GetFailureRate: 0.2, ChangeFailureRate: 0.2, Seed: 7})
	apiKey := "sk-" + strings.Repeat("S3CR3T", 4)
	headerValue := "Bearer hv-" + strings.Repeat("T0K3N", 4)
	ws := clitest.NewWorkspace(t)
	logPath := filepath.Join(ws.Dir, "trace.log")
	ws.Env = []string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logPath, "D360_API_KEY=" + apiKey}
	ctx := context.Background()
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
`, env.url, url, headerValue)
	}
	var outputs []string
	ws.WriteConfig(config("https://crm.example.com/a"))
	outputs = append(outputs, ws.Apply(ctx).Stdout)
	ws.WriteConfig(config("https://crm.example.com/b"))
	outputs = append(outputs, ws.Apply(ctx).Stdout)
	outputs = append(outputs, ws.MustRun(ctx, "state", "rm", "d360_multi_webhook.test").Stdout)
	outputs = append(outputs, ws.MustRun(ctx, "import", "-no-color", "d360_multi_webhook.test", fakeapi.KeyID(apiKey)).Stdout)
	_, plan := ws.PlanIsEmpty(ctx)
	outputs = append(outputs, plan.Stdout, plan.Stderr)
	outputs = append(outputs, ws.Destroy(ctx).Stdout)

	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logBytes), "sending change") {
		t.Fatal("the trace log holds no provider log lines; the check below would prove nothing")
	}
	haystacks := map[string]string{"TF_LOG_PATH file": string(logBytes), "CLI output": strings.Join(outputs, "\n")}
	for what, text := range haystacks {
		for name, secret := range map[string]string{"API key": apiKey, "header value": headerValue, "header token": "hv-" + strings.Repeat("T0K3N", 4)} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s appears in the %s", name, what)
			}
		}
	}
	t.Logf("checked %d bytes of TRACE log", len(logBytes))
}
