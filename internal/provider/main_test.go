package provider

import (
	"os"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
)

// TestMain removes the provider binary the real-CLI tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	clitest.RemoveBuild()
	os.Exit(code)
}
