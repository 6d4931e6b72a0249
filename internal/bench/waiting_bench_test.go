package bench

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// waitSettles are the settle delays of the waiting measure.
var waitSettles = []time.Duration{500 * time.Millisecond, 2 * time.Second, 8 * time.Second}

// BenchmarkWaiting measures how long an apply that makes one change waits
// for it, against the fake's settle delay. Each iteration is one apply in a
// fresh provider process that changes the url of one destination (one
// PATCH); its schedule has nothing to learn from.
func BenchmarkWaiting(b *testing.B) {
	for _, settle := range waitSettles {
		b.Run("settle="+settle.String(), func(b *testing.B) { benchWaitOne(b, settle) })
	}
}

// benchWaitOne is one settle delay of BenchmarkWaiting.
func benchWaitOne(b *testing.B, settle time.Duration) {
	env := newFakeEnv(b, fakeapi.Options{})
	ws := newWorkspace(b)
	n := Number{Name: "n", Key: "wait-" + settle.String(), Enabled: true,
		Destinations: map[string]Dest{"crm": {URL: "https://crm.example.com/0"}}}
	ws.WriteConfig(ForEachConfig(env.url, []Number{n}))
	ws.mustApply()
	res := WaitResult{Kind: WaitCLI, Settle: settle}
	for i := 0; b.Loop(); i++ {
		n.Destinations["crm"] = Dest{URL: fmt.Sprintf("https://crm.example.com/%d", i+1)}
		ws.WriteConfig(ForEachConfig(env.url, []Number{n}))
		env.setSettle(settle)
		env.fake.ResetLog()
		r := ws.mustApply()
		s, err := waitSample(env.fake.Requests(), n.Key, r)
		if err != nil {
			b.Fatal(err)
		}
		res.Samples = append(res.Samples, s)
	}
	reportWaits(b, res)
	save(b, fmt.Sprintf("wait-%s-%06d", res.Kind, settle.Milliseconds()), res)
}

// manyNumbers is how many numbers BenchmarkWaitingManyNumbers changes in
// one apply: twice the CLI's default parallelism, so that half the changes
// start after others have settled.
const manyNumbers = 20

// BenchmarkWaitingManyNumbers measures the same wait when one apply changes
// the url of one destination on each of 20 numbers, at the CLI's default
// parallelism (10). The first changes of the provider process are cold;
// the later ones can use what the earlier ones learnt about settle times.
func BenchmarkWaitingManyNumbers(b *testing.B) {
	for _, settle := range waitSettles {
		b.Run("settle="+settle.String(), func(b *testing.B) { benchWaitMany(b, settle) })
	}
}

// benchWaitMany is one settle delay of BenchmarkWaitingManyNumbers.
func benchWaitMany(b *testing.B, settle time.Duration) {
	env := newFakeEnv(b, fakeapi.Options{})
	ws := newWorkspace(b)
	numbers := make([]Number, manyNumbers)
	for i := range numbers {
		numbers[i] = Number{Name: fmt.Sprintf("n%02d", i), Key: fmt.Sprintf("many-%s-%02d", settle, i), Enabled: true,
			Destinations: map[string]Dest{"crm": {URL: "https://crm.example.com/0"}}}
	}
	ws.WriteConfig(ForEachConfig(env.url, numbers))
	ws.mustApply()
	res := WaitResult{Kind: WaitCLIMany, Settle: settle}
	for i := 0; b.Loop(); i++ {
		for _, n := range numbers {
			n.Destinations["crm"] = Dest{URL: fmt.Sprintf("https://crm.example.com/%d", i+1)}
		}
		ws.WriteConfig(ForEachConfig(env.url, numbers))
		env.setSettle(settle)
		env.fake.ResetLog()
		r := ws.mustApply()
		samples, err := manySamples(env.fake.Requests(), numbers, r)
		if err != nil {
			b.Fatal(err)
		}
		res.Samples = append(res.Samples, samples...)
		env.setSettle(0)
	}
	reportWaits(b, res)
	save(b, fmt.Sprintf("wait-%s-%06d", res.Kind, settle.Milliseconds()), res)
}

// manySamples measures each number's change and marks as warm those that
// started after another change of the apply had been seen settled.
func manySamples(reqs []fakeapi.Request, numbers []Number, r timed) ([]WaitSample, error) {
	samples := make([]WaitSample, 0, len(numbers))
	for _, n := range numbers {
		s, err := waitSample(reqs, n.Key, r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name, err)
		}
		samples = append(samples, s)
	}
	firstSeen := time.Time{}
	for _, n := range numbers {
		if end := SplitTraffic(reqs, fakeapi.Fingerprint(n.Key)).Calls[0].GETsEnd; firstSeen.IsZero() || end.Before(firstSeen) {
			firstSeen = end
		}
	}
	for i, n := range numbers {
		samples[i].Warm = SplitTraffic(reqs, fakeapi.Fingerprint(n.Key)).Calls[0].Arrival.After(firstSeen)
	}
	return samples, nil
}

// waitSample measures the one change an apply made to the number of key.
func waitSample(reqs []fakeapi.Request, key string, r timed) (WaitSample, error) {
	t := SplitTraffic(reqs, fakeapi.Fingerprint(key))
	if len(t.Calls) != 1 || !t.Calls[0].Accepted() || t.Calls[0].Method != http.MethodPatch {
		return WaitSample{}, fmt.Errorf("want exactly one accepted PATCH, got %+v", t.Calls)
	}
	c := t.Calls[0]
	return WaitSample{Wait: c.GETsEnd.Sub(c.Arrival), Tail: r.End.Sub(c.Arrival), Wall: r.Duration, GETs: c.GETs}, nil
}

// reportWaits adds the medians and worst cases to the benchmark output.
func reportWaits(b *testing.B, res WaitResult) {
	var ratios, tails []float64
	var gets []int
	for _, s := range res.Samples {
		ratios = append(ratios, s.Wait.Seconds()/res.Settle.Seconds())
		tails = append(tails, s.Tail.Seconds()/res.Settle.Seconds())
		gets = append(gets, s.GETs)
	}
	b.ReportMetric(Median(ratios), "wait/settle")
	b.ReportMetric(Worst(ratios), "worst-wait/settle")
	b.ReportMetric(Median(tails), "tail/settle")
	b.ReportMetric(float64(Worst(gets)), "worst-GETs/change")
}
