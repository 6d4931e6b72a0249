package fakeapi

import (
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"
)

// The tests of this file cover the switches that decide what a change
// does: PATCH's headers, changes while disabled, unknown and existing
// names, enabling an enabled number, and the primary webhook's omitted
// headers.

// expectState fails unless key's settled state is want (in order).
func expectState(t *testing.T, s *Server, want State) {
	t.Helper()
	if got := s.State(testKey); got.Enabled != want.Enabled || !SameDestinations(got.Destinations, want.Destinations) ||
		!slices.Equal(names(got.Destinations), names(want.Destinations)) {
		t.Errorf("state enabled=%v %s, want enabled=%v %s", got.Enabled, DescribeDestinations(got.Destinations),
			want.Enabled, DescribeDestinations(want.Destinations))
	}
}

// headered is a destination with the given url and headers.
func headered(name, url string, headers map[string]string) Destination {
	return Destination{Name: name, URL: url, Headers: headers}
}

func TestPatchHeaders(t *testing.T) {
	start := headered("a", "https://a.example.com", map[string]string{"X-A": "1", "X-B": "2"})
	tests := []struct {
		reading PatchHeaders
		body    string
		want    map[string]string
	}{
		{"", `{"name": "a", "url": "https://a2.example.com", "headers": {"X-B": "3", "X-C": "4"}}`, map[string]string{"X-B": "3", "X-C": "4"}},
		{PatchHeadersReplace, `{"name": "a", "url": "https://a2.example.com", "headers": {"X-B": "3", "X-C": "4"}}`, map[string]string{"X-B": "3", "X-C": "4"}},
		{PatchHeadersReplace, `{"name": "a", "url": "https://a2.example.com", "headers": {}}`, map[string]string{}},
		{PatchHeadersMerge, `{"name": "a", "url": "https://a2.example.com", "headers": {"X-B": "3", "X-C": "4"}}`, map[string]string{"X-A": "1", "X-B": "3", "X-C": "4"}},
		{PatchHeadersMerge, `{"name": "a", "url": "https://a2.example.com", "headers": {}}`, map[string]string{"X-A": "1", "X-B": "2"}},
		{PatchHeadersMerge, `{"name": "a", "url": "https://a2.example.com"}`, map[string]string{"X-A": "1", "X-B": "2"}},
		{"no such reading", `{"name": "a", "url": "https://a2.example.com", "headers": {"X-C": "4"}}`, map[string]string{"X-C": "4"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading)+" "+tt.body, func(t *testing.T) {
			s := New(Options{PatchHeaders: tt.reading})
			s.SetState(testKey, enabledWith(start, bare("b")))
			expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, tt.body), 200, startedJS)
			expectState(t, s, enabledWith(headered("a", "https://a2.example.com", tt.want), bare("b")))
		})
	}
}

func TestWhileDisabledRefuse(t *testing.T) {
	for _, reading := range []WhileDisabled{"", WhileDisabledRefuse, "no such reading"} {
		s := New(Options{WhileDisabled: reading})
		s.SetState(testKey, State{Destinations: []Destination{dest("a", "https://a.example.com")}})
		expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 409, disabled)
		expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, `{"name": "a", "url": "https://a2.example.com"}`), 409, disabled)
		expect(t, do(t, s, "DELETE", PathMultiWebhook+"/a", testKey, ""), 409, disabled)
		expectState(t, s, State{Destinations: []Destination{dest("a", "https://a.example.com")}})
	}
}

