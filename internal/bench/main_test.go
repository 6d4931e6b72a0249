package bench

import (
	"os"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
)

// TestMain deletes the provider and helper builds the measures made; they
// outlive any one benchmark, so no TempDir can own them.
func TestMain(m *testing.M) {
	code := m.Run()
	clitest.RemoveBuild()
	if helpers.dir != "" {
		_ = os.RemoveAll(helpers.dir)
	}
	os.Exit(code)
}
