package live

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// TestWithoutOptInNothingIsSent runs this test binary as make testacc-live
// and make sweep-live do, without the opt-in or without a key, against a
// server that counts what reaches it: the run must fail with how to run
// it, and nothing may be sent.
func TestWithoutOptInNothingIsSent(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"tests without the opt-in", []string{"-test.run=^TestLive"}, nil, "D360_LIVE=1 D360_LIVE_API_KEY="},
		{"sweep without the opt-in", []string{"-test.run=^$", "-sweep=live"}, nil, "D360_LIVE=1 D360_LIVE_API_KEY="},
		{"tests with the opt-in but no key", []string{"-test.run=^TestLive"}, []string{envOptIn + "=1"}, envKey + " is empty"},
		{"a destination URL with a query", []string{"-test.run=^TestLive"},
			[]string{envOptIn + "=1", envKey + "=k", envDestinationURL + "=https://example.com/x?token=t"}, envDestinationURL + " must be"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tc.args...)
			cmd.Env = append(envWithoutLive(), envRequired+"=1", envBaseURL+"="+srv.URL)
			cmd.Env = append(cmd.Env, tc.env...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("the run did not fail (%v):\n%s", err, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("the output does not say %q:\n%s", tc.want, out)
			}
			if n := requests.Load(); n != 0 {
				t.Fatalf("%d requests reached the API", n)
			}
		})
	}
}

// envWithoutLive is this process's environment without the suite's own
// variables, so that a child decides from what the test gives it alone.
func envWithoutLive() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "D360_") && !strings.HasPrefix(kv, "TF_ACC=") {
			env = append(env, kv)
		}
	}
	return env
}

func TestSettings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	s, err := settingsFrom(env(map[string]string{envOptIn: "1", envKey: "k"}))
	if err != nil {
		t.Fatal(err)
	}
	want := settings{baseURL: defaultBaseURL, key: "k", destinationURL: defaultDestinationURL, recordPath: defaultRecord}
	if s != want {
		t.Errorf("defaults: %+v, want %+v", s, want)
	}
	if _, err := settingsFrom(env(map[string]string{envOptIn: "yes", envKey: "k"})); !errors.Is(err, errNoOptIn) {
		t.Errorf("an opt-in other than 1 must not count: %v", err)
	}
	for _, bad := range []map[string]string{
		{envOptIn: "1", envKey: "k", envBaseURL: "https://user:pw@example.com"},
		{envOptIn: "1", envKey: "k", envBaseURL: "ftp://example.com"},
		{envOptIn: "1", envKey: "k", envWebhookURL: "http://example.com/hook"},
		{envOptIn: "1", envKey: "k", envDestinationURL: "https://example.com/x#f"},
	} {
		_, err := settingsFrom(env(bad))
		if err == nil {
			t.Errorf("settings %v accepted", bad)
			continue
		}
		for _, v := range bad {
			if len(v) > 2 && strings.Contains(err.Error(), v) {
				t.Errorf("the error quotes the value %q: %v", v, err)
			}
		}
	}
}

func TestURLHelpers(t *testing.T) {
	if got := hostOf("https://user:pw@hooks.example.com:8443/x?token=t"); got != "hooks.example.com" {
		t.Errorf("hostOf = %q", got)
	}
	if got := markedURL("https://a.example.com/x", "1"); got != "https://a.example.com/x?tfacc=1" {
		t.Errorf("markedURL = %q", got)
	}
	if got := markedURL("https://a.example.com/x?a=b", "2"); got != "https://a.example.com/x?a=b&tfacc=2" {
		t.Errorf("markedURL = %q", got)
	}
}
