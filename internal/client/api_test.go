package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

func TestCallsSendMethodPathHeadersAndBody(t *testing.T) {
	crm := Destination{Name: "crm", URL: "https://crm.example.com/wa"} // nil headers
	auth := Destination{Name: "an", URL: "https://an.example.com", Headers: map[string]string{"Authorization": "Bearer x"}}
	cases := []struct {
		name       string
		call       func(context.Context, *Number) error
		method     string
		path, body string
	}{
		{"get", func(ctx context.Context, num *Number) error { _, err := num.GetMultiWebhook(ctx); return err },
			"GET", "/multi_webhook", ""},
		{"enable without destinations", func(ctx context.Context, num *Number) error { return num.SetMultiWebhookEnabled(ctx, true, nil) },
			"POST", "/multi_webhook", `{"enabled":true}`},
		{"disable with empty list", func(ctx context.Context, num *Number) error {
			return num.SetMultiWebhookEnabled(ctx, false, []Destination{})
		},
			"POST", "/multi_webhook", `{"enabled":false}`},
		{"enable with destinations", func(ctx context.Context, num *Number) error {
			return num.SetMultiWebhookEnabled(ctx, true, []Destination{crm})
		},
			"POST", "/multi_webhook", `{"enabled":true,"destinations":[{"name":"crm","url":"https://crm.example.com/wa","headers":{}}]}`},
		{"append", func(ctx context.Context, num *Number) error {
			return num.AddDestinations(ctx, []Destination{crm, auth})
		},
			"PUT", "/multi_webhook", `{"destinations":[{"name":"crm","url":"https://crm.example.com/wa","headers":{}},{"name":"an","url":"https://an.example.com","headers":{"Authorization":"Bearer x"}}]}`},
		{"append nothing", func(ctx context.Context, num *Number) error { return num.AddDestinations(ctx, nil) },
			"PUT", "/multi_webhook", `{"destinations":[]}`},
		{"update", func(ctx context.Context, num *Number) error { return num.PatchDestination(ctx, auth) },
			"PATCH", "/multi_webhook", `{"name":"an","url":"https://an.example.com","headers":{"Authorization":"Bearer x"}}`},
		{"update without headers", func(ctx context.Context, num *Number) error { return num.PatchDestination(ctx, crm) },
			"PATCH", "/multi_webhook", `{"name":"crm","url":"https://crm.example.com/wa","headers":{}}`},
		{"delete", func(ctx context.Context, num *Number) error { return num.DeleteDestination(ctx, "crm") },
			"DELETE", "/multi_webhook/crm", ""},
		{"delete escaped", func(ctx context.Context, num *Number) error { return num.DeleteDestination(ctx, "a b/c") },
			"DELETE", "/multi_webhook/a%20b%2Fc", ""},
		{"delete dot segment", func(ctx context.Context, num *Number) error { return num.DeleteDestination(ctx, "..") },
			"DELETE", "/multi_webhook/%2E%2E", ""},
		{"delete unicode", func(ctx context.Context, num *Number) error { return num.DeleteDestination(ctx, "naïve?#%") },
			"DELETE", "/multi_webhook/na%C3%AFve%3F%23%25", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t)
			num, _ := fs.number(testKey)
			if err := tc.call(t.Context(), num); err != nil {
				t.Fatalf("call failed: %v", err)
			}
			reqs := fs.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tc.method || r.Path != tc.path || r.Body != tc.body {
				t.Errorf("got %s %s %s\nwant %s %s %s", r.Method, r.Path, r.Body, tc.method, tc.path, tc.body)
			}
			wantHeaders := map[string]string{
				"D360-Api-Key": testKey, "Content-Type": "application/json",
				"Accept": "application/json", "User-Agent": "terraform-provider-d360/test",
			}
			for k, v := range wantHeaders {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestDeleteRejectsEmptyName(t *testing.T) {
	fs := newFakeServer(t)
	num, _ := fs.number(testKey)
	if err := num.DeleteDestination(t.Context(), ""); err == nil {
		t.Fatal("expected an error")
	}
	if fs.count() != 0 {
		t.Errorf("%d requests sent for an empty name", fs.count())
	}
}

// callByMethod makes the change call of method with plausible arguments.
func callByMethod(ctx context.Context, num *Number, method string) error {
	d := Destination{Name: "destination2", URL: "https://example.com/two"}
	switch method {
	case http.MethodPost:
		return num.SetMultiWebhookEnabled(ctx, true, []Destination{d})
	case http.MethodPut:
		return num.AddDestinations(ctx, []Destination{d})
	case http.MethodPatch:
		return num.PatchDestination(ctx, d)
	default:
		return num.DeleteDestination(ctx, d.Name)
	}
}

// pathOf is the path each change call uses in callByMethod.
func pathOf(method string) string {
	if method == http.MethodDelete {
		return "/multi_webhook/destination2"
	}
	return "/multi_webhook"
}

func TestDocumentedChangeAnswers(t *testing.T) {
	type answerCase struct {
		status int
		body   string
		kind   ErrorKind // KindUnknown with ok=true means success
		ok     bool
		msg    string
	}
	validation := func(text string) answerCase {
		return answerCase{status: 400, body: errBody(text), kind: KindValidation, msg: text}
	}
	common := []answerCase{
		{status: 200, body: msgBody(msgStarted), ok: true},
		{status: 500, body: errBody(errOperationFaild), kind: KindTransient, msg: errOperationFaild},
		{status: 400, body: errBody(errOperationFaild), kind: KindTransient, msg: errOperationFaild},
		{status: 200, body: errBody(errOperationFaild), kind: KindTransient, msg: errOperationFaild},
		{status: 409, body: msgBody(msgDisabled), kind: KindDisabled, msg: msgDisabled},
		{status: 401, body: errBody("Unauthorized"), kind: KindAuth, msg: "Unauthorized"},
		{status: 403, body: errBody("Forbidden"), kind: KindAuth, msg: "Forbidden"},
		{status: 429, body: errBody("Too many requests"), kind: KindTransient, msg: "Too many requests"},
	}
	perMethod := map[string][]answerCase{
		http.MethodPost:   {validation(errInvalidJSON), validation(errAlreadyExists), validation(errNamesUnique), validation(errMoreThanThree)},
		http.MethodPut:    {validation(errInvalidJSON), validation(errAlreadyExists), validation(errNamesUnique), validation(errMoreThanThree)},
		http.MethodPatch:  {validation(errInvalidJSON), validation(errAlreadyExists), validation(errNamesUnique)},
		http.MethodDelete: {{status: 404, body: errBody("Destination not found"), kind: KindNotFound, msg: "Destination not found"}},
	}
	for method, cases := range perMethod {
		for _, tc := range append(cases, common...) {
			t.Run(method+" "+tc.body, func(t *testing.T) {
				fs := newFakeServer(t, reply{status: tc.status, body: tc.body})
				num, _ := fs.number(testKey)
				err := callByMethod(t.Context(), num, method)
				if tc.ok {
					if err != nil {
						t.Fatalf("unexpected error %v", err)
					}
					return
				}
				e := apiErr(t, err)
				if e.Kind != tc.kind || e.Message != tc.msg || e.StatusCode != tc.status || e.Method != method || e.Path != pathOf(method) {
					t.Errorf("got %+v (kind %s), want kind %s, message %q, status %d", e, e.Kind, tc.kind, tc.msg, tc.status)
				}
				wantAttempts := 1
				if tc.kind == KindTransient {
					wantAttempts = fastRetry.MaxAttempts
				}
				if e.Attempts != wantAttempts || fs.count() != wantAttempts {
					t.Errorf("attempts %d, requests %d, want %d", e.Attempts, fs.count(), wantAttempts)
				}
			})
		}
	}
}

func TestValidationErrorText(t *testing.T) {
	fs := newFakeServer(t, reply{status: 400, body: errBody("Destination with name crm already exists")})
	num, _ := fs.number(testKey)
	err := num.AddDestinations(t.Context(), []Destination{{Name: "crm", URL: "https://crm.example.com"}})
	want := "PUT /multi_webhook: HTTP 400: Destination with name crm already exists"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	if !IsValidation(err) || kindIs(KindTransient)(err) {
		t.Errorf("classification wrong for %v", err)
	}
}

func TestDocumentedGetAnswers(t *testing.T) {
	bearer := map[string]string{"Authorization": "Bearer abc123"}
	docList := &MultiWebhook{Enabled: true, Destinations: []Destination{
		{Name: "Webhook1", URL: "https://example.com/webhook1", Headers: bearer},
		{Name: "Webhook2", URL: "https://example.com/webhook2", Headers: bearer},
	}}
	cases := []struct {
		name   string
		status int
		body   string
		want   *MultiWebhook
	}{
		{"documented list", 200, docGETList, docList},
		{"disabled with 409", 409, msgBody(msgDisabled), &MultiWebhook{}},
		{"disabled with 200", 200, msgBody(msgDisabled), &MultiWebhook{}},
		{"disabled flag", 200, `{"enabled":false}`, &MultiWebhook{}},
		{"empty list", 200, `{"enabled":true,"destinations":[]}`, &MultiWebhook{Enabled: true}},
		{"missing headers", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a"},{"name":"b","url":"https://b","headers":null}]}`,
			&MultiWebhook{Enabled: true, Destinations: []Destination{{Name: "a", URL: "https://a", Headers: map[string]string{}}, {Name: "b", URL: "https://b", Headers: map[string]string{}}}}},
		{"disabled with a list", 200, `{"enabled":false,"destinations":[{"name":"a","url":"https://a"}]}`, &MultiWebhook{}},
		// The OpenAPI file requires neither field: an enabled number with
		// no destinations may show them as null or leave them out.
		{"enabled, destinations null", 200, `{"enabled":true,"destinations":null}`, &MultiWebhook{Enabled: true}},
		{"enabled, no destinations key", 200, `{"enabled":true}`, &MultiWebhook{Enabled: true}},
		{"disabled as an object with 409", 409, `{"enabled":false}`, &MultiWebhook{}},
		{"unknown fields ignored", 200, `{"enabled":true,"extra":1,"destinations":[{"name":"a","url":"https://a","headers":{},"x":2}]}`,
			&MultiWebhook{Enabled: true, Destinations: []Destination{{Name: "a", URL: "https://a", Headers: map[string]string{}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: tc.status, body: tc.body})
			num, _ := fs.number(testKey)
			got, err := num.GetMultiWebhook(t.Context())
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestGetErrors(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		kind   ErrorKind
		msg    string // for KindUnexpected, what follows the status, content type and length
	}{
		{"unauthorized", 401, errBody("Invalid api key"), KindAuth, "Invalid api key"},
		{"operation failed", 500, errBody(errOperationFaild), KindTransient, errOperationFaild},
		{"error with 200", 200, errBody(errOperationFaild), KindTransient, errOperationFaild},
		{"disabled with 500", 500, msgBody(msgDisabled), KindDisabled, msgDisabled},
		{"documented sample as printed", 200, docGETListLiteral, KindUnexpected, "malformed JSON"},
		{"array", 200, `[]`, KindUnexpected, "a JSON array"},
		{"empty object", 200, `{}`, KindUnexpected, `a JSON object without a boolean "enabled"`},
		{"missing enabled", 200, `{"destinations":[]}`, KindUnexpected, `a JSON object without a boolean "enabled"`},
		{"wrong types", 200, `{"enabled":"yes"}`, KindUnexpected, `a JSON object without a boolean "enabled"`},
		{"other message", 200, msgBody("Something else"), KindUnexpected, `a JSON object without a boolean "enabled"`},
		{"object destinations", 200, `{"enabled":true,"destinations":{}}`, KindUnexpected, `"destinations" is not an array`},
		{"null destination", 200, `{"enabled":true,"destinations":[null]}`, KindUnexpected, "destination 1 is not a JSON object"},
		{"destination without name", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a"},{"url":"https://b"}]}`,
			KindUnexpected, "destination 2 has no name"},
		{"empty name", 200, `{"enabled":true,"destinations":[{"name":"","url":"https://a"}]}`, KindUnexpected, "destination 1 has no name"},
		{"name not a string", 200, `{"enabled":true,"destinations":[{"name":7,"url":"https://a"}]}`, KindUnexpected, "destination 1 has no name"},
		{"destination without url", 200, `{"enabled":true,"destinations":[{"name":"a"}]}`, KindUnexpected, "destination 1 has no url"},
		{"header not a string", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a","headers":{"X-Token":1}}]}`,
			KindUnexpected, "destination 1 has headers that are not an object of strings"},
		{"headers an array", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a","headers":["x"]}]}`,
			KindUnexpected, "destination 1 has headers that are not an object of strings"},
		{"same name twice", 200, `{"enabled":true,"destinations":[{"name":"a","url":"https://a"},{"name":"b","url":"https://b"},{"name":"a","url":"https://c"}]}`,
			KindUnexpected, "destinations 1 and 3 have the same name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, reply{status: tc.status, body: tc.body, header: map[string]string{"Content-Type": "application/json"}})
			num, _ := fs.number(testKey)
			cfg, err := num.GetMultiWebhook(t.Context())
			if cfg != nil {
				t.Errorf("config %+v returned with an error", cfg)
			}
			e := apiErr(t, err)
			want := tc.msg
			if tc.kind == KindUnexpected {
				want = fmt.Sprintf("unexpected answer (HTTP %d, application/json, %d bytes): %s", tc.status, len(tc.body), tc.msg)
			}
			if e.Kind != tc.kind || e.Message != want || e.StatusCode != tc.status {
				t.Errorf("got %+v (kind %s), want kind %s, message %q", e, e.Kind, tc.kind, want)
			}
			if tc.kind == KindUnexpected && fs.count() != 1 {
				t.Errorf("%d requests, want 1: an unexpected answer is not retried", fs.count())
			}
		})
	}
}

func TestChangeAnswersMustHaveTheDocumentedShape(t *testing.T) {
	bodies := map[string]string{
		"OK":                                    "not JSON",
		`{"message": "Operation has been st`:    "malformed JSON",
		"":                                      "an empty body",
		`{}`:                                    `a JSON object without a string "message"`,
		`[]`:                                    "a JSON array",
		`null`:                                  "JSON null",
		`{"message": 1}`:                        `a JSON object without a string "message"`,
		`{"msg": "Operation has been started"}`: `a JSON object without a string "message"`,
	}
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		for body, shape := range bodies {
			fs := newFakeServer(t, reply{status: 200, body: body, header: map[string]string{"Content-Type": "text/plain"}})
			num, _ := fs.number(testKey)
			err := callByMethod(t.Context(), num, method)
			want := fmt.Sprintf("unexpected answer (HTTP 200, text/plain, %s): %s", plural(len(body), "byte"), shape)
			if e := apiErr(t, err); e.Kind != KindUnexpected || e.Message != want || !kindIs(KindUnexpected)(err) {
				t.Errorf("%s answered %q: got %+v (kind %s), want message %q", method, body, e, e.Kind, want)
			}
			if fs.count() != 1 {
				t.Errorf("%s answered %q: %d requests, want 1", method, body, fs.count())
			}
		}
	}
}
