package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// planTarget is the target of the scale plans.
var planTarget = fmt.Sprintf("d360 plan ≤ %.2f× floor plan (medians)", TargetPlanFloorRatio)

func scaleSummary(scale []ScaleResult) []summaryRow {
	if len(scale) == 0 {
		return notRun("Scale", planTarget)
	}
	var rows []summaryRow
	for _, s := range sortedScale(scale) {
		ratio := ratioOf(s.PlanD360, s.PlanFloor)
		rows = append(rows, summaryRow{fmt.Sprintf("Scale, plan of %d numbers", s.Numbers), planTarget,
			fmt.Sprintf("%s (%s vs %s; %s terraform_data)", fmtRatio(ratio), fmtSeconds(Median(s.PlanD360)),
				fmtSeconds(Median(s.PlanFloor)), fmtRatio(ratioOf(s.PlanD360, s.PlanData))),
			verdict(ratio <= TargetPlanFloorRatio)})
	}
	for _, s := range sortedScale(scale) {
		switch s.Numbers {
		case 300:
			rows = append(rows, summaryRow{"Scale, apply of 300 numbers", "reported against the floor and the physical limit",
				fmt.Sprintf("%s (%s floor, %s physical limit)", fmtSeconds(Median(s.ApplyD360)),
					fmtRatio(ratioOf(s.ApplyD360, s.ApplyFloor)), fmtRatio(Median(s.ApplyD360).Seconds()/physicalLimit(s).Seconds())),
				"reported"})
		case rssTargetNumbers:
			rows = append(rows, summaryRow{fmt.Sprintf("Scale, provider peak RSS at %d numbers", rssTargetNumbers),
				fmt.Sprintf("< %d MiB", TargetPeakRSSMiB), fmt.Sprintf("%.0f MiB (floor %.0f MiB)", mib(Worst(s.D360.PeakRSSKiB)),
					mib(Worst(s.Floor.PeakRSSKiB))), verdict(rssMet(s))})
		}
	}
	return rows
}

// rssTargetNumbers is the size at which TargetPeakRSSMiB applies.
const rssTargetNumbers = 1000

// rssMet reports whether a size meets the memory target, which smaller
// sizes meet by definition.
func rssMet(s ScaleResult) bool {
	return s.Numbers < rssTargetNumbers || mib(Worst(s.D360.PeakRSSKiB)) < TargetPeakRSSMiB
}

// mib converts KiB to MiB.
func mib(kib int64) float64 { return float64(kib) / 1024 }

// physicalLimit is the least time an apply that changes every number can
// take: each change waits for its settle time, and the CLI runs at most
// Parallelism at once.
func physicalLimit(s ScaleResult) time.Duration {
	rounds := (s.Numbers + s.Parallelism - 1) / max(s.Parallelism, 1)
	return time.Duration(rounds) * s.Settle
}

// sortedScale orders results by size.
func sortedScale(scale []ScaleResult) []ScaleResult {
	out := slices.Clone(scale)
	slices.SortFunc(out, func(a, b ScaleResult) int { return a.Numbers - b.Numbers })
	return out
}

// ratioOf divides the medians of two series of durations.
func ratioOf(a, b []time.Duration) float64 {
	if len(b) == 0 || Median(b) == 0 {
		return 0
	}
	return Median(a).Seconds() / Median(b).Seconds()
}

// fmtSpread renders the median of ds with its range, like "0.70 s (0.66-0.75)".
func fmtSpread(ds []time.Duration) string {
	if len(ds) == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%.2f-%.2f)", fmtSeconds(Median(ds)), slices.Min(ds).Seconds(), slices.Max(ds).Seconds())
}

// writeScale writes the scale tables.
func writeScale(b *strings.Builder, scale []ScaleResult) {
	if !section(b, "3. Scale", len(scale) > 0) {
		return
	}
	s0 := scale[0]
	fmt.Fprintf(b, "One configuration manages N numbers with `for_each`: the provider's `numbers` map holds the N keys, "+
		"each instance names its number and has two destinations, one with a header. "+
		"Beside it, in the same run and with the same CLI: the same locals on the **floor** provider "+
		"(`internal/bench/cmd/floorprovider`: a terraform-plugin-framework provider that does nothing, with the schema "+
		"of `d360_multi_webhook`, Read returning the state, and the same logging default), and N `terraform_data` "+
		"instances, built into the CLI. `-parallelism` is the default (%d). Plans run after the apply, with refresh "+
		"(N GETs for d360), round-robin over the three configurations, and must find nothing to do. The fake settles "+
		"changes after %s ± %s.\n\n", s0.Parallelism, s0.Settle, s0.SettleJitter)
	writeScalePlans(b, sortedScale(scale))
	writeScaleApplies(b, sortedScale(scale))
	writeScaleUsage(b, sortedScale(scale))
}

// writeScalePlans writes the plan table.
func writeScalePlans(b *strings.Builder, scale []ScaleResult) {
	b.WriteString("### Plans\n\nMedian of every plan, with the range in seconds; `terraform_data`, which has no target, " +
		"runs fewer plans.\n\n")
	b.WriteString("| numbers | plans | d360 | floor | terraform_data | d360 / floor | | d360 / terraform_data | floor / terraform_data |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, s := range scale {
		ratio := ratioOf(s.PlanD360, s.PlanFloor)
		fmt.Fprintf(b, "| %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", s.Numbers, len(s.PlanD360), fmtSpread(s.PlanD360),
			fmtSpread(s.PlanFloor), fmtSpread(s.PlanData), fmtRatio(ratio), verdict(ratio <= TargetPlanFloorRatio),
			fmtRatio(ratioOf(s.PlanD360, s.PlanData)), fmtRatio(ratioOf(s.PlanFloor, s.PlanData)))
	}
	b.WriteString("\n")
}

