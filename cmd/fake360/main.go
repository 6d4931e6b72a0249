// Command fake360 serves the in-memory stand-in of 360dialog's multi webhook
// API and of a number's primary webhook (package internal/fakeapi) for
// demos, manual testing and benchmarks.
//
// It prints its base URL as the first line of standard output, logs one line
// per request to standard error (never the raw API key), serves the admin
// endpoints under /_fake/ and stops cleanly on SIGINT or SIGTERM:
//
//	url=$(go run ./cmd/fake360 -settle-delay 2s -webhook-headers masked | head -n1)
//	curl -s -H 'D360-API-KEY: k' "$url/multi_webhook"
//	curl -s -H 'D360-API-KEY: k' -d '{"url": "https://app.example.com/wa"}' "$url/v1/configs/webhook"
//
// Every question that 360dialog's documentation leaves open has a flag
// that picks one of its readings (the fields of fakeapi.Options say what is
// documented and what is a guess); the default is the fake's original
// behaviour, and a value that is not a reading is a usage error naming
// those that are. `fake360 -help` lists them all:
//
//	-empty-destinations       array | null | omitted
//	-no-headers               object | null | omitted
//	-disabled-body            message | enabled-false | enabled-false-listed
//	-accepted-status          200 | 201 | 202
//	-content-type             application/json, or any string; "" sends none
//	-patch-headers            replace | merge
//	-while-disabled           refuse | accept
//	-unknown-name             404 | 400 | accept
//	-refusal-status           400 | 409 | 422
//	-enable-while-enabled     append | refuse
//	-existing-name            refuse | skip
//	-webhook-omitted-headers  clear | keep
//	-no-webhook               404-meta | 404-error | 200-empty-url | 200-empty-object
//	-extra-fields             add fields the documentation does not list
//
// The older switches play the same part: -settle-delay, -disabled-status
// (409 | 200), -clear-on-disable, -shuffle, -queue-while-pending and
// -webhook-headers (shown | omitted | masked).
//
// For example, a 360dialog that answers like a plain Go server:
//
//	go run ./cmd/fake360 -empty-destinations null -no-headers omitted -content-type 'text/plain; charset=utf-8'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "fake360:", err)
		os.Exit(1)
	}
}

// errUsage marks command-line errors; the flag package has reported them.
var errUsage = errors.New("usage error")

// config is the parsed command line.
type config struct {
	addr            string
	allowRemote     bool
	quiet           bool
	shutdownTimeout time.Duration
	opts            fakeapi.Options
}

// run serves the fake until ctx ends or the process receives SIGINT or
// SIGTERM, then shuts down gracefully and returns nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := checkAddr(cfg.addr, cfg.allowRemote); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	fake := fakeapi.New(cfg.opts)
	var logger *log.Logger
	if !cfg.quiet {
		logger = log.New(stderr, "fake360: ", log.LstdFlags|log.Lmicroseconds)
	}
	if err := announce(stdout, ln.Addr()); err != nil {
		_ = ln.Close()
		return err
	}
	return serve(ctx, ln, withRequestLog(newHandler(fake), logger), cfg.shutdownTimeout)
}

