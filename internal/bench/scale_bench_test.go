package bench

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// Settings of the scale measures. The settle delay is at the fast end of
// the envelope so that the applies measure the provider and the CLI more
// than the fake's clock; the CLI runs at its default parallelism.
const (
	scaleSettle       = 500 * time.Millisecond
	scaleSettleJitter = 100 * time.Millisecond
	scalePlans        = 3 // plans per iteration and configuration; the median is kept
	cliParallelism    = 10
)

// scaleSizes are the numbers of phone numbers of BenchmarkScale.
var scaleSizes = []int{100, 300}

// scaleNumbers declares count numbers, each with two destinations, one of
// them with a header, and a key unique to run.
func scaleNumbers(count int, run string) []Number {
	out := make([]Number, count)
	for i := range out {
		out[i] = Number{
			Name: fmt.Sprintf("n%03d", i), Key: fmt.Sprintf("scale-%s-%03d", run, i), Enabled: true,
			Destinations: map[string]Dest{
				"crm":       {URL: fmt.Sprintf("https://crm.example.com/n%03d", i), Headers: map[string]string{"Authorization": "Bearer x"}},
				"analytics": {URL: fmt.Sprintf("https://analytics.example.com/n%03d", i)},
			},
		}
	}
	return out
}

// BenchmarkScale measures apply and plan (with refresh) of 100 and 300
// numbers managed with for_each, against the same count of terraform_data
// instances in the same run, and the provider process's peak memory.
func BenchmarkScale(b *testing.B) {
	for _, count := range scaleSizes {
		b.Run(fmt.Sprintf("numbers=%d", count), func(b *testing.B) { benchScale(b, count) })
	}
}

// benchScale is one size of BenchmarkScale.
func benchScale(b *testing.B, count int) {
	res := ScaleResult{Numbers: count, Parallelism: cliParallelism, Settle: scaleSettle, SettleJitter: scaleSettleJitter,
		PlansPerRun: scalePlans}
	for i := 0; b.Loop(); i++ {
		env := newFakeEnv(b, fakeapi.Options{SettleDelay: scaleSettle, SettleJitter: scaleSettleJitter})
		numbers := scaleNumbers(count, fmt.Sprintf("%d-%d", time.Now().UnixNano(), i))
		d360 := newWorkspace(b)
		rssLog := d360.useRSSWrapper()
		d360.WriteConfig(ForEachConfig(env.url, numbers))
		data := newWorkspace(b)
		data.WriteConfig(TerraformDataConfig(numbers))

		res.ApplyD360 = append(res.ApplyD360, d360.mustApply().Duration)
		checkAllFake(b, env, numbers)
		apply := readUsage(b, rssLog)
		res.ApplyData = append(res.ApplyData, data.mustApply().Duration)
		res.PlanD360 = append(res.PlanD360, medianPlan(d360))
		plan := readUsage(b, rssLog)
		res.PlanD360SDKLogsOn = append(res.PlanD360SDKLogsOn, sdkLogsOnPlan(d360))
		logsOn := readUsage(b, rssLog)
		res.PlanData = append(res.PlanData, medianPlan(data))
		res.PeakRSSKiB = append(res.PeakRSSKiB, max(apply.peakKiB, plan.peakKiB))
		res.ApplyCPU = append(res.ApplyCPU, apply.cpu)
		res.PlanCPU = append(res.PlanCPU, plan.cpu/scalePlans)
		res.PlanCPUSDKLogsOn = append(res.PlanCPUSDKLogsOn, logsOn.cpu/scalePlans)
		res.Launches += apply.launches + plan.launches + logsOn.launches
	}
	b.ReportMetric(Median(res.PlanD360).Seconds()/Median(res.PlanData).Seconds(), "plan/terraform_data")
	b.ReportMetric(Median(res.ApplyD360).Seconds()/Median(res.ApplyData).Seconds(), "apply/terraform_data")
	b.ReportMetric(float64(Worst(res.PeakRSSKiB))/1024, "peak-MiB")
	save(b, fmt.Sprintf("scale-%04d", count), res)
}

// medianPlan runs scalePlans plans that must find nothing to do and
// returns the median duration.
func medianPlan(ws *workspace) time.Duration {
	var times []time.Duration
	for range scalePlans {
		times = append(times, ws.mustPlanEmpty().Duration)
	}
	return Median(times)
}

// sdkLogsOnEnv keeps the logs of terraform-plugin-go and the framework on
// in the provider process, as they were before main.go turned them off
// when no log is asked for: without a log sink they are JSON-encoded at
// TRACE level and written to the CLI, which drops them. Setting any of the
// variables stops main.go from quieting; the CLI ignores TF_LOG_SDK.
var sdkLogsOnEnv = []string{"TF_LOG_SDK=TRACE"}

// sdkLogsOnPlan is medianPlan with sdkLogsOnEnv.
func sdkLogsOnPlan(ws *workspace) time.Duration {
	saved := ws.Env
	ws.Env = append(append([]string(nil), saved...), sdkLogsOnEnv...)
	defer func() { ws.Env = saved }()
	return medianPlan(ws)
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
