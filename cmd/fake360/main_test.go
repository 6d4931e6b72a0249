package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// started is a fake360 running inside the test.
type started struct {
	url    string
	stderr *syncBuffer
	done   chan error
}

// start runs the command with args and ctx, and reads its first line.
func start(t *testing.T, ctx context.Context, args ...string) started {
	t.Helper()
	outR, outW := io.Pipe()
	st := started{stderr: &syncBuffer{}, done: make(chan error, 1)}
	go func() {
		err := run(ctx, args, outW, st.stderr)
		_ = outW.CloseWithError(io.EOF)
		st.done <- err
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v (stderr: %s)", err, st.stderr.String())
	}
	st.url = strings.TrimSpace(line)
	if !strings.HasPrefix(st.url, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not a loopback base URL", line)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	return st
}

// wait returns the command's result, failing after a few seconds.
func (st started) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-st.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("fake360 did not stop")
		return nil
	}
}

// get sends GET url with key and returns the status and body.
func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	return send(t, http.MethodGet, url, key, "")
}

func TestRunServesAndStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const key = "my-secret-key"
	st := start(t, ctx, "-addr", "127.0.0.1:0", "-disabled-status", "200", "-keys", key+",other")

	status, body := get(t, st.url+"/multi_webhook", key)
	if status != 200 || !strings.Contains(body, "Multi webhook is disabled, use POST to enable it first") {
		t.Fatalf("GET answered %d %s", status, body)
	}
	if status, _ := get(t, st.url+"/multi_webhook", "unknown"); status != 401 {
		t.Fatalf("unknown key answered %d, want 401", status)
	}
	status, body = get(t, st.url+"/_fake/stats", "")
	if status != 200 || !strings.Contains(body, `"total":2`) {
		t.Fatalf("stats answered %d %s", status, body)
	}

	cancel()
	if err := st.wait(t); err != nil {
		t.Fatalf("run returned %v, want a clean stop", err)
	}
	logged := st.stderr.String()
	if !strings.Contains(logged, "GET /multi_webhook 200 key="+fakeapi.Fingerprint(key)) {
		t.Errorf("stderr lacks the request line:\n%s", logged)
	}
	if strings.Contains(logged, key) {
		t.Errorf("stderr contains the raw API key:\n%s", logged)
	}
}

// send sends method url with key (none when empty) and body, and returns
// the status and the trimmed body.
func send(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	a := call(t, method, url, key, body)
	return a.status, a.body
}

