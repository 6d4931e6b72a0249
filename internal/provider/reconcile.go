package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
)

// multiWebhookAPI is the part of *client.Number that reconciling needs; an
// interface so the planning logic can be tested without a server.
type multiWebhookAPI interface {
	GetMultiWebhook(ctx context.Context) (*client.MultiWebhook, error)
	SetMultiWebhookEnabled(ctx context.Context, enabled bool, destinations []client.Destination) error
	AddDestinations(ctx context.Context, destinations []client.Destination) error
	PatchDestination(ctx context.Context, d client.Destination) error
	DeleteDestination(ctx context.Context, name string) error
	WaitForMultiWebhook(ctx context.Context, desc string, judge func(*client.MultiWebhook) client.Progress) (*client.MultiWebhook, client.Progress, error)
}

var _ multiWebhookAPI = (*client.Number)(nil)

// apiHabits is what the provider has learnt of how 360dialog treats one
// number; the resource keeps it in its private state for later applies.
type apiHabits struct {
	// KeepsDestinationsOnDisable is set once an enable carrying
	// destinations was refused because destinations had survived a
	// disable. Later enables then go bare first: one POST, plus only the
	// changes the survivors need, instead of a refused POST, a GET and a POST.
	KeepsDestinationsOnDisable bool `json:"keeps_destinations_on_disable,omitempty"`
	// PatchMergesHeaders is set once a PATCH was seen to keep a header it
	// did not send (see learnFromPatch). A PATCH cannot remove a header
	// then, so a destination that must lose one is deleted and added
	// again: two changes, instead of a PATCH that would never show.
	PatchMergesHeaders bool `json:"patch_merges_headers,omitempty"`
}

// desiredMultiWebhook is what an apply must leave on a number.
type desiredMultiWebhook struct {
	Enabled      bool
	Destinations map[string]client.Destination
	// Purge reconciles destinations even though the feature ends disabled:
	// destroy removes every destination first, so none reappears if the
	// feature is enabled again outside Terraform.
	Purge bool
}

type changeKind int

const (
	changeDelete changeKind = iota
	changePatch
	changeAdd
	changeEnable
	changeDisable
)

// change is one API call that changes the number. Changes are made one at a time, each
// waited for until GET shows it, so a number never has two in flight.
type change struct {
	kind  changeKind
	dests []client.Destination // delete: names only; patch: one; append and enable: all to add
}

// String says what is being waited for, for logs and timeout errors.
func (c change) String() string {
	switch c.kind {
	case changeDelete:
		return fmt.Sprintf("destination %q to be removed", c.dests[0].Name)
	case changePatch:
		return fmt.Sprintf("destination %q to show its new url and headers", c.dests[0].Name)
	case changeAdd:
		return "destinations " + quotedNames(c.dests) + " to be added"
	case changeEnable:
		if len(c.dests) == 0 {
			return "multi webhook to be enabled"
		}
		return "multi webhook to be enabled with destinations " + quotedNames(c.dests)
	default:
		return "multi webhook to be disabled"
	}
}

// send makes the change's single API call.
func (c change) send(ctx context.Context, api multiWebhookAPI) error {
	switch c.kind {
	case changeDelete:
		return api.DeleteDestination(ctx, c.dests[0].Name)
	case changePatch:
		return api.PatchDestination(ctx, c.dests[0])
	case changeAdd:
		return api.AddDestinations(ctx, c.dests)
	case changeEnable:
		return api.SetMultiWebhookEnabled(ctx, true, c.dests)
	default:
		return api.SetMultiWebhookEnabled(ctx, false, nil)
	}
}

// judge returns how the change's wait judges what GET shows, the change
// having been sent when the number looked like before. Besides pending
// and settled, a wait ends as diverged when the number shows a state the
// change cannot lead to, so that the apply plans again from it instead of
// waiting for what cannot come (see DESIGN.md, What the documentation
// leaves open): a number disabled under a delete, patch or append; an
// enable or append that is visible with a destination other than sent; a
// patched destination that is gone, or that shows the new url and values
// beside a header the PATCH left out.
func (c change) judge(before *client.MultiWebhook) func(*client.MultiWebhook) client.Progress {
	return func(mw *client.MultiWebhook) client.Progress {
		switch c.kind {
		case changeDisable:
			return settledIf(!mw.Enabled)
		case changeEnable:
			if !mw.Enabled {
				return client.Pending
			}
			return settledOr(showsAll(mw, c.dests), client.Diverged)
		}
		if !mw.Enabled {
			return client.Diverged
		}
		switch c.kind {
		case changeDelete:
			_, found := mw.Find(c.dests[0].Name)
			return settledIf(!found)
		case changeAdd:
			return settledOr(showsAll(mw, c.dests), divergedIf(showsNames(mw, c.dests)))
		}
		return judgePatch(c.dests[0], before, mw)
	}
}

