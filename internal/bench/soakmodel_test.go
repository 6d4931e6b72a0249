package bench

import (
	"reflect"
	"strings"
	"testing"
)

// TestWalkIsReproducible: a seed replays the same configurations, which is
// what make soak SEED=n relies on.
func TestWalkIsReproducible(t *testing.T) {
	a, b := NewWalk(99, 20, "k"), NewWalk(99, 20, "k")
	for range 50 {
		if !reflect.DeepEqual(a.Step(), b.Step()) || !reflect.DeepEqual(a.Numbers, b.Numbers) {
			t.Fatal("two walks with one seed diverged")
		}
	}
	if c := NewWalk(100, 20, "k"); reflect.DeepEqual(c.Numbers, NewWalk(99, 20, "k").Numbers) {
		t.Error("another seed gave the same start")
	}
}

// TestWalkStaysValid: every configuration of a long walk is one the
// provider accepts, and the walk exercises every kind of edit.
func TestWalkStaysValid(t *testing.T) {
	w := NewWalk(1, 24, "k")
	seen := map[string]bool{}
	for range 500 {
		for _, did := range w.Step() {
			_, edit, _ := strings.Cut(did, ": ")
			seen[strings.Fields(edit)[0]] = true
		}
		for _, n := range w.Numbers {
			if len(n.Destinations) > maxDestinations {
				t.Fatalf("%s has %d destinations", n.Name, len(n.Destinations))
			}
			for name, d := range n.Destinations {
				host, _, _ := strings.Cut(strings.TrimPrefix(d.URL, "https://"), "/")
				if !strings.HasPrefix(d.URL, "https://") || !strings.HasSuffix(host, ".example.com") || strings.ContainsAny(host, "_:") || d.Headers == nil {
					t.Fatalf("%s/%s: %+v", n.Name, name, d)
				}
			}
		}
	}
	for _, kind := range []string{"add", "remove", "rename", "new", "set", "enabled"} {
		if !seen[kind] {
			t.Errorf("no %q edit in 500 steps", kind)
		}
	}
}
