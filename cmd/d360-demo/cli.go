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
)

// cliRunner runs one Terraform or OpenTofu binary the way a user would,
// with a CLI configuration whose dev_overrides point at the fresh build.
type cliRunner struct {
	path    string
	name    string   // "terraform" or "tofu", for display
	env     []string // the whole environment of every command
	color   bool
	out     *printer
	secrets []string
}

// newCLIRunner writes the CLI configuration and assembles the environment.
// Secrets travel in environment variables, never in arguments, so that
// they do not show in the process list.
func newCLIRunner(out *printer, path, tmp, providerDir string, env map[string]string, secrets []string) (*cliRunner, error) {
	rc := filepath.Join(tmp, "dev.tfrc")
	if err := os.WriteFile(rc, []byte(devoverride.CLIConfig(providerDir)), 0o600); err != nil {
		return nil, fmt.Errorf("writing the CLI configuration: %w", err)
	}
	full := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	for k, v := range env {
		full = append(full, k+"="+v)
	}
	return &cliRunner{
		path: path, name: filepath.Base(path), env: full,
		color: isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "",
		out:   out, secrets: secrets,
	}, nil
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// version returns the first line of `<cli> version`.
func (r *cliRunner) version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, r.path, "version").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", r.name, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return first, nil
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
	filter := &outputFilter{w: r.out.w, secrets: r.secrets}
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
