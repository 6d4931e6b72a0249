package bench

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/client"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// sweepSettles spreads settle delays evenly on a log scale over the
// envelope the design targets, 0.5 s to 8 s: four points per doubling, so
// that no schedule can look good by landing on a few chosen delays.
func sweepSettles() []time.Duration {
	var out []time.Duration
	for k := 0; k <= 16; k++ {
		out = append(out, time.Duration(float64(500*time.Millisecond)*math.Pow(2, float64(k)/4)).Round(time.Millisecond))
	}
	return out
}

// sweepChanges is the number of changes each iteration makes per settle
// delay with one client: the first is cold, the others can learn.
const sweepChanges = 3

// BenchmarkWaitingSweep measures the client's waiting on its own (no CLI),
// with its default poll schedule, across the settle envelope. Each settle
// delay gets its own fake and a new client per iteration; the delays run
// side by side, since waiting costs no CPU.
func BenchmarkWaitingSweep(b *testing.B) {
	settles := sweepSettles()
	results := make([]WaitResult, len(settles))
	for i, s := range settles {
		results[i] = WaitResult{Kind: WaitClient, Settle: s}
	}
	for b.Loop() {
		var wg sync.WaitGroup
		errs := make([]error, len(settles))
		for i := range settles {
			wg.Go(func() {
				var samples []WaitSample
				samples, errs[i] = sweepOne(b, settles[i])
				results[i].Samples = append(results[i].Samples, samples...)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	reportSweep(b, results)
	for _, res := range results {
		save(b, fmt.Sprintf("wait-%s-%06d", res.Kind, res.Settle.Milliseconds()), res)
	}
}

// sweepOne makes sweepChanges changes with one new client against a fake
// that settles after settle, and measures each from the fake's log.
func sweepOne(b *testing.B, settle time.Duration) ([]WaitSample, error) {
	env := newFakeEnv(b, fakeapi.Options{SettleDelay: settle})
	c, err := client.New(client.Options{BaseURL: env.url})
	if err != nil {
		return nil, err
	}
	num := c.Number("sweep-" + settle.String())
	ctx := context.Background()
	var samples []WaitSample
	for i := range sweepChanges {
		d := client.Destination{Name: "crm", URL: fmt.Sprintf("https://crm.example.com/%d", i)}
		env.fake.ResetLog()
		if err := sweepChange(ctx, num, i, d); err != nil {
			return nil, err
		}
		t := SplitTraffic(env.fake.Requests(), num.Fingerprint())
		if len(t.Calls) != 1 || !t.Calls[0].Accepted() {
			return nil, fmt.Errorf("settle %s, change %d: want one accepted call, got %+v", settle, i, t.Calls)
		}
		call := t.Calls[0]
		samples = append(samples, WaitSample{Wait: call.GETsEnd.Sub(call.Arrival), GETs: call.GETs, Warm: i > 0})
	}
	return samples, nil
}

// sweepChange sends change i (an enable with crm, then url changes) and
// waits until GET shows it.
func sweepChange(ctx context.Context, num *client.Number, i int, d client.Destination) error {
	var err error
	if i == 0 {
		err = num.SetEnabled(ctx, true, []client.Destination{d})
	} else {
		err = num.PatchDestination(ctx, d)
	}
	if err != nil {
		return err
	}
	_, err = num.WaitFor(ctx, "change", func(cfg *client.Config) bool {
		got, ok := cfg.Find(d.Name)
		return ok && got.URL == d.URL
	})
	return err
}

// reportSweep reports the worst ratio and GET count over the envelope, for
// cold and warm waits.
func reportSweep(b *testing.B, results []WaitResult) {
	for _, warm := range []bool{false, true} {
		var ratios []float64
		var gets []int
		for _, res := range results {
			for _, s := range res.Samples {
				if s.Warm == warm {
					ratios = append(ratios, s.Wait.Seconds()/res.Settle.Seconds())
					gets = append(gets, s.GETs)
				}
			}
		}
		label := map[bool]string{false: "cold", true: "warm"}[warm]
		b.ReportMetric(Median(ratios), label+"-wait/settle")
		b.ReportMetric(Worst(ratios), label+"-worst-wait/settle")
		b.ReportMetric(float64(Worst(gets)), label+"-worst-GETs/change")
	}
}