func TestWhileDisabledAccept(t *testing.T) {
	s := New(Options{WhileDisabled: WhileDisabledAccept, AcceptedStatus: 202})
	s.SetState(testKey, State{Destinations: []Destination{dest("a", "https://a.example.com"), bare("b")}})
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("c")), 202, startedJS)
	expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, `{"name": "a", "url": "https://a2.example.com", "headers": {"X-A": "1"}}`), 202, startedJS)
	expect(t, do(t, s, "DELETE", PathMultiWebhook+"/b", testKey, ""), 202, startedJS)
	// The number stays disabled; the changes apply to what is hidden.
	expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 409, disabled)
	hidden := []Destination{headered("a", "https://a2.example.com", map[string]string{"X-A": "1"}), bare("c")}
	expectState(t, s, State{Destinations: hidden})
	// They are validated against the hidden destinations as usual.
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("a")), 400, `{"error": "Destination with name a already exists"}`)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, `{"destinations": [`+
		`{"name": "x", "url": "https://x.example.com"}, {"name": "y", "url": "https://y.example.com"}]}`), 400, `{"error": "You cannot add more than 3 destinations"}`)
	expect(t, do(t, s, "DELETE", PathMultiWebhook+"/b", testKey, ""), 404, `{"error": "Destination with name b not found"}`)
	expectState(t, s, State{Destinations: hidden})
	// Enabling shows them.
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 202, startedJS)
	expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200, `{"enabled": true, "destinations": [
		{"name": "a", "url": "https://a2.example.com", "headers": {"X-A": "1"}},
		{"name": "c", "url": "https://c.example.com", "headers": {}}]}`)
}

func TestWhileDisabledAcceptAfterClearOnDisable(t *testing.T) {
	s := New(Options{WhileDisabled: WhileDisabledAccept, ClearOnDisable: true})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": false}`), 200, startedJS)
	// Nothing is hidden: a and b are unknown names.
	expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, `{"name": "a", "url": "https://a2.example.com"}`), 404, `{"error": "Destination with name a not found"}`)
	expect(t, do(t, s, "DELETE", PathMultiWebhook+"/a", testKey, ""), 404, `{"error": "Destination with name a not found"}`)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 200, startedJS)
	expectState(t, s, State{Destinations: []Destination{bare("b")}})
}

