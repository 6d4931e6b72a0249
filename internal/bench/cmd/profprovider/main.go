// Command profprovider is the d360 provider, served as the provider's own
// main serves it, that writes a CPU profile of its process when
// D360_CPU_PROFILE_DIR is set (see internal/bench/cpuprofile). The
// benchmarks put it where the CLI looks for terraform-provider-d360 to
// find what a plan costs inside the provider.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/d360-terraform/terraform-provider-d360/internal/bench/cpuprofile"
	"github.com/d360-terraform/terraform-provider-d360/internal/pluginlog"
	"github.com/d360-terraform/terraform-provider-d360/internal/provider"
)

func main() {
	stop := cpuprofile.Start(provider.TypeName)
	pluginlog.QuietUnlessAsked(provider.TypeName)
	err := providerserver.Serve(context.Background(), provider.New("profile"),
		providerserver.ServeOpts{Address: "registry.terraform.io/d360-terraform/d360"})
	stop()
	if err != nil {
		log.Fatal(err.Error())
	}
}
