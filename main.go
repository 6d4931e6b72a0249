// Command terraform-provider-d360 serves the d360 provider to Terraform and
// OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/d360-terraform/terraform-provider-d360/internal/pluginlog"
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
	pluginlog.QuietUnlessAsked(provider.TypeName)

	opts := providerserver.ServeOpts{
		Address: registryAddress,
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
