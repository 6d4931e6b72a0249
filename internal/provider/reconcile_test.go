package provider

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// scriptedNumber is an in-memory number that applies changes at once and
// records the calls, with optional scripted failures per call, and plays
// some readings of what the documentation leaves open.
type scriptedNumber struct {
	cfg      client.MultiWebhook
	hidden   []client.Destination // survivors of a disable, shown again on enable
	calls    []string
	failures map[string]error // by call description, consumed once unless sticky
	sticky   bool

	mergePatch    bool   // PATCH keeps the headers it does not send
	disableBefore string // this call finds the number disabled (changed outside after the plan), once
	// acceptWhileDisabled applies PUT, PATCH and DELETE to the hidden
	// destinations while disabled, instead of refusing them.
	acceptWhileDisabled bool
}

func (s *scriptedNumber) fail(call string) error {
	s.calls = append(s.calls, call)
	if call == s.disableBefore && s.cfg.Enabled {
		s.hidden, s.cfg, s.disableBefore = s.cfg.Destinations, client.MultiWebhook{}, ""
	}
	if err, ok := s.failures[call]; ok {
		if !s.sticky {
			delete(s.failures, call)
		}
		return err
	}
	return nil
}

func (s *scriptedNumber) GetMultiWebhook(context.Context) (*client.MultiWebhook, error) {
	c := s.cfg
	c.Destinations = slices.Clone(s.cfg.Destinations)
	return &c, nil
}

func (s *scriptedNumber) SetMultiWebhookEnabled(_ context.Context, enabled bool, dests []client.Destination) error {
	if err := s.fail("POST " + map[bool]string{true: "on", false: "off"}[enabled] + " " + names(dests)); err != nil {
		return err
	}
	if !enabled {
		s.hidden, s.cfg = s.cfg.Destinations, client.MultiWebhook{}
		return nil
	}
	for _, d := range dests {
		if slices.ContainsFunc(s.hidden, func(h client.Destination) bool { return h.Name == d.Name }) {
			s.calls[len(s.calls)-1] += " (rejected)"
			return validationError("Destination with name " + d.Name + " already exists")
		}
	}
	s.cfg = client.MultiWebhook{Enabled: true, Destinations: append(s.hidden, dests...)}
	s.hidden = nil
	return nil
}

func (s *scriptedNumber) AddDestinations(_ context.Context, dests []client.Destination) error {
	if err := s.fail("PUT " + names(dests)); err != nil {
		return err
	}
	return s.change(func(list *[]client.Destination) { *list = append(*list, dests...) })
}

func (s *scriptedNumber) PatchDestination(_ context.Context, d client.Destination) error {
	if err := s.fail("PATCH " + d.Name); err != nil {
		return err
	}
	return s.change(func(list *[]client.Destination) {
		i := slices.IndexFunc(*list, func(x client.Destination) bool { return x.Name == d.Name })
		if i < 0 {
			return
		}
		if s.mergePatch {
			d.Headers = maps.Clone(d.Headers)
			for name, v := range (*list)[i].Headers {
				if _, sent := d.Headers[name]; !sent {
					d.Headers[name] = v
				}
			}
		}
		(*list)[i] = d
	})
}

func (s *scriptedNumber) DeleteDestination(_ context.Context, name string) error {
	if err := s.fail("DELETE " + name); err != nil {
		return err
	}
	return s.change(func(list *[]client.Destination) {
		*list = slices.DeleteFunc(*list, func(x client.Destination) bool { return x.Name == name })
	})
}

// change applies edit to the destinations a PUT, PATCH or DELETE reaches:
// the visible ones, or while disabled the hidden ones, or none.
func (s *scriptedNumber) change(edit func(*[]client.Destination)) error {
	switch {
	case s.cfg.Enabled:
		edit(&s.cfg.Destinations)
	case s.acceptWhileDisabled:
		edit(&s.hidden)
	default:
		s.calls[len(s.calls)-1] += " (disabled)"
		return &client.APIError{StatusCode: 409, Message: "Multi webhook is disabled, use POST to enable it first", Kind: client.KindDisabled}
	}
	return nil
}

