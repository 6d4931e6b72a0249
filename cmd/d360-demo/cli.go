package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
	"github.com/hashicorp/go-version"
)

// cliRunner runs one Terraform or OpenTofu binary the way a user would,
// with a CLI configuration whose dev_overrides point at the fresh build.
type cliRunner struct {
	path  string
	name  string // "terraform" or "tofu", for display
	info  cliInfo
	env   []string // the whole environment of every command
	color bool
	out   *printer
	guard *leakGuard
}

// newCLIRunner writes the CLI configuration and assembles the environment.
// Secrets travel in environment variables, never in arguments, so that
// they do not show in the process list. guard checks what every command
// prints and leaves behind.
func newCLIRunner(out *printer, info cliInfo, tmp, providerDir string, env map[string]string, guard *leakGuard) (*cliRunner, error) {
	rc := filepath.Join(tmp, "dev.tfrc")
	if err := os.WriteFile(rc, []byte(devoverride.CLIConfig(providerDir)), 0o600); err != nil {
		return nil, fmt.Errorf("writing the CLI configuration: %w", err)
	}
	full := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	for k, v := range env {
		full = append(full, k+"="+v)
	}
	return &cliRunner{
		path: info.path, name: filepath.Base(info.path), info: info, env: full,
		color: isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "",
		out:   out, guard: guard,
	}, nil
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// cliInfo is what the demo needs to know of its CLI: where it is, and
// what it is, from `<cli> version`.
type cliInfo struct {
	path    string
	product string // "Terraform" or "OpenTofu"
	version *version.Version
	// writeOnly: write-only attributes and ephemeral variables, which
	// Terraform and OpenTofu both have from 1.11 on.
	writeOnly bool
}

// writeOnlySince is the first version of Terraform and of OpenTofu with
// both write-only attributes and ephemeral variables.
var writeOnlySince = version.Must(version.NewVersion("1.11.0"))

// String reads like "OpenTofu 1.12.6".
func (c cliInfo) String() string {
	return c.product + " " + c.version.String()
}

// readVersion asks the CLI at path for its version: the first line of
// `<cli> version`.
func readVersion(ctx context.Context, path string) (cliInfo, error) {
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return cliInfo{}, fmt.Errorf("%s version: %w", filepath.Base(path), err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	c, err := parseVersion(first)
	c.path = path
	return c, err
}

// parseVersion reads the first line of `<cli> version`, such as
// "Terraform v1.11.4" or "OpenTofu v1.12.6".
func parseVersion(line string) (cliInfo, error) {
	product, v, ok := strings.Cut(strings.TrimSpace(line), " v")
	if !ok || product != "Terraform" && product != "OpenTofu" {
		return cliInfo{}, fmt.Errorf("not a Terraform or OpenTofu version: %q", line)
	}
	parsed, err := version.NewVersion(v)
	if err != nil {
		return cliInfo{}, fmt.Errorf("the version of %q: %w", line, err)
	}
	return cliInfo{product: product, version: parsed, writeOnly: parsed.Core().GreaterThanOrEqual(writeOnlySince)}, nil
}

// result is what one command did.
type result struct {
	code   int
	output string
	took   time.Duration
}

// run shows and runs one command in dir and streams its output. An error
// means the command could not run, was interrupted or printed a secret; a
// non-zero exit code is not an error here, callers judge it.
func (r *cliRunner) run(ctx context.Context, dir string, args ...string) (result, error) {
	r.out.command(r.name, args)
	if !r.color {
		args = append(args, "-no-color")
	}
	filter := &outputFilter{w: r.out.w, secrets: r.guard.values()}
	cmd := exec.CommandContext(ctx, r.path, args...)
	cmd.Dir, cmd.Env = dir, r.env
	cmd.Stdout, cmd.Stderr = filter, filter
	isolate(cmd)
	// On Ctrl-C or timeout the CLI is interrupted as a user would, so it can
	// stop its provider; whatever is left after the grace period is killed.
	cmd.Cancel = func() error { return interruptGroup(cmd.Process) }
	cmd.WaitDelay = 20 * time.Second
	start := time.Now()
	err := cmd.Run()
	res := result{took: time.Since(start)}
	if cmd.Process != nil {
		killGroup(cmd.Process) // the CLI's plugins, should any outlive it
	}
	filter.flush()
	res.output = filter.text()
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if filter.leaked {
		return res, fmt.Errorf("%s %s printed a secret of the demo", r.name, args[0])
	}
	r.guard.countOutput()
	if err := r.guard.checkDir(dir); err != nil {
		return res, fmt.Errorf("after %s %s: %w", r.name, args[0], err)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		return res, fmt.Errorf("running %s %s: %w", r.name, args[0], err)
	}
	return res, nil
}

// expect runs a command and fails unless it exits with want. why says what
// the exit code means, for the error message.
func (r *cliRunner) expect(ctx context.Context, dir string, want int, why string, args ...string) (result, error) {
	res, err := r.run(ctx, dir, args...)
	if err != nil {
		return res, err
	}
	if res.code != want {
		return res, fmt.Errorf("%s %s exited with %d, want %d (%s)", r.name, args[0], res.code, want, why)
	}
	return res, nil
}
