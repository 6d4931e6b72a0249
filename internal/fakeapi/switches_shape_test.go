package fakeapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The tests of this file cover the switches that shape answers: how GET
// shows what a number has, statuses, Content-Type and extra fields.

// bare is a destination without headers.
func bare(name string) Destination {
	return Destination{Name: name, URL: "https://" + name + ".example.com"}
}

func TestEmptyDestinations(t *testing.T) {
	tests := []struct {
		reading EmptyDestinations
		want    string
	}{
		{"", `{"enabled": true, "destinations": []}`},
		{EmptyDestinationsArray, `{"enabled": true, "destinations": []}`},
		{EmptyDestinationsNull, `{"enabled": true, "destinations": null}`},
		{EmptyDestinationsOmitted, `{"enabled": true}`},
		{"no such reading", `{"enabled": true, "destinations": []}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading), func(t *testing.T) {
			s := New(Options{EmptyDestinations: tt.reading})
			expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": true}`), 200, startedJS)
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200, tt.want)
			// A list that is not empty is shown as always.
			expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("a")), 200, startedJS)
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200,
				`{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com", "headers": {}}]}`)
			// Emptied again by DELETE, the list takes the reading's shape.
			expect(t, do(t, s, "DELETE", PathMultiWebhook+"/a", testKey, ""), 200, startedJS)
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200, tt.want)
		})
	}
}

func TestNoHeaders(t *testing.T) {
	withHeader := `{"name": "a", "url": "https://a.example.com", "headers": {"Authorization": "Bearer a"}}`
	tests := []struct {
		reading NoHeaders
		want    string // how a destination without headers is shown; %[1]s is its name
	}{
		{"", `{"name": "%[1]s", "url": "https://%[1]s.example.com", "headers": {}}`},
		{NoHeadersObject, `{"name": "%[1]s", "url": "https://%[1]s.example.com", "headers": {}}`},
		{NoHeadersNull, `{"name": "%[1]s", "url": "https://%[1]s.example.com", "headers": null}`},
		{NoHeadersOmitted, `{"name": "%[1]s", "url": "https://%[1]s.example.com"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading), func(t *testing.T) {
			s := New(Options{NoHeaders: tt.reading})
			s.SetState(testKey, enabledWith(dest("a", "https://a.example.com"), bare("b")))
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200,
				`{"enabled": true, "destinations": [`+withHeader+`, `+fmt.Sprintf(tt.want, "b")+`]}`)
			// A PATCH that removes a's headers shows them the same way.
			expect(t, do(t, s, "PATCH", PathMultiWebhook, testKey, `{"name": "a", "url": "https://a.example.com", "headers": {}}`), 200, startedJS)
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200,
				`{"enabled": true, "destinations": [`+fmt.Sprintf(tt.want, "a")+`, `+fmt.Sprintf(tt.want, "b")+`]}`)
		})
	}
}

func TestDisabledBody(t *testing.T) {
	listed := `{"enabled": false, "destinations": [
		{"name": "a", "url": "https://a.example.com", "headers": {"Authorization": "Bearer a"}},
		{"name": "b", "url": "https://b.example.com", "headers": null}]}`
	tests := []struct {
		reading DisabledBody
		want    string
	}{
		{"", disabled},
		{DisabledBodyMessage, disabled},
		{DisabledBodyEnabledFalse, `{"enabled": false}`},
		{DisabledBodyEnabledFalseListed, listed},
		{"no such reading", disabled},
	}
	for _, tt := range tests {
		for _, status := range []int{409, 200} {
			t.Run(string(tt.reading)+"/"+itoa(status), func(t *testing.T) {
				s := New(Options{DisabledBody: tt.reading, DisabledStatus: status, NoHeaders: NoHeadersNull})
				s.SetState(testKey, enabledWith(dest("a", "https://a.example.com"), bare("b")))
				expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": false}`), 200, startedJS)
				expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), status, tt.want)
				// The other changes are refused with the message whatever
				// GET shows.
				expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("c")), 409, disabled)
			})
		}
	}
}