// WaitForMultiWebhook judges what the number shows at once: a change the
// scripted number applies is visible at once, so a pending change never
// shows and times out, and an unchanged one has outlasted its patience.
func (s *scriptedNumber) WaitForMultiWebhook(ctx context.Context, desc string, judge func(*client.MultiWebhook) client.Progress) (*client.MultiWebhook, client.Progress, error) {
	cfg, _ := s.GetMultiWebhook(ctx)
	progress := judge(cfg)
	if progress == client.Pending {
		return nil, progress, &client.WaitTimeoutError[*client.MultiWebhook]{What: desc, Last: cfg, Cause: context.DeadlineExceeded}
	}
	s.calls[len(s.calls)-1] += map[client.Progress]string{client.Settled: "", client.Diverged: " (diverged)", client.Unchanged: " (unchanged)"}[progress]
	return cfg, progress, nil
}

func names(dests []client.Destination) string {
	out := make([]string, len(dests))
	for i, d := range dests {
		out[i] = d.Name
	}
	return strings.Join(out, ",")
}

func validationError(msg string) error {
	return &client.APIError{Method: "POST", Path: "/multi_webhook", StatusCode: 400, Message: msg, Kind: client.KindValidation, Attempts: 1}
}

func d(name, url string) client.Destination {
	return client.Destination{Name: name, URL: url, Headers: map[string]string{}}
}

// h is a destination with headers given as name, value pairs.
func h(name, url string, headers ...string) client.Destination {
	dest := d(name, url)
	for i := 0; i+1 < len(headers); i += 2 {
		dest.Headers[headers[i]] = headers[i+1]
	}
	return dest
}

func want(enabled bool, dests ...client.Destination) desiredMultiWebhook {
	m := map[string]client.Destination{}
	for _, x := range dests {
		m[x.Name] = x
	}
	return desiredMultiWebhook{Enabled: enabled, Destinations: m}
}

// reconcileCase is one case of TestReconcile.
type reconcileCase struct {
	name        string
	start       client.MultiWebhook
	stale       *client.MultiWebhook // what the state believes, when it differs from start
	knownKeeps  bool                 // learnt earlier: destinations survive a disable
	learnsKeeps bool                 // this reconcile finds out that they do
	hidden      []client.Destination
	want        desiredMultiWebhook
	failures    map[string]error
	wantCalls   []string
	wantErr     string
	// Readings of the open questions, and the merge habit.
	mergePatch, knownMerge, learnsMerge bool
	disableBefore                       string
	acceptWhileDisabled                 bool
}

