package client

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// Secrets of the misbehaviour tests. No two share 4 bytes at either end of
// any of their encoded forms, so that each assertion is about one secret.
const (
	mbKey       = "sk-S3CRETKEY-0123456789abcdef"
	mbDestValue = `Bearer <tok&"en>-ZYXW`
	mbHookValue = "Token wh/+?=#qrst"
)

// misbehaving serves the fake API behind a Misbehaving handler on loopback
// and returns the fake, the handler and a Number of mbKey on it.
func misbehaving(t *testing.T, cfg fakeapi.Misbehaviour) (*fakeapi.Server, *Number, *recLogger) {
	t.Helper()
	api := fakeapi.New(fakeapi.Options{})
	m := fakeapi.NewMisbehaving(api)
	m.Set(cfg)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	num, log := newTestNumber(t, srv.URL, mbKey)
	return api, num, log
}

// mbChanges are the change calls, each sending mbKey and, where it can, a
// header value.
var mbChanges = map[string]func(context.Context, *Number) error{
	"POST /multi_webhook": func(ctx context.Context, num *Number) error {
		return num.SetMultiWebhookEnabled(ctx, true, []Destination{mbDest()})
	},
	"PUT":   func(ctx context.Context, num *Number) error { return num.AddDestinations(ctx, []Destination{mbDest()}) },
	"PATCH": func(ctx context.Context, num *Number) error { return num.PatchDestination(ctx, mbDest()) },
	"DELETE": func(ctx context.Context, num *Number) error {
		return num.DeleteDestination(ctx, "crm")
	},
	"POST /v1/configs/webhook": func(ctx context.Context, num *Number) error {
		return num.SetWebhook(ctx, Webhook{URL: "https://app.example.com/wa", Headers: map[string]string{"Authorization": mbHookValue}})
	},
}

// mbGets are the two reads.
var mbGets = map[string]func(context.Context, *Number) error{
	"GET /multi_webhook":      func(ctx context.Context, num *Number) error { _, err := num.GetMultiWebhook(ctx); return err },
	"GET /v1/configs/webhook": func(ctx context.Context, num *Number) error { _, err := num.GetWebhook(ctx); return err },
}

// mbDest is the destination the change calls send.
func mbDest() Destination {
	return Destination{Name: "crm", URL: "https://crm.example.com/wa", Headers: map[string]string{"Authorization": mbDestValue}}
}

func TestEchoedSecretsNeverLeave(t *testing.T) {
	modes := map[string]fakeapi.Misbehaviour{
		"raw":             {Mode: fakeapi.EchoRaw},
		"json":            {Mode: fakeapi.EchoJSON},
		"url-encoded":     {Mode: fakeapi.EchoURLEncoded},
		"html key cut 12": {Mode: fakeapi.EchoHTMLPage, KeyCut: 12},
		"html key cut 4":  {Mode: fakeapi.EchoHTMLPage, KeyCut: 4},
	}
	for modeName, cfg := range modes {
		for callName, call := range mbChanges {
			t.Run(modeName+"/"+callName, func(t *testing.T) {
				_, num, log := misbehaving(t, cfg)
				err := call(t.Context(), num)
				if err == nil {
					t.Fatal("the echoing answer was accepted")
				}
				// The echo came back (its content is checked in package
				// fakeapi) and was logged, so the checks below are not vacuous.
				if e := apiErr(t, err); e.StatusCode != 400 && e.StatusCode != 403 || !strings.Contains(log.dump(), "360dialog API attempt") {
					t.Fatalf("not the echo: %v", err)
				}
				for _, secret := range []string{mbKey, mbDestValue, mbHookValue} {
					assertNoFragment(t, err.Error(), secret)
					assertNoFragment(t, apiErr(t, err).Message, secret)
					assertNoFragment(t, log.dump(), secret)
				}
			})
		}
	}
}