func TestUnknownName(t *testing.T) {
	tests := []struct {
		reading UnknownName
		status  int
		patch   string
		remove  string
	}{
		{"", 404, `{"error": "Destination with name x not found"}`, `{"error": "Destination with name y not found"}`},
		{UnknownNameNotFound, 404, `{"error": "Destination with name x not found"}`, `{"error": "Destination with name y not found"}`},
		{UnknownNameBadRequest, 400, `{"error": "Destination with name x not found"}`, `{"error": "Destination with name y not found"}`},
		{UnknownNameAccept, 200, startedJS, startedJS},
		{"no such reading", 404, `{"error": "Destination with name x not found"}`, `{"error": "Destination with name y not found"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading), func(t *testing.T) {
			// RefusalStatus does not apply to these answers.
			s := New(Options{UnknownName: tt.reading, RefusalStatus: 422})
			s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
			expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, `{"name": "x", "url": "https://x.example.com"}`), tt.status, tt.patch)
			expect(t, do(t, s, "DELETE", PathMultiWebhook+"/y", testKey, ""), tt.status, tt.remove)
			expectState(t, s, enabledWith(dest("a", "https://a.example.com")))
			// The disabled message comes first.
			s.SetState(testKey, State{})
			expect(t, do(t, s, "DELETE", PathMultiWebhook+"/y", testKey, ""), 409, disabled)
		})
	}
}

func TestUnknownNameAcceptIsAChange(t *testing.T) {
	s, clock := newClocked(Options{UnknownName: UnknownNameAccept, SettleDelay: time.Second, AcceptedStatus: 201})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	expect(t, do(t, s, "DELETE", PathMultiWebhook+"/y", testKey, ""), 201, startedJS)
	// Like any accepted change it is pending until it settles, and holds
	// up the next change meanwhile.
	if got := s.Pending(testKey); got != 1 {
		t.Fatalf("Pending = %d, want 1", got)
	}
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 500, opFailed)
	clock.Advance(time.Second)
	if got := s.Pending(testKey); got != 0 {
		t.Fatalf("Pending = %d after settling, want 0", got)
	}
	expectState(t, s, enabledWith(dest("a", "https://a.example.com")))
}

func TestEnableWhileEnabled(t *testing.T) {
	withB := `{"enabled": true, "destinations": [{"name": "b", "url": "https://b.example.com"}]}`
	for _, reading := range []EnableWhileEnabled{"", EnableWhileEnabledAppend, "no such reading"} {
		s := New(Options{EnableWhileEnabled: reading})
		s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, withB), 200, startedJS)
		expectState(t, s, enabledWith(dest("a", "https://a.example.com"), bare("b")))
	}
	for _, status := range []int{400, 422} {
		s, clock := newClocked(Options{EnableWhileEnabled: EnableWhileEnabledRefuse, RefusalStatus: status, SettleDelay: time.Second, QueueWhilePending: true})
		s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, withB), status,
			`{"error": "Multi webhook is already enabled, use PUT to add destinations"}`)
		// A bare enable is accepted; so is an enable of a disabled number,
		// which is refused once an enable is pending.
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 200, startedJS)
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true, "destinations": []}`), 200, startedJS)
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": false}`), 200, startedJS)
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, withB), 200, startedJS)
		expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true, "destinations": [{"name": "c", "url": "https://c.example.com"}]}`), status,
			`{"error": "Multi webhook is already enabled, use PUT to add destinations"}`)
		clock.Advance(time.Hour)
		expectState(t, s, enabledWith(dest("a", "https://a.example.com"), bare("b")))
	}
}

func TestExistingNameRefuse(t *testing.T) {
	for _, reading := range []ExistingName{"", ExistingNameRefuse, "no such reading"} {
		s := New(Options{ExistingName: reading})
		s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
		expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, `{"destinations": [`+
			`{"name": "b", "url": "https://b.example.com"}, {"name": "a", "url": "https://a2.example.com"}]}`), 400, `{"error": "Destination with name a already exists"}`)
		expectState(t, s, enabledWith(dest("a", "https://a.example.com")))
	}
}

func TestExistingNameSkip(t *testing.T) {
	s := New(Options{ExistingName: ExistingNameSkip})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	// a is skipped, b added: the cap counts b only.
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, `{"destinations": [`+
		`{"name": "a", "url": "https://a2.example.com"}, {"name": "b", "url": "https://b.example.com"}]}`), 200, startedJS)
	expectState(t, s, enabledWith(dest("a", "https://a.example.com"), bare("b")))
	// Only names already there are skipped; the rest is checked as usual.
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, `{"destinations": [`+
		`{"name": "c", "url": "https://c.example.com"}, {"name": "c", "url": "https://c2.example.com"}]}`), 400, `{"error": "Destination names must be unique"}`)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, `{"destinations": [`+
		`{"name": "a", "url": "https://a.example.com"}, {"name": "c", "url": "https://c.example.com"}, {"name": "d", "url": "https://d.example.com"}]}`),
		400, `{"error": "You cannot add more than 3 destinations"}`)
	// Every name taken: accepted, and nothing changes.
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 200, startedJS)
	expectState(t, s, enabledWith(dest("a", "https://a.example.com"), bare("b")))

	// Hidden survivors of a disable count as taken when enabling.
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": false}`), 200, startedJS)
	expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true, "destinations": [`+
		`{"name": "b", "url": "https://b2.example.com", "headers": {"X-B": "1"}}, {"name": "c", "url": "https://c.example.com"}]}`), 200, startedJS)
	expectState(t, s, enabledWith(dest("a", "https://a.example.com"), bare("b"), bare("c")))
}

func TestWebhookOmittedHeaders(t *testing.T) {
	previous := map[string]string{"X-Env": "prod", "Authorization": "Bearer tok"}
	tests := []struct {
		reading WebhookOmittedHeaders
		body    string
		want    map[string]string
	}{
		{"", `{"url": "https://new.example.com"}`, map[string]string{}},
		{WebhookOmittedHeadersClear, `{"url": "https://new.example.com"}`, map[string]string{}},
		{WebhookOmittedHeadersClear, `{"url": "https://new.example.com", "headers": null}`, map[string]string{}},
		{WebhookOmittedHeadersKeep, `{"url": "https://new.example.com"}`, previous},
		{WebhookOmittedHeadersKeep, `{"url": "https://new.example.com", "headers": null}`, previous},
		{WebhookOmittedHeadersKeep, `{"url": "https://new.example.com", "headers": {}}`, map[string]string{}},
		{WebhookOmittedHeadersKeep, `{"url": "https://new.example.com", "headers": {"X-New": "1"}}`, map[string]string{"X-New": "1"}},
		{"no such reading", `{"url": "https://new.example.com"}`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading)+" "+tt.body, func(t *testing.T) {
			s := New(Options{WebhookOmittedHeaders: tt.reading})
			expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
			expect(t, do(t, s, "POST", PathWebhook, testKey, tt.body), 200, `{"url": "https://new.example.com"}`)
			want := &Webhook{URL: "https://new.example.com", Headers: tt.want}
			got := s.Webhook(testKey)
			if got == nil {
				t.Fatal("no webhook")
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("webhook %s %v, want %s %v", got.URL, sortedNames(got.Headers), want.URL, sortedNames(want.Headers))
			}
		})
	}
}

func TestWebhookOmittedHeadersKeepAppliesWhenSettled(t *testing.T) {
	s, clock := newClocked(Options{WebhookOmittedHeaders: WebhookOmittedHeadersKeep, SettleDelay: time.Second, QueueWhilePending: true})
	// The kept headers are those the webhook has when the change applies,
	// the queued change's included; a number without one keeps none.
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://first.example.com"}`), 200, `{"url": "https://first.example.com"}`)
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
	expect(t, do(t, s, "POST", PathWebhook, testKey, `{"url": "https://new.example.com"}`), 200, `{"url": "https://new.example.com"}`)
	clock.Advance(time.Second)
	if got := s.Webhook(testKey); got == nil || len(got.Headers) != 0 {
		t.Fatal("the first webhook is missing or has headers, want none")
	}
	clock.Advance(2 * time.Second)
	want := &Webhook{URL: "https://new.example.com", Headers: map[string]string{"X-Env": "prod", "Authorization": "Bearer tok"}}
	if got := s.Webhook(testKey); !reflect.DeepEqual(got, want) {
		t.Fatal("the webhook does not have the new url and the headers sent by the change before")
	}
}

