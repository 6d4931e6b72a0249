package fakeapi

import (
	"slices"
	"testing"
	"time"
)

const putAB = `{"destinations": [
	{"name": "a", "url": "https://a.example.com", "headers": {}},
	{"name": "b", "url": "https://b.example.com", "headers": {}}]}`

// put returns a PUT body adding one destination called name.
func put(name string) string {
	return `{"destinations": [{"name": "` + name + `", "url": "https://` + name + `.example.com", "headers": {}}]}`
}

// visible returns the names GET shows for testKey, or nil while disabled.
func visible(t *testing.T, s *Server) []string {
	t.Helper()
	r := do(t, s, "GET", "/multi_webhook", testKey, "")
	switch r.status {
	case 200:
		return names(r.config(t).Destinations)
	case 409:
		return nil
	}
	t.Fatalf("GET answered %d %s", r.status, r.body)
	return nil
}

func TestSettleDelayHidesChangeUntilDue(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: 100 * time.Millisecond})
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 200, startedJS)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	if n := s.Pending(testKey); n != 1 {
		t.Fatalf("Pending = %d, want 1", n)
	}
	clock.Advance(99 * time.Millisecond)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	clock.Advance(time.Millisecond)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200, `{"enabled": true, "destinations": []}`)
	if n := s.Pending(testKey); n != 0 {
		t.Fatalf("Pending = %d after settling, want 0", n)
	}
}

func TestSettleDelayZeroIsVisibleToNextRequest(t *testing.T) {
	s := New(Options{})
	s.SetState(testKey, enabledWith())
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, putAB), 200, startedJS)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("GET shows %v, want [a b]", got)
	}
}

func TestSettleDelayRealClock(t *testing.T) {
	const delay = 100 * time.Millisecond
	s := New(Options{SettleDelay: delay})
	s.SetState(testKey, enabledWith())
	start := time.Now()
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, putAB), 200, startedJS)
	got := visible(t, s)
	if time.Since(start) < delay && len(got) != 0 {
		t.Fatalf("change visible after %v, before its settle delay", time.Since(start))
	}
	for len(got) == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("change never became visible")
		}
		time.Sleep(5 * time.Millisecond)
		got = visible(t, s)
	}
	if elapsed := time.Since(start); elapsed < delay {
		t.Fatalf("change visible after %v, before its settle delay %v", elapsed, delay)
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("GET shows %v, want [a b]", got)
	}
}

func TestSettleJitterBounds(t *testing.T) {
	tests := []struct {
		name           string
		delay, jitter  time.Duration
		lo, hi         time.Duration
		wantLo, wantHi bool // whether the extremes (within 1ms) must be reached
	}{
		{"around the delay", 10 * time.Millisecond, 4 * time.Millisecond, 6 * time.Millisecond, 14 * time.Millisecond, true, true},
		{"clamped at zero", 2 * time.Millisecond, 5 * time.Millisecond, 0, 7 * time.Millisecond, true, true},
		{"no jitter", 3 * time.Millisecond, 0, 3 * time.Millisecond, 3 * time.Millisecond, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{SettleDelay: tt.delay, SettleJitter: tt.jitter, Seed: 1})
			minD, maxD := time.Duration(1<<62), time.Duration(-1)
			s.mu.Lock()
			for range 5000 {
				d := s.settleDelayLocked()
				minD, maxD = min(minD, d), max(maxD, d)
			}
			s.mu.Unlock()
			if minD < tt.lo || maxD > tt.hi {
				t.Fatalf("delays in [%v, %v], want within [%v, %v]", minD, maxD, tt.lo, tt.hi)
			}
			if minD > tt.lo+time.Millisecond || maxD < tt.hi-time.Millisecond {
				t.Fatalf("delays in [%v, %v] do not spread over [%v, %v]", minD, maxD, tt.lo, tt.hi)
			}
		})
	}
}

func TestSettleJitterThroughRequests(t *testing.T) {
	for seed := range int64(20) {
		s, clock := newClocked(Options{SettleDelay: 10 * time.Millisecond, SettleJitter: 4 * time.Millisecond, Seed: seed})
		s.SetState(testKey, enabledWith())
		expect(t, do(t, s, "PUT", "/multi_webhook", testKey, putAB), 200, startedJS)
		clock.Advance(6*time.Millisecond - time.Nanosecond)
		if got := visible(t, s); len(got) != 0 {
			t.Fatalf("seed %d: visible before delay-jitter: %v", seed, got)
		}
		clock.Advance(8*time.Millisecond + time.Nanosecond)
		if got := visible(t, s); len(got) != 2 {
			t.Fatalf("seed %d: not visible after delay+jitter: %v", seed, got)
		}
	}
}

func TestChangeAppliesAtomically(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: 10 * time.Millisecond})
	s.SetState(testKey, enabledWith())
	body := `{"destinations": [
		{"name": "a", "url": "https://a.example.com"},
		{"name": "b", "url": "https://b.example.com"},
		{"name": "c", "url": "https://c.example.com"}]}`
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, body), 200, startedJS)
	for range 20 {
		if got := visible(t, s); len(got) != 0 && len(got) != 3 {
			t.Fatalf("GET shows half a change: %v", got)
		}
		clock.Advance(time.Millisecond)
	}
	if got := visible(t, s); len(got) != 3 {
		t.Fatalf("GET shows %v, want all three", got)
	}
}