// parseFlags parses the command line into a config.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var keys string
	fs := flag.NewFlagSet("fake360", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "listen address (loopback only unless -allow-remote)")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow a non-loopback -addr (the fake has no real authentication)")
	fs.BoolVar(&cfg.quiet, "quiet", false, "do not log requests to stderr")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 5*time.Second, "grace period for in-flight requests on shutdown")
	o := &cfg.opts
	fs.DurationVar(&o.SettleDelay, "settle-delay", 0, "time an accepted change takes to become visible")
	fs.DurationVar(&o.SettleJitter, "settle-jitter", 0, "uniform ± jitter added to -settle-delay")
	statusChoice(fs, &o.DisabledStatus, "disabled-status", []int{http.StatusConflict, http.StatusOK}, "status of GET /multi_webhook while disabled")
	fs.BoolVar(&o.ClearOnDisable, "clear-on-disable", false, "remove the destinations when the feature is disabled")
	fs.BoolVar(&o.ShuffleOrder, "shuffle", false, "list destinations in a random order")
	fs.BoolVar(&o.QueueWhilePending, "queue-while-pending", false, "queue a change sent while another is pending instead of failing it")
	fs.BoolVar(&o.NeverSettle, "never-settle", false, "accepted changes never become visible")
	fs.Float64Var(&o.ChangeFailureRate, "change-failure-rate", 0, "fraction of changes answered 500 \"Operation failed…\"")
	fs.Float64Var(&o.GetFailureRate, "get-failure-rate", 0, "fraction of GETs answered 502 (HTML) or 500 (JSON)")
	fs.IntVar(&o.RateLimit, "rate-limit", 0, "requests per key per -rate-window (0 = unlimited)")
	fs.DurationVar(&o.RateWindow, "rate-window", time.Second, "window of -rate-limit")
	fs.DurationVar(&o.ResponseDelay, "response-delay", 0, "delay of every response")
	fs.StringVar(&keys, "keys", "", "comma-separated accepted API keys (default: any non-empty key)")
	fs.Int64Var(&o.Seed, "seed", 0, "seed of the fault randomness")
	contentType := openQuestionFlags(fs, o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		return cfg, usageError(stderr, "unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	o.AcceptedKeys = splitKeys(keys)
	o.ContentType = contentType
	if msg := validate(cfg); msg != "" {
		return cfg, usageError(stderr, "%s", msg)
	}
	return cfg, nil
}

// usageError reports a command-line problem on stderr and returns errUsage.
func usageError(stderr io.Writer, format string, args ...any) error {
	_, _ = fmt.Fprintf(stderr, "fake360: "+format+"\n", args...)
	return errUsage
}

// splitKeys splits a comma-separated list of keys, dropping empty items.
func splitKeys(list string) []string {
	var keys []string
	for k := range strings.SplitSeq(list, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// validate returns what is wrong with cfg, or "".
func validate(cfg config) string {
	o := cfg.opts
	switch {
	case strings.ContainsFunc(*o.ContentType, unicode.IsControl):
		return "-content-type must not contain control characters"
	case o.ChangeFailureRate < 0 || o.ChangeFailureRate > 1, o.GetFailureRate < 0 || o.GetFailureRate > 1:
		return "failure rates must be between 0 and 1"
	case o.SettleDelay < 0, o.SettleJitter < 0, o.ResponseDelay < 0, cfg.shutdownTimeout < 0:
		return "durations must not be negative"
	case o.RateLimit < 0:
		return "-rate-limit must not be negative"
	case o.RateWindow <= 0:
		return "-rate-window must be positive"
	}
	return ""
}

// checkAddr refuses a listen address that is not loopback, unless
// allowRemote: the fake accepts any key and must not be exposed by mistake.
func checkAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -addr %q: %w", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; the fake has no real authentication, pass -allow-remote to serve it there anyway", addr)
}

// announce writes the base URL as one line and flushes it when w buffers.
func announce(w io.Writer, addr net.Addr) error {
	if _, err := fmt.Fprintf(w, "http://%s\n", addr); err != nil {
		return err
	}
	if f, ok := w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// newHandler routes /_fake/ to the admin endpoints and everything else to
// the fake API, without the path cleaning of http.ServeMux (a destination
// name may legitimately be "..").
func newHandler(fake *fakeapi.Server) http.Handler {
	admin := fake.AdminHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_fake/") {
			admin.ServeHTTP(w, r)
			return
		}
		fake.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status written through it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records status and passes it on.
func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

// Write records an implicit 200 and passes b on.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// withRequestLog logs one line per request to logger (nothing when it is
// nil): method, escaped path, status, fingerprint and duration. 499 means the
// client left before an answer was written.
func withRequestLog(next http.Handler, logger *log.Logger) http.Handler {
	if logger == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
			if r.Context().Err() != nil {
				status = 499
			}
		}
		id := fakeapi.Fingerprint(r.Header.Get(fakeapi.HeaderAPIKey))
		if id == "" {
			id = "-"
		}
		logger.Printf("%s %s %d key=%s %v", r.Method, r.URL.EscapedPath(), status, id, time.Since(start).Round(time.Microsecond))
	})
}

// serve serves h on ln until ctx ends, then shuts the server down, waiting
// at most timeout for in-flight requests. Artificial response delays are
// cut short at shutdown (their requests see a cancelled context).
func serve(ctx context.Context, ln net.Listener, h http.Handler, timeout time.Duration) error {
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancelBase()
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