// sortedNames lists the names of headers, sorted: never their values.
func sortedNames(headers map[string]string) []string {
	return slices.Sorted(maps.Keys(headers))
}

func TestOptionsNormalizeSwitches(t *testing.T) {
	bad := Options{
		EmptyDestinations: "x", NoHeaders: "x", DisabledBody: "x", AcceptedStatus: 204, PatchHeaders: "x",
		WhileDisabled: "x", UnknownName: "x", RefusalStatus: 500, EnableWhileEnabled: "x", ExistingName: "x",
		WebhookOmittedHeaders: "x", NoWebhook: "x", WebhookHeaders: "x",
	}
	defaults := Options{
		EmptyDestinations: EmptyDestinationsArray, NoHeaders: NoHeadersObject, DisabledBody: DisabledBodyMessage,
		AcceptedStatus: 200, ContentType: new("application/json"), PatchHeaders: PatchHeadersReplace,
		WhileDisabled: WhileDisabledRefuse, UnknownName: UnknownNameNotFound, RefusalStatus: 400,
		EnableWhileEnabled: EnableWhileEnabledAppend, ExistingName: ExistingNameRefuse,
		WebhookOmittedHeaders: WebhookOmittedHeadersClear, NoWebhook: NoWebhook404Meta, WebhookHeaders: HeadersShown,
		DisabledStatus: 409, RateWindow: time.Second, AcceptedKeys: []string{},
	}
	for name, o := range map[string]Options{"zero": {}, "unknown": bad} {
		got := New(o).Options()
		got.AcceptedKeys = []string{} // nil or empty alike
		if !reflect.DeepEqual(got, defaults) {
			t.Errorf("%s options normalise to\n  %+v\nwant\n  %+v", name, got, defaults)
		}
	}
	readings := Options{
		EmptyDestinations: EmptyDestinationsOmitted, NoHeaders: NoHeadersNull, DisabledBody: DisabledBodyEnabledFalseListed,
		AcceptedStatus: 202, ContentType: new(""), PatchHeaders: PatchHeadersMerge, WhileDisabled: WhileDisabledAccept,
		UnknownName: UnknownNameAccept, RefusalStatus: 422, EnableWhileEnabled: EnableWhileEnabledRefuse,
		ExistingName: ExistingNameSkip, WebhookOmittedHeaders: WebhookOmittedHeadersKeep, NoWebhook: NoWebhook200EmptyObject,
		WebhookHeaders: HeadersMasked, DisabledStatus: 200, RateWindow: time.Second, AcceptedKeys: []string{},
	}
	got := New(readings).Options()
	got.AcceptedKeys = []string{}
	if !reflect.DeepEqual(got, readings) {
		t.Errorf("readings normalise to\n  %+v\nwant them kept", got)
	}
}