func TestReconcile(t *testing.T) {
	cases := []reconcileCase{
		{
			name:      "deletes, then patches, then one append",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("x", "u"), d("b", "old"), d("a", "u")}},
			want:      want(true, d("a", "u"), d("b", "new"), d("c", "u"), d("aa", "u")),
			wantCalls: []string{"DELETE x", "PATCH b", "PUT aa,c"},
		},
		{
			name:      "create on a disabled number is one POST with every destination",
			want:      want(true, d("b", "u"), d("a", "u")),
			wantCalls: []string{"POST on a,b"},
		},
		{
			name:      "disable leaves destinations alone",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u")}},
			want:      want(false, d("z", "u")),
			wantCalls: []string{"POST off "},
		},
		{
			name:      "destroy removes every destination, then disables",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u"), d("b", "u")}},
			want:      desiredMultiWebhook{Purge: true, Destinations: map[string]client.Destination{}},
			wantCalls: []string{"DELETE a", "DELETE b", "POST off "},
		},
		{
			name:        "survivors of a disable: enable bare, then reconcile what reappears",
			hidden:      []client.Destination{d("a", "old"), d("gone", "u")},
			want:        want(true, d("a", "new"), d("b", "u")),
			wantCalls:   []string{"POST on a,b (rejected)", "POST on ", "DELETE gone", "PATCH a", "PUT b"},
			learnsKeeps: true,
		},
		{
			name:        "survivors that would exceed the cap with the ones sent: enable bare, then reconcile",
			hidden:      []client.Destination{d("x", "u"), d("y", "u")},
			want:        want(true, d("a", "u"), d("b", "u")),
			failures:    map[string]error{"POST on a,b": validationError("You cannot add more than 3 destinations")},
			wantCalls:   []string{"POST on a,b", "POST on ", "DELETE x", "DELETE y", "PUT a,b"},
			learnsKeeps: true,
		},
		{
			name:      "another refusal of an enable stands: the number is not left enabled and empty, nothing is learnt",
			want:      want(true, d("a", "u"), d("b", "u")),
			failures:  map[string]error{"POST on a,b": validationError("Invalid json: request body too large")},
			wantCalls: []string{"POST on a,b"},
			wantErr:   "request body too large",
		},
		{
			name:       "survivors known from an earlier enable: one bare POST and only the changes they need",
			hidden:     []client.Destination{d("a", "u"), d("b", "old")},
			want:       want(true, d("a", "u"), d("b", "new")),
			knownKeeps: true,
			wantCalls:  []string{"POST on ", "PATCH b"},
		},
		{
			name:       "survivors known, identical to the plan: a single POST",
			hidden:     []client.Destination{d("a", "u")},
			want:       want(true, d("a", "u")),
			knownKeeps: true,
			wantCalls:  []string{"POST on "},
		},
		{
			name:      "a delete of a destination already gone is re-planned, not fatal",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("b", "u")}},
			stale:     &client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u"), d("b", "u")}},
			want:      want(true, d("b", "u"), d("c", "u")),
			failures:  map[string]error{"DELETE a": &client.APIError{StatusCode: 404, Message: "Destination with name a not found", Kind: client.KindNotFound}},
			wantCalls: []string{"DELETE a", "PUT c"},
		},
		{
			name:      "an append of a name that appeared meanwhile is re-planned as a patch",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "other")}},
			stale:     &client.MultiWebhook{Enabled: true},
			want:      want(true, d("a", "u")),
			failures:  map[string]error{"PUT a": validationError("Destination with name a already exists")},
			wantCalls: []string{"PUT a", "PATCH a"},
		},
		{
			name:      "a rejection that re-planning cannot avoid ends with the API's words",
			start:     client.MultiWebhook{Enabled: true},
			want:      want(true, d("a", "u")),
			failures:  map[string]error{"PUT a": validationError("You cannot add more than 3 destinations")},
			wantCalls: []string{"PUT a"},
			wantErr:   "You cannot add more than 3 destinations",
		},
		{
			name:      "a transient failure after retries is not re-planned",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "old")}},
			want:      want(true, d("a", "new")),
			failures:  map[string]error{"PATCH a": &client.APIError{StatusCode: 500, Message: "Operation failed, please retry later or contact support", Kind: client.KindTransient}},
			wantCalls: []string{"PATCH a"},
			wantErr:   "Operation failed",
		},
		{
			name:        "a PATCH seen to keep a header it left out: learnt, and the destination is recreated",
			start:       client.MultiWebhook{Enabled: true, Destinations: []client.Destination{h("a", "u", "X", "1", "Y", "1")}},
			want:        want(true, h("a", "v", "X", "2")),
			mergePatch:  true,
			learnsMerge: true,
			wantCalls:   []string{"PATCH a (diverged)", "DELETE a", "PUT a"},
		},
		{
			name:        "a PATCH that only removes a header and looks unchanged past its patience: learnt, recreated",
			start:       client.MultiWebhook{Enabled: true, Destinations: []client.Destination{h("a", "u", "X", "1", "Y", "1")}},
			want:        want(true, h("a", "u", "X", "1")),
			mergePatch:  true,
			learnsMerge: true,
			wantCalls:   []string{"PATCH a (unchanged)", "DELETE a", "PUT a"},
		},
		{
			name:       "PATCH known to merge: a removal goes straight to DELETE and PUT, other changes still PATCH",
			start:      client.MultiWebhook{Enabled: true, Destinations: []client.Destination{h("a", "u", "X", "1", "Y", "1"), h("b", "u", "X", "1")}},
			want:       want(true, h("a", "u", "X", "1"), h("b", "v", "X", "2")),
			mergePatch: true,
			knownMerge: true,
			wantCalls:  []string{"DELETE a", "PATCH b", "PUT a"},
		},
		{
			name:      "a PATCH that replaces headers learns nothing",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{h("a", "u", "X", "1", "Y", "1")}},
			want:      want(true, h("a", "u", "X", "1")),
			wantCalls: []string{"PATCH a"},
		},
		{
			name:                "disabled after the plan, the PATCH accepted for the hidden destinations: enabled again",
			start:               client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "old")}},
			want:                want(true, d("a", "new")),
			disableBefore:       "PATCH a",
			acceptWhileDisabled: true,
			learnsKeeps:         true,
			wantCalls:           []string{"PATCH a (diverged)", "POST on a (rejected)", "POST on "},
		},
		{
			name:          "disabled after the plan, the PATCH refused: enabled again",
			start:         client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "old")}},
			want:          want(true, d("a", "new")),
			disableBefore: "PATCH a",
			learnsKeeps:   true,
			wantCalls:     []string{"PATCH a (disabled)", "POST on a (rejected)", "POST on ", "PATCH a"},
		},
		{
			name:      "nothing to do makes no call",
			start:     client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u")}},
			want:      want(true, d("a", "u")),
			wantCalls: nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.run)
	}
}

