package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// waitStats summarises samples.
type waitStats struct {
	n                       int
	medianRatio, worstRatio float64
	medianGETs, worstGETs   int
	medianWall              time.Duration
	medianTailRatio         float64
}

// statsOf summarises the samples of results that keep selects.
func statsOf(results []WaitResult, keep func(WaitSample) bool) waitStats {
	var ratios, tailRatios []float64
	var gets []int
	var walls []time.Duration
	for _, res := range results {
		for _, s := range res.Samples {
			if !keep(s) {
				continue
			}
			ratios = append(ratios, s.Ratio())
			tailRatios = append(tailRatios, s.Tail.Seconds()/s.Settle.Seconds())
			gets = append(gets, s.GETs)
			walls = append(walls, s.Wall)
		}
	}
	return waitStats{n: len(ratios), medianRatio: Median(ratios), worstRatio: Worst(ratios),
		medianGETs: Median(gets), worstGETs: Worst(gets), medianWall: Median(walls),
		medianTailRatio: Median(tailRatios)}
}

// met reports whether the worst case meets the targets of c.
func (s waitStats) met(c waitCase) bool {
	return s.n > 0 && s.worstRatio <= c.maxRatio && (c.maxGETs == 0 || s.worstGETs <= c.maxGETs)
}

// summary renders the median, worst and GETs for the summary table.
func (s waitStats) summary() string {
	return fmt.Sprintf("median %s, worst %s, ≤ %d GETs (%d %s)", fmtRatio(s.medianRatio), fmtRatio(s.worstRatio), s.worstGETs,
		s.n, plural(s.n, "change", "changes"))
}

// is selects the samples of one case.
func is(c string) func(WaitSample) bool { return func(s WaitSample) bool { return s.Case == c } }

// anyCase selects every sample.
func anyCase(WaitSample) bool { return true }

// byKind returns the results of one kind, by settle delay.
func byKind(waits []WaitResult, kind string) []WaitResult {
	var out []WaitResult
	for _, w := range waits {
		if w.Kind == kind {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b WaitResult) int { return int(a.Settle - b.Settle) })
	return out
}

// waitCase is one kind of change with its targets.
type waitCase struct {
	c, label string
	maxRatio float64
	maxGETs  int // 0: no target on GETs
}

// waitCases are the cases with a target, as the tables name them. A
// change slower than the number's history has the cold bound; a doubled
// 8 s change is beyond the envelope that 12 GETs cover.
var waitCases = []waitCase{
	{CaseFirst, "first change ever", TargetColdRatio, TargetWaitGETs},
	{CaseChangedBefore, "changed before", TargetWaitRatio, TargetWaitGETs},
	{CaseDoubled, "settle time doubled since the last change", TargetColdRatio, 0},
	{CaseLater, "after another change of the apply settled", TargetWaitRatio, TargetWaitGETs},
}

// target renders the targets of a case.
func (c waitCase) target() string {
	if c.maxGETs == 0 {
		return fmt.Sprintf("wait ≤ %.2f× settle", c.maxRatio)
	}
	return fmt.Sprintf("wait ≤ %.2f× settle, ≤ %d GETs per change", c.maxRatio, c.maxGETs)
}

// caseOf returns the waitCase of c.
func caseOf(c string) waitCase {
	for _, wc := range waitCases {
		if wc.c == c {
			return wc
		}
	}
	return waitCase{c: c, label: c, maxRatio: TargetWaitRatio, maxGETs: TargetWaitGETs}
}

func waitSummary(waits []WaitResult) []summaryRow {
	var rows []summaryRow
	cli := byKind(waits, WaitCLI)
	for _, res := range cli {
		rows = append(rows, waitRow(fmt.Sprintf("Waiting, one change per apply, settle %s, number changed before", res.Settle),
			[]WaitResult{res}, caseOf(CaseChangedBefore)))
	}
	if len(cli) > 0 {
		rows = append(rows, waitRow("Waiting, one change per apply, first change ever (all settle times)", cli, caseOf(CaseFirst)),
			waitRow("Waiting, one change per apply, settle time doubled between two applies", cli, caseOf(CaseDoubled)))
	}
	for _, res := range byKind(waits, WaitCLIMany) {
		c, s := caseOf(CaseChangedBefore), statsOf([]WaitResult{res}, anyCase)
		rows = append(rows, summaryRow{fmt.Sprintf("Waiting, %d numbers per apply, settle %s, all changes", manyNumbers, res.Settle),
			c.target(), s.summary(), verdict(s.met(c))})
	}
	if sweep := byKind(waits, WaitClient); len(sweep) > 0 {
		for _, c := range []string{CaseFirst, CaseChangedBefore, CaseDoubled} {
			rows = append(rows, waitRow("Waiting across 0.5-8 s (client only), "+caseOf(c).label, sweep, caseOf(c)))
		}
	}
	if len(rows) == 0 {
		return notRun("Waiting", caseOf(CaseChangedBefore).target())
	}
	return rows
}

