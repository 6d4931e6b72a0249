package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// Environment of the soak: D360_SOAK selects its length (unset: skipped),
// D360_SOAK_SEED its seed (unset: a new one, printed).
const (
	envSoak     = "D360_SOAK"
	envSoakSeed = "D360_SOAK_SEED"
)

// soakLength is one of the soak's lengths.
type soakLength struct {
	numbers, steps int
}

// soakLengths: short runs inside make test; long is make soak.
var soakLengths = map[string]soakLength{
	"short": {numbers: 20, steps: 8},
	"long":  {numbers: 24, steps: 30},
}

// Faults of the soak: 30 % of changes and 20 % of GETs fail, and each
// number may make 3 requests per second before getting 429s.
func soakFaults(seed uint64) fakeapi.Options {
	return fakeapi.Options{
		SettleDelay: 150 * time.Millisecond, SettleJitter: 100 * time.Millisecond,
		ChangeFailureRate: 0.3, GetFailureRate: 0.2,
		RateLimit: 3, RateWindow: time.Second,
		Seed: int64(seed),
	}
}

// Every stormEvery-th step, the first apply meets a storm: stormFailureRate
// of change calls fail, so about half the calls exhaust their 8 attempts
// (0.92^8 ≈ 0.51) and the apply fails, often half-way through a number. That is the path where
// "nothing lost" matters: the state must still record what settled, and
// the re-run, under the normal faults again, must converge.
const (
	stormEvery       = 4
	stormFailureRate = 0.92
)

// maxReruns is how often the soak re-runs an apply (or destroy) that
// failed; the provider retries each call 8 times, so a failed apply is rare
// and a second failure in a row rarer still.
const maxReruns = 3

// soakStats is what the soak reports at the end.
type soakStats struct {
	applies, reruns, planReruns, storms int
}

// TestSoak changes the configuration of 20+ numbers (for_each, a key per
// number) in a seeded random walk while the fake fails 30 % of changes and
// 20 % of GETs and rate-limits every key. After every apply, failed or
// not, the state must record what the fake settled; after every successful
// apply the fake must hold exactly the configuration and the next plan
// must be empty.
func TestSoak(t *testing.T) {
	length, seed := soakSettings(t)
	t.Logf("soak %s: %d numbers, %d steps, seed %d", os.Getenv(envSoak), length.numbers, length.steps, seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the soak failed with seed %d; run it again with: make soak SEED=%d (make soak-short SEED=%d for the short one)", seed, seed, seed)
		}
	})
	env := newFakeEnv(t, soakFaults(seed))
	walk := NewWalk(seed, length.numbers, fmt.Sprintf("soak-%d", seed))
	ws := newWorkspace(t)
	var stats soakStats
	start := time.Now()
	for step := 0; step <= length.steps; step++ {
		did := []string{"create"}
		if step > 0 {
			did = walk.Step()
		}
		storm := step > 0 && step%stormEvery == 0
		t.Logf("step %d%s: %s", step, map[bool]string{true: " (storm)"}[storm], strings.Join(did, "; "))
		ws.WriteConfig(ForEachConfig(env.url, walk.Numbers))
		if storm {
			stats.storms++
			startStorm(env)
		}
		soakApply(t, ws, env, walk.Numbers, &stats, "apply", "-auto-approve", "-input=false", "-no-color")
		checkDeclared(t, env, walk.Numbers)
		checkPlanEmpty(t, ws, &stats)
	}
	enabledBefore := walk.Numbers
	soakApply(t, ws, env, walk.Numbers, &stats, "destroy", "-auto-approve", "-input=false", "-no-color")
	checkDestroyed(t, env, enabledBefore)
	st := env.fake.Stats()
	t.Logf("soak passed in %s: %d applies (%d in a storm), %d re-run after a failure, %d plans re-run; the fake answered %d requests: %d×429, %d×500, %d×502",
		time.Since(start).Round(time.Second), stats.applies, stats.storms, stats.reruns, stats.planReruns,
		st.Total, st.Statuses["429"], st.Statuses["500"], st.Statuses["502"])
}

// soakSettings reads the environment, skipping the test when D360_SOAK is
// unset.
func soakSettings(t *testing.T) (soakLength, uint64) {
	name := os.Getenv(envSoak)
	if name == "" {
		t.Skip("the soak runs with make soak or make soak-short (D360_SOAK=short|long)")
	}
	length, ok := soakLengths[name]
	if !ok {
		t.Fatalf("%s=%q: want short or long", envSoak, name)
	}
	seed := uint64(time.Now().UnixNano() % 1_000_000)
	if s := os.Getenv(envSoakSeed); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", envSoakSeed, s, err)
		}
		seed = v
	}
	return length, seed
}