// run reconciles the case's number and checks the calls, what was learnt,
// the error and the end.
func (tc reconcileCase) run(t *testing.T) {
	num := tc.number()
	start := tc.start
	if tc.stale != nil {
		start = *tc.stale
	}
	habits := apiHabits{KeepsDestinationsOnDisable: tc.knownKeeps, PatchMergesHeaders: tc.knownMerge}
	final, err := reconcile(context.Background(), num, &start, tc.want, &habits)
	tc.checkLearnt(t, habits)
	if !slices.Equal(num.calls, tc.wantCalls) {
		t.Errorf("calls = %q, want %q", num.calls, tc.wantCalls)
	}
	if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
		t.Fatalf("err = %v, want %q", err, tc.wantErr)
	}
	if tc.wantErr == "" && !matches(final, tc.want) {
		t.Errorf("final config %+v does not match %+v", final, tc.want)
	}
}

// number is the case's scripted number. It holds its own copy of the
// start: what the reconcile started from must not change under it.
func (tc reconcileCase) number() *scriptedNumber {
	own := tc.start
	own.Destinations = slices.Clone(tc.start.Destinations)
	return &scriptedNumber{cfg: own, hidden: tc.hidden, failures: tc.failures,
		mergePatch: tc.mergePatch, disableBefore: tc.disableBefore, acceptWhileDisabled: tc.acceptWhileDisabled}
}

// checkLearnt checks the habits after the reconcile: what was known, and
// what the case learns.
func (tc reconcileCase) checkLearnt(t *testing.T, habits apiHabits) {
	t.Helper()
	if habits.KeepsDestinationsOnDisable != (tc.knownKeeps || tc.learnsKeeps) {
		t.Errorf("learnt KeepsDestinationsOnDisable = %t, want %t", habits.KeepsDestinationsOnDisable, tc.knownKeeps || tc.learnsKeeps)
	}
	if habits.PatchMergesHeaders != (tc.knownMerge || tc.learnsMerge) {
		t.Errorf("learnt PatchMergesHeaders = %t, want %t", habits.PatchMergesHeaders, tc.knownMerge || tc.learnsMerge)
	}
}

// matches reports whether cfg is what want asks for.
func matches(cfg *client.MultiWebhook, want desiredMultiWebhook) bool {
	_, pending := nextChange(cfg, want, apiHabits{})
	return !pending
}

// TestReconcileReportsWhatSettled checks that a failure mid-way returns the
// configuration after the changes that did settle.
func TestReconcileReportsWhatSettled(t *testing.T) {
	num := &scriptedNumber{
		cfg:      client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u"), d("b", "old")}},
		failures: map[string]error{"PATCH b": &client.APIError{StatusCode: 500, Kind: client.KindTransient, Message: "Operation failed"}},
	}
	start := num.cfg
	final, err := reconcile(context.Background(), num, &start, want(true, d("b", "new"), d("c", "u")), &apiHabits{})
	if err == nil {
		t.Fatal("want an error")
	}
	if got := names(final.Destinations); got != "b" {
		t.Errorf("settled destinations = %q, want just b (a deleted, c never sent)", got)
	}
	if b, _ := final.Find("b"); b.URL != "old" {
		t.Errorf("b = %q, want the old url", b.URL)
	}
}

// TestReconcileTimeoutKeepsLastSeen returns the last config seen when a
// change never shows.
func TestReconcileTimeoutKeepsLastSeen(t *testing.T) {
	num := &neverShows{scriptedNumber{cfg: client.MultiWebhook{Enabled: true, Destinations: []client.Destination{d("a", "u")}}}}
	start := num.cfg
	final, err := reconcile(context.Background(), num, &start, want(true), &apiHabits{})
	var timeout *client.WaitTimeoutError[*client.MultiWebhook]
	if !errors.As(err, &timeout) {
		t.Fatalf("err = %v, want a WaitTimeoutError", err)
	}
	if names(final.Destinations) != "a" {
		t.Errorf("final = %+v, want the last seen config with a", final)
	}
}

// neverShows accepts every change and never applies it.
type neverShows struct{ scriptedNumber }

func (n *neverShows) DeleteDestination(context.Context, string) error { return nil }
