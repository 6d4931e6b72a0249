package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// cliRun is one workspace of the real CLI against a fake API, at
// TF_LOG=TRACE, whose every output is kept for a leak scan.
type cliRun struct {
	t    *testing.T
	ctx  context.Context
	env  *accEnv
	ws   *clitest.Workspace
	info clitest.CLIInfo
	scan *leakScan
}

// newCLIRun starts a fake and a workspace logging at TRACE to trace.log.
func newCLIRun(t *testing.T, opts fakeapi.Options, env ...string) *cliRun {
	skipUnlessAcc(t)
	t.Parallel()
	return cliRunOn(t, newAccEnv(t, opts), env...)
}

// cliRunOn is a workspace logging at TRACE to trace.log, using the fake of
// acc, with env added to the CLI's environment.
func cliRunOn(t *testing.T, acc *accEnv, env ...string) *cliRun {
	r := &cliRun{t: t, ctx: context.Background(), env: acc, ws: clitest.NewWorkspace(t), info: clitest.Info(t), scan: newLeakScan(t)}
	r.ws.Env = append([]string{"TF_LOG=TRACE", "TF_LOG_PATH=" + filepath.Join(r.ws.Dir, "trace.log")}, env...)
	return r
}

// writeFile writes a file into the workspace.
func (r *cliRun) writeFile(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.ws.Dir, name), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// must runs a CLI command that must succeed and keeps its output.
func (r *cliRun) must(args ...string) clitest.Result {
	r.t.Helper()
	res := r.ws.MustRun(r.ctx, args...)
	r.scan.add("CLI output", res.Stdout+res.Stderr)
	return res
}

// fails runs a CLI command that must fail with output matching pattern.
func (r *cliRun) fails(pattern string, args ...string) {
	r.t.Helper()
	r.failsWith([]string{pattern}, args...)
}

// failsWith runs a CLI command that must fail with output matching every
// pattern.
func (r *cliRun) failsWith(patterns []string, args ...string) {
	r.t.Helper()
	res := r.ws.Run(r.ctx, args...)
	r.scan.add("CLI output", res.Stdout+res.Stderr)
	if res.Err == nil {
		r.t.Fatalf("%s succeeded, want an error matching %q:\n%s", strings.Join(args, " "), patterns, res.Stdout)
	}
	for _, pattern := range patterns {
		if !wordsRegexp(pattern).MatchString(res.Stdout + res.Stderr) {
			r.t.Fatalf("%s: the error does not match %q:\n%s%s", strings.Join(args, " "), pattern, res.Stdout, res.Stderr)
		}
	}
}

// planEmpty runs a plan and reports whether it proposed no change; when it
// did, the plan is logged.
func (r *cliRun) planEmpty() bool {
	r.t.Helper()
	empty, res := r.ws.PlanIsEmpty(r.ctx)
	r.scan.add("CLI output", res.Stdout+res.Stderr)
	if !empty {
		r.t.Logf("plan:\n%s", res.Stdout)
	}
	return empty
}

// checkNoSecret scans every output, the TRACE log, the state files and
// every saved plan for each secret, raw and encoded.
func (r *cliRun) checkNoSecret(secrets map[string]string) {
	r.t.Helper()
	r.scan.addFiles(r.ws.Dir, "trace.log", readFile)
	r.scan.addFiles(r.ws.Dir, "*.tfstate*", expandState)
	r.scan.addFiles(r.ws.Dir, "*.tfplan", expandPlanFile)
	if !strings.Contains(r.scan.texts["trace.log"], "360dialog API attempt") {
		r.t.Fatal("the trace log holds no provider log line; the scan would prove nothing")
	}
	r.scan.check(secrets)
}

// getsFor counts the GETs one key made since the last resetLog.
func (r *cliRun) getsFor(key string) int {
	return r.env.fake.CountsFor(key)[http.MethodGet]
}

// numbersFileHCL is a provider block that reads its numbers map from
// numbers.json, as a secrets agent writing a file would provide it: a
// file's contents, unlike a variable's value, are not stored in a saved
// plan by any CLI.
func numbersFileHCL(baseURL string) string {
	return clitest.RequiredProviders + fmt.Sprintf(`
provider "d360" {
  base_url = %q
  numbers  = jsondecode(file("${path.module}/numbers.json"))
}
`, baseURL)
}

