package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// fakeProcess is a running fake360 and the one key it accepts.
type fakeProcess struct {
	cmd *exec.Cmd
	url string
	key string
}

// settleFlags make the fake's changes asynchronous, as 360dialog's are,
// without making the suite slow.
var settleFlags = []string{"-settle-delay", "300ms", "-settle-jitter", "100ms"}

// startFake builds fake360 into dir and starts it on loopback, accepting one
// new key only, so that a key it does not know is refused as 360dialog
// refuses one.
func startFake(ctx context.Context, dir string, readings []string) (*fakeProcess, error) {
	bin := filepath.Join(dir, "fake360")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/fake360")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building fake360: %w\n%s", err, out)
	}
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-quiet", "-keys", key}, settleFlags...)
	cmd := exec.Command(bin, append(args, readings...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting fake360: %w", err)
	}
	url, err := firstLine(stdout)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("fake360 printed no URL: %w", err)
	}
	return &fakeProcess{cmd: cmd, url: url, key: key}, nil
}

// newKey returns a key nobody else uses: random, so that finding any
// part of it in an output can only mean a leak.
func newKey() (string, error) {
	return randomSecret()
}

// randomSecret returns 24 random hex digits.
func randomSecret() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// stop ends the fake.
func (f *fakeProcess) stop() {
	_ = f.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = f.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = f.cmd.Process.Kill()
		<-done
	}
}

// admin decodes the answer of one of the fake's admin endpoints.
func (f *fakeProcess) admin(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("asking fake360 %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("asking fake360 %s: HTTP %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// requests is how many API requests the fake has answered.
func (f *fakeProcess) requests(ctx context.Context) (int, error) {
	var stats fakeapi.Stats
	err := f.admin(ctx, fakeapi.AdminStatsPath, &stats)
	return stats.Total, err
}

// state is everything the fake holds for the number: hidden destinations,
// the primary webhook and pending changes included.
func (f *fakeProcess) state(ctx context.Context) (fakeapi.NumberState, error) {
	var st fakeapi.NumberState
	err := f.admin(ctx, fakeapi.AdminStatePath+"?fingerprint="+fakeapi.Fingerprint(f.key), &st)
	return st, err
}