// judgePatch judges a PATCH of want. A PATCH that only removes headers
// looks unchanged until it shows: the wait gives it its patience, then
// ends, since a PATCH that merges headers never shows.
func judgePatch(want client.Destination, before, mw *client.MultiWebhook) client.Progress {
	got, found := mw.Find(want.Name)
	was, _ := before.Find(want.Name)
	switch {
	case !found:
		return client.Diverged
	case sameDestination(got, want):
		return client.Settled
	case showsMerge(want, was, got):
		return client.Diverged
	case sameDestination(got, was) && keptUnsent(was, want):
		return client.Unchanged
	}
	return client.Pending
}

// showsMerge reports whether a PATCH of want, sent when the destination
// was was, shows as a merge: got is no longer was, yet keeps a header the
// PATCH left out beside the url and values it sent. A PATCH that replaces
// headers shows either was or want, nothing between.
func showsMerge(want, was, got client.Destination) bool {
	return keptUnsent(got, want) && !sameDestination(got, was)
}

// keptUnsent reports whether got shows want's url and every header sent,
// and also a header want does not have: what a PATCH of want that merges
// headers leaves.
func keptUnsent(got, want client.Destination) bool {
	if got.URL != want.URL || len(got.Headers) <= len(want.Headers) {
		return false
	}
	for name, v := range want.Headers {
		if g, ok := got.Headers[name]; !ok || g != v {
			return false
		}
	}
	return true
}

// settledIf is Settled when ok, else Pending.
func settledIf(ok bool) client.Progress {
	return settledOr(ok, client.Pending)
}

// settledOr is Settled when ok, else otherwise.
func settledOr(ok bool, otherwise client.Progress) client.Progress {
	if ok {
		return client.Settled
	}
	return otherwise
}

// divergedIf is Diverged when ok, else Pending.
func divergedIf(ok bool) client.Progress {
	if ok {
		return client.Diverged
	}
	return client.Pending
}

// sameAs reports whether two changes would send the same call.
func (c change) sameAs(other change) bool {
	return c.kind == other.kind && quotedNames(c.dests) == quotedNames(other.dests)
}

// showsAll reports whether mw holds every destination exactly as given.
func showsAll(mw *client.MultiWebhook, dests []client.Destination) bool {
	for _, want := range dests {
		got, found := mw.Find(want.Name)
		if !found || !sameDestination(got, want) {
			return false
		}
	}
	return true
}

// showsNames reports whether mw holds a destination of every name given.
func showsNames(mw *client.MultiWebhook, dests []client.Destination) bool {
	for _, want := range dests {
		if _, found := mw.Find(want.Name); !found {
			return false
		}
	}
	return true
}

// sameDestination compares url and headers; nil and empty headers are equal.
func sameDestination(a, b client.Destination) bool {
	return a.URL == b.URL && len(a.Headers) == len(b.Headers) && maps.Equal(a.Headers, b.Headers)
}

func quotedNames(dests []client.Destination) string {
	names := make([]string, len(dests))
	for i, d := range dests {
		names[i] = fmt.Sprintf("%q", d.Name)
	}
	return strings.Join(names, ", ")
}

// nextChange returns the first change that moves observed towards want,
// in the order that never crosses the 3-destination cap: deletes, then
// patches, then one append carrying every new name, then a disable. An
// enable carries every wanted destination (one POST) unless the habits say
// that destinations survive a disable on this number; a destination that
// must lose a header is deleted (and then added again) when they say that
// PATCH merges headers.
func nextChange(observed *client.MultiWebhook, want desiredMultiWebhook, habits apiHabits) (change, bool) {
	if !observed.Enabled {
		if !want.Enabled {
			return change{}, false
		}
		if habits.KeepsDestinationsOnDisable {
			return change{kind: changeEnable}, true
		}
		return change{kind: changeEnable, dests: sortedDestinations(want.Destinations)}, true
	}
	if want.Enabled || want.Purge {
		if c, ok := destinationChange(observed, want.Destinations, habits.PatchMergesHeaders); ok {
			return c, true
		}
	}
	if !want.Enabled {
		return change{kind: changeDisable}, true
	}
	return change{}, false
}

// destinationChange returns the next delete, patch or append, if any;
// recreate says that a destination losing a header is deleted, not patched.
func destinationChange(observed *client.MultiWebhook, want map[string]client.Destination, recreate bool) (change, bool) {
	for _, got := range observed.Destinations {
		if _, keep := want[got.Name]; !keep {
			return deletion(got.Name), true
		}
	}
	var missing []client.Destination
	for _, d := range sortedDestinations(want) {
		got, found := observed.Find(d.Name)
		switch {
		case !found:
			missing = append(missing, d)
		case sameDestination(got, d):
		case recreate && losesHeader(got, d):
			return deletion(d.Name), true
		default:
			return change{kind: changePatch, dests: []client.Destination{d}}, true
		}
	}
	if len(missing) > 0 {
		return change{kind: changeAdd, dests: missing}, true
	}
	return change{}, false
}

// deletion is the change that deletes the destination called name.
func deletion(name string) change {
	return change{kind: changeDelete, dests: []client.Destination{{Name: name}}}
}

