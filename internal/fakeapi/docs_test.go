package fakeapi

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestDocumentationExamples replays every example request of the public
// documentation page ("Webhook Configuration & Management") and checks the
// documented answer word for word. Expected texts are written out here, not
// taken from the package's constants, so that a typo in either shows.
func TestDocumentationExamples(t *testing.T) {
	h := func(name, url, auth string) Destination {
		return Destination{Name: name, URL: url, Headers: map[string]string{"Authorization": auth}}
	}
	webhook1 := h("Webhook1", "https://example.com/webhook1", "Bearer abc123")
	webhook2 := h("Webhook2", "https://example.com/webhook2", "Bearer abc123")
	newWebhook := Destination{Name: "NewWebhook", URL: "https://newwebhook.com", Headers: map[string]string{"Content-Type": "application/json"}}
	replaced2 := h("Webhook2", "https://replacedwebhook2.com", "D360-API-KEY")
	existing := h("ExistingWebhook", "https://oldwebhook.com", "old")
	updated := h("ExistingWebhook", "https://updatedwebhook.com", "D360-API-KEY")
	destination2 := h("destination2", "https://example.com/d2", "x")
	d := func(name string) string {
		return `{"name": "` + name + `", "url": "https://example.com/` + name + `", "headers": {}}`
	}

	tests := []struct {
		name         string
		opts         Options
		state        *State // initial settled state; nil = a fresh (disabled) number
		method, path string
		body         string
		status       int
		want         string // the whole answer, as JSON
		wantPrefix   string // instead of want: the start of the "error" text
		after        *State // settled state afterwards; nil = unchanged
	}{
		{
			name: "POST enables and adds NewWebhook", method: "POST",
			body: `{
  "enabled": true,
  "destinations": [
    {
      "name": "NewWebhook",
      "url": "https://newwebhook.com",
      "headers": {"Content-Type": "application/json"}
    }
  ]
}`,
			status: 200, want: startedJS, after: &State{Enabled: true, Destinations: []Destination{newWebhook}},
		},
		{
			name: "POST enabled true", method: "POST", body: `{"enabled": true}`,
			status: 200, want: startedJS, after: &State{Enabled: true, Destinations: []Destination{}},
		},
		{
			name: "POST enabled false", state: &State{Enabled: true}, method: "POST", body: `{"enabled": false}`,
			status: 200, want: startedJS, after: &State{Destinations: []Destination{}},
		},
		{
			// The documented example lacks the comma between the two
			// destinations; the answer is that JSON, corrected.
			name: "GET lists Webhook1 and Webhook2", state: &State{Enabled: true, Destinations: []Destination{webhook1, webhook2}},
			method: "GET",
			status: 200,
			want: `{
  "enabled": true,
  "destinations": [
    {
      "name": "Webhook1",
      "url": "https://example.com/webhook1",
      "headers": {"Authorization": "Bearer abc123"}
    },
      {
      "name": "Webhook2",
      "url": "https://example.com/webhook2",
      "headers": {"Authorization": "Bearer abc123"}
    }
  ]
}`,
		},
		{
			name: "GET while disabled", method: "GET", status: 409,
			want: `{
    "message": "Multi webhook is disabled, use POST to enable it first"
}`,
		},
		{
			name: "PUT appends Webhook2", state: &State{Enabled: true, Destinations: []Destination{webhook1}}, method: "PUT",
			body: `{
  "destinations": [
    {
      "name": "Webhook2",
      "url": "https://replacedwebhook2.com",
      "headers": {"Authorization": "D360-API-KEY"}
    }
  ]
}`,
			status: 200, want: startedJS, after: &State{Enabled: true, Destinations: []Destination{webhook1, replaced2}},
		},
		{
			name: "PATCH updates ExistingWebhook", state: &State{Enabled: true, Destinations: []Destination{existing}}, method: "PATCH",
			body: `{
  "name": "ExistingWebhook",
  "url": "https://updatedwebhook.com",
  "headers": {"Authorization": "D360-API-KEY"}
}`,
			status: 200, want: startedJS, after: &State{Enabled: true, Destinations: []Destination{updated}},
		},
		{
			name: "DELETE Webhook2", state: &State{Enabled: true, Destinations: []Destination{webhook1, webhook2}},
			method: "DELETE", path: "/multi_webhook/Webhook2",
			status: 200, want: startedJS, after: &State{Enabled: true, Destinations: []Destination{webhook1}},
		},
		{
			name: "POST invalid json", method: "POST", body: `{"enabled": "yes"}`,
			status: 400, wantPrefix: "Invalid json: ",
		},
		{
			name: "PUT invalid json", state: &State{Enabled: true}, method: "PUT", body: `{"destinations": [{"url": "https://a.example.com"}]}`,
			status: 400, wantPrefix: "Invalid json: ",
		},
		{
			name: "PATCH invalid json", state: &State{Enabled: true, Destinations: []Destination{existing}}, method: "PATCH", body: `{"name": "ExistingWebhook",`,
			status: 400, wantPrefix: "Invalid json: ",
		},
		{
			name: "POST destination2 already exists", state: &State{Enabled: true, Destinations: []Destination{destination2}},
			method: "POST", body: `{"enabled": true, "destinations": [` + d("destination2") + `]}`,
			status: 400, want: `{"error": "Destination with name destination2 already exists"}`,
		},
		{
			name: "PUT destination2 already exists", state: &State{Enabled: true, Destinations: []Destination{destination2}},
			method: "PUT", body: `{"destinations": [` + d("destination2") + `]}`,
			status: 400, want: `{"error": "Destination with name destination2 already exists"}`,
		},
		{
			name: "POST names must be unique", method: "POST", body: `{"enabled": true, "destinations": [` + d("a") + `, ` + d("a") + `]}`,
			status: 400, want: `{"error": "Destination names must be unique"}`,
		},
		{
			name: "PUT names must be unique", state: &State{Enabled: true}, method: "PUT", body: `{"destinations": [` + d("a") + `, ` + d("a") + `]}`,
			status: 400, want: `{"error": "Destination names must be unique"}`,
		},
		{
			name: "POST more than 3", state: &State{Enabled: true, Destinations: []Destination{webhook1, webhook2}},
			method: "POST", body: `{"enabled": true, "destinations": [` + d("a") + `, ` + d("b") + `]}`,
			status: 400, want: `{"error": "You cannot add more than 3 destinations"}`,
		},
		{
			name: "PUT more than 3", state: &State{Enabled: true, Destinations: []Destination{webhook1}},
			method: "PUT", body: `{"destinations": [` + d("a") + `, ` + d("b") + `, ` + d("c") + `]}`,
			status: 400, want: `{"error": "You cannot add more than 3 destinations"}`,
		},
		{
			name: "POST operation failed", opts: Options{ChangeFailureRate: 1}, method: "POST", body: `{"enabled": true}`,
			status: 500, want: opFailed,
		},
		{
			name: "PUT operation failed", opts: Options{ChangeFailureRate: 1}, state: &State{Enabled: true},
			method: "PUT", body: `{"destinations": [` + d("a") + `]}`,
			status: 500, want: opFailed,
		},
		{
			name: "PATCH operation failed", opts: Options{ChangeFailureRate: 1}, state: &State{Enabled: true, Destinations: []Destination{existing}},
			method: "PATCH", body: `{"name": "ExistingWebhook", "url": "https://updatedwebhook.com", "headers": {}}`,
			status: 500, want: opFailed,
		},
		{
			name: "DELETE operation failed", opts: Options{ChangeFailureRate: 1}, state: &State{Enabled: true, Destinations: []Destination{webhook2}},
			method: "DELETE", path: "/multi_webhook/Webhook2",
			status: 500, want: opFailed,
		},
		{
			name: "names are case-sensitive: WEBhook next to webhook", state: &State{Enabled: true, Destinations: []Destination{h("webhook", "https://a.example.com", "x")}},
			method: "PUT", body: `{"destinations": [{"name": "WEBhook", "url": "https://b.example.com", "headers": {"Authorization": "x"}}]}`,
			status: 200, want: startedJS,
			after: &State{Enabled: true, Destinations: []Destination{h("webhook", "https://a.example.com", "x"), h("WEBhook", "https://b.example.com", "x")}},
		},
		{
			name: "DELETE needs an exact name", state: &State{Enabled: true, Destinations: []Destination{webhook2}},
			method: "DELETE", path: "/multi_webhook/webhook2",
			status: 404, want: `{"error": "Destination with name webhook2 not found"}`,
		},
		{
			name: "PATCH needs an exact name", state: &State{Enabled: true, Destinations: []Destination{existing}},
			method: "PATCH", body: `{"name": "existingwebhook", "url": "https://updatedwebhook.com", "headers": {}}`,
			status: 404, want: `{"error": "Destination with name existingwebhook not found"}`,
		},
		{
			name: "documented invalid URL with underscore", state: &State{Enabled: true},
			method: "PUT", body: `{"destinations": [{"name": "a", "url": "https://your_webhook.example.com", "headers": {}}]}`,
			status: 400, want: `{"error": "Invalid webhook URL: https://your_webhook.example.com"}`,
		},
		{
			name: "documented invalid URL with underscore and port", state: &State{Enabled: true},
			method: "PUT", body: `{"destinations": [{"name": "a", "url": "https://subdomain.your_webhook.example.com:3000", "headers": {}}]}`,
			status: 400, want: `{"error": "Invalid webhook URL: https://subdomain.your_webhook.example.com:3000"}`,
		},
		{
			name: "documented valid URLs", state: &State{Enabled: true},
			method: "PUT", body: `{"destinations": [{"name": "a", "url": "https://yourwebhook.example.com", "headers": {}}, {"name": "b", "url": "https://subdomain.yourwebhook.example.com", "headers": {}}]}`,
			status: 200, want: startedJS,
			after: &State{Enabled: true, Destinations: []Destination{
				{Name: "a", URL: "https://yourwebhook.example.com", Headers: map[string]string{}},
				{Name: "b", URL: "https://subdomain.yourwebhook.example.com", Headers: map[string]string{}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts)
			if tt.state != nil {
				s.SetState(testKey, *tt.state)
			}
			before := s.State(testKey)
			path := tt.path
			if path == "" {
				path = "/multi_webhook"
			}
			r := do(t, s, tt.method, path, testKey, tt.body)
			if tt.wantPrefix != "" {
				if r.status != tt.status || !strings.HasPrefix(r.errorText(t), tt.wantPrefix) {
					t.Errorf("got %d %s, want %d with an error starting %q", r.status, r.body, tt.status, tt.wantPrefix)
				}
			} else {
				expect(t, r, tt.status, tt.want)
			}
			want := before
			if tt.after != nil {
				want = *tt.after
			}
			if got := s.State(testKey); !reflect.DeepEqual(got, want) {
				t.Errorf("state afterwards %+v, want %+v", got, want)
			}
		})
	}
}

// TestDocumentationContentType checks that every JSON answer says so.
func TestDocumentationContentType(t *testing.T) {
	s := New(Options{})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		r := do(t, s, method, "/multi_webhook", testKey, `{"enabled": true}`)
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", method, ct)
		}
	}
}
