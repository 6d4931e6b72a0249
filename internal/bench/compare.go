package bench

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// CheckFake compares what the configuration declares for a number with
// what the fake settled (see compareWithFake).
func CheckFake(want Number, got fakeapi.State) error {
	return compareWithFake(want, got, "declared")
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
// what the fake settled (see compareWithFake). This is the promise that a
// failed apply saves what actually settled.
func CheckStateAgainstFake(state Number, got fakeapi.State) error {
	return compareWithFake(state, got, "in the state")
}

// compareWithFake compares what side (the configuration, or the state)
// says of a number with what the fake settled: the enabled flag always, the
// destinations when enabled (the API lists none while disabled, and the
// state keeps the declared ones then, by design). Errors name header names,
// never their values.
func compareWithFake(n Number, got fakeapi.State, side string) error {
	if got.Enabled != n.Enabled {
		return fmt.Errorf("%s: enabled = %t in the fake, %t %s", n.Name, got.Enabled, n.Enabled, side)
	}
	if !n.Enabled {
		return nil
	}
	if want := FakeState(n).Destinations; !fakeapi.SameDestinations(got.Destinations, want) {
		return fmt.Errorf("%s: the fake has %s, %s %s", n.Name,
			fakeapi.DescribeDestinations(got.Destinations), fakeapi.DescribeDestinations(want), side)
	}
	return nil
}
