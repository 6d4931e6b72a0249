package bench

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// CheckFake compares what the fake settled for a number with what the
// configuration declares: a disabled number only has to be disabled (the
// API lists nothing then); an enabled one must have exactly the declared
// destinations, with the same url and headers. Errors name header names,
// never their values.
func CheckFake(want Number, got fakeapi.State) error {
	if got.Enabled != want.Enabled {
		return fmt.Errorf("%s: enabled = %t in the fake, %t declared", want.Name, got.Enabled, want.Enabled)
	}
	if !want.Enabled {
		return nil
	}
	if declared := FakeState(want).Destinations; !fakeapi.SameDestinations(got.Destinations, declared) {
		return fmt.Errorf("%s: the fake has %s, %s declared", want.Name,
			fakeapi.DescribeDestinations(got.Destinations), fakeapi.DescribeDestinations(declared))
	}
	return nil
}

// FakeState is what the fake must hold for a number to be as declared,
// as if configured outside Terraform.
func FakeState(n Number) fakeapi.State {
	st := fakeapi.State{Enabled: n.Enabled}
	for _, name := range slices.Sorted(maps.Keys(n.Destinations)) {
		d := n.Destinations[name]
		st.Destinations = append(st.Destinations, fakeapi.Destination{Name: name, URL: d.URL, Headers: maps.Clone(d.Headers)})
	}
	return st
}

// StateNumbers reads the d360_multi_webhook instances of `terraform show
// -json` (or `tofu show -json`), keyed by their for_each key. Only enabled
// and destinations are read: what the state claims the API has.
func StateNumbers(showJSON []byte) (map[string]Number, error) {
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string          `json:"type"`
					Index  json.RawMessage `json:"index"`
					Values Number          `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(showJSON, &doc); err != nil {
		return nil, fmt.Errorf("reading show -json: %w", err)
	}
	out := map[string]Number{}
	for _, r := range doc.Values.RootModule.Resources {
		if r.Type != "d360_multi_webhook" {
			continue
		}
		var name string
		if err := json.Unmarshal(r.Index, &name); err != nil {
			return nil, fmt.Errorf("instance index %s is not a for_each key: %w", r.Index, err)
		}
		n := r.Values
		n.Name = name
		out[name] = n
	}
	return out, nil
}

// CheckStateAgainstFake compares what the state records for a number with
// what the fake settled: the enabled flag always, the destinations when
// enabled (while disabled the state keeps the declared ones by design).
// This is the promise that a failed apply saves what actually settled.
func CheckStateAgainstFake(state Number, got fakeapi.State) error {
	if got.Enabled != state.Enabled {
		return fmt.Errorf("%s: the state says enabled = %t, the fake %t", state.Name, state.Enabled, got.Enabled)
	}
	if !got.Enabled {
		return nil
	}
	if recorded := FakeState(state).Destinations; !fakeapi.SameDestinations(got.Destinations, recorded) {
		return fmt.Errorf("%s: the state records %s, the fake has %s", state.Name,
			fakeapi.DescribeDestinations(recorded), fakeapi.DescribeDestinations(got.Destinations))
	}
	return nil
}
