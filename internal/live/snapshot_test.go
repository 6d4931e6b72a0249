package live

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// snapshot is what the number had before the suite touched it. It holds
// header values, which are secrets: it lives in memory only.
type snapshot struct {
	enabled      bool
	destinations []client.Destination // with those that survive a disable, when it was disabled
	webhook      *client.Webhook      // nil when the primary webhook is left alone or there is none
	// primarySkip says why the primary webhook is left alone ("" when it is not).
	primarySkip string
}

// takeSnapshot reads what the number has. A disabled number is enabled once
// to see the destinations that survive a disable, which 360dialog hides
// while it is disabled: putting the number back needs them.
func takeSnapshot(ctx context.Context, num *client.Number, s settings) (*snapshot, error) {
	cfg, err := num.GetMultiWebhook(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the multi webhook: %w", err)
	}
	snap := &snapshot{enabled: cfg.Enabled, destinations: cfg.Destinations}
	if !cfg.Enabled {
		if cfg, err = enableBare(ctx, num); err != nil {
			return nil, fmt.Errorf("enabling the multi webhook to see what survives a disable: %w", err)
		}
		snap.destinations = cfg.Destinations
		if err := setDisabled(ctx, num); err != nil {
			return nil, err
		}
	}
	snap.primarySkip = "D360_LIVE_PRIMARY is not 1"
	if s.primary {
		snap.webhook, snap.primarySkip, err = primarySnapshot(ctx, num)
	}
	return snap, err
}

// primarySnapshot reads the primary webhook; skip says why it must be left
// alone: its header values cannot be put back when 360dialog hides them.
func primarySnapshot(ctx context.Context, num *client.Number) (w *client.Webhook, skip string, err error) {
	w, err = num.GetWebhook(ctx)
	switch {
	case err != nil:
		return nil, "", fmt.Errorf("reading the primary webhook: %w", err)
	case w != nil && w.HeadersHidden:
		return nil, "360dialog does not show the primary webhook's header values, so the suite could not put them back", nil
	}
	return w, "", nil
}

// restore puts the number back as snap says, with the fewest changes that
// are certain whatever PATCH does to headers: a destination that differs
// is deleted and added again, never patched.
func restore(ctx context.Context, num *client.Number, snap *snapshot) error {
	if err := restoreMultiWebhook(ctx, num, snap); err != nil {
		return fmt.Errorf("putting the multi webhook back: %w", err)
	}
	if snap.webhook != nil {
		if err := restoreWebhook(ctx, num, *snap.webhook); err != nil {
			return fmt.Errorf("putting the primary webhook back: %w", err)
		}
	}
	return checkRestored(ctx, num, snap)
}

// restoreMultiWebhook puts the destinations and the feature's state back.
func restoreMultiWebhook(ctx context.Context, num *client.Number, snap *snapshot) error {
	cfg, err := num.GetMultiWebhook(ctx)
	if err != nil {
		return err
	}
	if !cfg.Enabled {
		if cfg, err = enableBare(ctx, num); err != nil {
			return err
		}
	}
	for _, got := range cfg.Destinations {
		if want, ok := find(snap.destinations, got.Name); ok && sameDestination(got, want) {
			continue
		}
		if err := deleteDestination(ctx, num, got.Name); err != nil {
			return err
		}
	}
	if cfg, err = num.GetMultiWebhook(ctx); err != nil {
		return err
	}
	var missing []client.Destination
	for _, want := range snap.destinations {
		if _, ok := find(cfg.Destinations, want.Name); !ok {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		if cfg, err = addDestinations(ctx, num, missing); err != nil {
			return err
		}
	}
	if problem := describeDifference(cfg.Destinations, snap.destinations); problem != "" {
		return errors.New(problem)
	}
	if !snap.enabled {
		return setDisabled(ctx, num)
	}
	return nil
}

// restoreWebhook sets the primary webhook back unless it is already so.
func restoreWebhook(ctx context.Context, num *client.Number, want client.Webhook) error {
	got, err := num.GetWebhook(ctx)
	if err != nil {
		return err
	}
	if sameWebhook(got, want) {
		return nil
	}
	if err := num.SetWebhook(ctx, want); err != nil {
		return err
	}
	_, err = waitForWebhook(ctx, num, "the primary webhook to be put back", func(w *client.Webhook) bool { return sameWebhook(w, want) })
	return err
}

// checkRestored reads the number once more and says, without any value,
// where it differs from snap.
func checkRestored(ctx context.Context, num *client.Number, snap *snapshot) error {
	cfg, err := num.GetMultiWebhook(ctx)
	if err != nil {
		return err
	}
	switch {
	case cfg.Enabled != snap.enabled:
		return fmt.Errorf("the multi webhook's enabled is %t; it was %t", cfg.Enabled, snap.enabled)
	case cfg.Enabled:
		// A disabled number hides its destinations; restoreMultiWebhook
		// checked them before it disabled the number again.
		if problem := describeDifference(cfg.Destinations, snap.destinations); problem != "" {
			return errors.New(problem)
		}
	}
	if snap.webhook == nil {
		return nil
	}
	w, err := num.GetWebhook(ctx)
	if err != nil {
		return err
	}
	if !sameWebhook(w, *snap.webhook) {
		return errors.New("the primary webhook differs from what it was")
	}
	return nil
}

// describeDifference names the destinations that differ, never their url
// or headers; "" when got and want hold the same destinations.
func describeDifference(got, want []client.Destination) string {
	var problems []string
	for _, w := range want {
		g, ok := find(got, w.Name)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("destination %q is missing", w.Name))
		case !sameDestination(g, w):
			problems = append(problems, fmt.Sprintf("destination %q has another url or other headers", w.Name))
		}
	}
	for _, g := range got {
		if _, ok := find(want, g.Name); !ok {
			problems = append(problems, fmt.Sprintf("destination %q was not there before", g.Name))
		}
	}
	return strings.Join(problems, "; ")
}

