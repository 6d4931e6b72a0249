package client

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// readingKey is the key of the number the readings test walks.
const readingKey = "key-readings"

// readingWalk drives one number of a fake through every call of the
// client, the fake playing one reading of what the documentation leaves
// open (or none, for its defaults).
type readingWalk struct {
	t    *testing.T
	ctx  context.Context
	num  *Number
	fake *fakeapi.Server
	opts fakeapi.Options
}

// TestEveryReading walks every call of the client against the fake under
// each reading of every switch (fakeapi.Readings): reads decode, accepted
// changes are accepted, waits end, and each refusal a reading makes is
// one the provider recognises by its kind.
func TestEveryReading(t *testing.T) {
	cases := append([]fakeapi.Reading{{Switch: "defaults", Apply: func(*fakeapi.Options) {}}}, fakeapi.Readings()...)
	for _, r := range cases {
		t.Run(r.String(), func(t *testing.T) {
			t.Parallel()
			fake := fakeapi.New(fakeapi.Options{SettleDelay: 5 * time.Millisecond})
			fake.SetOptions(r.Apply)
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)
			num, _ := newTestNumber(t, srv.URL, readingKey)
			w := &readingWalk{t: t, ctx: t.Context(), num: num, fake: fake, opts: fake.Options()}
			w.multiWebhook()
			w.disabled()
			w.webhook()
		})
	}
}

// must fails the test on err.
func (w *readingWalk) must(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

// await waits until GET /multi_webhook shows what done wants.
func (w *readingWalk) await(what string, done func(*MultiWebhook) bool) *MultiWebhook {
	w.t.Helper()
	mw, progress, err := w.num.WaitForMultiWebhook(w.ctx, what, SettledWhen(done))
	w.must("waiting for "+what, err)
	if progress != Settled {
		w.t.Fatalf("waiting for %s: %s", what, progress)
	}
	return mw
}

// expectKind checks the outcome of a call the reading may refuse: no
// error when it accepts, else an error of kind.
func (w *readingWalk) expectKind(what string, err error, accepted bool, kind ErrorKind) {
	w.t.Helper()
	switch {
	case accepted && err != nil:
		w.t.Errorf("%s: %v, want it accepted", what, err)
	case !accepted && kindOf(err) != kind:
		w.t.Errorf("%s: %v, want an error of kind %s", what, err, kind)
	}
}

// multiWebhook walks the enabled number: an empty list, destinations with
// and without headers, a PATCH, a name it lacks, a name it has.
func (w *readingWalk) multiWebhook() {
	mw, err := w.num.GetMultiWebhook(w.ctx)
	w.must("reading a new number", err)
	if mw.Enabled {
		w.t.Fatal("a new number reads as enabled")
	}
	w.must("enabling", w.num.SetMultiWebhookEnabled(w.ctx, true, nil))
	w.await("the number enabled with no destination", func(m *MultiWebhook) bool { return m.Enabled && len(m.Destinations) == 0 })

	a := Destination{Name: "a", URL: "https://a.example.com", Headers: map[string]string{"X-A": "1", "X-B": "1"}}
	b := Destination{Name: "b", URL: "https://b.example.com"}
	w.must("adding a and b", w.num.AddDestinations(w.ctx, []Destination{a, b}))
	mw = w.await("a and b", func(m *MultiWebhook) bool { return len(m.Destinations) == 2 })
	if got, _ := mw.Find("b"); got.Headers == nil || len(got.Headers) != 0 {
		w.t.Errorf("b reads with headers %v, want none (an empty map)", got.Headers)
	}
	if got, _ := mw.Find("a"); len(got.Headers) != 2 {
		w.t.Errorf("a reads with %d headers, want 2", len(got.Headers))
	}

	patched := Destination{Name: "a", URL: "https://a2.example.com", Headers: map[string]string{"X-A": "2"}}
	w.must("patching a", w.num.PatchDestination(w.ctx, patched))
	mw = w.await("a patched", func(m *MultiWebhook) bool { got, _ := m.Find("a"); return got.URL == patched.URL })
	got, _ := mw.Find("a")
	if _, kept := got.Headers["X-B"]; kept != (w.opts.PatchHeaders == fakeapi.PatchHeadersMerge) {
		w.t.Errorf("after a PATCH without X-B, X-B kept = %t under %s", kept, w.opts.PatchHeaders)
	}

	err = w.num.DeleteDestination(w.ctx, "ghost")
	w.expectKind("deleting a name the number lacks", err, w.opts.UnknownName == fakeapi.UnknownNameAccept,
		map[fakeapi.UnknownName]ErrorKind{fakeapi.UnknownNameNotFound: KindNotFound, fakeapi.UnknownNameBadRequest: KindValidation}[w.opts.UnknownName])
	w.await("the number settled", func(m *MultiWebhook) bool { return m.Enabled }) // an accepted no-op is a change too

	err = w.num.AddDestinations(w.ctx, []Destination{b})
	w.expectKind("adding a name the number has", err, w.opts.ExistingName == fakeapi.ExistingNameSkip, KindValidation)
	if e := (*APIError)(nil); errors.As(err, &e) && e.StatusCode != w.opts.RefusalStatus {
		w.t.Errorf("the refusal came with HTTP %d, want %d", e.StatusCode, w.opts.RefusalStatus)
	}
	w.await("the number settled", func(m *MultiWebhook) bool { return m.Enabled })
}

// disabled walks the disabled number: GET, and a change while disabled.
func (w *readingWalk) disabled() {
	w.must("disabling", w.num.SetMultiWebhookEnabled(w.ctx, false, nil))
	mw := w.await("the number disabled", func(m *MultiWebhook) bool { return !m.Enabled })
	if len(mw.Destinations) != 0 {
		w.t.Errorf("a disabled number reads with %d destinations, want none", len(mw.Destinations))
	}
	err := w.num.AddDestinations(w.ctx, []Destination{{Name: "c", URL: "https://c.example.com"}})
	w.expectKind("adding while disabled", err, w.opts.WhileDisabled == fakeapi.WhileDisabledAccept, KindDisabled)
}

// webhook walks the primary webhook: none yet, set with headers, set
// without.
func (w *readingWalk) webhook() {
	hook, err := w.num.GetWebhook(w.ctx)
	w.must("reading a number without a primary webhook", err)
	if hook != nil {
		w.t.Fatalf("a number without a primary webhook reads as %+v", hook)
	}
	set := func(want Webhook) *Webhook {
		w.must("setting the primary webhook", w.num.SetWebhook(w.ctx, want))
		got, _, err := w.num.WaitForWebhook(w.ctx, "the primary webhook", SettledWhen(func(h *Webhook) bool { return h != nil && h.URL == want.URL }))
		w.must("waiting for the primary webhook", err)
		return got
	}
	got := set(Webhook{URL: "https://app.example.com/1", Headers: map[string]string{"X-Env": "prod"}})
	if hidden := w.opts.WebhookHeaders != fakeapi.HeadersShown; got.HeadersHidden != hidden {
		w.t.Errorf("headers hidden = %t under %s", got.HeadersHidden, w.opts.WebhookHeaders)
	}
	got = set(Webhook{URL: "https://app.example.com/2"})
	if state := w.fake.Webhook(readingKey); len(state.Headers) != 0 {
		w.t.Errorf("the primary webhook kept %d headers after a POST without any (%s)", len(state.Headers), w.opts.WebhookOmittedHeaders)
	}
	if !got.HeadersHidden && len(got.Headers) != 0 {
		w.t.Errorf("GET shows %d headers after a POST without any", len(got.Headers))
	}
}
