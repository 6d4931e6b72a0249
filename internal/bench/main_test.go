package bench

import (
	"os"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
)

// TestMain deletes the provider and wrapper builds the measures made; they
// outlive any one benchmark, so no TempDir can own them.
func TestMain(m *testing.M) {
	code := m.Run()
	clitest.RemoveBuild()
	if rssWrapper.dir != "" {
		_ = os.RemoveAll(rssWrapper.dir)
	}
	os.Exit(code)
}