// TestAccCLI_keysInNoStateOrPlan manages two named numbers and the default
// number through a saved plan, rotates a key, imports a third number by
// name and destroys everything, then scans the CLI's output, the TRACE log,
// every state file and every saved plan for every key: none may appear in
// any form.
func TestAccCLI_keysInNoStateOrPlan(t *testing.T) {
	defaultKey := randomSecret(t, "default-key")
	r := newCLIRun(t, fakeapi.Options{}, "D360_API_KEY="+defaultKey)
	keys := map[string]string{"sales": randomSecret(t, "sales-key"), "support": randomSecret(t, "support-key"), "billing": randomSecret(t, "billing-key")}
	r.writeFile("numbers.json", mustJSON(t, keys))
	r.env.seed(keys["billing"], true, map[string]dest{"crm": {URL: crm.URL}})
	config := numbersFileHCL(r.env.url) + `
resource "d360_multi_webhook" "sales" {
  number       = "sales"
  destinations = { crm = { url = "https://crm.example.com/whatsapp", headers = { X-Team = "sales" } } }
}

resource "d360_multi_webhook" "support" {
  number       = "support"
  destinations = { analytics = { url = "https://analytics.example.com/wa" } }
}

resource "d360_multi_webhook" "default" {
  destinations = { audit = { url = "https://audit.example.com/hook" } }
}
`
	r.ws.WriteConfig(config)
	r.must("plan", "-input=false", "-no-color", "-out=create.tfplan")
	r.must("apply", "-input=false", "-no-color", "create.tfplan")
	r.must("show", "-json")
	r.must("show", "-json", "create.tfplan")

	// Rotate support's key; 360dialog keeps its configuration under the new one.
	rotated := randomSecret(t, "support-rotated")
	r.env.seed(rotated, true, map[string]dest{"analytics": analytics})
	keys["support-old"], keys["support"] = keys["support"], rotated
	r.writeFile("numbers.json", mustJSON(t, map[string]string{"sales": keys["sales"], "support": rotated, "billing": keys["billing"]}))
	r.must("plan", "-input=false", "-no-color", "-out=rotate.tfplan")
	r.must("apply", "-input=false", "-no-color", "rotate.tfplan")

	// Import billing by name with an import block, as a pipeline adopting it.
	r.ws.WriteConfig(config + `
import {
  to = d360_multi_webhook.billing
  id = "billing"
}

resource "d360_multi_webhook" "billing" {
  number       = "billing"
  destinations = { crm = { url = "https://crm.example.com/whatsapp" } }
}
`)
	r.must("plan", "-input=false", "-no-color", "-out=import.tfplan")
	r.must("apply", "-input=false", "-no-color", "import.tfplan")
	if !r.planEmpty() {
		t.Fatal("the plan after import is not empty")
	}
	r.must("destroy", "-auto-approve", "-input=false", "-no-color")
	for name, key := range map[string]string{"sales": keys["sales"], "support": rotated, "billing": keys["billing"], "default": defaultKey} {
		if err := r.env.checkFake(key, false, map[string]dest{}); err != nil {
			t.Errorf("after destroy, %s: %v", name, err)
		}
	}
	keys["default"] = defaultKey
	r.checkNoSecret(keys)
}