// waitRow is the summary row of one case over results.
func waitRow(measure string, results []WaitResult, c waitCase) summaryRow {
	s := statsOf(results, is(c.c))
	if s.n == 0 {
		return summaryRow{measure, c.target(), "not run", "**not run**"}
	}
	return summaryRow{measure, c.target(), s.summary(), verdict(s.met(c))}
}

// writeWaiting writes the three waiting tables.
func writeWaiting(b *strings.Builder, waits []WaitResult) {
	if !section(b, "2. Waiting", len(waits) > 0) {
		return
	}
	b.WriteString(waitDefinitions)
	writeWaitCLI(b, byKind(waits, WaitCLI))
	writeWaitMany(b, byKind(waits, WaitCLIMany))
	writeWaitSweep(b, byKind(waits, WaitClient))
	b.WriteString(waitWhy)
}

const waitDefinitions = `**What is measured.** The fake applies an accepted change exactly *settle* after it
receives it. **Wait** runs from the arrival of the accepted mutating request at the fake to the end
of the fake's answer to the GET that showed the change (both from the fake's request log): the time
the provider spends waiting, with the CLI's start-up, refresh and plan left out. The ratio is wait /
settle; 1.00× is the physical floor. **Tail** runs from that arrival to the exit of the CLI (the
wait plus the provider returning, the state being saved and the CLI exiting). **Apply** is the whole
command's wall time. **GETs** are those made after the mutating request. Median and worst are over
all repetitions. A change is one of: a number's **first change ever** (nothing is known of settle
times), a change to a number **changed before** at the same settle time (each apply a fresh provider
process, as in a pipeline), a change whose settle time **doubled** since the number's last change
(360dialog slower today), or a change that started **after another change of the same apply settled**.

`

// writeWaitCLI writes the one-change-per-apply table.
func writeWaitCLI(b *strings.Builder, results []WaitResult) {
	if len(results) == 0 {
		return
	}
	b.WriteString("### One change per apply\n\nPer settle time, a new number is created (its first change ever, one POST), " +
		"then each repetition is an `apply` that changes the url of one of its destinations (one PATCH); after the " +
		"repetitions at " + doubledFrom.String() + ", one more change takes twice as long.\n\n")
	b.WriteString("| settle | change | runs | wait / settle, median | worst | GETs, median | worst | tail / settle, median | apply, median | target | |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, res := range results {
		for _, c := range []string{CaseFirst, CaseChangedBefore, CaseDoubled} {
			s := statsOf([]WaitResult{res}, is(c))
			if s.n == 0 {
				continue
			}
			wc := caseOf(c)
			fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %d | %d | %s | %s | ≤ %s | %s |\n", settleOf(res, c), wc.label, s.n,
				fmtRatio(s.medianRatio), fmtRatio(s.worstRatio), s.medianGETs, s.worstGETs, fmtRatio(s.medianTailRatio),
				fmtSeconds(s.medianWall), fmtRatio(wc.maxRatio), verdict(s.met(wc)))
		}
	}
	b.WriteString("\n")
}

// settleOf names the settle time of a case's changes: twice the result's
// for a doubled one.
func settleOf(res WaitResult, c string) string {
	if c == CaseDoubled {
		return res.Settle.String() + " → " + (2 * res.Settle).String()
	}
	return res.Settle.String()
}

// writeWaitMany writes the 20-numbers-per-apply table.
func writeWaitMany(b *strings.Builder, results []WaitResult) {
	if len(results) == 0 {
		return
	}
	fmt.Fprintf(b, "### %d numbers per apply\n\nThe numbers are created at the settle time, then each repetition is an "+
		"`apply` that changes one url on each of %d numbers at the CLI's default parallelism (10).\n\n", manyNumbers, manyNumbers)
	b.WriteString("| settle | change | n | wait / settle, median | worst | GETs, median | worst | apply, median | target | |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, res := range results {
		for _, c := range []string{CaseChangedBefore, CaseLater} {
			s, wc := statsOf([]WaitResult{res}, is(c)), caseOf(c)
			fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %d | %d | %s | ≤ %s | %s |\n", res.Settle, wc.label, s.n, fmtRatio(s.medianRatio),
				fmtRatio(s.worstRatio), s.medianGETs, s.worstGETs, fmtSeconds(s.medianWall), fmtRatio(wc.maxRatio), verdict(s.met(wc)))
		}
	}
	b.WriteString("\n")
}

