package bench

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// fakeEnv is one fake API served on loopback by the test process.
type fakeEnv struct {
	fake *fakeapi.Server
	url  string
}

// newFakeEnv starts a fake for one benchmark or test.
func newFakeEnv(tb testing.TB, opts fakeapi.Options) *fakeEnv {
	tb.Helper()
	fake := fakeapi.New(opts)
	srv := httptest.NewServer(fake)
	tb.Cleanup(srv.Close)
	return &fakeEnv{fake: fake, url: srv.URL}
}

// setSettle changes how long the fake's changes take to settle, exactly:
// the waiting measures compare against this delay.
func (e *fakeEnv) setSettle(delay time.Duration) {
	e.fake.SetOptions(func(o *fakeapi.Options) { o.SettleDelay, o.SettleJitter = delay, 0 })
}

// workspace is a clitest workspace with the helpers the measures share.
type workspace struct {
	*clitest.Workspace
	tb       testing.TB
	provider string // providerD360 or providerFloor
}

// newWorkspace creates a working directory using the locally built provider.
func newWorkspace(tb testing.TB) *workspace {
	tb.Helper()
	return &workspace{Workspace: clitest.NewWorkspace(tb), tb: tb, provider: providerD360}
}

// timed is a CLI command's result with the moment it ended.
type timed struct {
	clitest.Result
	End time.Time
}

// run runs the CLI and records when it ended.
func (w *workspace) run(args ...string) timed {
	r := w.Run(context.Background(), args...)
	return timed{Result: r, End: time.Now()}
}

// apply runs a non-interactive apply; it does not fail the benchmark.
func (w *workspace) apply(extra ...string) timed {
	return w.run(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
}

// mustApply applies and fails the benchmark on error.
func (w *workspace) mustApply() timed {
	w.tb.Helper()
	r := w.apply()
	if r.Err != nil {
		w.tb.Fatalf("apply: %v\n%s\n%s", r.Err, tail(r.Stdout, 40), tail(r.Stderr, 40))
	}
	return r
}

// planExit runs plan -detailed-exitcode and returns its exit code: 0 for
// no changes, 2 for changes, anything else for an error.
func (w *workspace) planExit() (int, timed) {
	r := w.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if r.Err == nil {
		return 0, r
	}
	var exit *exec.ExitError
	if errors.As(r.Err, &exit) {
		return exit.ExitCode(), r
	}
	return -1, r
}

// mustPlanEmpty fails the benchmark unless plan proposes no change.
func (w *workspace) mustPlanEmpty() timed {
	w.tb.Helper()
	code, r := w.planExit()
	if code != 0 {
		w.tb.Fatalf("plan exit %d, want 0 (no changes):\n%s\n%s", code, tail(r.Stdout, 60), tail(r.Stderr, 40))
	}
	return r
}

// tail keeps the last n lines of s: CLI output can be long.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"[...]"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// Providers the measures run, by the type name of their binary
// (terraform-provider-<name>) and their source address.
const (
	providerD360  = "d360"
	providerFloor = "floor"
)

// helpers builds, once per process, the binaries the measures add to the
// provider: cmd/floorprovider; cmd/rsswrap under both providers' names, a
// stand-in that runs the real binary as its child and records the child's
// peak resident memory and CPU time; and cmd/profprovider, the d360
// provider that can write a CPU profile.
var helpers = struct {
	once sync.Once
	dir  string // floor/ holds the floor provider, wrap/ the wrappers, prof/ the profiling d360 provider
	err  error
}{}

// helperDir builds the helpers if needed and returns their directory.
func helperDir(tb testing.TB) string {
	tb.Helper()
	helpers.once.Do(buildHelpers)
	if helpers.err != nil {
		tb.Fatal(helpers.err)
	}
	return helpers.dir
}

// buildHelpers builds the floor provider and the wrappers.
func buildHelpers() {
	helpers.dir, helpers.err = os.MkdirTemp("", "d360-bench-") //nolint:usetesting // removed by TestMain
	if helpers.err != nil {
		return
	}
	wrap := filepath.Join(helpers.dir, "wrap", "terraform-provider-"+providerD360)
	for pkg, bin := range map[string]string{
		"./cmd/floorprovider": filepath.Join(helpers.dir, "floor", "terraform-provider-"+providerFloor),
		"./cmd/rsswrap":       wrap,
		"./cmd/profprovider":  filepath.Join(helpers.dir, "prof", "terraform-provider-"+providerD360),
	} {
		if msg, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			helpers.err = &buildError{pkg: pkg, err: err, out: string(msg)}
			return
		}
	}
	helpers.err = os.Link(wrap, filepath.Join(helpers.dir, "wrap", "terraform-provider-"+providerFloor))
}

// buildError is a failed go build with its output.
type buildError struct {
	pkg string
	err error
	out string
}

func (e *buildError) Error() string { return "building " + e.pkg + ": " + e.err.Error() + "\n" + e.out }

// writeDevOverrides points the workspace's CLI configuration at dir for
// the provider with source address source.
func (w *workspace) writeDevOverrides(source, dir string) {
	w.tb.Helper()
	rc := devoverride.CLIConfigFor(source, dir)
	if err := os.WriteFile(filepath.Join(w.Dir, "dev.tfrc"), []byte(rc), 0o600); err != nil {
		w.tb.Fatal(err)
	}
}

// newFloorWorkspace creates a working directory using the floor provider.
func newFloorWorkspace(tb testing.TB) *workspace {
	tb.Helper()
	w := newWorkspace(tb)
	w.provider = providerFloor
	w.writeDevOverrides(FloorSource, filepath.Join(helperDir(tb), "floor"))
	return w
}

// useRSSWrapper points the workspace's dev_overrides at the wrapper of its
// provider and returns the file where each provider process's peak RSS
// (KiB) and CPU times are appended, one line per process.
func (w *workspace) useRSSWrapper() string {
	w.tb.Helper()
	dir := helperDir(w.tb)
	out := filepath.Join(w.Dir, "provider-rss.log")
	target := filepath.Join(clitest.ProviderDir(w.tb), "terraform-provider-"+providerD360)
	source := clitest.ProviderSource
	if w.provider == providerFloor {
		target = filepath.Join(dir, "floor", "terraform-provider-"+providerFloor)
		source = FloorSource
	}
	w.writeDevOverrides(source, filepath.Join(dir, "wrap"))
	w.Env = append(w.Env, "D360_RSSWRAP_TARGET="+target, "D360_RSSWRAP_OUT="+out)
	return out
}

// save writes a result for cmd/benchreport, failing the benchmark on error.
func save(tb testing.TB, name string, v any) {
	tb.Helper()
	if err := Save(name, v); err != nil {
		tb.Fatal(err)
	}
}
