package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// seedDestinations are what the number has before the suite: one with a
// secret header, one without headers.
func seedDestinations(token string) []client.Destination {
	return []client.Destination{
		{Name: "crm", URL: "https://crm.example.com/whatsapp", Headers: map[string]string{"Authorization": "Bearer " + token}},
		{Name: "analytics", URL: "https://analytics.example.com/wa", Headers: map[string]string{}},
	}
}

// seedWebhook is the number's primary webhook before the suite, with a
// secret header.
func seedWebhook(token string) client.Webhook {
	return client.Webhook{URL: "https://app.example.com/whatsapp", Headers: map[string]string{"X-Seed-Token": token}}
}

// seed puts the number's starting configuration on the fake through the
// public API, as a user's earlier changes would, with token as its secret
// header values, and returns the fake's view of it once settled. disabled
// leaves the multi webhook disabled, its destinations kept hidden (when the
// fake keeps them).
func seed(ctx context.Context, fake *fakeProcess, token string, disabled bool) (fakeapi.NumberState, error) {
	c, err := client.New(client.Options{BaseURL: fake.url})
	if err != nil {
		return fakeapi.NumberState{}, err
	}
	num := c.Number(fake.key)
	steps := []func() error{
		func() error { return num.SetMultiWebhookEnabled(ctx, true, seedDestinations(token)) },
		func() error { return settle(ctx, fake) },
		func() error { return num.SetWebhook(ctx, seedWebhook(token)) },
		func() error { return settle(ctx, fake) },
	}
	if disabled {
		steps = append(steps, func() error { return num.SetMultiWebhookEnabled(ctx, false, nil) }, func() error { return settle(ctx, fake) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fakeapi.NumberState{}, fmt.Errorf("seeding the number: %w", err)
		}
	}
	st, err := fake.state(ctx)
	if err != nil {
		return st, err
	}
	fmt.Printf("livefake: the number starts enabled=%t with %d destinations and a primary webhook\n", st.Enabled, len(st.Destinations))
	return st, nil
}

// settle waits until the fake has no pending change for the number.
func settle(ctx context.Context, fake *fakeProcess) error {
	for {
		st, err := fake.state(ctx)
		if err != nil {
			return err
		}
		if st.Pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// checkUnchanged compares the number with what it was before the suite,
// naming what differs but never a url or header value.
func checkUnchanged(ctx context.Context, fake *fakeProcess, before fakeapi.NumberState) error {
	after, err := fake.state(ctx)
	if err != nil {
		return err
	}
	var problems []error
	if after.Pending != 0 {
		problems = append(problems, fmt.Errorf("%d changes are still pending", after.Pending))
	}
	if after.Enabled != before.Enabled {
		problems = append(problems, fmt.Errorf("enabled is %t; it was %t", after.Enabled, before.Enabled))
	}
	if !fakeapi.SameDestinations(after.Destinations, before.Destinations) {
		problems = append(problems, fmt.Errorf("the destinations (hidden ones included) differ: %d now, %d before",
			len(after.Destinations), len(before.Destinations)))
	}
	if !sameWebhook(after.Webhook, before.Webhook) {
		problems = append(problems, errors.New("the primary webhook differs"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("the suite did not leave the number as it found it: %w", errors.Join(problems...))
	}
	return nil
}

// sameWebhook compares two primary webhooks, url and headers.
func sameWebhook(a, b *fakeapi.Webhook) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.URL == b.URL && len(a.Headers) == len(b.Headers) && maps.Equal(a.Headers, b.Headers)
}