func TestDisabledBodyListedEmpty(t *testing.T) {
	tests := []struct {
		reading EmptyDestinations
		want    string
	}{
		{EmptyDestinationsArray, `{"enabled": false, "destinations": []}`},
		{EmptyDestinationsNull, `{"enabled": false, "destinations": null}`},
		{EmptyDestinationsOmitted, `{"enabled": false}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading), func(t *testing.T) {
			s := New(Options{DisabledBody: DisabledBodyEnabledFalseListed, ClearOnDisable: true, EmptyDestinations: tt.reading})
			s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
			expect(t, do(t, s, "POST", PathMultiWebhook, testKey, `{"enabled": false}`), 200, startedJS)
			expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 409, tt.want)
		})
	}
}

func TestAcceptedStatus(t *testing.T) {
	for _, status := range []int{0, 200, 201, 202, 204} {
		t.Run(itoa(status), func(t *testing.T) {
			want := status
			if status == 0 || status == 204 {
				want = 200 // the default, also for a status that is not a reading
			}
			s := New(Options{AcceptedStatus: status})
			if got := s.Options().AcceptedStatus; got != want {
				t.Fatalf("Options().AcceptedStatus = %d, want %d", got, want)
			}
			steps := []struct{ method, path, body, answer string }{
				{"POST", PathMultiWebhook, `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`, startedJS},
				{"PUT", PathMultiWebhook, put("b"), startedJS},
				{"PATCH", PathMultiWebhook, `{"name": "a", "url": "https://a2.example.com", "headers": {"X-A": "1"}}`, startedJS},
				{"DELETE", PathMultiWebhook + "/b", "", startedJS},
				{"POST", PathWebhook, webhookBody, webhookSetJS},
			}
			for _, st := range steps {
				expect(t, do(t, s, st.method, st.path, testKey, st.body), want, st.answer)
			}
			wantState := enabledWith(Destination{Name: "a", URL: "https://a2.example.com", Headers: map[string]string{"X-A": "1"}})
			if got := s.State(testKey); !SameDestinations(got.Destinations, wantState.Destinations) || !got.Enabled {
				t.Errorf("state %s, want %s", DescribeDestinations(got.Destinations), DescribeDestinations(wantState.Destinations))
			}
			if w := s.Webhook(testKey); w == nil || w.URL != "https://app.example.com/wa" {
				t.Errorf("webhook %+v", w)
			}
			// Refusals and reads keep their statuses.
			expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("a")), 400, `{"error": "Destination with name a already exists"}`)
			if r := do(t, s, "GET", PathMultiWebhook, testKey, ""); r.status != 200 {
				t.Errorf("GET answered %d", r.status)
			}
		})
	}
}

// contentTypes sends one request of each kind of answer to h and returns
// the Content-Type headers they carried (nil for none), by kind.
func contentTypes(t *testing.T, h http.Handler) map[string][]string {
	t.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	requests := []struct{ kind, method, path, key, body string }{
		{"accepted", "POST", PathMultiWebhook, testKey, `{"enabled": true}`},
		{"get", "GET", PathMultiWebhook, testKey, ""},
		{"refusal", "PUT", PathMultiWebhook, testKey, `{`},
		{"unauthorized", "GET", PathMultiWebhook, "", ""},
		{"route", "GET", "/nowhere", testKey, ""},
		{"webhook get", "GET", PathWebhook, testKey, ""},
		{"webhook post", "POST", PathWebhook, testKey, webhookBody},
	}
	out := map[string][]string{}
	for _, rq := range requests {
		req, err := http.NewRequest(rq.method, ts.URL+rq.path, strings.NewReader(rq.body))
		if err != nil {
			t.Fatal(err)
		}
		if rq.key != "" {
			req.Header.Set(HeaderAPIKey, rq.key)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		out[rq.kind] = resp.Header.Values("Content-Type")
	}
	return out
}

func TestContentType(t *testing.T) {
	tests := []struct {
		name string
		opt  *string
		want []string
	}{
		{"default", nil, []string{"application/json"}},
		{"with charset", new("application/json; charset=utf-8"), []string{"application/json; charset=utf-8"}},
		{"go without setting one", new("text/plain; charset=utf-8"), []string{"text/plain; charset=utf-8"}},
		{"none", new(""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{ContentType: tt.opt})
			for kind, got := range contentTypes(t, s) {
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("%s: Content-Type %q, want %q", kind, got, tt.want)
				}
			}
			// The admin endpoints are the fake's own: always JSON.
			if ct := do(t, s.AdminHandler(), "GET", AdminStatsPath, "", "").header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("admin Content-Type %q", ct)
			}
			// A proxy's 502 page stays HTML.
			s.SetOptions(func(o *Options) { o.GetFailureRate = 1 })
			if ct := do(t, s, "GET", PathMultiWebhook, testKey, "").header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("502 page Content-Type %q", ct)
			}
		})
	}
}

func TestContentTypeIsNotShared(t *testing.T) {
	ct := "text/plain"
	s := New(Options{ContentType: &ct})
	ct = "application/xml"
	if got := do(t, s, "GET", PathMultiWebhook, testKey, "").header.Get("Content-Type"); got != "text/plain" {
		t.Fatalf("Content-Type %q after the caller changed its string, want text/plain", got)
	}
	*s.Options().ContentType = "application/xml"
	if got := *s.Options().ContentType; got != "text/plain" {
		t.Fatalf("Options().ContentType = %q after a caller changed a copy", got)
	}
}

func TestRefusalStatus(t *testing.T) {
	refusals := []struct{ method, body, want string }{
		{"POST", `{"enabled": "yes"}`, `{"error": "Invalid json: field \"enabled\" must be a boolean"}`},
		{"PUT", `{`, `{"error": "Invalid json: unexpected end of JSON input"}`},
		{"PUT", put("a"), `{"error": "Destination with name a already exists"}`},
		{"POST", `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`, `{"error": "Destination with name a already exists"}`},
		{"PUT", `{"destinations": [{"name": "x", "url": "https://x.example.com"}, {"name": "x", "url": "https://y.example.com"}]}`, `{"error": "Destination names must be unique"}`},
		{"PUT", `{"destinations": [{"name": "x", "url": "https://x.example.com"}, {"name": "y", "url": "https://y.example.com"}, {"name": "z", "url": "https://z.example.com"}]}`, `{"error": "You cannot add more than 3 destinations"}`},
		{"PATCH", `{"name": "a", "url": "https://a_b.example.com"}`, `{"error": "Invalid webhook URL: https://a_b.example.com"}`},
	}
	for _, status := range []int{0, 400, 409, 422, 418} {
		t.Run(itoa(status), func(t *testing.T) {
			want := status
			if status == 0 || status == 418 {
				want = 400
			}
			s := New(Options{RefusalStatus: status})
			s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
			before := s.State(testKey)
			for _, r := range refusals {
				expect(t, do(t, s, r.method, PathMultiWebhook, testKey, r.body), want, r.want)
			}
			if after := s.State(testKey); !SameDestinations(before.Destinations, after.Destinations) || s.Pending(testKey) != 0 {
				t.Errorf("a refusal changed the number: %s", DescribeDestinations(after.Destinations))
			}
			// The other refusals keep their own statuses.
			expect(t, do(t, s, "DELETE", PathMultiWebhook+"/zz", testKey, ""), 404, `{"error": "Destination with name zz not found"}`)
			expect(t, do(t, s, "POST", PathWebhook, testKey, `{}`), 400, metaJS(400, `Invalid json: missing required field "url"`))
			expect(t, do(t, s, "GET", PathMultiWebhook, "", ""), 401, `{"error": "Missing D360-API-KEY header"}`)
			s.SetState(testKey, State{})
			expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("b")), 409, disabled)
		})
	}
}

func TestNoWebhook(t *testing.T) {
	tests := []struct {
		reading NoWebhook
		status  int
		want    string
	}{
		{"", 404, noWebhookJS},
		{NoWebhook404Meta, 404, noWebhookJS},
		{NoWebhook404Error, 404, `{"error": "No webhook is configured for this number"}`},
		{NoWebhook200EmptyURL, 200, `{"url": ""}`},
		{NoWebhook200EmptyObject, 200, `{}`},
		{"no such reading", 404, noWebhookJS},
	}
	for _, tt := range tests {
		t.Run(string(tt.reading), func(t *testing.T) {
			s := New(Options{NoWebhook: tt.reading})
			r := do(t, s, "GET", PathWebhook, testKey, "")
			expect(t, r, tt.status, tt.want)
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, webhookSetJS)
			expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200, webhookShowJS)
		})
	}
}

func TestExtraFields(t *testing.T) {
	s, clock := newClocked(Options{ExtraFields: true})
	stamp := `"updated_at": "2025-01-01T00:00:00Z"`
	dstID := func(name string) string { return `"id": "dst_` + Fingerprint(name) + `"` }
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com"), bare("b")))

	expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200, `{"enabled": true, "id": "req_1", `+stamp+`, "destinations": [
		{"name": "a", "url": "https://a.example.com", "headers": {"Authorization": "Bearer a"}, `+dstID("a")+`, `+stamp+`},
		{"name": "b", "url": "https://b.example.com", "headers": {}, `+dstID("b")+`, `+stamp+`}]}`)
	clock.Advance(90 * time.Second)
	stamp = `"updated_at": "2025-01-01T00:01:30Z"`
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("c")), 200,
		`{"message": "Operation has been started, please wait several seconds until change is applied", "id": "req_2", `+stamp+`}`)
	expect(t, do(t, s, "PUT", PathMultiWebhook, testKey, put("c")), 400,
		`{"error": "Destination with name c already exists", "id": "req_3", `+stamp+`}`)
	expect(t, do(t, s, "POST", PathWebhook, testKey, webhookBody), 200, `{"url": "https://app.example.com/wa", "id": "req_4", `+stamp+`}`)
	expect(t, do(t, s, "GET", PathWebhook, testKey, ""), 200,
		`{"url": "https://app.example.com/wa", "headers": {"X-Env": "prod", "Authorization": "Bearer tok"}, "id": "req_5", `+stamp+`}`)
	expect(t, do(t, s, "GET", PathWebhook, "other", ""), 404, `{"meta": {"success": false, "http_code": 404,
		"developer_message": "No webhook is configured for this number", "details": []}, "id": "req_6", `+stamp+`}`)
	expect(t, do(t, s, "GET", "/nowhere", testKey, ""), 404, `{"error": "Not found: /nowhere", "id": "req_7", `+stamp+`}`)

	// An empty list has no destination to stamp, whatever its shape.
	s.SetOptions(func(o *Options) { o.EmptyDestinations = EmptyDestinationsNull })
	s.SetState(testKey, enabledWith())
	expect(t, do(t, s, "GET", PathMultiWebhook, testKey, ""), 200, `{"enabled": true, "destinations": null, "id": "req_8", `+stamp+`}`)
	// The state and the admin endpoints have no extra field.
	if got := s.State(testKey); !got.Enabled || len(got.Destinations) != 0 {
		t.Errorf("state %+v", got)
	}
	expect(t, do(t, s.AdminHandler(), "POST", AdminResetPath+"?scope=log", "", ""), 200, `{"message": "reset"}`)
}

func TestExtraFieldsOffByDefault(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith(bare("a")))
	for _, r := range []result{
		do(t, s, "GET", PathMultiWebhook, testKey, ""),
		do(t, s, "PUT", PathMultiWebhook, testKey, put("b")),
		do(t, s, "GET", PathWebhook, testKey, ""),
	} {
		if strings.Contains(r.body, `"id"`) || strings.Contains(r.body, "updated_at") {
			t.Errorf("answer %s has extra fields", r.body)
		}
	}
}
