// Package clitest drives a real Terraform or OpenTofu CLI against a locally
// built provider binary through dev_overrides, the way users run it. It
// serves tests that terraform-plugin-testing cannot express (for_each with
// string keys, log capture at TF_LOG=TRACE) and the benchmarks and soak.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
)

// ProviderSource is the address configurations use in required_providers;
// the workspace's dev_overrides map it to the local build.
const ProviderSource = devoverride.Source

// RequiredProviders is the terraform block every configuration starts with.
const RequiredProviders = `terraform {
  required_providers {
    d360 = { source = "` + ProviderSource + `" }
  }
}
`

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// ProviderDir builds the provider binary once per test process and returns
// the directory holding it.
func ProviderDir(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		// One build serves every test of the process, so it outlives any
		// one test's TempDir; RemoveBuild deletes it from TestMain.
		buildDir, buildErr = os.MkdirTemp("", "d360-provider-") //nolint:usetesting // see above
		if buildErr != nil {
			return
		}
		out := filepath.Join(buildDir, "terraform-provider-d360")
		cmd := exec.Command("go", "build", "-o", out, ".")
		cmd.Dir = repoRoot()
		if msg, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %w\n%s", err, msg)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// RemoveBuild deletes the provider build, if any; call it from TestMain
// after m.Run.
func RemoveBuild() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}

// repoRoot is the module root, found from this source file.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CLIPath is the CLI under test: TF_ACC_TERRAFORM_PATH (set by make for each
// supported CLI), else the terraform on PATH.
func CLIPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset")
	}
	return p
}

// Workspace is one working directory with its own CLI configuration.
type Workspace struct {
	t   testing.TB
	Dir string
	CLI string
	// Env is added to every command, after the workspace's own settings.
	Env []string
}

// NewWorkspace creates a working directory whose CLI configuration points
// the provider source at the local build.
func NewWorkspace(t testing.TB) *Workspace {
	t.Helper()
	dir := t.TempDir()
	rc := devoverride.CLIConfig(ProviderDir(t))
	if err := os.WriteFile(filepath.Join(dir, "dev.tfrc"), []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	return &Workspace{t: t, Dir: dir, CLI: CLIPath(t)}
}

// WriteConfig replaces the workspace's main.tf.
func (w *Workspace) WriteConfig(hcl string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Result is what one CLI command printed.
type Result struct {
	Stdout, Stderr string
	Duration       time.Duration
	Err            error
}

// Run executes the CLI with args in the workspace and returns its output;
// it does not fail the test, so callers can assert on errors.
func (w *Workspace) Run(ctx context.Context, args ...string) Result {
	return w.RunInterrupted(ctx, nil, args...)
}

// RunInterrupted is Run that sends the CLI an interrupt (SIGINT, as Ctrl-C
// does) as soon as interrupt, polled every 10 ms, reports true; a nil
// interrupt never does.
func (w *Workspace) RunInterrupted(ctx context.Context, interrupt func() bool, args ...string) Result {
	cmd := exec.CommandContext(ctx, w.CLI, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(w.Dir, "dev.tfrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_LOG=", // callers opt in through Env
	)
	cmd.Env = append(cmd.Env, w.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	err := waitOrInterrupt(cmd, done, interrupt)
	return Result{Stdout: stdout.String(), Stderr: stderr.String(), Duration: time.Since(start), Err: err}
}

// waitOrInterrupt waits for a started command, interrupting it once when
// interrupt first reports true. Without interrupt it only waits: nothing
// needs checking while the command runs.
func waitOrInterrupt(cmd *exec.Cmd, done <-chan error, interrupt func() bool) error {
	if interrupt == nil {
		return <-done
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			if interrupt() {
				_ = cmd.Process.Signal(os.Interrupt)
				return <-done
			}
		}
	}
}

// MustRun runs the CLI and fails the test with its output on error.
func (w *Workspace) MustRun(ctx context.Context, args ...string) Result {
	w.t.Helper()
	r := w.Run(ctx, args...)
	if r.Err != nil {
		w.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(w.CLI), strings.Join(args, " "), r.Err, r.Stdout, r.Stderr)
	}
	return r
}

// Apply runs a non-interactive apply.
func (w *Workspace) Apply(ctx context.Context, extra ...string) Result {
	w.t.Helper()
	return w.MustRun(ctx, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
}

// Destroy runs a non-interactive destroy.
func (w *Workspace) Destroy(ctx context.Context) Result {
	w.t.Helper()
	return w.MustRun(ctx, "destroy", "-auto-approve", "-input=false", "-no-color")
}

// PlanIsEmpty runs plan -detailed-exitcode and reports whether it proposed
// no change (exit 0) rather than changes (exit 2); other failures fail the
// test.
func (w *Workspace) PlanIsEmpty(ctx context.Context, extra ...string) (bool, Result) {
	w.t.Helper()
	r := w.Run(ctx, append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, extra...)...)
	if r.Err == nil {
		return true, r
	}
	var exit *exec.ExitError
	if errors.As(r.Err, &exit) && exit.ExitCode() == 2 {
		return false, r
	}
	w.t.Fatalf("plan: %v\nstdout:\n%s\nstderr:\n%s", r.Err, r.Stdout, r.Stderr)
	return false, r
}

// CLIInfo names the CLI under test and its version, so tests can skip, with
// a reason, what a CLI does not support.
type CLIInfo struct {
	OpenTofu bool
	Version  string // e.g. "1.11.4"
}

// Info asks the CLI for its version.
func Info(t testing.TB) CLIInfo {
	t.Helper()
	cli := CLIPath(t)
	cmd := exec.Command(cli, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	return CLIInfo{OpenTofu: strings.HasPrefix(filepath.Base(cli), "tofu"), Version: v.Version}
}

// String reads like "OpenTofu 1.12.6".
func (c CLIInfo) String() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version
	}
	return "Terraform " + c.Version
}
