package bench

import (
	"context"
	"encoding/json"
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

// sweepChangedBefore is how many changes each iteration makes per settle
// delay after the first, each with a new client that remembers what the
// last one learnt, as a fresh provider process reads it from the state.
const sweepChangedBefore = 2

// sweepMaxSettle is the top of the envelope: a delay is doubled for one
// more change only while twice it stays within.
const sweepMaxSettle = 8 * time.Second

// BenchmarkWaitingSweep measures the client's waiting on its own (no CLI),
// with its default poll schedule, across the settle envelope. Per delay and
// iteration, a new number's first change is made by a client that knows
// nothing; each later change by a new client that remembers what the one
// before learnt, through the JSON form the provider keeps; the last, for
// delays up to half the envelope, after the delay doubled. Each settle
// delay gets its own fake; the delays run side by side, since waiting
// costs no CPU.
func BenchmarkWaitingSweep(b *testing.B) {
	settles := sweepSettles()
	results := make([]WaitResult, len(settles))
	for i, s := range settles {
		results[i] = WaitResult{Kind: WaitClient, Settle: s}
	}
	for i := 0; b.Loop(); i++ {
		var wg sync.WaitGroup
		errs := make([]error, len(settles))
		for j := range settles {
			wg.Go(func() {
				var samples []WaitSample
				samples, errs[j] = sweepOne(b, settles[j], i)
				results[j].Samples = append(results[j].Samples, samples...)
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

// sweepStep is one change of a sweep: the case it stands for and how long
// the fake takes to settle it.
type sweepStep struct {
	c      string
	settle time.Duration
}

// sweepSteps lists the changes of one iteration at settle.
func sweepSteps(settle time.Duration) []sweepStep {
	steps := []sweepStep{{CaseFirst, settle}}
	for range sweepChangedBefore {
		steps = append(steps, sweepStep{CaseChangedBefore, settle})
	}
	if 2*settle <= sweepMaxSettle {
		steps = append(steps, sweepStep{CaseDoubled, 2 * settle})
	}
	return steps
}

// sweepOne makes the changes of sweepSteps to a new number, each with a
// new client, and measures each from the fake's log.
func sweepOne(b *testing.B, settle time.Duration, iteration int) ([]WaitSample, error) {
	env := newFakeEnv(b, fakeapi.Options{})
	key := fmt.Sprintf("sweep-%s-%d", settle, iteration)
	var known client.SettleKnowledge
	var samples []WaitSample
	for i, step := range sweepSteps(settle) {
		num, err := sweepNumber(env.url, key, known)
		if err != nil {
			return nil, err
		}
		env.setSettle(step.settle)
		env.fake.ResetLog()
		d := client.Destination{Name: "crm", URL: fmt.Sprintf("https://crm.example.com/%d", i)}
		if err := sweepChange(context.Background(), num, i, d); err != nil {
			return nil, err
		}
		t := SplitTraffic(env.fake.Requests(), num.Fingerprint())
		if len(t.Calls) != 1 || !t.Calls[0].Accepted() {
			return nil, fmt.Errorf("settle %s, change %d: want one accepted call, got %+v", settle, i, t.Calls)
		}
		call := t.Calls[0]
		samples = append(samples, WaitSample{Wait: call.GETsEnd.Sub(call.Arrival), Settle: step.settle, GETs: call.GETs, Case: step.c})
		if known, err = roundTrip(num.SettleKnowledge()); err != nil {
			return nil, err
		}
	}
	return samples, nil
}

// sweepNumber returns the number of key on a new client with the default
// schedule, which remembers known.
func sweepNumber(baseURL, key string, known client.SettleKnowledge) (*client.Number, error) {
	c, err := client.New(client.Options{BaseURL: baseURL})
	if err != nil {
		return nil, err
	}
	num := c.Number(key)
	num.Remember(known)
	return num, nil
}

// roundTrip passes k through its JSON form, as the provider's private
// state does.
func roundTrip(k client.SettleKnowledge) (client.SettleKnowledge, error) {
	var back client.SettleKnowledge
	data, err := json.Marshal(k)
	if err == nil {
		err = json.Unmarshal(data, &back)
	}
	return back, err
}

// sweepChange sends change i (an enable with crm, then url changes) and
// waits until GET shows it.
func sweepChange(ctx context.Context, num *client.Number, i int, d client.Destination) error {
	var err error
	if i == 0 {
		err = num.SetMultiWebhookEnabled(ctx, true, []client.Destination{d})
	} else {
		err = num.PatchDestination(ctx, d)
	}
	if err != nil {
		return err
	}
	_, _, err = num.WaitForMultiWebhook(ctx, "change", client.SettledWhen(func(cfg *client.MultiWebhook) bool {
		got, ok := cfg.Find(d.Name)
		return ok && got.URL == d.URL
	}))
	return err
}

// reportSweep reports the worst ratio and GET count over the envelope, per
// case.
func reportSweep(b *testing.B, results []WaitResult) {
	for _, c := range []string{CaseFirst, CaseChangedBefore, CaseDoubled} {
		s := statsOf(results, is(c))
		b.ReportMetric(s.medianRatio, c+"-wait/settle")
		b.ReportMetric(s.worstRatio, c+"-worst-wait/settle")
		b.ReportMetric(float64(s.worstGETs), c+"-worst-GETs/change")
	}
}