func TestEchoedErrorsStayReadable(t *testing.T) {
	_, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: fakeapi.EchoJSON})
	err := num.AddDestinations(t.Context(), []Destination{mbDest()})
	if !IsValidation(err) || !strings.HasPrefix(err.Error(), "PUT /multi_webhook: HTTP 400: Invalid json: ") ||
		!strings.Contains(err.Error(), "D360-Api-Key: "+redactedMark) {
		t.Errorf("error %q", err)
	}
	_, num, _ = misbehaving(t, fakeapi.Misbehaviour{Mode: fakeapi.EchoHTMLPage})
	err = num.SetWebhook(t.Context(), Webhook{URL: "https://app.example.com/wa"})
	if !IsAuth(err) || !strings.Contains(err.Error(), `Forbidden (non-JSON body: "403 Forbidden 403 Forbidden Your request was blocked.`) {
		t.Errorf("error %q", err)
	}
}

func TestMisbehavingRedirectsAreNotFollowed(t *testing.T) {
	calls := map[string]func(context.Context, *Number) error{}
	for name, call := range mbChanges {
		calls[name] = call
	}
	for name, call := range mbGets {
		calls[name] = call
	}
	for _, status := range []int{302, 307, 308} {
		for name, call := range calls {
			t.Run(strconv.Itoa(status)+"/"+name, func(t *testing.T) {
				other := otherOrigin(t)
				api, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: fakeapi.Redirect, RedirectStatus: status,
					RedirectTo: strings.Replace(other.srv.URL, "http://", "http://thief:pw@", 1) + "/steal?q=" + mbKey})
				err := call(t.Context(), num)
				if !kindIs(KindRedirect)(err) || len(api.Requests()) != 1 {
					t.Fatalf("error %v after %d request(s)", err, len(api.Requests()))
				}
				if strings.Contains(err.Error(), "thief") || strings.Contains(err.Error(), "steal") {
					t.Errorf("error %q quotes the Location beyond its host", err)
				}
			})
		}
	}
}

func TestHungGetsEndWithTheContext(t *testing.T) {
	for name, call := range mbGets {
		_, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: fakeapi.HangGets})
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		start := time.Now()
		err := call(ctx, num)
		cancel()
		if elapsed := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || elapsed > 2*time.Second {
			t.Errorf("%s: error %v after %s", name, err, elapsed)
		}
		if !strings.Contains(err.Error(), "no answer within the time allowed") {
			t.Errorf("%s: error %q", name, err)
		}
	}
}

func TestWaitOnHungGetsEndsWithTheContext(t *testing.T) {
	_, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: fakeapi.HangGets})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, _, err := num.WaitForWebhook(ctx, "the new url", SettledWhen(showsNewURL))
	var wt *WaitTimeoutError[*Webhook]
	if !errors.As(err, &wt) || wt.Polls != 1 || wt.Last != nil {
		t.Errorf("error %v (%+v)", err, wt)
	}
}

func TestMalformedChangeAnswersAreErrors(t *testing.T) {
	for _, mode := range []fakeapi.MisbehaveMode{fakeapi.ChangeNotJSON, fakeapi.ChangeMalformedJSON} {
		for name, call := range mbChanges {
			api, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: mode})
			err := call(t.Context(), num)
			if !kindIs(KindUnexpected)(err) || len(api.Requests()) != 1 {
				t.Errorf("mode %d, %s: error %v after %d request(s)", mode, name, err, len(api.Requests()))
			}
		}
	}
}

func TestMalformedDestinationListsAreErrors(t *testing.T) {
	for mode, problem := range map[fakeapi.MisbehaveMode]string{
		fakeapi.GetDestinationsNotArray:   `"destinations" is not an array`,
		fakeapi.GetDestinationWithoutName: "destination 2 has no name",
		fakeapi.GetDestinationWithoutURL:  "destination 1 has no url",
	} {
		_, num, _ := misbehaving(t, fakeapi.Misbehaviour{Mode: mode})
		cfg, err := num.GetMultiWebhook(t.Context())
		if cfg != nil || !kindIs(KindUnexpected)(err) || !strings.HasSuffix(err.Error(), problem) {
			t.Errorf("mode %d: config %+v, error %v", mode, cfg, err)
		}
	}
}
