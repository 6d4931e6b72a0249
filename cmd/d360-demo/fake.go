package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// fakeAPI is a running cmd/fake360 and a client of its API and of its
// admin endpoints under /_fake/.
type fakeAPI struct {
	url     string
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	http    *http.Client
}

// startFake starts the fake on a free loopback port and waits for the base
// URL it prints as its first line.
func startFake(ctx context.Context, bin, logPath string, settle time.Duration) (*fakeAPI, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer func() { _ = logFile.Close() }() // the child holds its own descriptor
	first := &firstLine{ready: make(chan struct{})}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-settle-delay", settle.String())
	cmd.Stdout, cmd.Stderr = first, logFile
	isolate(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the fake API: %w", err)
	}
	f := &fakeAPI{logPath: logPath, cmd: cmd, exited: make(chan struct{}), http: &http.Client{Timeout: 10 * time.Second}}
	go func() { _ = cmd.Wait(); close(f.exited) }()
	select {
	case <-first.ready:
		f.url = first.line()
		return f, nil
	case <-f.exited:
		return nil, fmt.Errorf("the fake API exited before announcing its URL; its log:\n%s", readTail(logPath))
	case <-time.After(15 * time.Second):
		err = errors.New("the fake API did not announce its URL within 15s")
	case <-ctx.Done():
		err = ctx.Err()
	}
	f.stop()
	return nil, err
}

// stop shuts the fake down gracefully, or kills it after a grace period.
func (f *fakeAPI) stop() {
	_ = terminateGroup(f.cmd.Process)
	select {
	case <-f.exited:
	case <-time.After(5 * time.Second):
		killGroup(f.cmd.Process)
		<-f.exited
	}
}

// stats returns the request counts since the last log reset.
func (f *fakeAPI) stats(ctx context.Context) (fakeapi.Stats, error) {
	var st fakeapi.Stats
	return st, f.admin(ctx, http.MethodGet, fakeapi.AdminStatsPath, &st)
}

// resetLog forgets the request log but keeps every number's configuration.
func (f *fakeAPI) resetLog(ctx context.Context) error {
	return f.admin(ctx, http.MethodPost, fakeapi.AdminResetPath+"?scope=log", nil)
}

// number returns the settled configuration of the number with fingerprint.
func (f *fakeAPI) number(ctx context.Context, fingerprint string) (fakeapi.NumberState, error) {
	var n fakeapi.NumberState
	return n, f.admin(ctx, http.MethodGet, fakeapi.AdminStatePath+"?fingerprint="+url.QueryEscape(fingerprint), &n)
}

// admin calls an admin endpoint and decodes its JSON answer into out.
func (f *fakeAPI) admin(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, f.url+path, nil)
	if err != nil {
		return err
	}
	return f.do(req, out)
}

// patchDestination changes one destination the way anyone holding the
// number's key can: PATCH /multi_webhook, exactly as on 360dialog.
func (f *fakeAPI) patchDestination(ctx context.Context, apiKey string, d fakeapi.Destination) error {
	return f.send(ctx, http.MethodPatch, fakeapi.PathMultiWebhook, apiKey, d)
}

// enableWith enables a number with destinations, as someone configuring it
// in the 360dialog hub would: POST /multi_webhook.
func (f *fakeAPI) enableWith(ctx context.Context, apiKey string, dests []fakeapi.Destination) error {
	return f.send(ctx, http.MethodPost, fakeapi.PathMultiWebhook, apiKey, map[string]any{"enabled": true, "destinations": dests})
}

// setPrimary sets a number's primary webhook, as someone configuring it in
// the 360dialog hub would: POST /v1/configs/webhook.
func (f *fakeAPI) setPrimary(ctx context.Context, apiKey string, w fakeapi.Webhook) error {
	return f.send(ctx, http.MethodPost, fakeapi.PathWebhook, apiKey, w)
}

// send makes one call to path with the number's key and a JSON body.
func (f *fakeAPI) send(ctx context.Context, method, path, apiKey string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, f.url+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set(fakeapi.HeaderAPIKey, apiKey)
	req.Header.Set("Content-Type", "application/json")
	return f.do(req, nil)
}

// do sends req and decodes a 200 answer into out (when non-nil).
func (f *fakeAPI) do(req *http.Request, out any) error {
	resp, err := f.http.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d: %s", req.Method, req.URL.Path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

// waitFor polls the number's settled state until done accepts it: changes
// are asynchronous at the fake as at 360dialog.
func (f *fakeAPI) waitFor(ctx context.Context, fingerprint string, done func(fakeapi.NumberState) bool) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		n, err := f.number(ctx, fingerprint)
		if err == nil && n.Pending == 0 && done(n) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the fake API did not show the change in time: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkLogHasNoSecrets confirms the fake's request log (which names numbers
// by fingerprint) never recorded a secret, in any encoding.
func (f *fakeAPI) checkLogHasNoSecrets(g *leakGuard) error {
	data, err := os.ReadFile(f.logPath)
	if err != nil {
		return err
	}
	return g.checkText("the fake API's request log", string(data))
}

// readTail returns the end of a log file, for error messages.
func readTail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	const limit = 2000
	if len(data) > limit {
		data = data[len(data)-limit:]
	}
	return string(data)
}

// firstLine is a writer that keeps the first line written to it and
// discards the rest.
type firstLine struct {
	mu    sync.Mutex
	buf   []byte
	done  bool
	ready chan struct{}
}

func (w *firstLine) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(b), nil
	}
	w.buf = append(w.buf, b...)
	if i := bytes.IndexByte(w.buf, '\n'); i >= 0 {
		w.buf, w.done = w.buf[:i], true
		close(w.ready)
	}
	return len(b), nil
}

// line returns the first line, without its line break.
func (w *firstLine) line() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.buf))
}
