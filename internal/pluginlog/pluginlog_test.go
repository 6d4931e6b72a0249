package pluginlog

import (
	"os"
	"testing"
)

func TestQuietUnlessAsked(t *testing.T) {
	own := ProviderSetting("d360")
	if own != "TF_LOG_PROVIDER_D360" {
		t.Fatalf("ProviderSetting(d360) = %s", own)
	}
	quieted := []string{"TF_LOG_PROVIDER", own, "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	for _, asked := range append([]string{"", own}, settings...) {
		for _, name := range append([]string{own}, settings...) {
			t.Setenv(name, "")
		}
		if asked != "" {
			t.Setenv(asked, "DEBUG")
		}
		QuietUnlessAsked("d360")
		for _, name := range quieted {
			got := os.Getenv(name)
			switch {
			case asked == "" && got != "OFF":
				t.Errorf("no log asked for: %s=%q, want OFF", name, got)
			case asked != "" && name != asked && got != "":
				t.Errorf("%s asked for: %s=%q, want it left alone", asked, name, got)
			}
		}
		if off := ProviderOff("d360"); off != (asked == "") {
			t.Errorf("asked %q: ProviderOff = %t", asked, off)
		}
	}
}

func TestProviderSettingOfATypeWithADash(t *testing.T) {
	if got := ProviderSetting("my-cloud"); got != "TF_LOG_PROVIDER_MY_CLOUD" {
		t.Errorf("ProviderSetting(my-cloud) = %s", got)
	}
}
