// Package pluginlog sets the logging default of a provider process: the
// provider's and the plugin SDK's logs are off unless the user asked for
// logs. The d360 provider and the benchmarks' do-nothing provider share
// it, so that the benchmarks compare like with like.
package pluginlog

import (
	"log"
	"os"
	"slices"
	"strings"
)

// settings are the variables by which a user asks Terraform or OpenTofu
// for logs that include the provider's. Terraform passes its environment to
// the provider process.
var settings = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"}

// sdkLoggers are the plugin SDK's loggers, each with its level variable.
var sdkLoggers = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// ProviderSetting is the variable that sets the level of the provider's own
// logs (tflog) for the provider of type typeName, such as "d360":
// TF_LOG_PROVIDER_D360. terraform-plugin-go reads this one, not
// TF_LOG_PROVIDER, and logs at TRACE without it.
func ProviderSetting(typeName string) string {
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(typeName, "-", "_"))
}

// QuietUnlessAsked turns the logs of the provider of type typeName and of
// the plugin SDK off when the user asked for none. They default to TRACE
// and the CLI discards them, yet formatting them took about a quarter of
// the provider's CPU in a 300-number plan. Call it before serving.
func QuietUnlessAsked(typeName string) {
	own := ProviderSetting(typeName)
	for _, name := range slices.Concat(settings, []string{own}) {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range slices.Concat([]string{"TF_LOG_PROVIDER", own}, sdkLoggers) {
		if err := os.Setenv(name, "OFF"); err != nil {
			log.Printf("[WARN] could not set %s: %v", name, err)
		}
	}
}

// ProviderOff reports whether the logs of the provider of type typeName
// are off, as QuietUnlessAsked leaves them when no log was asked for: then
// tflog writes nothing, and the provider need not build what it would log.
func ProviderOff(typeName string) bool {
	return strings.EqualFold(os.Getenv(ProviderSetting(typeName)), "OFF")
}
