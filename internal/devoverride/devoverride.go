// Package devoverride writes the Terraform and OpenTofu CLI configuration
// that points the provider's source address at a local build through
// dev_overrides, so that plan, apply and validate use that build with no
// init and no registry. The CLI tests, the demo and make examples-check
// all take it from here.
package devoverride

import "fmt"

// Source is the provider's address as configurations write it in
// required_providers. dev_overrides matches the address as written, so one
// configuration serves Terraform and OpenTofu alike.
const Source = "d360-terraform/d360"

// CLIConfig returns a CLI configuration whose dev_overrides maps Source to
// dir, the directory holding the terraform-provider-d360 binary; every
// other provider installs as usual. dir is quoted, so spaces, quotes and
// backslashes in it survive.
func CLIConfig(dir string) string {
	return CLIConfigFor(Source, dir)
}

// CLIConfigFor is CLIConfig for the provider with another source address,
// such as the benchmarks' floor provider, whose binary in dir is named
// terraform-provider-<its type name>.
func CLIConfigFor(source, dir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", source, dir)
}
