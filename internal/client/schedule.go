package client

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Why the schedule looks the way it does.
//
// A poll cannot see a change before it settles, so every wait ends some
// time after the settle moment; the aim is to keep that overshoot a small
// fraction of the settle time with few GETs. Knowing nothing, the best a
// schedule can do is poll at elapsed times growing by a constant factor:
// then a change is seen at most Factor times its settle time (plus the
// jitter and a GET's latency) whatever that time is. Covering 360dialog's
// "several seconds" (0.5 s to 8 s) within 12 GETs fixes the factor near
// (8/0.5)^(1/11) ≈ 1.29; 1.32 leaves room for the jitter (12 polls still
// reach 8 s when the draws run early by four standard deviations). A cold
// wait thus overshoots by up to about a third, and no schedule without
// knowledge can promise less without more GETs (15 % needs about 20).
//
// Knowledge comes cheaply within one process: the changes of one apply
// (several numbers, or several changes to one) tend to take about as long
// as each other. So a Client remembers, for its last few waits, the last
// elapsed time a change was not yet visible and the first time it was, and
// later waits poll densely where changes have been settling: they see a
// change within a few per cent of its settle time, with fewer GETs, and
// one a little later than the recent ones within about 10 %.

// settleMemorySize is how many recent waits a Client learns from.
const settleMemorySize = 8

// Warm schedules: polls double from Initial up to where changes have been
// settling (so an unusually fast change is still seen at most twice late),
// then at most fineSteps polls, each at least fineStepMin later than the
// one before, through the window of recent settle times; then tailSteps
// polls, each tailFactor later, because a change later than the recent
// ones is most often only a little later; then the cold rule.
const (
	warmCoarseFactor = 2
	fineSteps        = 4
	fineStepMin      = 1.03
	tailSteps        = 3
	tailFactor       = 1.1
)

// bracket is what one finished wait learnt: the change was not visible at
// elapsed time lo (0 when the first poll saw it) and was visible at hi.
type bracket struct {
	lo, hi time.Duration
}

// settleMemory is the recent brackets of one Client. It is safe for
// concurrent use.
type settleMemory struct {
	mu     sync.Mutex
	recent []bracket // oldest first, at most settleMemorySize
}

// learn records the bracket of a finished wait.
func (m *settleMemory) learn(b bracket) {
	if b.hi <= 0 || b.lo >= b.hi {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recent = append(m.recent, b)
	if len(m.recent) > settleMemorySize {
		m.recent = slices.Delete(m.recent, 0, len(m.recent)-settleMemorySize)
	}
}

// estimate returns the window where recent changes settled: the medians of
// the recent lower and upper bounds, or false before any wait finished.
// Taking the same order statistic of both keeps lo below hi, since every
// lower bound is below its own upper bound; medians ignore the odd outlier
// (a GET slowed down by retries, a change that was unusually slow).
func (m *settleMemory) estimate() (bracket, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.recent)
	if n == 0 {
		return bracket{}, false
	}
	los, his := make([]time.Duration, n), make([]time.Duration, n)
	for i, b := range m.recent {
		los[i], his[i] = b.lo, b.hi
	}
	slices.Sort(los)
	slices.Sort(his)
	return bracket{lo: los[n/2], hi: his[n/2]}, true
}

// schedule decides when one wait polls. It is used by one goroutine.
type schedule struct {
	p       PollPolicy
	polls   int             // polls scheduled so far
	targets []time.Duration // warm only: elapsed times still to poll at, ascending
}

// newSchedule returns the schedule of a wait: warm when the memory has an
// estimate, cold otherwise.
func newSchedule(p PollPolicy, mem *settleMemory) *schedule {
	s := &schedule{p: p}
	if est, ok := mem.estimate(); ok {
		s.targets = warmTargets(p, est)
	}
	return s
}

// next returns how long to sleep before the next poll, elapsed after the
// wait began; rnd in [0, 1) places the jitter. Warm targets that a slow GET
// has already overtaken are skipped; after the last one the cold rule
// continues, in case this change is slower than the recent ones.
func (s *schedule) next(elapsed time.Duration, rnd float64) time.Duration {
	for len(s.targets) > 0 && s.targets[0] <= elapsed {
		s.targets = s.targets[1:]
	}
	var d time.Duration
	if len(s.targets) > 0 {
		d = s.targets[0] - elapsed
		s.targets = s.targets[1:]
	} else {
		d = coldGap(s.p, s.polls, elapsed)
	}
	s.polls++
	return jittered(s.p, d, rnd)
}

// coldGap is the wait before poll number n (from 0) of a schedule that
// knows nothing: Initial first, then (Factor-1) times the time waited so
// far, so polls land at elapsed times growing by Factor. A Factor of 1
// polls every Initial.
func coldGap(p PollPolicy, n int, elapsed time.Duration) time.Duration {
	if n == 0 || p.Factor <= 1 {
		return p.Initial
	}
	return time.Duration((p.Factor - 1) * float64(elapsed))
}

// jittered moves d by ±Jitter (rnd picks where), so that waits started
// together do not poll together, and caps it at Max.
func jittered(p PollPolicy, d time.Duration, rnd float64) time.Duration {
	j := math.Min(float64(d), float64(p.Max)) * (1 + p.Jitter*(2*rnd-1))
	return time.Duration(math.Min(j, float64(p.Max)))
}

// warmTargets plans the polls of a wait, as elapsed times, when recent
// changes settled in est: sparse polls doubling from Initial while below
// est.lo, then dense ones through (est.lo, est.hi], then a short tail
// beyond, so that a change a little later than usual (or a poll jittered
// just early) is not followed by a long cold gap. With no lower bound
// (recent changes were seen at their first poll) the window starts one
// cold step below est.hi, where a cold wait would have polled before: it
// keeps the dense polls tight, and a hit there lets the estimate move down.
func warmTargets(p PollPolicy, est bracket) []time.Duration {
	var out []time.Duration
	for t := p.Initial; t < est.lo; t = min(warmCoarseFactor*t, t+p.Max) {
		out = append(out, t)
	}
	lo := est.lo
	if lo <= 0 {
		lo = time.Duration(float64(est.hi) / p.Factor) // Factor 1: just hi and the tail
	}
	span := float64(est.hi) / float64(lo)
	step := math.Max(fineStepMin, math.Pow(span, 1.0/fineSteps))
	// Rounding up, less a hair, keeps a poll a rounding error short of hi
	// from doubling the poll at hi.
	inside := int(math.Ceil(math.Log(span)/math.Log(step) - 1e-9))
	for i := 1; i < inside; i++ {
		out = append(out, time.Duration(float64(lo)*math.Pow(step, float64(i))))
	}
	out = append(out, est.hi)
	t := float64(est.hi) * step
	for range tailSteps {
		out = append(out, time.Duration(t))
		t *= tailFactor
	}
	return out
}
