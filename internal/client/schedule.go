package client

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Why the schedule looks the way it does, with its figures, is DESIGN.md's
// "Waiting" section: the cold grid, what later waits learn from earlier
// ones, and where that knowledge is kept. Here, PollPolicy and coldTarget
// make the cold grid; settleMemory keeps what finished waits learnt and
// estimates from it; warmTargets plans the polls of a wait that has an
// estimate; knowledge.go exports and imports what a number's waits taught.

// Bounds of what the client remembers: per number its newest
// numberMemorySize waits, for the process the newest settleMemorySize waits
// of any number, of at most maxNumbersRemembered numbers, none older than
// settleMaxAge. Old knowledge costs little when it is wrong (DESIGN.md, "Waiting"),
// but 360dialog's timing drifts, and newer evidence is better.
const (
	settleMemorySize     = 8
	numberMemorySize     = 4
	maxNumbersRemembered = 100_000
	settleMaxAge         = 14 * 24 * time.Hour
	maxClockSkew         = time.Hour
)

// Warm schedules: polls double from Initial up to where changes have been
// settling (so an unusually fast change is still seen at most twice late),
// then at most fineSteps polls, each at least fineStepMin later than the
// one before, through the window of recent settle times; then tailSteps
// polls, each tailFactor later, because a change later than the recent
// ones is most often only a little later; then the cold grid.
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

// valid reports whether b can be learnt from.
func (b bracket) valid() bool {
	return b.hi > 0 && b.lo >= 0 && b.lo < b.hi
}

// sample is a bracket with the time its wait ended. Both are kept at the
// precision of their exported form (knowledge.go), so that a sample comes
// back from an export equal to itself and is not counted twice.
type sample struct {
	bracket
	at time.Time
}

// newSample rounds b outwards to whole milliseconds and at to the second.
func newSample(b bracket, at time.Time) sample {
	lo := b.lo.Truncate(time.Millisecond)
	hi := (b.hi + time.Millisecond - 1).Truncate(time.Millisecond)
	return sample{bracket: bracket{lo: lo, hi: hi}, at: at.Truncate(time.Second)}
}

// settleMemory is what a Client knows of settle times. Its zero value is
// empty and ready; it is safe for concurrent use.
type settleMemory struct {
	mu      sync.Mutex
	now     func() time.Time    // time.Now unless a test sets it
	numbers map[string][]sample // by fingerprint: the number's newest waits, oldest first
	recent  []sample            // the newest waits of any number, oldest first
}

// clock returns the current time.
func (m *settleMemory) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

// learn records a finished wait of the number with fingerprint fp.
func (m *settleMemory) learn(fp string, b bracket) {
	if !b.valid() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.addOwn(fp, newSample(b, m.clock()))
}

// addOwn records a wait of the number fp, which also counts for the
// process. Callers hold m.mu.
func (m *settleMemory) addOwn(fp string, s sample) {
	if _, known := m.numbers[fp]; known || len(m.numbers) < maxNumbersRemembered {
		if m.numbers == nil {
			m.numbers = map[string][]sample{}
		}
		m.numbers[fp] = insertByTime(m.numbers[fp], s, numberMemorySize)
	}
	m.recent = insertByTime(m.recent, s, settleMemorySize)
}

// insertByTime adds s to list (oldest first) unless it is there already,
// and keeps the newest limit samples.
func insertByTime(list []sample, s sample, limit int) []sample {
	if slices.Contains(list, s) {
		return list
	}
	i := len(list)
	for i > 0 && list[i-1].at.After(s.at) {
		i--
	}
	list = slices.Insert(list, i, s)
	if len(list) > limit {
		list = slices.Delete(list, 0, len(list)-limit)
	}
	return list
}

// fresh returns the samples of list not older than settleMaxAge at now
// nor dated after now by more than maxClockSkew (knowledge may come from
// another machine).
func fresh(list []sample, now time.Time) []sample {
	oldest, newest := now.Add(-settleMaxAge), now.Add(maxClockSkew)
	var out []sample
	for _, s := range list {
		if !s.at.Before(oldest) && !s.at.After(newest) {
			out = append(out, s)
		}
	}
	return out
}

// estimate returns the window where the number's changes can be expected
// to settle, from its own recent waits or, when it has none, from those of
// the process; false when there are none either.
func (m *settleMemory) estimate(fp string) (bracket, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	samples := fresh(m.numbers[fp], now)
	if len(samples) == 0 {
		samples = fresh(m.recent, now)
	}
	if len(samples) == 0 {
		return bracket{}, false
	}
	return medians(samples), true
}

