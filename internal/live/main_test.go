package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/record"
)

// suite is this process's live run; nil unless a person opted in, and
// then the TestLive tests skip.
var suite *liveSuite

// liveSuite is what the live tests share.
type liveSuite struct {
	settings settings
	num      *client.Number
	record   *record.Record
	snap     *snapshot
	// primaryURL is the URL the primary-webhook tests may set; "" when
	// they are skipped (snap.primarySkip says why).
	primaryURL string
}

// liveRun returns the live run, or skips the test when there is none.
func liveRun(t *testing.T) *liveSuite {
	t.Helper()
	if suite == nil {
		t.Skip("the live suite runs only when a person opts in: see make testacc-live")
	}
	return suite
}

// Bounds of the work around the tests.
const (
	snapshotTimeout = 5 * time.Minute
	restoreTimeout  = 10 * time.Minute
)

func init() {
	resource.AddTestSweepers("d360_multi_webhook", &resource.Sweeper{Name: "d360_multi_webhook", F: sweepDestinations})
}

// TestMain runs the sweeper (-sweep) or the tests. Without the opt-in the
// TestLive tests skip, unless make testacc-live asked for them
// (D360_LIVE_REQUIRED=1): then it sends nothing and exits 2 with how to run
// them.
func TestMain(m *testing.M) {
	resource.TestMain(mainRun{m: m})
}

// mainRun wraps the tests with the snapshot and the restore.
type mainRun struct{ m *testing.M }

// Run runs the tests; see TestMain.
func (r mainRun) Run() int {
	s, err := settingsFrom(os.Getenv)
	switch {
	case errors.Is(err, errNoOptIn) && os.Getenv(envRequired) != "1":
		return r.m.Run()
	case err != nil:
		reportSettings(err)
		return 2
	}
	return runLive(r.m, s, os.Stdout)
}

// reportSettings says why the suite cannot run: how to opt in, or what is
// wrong with the settings.
func reportSettings(err error) {
	if errors.Is(err, errNoOptIn) {
		fmt.Fprintln(os.Stderr, howToRun)
		return
	}
	fmt.Fprintln(os.Stderr, err)
}

// runLive announces what the suite will touch, records what the number
// has, runs the tests and puts the number back.
func runLive(m *testing.M, s settings, out io.Writer) int {
	num, err := newNumber(s)
	if err != nil {
		fmt.Fprintln(out, "live:", err)
		return 2
	}
	announce(out, s, num)
	ctx, cancel := context.WithTimeout(context.Background(), snapshotTimeout)
	snap, err := takeSnapshot(ctx, num, s)
	cancel()
	if err != nil {
		fmt.Fprintln(out, "live: reading what the number has failed; nothing was run:", err)
		return 1
	}
	suite = &liveSuite{settings: s, num: num, record: record.New(), snap: snap}
	suite.primaryURL = primaryURL(s, snap)
	describeSnapshot(out, snap)
	stop := restoreOnSignal(out, num, snap)
	code := m.Run()
	stop()
	if !putBack(out, num, snap) {
		code = 1
	}
	if err := saveRecord(s.recordPath, suite.record); err != nil {
		fmt.Fprintln(out, "live:", err)
		code = 1
	}
	return code
}

// newNumber is the client of the number the suite may change, with the
// provider's own defaults.
func newNumber(s settings) (*client.Number, error) {
	c, err := client.New(client.Options{BaseURL: s.baseURL, UserAgent: "terraform-provider-d360-live-suite"})
	if err != nil {
		return nil, err
	}
	return c.Number(s.key), nil
}

// announce says which number the suite changes, and what of it, before it
// sends anything.
func announce(out io.Writer, s settings, num *client.Number) {
	fmt.Fprintf(out, "live: number %s at %s\n", num.Fingerprint(), hostOf(s.baseURL))
	fmt.Fprintf(out, "live: multi webhook: destinations named %s* pointing at %s are added, changed and removed, and the\n"+
		"  feature is disabled and enabled; the number's own destinations are removed while the suite runs, and\n"+
		"  everything is put back at the end (a disabled number is enabled once first, to see what it keeps)\n",
		namePrefix, hostOf(s.destinationURL))
	if !s.primary {
		fmt.Fprintf(out, "live: primary webhook: left alone (set %s=1 to include it)\n", envPrimary)
		return
	}
	fmt.Fprintln(out, "live: primary webhook: its url and headers are changed while the suite runs (the number's notifications\n"+
		"  go to the test URL meanwhile) and put back at the end")
}

