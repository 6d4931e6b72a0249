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

// numberAPI is the part of *client.Number that reconciling needs; an
// interface so the planning logic can be tested without a server.
type numberAPI interface {
	Get(ctx context.Context) (*client.Config, error)
	SetEnabled(ctx context.Context, enabled bool, destinations []client.Destination) error
	AddDestinations(ctx context.Context, destinations []client.Destination) error
	PatchDestination(ctx context.Context, d client.Destination) error
	DeleteDestination(ctx context.Context, name string) error
	WaitFor(ctx context.Context, desc string, done func(*client.Config) bool) (*client.Config, error)
}

var _ numberAPI = (*client.Number)(nil)

// apiHabits is what the provider has learnt of how 360dialog treats one
// number; the resource keeps it in its private state for later applies.
type apiHabits struct {
	// KeepsDestinationsOnDisable is set once an enable carrying
	// destinations was refused because destinations had survived a
	// disable. Later enables then go bare first: one POST, plus only the
	// changes the survivors need, instead of a refused POST, a GET and a POST.
	KeepsDestinationsOnDisable bool `json:"keeps_destinations_on_disable,omitempty"`
}

// desiredConfig is what an apply must leave on a number.
type desiredConfig struct {
	Enabled      bool
	Destinations map[string]client.Destination
	// Purge reconciles destinations even though the feature ends disabled:
	// destroy removes every destination first, so none reappears if the
	// feature is enabled again outside Terraform.
	Purge bool
}

type opKind int

const (
	opDelete opKind = iota
	opPatch
	opAppend
	opEnable
	opDisable
)

// operation is one API change. Operations are applied one at a time, each
// waited for until GET shows it, so a number never has two in flight.
type operation struct {
	kind  opKind
	dests []client.Destination // delete: names only; patch: one; append and enable: all to add
}

// String says what is being waited for, for logs and timeout errors.
func (o operation) String() string {
	switch o.kind {
	case opDelete:
		return fmt.Sprintf("destination %q to be removed", o.dests[0].Name)
	case opPatch:
		return fmt.Sprintf("destination %q to show its new url and headers", o.dests[0].Name)
	case opAppend:
		return "destinations " + quotedNames(o.dests) + " to be added"
	case opEnable:
		if len(o.dests) == 0 {
			return "multi webhook to be enabled"
		}
		return "multi webhook to be enabled with destinations " + quotedNames(o.dests)
	default:
		return "multi webhook to be disabled"
	}
}

// send issues the operation's single API call.
func (o operation) send(ctx context.Context, api numberAPI) error {
	switch o.kind {
	case opDelete:
		return api.DeleteDestination(ctx, o.dests[0].Name)
	case opPatch:
		return api.PatchDestination(ctx, o.dests[0])
	case opAppend:
		return api.AddDestinations(ctx, o.dests)
	case opEnable:
		return api.SetEnabled(ctx, true, o.dests)
	default:
		return api.SetEnabled(ctx, false, nil)
	}
}

// settled reports whether cfg, read from GET, shows the operation applied.
func (o operation) settled(cfg *client.Config) bool {
	switch o.kind {
	case opDelete:
		_, found := cfg.Find(o.dests[0].Name)
		return cfg.Enabled && !found
	case opDisable:
		return !cfg.Enabled
	default:
		return cfg.Enabled && showsAll(cfg, o.dests)
	}
}

// sameAs reports whether two operations would send the same call.
func (o operation) sameAs(other operation) bool {
	return o.kind == other.kind && quotedNames(o.dests) == quotedNames(other.dests)
}

