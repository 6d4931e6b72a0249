// Package pluginlog sets the logging default of a provider process: the
// provider's and the plugin SDK's logs are off unless the user asked for
// logs. The d360 provider and the benchmarks' do-nothing provider share
// it, so that the benchmarks compare like with like.
package pluginlog

import (
	"log"
	"os"
)

// settings are the variables by which a user asks Terraform or OpenTofu
// for logs that include the provider's. Terraform passes its environment to
// the provider process.
var settings = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"}

// QuietUnlessAsked turns the provider's and the plugin SDK's logs off when
// the user asked for none. They default to TRACE and the CLI discards them,
// yet formatting them took about a quarter of the provider's CPU in a
// 300-number plan. Call it before serving.
func QuietUnlessAsked() {
	for _, name := range settings {
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
