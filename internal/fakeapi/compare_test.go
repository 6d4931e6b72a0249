package fakeapi

import (
	"strings"
	"testing"
)

func TestSameDestinations(t *testing.T) {
	crm := Destination{Name: "crm", URL: "https://crm.example.com", Headers: map[string]string{"X-Token": "s3cret"}}
	audit := Destination{Name: "audit", URL: "https://audit.example.com"}
	auditEmpty := Destination{Name: "audit", URL: "https://audit.example.com", Headers: map[string]string{}}
	moved := Destination{Name: "crm", URL: "https://crm.example.com/moved", Headers: crm.Headers}
	otherValue := Destination{Name: "crm", URL: crm.URL, Headers: map[string]string{"X-Token": "other"}}
	otherName := Destination{Name: "crm", URL: crm.URL, Headers: map[string]string{"X-Other": "s3cret"}}
	tests := []struct {
		name string
		a, b []Destination
		want bool
	}{
		{"both empty", nil, []Destination{}, true},
		{"any order", []Destination{crm, audit}, []Destination{audit, crm}, true},
		{"nil and empty headers", []Destination{audit}, []Destination{auditEmpty}, true},
		{"one missing", []Destination{crm, audit}, []Destination{crm}, false},
		{"one extra", []Destination{crm}, []Destination{crm, audit}, false},
		{"url differs", []Destination{crm}, []Destination{moved}, false},
		{"header value differs", []Destination{crm}, []Destination{otherValue}, false},
		{"header name differs", []Destination{crm}, []Destination{otherName}, false},
		{"a name twice", []Destination{crm, crm}, []Destination{crm, audit}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameDestinations(tt.a, tt.b); got != tt.want {
				t.Errorf("SameDestinations = %t, want %t", got, tt.want)
			}
			if got := SameDestinations(tt.b, tt.a); got != tt.want {
				t.Errorf("SameDestinations reversed = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestDescribeDestinationsShowsNoHeaderValue(t *testing.T) {
	ds := []Destination{
		{Name: "crm", URL: "https://crm.example.com", Headers: map[string]string{"X-Token": "s3cret", "Authorization": "Bearer t0ken"}},
		{Name: "audit", URL: "https://audit.example.com"},
	}
	got := DescribeDestinations(ds)
	want := "{audit=https://audit.example.com[] crm=https://crm.example.com[Authorization X-Token]}"
	if got != want {
		t.Errorf("DescribeDestinations = %q, want %q", got, want)
	}
	for _, secret := range []string{"s3cret", "t0ken"} {
		if strings.Contains(got, secret) {
			t.Errorf("DescribeDestinations shows the header value %q: %s", secret, got)
		}
	}
}