// TestAccCLI_importForEach adopts many numbers in one plan, by name, with
// one GET per number: with one import block and for_each where the CLI
// supports it (Terraform and OpenTofu 1.7+), else one import block per
// number. The apply changes nothing and the next plan is empty.
func TestAccCLI_importForEach(t *testing.T) {
	r := newCLIRun(t, fakeapi.Options{})
	names := []string{"n01", "n02", "n03", "n04", "n05", "n06"}
	keys := map[string]string{}
	for _, name := range names {
		keys[name] = randomSecret(t, name+"-key")
		r.env.seed(keys[name], true, map[string]dest{"crm": {URL: "https://crm.example.com/" + name}})
	}
	r.writeFile("numbers.json", mustJSON(t, keys))
	r.ws.WriteConfig(numbersFileHCL(r.env.url) + `
locals {
  numbers = toset(keys(jsondecode(file("${path.module}/numbers.json"))))
}

resource "d360_multi_webhook" "n" {
  for_each     = local.numbers
  number       = each.key
  destinations = { crm = { url = "https://crm.example.com/${each.key}" } }
}
` + importBlocks(r.info, names))
	r.env.resetLog()
	plan := r.must("plan", "-input=false", "-no-color", "-out=import.tfplan")
	if !strings.Contains(plan.Stdout, fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", len(names))) {
		t.Fatalf("the plan does not import every number and only that:\n%s", plan.Stdout)
	}
	for _, name := range names {
		if got := r.getsFor(keys[name]); got != 1 {
			t.Errorf("%s: %d GETs during the import plan, want 1", name, got)
		}
	}
	r.env.resetLog()
	r.must("apply", "-input=false", "-no-color", "import.tfplan")
	if reqs := r.env.fake.Requests(); len(reqs) != 0 {
		t.Errorf("the apply of an import that changes nothing made %d requests (first: %s %s)", len(reqs), reqs[0].Method, reqs[0].Path)
	}
	if !r.planEmpty() {
		t.Fatal("the plan after the import is not empty")
	}
	r.checkNoSecret(keys)
}

// importBlocks adopts every name: one block with for_each where the CLI
// has it, else one block per name.
func importBlocks(info clitest.CLIInfo, names []string) string {
	if atLeast(info.Version, "1.7") {
		return `
import {
  for_each = local.numbers
  to       = d360_multi_webhook.n[each.key]
  id       = each.key
}
`
	}
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "\nimport {\n  to = d360_multi_webhook.n[%q]\n  id = %q\n}\n", name, name)
	}
	return b.String()
}

// TestAccCLI_upgradeFrom01 plans, with 0.2, the state that 0.1.0 wrote
// (testdata/v0.1.0): the plan is empty, the resources' own api_key leaves
// the state, and each number is found by its fingerprint among the keys the
// provider holds. Without the key, the upgrade says what to add.
func TestAccCLI_upgradeFrom01(t *testing.T) {
	const defaultKey, salesKey, emptyKey = "v01-default-key-0123456789", "v01-sales-key-0123456789", "v01-empty-key-0123456789"
	r := newCLIRun(t, fakeapi.Options{}, "D360_API_KEY="+defaultKey)
	r.env.seed(defaultKey, true, map[string]dest{"crm": {URL: "https://crm.example.com/whatsapp", Headers: map[string]string{"Authorization": "Bearer v01-crm-token"}}})
	r.env.seed(salesKey, true, map[string]dest{"analytics": {URL: "https://analytics.example.com/wa"}})
	r.writeFile("terraform.tfstate", v01State(t, r.info))
	config := func(numbers string) string {
		return clitest.RequiredProviders + fmt.Sprintf(`
provider "d360" {
  base_url = %q
  numbers  = %s
}

resource "d360_multi_webhook" "default" {
  destinations = {
    crm = {
      url     = "https://crm.example.com/whatsapp"
      headers = { Authorization = "Bearer v01-crm-token" }
    }
  }
}

resource "d360_multi_webhook" "sales" {
  number = "sales"
  destinations = {
    analytics = { url = "https://analytics.example.com/wa" }
  }
  timeouts = { create = "2m" }
}

resource "d360_multi_webhook" "empty" {
  number  = "empty"
  enabled = false
}
`, r.env.url, numbers)
	}
	r.ws.WriteConfig(config(fmt.Sprintf(`{ empty = %q }`, emptyKey)))
	r.fails(`Cannot Upgrade State Written by 0.1.*provider holds no key with the fingerprint of the one in the state (`+
		fakeapi.Fingerprint(salesKey)+`).*Add that key to the provider's numbers map`, "plan", "-input=false", "-no-color")

	r.ws.WriteConfig(config(fmt.Sprintf(`{ sales = %q, empty = %q }`, salesKey, emptyKey)))
	r.env.resetLog()
	if !r.planEmpty() {
		t.Fatal("the first plan of 0.2 on a 0.1 state is not empty")
	}
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	if err := r.env.checkCalls(nil, false); err != nil {
		t.Errorf("upgrading: %v", err)
	}
	state := readFile(t, filepath.Join(r.ws.Dir, "terraform.tfstate"))
	if strings.Contains(state, `"api_key"`) || !strings.Contains(state, `"number": "sales"`) {
		t.Errorf("the upgraded state still has api_key or lacks number = \"sales\":\n%s", state)
	}
	r.scan.add("upgraded state", expandState(t, filepath.Join(r.ws.Dir, "terraform.tfstate")))
	r.scan.check(map[string]string{"sales key": salesKey, "empty key": emptyKey})
}

