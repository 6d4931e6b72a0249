// Command d360-demo tells the provider's story end to end with a real
// Terraform or OpenTofu CLI against the project's fake 360dialog API
// (cmd/fake360) on loopback, and checks every step: `make demo` runs it.
//
// It builds the provider and the fake into a temporary directory, points
// the CLI at the build through dev_overrides, then applies two destinations,
// plans and applies a change, repairs drift made behind Terraform's back,
// imports the number into a fresh state by its fingerprint, imports a second
// number, configured outside Terraform, by its name in the provider's
// numbers, adopts the first number's primary webhook, set outside Terraform,
// with one POST, and destroys everything, which leaves the primary webhook
// in place. After each step it prints the calls the fake API saw, per
// endpoint. It exits non-zero as soon as a step misbehaves, and removes
// every process and file it made, also on Ctrl-C.
//
// Its configuration passes secrets as docs/guides/secrets.md recommends
// wherever the CLI can (Terraform and OpenTofu 1.11 and later): keys only
// in the provider, header secrets in headers_wo, each from an ephemeral
// variable. Older CLIs fall back to sensitive variables and headers, and
// the demo says so. After every command it scans the output, the state
// files and any saved plan for every key and header value, in every
// encoding internal/secretscan knows; only the fallback's states may hold
// header values.
//
//	go run ./cmd/d360-demo -cli "$(command -v terraform)"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// Exit codes: 1 is a failed step, 2 a usage error, 130 an interruption.
const (
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// options is the parsed command line.
type options struct {
	cli         string
	repo        string
	settleDelay time.Duration
	timeout     time.Duration
}

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		os.Exit(exitUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	followParent()
	os.Exit(exitCode(run(ctx, opts, os.Stdout), os.Stderr))
}

// parseFlags reads the command line; it has reported any error itself.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("d360-demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.cli, "cli", "terraform", "Terraform or OpenTofu binary to run (a path, or a name looked up in PATH)")
	fs.StringVar(&o.repo, "repo", ".", "root of the provider's repository, where the provider and the fake are built from")
	fs.DurationVar(&o.settleDelay, "settle-delay", 400*time.Millisecond,
		"how long the fake API takes to apply an accepted change, as 360dialog does asynchronously")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "upper bound of the whole demo")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "d360-demo: unexpected arguments: %v\n", fs.Args())
		return o, errors.New("usage")
	}
	return o, nil
}

// exitCode reports err and maps it to the process's exit code.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, context.Canceled):
		_, _ = fmt.Fprintln(stderr, "\nd360-demo: interrupted; everything the demo started has been stopped and removed")
		return exitInterrupted
	default:
		_, _ = fmt.Fprintf(stderr, "\nd360-demo: FAILED: %v\n", err)
		return exitFailed
	}
}

// run prepares the binaries, the fake API and the CLI, tells the story and
// tears everything down again, whatever happened.
func run(ctx context.Context, opts options, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	start := time.Now()
	out := newPrinter(stdout)
	cliPath, err := resolveCLI(opts.cli)
	if err != nil {
		return err
	}
	cli, err := readVersion(ctx, cliPath)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "d360-demo-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()

	bins, err := buildBinaries(ctx, out, opts.repo, filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	fk, err := startFake(ctx, bins.fake, filepath.Join(tmp, "fake360.log"), opts.settleDelay)
	if err != nil {
		return err
	}
	// Stopped before the deferred RemoveAll runs: defers run last in, first out.
	defer fk.stop()

	d, err := newDemo(out, fk, cli, tmp, bins.dir)
	if err != nil {
		return err
	}
	d.intro(opts.settleDelay)
	if err := d.tell(ctx); err != nil {
		return err
	}
	if err := fk.checkLogHasNoSecrets(d.guard); err != nil {
		return err
	}
	out.summary(d.timings, time.Since(start), d.guard.report(cli))
	return nil
}

// resolveCLI finds the CLI binary, by path or in PATH, and makes the path
// absolute: commands run in other working directories.
func resolveCLI(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("no Terraform or OpenTofu CLI %q: %w", name, err)
	}
	return filepath.Abs(path)
}