// find returns the destination called name.
func find(dests []client.Destination, name string) (client.Destination, bool) {
	i := slices.IndexFunc(dests, func(d client.Destination) bool { return d.Name == name })
	if i < 0 {
		return client.Destination{}, false
	}
	return dests[i], true
}

// sameDestination compares url and headers; nil and empty headers are equal.
func sameDestination(a, b client.Destination) bool {
	return a.URL == b.URL && len(a.Headers) == len(b.Headers) && maps.Equal(a.Headers, b.Headers)
}

// sameWebhook reports whether GET shows want, header values included.
func sameWebhook(got *client.Webhook, want client.Webhook) bool {
	return got != nil && !got.HeadersHidden && got.URL == want.URL &&
		len(got.Headers) == len(want.Headers) && maps.Equal(got.Headers, want.Headers)
}

// enableBare enables the multi webhook without destinations and returns
// what GET shows once it is enabled.
func enableBare(ctx context.Context, num *client.Number) (*client.MultiWebhook, error) {
	if err := num.SetMultiWebhookEnabled(ctx, true, nil); err != nil {
		return nil, err
	}
	return waitForMultiWebhook(ctx, num, "the multi webhook to be enabled", func(c *client.MultiWebhook) bool { return c.Enabled })
}

// setDisabled disables the multi webhook and waits until GET shows it.
func setDisabled(ctx context.Context, num *client.Number) error {
	if err := num.SetMultiWebhookEnabled(ctx, false, nil); err != nil {
		return fmt.Errorf("disabling the multi webhook: %w", err)
	}
	_, err := waitForMultiWebhook(ctx, num, "the multi webhook to be disabled", func(c *client.MultiWebhook) bool { return !c.Enabled })
	return err
}

// deleteDestination deletes one destination and waits until it is gone.
func deleteDestination(ctx context.Context, num *client.Number, name string) error {
	if err := num.DeleteDestination(ctx, name); err != nil {
		return err
	}
	_, err := waitForMultiWebhook(ctx, num, fmt.Sprintf("destination %q to be removed", name), func(c *client.MultiWebhook) bool {
		_, found := c.Find(name)
		return c.Enabled && !found
	})
	return err
}

// addDestinations adds destinations in one PUT and returns what GET shows
// once they are there.
func addDestinations(ctx context.Context, num *client.Number, dests []client.Destination) (*client.MultiWebhook, error) {
	if err := num.AddDestinations(ctx, dests); err != nil {
		return nil, err
	}
	return waitForMultiWebhook(ctx, num, "destinations to be added", func(c *client.MultiWebhook) bool { return showsAll(c, dests) })
}

// showsAll reports whether mw is enabled and holds every destination of
// dests exactly.
func showsAll(mw *client.MultiWebhook, dests []client.Destination) bool {
	for _, want := range dests {
		if got, ok := mw.Find(want.Name); !ok || !sameDestination(got, want) {
			return false
		}
	}
	return mw.Enabled
}

// waitForMultiWebhook waits, at most waitAtMost, until GET /multi_webhook shows
// what done wants, with the client's own waiter: its schedule and its
// handling of transient errors are the provider's.
func waitForMultiWebhook(ctx context.Context, num *client.Number, what string, done func(*client.MultiWebhook) bool) (*client.MultiWebhook, error) {
	ctx, cancel := context.WithTimeout(ctx, waitAtMost)
	defer cancel()
	mw, _, err := num.WaitForMultiWebhook(ctx, what, client.SettledWhen(done))
	return mw, err
}

// waitForWebhook waits as waitForMultiWebhook does, on GET /v1/configs/webhook.
func waitForWebhook(ctx context.Context, num *client.Number, what string, done func(*client.Webhook) bool) (*client.Webhook, error) {
	ctx, cancel := context.WithTimeout(ctx, waitAtMost)
	defer cancel()
	w, _, err := num.WaitForWebhook(ctx, what, client.SettledWhen(done))
	return w, err
}