func TestRunServesThePrimaryWebhook(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const key = "webhook-secret-key"
	st := start(t, ctx, "-webhook-headers", "masked", "-settle-delay", "0s")
	hook := st.url + "/v1/configs/webhook"
	if status, body := send(t, http.MethodGet, hook, key, ""); status != 404 || !strings.Contains(body, `"developer_message":"No webhook is configured for this number"`) {
		t.Fatalf("GET before any POST answered %d %s", status, body)
	}
	if status, body := send(t, http.MethodPost, hook, key, `{"url": "http://app.example.com"}`); status != 400 || !strings.Contains(body, `"http_code":400`) {
		t.Fatalf("POST of an http URL answered %d %s", status, body)
	}
	status, body := send(t, http.MethodPost, hook, key, `{"url": "https://app.example.com/wa", "headers": {"Authorization": "Bearer tok"}}`)
	if status != 200 || body != `{"url":"https://app.example.com/wa"}` {
		t.Fatalf("POST answered %d %s", status, body)
	}
	status, body = send(t, http.MethodGet, hook, key, "")
	if status != 200 || body != `{"url":"https://app.example.com/wa","headers":{"Authorization":"********"}}` {
		t.Fatalf("GET answered %d %s", status, body)
	}
	status, body = get(t, st.url+"/_fake/stats", "")
	if status != 200 || !strings.Contains(body, `"endpoints":{"/v1/configs/webhook":{"GET":2,"POST":2}}`) {
		t.Fatalf("stats answered %d %s", status, body)
	}
	cancel()
	if err := st.wait(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
	logged := st.stderr.String()
	if !strings.Contains(logged, "POST /v1/configs/webhook 200 key="+fakeapi.Fingerprint(key)) || strings.Contains(logged, key) {
		t.Errorf("stderr:\n%s", logged)
	}
}

func TestRunStopsOnSIGTERM(t *testing.T) {
	st := start(t, context.Background(), "-response-delay", "1m", "-quiet")
	// A request held by the response delay must not hold up the shutdown.
	go func() {
		req, _ := http.NewRequest(http.MethodGet, st.url+"/multi_webhook", nil)
		req.Header.Set(fakeapi.HeaderAPIKey, "k")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	time.Sleep(50 * time.Millisecond)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := st.wait(t); err != nil {
		t.Fatalf("run returned %v after SIGTERM, want a clean stop", err)
	}
	if st.stderr.String() != "" {
		t.Errorf("-quiet still logged: %s", st.stderr.String())
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags([]string{
		"-settle-delay", "2s", "-settle-jitter", "500ms", "-disabled-status", "200", "-clear-on-disable",
		"-shuffle", "-queue-while-pending", "-never-settle", "-change-failure-rate", "0.1", "-get-failure-rate", "0.2",
		"-rate-limit", "5", "-rate-window", "2s", "-response-delay", "10ms", "-keys", " a, b ,,c", "-seed", "42",
		"-allow-remote", "-quiet", "-shutdown-timeout", "1s", "-addr", "[::1]:8080", "-webhook-headers", "masked",
		"-empty-destinations", "null", "-no-headers", "omitted", "-disabled-body", "enabled-false-listed",
		"-accepted-status", "202", "-content-type", "", "-patch-headers", "merge", "-while-disabled", "accept",
		"-unknown-name", "accept", "-refusal-status", "422", "-enable-while-enabled", "refuse", "-existing-name", "skip",
		"-webhook-omitted-headers", "keep", "-no-webhook", "200-empty-object", "-extra-fields",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		addr: "[::1]:8080", allowRemote: true, quiet: true, shutdownTimeout: time.Second,
		opts: fakeapi.Options{
			SettleDelay: 2 * time.Second, SettleJitter: 500 * time.Millisecond, DisabledStatus: 200,
			ClearOnDisable: true, ShuffleOrder: true, QueueWhilePending: true, NeverSettle: true,
			ChangeFailureRate: 0.1, GetFailureRate: 0.2, RateLimit: 5, RateWindow: 2 * time.Second,
			ResponseDelay: 10 * time.Millisecond, AcceptedKeys: []string{"a", "b", "c"}, Seed: 42,
			WebhookHeaders: fakeapi.HeadersMasked, EmptyDestinations: fakeapi.EmptyDestinationsNull,
			NoHeaders: fakeapi.NoHeadersOmitted, DisabledBody: fakeapi.DisabledBodyEnabledFalseListed,
			AcceptedStatus: 202, ContentType: new(""), PatchHeaders: fakeapi.PatchHeadersMerge,
			WhileDisabled: fakeapi.WhileDisabledAccept, UnknownName: fakeapi.UnknownNameAccept, RefusalStatus: 422,
			EnableWhileEnabled: fakeapi.EnableWhileEnabledRefuse, ExistingName: fakeapi.ExistingNameSkip,
			WebhookOmittedHeaders: fakeapi.WebhookOmittedHeadersKeep, NoWebhook: fakeapi.NoWebhook200EmptyObject,
			ExtraFields: true,
		},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("parsed\n  %+v\nwant\n  %+v", cfg, want)
	}
}

func TestParseFlagsDefaults(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		addr: "127.0.0.1:0", shutdownTimeout: 5 * time.Second,
		opts: fakeapi.Options{
			DisabledStatus: 409, RateWindow: time.Second, WebhookHeaders: fakeapi.HeadersShown,
			EmptyDestinations: fakeapi.EmptyDestinationsArray, NoHeaders: fakeapi.NoHeadersObject,
			DisabledBody: fakeapi.DisabledBodyMessage, AcceptedStatus: 200, ContentType: new("application/json"),
			PatchHeaders: fakeapi.PatchHeadersReplace, WhileDisabled: fakeapi.WhileDisabledRefuse,
			UnknownName: fakeapi.UnknownNameNotFound, RefusalStatus: 400, EnableWhileEnabled: fakeapi.EnableWhileEnabledAppend,
			ExistingName: fakeapi.ExistingNameRefuse, WebhookOmittedHeaders: fakeapi.WebhookOmittedHeadersClear,
			NoWebhook: fakeapi.NoWebhook404Meta,
		},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("defaults\n  %+v\nwant\n  %+v", cfg, want)
	}
	// The defaults are the fake's own: a Server built from none at all
	// has the same options.
	if got, zero := fakeapi.New(cfg.opts).Options(), fakeapi.New(fakeapi.Options{}).Options(); !reflect.DeepEqual(got, zero) {
		t.Fatalf("the flags' defaults\n  %+v\ndiffer from the fake's\n  %+v", got, zero)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	bad := [][]string{
		{"-disabled-status", "404"},
		{"-disabled-status", "409x"},
		{"-change-failure-rate", "1.5"},
		{"-get-failure-rate", "-0.1"},
		{"-settle-delay", "-1s"},
		{"-rate-limit", "-1"},
		{"-rate-window", "0s"},
		{"-webhook-headers", "hidden"},
		{"-webhook-headers", ""},
		{"-extra-fields=maybe"},
		{"-no-such-flag"},
		{"extra"},
	}
	for _, args := range bad {
		var stderr bytes.Buffer
		if _, err := parseFlags(args, &stderr); !errors.Is(err, errUsage) || stderr.Len() == 0 {
			t.Errorf("%v: err %v, stderr %q; want a reported usage error", args, err, stderr.String())
		}
	}
	// A value that is not a reading is refused with the readings named.
	readings := []struct{ flag, bad, want string }{
		{"-empty-destinations", "[]", "must be array, null or omitted"},
		{"-no-headers", "{}", "must be object, null or omitted"},
		{"-disabled-body", "enabled", "must be message, enabled-false or enabled-false-listed"},
		{"-accepted-status", "204", "must be 200, 201 or 202"},
		{"-accepted-status", "ok", "must be 200, 201 or 202"},
		{"-patch-headers", "Merge", "must be replace or merge"},
		{"-while-disabled", "", "must be refuse or accept"},
		{"-unknown-name", "410", "must be 404, 400 or accept"},
		{"-refusal-status", "500", "must be 400, 409 or 422"},
		{"-enable-while-enabled", "ignore", "must be append or refuse"},
		{"-existing-name", "replace", "must be refuse or skip"},
		{"-webhook-omitted-headers", "drop", "must be clear or keep"},
		{"-no-webhook", "404", "must be 404-meta, 404-error, 200-empty-url or 200-empty-object"},
		{"-webhook-headers", "hidden", "must be shown, omitted or masked"},
		{"-disabled-status", "404", "must be 409 or 200"},
		{"-content-type", "application/json\r\nX-Injected: 1", "-content-type must not contain control characters"},
	}
	for _, r := range readings {
		var stderr bytes.Buffer
		_, err := parseFlags([]string{r.flag, r.bad}, &stderr)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), r.want) {
			t.Errorf("%s %q: err %v, stderr %q; want a usage error saying %q", r.flag, r.bad, err, stderr.String(), r.want)
		}
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: err %v, want flag.ErrHelp", err)
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr        string
		allowRemote bool
		ok          bool
	}{
		{"127.0.0.1:0", false, true},
		{"127.0.0.2:8080", false, true},
		{"[::1]:0", false, true},
		{"localhost:9000", false, true},
		{":8080", false, false},
		{"0.0.0.0:0", false, false},
		{"192.168.1.10:80", false, false},
		{"example.com:80", false, false},
		{"0.0.0.0:0", true, true},
		{"no-port", false, false},
	}
	for _, tt := range tests {
		if err := checkAddr(tt.addr, tt.allowRemote); (err == nil) != tt.ok {
			t.Errorf("checkAddr(%q, %v) = %v", tt.addr, tt.allowRemote, err)
		}
	}
}

func TestRunRefusesRemoteAddr(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-allow-remote") {
		t.Fatalf("run = %v, want a refusal mentioning -allow-remote", err)
	}
	if out.Len() != 0 {
		t.Fatalf("refused run printed %q", out.String())
	}
}

func TestHandlerRoutesWithoutPathCleaning(t *testing.T) {
	fake := fakeapi.New(fakeapi.Options{})
	fake.SetState("k", fakeapi.State{Enabled: true, Destinations: []fakeapi.Destination{{Name: "..", URL: "https://a.example.com"}}})
	h := newHandler(fake)
	req := httptest.NewRequest(http.MethodDelete, "http://fake.test/multi_webhook/..", nil)
	req.Header.Set(fakeapi.HeaderAPIKey, "k")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || len(fake.State("k").Destinations) != 0 {
		t.Fatalf("DELETE /multi_webhook/.. answered %d %s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://fake.test/_fake/state", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"numbers"`) {
		t.Fatalf("GET /_fake/state answered %d %s", rec.Code, rec.Body.String())
	}
}

func TestHelpListsTheOpenQuestions(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseFlags([]string{"-help"}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: err %v, want flag.ErrHelp", err)
	}
	help := stderr.String()
	for _, want := range []string{
		"-empty-destinations reading", "array, null or omitted) (default array)",
		"-no-headers reading", "object, null or omitted) (default object)",
		"-disabled-body reading", "message, enabled-false or enabled-false-listed) (default message)",
		"-accepted-status status", "200, 201 or 202) (default 200)",
		"-content-type string", `"" sends none (default "application/json")`,
		"-patch-headers reading", "replace or merge) (default replace)",
		"-while-disabled reading", "refuse or accept) (default refuse)",
		"-unknown-name reading", "404, 400 or accept) (default 404)",
		"-refusal-status status", "400, 409 or 422) (default 400)",
		"-enable-while-enabled reading", "append or refuse) (default append)",
		"-existing-name reading", "refuse or skip) (default refuse)",
		"-webhook-omitted-headers reading", "clear or keep) (default clear)",
		"-no-webhook reading", "404-meta, 404-error, 200-empty-url or 200-empty-object) (default 404-meta)",
		"-extra-fields", "-disabled-status status", "409 or 200) (default 409)",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("-help lacks %q:\n%s", want, help)
		}
	}
}

// answer is one answer of a running fake360.
type answer struct {
	status      int
	contentType []string // nil when there is no Content-Type header
	body        string
}

// call sends method url with key (none when empty) and body, and returns
// the answer, its body trimmed.
func call(t *testing.T, method, url, key, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set(fakeapi.HeaderAPIKey, key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, contentType: resp.Header.Values("Content-Type"), body: strings.TrimSpace(string(b))}
}

func TestRunPlaysTheReadingsItIsGiven(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const key = "readings-key"
	st := start(t, ctx, "-quiet", "-content-type", "", "-accepted-status", "202", "-empty-destinations", "omitted",
		"-no-headers", "null", "-disabled-body", "enabled-false", "-disabled-status", "200", "-refusal-status", "422",
		"-no-webhook", "200-empty-url", "-existing-name", "skip", "-patch-headers", "merge")
	multi, hook := st.url+"/multi_webhook", st.url+"/v1/configs/webhook"
	steps := []struct {
		method, url, body string
		status            int
		want              string
	}{
		{"GET", multi, "", 200, `{"enabled":false}`},
		{"GET", hook, "", 200, `{"url":""}`},
		{"POST", multi, `{"enabled": true}`, 202, `{"message":"Operation has been started, please wait several seconds until change is applied"}`},
		{"GET", multi, "", 200, `{"enabled":true}`},
		{"PUT", multi, `{"destinations": [{"name": "a", "url": "https://a.example.com", "headers": {"X-A": "1"}}]}`, 202, `{"message":"Operation has been started, please wait several seconds until change is applied"}`},
		{"PATCH", multi, `{"name": "a", "url": "https://a2.example.com", "headers": {"X-B": "2"}}`, 202, `{"message":"Operation has been started, please wait several seconds until change is applied"}`},
		{"PUT", multi, `{"destinations": [{"name": "a", "url": "https://x.example.com"}, {"name": "b", "url": "https://b.example.com"}]}`, 202, `{"message":"Operation has been started, please wait several seconds until change is applied"}`},
		{"GET", multi, "", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a2.example.com","headers":{"X-A":"1","X-B":"2"}},{"name":"b","url":"https://b.example.com","headers":null}]}`},
		{"PUT", multi, `{`, 422, `{"error":"Invalid json: unexpected end of JSON input"}`},
	}
	for _, s := range steps {
		got := call(t, s.method, s.url, key, s.body)
		if got.status != s.status || got.body != s.want || got.contentType != nil {
			t.Errorf("%s %s: %d %v %s, want %d without Content-Type %s", s.method, s.url, got.status, got.contentType, got.body, s.status, s.want)
		}
	}
	cancel()
	if err := st.wait(t); err != nil {
		t.Fatalf("run returned %v", err)
	}
}

func TestPackageCommentNamesEveryOpenQuestionFlag(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	fs := flag.NewFlagSet("open questions", flag.ContinueOnError)
	openQuestionFlags(fs, &fakeapi.Options{})
	fs.VisitAll(func(fl *flag.Flag) {
		if !strings.Contains(doc, "-"+fl.Name+" ") {
			t.Errorf("the package comment does not name -%s", fl.Name)
		}
	})
}

func TestDesignTableNamesEverySwitch(t *testing.T) {
	design, err := os.ReadFile("../../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(design), "\n## What the documentation leaves open\n")
	if !found {
		t.Fatal(`DESIGN.md has no section "What the documentation leaves open"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	fs := flag.NewFlagSet("open questions", flag.ContinueOnError)
	openQuestionFlags(fs, &fakeapi.Options{})
	names := []string{"settle-delay", "disabled-status", "clear-on-disable", "shuffle", "queue-while-pending"}
	fs.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	for _, name := range names {
		if !strings.Contains(section, "`-"+name+"`") {
			t.Errorf("DESIGN.md's table of open questions does not name -%s", name)
		}
	}
}
