package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// otherOrigin is a server that must never hear from the client.
func otherOrigin(t *testing.T) *fakeServer {
	t.Helper()
	other := newFakeServer(t)
	t.Cleanup(func() {
		if n := other.count(); n != 0 {
			t.Errorf("the other origin received %d request(s): %+v", n, other.requests())
		}
	})
	return other
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	calls := map[string]func(context.Context, *Number) error{
		"GET": func(ctx context.Context, num *Number) error { _, err := num.GetMultiWebhook(ctx); return err },
		"PUT": func(ctx context.Context, num *Number) error {
			return num.AddDestinations(ctx, []Destination{{Name: "crm", URL: "https://crm.example.com", Headers: map[string]string{"X-Token": "hdr-secret-value"}}})
		},
	}
	clients := map[string]func() *http.Client{
		"default client": func() *http.Client { return nil },
		// A caller's client that would follow every redirect.
		"supplied client": func() *http.Client {
			return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
		},
	}
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, body := range []string{"", `{"message": "moved"}`} {
			for callName, call := range calls {
				for clientName, hc := range clients {
					name := strings.Join([]string{http.StatusText(status), callName, clientName, "body " + body}, "/")
					t.Run(name, func(t *testing.T) {
						checkRedirectRefused(t, status, body, call, hc())
					})
				}
			}
		}
	}
}

// checkRedirectRefused sends call to a server that redirects to another
// origin, and checks that the error names only the other host.
func checkRedirectRefused(t *testing.T, status int, body string, call func(context.Context, *Number) error, hc *http.Client) {
	other := otherOrigin(t)
	target, err := url.Parse(other.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	target.User = url.UserPassword("thief", "pw-in-location")
	target.Path, target.RawQuery = "/steal/path-in-location", "q=query-in-location"
	fs := newFakeServer(t, reply{status: status, body: body, header: map[string]string{"Location": target.String()}})
	num, log := fs.number(testKey, func(o *Options) { o.httpClient = hc })
	err = call(t.Context(), num)
	e := apiErr(t, err)
	if e.Kind != KindRedirect || !kindIs(KindRedirect)(err) || e.StatusCode != status || e.Attempts != 1 || fs.count() != 1 {
		t.Errorf("got %+v after %d request(s), want one redirect error", e, fs.count())
	}
	text := err.Error()
	if !strings.Contains(text, `to host "`+target.Host+`"`) || !strings.Contains(text, "API key would travel") {
		t.Errorf("error %q does not name the host and the reason", text)
	}
	for _, part := range []string{"thief", "pw-in-location", "path-in-location", "query-in-location", testKey} {
		if strings.Contains(text, part) || strings.Contains(log.dump(), part) {
			t.Errorf("%q leaked in %q or the log", part, text)
		}
	}
	if hc != nil && (hc.CheckRedirect(nil, nil) != nil || hc.Transport != nil) {
		t.Error("the caller's http.Client was modified")
	}
}

func TestSuppliedTransportIsUsed(t *testing.T) {
	fs := newFakeServer(t)
	var trips int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		trips++
		return http.DefaultTransport.RoundTrip(r)
	})}
	num, _ := fs.number(testKey, func(o *Options) { o.httpClient = hc })
	if _, err := num.GetMultiWebhook(t.Context()); err != nil || trips != 1 || fs.count() != 1 {
		t.Errorf("error %v, %d trip(s) through the supplied transport, %d request(s)", err, trips, fs.count())
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRedirectWithoutLocation(t *testing.T) {
	for _, loc := range []string{"", "http://[::1"} {
		fs := newFakeServer(t, reply{status: http.StatusFound, header: map[string]string{"Location": loc}})
		num, _ := fs.number(testKey)
		_, err := num.GetMultiWebhook(t.Context())
		if !kindIs(KindRedirect)(err) || !strings.Contains(err.Error(), "redirect without a usable Location not followed") {
			t.Errorf("Location %q: error %v", loc, err)
		}
	}
}

func TestRelativeRedirectNamesTheAPIHost(t *testing.T) {
	fs := newFakeServer(t, reply{status: http.StatusMovedPermanently, header: map[string]string{"Location": "/elsewhere"}})
	num, _ := fs.number(testKey)
	_, err := num.GetMultiWebhook(t.Context())
	host := strings.TrimPrefix(fs.srv.URL, "http://")
	if !kindIs(KindRedirect)(err) || !strings.Contains(err.Error(), `to host "`+host+`"`) || fs.count() != 1 {
		t.Errorf("error %v after %d request(s)", err, fs.count())
	}
}

func TestRedirectIsNotRetriedEvenWithATransientBody(t *testing.T) {
	other := otherOrigin(t)
	fs := newFakeServer(t, reply{status: http.StatusTemporaryRedirect, body: errBody(errOperationFaild), header: map[string]string{"Location": other.srv.URL}})
	num, _ := fs.number(testKey)
	if err := num.SetMultiWebhookEnabled(t.Context(), true, nil); !kindIs(KindRedirect)(err) || fs.count() != 1 {
		t.Errorf("error %v after %d request(s)", err, fs.count())
	}
}

// TestRedirectTargetIsReachable shows that the other origin in these tests
// would receive a followed redirect, so that its silence means something.
func TestRedirectTargetIsReachable(t *testing.T) {
	other := newFakeServer(t)
	fs := newFakeServer(t, reply{status: http.StatusTemporaryRedirect, header: map[string]string{"Location": other.srv.URL + "/multi_webhook"}})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, fs.srv.URL+"/multi_webhook", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{}).Do(req) // a plain client follows redirects
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if other.count() != 1 {
		t.Fatalf("a plain client's redirect reached the other origin %d time(s), want 1", other.count())
	}
}