// v01State is the state 0.1.0 wrote with the CLI generation under test
// (Terraform before 1.11 records sensitive paths differently), stamped
// with the exact version under test, since a CLI refuses a state from a
// newer release.
func v01State(t *testing.T, info clitest.CLIInfo) string {
	t.Helper()
	file, written := "state.json", "1.11.4"
	if !info.OpenTofu && !atLeast(info.Version, "1.11") {
		file, written = "state-terraform-1.5.7.json", "1.5.7"
	}
	raw := readFile(t, filepath.Join("testdata", "v0.1.0", file))
	return strings.Replace(raw, fmt.Sprintf(`"terraform_version": %q`, written), fmt.Sprintf(`"terraform_version": %q`, info.Version), 1)
}

// TestAccCLI_ephemeralKeys gives the provider its keys only through an
// ephemeral variable, as a secrets manager read with an ephemeral resource
// would, and runs plan, apply of the saved plan, refresh, import and
// destroy with them. Ephemeral values need Terraform 1.10+ or OpenTofu
// 1.11+.
func TestAccCLI_ephemeralKeys(t *testing.T) {
	skipUnlessAcc(t)
	if info := clitest.Info(t); !atLeast(info.Version, "1.10") || info.OpenTofu && !atLeast(info.Version, "1.11") {
		t.Skipf("%s has no ephemeral values", info)
	}
	keys := map[string]string{"sales": randomSecret(t, "sales-key"), "support": randomSecret(t, "support-key")}
	r := newCLIRun(t, fakeapi.Options{}, "TF_VAR_numbers="+mustJSON(t, keys))
	r.env.seed(keys["support"], true, map[string]dest{"crm": {URL: crm.URL}})
	config := clitest.RequiredProviders + fmt.Sprintf(`
variable "numbers" {
  type      = map(string)
  ephemeral = true
  sensitive = true
}

provider "d360" {
  base_url = %q
  numbers  = var.numbers
}

resource "d360_multi_webhook" "sales" {
  number       = "sales"
  destinations = { crm = { url = "https://crm.example.com/whatsapp" } }
}
`, r.env.url)
	r.ws.WriteConfig(config)
	r.must("plan", "-input=false", "-no-color", "-out=create.tfplan")
	r.must("apply", "-input=false", "-no-color", "create.tfplan")
	if err := r.env.checkFake(keys["sales"], true, map[string]dest{"crm": {URL: crm.URL}}); err != nil {
		t.Fatalf("apply of the saved plan: %v", err)
	}
	r.ws.WriteConfig(config + `
resource "d360_multi_webhook" "support" {
  number       = "support"
  destinations = { crm = { url = "https://crm.example.com/whatsapp" } }
}
`)
	r.must("import", "-input=false", "-no-color", "d360_multi_webhook.support", "support")
	r.env.seed(keys["sales"], true, map[string]dest{"crm": {URL: crm.URL}, "drift": {URL: "https://drift.example.com/x"}})
	r.must("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	if state := r.must("show", "-json").Stdout; !strings.Contains(state, "https://drift.example.com/x") {
		t.Error("the refresh with ephemeral keys did not record the drift")
	}
	r.must("apply", "-auto-approve", "-input=false", "-no-color")
	if !r.planEmpty() {
		t.Error("the plan after apply is not empty")
	}
	r.must("destroy", "-auto-approve", "-input=false", "-no-color")
	for name, key := range keys {
		if err := r.env.checkFake(key, false, map[string]dest{}); err != nil {
			t.Errorf("after destroy, %s: %v", name, err)
		}
	}
	r.checkNoSecret(keys)
}
