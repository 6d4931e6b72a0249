package bench

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// waitSettles are the settle delays of the waiting measure.
var waitSettles = []time.Duration{500 * time.Millisecond, 2 * time.Second, 8 * time.Second}

// BenchmarkWaiting measures how long an apply that makes one change waits
// for it, against the fake's settle delay, each apply in a fresh provider
// process as in a pipeline. A new number is created first (its first
// change ever); each iteration then changes the url of one destination
// (one PATCH) of that number, changed before at the same settle delay; at
// doubledFrom, one last change takes twice as long.
func BenchmarkWaiting(b *testing.B) {
	for _, settle := range waitSettles {
		b.Run("settle="+settle.String(), func(b *testing.B) { benchWaitOne(b, settle) })
	}
}

// benchWaitOne is one settle delay of BenchmarkWaiting.
func benchWaitOne(b *testing.B, settle time.Duration) {
	env := newFakeEnv(b, fakeapi.Options{SettleDelay: settle})
	ws := newWorkspace(b)
	n := Number{Name: "n", Key: fmt.Sprintf("wait-%s-%d", settle, time.Now().UnixNano()), Enabled: true,
		Destinations: map[string]hclconfig.Destination{"crm": {URL: "https://crm.example.com/0"}}}
	res := WaitResult{Kind: WaitCLI, Settle: settle}
	res.Samples = append(res.Samples, measureChange(b, ws, env, n, http.MethodPost, settle, CaseFirst))
	for i := 0; b.Loop(); i++ {
		n.Destinations["crm"] = hclconfig.Destination{URL: fmt.Sprintf("https://crm.example.com/%d", i+1)}
		res.Samples = append(res.Samples, measureChange(b, ws, env, n, http.MethodPatch, settle, CaseChangedBefore))
	}
	if settle == doubledFrom {
		n.Destinations["crm"] = hclconfig.Destination{URL: "https://crm.example.com/doubled"}
		env.setSettle(2 * settle)
		res.Samples = append(res.Samples, measureChange(b, ws, env, n, http.MethodPatch, 2*settle, CaseDoubled))
	}
	reportWaits(b, res)
	save(b, fmt.Sprintf("wait-%s-%06d", res.Kind, settle.Milliseconds()), res)
}

// measureChange applies the configuration of n, which makes one change of
// method that takes settle, and measures its wait.
func measureChange(b *testing.B, ws *workspace, env *fakeEnv, n Number, method string, settle time.Duration, c string) WaitSample {
	b.Helper()
	ws.WriteConfig(ForEachConfig(env.url, []Number{n}))
	env.fake.ResetLog()
	r := ws.mustApply()
	m, err := waitSample(env.fake.Requests(), n.Key, r, method)
	if err != nil {
		b.Fatal(err)
	}
	m.Settle, m.Case = settle, c
	return m.WaitSample
}

// manySettles are the settle delays of BenchmarkWaitingManyNumbers: the
// middle of the envelope, where 20 changes take a few seconds.
var manySettles = []time.Duration{2 * time.Second}

// BenchmarkWaitingManyNumbers measures the same wait when one apply changes
// the url of one destination on each of 20 numbers, created before at the
// same settle delay, at the CLI's default parallelism (10). The changes
// that start after another of the apply has settled can also use what it
// learnt.
func BenchmarkWaitingManyNumbers(b *testing.B) {
	for _, settle := range manySettles {
		b.Run("settle="+settle.String(), func(b *testing.B) { benchWaitMany(b, settle) })
	}
}

// benchWaitMany is one settle delay of BenchmarkWaitingManyNumbers.
func benchWaitMany(b *testing.B, settle time.Duration) {
	env := newFakeEnv(b, fakeapi.Options{SettleDelay: settle})
	ws := newWorkspace(b)
	numbers := make([]Number, manyNumbers)
	for i := range numbers {
		numbers[i] = Number{Name: fmt.Sprintf("n%02d", i), Key: fmt.Sprintf("many-%s-%02d", settle, i), Enabled: true,
			Destinations: map[string]hclconfig.Destination{"crm": {URL: "https://crm.example.com/0"}}}
	}
	ws.WriteConfig(ForEachConfig(env.url, numbers))
	ws.mustApply()
	res := WaitResult{Kind: WaitCLIMany, Settle: settle}
	for i := 0; b.Loop(); i++ {
		for _, n := range numbers {
			n.Destinations["crm"] = hclconfig.Destination{URL: fmt.Sprintf("https://crm.example.com/%d", i+1)}
		}
		ws.WriteConfig(ForEachConfig(env.url, numbers))
		env.fake.ResetLog()
		r := ws.mustApply()
		samples, err := manySamples(env.fake.Requests(), numbers, r, settle)
		if err != nil {
			b.Fatal(err)
		}
		res.Samples = append(res.Samples, samples...)
	}
	reportWaits(b, res)
	save(b, fmt.Sprintf("wait-%s-%06d", res.Kind, settle.Milliseconds()), res)
}

// manySamples measures each number's change and tells those that started
// after another change of the apply had been seen settled (CaseLater)
// from the others (CaseChangedBefore).
func manySamples(reqs []fakeapi.Request, numbers []Number, r timed, settle time.Duration) ([]WaitSample, error) {
	all := make([]measured, 0, len(numbers))
	firstSeen := time.Time{}
	for _, n := range numbers {
		m, err := waitSample(reqs, n.Key, r, http.MethodPatch)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name, err)
		}
		all = append(all, m)
		if end := m.arrival.Add(m.Wait); firstSeen.IsZero() || end.Before(firstSeen) {
			firstSeen = end
		}
	}
	samples := make([]WaitSample, 0, len(all))
	for _, m := range all {
		m.Settle, m.Case = settle, CaseChangedBefore
		if m.arrival.After(firstSeen) {
			m.Case = CaseLater
		}
		samples = append(samples, m.WaitSample)
	}
	return samples, nil
}

// waitSample measures the one change of method that an apply made to the
// number of key.
func waitSample(reqs []fakeapi.Request, key string, r timed, method string) (measured, error) {
	t := SplitTraffic(reqs, fakeapi.Fingerprint(key))
	if len(t.Calls) != 1 || !t.Calls[0].Accepted() || t.Calls[0].Method != method {
		return measured{}, fmt.Errorf("want exactly one accepted %s, got %+v", method, t.Calls)
	}
	c := t.Calls[0]
	return measured{WaitSample: WaitSample{Wait: c.GETsEnd.Sub(c.Arrival), Tail: r.End.Sub(c.Arrival), Wall: r.Duration, GETs: c.GETs},
		arrival: c.Arrival}, nil
}

// measured is a sample with the arrival of its change at the fake.
type measured struct {
	WaitSample
	arrival time.Time
}

// reportWaits adds the medians and worst cases to the benchmark output.
func reportWaits(b *testing.B, res WaitResult) {
	s := statsOf([]WaitResult{res}, anyCase)
	b.ReportMetric(s.medianRatio, "wait/settle")
	b.ReportMetric(s.worstRatio, "worst-wait/settle")
	b.ReportMetric(s.medianTailRatio, "tail/settle")
	b.ReportMetric(float64(s.worstGETs), "worst-GETs/change")
}
