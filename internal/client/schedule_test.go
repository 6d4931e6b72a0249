package client

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// defaultPoll is the default policy, as New fills it.
func defaultPoll(t *testing.T) PollPolicy {
	t.Helper()
	p, err := PollPolicy{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestColdScheduleGaps(t *testing.T) {
	p := PollPolicy{Initial: 500 * time.Millisecond, Factor: 1.3, Max: 5 * time.Second, Jitter: 0.1}
	ms := time.Millisecond
	cases := []struct {
		name    string
		polls   int
		elapsed time.Duration
		rnd     float64
		want    time.Duration
	}{
		{"first poll", 0, 0, 0.5, 500 * ms},
		{"first poll, earliest jitter", 0, 0, 0, 450 * ms},
		{"second poll: 30% of the time waited", 1, 500 * ms, 0.5, 150 * ms},
		{"later", 5, 2 * time.Second, 0.5, 600 * ms},
		{"jitter down", 5, 2 * time.Second, 0, 540 * ms},
		{"jitter up", 5, 2 * time.Second, 1, 660 * ms},
		{"capped", 9, 20 * time.Second, 0.5, 5 * time.Second},
		{"capped, jitter never above Max", 9, 20 * time.Second, 1, 5 * time.Second},
		{"capped, jitter still spreads", 9, 20 * time.Second, 0, 4500 * ms},
		{"no overflow", 1000, 100 * time.Hour, 1, 5 * time.Second},
	}
	for _, tc := range cases {
		s := &schedule{p: p, polls: tc.polls}
		if got := s.next(tc.elapsed, tc.rnd); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	flat := &schedule{p: PollPolicy{Initial: 50 * ms, Factor: 1, Max: time.Second}, polls: 30}
	if got := flat.next(10*time.Second, 0.5); got != 50*ms {
		t.Errorf("factor 1 waited %s, want Initial", got)
	}
}

// simulate runs a schedule against a change that settles at settle, with
// instant GETs and a fixed jitter draw, and returns how many polls it took
// and when the change was seen.
func simulate(s *schedule, settle time.Duration, rnd float64) (polls int, seen time.Duration) {
	var elapsed time.Duration
	for polls < 1000 {
		elapsed += s.next(elapsed, rnd)
		polls++
		if elapsed >= settle {
			return polls, elapsed
		}
	}
	return polls, elapsed
}

// envelope is settle times over 0.5 s to 8 s, 40 per doubling.
func envelope() []time.Duration {
	var out []time.Duration
	for k := 0; k <= 160; k++ {
		out = append(out, time.Duration(float64(500*time.Millisecond)*math.Pow(2, float64(k)/40)))
	}
	return out
}

// TestColdScheduleEnvelope pins what the defaults promise with no
// knowledge: over settle times of 0.5 s to 8 s, a change is seen at most
// Factor (1.32) times its settle time late, jitter aside, within 12 polls.
func TestColdScheduleEnvelope(t *testing.T) {
	p := defaultPoll(t)
	for _, rnd := range []float64{0, 0.5, 0.999} {
		worstRatio, worstPolls := 0.0, 0
		for _, settle := range envelope() {
			polls, seen := simulate(&schedule{p: p}, settle, rnd)
			worstRatio = math.Max(worstRatio, seen.Seconds()/settle.Seconds())
			worstPolls = max(worstPolls, polls)
		}
		maxRatio := 1 + (p.Factor-1)*(1+p.Jitter*(2*rnd-1)) + 1e-9
		if rnd == 0 {
			// The first poll jittered early misses a change of exactly Initial.
			maxRatio = math.Max(maxRatio, 0.9*(1+(p.Factor-1)*0.9)+1e-9)
		}
		if worstRatio > maxRatio {
			t.Errorf("rnd %g: worst wait %.3f× the settle time, want ≤ %.3f", rnd, worstRatio, maxRatio)
		}
		wantPolls := 12
		if rnd == 0 { // every gap 10% short: beyond any real run
			wantPolls = 13
		}
		if worstPolls > wantPolls {
			t.Errorf("rnd %g: %d polls for a change of at most 8s, want ≤ %d", rnd, worstPolls, wantPolls)
		}
	}
}

func TestSettleMemory(t *testing.T) {
	ms := time.Millisecond
	var m settleMemory
	if _, ok := m.estimate(); ok {
		t.Fatal("an empty memory has an estimate")
	}
	m.learn(bracket{lo: 0, hi: 0})          // nothing seen: ignored
	m.learn(bracket{lo: 900 * ms, hi: 800}) // inconsistent: ignored
	if _, ok := m.estimate(); ok {
		t.Fatal("invalid brackets were learnt")
	}
	m.learn(bracket{lo: 100 * ms, hi: 200 * ms})
	if got, _ := m.estimate(); got != (bracket{100 * ms, 200 * ms}) {
		t.Errorf("one bracket: %+v", got)
	}
	m.learn(bracket{lo: 0, hi: 150 * ms})
	m.learn(bracket{lo: 5000 * ms, hi: 6000 * ms}) // an outlier
	if got, _ := m.estimate(); got != (bracket{100 * ms, 200 * ms}) {
		t.Errorf("medians of three: %+v, want the middle bounds", got)
	}
	for i := range settleMemorySize {
		m.learn(bracket{lo: time.Duration(i+1) * time.Second, hi: time.Duration(i+2) * time.Second})
	}
	if len(m.recent) != settleMemorySize {
		t.Fatalf("%d brackets kept, want %d", len(m.recent), settleMemorySize)
	}
	if got, _ := m.estimate(); got != (bracket{5 * time.Second, 6 * time.Second}) {
		t.Errorf("after the old ones aged out: %+v", got)
	}
}

func TestSettleMemoryConcurrentUse(t *testing.T) {
	var m settleMemory
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				m.learn(bracket{lo: time.Duration(j), hi: time.Duration(j + i + 1)})
				m.estimate()
			}
		})
	}
	wg.Wait()
	if est, ok := m.estimate(); !ok || est.lo >= est.hi {
		t.Errorf("estimate %+v, %v", est, ok)
	}
}

