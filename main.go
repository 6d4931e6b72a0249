// Command terraform-provider-d360 serves the d360 provider to Terraform and
// OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/d360-terraform/terraform-provider-d360/internal/provider"
)

// "make generate" formats the examples and regenerates docs/ with the pinned
// tfplugindocs (tools/docs), which make builds and runs with a terraform on
// PATH; "go generate" only formats the examples.
//go:generate terraform fmt -recursive ./examples/

// version is set by the release build (goreleaser) with -ldflags "-X main.version=...".
var version = "dev"

// registryAddress is where the provider is published; users write
// source = "d360-terraform/d360" in required_providers.
const registryAddress = "registry.terraform.io/d360-terraform/d360"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietLogsUnlessAsked()

	opts := providerserver.ServeOpts{
		Address: registryAddress,
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// logSettings are the variables by which a user asks Terraform or OpenTofu
// for logs that include the provider's. Terraform passes its environment to
// the provider process.
var logSettings = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"}

// quietLogsUnlessAsked turns the provider's and the plugin SDK's logs off
// when the user asked for none. They default to TRACE and the CLI discards
// them, yet formatting them took about a quarter of the provider's CPU in a
// 300-number plan (BENCHMARKS.md, section 3).
func quietLogsUnlessAsked() {
	for _, name := range logSettings {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if err := os.Setenv(name, "OFF"); err != nil {
			log.Printf("[WARN] could not set %s: %v", name, err)
		}
	}
}
