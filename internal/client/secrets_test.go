package client

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestNoSecretInLogsOrErrors(t *testing.T) {
	const (
		key    = "sk-live-SECRETKEY-0123456789"
		header = "Bearer HDR-SECRET-987654"
	)
	dests := []Destination{{Name: "crm", URL: "https://crm.example.com", Headers: map[string]string{"Authorization": header}}}
	echo := "Invalid json: headers.Authorization=" + header + " key=" + key
	list := `{"enabled":true,"destinations":[{"name":"crm","url":"https://crm.example.com","headers":{"Authorization":"` + header + `"}}]}`
	ctx := t.Context()
	var errs []error

	// PUT: the API echoes the request in its error.
	echoing, log1 := newFakeServer(t, reply{status: 400, body: errBody(echo)}).number(key)
	errs = append(errs, echoing.AddDestinations(ctx, dests))

	// PATCH: proxies answer with pages quoting the secrets, until retries end.
	proxied, log2 := newFakeServer(t,
		reply{status: 503, body: "<p>upstream got " + header + "</p>"},
		reply{status: 502, body: "<h1>Bad gateway for " + key + "</h1>"}).number(key)
	errs = append(errs, proxied.PatchDestination(ctx, dests[0]))

	// GET succeeds with the header value, then WaitForMultiWebhook times out on it.
	listing, log3 := newFakeServer(t, reply{status: 200, body: list}).number(key)
	cfg, err := listing.GetMultiWebhook(ctx)
	if err != nil || cfg.Destinations[0].Headers["Authorization"] != header {
		t.Fatalf("Get: %+v, %v (the config itself must carry the header)", cfg, err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, _, err = listing.WaitForMultiWebhook(waitCtx, "nothing", func(*MultiWebhook) Progress { return Pending })
	errs = append(errs, err)

	closed := newFakeServer(t)
	closed.srv.Close()
	offline, log4 := newTestNumber(t, closed.srv.URL, key)
	errs = append(errs, offline.SetMultiWebhookEnabled(ctx, true, dests))

	for i, err := range errs {
		if err == nil {
			t.Fatalf("error %d: nil, the scenario must fail", i)
		}
		assertNoSecret(t, "error "+err.Error(), key, header)
	}
	if e := apiErr(t, errs[0]); !strings.Contains(e.Message, "headers.Authorization=[redacted] key=[redacted]") {
		t.Errorf("echoed secrets not redacted in %q", e.Message)
	}
	for _, log := range []*recLogger{log1, log2, log3, log4} {
		if log.dump() == "" {
			t.Fatal("nothing was logged; the log check would be vacuous")
		}
		assertNoSecret(t, "log "+log.dump(), key, header)
	}
}

// assertNoSecret fails when text contains any secret.
func assertNoSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("secret %q leaked in %s", s, text)
		}
	}
}
