package devoverride_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
)

// The CLI under test reads the configuration and names the override it
// found in its "development overrides are in effect" warning, which it
// prints before it looks for the binary; so the directory it reports is
// the one it would load the provider from.
func TestCLIReadsTheOverrideDirectory(t *testing.T) {
	cli := clitest.CLIPath(t)
	for _, name := range []string{"plain", "with space", `quote " and \ backslash`, "ünïcode"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			got := overrideSeenBy(t, cli, dir)
			if want := devoverride.Source + " in " + dir; got != want {
				t.Errorf("CLI reports override %q, want %q", got, want)
			}
		})
	}
}

// overrideSeenBy runs validate in a module that requires the provider,
// with devoverride's configuration for dir, and returns the override line
// of the CLI's warning.
func overrideSeenBy(t *testing.T, cli, dir string) string {
	t.Helper()
	ws := t.TempDir()
	rc := filepath.Join(ws, "dev.tfrc")
	write(t, rc, devoverride.CLIConfig(dir))
	write(t, filepath.Join(ws, "main.tf"), clitest.RequiredProviders)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "validate", "-no-color")
	cmd.Dir = ws
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	// validate fails, as there is no binary in dir; only the warning matters.
	out, _ := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if after, ok := strings.CutPrefix(line, " - "); ok && strings.HasPrefix(after, devoverride.Source+" ") {
			return after
		}
	}
	t.Fatalf("no development override reported:\n%s", out)
	return ""
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