func TestWarmTargets(t *testing.T) {
	p := defaultPoll(t)
	est := bracket{lo: 6890 * time.Millisecond, hi: 8960 * time.Millisecond}
	got := warmTargets(p, est)
	coarse := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}
	for i, want := range coarse {
		if got[i] != want {
			t.Fatalf("targets %v: want the coarse polls %v first", got, coarse)
		}
	}
	fine, tail := got[len(coarse):len(got)-tailSteps], got[len(got)-tailSteps:]
	if len(fine) > fineSteps || fine[0] <= est.lo || fine[len(fine)-1] != est.hi {
		t.Errorf("fine targets %v: want at most %d through (%s, %s]", fine, fineSteps, est.lo, est.hi)
	}
	step := math.Pow(float64(est.hi)/float64(est.lo), 1.0/fineSteps)
	for i := 1; i < len(fine); i++ {
		if r := float64(fine[i]) / float64(fine[i-1]); r > step+1e-9 {
			t.Errorf("fine targets %v: step %.3f", fine, r)
		}
	}
	prev := est.hi
	for i, target := range tail {
		want := step
		if i > 0 {
			want = tailFactor
		}
		if r := float64(target) / float64(prev); math.Abs(r-want) > 1e-6 {
			t.Errorf("tail %v after %s: step %.3f, want %.3f", tail, est.hi, r, want)
		}
		prev = target
	}
	never := warmTargets(p, bracket{lo: 0, hi: 500 * time.Millisecond})
	if first := time.Duration(float64(500*time.Millisecond) / p.Factor); never[0] <= first || never[0] >= 500*time.Millisecond {
		t.Errorf("targets %v: with no lower bound, want the first between hi/Factor (%s) and hi", never, first)
	}
}

// TestWarmTargetsAreAscending checks random brackets: the targets always
// grow, so the schedule never polls twice at once nor goes backwards.
func TestWarmTargetsAreAscending(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	flat := PollPolicy{Initial: 100 * time.Millisecond, Factor: 1, Max: time.Second}
	for i := range 10000 {
		p := defaultPoll(t)
		if i%2 == 1 {
			p = flat
		}
		hi := time.Duration(1 + rng.Int64N(int64(30*time.Second)))
		lo := time.Duration(rng.Int64N(int64(hi)))
		if i%5 == 0 {
			lo = 0
		}
		got := warmTargets(p, bracket{lo: lo, hi: hi})
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] {
				t.Fatalf("bracket (%s, %s]: targets %v are not ascending", lo, hi, got)
			}
		}
		// With the defaults, doubling reaches any window under 30 s in a few
		// polls; a 1 s cap between polls legitimately needs many more.
		if len(got) > 20 && p != flat {
			t.Fatalf("bracket (%s, %s]: %d targets", lo, hi, len(got))
		}
	}
}

// TestWarmScheduleTightensWaits: once a Client has seen changes settle, a
// change that takes as long is seen within a few per cent, in fewer polls.
func TestWarmScheduleTightensWaits(t *testing.T) {
	p := defaultPoll(t)
	for _, settle := range envelope() {
		var m settleMemory
		rnd := 0.5
		_, seen := learnFrom(&m, p, settle, rnd)
		coldRatio := seen.Seconds() / settle.Seconds()
		for i := range 3 {
			polls, seen := learnFrom(&m, p, settle, rnd)
			ratio := seen.Seconds() / settle.Seconds()
			if ratio > 1.07 || polls > 10 {
				t.Fatalf("settle %s, warm wait %d: %.3f× in %d polls (cold %.3f×)", settle, i+1, ratio, polls, coldRatio)
			}
		}
	}
}

