package fakeapi

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// What the tests and the benchmarks compare the fake's destinations with
// lives here, next to Destination, so that both compare alike: by name,
// in any order, with nil and empty headers equal.

// SameDestinations reports whether a and b hold the same destinations:
// the same names, each with the same url and headers, in any order.
func SameDestinations(a, b []Destination) bool {
	byNameA, byNameB := destinationsByName(a), destinationsByName(b)
	if len(byNameA) != len(a) || len(byNameB) != len(b) || len(a) != len(b) {
		return false // a name twice is never the same set
	}
	for name, da := range byNameA {
		db, ok := byNameB[name]
		if !ok || da.URL != db.URL || len(da.Headers) != len(db.Headers) || !maps.Equal(da.Headers, db.Headers) {
			return false
		}
	}
	return true
}

// DescribeDestinations names destinations, sorted, with their url and
// their header names: never a header value, which may be a secret the
// test output must not show.
func DescribeDestinations(ds []Destination) string {
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s=%s%v", d.Name, d.URL, slices.Sorted(maps.Keys(d.Headers))))
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, " ") + "}"
}

// destinationsByName keys destinations by name.
func destinationsByName(ds []Destination) map[string]Destination {
	out := make(map[string]Destination, len(ds))
	for _, d := range ds {
		out[d.Name] = d
	}
	return out
}
