package bench

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// Settings of the scale measures. The settle delay is at the fast end of
// the envelope so that the applies measure the provider and the CLI more
// than the fake's clock; the CLI runs at its default parallelism.
const (
	scaleSettle       = 500 * time.Millisecond
	scaleSettleJitter = 100 * time.Millisecond
	scalePlans        = 5 // plans per repetition of d360 and of the floor
	dataPlans         = 3 // plans per repetition of terraform_data, which has no target
	cliParallelism    = 10
)

// scaleSizes are the numbers of phone numbers of BenchmarkScale.
var scaleSizes = []int{100, 300, 1000}

// scaleNumbers declares count numbers, each with two destinations, one of
// them with a header, and a key unique to run.
func scaleNumbers(count int, run string) []Number {
	out := make([]Number, count)
	for i := range out {
		out[i] = Number{
			Name: fmt.Sprintf("n%04d", i), Key: fmt.Sprintf("scale-%s-%04d", run, i), Enabled: true,
			Destinations: map[string]hclconfig.Destination{
				"crm":       {URL: fmt.Sprintf("https://crm.example.com/n%04d", i), Headers: map[string]string{"Authorization": "Bearer x"}},
				"analytics": {URL: fmt.Sprintf("https://analytics.example.com/n%04d", i)},
			},
		}
	}
	return out
}

// BenchmarkScale measures apply and plan (with refresh) of 100, 300 and
// 1000 numbers managed with for_each, against the same configuration on
// the floor provider (cmd/floorprovider) and the same count of
// terraform_data instances, in the same run, with the provider processes'
// peak memory and CPU time.
func BenchmarkScale(b *testing.B) {
	for _, count := range scaleSizes {
		b.Run(fmt.Sprintf("numbers=%d", count), func(b *testing.B) { benchScale(b, count) })
	}
}

// scaleRun is the three workspaces of one repetition.
type scaleRun struct {
	d360, floor, data *workspace
	d360Log, floorLog string // the wrappers' usage logs
}

// newScaleRun writes the three configurations of numbers.
func newScaleRun(b *testing.B, env *fakeEnv, numbers []Number) scaleRun {
	r := scaleRun{d360: newWorkspace(b), floor: newFloorWorkspace(b), data: newWorkspace(b)}
	r.d360Log, r.floorLog = r.d360.useRSSWrapper(), r.floor.useRSSWrapper()
	r.d360.WriteConfig(ForEachConfig(env.url, numbers))
	r.floor.WriteConfig(FloorConfig(numbers))
	r.data.WriteConfig(TerraformDataConfig(numbers))
	return r
}

// benchScale is one size of BenchmarkScale.
func benchScale(b *testing.B, count int) {
	res := ScaleResult{Numbers: count, Parallelism: cliParallelism, Settle: scaleSettle, SettleJitter: scaleSettleJitter}
	for i := 0; b.Loop(); i++ {
		env := newFakeEnv(b, fakeapi.Options{SettleDelay: scaleSettle, SettleJitter: scaleSettleJitter})
		numbers := scaleNumbers(count, fmt.Sprintf("%d-%d", time.Now().UnixNano(), i))
		r := newScaleRun(b, env, numbers)

		res.ApplyD360 = append(res.ApplyD360, r.d360.mustApply().Duration)
		checkAllFake(b, env, numbers)
		d360Apply := readUsage(b, r.d360Log)
		res.ApplyFloor = append(res.ApplyFloor, r.floor.mustApply().Duration)
		floorApply := readUsage(b, r.floorLog)
		res.ApplyData = append(res.ApplyData, r.data.mustApply().Duration)
		// Round-robin, so that a slower moment of the machine costs each alike.
		for round := range scalePlans {
			res.PlanD360 = append(res.PlanD360, r.d360.mustPlanEmpty().Duration)
			res.PlanFloor = append(res.PlanFloor, r.floor.mustPlanEmpty().Duration)
			if round < dataPlans {
				res.PlanData = append(res.PlanData, r.data.mustPlanEmpty().Duration)
			}
		}
		res.D360.add(d360Apply, readUsage(b, r.d360Log))
		res.Floor.add(floorApply, readUsage(b, r.floorLog))
	}
	b.ReportMetric(Median(res.PlanD360).Seconds()/Median(res.PlanFloor).Seconds(), "plan/floor")
	b.ReportMetric(Median(res.PlanD360).Seconds()/Median(res.PlanData).Seconds(), "plan/terraform_data")
	b.ReportMetric(Median(res.ApplyD360).Seconds()/Median(res.ApplyFloor).Seconds(), "apply/floor")
	b.ReportMetric(float64(Worst(res.D360.PeakRSSKiB))/1024, "peak-MiB")
	save(b, fmt.Sprintf("scale-%04d", count), res)
}

