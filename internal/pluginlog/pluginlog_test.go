package pluginlog

import (
	"os"
	"testing"
)

func TestQuietUnlessAsked(t *testing.T) {
	quieted := []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	for _, asked := range append([]string{""}, settings...) {
		for _, name := range settings {
			t.Setenv(name, "")
		}
		if asked != "" {
			t.Setenv(asked, "DEBUG")
		}
		QuietUnlessAsked()
		for _, name := range quieted {
			got := os.Getenv(name)
			switch {
			case asked == "" && got != "OFF":
				t.Errorf("no log asked for: %s=%q, want OFF", name, got)
			case asked != "" && name != asked && got != "":
				t.Errorf("%s asked for: %s=%q, want it left alone", asked, name, got)
			}
		}
	}
}