// describeSnapshot says what was found, without any value.
func describeSnapshot(out io.Writer, snap *snapshot) {
	fmt.Fprintf(out, "live: found the multi webhook enabled=%t with %d destinations\n", snap.enabled, len(snap.destinations))
	if suite.primaryURL == "" {
		fmt.Fprintf(out, "live: primary webhook tests skipped: %s\n", snap.primarySkip)
		return
	}
	fmt.Fprintf(out, "live: primary webhook tests set it to a URL at %s\n", hostOf(suite.primaryURL))
}

// primaryURL is the URL the primary-webhook tests set: the one given, or
// the number's current one with a query parameter, so that notifications
// keep reaching the same receiver. It is "" (and snap.primarySkip says
// why) when there is none to use.
func primaryURL(s settings, snap *snapshot) string {
	if snap.primarySkip != "" {
		return ""
	}
	if snap.webhook == nil {
		snap.primarySkip = "the number has no primary webhook, and 360dialog has no call that removes one: the suite could not put it back"
		return ""
	}
	if s.webhookURL != "" {
		return s.webhookURL
	}
	if checkHTTPS("the current primary webhook URL", snap.webhook.URL) != nil {
		// A query or userinfo may hold credentials, which would then show
		// in plans.
		snap.primarySkip = fmt.Sprintf("the number's primary webhook URL has a query or credentials: set %s", envWebhookURL)
		return ""
	}
	return snap.webhook.URL
}

// restoreOnSignal puts the number back and exits when the process is
// interrupted; the returned function stops watching.
func restoreOnSignal(out io.Writer, num *client.Number, snap *snapshot) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			fmt.Fprintln(out, "live: interrupted; putting the number back")
			putBack(out, num, snap)
			os.Exit(1)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// putBack restores the number and says whether it is as it was.
func putBack(out io.Writer, num *client.Number, snap *snapshot) bool {
	ctx, cancel := context.WithTimeout(context.Background(), restoreTimeout)
	defer cancel()
	if err := restore(ctx, num, snap); err != nil {
		fmt.Fprintln(out, "live: the number was NOT put back as it was:", err)
		fmt.Fprintln(out, "live: make sweep-live removes leftover destinations named "+namePrefix+"*")
		return false
	}
	fmt.Fprintln(out, "live: the number is as it was before the suite")
	return true
}

// saveRecord writes the record of answers, when the probes made one.
func saveRecord(path string, rec *record.Record) error {
	if rec.Empty() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing the record: %w", err)
	}
	if err := rec.Save(path); err != nil {
		return err
	}
	fmt.Println("live: wrote the record of 360dialog's answers to", path)
	return nil
}

// sweepDestinations removes the destinations the suite creates
// (namePrefix) from the number, for make sweep-live.
func sweepDestinations(string) error {
	s, err := settingsFrom(os.Getenv)
	if err != nil {
		reportSettings(err)
		return err
	}
	num, err := newNumber(s)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), restoreTimeout)
	defer cancel()
	fmt.Printf("sweep: number %s at %s: removing destinations named %s*\n", num.Fingerprint(), hostOf(s.baseURL), namePrefix)
	cfg, err := num.GetMultiWebhook(ctx)
	if err != nil {
		return err
	}
	if !cfg.Enabled {
		fmt.Println("sweep: the multi webhook is disabled, and 360dialog hides a disabled number's destinations: nothing to sweep")
		return nil
	}
	for _, d := range cfg.Destinations {
		if !strings.HasPrefix(d.Name, namePrefix) {
			continue
		}
		if err := deleteDestination(ctx, num, d.Name); err != nil {
			return err
		}
		fmt.Printf("sweep: removed %s\n", url.PathEscape(d.Name))
	}
	return nil
}
