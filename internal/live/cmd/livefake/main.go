// Command livefake runs the live acceptance suite (package internal/live)
// against a fake360 process instead of 360dialog, for make test: it proves
// without a key that the suite works end to end, sends nothing without the
// opt-in, and leaves the number as it found it.
//
// It starts fake360 with the readings asked for, checks that the suite
// without the opt-in fails and sends nothing, puts a configuration on a
// number through the public API, runs the suite with the opt-ins, then
// compares the number (hidden destinations and pending changes included,
// through the fake's admin endpoint) with what it was, and the record of
// answers with the one expected.
//
//	go run ./internal/live/cmd/livefake -terraform $(command -v terraform) \
//	    -expect-record internal/live/testdata/fake360.record.json
//	go run ./internal/live/cmd/livefake -terraform $(command -v terraform) -- \
//	    -patch-headers merge -content-type 'text/plain; charset=utf-8'
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/secretscan"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "livefake:", err)
		os.Exit(1)
	}
}

// options is the parsed command line.
type options struct {
	terraform       string
	readings        []string // fake360 flags choosing non-default readings: the arguments after the flags
	seedDisabled    bool
	record          string
	expectRecord    string
	updateRecord    bool
	showDifferences string
	expectBehaviour map[string]string
	timeout         time.Duration
}

// parseFlags reads the command line.
func parseFlags(args []string) (options, error) {
	o := options{expectBehaviour: map[string]string{}}
	fs := flag.NewFlagSet("livefake", flag.ContinueOnError)
	fs.StringVar(&o.terraform, "terraform", "", "the terraform CLI the suite drives (required)")
	fs.BoolVar(&o.seedDisabled, "seed-disabled", false, "start from a disabled number whose destinations survive the disable")
	fs.StringVar(&o.record, "record", "", "where the suite writes its record (default: a temporary file)")
	fs.StringVar(&o.expectRecord, "expect-record", "", "fail unless the record equals this one")
	fs.BoolVar(&o.updateRecord, "update-record", false, "write the record to -expect-record instead of comparing")
	fs.StringVar(&o.showDifferences, "show-differences", "", "print where the record differs from this one")
	fs.Func("expect-behaviour", "question=observed: fail unless the record says so (repeatable)", func(v string) error {
		q, obs, ok := strings.Cut(v, "=")
		if !ok {
			return errors.New("want question=observed")
		}
		o.expectBehaviour[q] = obs
		return nil
	})
	fs.DurationVar(&o.timeout, "timeout", 20*time.Minute, "bound of the whole run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.terraform == "" {
		return o, errors.New("-terraform is required")
	}
	o.readings = fs.Args()
	return o, nil
}

// run carries out one run; see the package comment.
func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "livefake-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.record == "" {
		o.record = filepath.Join(dir, "record.json")
	}
	fake, err := startFake(ctx, dir, o.readings)
	if err != nil {
		return err
	}
	defer fake.stop()
	fmt.Printf("livefake: fake360 at %s with %s\n", fake.url, describeReadings(o.readings))
	if err := checkRefusal(ctx, fake); err != nil {
		return err
	}
	token, err := randomSecret()
	if err != nil {
		return err
	}
	before, err := seed(ctx, fake, token, o.seedDisabled)
	if err != nil {
		return err
	}
	out, err := runSuite(ctx, fake, o)
	if err != nil {
		return err
	}
	if err := checkNoSecret(o.record, out, fake.key, token); err != nil {
		return err
	}
	if err := checkUnchanged(ctx, fake, before); err != nil {
		return err
	}
	fmt.Println("livefake: the number is as it was before the suite, hidden destinations and primary webhook included")
	return checkRecord(o)
}

// describeReadings names the readings for a log line.
func describeReadings(readings []string) string {
	if len(readings) == 0 {
		return "its default readings"
	}
	return strings.Join(readings, " ")
}

// suiteEnv is the environment of a run of the live suite against the fake.
func suiteEnv(fake *fakeProcess, extra ...string) []string {
	env := []string{"D360_LIVE_REQUIRED=1", "D360_BASE_URL=" + fake.url}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "D360_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// goTest runs the live suite's package with env and returns its output.
func goTest(ctx context.Context, env []string, stream io.Writer, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-count=1", "./internal/live"}, args...)...)
	cmd.Env = env
	cmd.Dir = repoRoot()
	var out strings.Builder
	cmd.Stdout = io.MultiWriter(&out, stream)
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	return out.String(), err
}

// checkRefusal runs the suite as make testacc-live does, without the
// opt-in: it must fail, say how to run it, and send nothing.
func checkRefusal(ctx context.Context, fake *fakeProcess) error {
	out, err := goTest(ctx, suiteEnv(fake, "D360_LIVE_API_KEY="+fake.key), io.Discard, "-run", "^TestLive")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return fmt.Errorf("the suite without the opt-in did not fail (%w):\n%s", err, out)
	}
	if !strings.Contains(out, "D360_LIVE=1 D360_LIVE_API_KEY=") {
		return fmt.Errorf("the suite without the opt-in does not say how to run it:\n%s", out)
	}
	n, err := fake.requests(ctx)
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("the suite without the opt-in sent %d requests", n)
	}
	fmt.Println("livefake: without the opt-in the suite failed with how to run it, and sent nothing")
	return nil
}

// runSuite runs the whole live suite with both opt-ins against the fake
// and returns its output.
func runSuite(ctx context.Context, fake *fakeProcess, o options) (string, error) {
	env := suiteEnv(fake, "D360_LIVE=1", "D360_LIVE_PRIMARY=1", "D360_LIVE_API_KEY="+fake.key, "D360_LIVE_RECORD="+o.record,
		"TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+o.terraform)
	out, err := goTest(ctx, env, os.Stdout, "-v", "-timeout", o.timeout.String(), "-run", "^TestLive")
	if err != nil {
		return out, fmt.Errorf("the live suite failed: %w", err)
	}
	if strings.Contains(out, "--- SKIP") {
		return out, errors.New("a live test was skipped; against the fake every test must run")
	}
	return out, nil
}

// checkNoSecret fails when the suite's output or its record holds the key
// or a header value the number had, in any encoding or cut short.
func checkNoSecret(recordPath, out string, secrets ...string) error {
	rec, err := os.ReadFile(recordPath)
	if err != nil {
		return fmt.Errorf("reading the record: %w", err)
	}
	for _, text := range []struct{ name, text string }{{"the suite's output", out}, {"the record", string(rec)}} {
		for i, secret := range secrets {
			if forms := secretscan.Find(text.text, secret); len(forms) > 0 {
				return fmt.Errorf("secret %d of the number appears in %s (%s)", i+1, text.name, strings.Join(forms, ", "))
			}
		}
	}
	fmt.Println("livefake: neither the key nor a header value of the number appears in the suite's output or its record")
	return nil
}

// repoRoot is the repository's top directory: this file's package is
// internal/live/cmd/livefake, and go run starts in the repository.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}

// firstLine reads the first line of r.
func firstLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}