// medians returns the medians of the lower and of the upper bounds. Taking
// the same order statistic of both keeps lo below hi, since every lower
// bound is below its own upper bound; medians ignore the odd outlier (a GET
// slowed down by retries, a change that was unusually slow).
func medians(samples []sample) bracket {
	n := len(samples)
	los, his := make([]time.Duration, n), make([]time.Duration, n)
	for i, s := range samples {
		los[i], his[i] = s.lo, s.hi
	}
	slices.Sort(los)
	slices.Sort(his)
	return bracket{lo: los[n/2], hi: his[n/2]}
}

// schedule decides when one wait polls. It is used by one goroutine.
type schedule struct {
	p    PollPolicy
	warm []time.Duration // elapsed times still to poll at from what was learnt, ascending
	last time.Duration   // the last elapsed time polled at, from which the cold grid continues
}

// newSchedule returns the schedule of a wait of the number fp: warm when
// the memory has an estimate for it, cold otherwise.
func newSchedule(p PollPolicy, mem *settleMemory, fp string) *schedule {
	s := &schedule{p: p}
	if est, ok := mem.estimate(fp); ok {
		s.warm = warmTargets(p, est)
	}
	return s
}

// next returns how long to sleep before the next poll, elapsed after the
// wait began; rnd in [0, 1) places the cold grid's jitter, and is used
// only when the first cold poll is planned. Targets that a slow GET has
// already overtaken are skipped.
func (s *schedule) next(elapsed time.Duration, rnd float64) time.Duration {
	for len(s.warm) > 0 && s.warm[0] <= elapsed {
		s.last, s.warm = s.warm[0], s.warm[1:]
	}
	var t time.Duration
	if len(s.warm) > 0 {
		t, s.warm = s.warm[0], s.warm[1:]
	} else {
		t = s.coldTarget(elapsed, rnd)
	}
	s.last = t
	return t - elapsed
}

// coldTarget is the first point of the cold grid after elapsed: the first
// poll at Initial moved later by up to Jitter of it, then at elapsed times
// growing by Factor, at most Max apart; after warm targets the grid
// continues from the last of them.
func (s *schedule) coldTarget(elapsed time.Duration, rnd float64) time.Duration {
	t := time.Duration(float64(s.p.Initial) * (1 + s.p.Jitter*rnd))
	if s.last > 0 {
		t = s.last + coldGap(s.p, s.last)
	}
	for t <= elapsed {
		t += coldGap(s.p, t)
	}
	return t
}

// coldGap is the gap after a poll at elapsed time t: (Factor-1)·t, so that
// polls land at times growing by Factor, at most Max and at least a
// millisecond. A Factor of 1 polls every Initial.
func coldGap(p PollPolicy, t time.Duration) time.Duration {
	gap := p.Initial
	if p.Factor > 1 {
		gap = time.Duration(math.Min((p.Factor-1)*float64(t), float64(p.Max)))
	}
	return max(gap, time.Millisecond)
}

// warmTargets plans the polls of a wait, as elapsed times, when recent
// changes settled in est: sparse polls doubling from Initial while below
// est.lo, then dense ones through (est.lo, est.hi], then a short tail
// beyond, so that a change a little later than usual is not followed by a
// long cold gap. With no lower bound (recent changes were seen at their
// first poll) the window starts one cold step below est.hi, where a cold
// wait would have polled before: it keeps the dense polls tight, and a hit
// there lets the estimate move down.
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

// The patience of a wait (see Unchanged): patienceFactor times the longer
// of the cold grid's reach, the time of its patienceReachPolls-th poll,
// and the upper bound of the number's recent settle window. A change that
// still looks unchanged after it most likely had no visible effect; taking
// one that was only slower for such costs the caller a plan from what it
// saw, and the changes that plan makes, never a wrong result.
const (
	patienceFactor     = 3
	patienceReachPolls = 12
)

// patience is how long a wait of the number fp treats Unchanged as
// Pending.
func patience(p PollPolicy, mem *settleMemory, fp string) time.Duration {
	reach := p.Initial
	for range patienceReachPolls - 1 {
		reach += coldGap(p, reach)
	}
	if est, ok := mem.estimate(fp); ok {
		reach = max(reach, est.hi)
	}
	return patienceFactor * reach
}