// learnFrom simulates one wait with memory m and records what it learnt,
// as WaitFor does.
func learnFrom(m *settleMemory, p PollPolicy, settle time.Duration, rnd float64) (int, time.Duration) {
	s := newSchedule(p, m)
	var elapsed, lastMiss time.Duration
	for polls := 1; ; polls++ {
		elapsed += s.next(elapsed, rnd)
		if elapsed >= settle {
			m.learn(bracket{lo: lastMiss, hi: elapsed})
			return polls, elapsed
		}
		lastMiss = elapsed
	}
}

// TestWarmScheduleSurprises: a change much faster or slower than the
// recent ones is still seen in reasonable time: at most about twice late
// when faster (the doubling polls), and as late as a cold wait allows when
// slower.
func TestWarmScheduleSurprises(t *testing.T) {
	p := defaultPoll(t)
	cases := []struct {
		learnt, settle time.Duration
		maxRatio       float64
		maxPolls       int
	}{
		{8 * time.Second, 600 * time.Millisecond, 2.0, 3},
		{8 * time.Second, 3 * time.Second, 2.0, 5},
		{2 * time.Second, 2200 * time.Millisecond, 1.1, 8},
		{2 * time.Second, 2400 * time.Millisecond, 1.1, 9}, // the tail reaches about 1.25× what was learnt
		{500 * time.Millisecond, 8 * time.Second, 1.33, 18},
		{2 * time.Second, 30 * time.Second, 1.33, 25},
	}
	for _, tc := range cases {
		var m settleMemory
		for range 3 {
			learnFrom(&m, p, tc.learnt, 0.5)
		}
		polls, seen := simulate(newSchedule(p, &m), tc.settle, 0.5)
		if ratio := seen.Seconds() / tc.settle.Seconds(); ratio > tc.maxRatio || polls > tc.maxPolls {
			t.Errorf("learnt %s, settle %s: %.2f× in %d polls, want ≤ %.2f× in ≤ %d", tc.learnt, tc.settle, ratio, polls, tc.maxRatio, tc.maxPolls)
		}
	}
}

// settlingServer answers GET with an empty list until settle has passed
// since the last POST, then with crm, like an API whose changes take settle.
func settlingServer(t *testing.T, settle time.Duration) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	var posted time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost {
			posted = time.Now()
			_, _ = w.Write([]byte(msgBody(msgStarted)))
			return
		}
		if time.Since(posted) < settle {
			_, _ = w.Write([]byte(listEmpty))
			return
		}
		_, _ = w.Write([]byte(listCRM))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestWaitForLearns: a finished wait records when its change was not yet
// and when it was visible. Only orderings are asserted, which hold however
// slow a loaded machine makes the GETs.
func TestWaitForLearns(t *testing.T) {
	const settle = 300 * time.Millisecond
	srv := settlingServer(t, settle)
	num, _ := newTestNumber(t, srv.URL, testKey, withPoll(PollPolicy{Initial: 10 * time.Millisecond, Factor: 2, Max: time.Second}))
	if err := num.SetEnabled(t.Context(), true, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := num.WaitFor(t.Context(), "crm", hasCRM); err != nil {
		t.Fatal(err)
	}
	waited := time.Since(start)
	est, ok := num.client.settled[apiPath].estimate()
	// lo: a poll sent after the wait began that missed, so before the settle
	// moment; hi: the answer that showed it, within the wait.
	if !ok || est.lo <= 0 || est.lo >= settle || est.hi <= est.lo || est.hi > waited {
		t.Errorf("learnt %+v after a wait of %s, want 0 < lo < %s < hi ≤ the wait", est, waited, settle)
	}
}

// TestWaitForUsesWhatItLearnt: with changes known to settle in 200-400 ms,
// a wait polls there, long before its cold first poll at Initial (2 s).
func TestWaitForUsesWhatItLearnt(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listCRM})
	num, _ := fs.number(testKey, withPoll(PollPolicy{Initial: 2 * time.Second, Factor: 1.3, Max: 5 * time.Second}))
	num.client.settled[apiPath].learn(bracket{lo: 200 * time.Millisecond, hi: 400 * time.Millisecond})
	start := time.Now()
	if _, err := num.WaitFor(t.Context(), "crm", hasCRM); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited >= time.Second || fs.count() != 1 {
		t.Errorf("waited %s with %d GETs; want one GET at about 240ms, not the cold 2s", waited, fs.count())
	}
}

func TestWaitForTimeoutTeachesNothing(t *testing.T) {
	fs := newFakeServer(t, reply{status: 200, body: listEmpty})
	num, _ := fs.number(testKey)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if _, err := num.WaitFor(ctx, "crm", hasCRM); err == nil {
		t.Fatal("expected a timeout")
	}
	if _, ok := num.client.settled[apiPath].estimate(); ok {
		t.Error("a wait that never saw its change was learnt from")
	}
}
