package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// change is one kind of change the provider sends: a method at an endpoint
// of the fake (fakeapi.PathMultiWebhook, which includes DELETE
// /multi_webhook/{name}, or fakeapi.PathWebhook).
type change struct {
	method   string
	endpoint string
}

// The changes the steps expect, by name.
var (
	postMulti   = change{http.MethodPost, fakeapi.PathMultiWebhook}
	putMulti    = change{http.MethodPut, fakeapi.PathMultiWebhook}
	patchMulti  = change{http.MethodPatch, fakeapi.PathMultiWebhook}
	deleteMulti = change{http.MethodDelete, fakeapi.PathMultiWebhook}
	postPrimary = change{http.MethodPost, fakeapi.PathWebhook}
)

// changeMethods are the methods that change something at the fake.
var changeMethods = []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// checkCalls shows the requests of the step and compares the changes sent
// with the expected ones. GETs are not compared: their number depends on
// how soon each change settled.
func (d *demo) checkCalls(ctx context.Context, want map[change]int) error {
	st, err := d.fake.stats(ctx)
	if err != nil {
		return err
	}
	d.out.calls(st)
	return compareChanges(st, want)
}

// compareChanges reports the first difference between the changes the fake
// saw, per endpoint and method, and want; a change to any other path counts
// as a difference too.
func compareChanges(st fakeapi.Stats, want map[change]int) error {
	for _, m := range changeMethods {
		total := 0
		for _, endpoint := range []string{fakeapi.PathMultiWebhook, fakeapi.PathWebhook} {
			c := change{m, endpoint}
			got := st.Endpoints[endpoint][m]
			if got != want[c] {
				return fmt.Errorf("the provider sent %d %s %s, want %d (expected changes: %s)",
					got, m, endpoint, want[c], formatChanges(want))
			}
			total += got
		}
		if st.Methods[m] != total {
			return fmt.Errorf("the provider sent %d %s requests to other paths than %s and %s",
				st.Methods[m]-total, m, fakeapi.PathMultiWebhook, fakeapi.PathWebhook)
		}
	}
	return nil
}

// formatChanges renders expected changes, e.g. "POST /v1/configs/webhook
// x1", or "none".
func formatChanges(want map[change]int) string {
	var parts []string
	for c, n := range want {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s x%d", c.method, c.endpoint, n))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// formatEndpoints renders request counts per endpoint, e.g.
// "/multi_webhook: GET x3, PUT x1; /v1/configs/webhook: GET x1".
func formatEndpoints(byEndpoint map[string]map[string]int) string {
	if len(byEndpoint) == 0 {
		return "no requests"
	}
	parts := make([]string, 0, len(byEndpoint))
	for _, endpoint := range slices.Sorted(maps.Keys(byEndpoint)) {
		parts = append(parts, endpoint+": "+formatCalls(byEndpoint[endpoint]))
	}
	return strings.Join(parts, "; ")
}