// losesHeader reports whether got has a header that want does not.
func losesHeader(got, want client.Destination) bool {
	for name := range got.Headers {
		if _, ok := want.Headers[name]; !ok {
			return true
		}
	}
	return false
}

// maxChanges bounds one apply: at most 3 deletes, 3 patches, an append
// and a toggle are ever needed, plus room for re-planning after drift.
const maxChanges = 16

// reconciler makes changes one by one until the number matches.
type reconciler struct {
	api     multiWebhookAPI
	want    desiredMultiWebhook
	habits  *apiHabits
	replans int
}

// reconcile moves the number from observed to want and returns the last
// multi webhook seen, which is what actually settled even when it fails.
// It uses habits and records in it what it learns.
func reconcile(ctx context.Context, api multiWebhookAPI, observed *client.MultiWebhook, want desiredMultiWebhook, habits *apiHabits) (*client.MultiWebhook, error) {
	r := &reconciler{api: api, want: want, habits: habits}
	for count := 0; ; count++ {
		next, pending := nextChange(observed, want, *habits)
		if !pending {
			return observed, nil
		}
		if count == maxChanges {
			return observed, fmt.Errorf("gave up after %d changes: the number still differs from the plan "+
				"(next would be: %s); something else may be changing it", count, next)
		}
		mw, err := r.makeChange(ctx, next, observed)
		if mw != nil {
			observed = mw
		}
		if err != nil {
			return observed, err
		}
	}
}

// makeChange sends one change, made from before, and waits until GET
// shows it, or shows a state to plan again from. A rejection that may come
// from stale knowledge (drift since the plan was made) is answered by
// re-reading the number and planning again.
func (r *reconciler) makeChange(ctx context.Context, c change, before *client.MultiWebhook) (*client.MultiWebhook, error) {
	tflog.Debug(ctx, "sending change", map[string]any{"change": c.String()})
	if err := c.send(ctx, r.api); err != nil {
		if !client.IsValidation(err) && !client.IsNotFound(err) && !client.IsDisabled(err) {
			return nil, err
		}
		return r.replan(ctx, c, err)
	}
	mw, progress, err := r.api.WaitForMultiWebhook(ctx, c.String(), c.judge(before))
	var timeout *client.WaitTimeoutError[*client.MultiWebhook]
	if errors.As(err, &timeout) {
		return timeout.Last, err
	}
	if err == nil && progress != client.Settled {
		tflog.Debug(ctx, "the change did not show as sent; planning again from what GET shows",
			map[string]any{"change": c.String(), "progress": progress.String()})
		r.learnFromPatch(c, progress, before, mw)
	}
	return mw, err
}

// learnFromPatch records that PATCH merges headers when a PATCH's wait
// ended diverged with the sent url and values showing beside a header it
// left out, or unchanged although it only removed headers.
func (r *reconciler) learnFromPatch(c change, progress client.Progress, before, mw *client.MultiWebhook) {
	if c.kind != changePatch {
		return
	}
	want := c.dests[0]
	got, found := mw.Find(want.Name)
	was, _ := before.Find(want.Name)
	if found && (progress == client.Unchanged || showsMerge(want, was, got)) {
		r.habits.PatchMergesHeaders = true
	}
}

// showsSurvivors reports whether the refusal of an enable carrying
// destinations shows that destinations survived a disable: "Destination
// with name X already exists" (a survivor has a name sent), or "You cannot
// add more than 3 destinations" (survivors and the ones sent exceed the
// cap; the plan itself never holds more than 3).
func showsSurvivors(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.Kind == client.KindValidation &&
		(strings.Contains(apiErr.Message, "already exists") || strings.Contains(apiErr.Message, "more than 3"))
}

// maxReplans bounds how often one apply re-reads the number after a
// rejection before giving up with the API's words.
const maxReplans = 3

// replan re-reads the number after a rejected change. If the fresh view
// leads to the very same change again, the rejection stands.
func (r *reconciler) replan(ctx context.Context, failed change, cause error) (*client.MultiWebhook, error) {
	if r.replans == maxReplans {
		return nil, cause
	}
	r.replans++
	mw, err := r.api.GetMultiWebhook(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (and re-reading the number failed: %w)", cause, err)
	}
	if failed.kind == changeEnable && len(failed.dests) > 0 && !mw.Enabled && showsSurvivors(cause) {
		// Destinations that survived an earlier disable conflict with the
		// ones sent; enable bare, then reconcile what reappears. Any other
		// refusal stands: enabling bare after it could leave the number
		// enabled with no destination.
		tflog.Debug(ctx, "enable with destinations rejected; enabling first", map[string]any{"reason": cause.Error()})
		r.habits.KeepsDestinationsOnDisable = true
		return mw, nil
	}
	if next, ok := nextChange(mw, r.want, *r.habits); ok && next.sameAs(failed) {
		return mw, cause
	}
	tflog.Debug(ctx, "change rejected; planning again from a fresh read", map[string]any{"reason": cause.Error()})
	return mw, nil
}