// writeScaleApplies writes the apply table.
func writeScaleApplies(b *strings.Builder, scale []ScaleResult) {
	b.WriteString("### Applies\n\nEvery number is created. The **physical limit** is the least an apply that waits for " +
		"every change can take: ceil(N / parallelism) × the mean settle time. The floor and `terraform_data` wait for " +
		"nothing.\n\n")
	b.WriteString("| numbers | applies | d360 | floor | terraform_data | physical limit | d360 / floor | d360 / physical limit |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, s := range scale {
		limit := physicalLimit(s)
		fmt.Fprintf(b, "| %d | %d | %s | %s | %s | %s | %s | %s |\n", s.Numbers, len(s.ApplyD360), fmtSeconds(Median(s.ApplyD360)),
			fmtSeconds(Median(s.ApplyFloor)), fmtSeconds(Median(s.ApplyData)), fmtSeconds(limit),
			fmtRatio(ratioOf(s.ApplyD360, s.ApplyFloor)), fmtRatio(Median(s.ApplyD360).Seconds()/limit.Seconds()))
	}
	b.WriteString("\n")
}

// writeScaleUsage writes the provider processes' memory and CPU.
func writeScaleUsage(b *strings.Builder, scale []ScaleResult) {
	b.WriteString("### Provider processes\n\nMeasured by `internal/bench/cmd/rsswrap` (see Method). Peak RSS is the largest " +
		"resident set of one provider process during the apply and the plans; CPU is the user + system time of the " +
		"provider processes of one plan, and of the apply.\n\n")
	b.WriteString("| numbers | peak RSS d360 | | peak RSS floor | CPU per plan d360 | floor | CPU of the apply d360 | floor | processes |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, s := range scale {
		peak := mib(Worst(s.D360.PeakRSSKiB))
		fmt.Fprintf(b, "| %d | %.0f MiB | %s | %.0f MiB | %s | %s | %s | %s | %d d360, %d floor |\n", s.Numbers, peak,
			verdict(rssMet(s)), mib(Worst(s.Floor.PeakRSSKiB)),
			fmtSeconds(Median(s.D360.PlanCPU)), fmtSeconds(Median(s.Floor.PlanCPU)),
			fmtSeconds(Median(s.D360.ApplyCPU)), fmtSeconds(Median(s.Floor.ApplyCPU)), s.D360.Launches, s.Floor.Launches)
	}
	fmt.Fprintf(b, "\nThe target on memory applies at %d numbers.\n\n", rssTargetNumbers)
	b.WriteString(planProfile)
	writePlanRemainder(b, scale[len(scale)-1])
}

// writePlanRemainder says how much CPU per number the provider's plans
// cost above the floor's at the largest size, and what that pays for.
func writePlanRemainder(b *strings.Builder, s ScaleResult) {
	d360, floor := Median(s.D360.PlanCPU), Median(s.Floor.PlanCPU)
	perNumber := float64(d360-floor) / float64(time.Millisecond) / float64(s.Numbers)
	fmt.Fprintf(b, "What remains above the floor in this run, %.2f ms of CPU per number (%s against %s per plan of %d "+
		"numbers, the table above), is the provider's job: the refresh's one GET per number (the HTTP round trip, "+
		"decoding the answer and checking its shape), resolving the number's key, and planning its digests. The floor "+
		"makes no call. Everything else is what any framework provider with this schema pays (the protocol, the "+
		"framework's conversions of the state, its plan modifiers) and the CLI's own work, which terraform_data shows "+
		"on its own: at 1000 instances, planning takes Terraform tens of seconds whatever the provider.\n\n",
		perNumber, fmtSeconds(d360), fmtSeconds(floor), s.Numbers)
}

// planProfile says what CPU profiles of 1000-number plans showed, what was
// removed and what remains. The profiles are not part of make bench.
const planProfile = `### Where a plan's time goes

` + "`BenchmarkPlanProfile`" + ` writes CPU profiles of the provider processes of 1000-number plans, d360's
(` + "`internal/bench/cmd/profprovider`" + `) and the floor's, one plan of each per iteration; it is not
part of ` + "`make bench`" + `: ` + "`D360_CPU_PROFILE_DIR=DIR go test ./internal/bench -run '^$' -bench BenchmarkPlanProfile -benchtime 3x`" + `,
then ` + "`go tool pprof -top DIR/d360/*.pprof`" + `. Three plans each, on the machine above, before and after
the changes below: d360's provider processes took 8.15 s of CPU per plan against the floor's 6.70 s
(1.22×); after them, 5.55 s against 5.38 s (1.03×). One plan's CPU time varies by about 20 % from one
plan to the next here (a later profile of two plans each: 6.41 s against 5.04 s, then 6.07 s against
6.27 s), so the medians of the table above, over 5 plans, are the better measure of what is left.

- The provider's own logs were formatted at TRACE in every plan and then discarded:
  terraform-plugin-go reads their level from ` + "`TF_LOG_PROVIDER_D360`" + `, not from ` + "`TF_LOG_PROVIDER`" + `, which was
  all the quiet default set. It now sets both (` + "`internal/pluginlog`" + `), and while the provider's logs
  are off the client gets no logger, so it neither redacts nor formats its entries.
- ` + "`ModifyPlan`" + ` read the write-only headers through the framework's reflection (` + "`ElementsAs`" + `, which
  compiles a regular expression per struct field on every call), set the planned id and digests even
  when the plan held them already (each ` + "`SetAttribute`" + ` rebuilds the planned object), and printed every
  configuration for the registry that finds a number managed twice. It now reads the raw
  configuration, sets only what differs, and compares configurations only when two claims meet.

`