// add records the usage of one repetition's apply and plans.
func (u *ProviderUsage) add(apply, plans providerUsage) {
	u.PeakRSSKiB = append(u.PeakRSSKiB, max(apply.peakKiB, plans.peakKiB))
	u.ApplyCPU = append(u.ApplyCPU, apply.cpu)
	u.PlanCPU = append(u.PlanCPU, plans.cpu/scalePlans)
	u.Launches += apply.launches + plans.launches
}

// checkAllFake fails the benchmark unless every number is as declared.
func checkAllFake(b *testing.B, env *fakeEnv, numbers []Number) {
	b.Helper()
	if bad := mismatches(env, numbers); len(bad) > 0 {
		b.Fatalf("%d numbers differ from the configuration, first: %v", len(bad), bad[0])
	}
}

// mismatches lists the numbers whose settled state differs from the
// configuration.
func mismatches(env *fakeEnv, numbers []Number) []error {
	var bad []error
	for _, n := range numbers {
		if err := CheckFake(n, env.fake.State(n.Key)); err != nil {
			bad = append(bad, err)
		}
	}
	return bad
}

// providerUsage is what the wrapper recorded for the provider processes of
// some commands.
type providerUsage struct {
	peakKiB  int64         // the largest peak RSS of one process
	cpu      time.Duration // user and system CPU time, all processes together
	launches int           // processes recorded
}

// readUsage reads the wrapper's log and truncates it, so the next read
// covers only the commands run after this one.
func readUsage(b *testing.B, path string) providerUsage {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatalf("no provider usage recorded: %v", err)
	}
	if err := os.Truncate(path, 0); err != nil {
		b.Fatal(err)
	}
	var u providerUsage
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rss, user, sys int64
		if _, err := fmt.Sscanf(line, "%d %d %d", &rss, &user, &sys); err != nil {
			b.Fatalf("%s: line %q: %v", path, line, err)
		}
		u.peakKiB = max(u.peakKiB, rss)
		u.cpu += time.Duration(user+sys) * time.Millisecond
		u.launches++
	}
	return u
}

// Settings of the rate-limited apply: 2 requests per number per second
// leaves room for the change and one GET, so nearly every change meets a
// 429 on its polls.
const (
	rateLimit       = 2
	rateWindow      = time.Second
	rateLimitNumber = 300
)

// BenchmarkScaleRateLimited applies 300 numbers while the fake limits each
// key to 2 requests per second, answering 429 with Retry-After beyond it.
// The apply must succeed the first time and leave every number as
// declared, with an empty plan after it.
func BenchmarkScaleRateLimited(b *testing.B) {
	res := RateLimitResult{Numbers: rateLimitNumber, Limit: rateLimit, Window: rateWindow, Settle: scaleSettle,
		SettleJitter: scaleSettleJitter}
	for i := 0; b.Loop(); i++ {
		env := newFakeEnv(b, fakeapi.Options{SettleDelay: scaleSettle, SettleJitter: scaleSettleJitter,
			RateLimit: rateLimit, RateWindow: rateWindow})
		numbers := scaleNumbers(rateLimitNumber, fmt.Sprintf("rl-%d-%d", time.Now().UnixNano(), i))
		ws := newWorkspace(b)
		ws.WriteConfig(ForEachConfig(env.url, numbers))
		r := ws.apply()
		res.Apply = append(res.Apply, r.Duration)
		if r.Err != nil {
			res.Failures++
			b.Logf("apply failed: %v\n%s", r.Err, tail(r.Stderr, 30))
		}
		res.Mismatches += len(mismatches(env, numbers))
		if code, _ := ws.planExit(); code != 0 {
			res.PlanChanges++
		}
		st := env.fake.Stats()
		res.Status429 += st.Statuses["429"]
		res.Requests += st.Total
	}
	b.ReportMetric(float64(res.Failures), "failures")
	b.ReportMetric(float64(res.Status429)/float64(len(res.Apply)), "429s/op")
	save(b, "ratelimit-0300", res)
	if res.Failures+res.Mismatches+res.PlanChanges > 0 {
		b.Errorf("rate limited: %d failed applies, %d numbers not as declared, %d non-empty plans", res.Failures, res.Mismatches, res.PlanChanges)
	}
}