// showsAll reports whether cfg holds every destination exactly as given.
func showsAll(cfg *client.Config, dests []client.Destination) bool {
	for _, want := range dests {
		got, found := cfg.Find(want.Name)
		if !found || !sameDestination(got, want) {
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

// nextOperation returns the first change that moves observed towards want,
// in the order that never crosses the 3-destination cap: deletes, then
// patches, then one append carrying every new name, then a disable. An
// enable carries every wanted destination (one POST) unless bareEnable says
// a previous attempt showed that destinations survived an earlier disable.
func nextOperation(observed *client.Config, want desiredConfig, bareEnable bool) (operation, bool) {
	if !observed.Enabled {
		if !want.Enabled {
			return operation{}, false
		}
		if bareEnable {
			return operation{kind: opEnable}, true
		}
		return operation{kind: opEnable, dests: sortedDestinations(want.Destinations)}, true
	}
	if want.Enabled || want.Purge {
		if op, ok := destinationOperation(observed, want.Destinations); ok {
			return op, true
		}
	}
	if !want.Enabled {
		return operation{kind: opDisable}, true
	}
	return operation{}, false
}

// destinationOperation returns the next delete, patch or append, if any.
func destinationOperation(observed *client.Config, want map[string]client.Destination) (operation, bool) {
	for _, got := range observed.Destinations {
		if _, keep := want[got.Name]; !keep {
			return operation{kind: opDelete, dests: []client.Destination{{Name: got.Name}}}, true
		}
	}
	var missing []client.Destination
	for _, d := range sortedDestinations(want) {
		got, found := observed.Find(d.Name)
		switch {
		case !found:
			missing = append(missing, d)
		case !sameDestination(got, d):
			return operation{kind: opPatch, dests: []client.Destination{d}}, true
		}
	}
	if len(missing) > 0 {
		return operation{kind: opAppend, dests: missing}, true
	}
	return operation{}, false
}

// maxOperations bounds one apply: at most 3 deletes, 3 patches, an append
// and a toggle are ever needed, plus room for re-planning after drift.
const maxOperations = 16

// reconciler applies operations one by one until the number matches.
type reconciler struct {
	api        numberAPI
	want       desiredConfig
	habits     *apiHabits
	bareEnable bool
	replans    int
}

// reconcile moves the number from observed to want and returns the last
// configuration seen, which is what actually settled even when it fails.
// It uses habits and records in it what it learns.
func reconcile(ctx context.Context, api numberAPI, observed *client.Config, want desiredConfig, habits *apiHabits) (*client.Config, error) {
	r := &reconciler{api: api, want: want, habits: habits, bareEnable: habits.KeepsDestinationsOnDisable}
	for count := 0; ; count++ {
		op, pending := nextOperation(observed, want, r.bareEnable)
		if !pending {
			return observed, nil
		}
		if count == maxOperations {
			return observed, fmt.Errorf("gave up after %d changes: the number still differs from the plan "+
				"(next would be: %s); something else may be changing it", count, op)
		}
		cfg, err := r.apply(ctx, op)
		if cfg != nil {
			observed = cfg
		}
		if err != nil {
			return observed, err
		}
	}
}

// apply sends one operation and waits until GET shows it. A rejection that
// may come from stale knowledge (drift since the plan was made) is answered
// by re-reading the number and planning again.
func (r *reconciler) apply(ctx context.Context, op operation) (*client.Config, error) {
	tflog.Debug(ctx, "sending change", map[string]any{"change": op.String()})
	err := op.send(ctx, r.api)
	if err == nil {
		cfg, werr := r.api.WaitFor(ctx, op.String(), op.settled)
		var timeout *client.WaitTimeoutError[*client.Config]
		if errors.As(werr, &timeout) {
			return timeout.Last, werr
		}
		return cfg, werr
	}
	if !client.IsValidation(err) && !client.IsNotFound(err) && !client.IsDisabled(err) {
		return nil, err
	}
	return r.replan(ctx, op, err)
}

// maxReplans bounds how often one apply re-reads the number after a
// rejection before giving up with the API's words.
const maxReplans = 3

// replan re-reads the number after a rejected change. If the fresh view
// leads to the very same change again, the rejection stands.
func (r *reconciler) replan(ctx context.Context, failed operation, cause error) (*client.Config, error) {
	if r.replans == maxReplans {
		return nil, cause
	}
	r.replans++
	cfg, err := r.api.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (and re-reading the number failed: %w)", cause, err)
	}
	if failed.kind == opEnable && len(failed.dests) > 0 && !cfg.Enabled && client.IsValidation(cause) {
		// Destinations that survived an earlier disable conflict with the
		// ones sent; enable bare, then reconcile what reappears.
		tflog.Debug(ctx, "enable with destinations rejected; enabling first", map[string]any{"reason": cause.Error()})
		r.bareEnable = true
		r.habits.KeepsDestinationsOnDisable = true
		return cfg, nil
	}
	if next, ok := nextOperation(cfg, r.want, r.bareEnable); ok && next.sameAs(failed) {
		return cfg, cause
	}
	tflog.Debug(ctx, "change rejected; planning again from a fresh read", map[string]any{"reason": cause.Error()})
	return cfg, nil
}
