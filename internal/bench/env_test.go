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
	tb testing.TB
}

// newWorkspace creates a working directory using the locally built provider.
func newWorkspace(tb testing.TB) *workspace {
	tb.Helper()
	return &workspace{Workspace: clitest.NewWorkspace(tb), tb: tb}
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
func (w *workspace) planExit(extra ...string) (int, timed) {
	r := w.run(append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, extra...)...)
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
func (w *workspace) mustPlanEmpty(extra ...string) timed {
	w.tb.Helper()
	code, r := w.planExit(extra...)
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

// rssWrapper builds cmd/rsswrap once per process: a stand-in provider
// binary that runs the real one as its child and records the child's peak
// resident memory.
var rssWrapper = struct {
	once sync.Once
	dir  string
	err  error
}{}

// useRSSWrapper points the workspace's dev_overrides at the wrapper and
// returns the file where each provider process's peak RSS (KiB) is
// appended, one line per process.
func (w *workspace) useRSSWrapper() string {
	w.tb.Helper()
	rssWrapper.once.Do(buildRSSWrapper)
	if rssWrapper.err != nil {
		w.tb.Fatal(rssWrapper.err)
	}
	out := filepath.Join(w.Dir, "provider-rss.log")
	rc := "provider_installation {\n  dev_overrides {\n    \"" + clitest.ProviderSource + "\" = \"" + rssWrapper.dir + "\"\n  }\n  direct {}\n}\n"
	if err := os.WriteFile(filepath.Join(w.Dir, "dev.tfrc"), []byte(rc), 0o600); err != nil {
		w.tb.Fatal(err)
	}
	w.Env = append(w.Env,
		"D360_RSSWRAP_TARGET="+filepath.Join(clitest.ProviderDir(w.tb), "terraform-provider-d360"),
		"D360_RSSWRAP_OUT="+out)
	return out
}

// buildRSSWrapper builds the wrapper under the provider's name.
func buildRSSWrapper() {
	rssWrapper.dir, rssWrapper.err = os.MkdirTemp("", "d360-rsswrap-") //nolint:usetesting // removed by TestMain
	if rssWrapper.err != nil {
		return
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(rssWrapper.dir, "terraform-provider-d360"), "./cmd/rsswrap")
	if out, err := cmd.CombinedOutput(); err != nil {
		rssWrapper.err = &buildError{err: err, out: string(out)}
	}
}

// buildError is a failed go build with its output.
type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "building cmd/rsswrap: " + e.err.Error() + "\n" + e.out }

// save writes a result for cmd/benchreport, failing the benchmark on error.
func save(tb testing.TB, name string, v any) {
	tb.Helper()
	if err := Save(name, v); err != nil {
		tb.Fatal(err)
	}
}