// manyNumbers is how many numbers BenchmarkWaitingManyNumbers changes in
// one apply: twice the CLI's default parallelism, so that half the changes
// start after others have settled.
const manyNumbers = 20

// doubledFrom is the settle time after which BenchmarkWaiting makes one
// more change that takes twice as long.
const doubledFrom = 2 * time.Second

// writeWaitSweep writes the client-level sweep over the settle envelope.
func writeWaitSweep(b *strings.Builder, results []WaitResult) {
	if len(results) == 0 {
		return
	}
	b.WriteString("### Across the envelope (client only, no CLI)\n\nThree points say little about a schedule: whether one of " +
		"them lands just after a poll is luck. This table sweeps settle times from 0.5 s to 8 s, four per doubling, " +
		"with the client's default schedule and the same fake (no CLI). Per settle time and repetition, a new number's " +
		"first change is made by a client that knows nothing; each later change by a new client (a fresh process) that " +
		"remembers what the one before learnt, through the JSON form the provider keeps in a resource's private state; " +
		"up to 4 s, one last change takes twice as long.\n\n")
	b.WriteString("| settle | first ever, median | worst | GETs, worst | changed before, median | worst | GETs, worst | doubled, worst | GETs, worst |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	row := func(label string, rs []WaitResult) {
		f, c, d := statsOf(rs, is(CaseFirst)), statsOf(rs, is(CaseChangedBefore)), statsOf(rs, is(CaseDoubled))
		doubled, dGETs := "", ""
		if d.n > 0 {
			doubled, dGETs = fmtRatio(d.worstRatio), fmt.Sprint(d.worstGETs)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %d | %s | %s | %d | %s | %s |\n", label, fmtRatio(f.medianRatio), fmtRatio(f.worstRatio),
			f.worstGETs, fmtRatio(c.medianRatio), fmtRatio(c.worstRatio), c.worstGETs, doubled, dGETs)
	}
	for _, res := range results {
		row(res.Settle.String(), []WaitResult{res})
	}
	row("**all**", results)
	b.WriteString("\n")
}

const waitWhy = `**A first change ever.** A poll cannot see a change before it settles, so the wait ends at the
first poll after the settle moment. With no knowledge of the settle time, the best schedule polls at
elapsed times growing by a constant factor *f*: every change is then seen at most *f* times its
settle time late. Covering 0.5 s to 8 s in 12 polls needs *f* ≥ (8/0.5)^(1/11) ≈ 1.29; 15 % would
take about 20 polls. The client's cold schedule is such a grid, with the factor of its poll policy
(first poll at 0.5 s, moved later by up to 10 % once per wait so that waits started together do not
poll together), so its bound is that factor, plus the latency of one GET. The default factor is
1.29, the smallest in hundredths that reaches 8 s within 12 polls (8.2 s at the 12th). Whether one
of the three settle times of the CLI table lands just after a poll is luck; the sweep is the fair
account of the schedule.

**A number changed before.** The client remembers, per number, when its recent changes were last
not yet visible and first were, with the date; a wait for a number with such a history polls
sparsely (doubling from 0.5 s) up to that window, densely through it (at most 4 polls), then 3
polls about 10 % apart, then the cold grid again. A number with no history of its own uses the
newest history of the process's other numbers. Every apply runs in a fresh provider process, so
the history travels in the state: ` + "`d360_multi_webhook`" + ` keeps it in its private state (at most 4
waits of its own, or 4 of other numbers, as elapsed times and dates: no key, no fingerprint; waits
older than 14 days are dropped), the apply's process remembers it when it plans each instance it
changes, and saves what it then knows after each create or update. The CLI rows above go through
exactly that path; the sweep hands the same JSON from one client to the next.

**A settle time that doubled.** Such a change runs past the dense polls into the cold grid, which
continues from the last dense poll: it is seen within the cold bound, and the number's history
follows the new time after two changes (the medians of its last 4 waits).

`
