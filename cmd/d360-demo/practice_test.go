package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// The configuration the demo prints keeps secrets where
// docs/guides/secrets.md says: keys only in the provider, header tokens in
// headers_wo, every secret variable ephemeral, where the CLI has both;
// before, the fallback of sensitive variables and headers. Plain headers
// stay in headers on both.
func TestConfigurationKeepsSecretsWhereTheDocsSay(t *testing.T) {
	for _, tc := range []struct {
		p         practice
		header    string
		ephemeral bool
	}{
		{practice{writeOnly: true}, "headers_wo", true},
		{practice{writeOnly: false}, "headers", false},
	} {
		p := tc.p
		config := p.mainTF(p.threeDestinations()) + "\n" + secondBlock(secondDestinations) + "\n" + p.primaryBlock()
		if got := string(hclwrite.Format([]byte(config))); got != config {
			t.Errorf("writeOnly %t: not as terraform fmt lays it out:\n%s", p.writeOnly, config)
		}
		refs, leaves := readConfig(t, config)
		want := map[string][]string{
			"second_key": {"provider.d360.numbers.second"},
			"crm_token":  {"resource.d360_multi_webhook.support.destinations.crm." + tc.header + ".Authorization"},
			"app_token":  {"resource.d360_webhook.support." + tc.header + ".Authorization"},
		}
		if !maps.EqualFunc(refs, want, slices.Equal) {
			t.Errorf("writeOnly %t: variables used at %v, want %v", p.writeOnly, refs, want)
		}
		for name := range want {
			sensitive, ephemeral := leaves["variable."+name+".sensitive"], leaves["variable."+name+".ephemeral"]
			if sensitive != "true" || (ephemeral == "true") != tc.ephemeral {
				t.Errorf("writeOnly %t: variable %s has sensitive = %q, ephemeral = %q, want sensitive and ephemeral = %t",
					p.writeOnly, name, sensitive, ephemeral, tc.ephemeral)
			}
		}
		for path := range leaves {
			if strings.HasPrefix(path, "provider.") && path != "provider.d360.numbers.second" {
				t.Errorf("writeOnly %t: the provider sets %s; the default key comes from D360_API_KEY", p.writeOnly, path)
			}
		}
		if got := leaves["resource.d360_multi_webhook.support.destinations.crm.headers.X-Env"]; got != `"demo"` {
			t.Errorf("writeOnly %t: the plain header in headers is %q, want \"demo\"", p.writeOnly, got)
		}
	}
}

// readConfig parses config and returns where each variable is used, and
// the HCL source of every value that is no object, both by path: block
// type, labels, then the attribute and object keys leading to the value.
func readConfig(t *testing.T, config string) (refs map[string][]string, leaves map[string]string) {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(config), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("does not parse: %s\n%s", diags, config)
	}
	refs, leaves = map[string][]string{}, map[string]string{}
	body, _ := file.Body.(*hclsyntax.Body)
	for _, block := range body.Blocks {
		path := strings.Join(append([]string{block.Type}, block.Labels...), ".")
		for name, attr := range block.Body.Attributes {
			walk(t, config, path+"."+name, attr.Expr, refs, leaves)
		}
	}
	return refs, leaves
}

// walk records, following object keys from path, the uses of variables in
// expr under refs and the source of every value that is no object under
// leaves.
func walk(t *testing.T, config, path string, expr hclsyntax.Expression, refs map[string][]string, leaves map[string]string) {
	if obj, ok := expr.(*hclsyntax.ObjectConsExpr); ok {
		for _, item := range obj.Items {
			key, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("%s: a key that is not a literal: %s", path, diags)
			}
			walk(t, config, path+"."+key.AsString(), item.ValueExpr, refs, leaves)
		}
		return
	}
	r := expr.Range()
	leaves[path] = config[r.Start.Byte:r.End.Byte]
	for _, tr := range expr.Variables() {
		if attr, ok := tr[len(tr)-1].(hcl.TraverseAttr); ok && tr.RootName() == "var" && len(tr) == 2 {
			refs[attr.Name] = append(refs[attr.Name], path)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		line      string
		name      string
		writeOnly bool
	}{
		{"Terraform v1.11.4", "Terraform 1.11.4", true},
		{"Terraform v1.10.5", "Terraform 1.10.5", false}, // ephemeral variables, but no write-only attributes
		{"Terraform v1.5.7", "Terraform 1.5.7", false},
		{"OpenTofu v1.12.6", "OpenTofu 1.12.6", true},
		{"OpenTofu v1.11.0-beta1", "OpenTofu 1.11.0-beta1", true},
		{"OpenTofu v1.10.7", "OpenTofu 1.10.7", false},
	} {
		got, err := parseVersion(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if got.String() != tc.name || got.writeOnly != tc.writeOnly {
			t.Errorf("%q: %s, writeOnly %t, want %s, %t", tc.line, got, got.writeOnly, tc.name, tc.writeOnly)
		}
	}
	for _, line := range []string{"", "Terraform", "Vault v1.15.0", "Terraform vX"} {
		if _, err := parseVersion(line); err == nil {
			t.Errorf("%q accepted", line)
		}
	}
}