// soakApply runs apply (or destroy) until it succeeds, at most maxReruns
// extra times. After every run the state must match what the fake settled
// and nothing may be left pending.
func soakApply(t *testing.T, ws *workspace, env *fakeEnv, numbers []Number, stats *soakStats, args ...string) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		stats.applies++
		r := ws.run(args...)
		endStorm(env, seedOf(env))
		checkStateMatchesFake(t, ws, env, numbers)
		if r.Err == nil {
			return
		}
		if attempt == maxReruns {
			t.Fatalf("%s still fails after %d re-runs: %v\n%s", args[0], maxReruns, r.Err, tail(r.Stderr, 30))
		}
		stats.reruns++
		t.Logf("%s failed under faults (re-running it): %s", args[0], firstError(r.Stderr))
	}
}

// startStorm makes most change calls fail until endStorm.
func startStorm(env *fakeEnv) {
	env.fake.SetOptions(func(o *fakeapi.Options) { o.ChangeFailureRate = stormFailureRate })
}

// endStorm restores the soak's normal faults.
func endStorm(env *fakeEnv, seed uint64) {
	normal := soakFaults(seed).ChangeFailureRate
	env.fake.SetOptions(func(o *fakeapi.Options) { o.ChangeFailureRate = normal })
}

// seedOf returns the seed the fake was started with.
func seedOf(env *fakeEnv) uint64 {
	return uint64(env.fake.Options().Seed)
}

// firstError returns the first error block of CLI output on one line,
// without the box drawing and the configuration excerpt.
func firstError(stderr string) string {
	var parts []string
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(strings.Trim(line, "│╷╵ "))
		if len(parts) == 0 && !strings.HasPrefix(line, "Error:") {
			continue
		}
		if len(parts) > 0 && strings.HasPrefix(line, "Error:") {
			break
		}
		if line != "" && !strings.HasPrefix(line, "with ") && !strings.HasPrefix(line, "on ") && !strings.Contains(line, ": resource ") {
			parts = append(parts, line)
		}
	}
	if len(parts) == 0 {
		return tail(stderr, 3)
	}
	return strings.Join(parts, " ")
}

// checkStateMatchesFake compares the state with the fake, number by number,
// and checks that no change is left pending.
func checkStateMatchesFake(t *testing.T, ws *workspace, env *fakeEnv, numbers []Number) {
	t.Helper()
	show := ws.run("show", "-json")
	if show.Err != nil {
		t.Fatalf("show -json: %v\n%s", show.Err, show.Stderr)
	}
	state, err := StateNumbers([]byte(show.Stdout))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range numbers {
		if p := env.fake.Pending(n.Key); p > 0 {
			t.Errorf("%s: %d changes still pending after the command returned", n.Name, p)
		}
		s, ok := state[n.Name]
		if !ok {
			continue // not created yet (a failed first apply) or destroyed
		}
		if err := CheckStateAgainstFake(s, env.fake.State(n.Key)); err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkDeclared fails unless every number is exactly as declared.
func checkDeclared(t *testing.T, env *fakeEnv, numbers []Number) {
	t.Helper()
	for _, err := range mismatches(env, numbers) {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkPlanEmpty fails unless plan -detailed-exitcode finds nothing to do.
// A plan that errors (its refresh exhausted the retries of a GET) is run
// again; a plan with changes fails the soak at once.
func checkPlanEmpty(t *testing.T, ws *workspace, stats *soakStats) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		code, r := ws.planExit()
		switch {
		case code == 0:
			return
		case code == 2:
			t.Fatalf("the plan after a successful apply is not empty:\n%s", tail(r.Stdout, 80))
		case attempt == maxReruns:
			t.Fatalf("plan still fails after %d re-runs: %v\n%s", maxReruns, r.Err, tail(r.Stderr, 30))
		}
		stats.planReruns++
		t.Logf("plan failed under faults (re-running it): %s", firstError(r.Stderr))
	}
}

// checkDestroyed checks that destroy left every number disabled, and those
// that were enabled without hidden destinations that could come back.
func checkDestroyed(t *testing.T, env *fakeEnv, before []Number) {
	t.Helper()
	for _, n := range before {
		st := env.fake.State(n.Key)
		switch {
		case st.Enabled:
			t.Errorf("%s: still enabled after destroy", n.Name)
		case n.Enabled && len(st.Destinations) > 0:
			t.Errorf("%s: destroy left %d destinations behind the disable", n.Name, len(st.Destinations))
		}
	}
}
