// Command floorprovider is the benchmarks' floor: a terraform-plugin-framework
// provider that does nothing, with the schema shape of d360_multi_webhook
// (a map of {url, headers, headers_wo} destinations and a map of header
// digests per instance, in a provider block holding the keys) and the same
// logging default as the d360 provider. Its resource floor_multi_webhook
// stores what it is given and its Read returns the state, so a plan or an
// apply of it costs what any framework provider pays for that schema: the
// process, the RPCs, the framework's conversions. Whatever d360 costs
// beyond it is d360's own. With D360_CPU_PROFILE_DIR set it writes a CPU
// profile of its process (internal/bench/cpuprofile).
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/d360-terraform/terraform-provider-d360/internal/bench/cpuprofile"
	"github.com/d360-terraform/terraform-provider-d360/internal/pluginlog"
)

// registryAddress is the source configurations name in required_providers.
const registryAddress = "registry.terraform.io/d360-terraform/" + typeName

// typeName is the provider's type name, the prefix of its resource.
const typeName = "floor"

func main() {
	stop := cpuprofile.Start(typeName)
	pluginlog.QuietUnlessAsked(typeName)
	err := providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{Address: registryAddress})
	stop()
	if err != nil {
		log.Fatal(err.Error())
	}
}