func TestNeverSettle(t *testing.T) {
	s, clock := newClocked(Options{NeverSettle: true})
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 200, startedJS)
	clock.Advance(time.Hour)
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 409, disabled)
	if s.Pending(testKey) != 1 || s.State(testKey).Enabled {
		t.Fatalf("change settled although NeverSettle is set")
	}
	// The stuck change blocks the next one.
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 500, opFailed)
	s.SetOptions(func(o *Options) { o.NeverSettle = false })
	expect(t, do(t, s, "GET", "/multi_webhook", testKey, ""), 200, `{"enabled": true, "destinations": []}`)
}

func TestRejectWhilePending(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: 10 * time.Millisecond})
	s.SetState(testKey, enabledWith())
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, put("a")), 200, startedJS)
	for _, method := range []string{"PUT", "PATCH", "POST"} {
		body := map[string]string{"PUT": put("b"), "PATCH": `{"name": "a", "url": "https://x.example.com"}`, "POST": `{"enabled": false}`}[method]
		expect(t, do(t, s, method, "/multi_webhook", testKey, body), 500, opFailed)
	}
	expect(t, do(t, s, "DELETE", "/multi_webhook/a", testKey, ""), 500, opFailed)
	clock.Advance(10 * time.Millisecond)
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, put("b")), 200, startedJS)
	clock.Advance(10 * time.Millisecond)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("GET shows %v, want [a b]", got)
	}
}

func TestQueueWhilePending(t *testing.T) {
	s, clock := newClocked(Options{SettleDelay: 10 * time.Millisecond, QueueWhilePending: true})
	s.SetState(testKey, enabledWith())
	steps := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"PUT", "/multi_webhook", putAB, 200, startedJS},
		{"PUT", "/multi_webhook", put("c"), 200, startedJS},
		// Validated against the state once the queue has applied.
		{"PUT", "/multi_webhook", put("d"), 400, `{"error": "You cannot add more than 3 destinations"}`},
		{"PUT", "/multi_webhook", put("c"), 400, `{"error": "Destination with name c already exists"}`},
		{"PATCH", "/multi_webhook", `{"name": "c", "url": "https://c2.example.com", "headers": {"X-Y": "z"}}`, 200, startedJS},
		{"DELETE", "/multi_webhook/a", "", 200, startedJS},
		{"DELETE", "/multi_webhook/a", "", 404, `{"error": "Destination with name a not found"}`},
		{"PUT", "/multi_webhook", put("a"), 200, startedJS},
	}
	for i, st := range steps {
		if i == 1 {
			clock.Advance(5 * time.Millisecond) // the first change is still pending
		}
		expect(t, do(t, s, st.method, st.path, testKey, st.body), st.status, st.want)
	}
	// Each queued change starts settling when the one ahead of it applied:
	// five changes, 10ms each, the first accepted 5ms before the others.
	if got := visible(t, s); len(got) != 0 {
		t.Fatalf("GET shows %v before anything settled", got)
	}
	clock.Advance(5 * time.Millisecond)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("after the first change GET shows %v, want [a b]", got)
	}
	clock.Advance(10 * time.Millisecond)
	if got := visible(t, s); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("after the second change GET shows %v, want [a b c]", got)
	}
	clock.Advance(30 * time.Millisecond)
	got := s.State(testKey)
	if !slices.Equal(names(got.Destinations), []string{"b", "c", "a"}) || got.Destinations[1].URL != "https://c2.example.com" {
		t.Fatalf("final state %+v, want b, c (patched), a", got)
	}
}

func TestQueuedDisableMakesLaterChangesSeeDisabled(t *testing.T) {
	s, _ := newClocked(Options{SettleDelay: time.Second, QueueWhilePending: true})
	s.SetState(testKey, enabledWith(dest("a", "https://a.example.com")))
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": false}`), 200, startedJS)
	expect(t, do(t, s, "PUT", "/multi_webhook", testKey, put("b")), 409, disabled)
	expect(t, do(t, s, "DELETE", "/multi_webhook/a", testKey, ""), 409, disabled)
	// Enabling again with a destination that conflicts with the hidden one.
	body := `{"enabled": true, "destinations": [{"name": "a", "url": "https://a.example.com"}]}`
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, body), 400, `{"error": "Destination with name a already exists"}`)
}

func TestSetStateSettlesAndDropsPending(t *testing.T) {
	s, _ := newClocked(Options{SettleDelay: time.Hour})
	expect(t, do(t, s, "POST", "/multi_webhook", testKey, `{"enabled": true}`), 200, startedJS)
	s.SetState(testKey, enabledWith(dest("drift", "https://drift.example.com")))
	if s.Pending(testKey) != 0 {
		t.Fatal("SetState kept a pending change")
	}
	if got := visible(t, s); !slices.Equal(got, []string{"drift"}) {
		t.Fatalf("GET shows %v, want [drift]", got)
	}
}
