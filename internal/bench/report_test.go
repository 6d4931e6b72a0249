package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

func TestRenderWithoutResults(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, Results{}, Machine{Cores: 2}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "**not run**"); n != 5 {
		t.Errorf("%d measures marked not run, want 5:\n%s", n, b.String())
	}
}

func TestRenderVerdicts(t *testing.T) {
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	r := Results{
		Calls: []CallsResult{
			{Scenario: "rename", Command: "terraform apply", Minimum: map[string]int{"DELETE": 1, "PUT": 1}, Accepted: map[string]int{"PUT": 1, "DELETE": 1}},
			{Scenario: "toggle on", Command: "terraform apply", Minimum: map[string]int{"POST": 1}, Accepted: map[string]int{"POST": 1}, Rejected: map[string]int{"POST": 1}},
		},
		Waits: []WaitResult{{Kind: WaitCLI, Settle: 2 * time.Second, Samples: []WaitSample{
			{Wait: sec(2.7), Settle: 2 * time.Second, GETs: 8, Case: CaseFirst},
			{Wait: sec(2.1), Settle: 2 * time.Second, GETs: 7, Case: CaseChangedBefore},
			{Wait: sec(2.2), Settle: 2 * time.Second, GETs: 7, Case: CaseChangedBefore},
			{Wait: sec(5.2), Settle: 4 * time.Second, GETs: 13, Case: CaseDoubled},
		}}},
		Scale: []ScaleResult{{
			Numbers: 1000, Parallelism: 10, Settle: 500 * time.Millisecond,
			PlanD360: []time.Duration{sec(1.1), sec(1.2), sec(1.0)}, PlanFloor: []time.Duration{sec(1), sec(1), sec(1)},
			PlanData: []time.Duration{sec(0.5)}, ApplyD360: []time.Duration{sec(60)}, ApplyFloor: []time.Duration{sec(6)},
			D360: ProviderUsage{PeakRSSKiB: []int64{150 * 1024}}, Floor: ProviderUsage{PeakRSSKiB: []int64{100 * 1024}},
		}},
		Import: []ImportResult{{Numbers: 300, Import: []time.Duration{sec(6)}, Plan: []time.Duration{sec(4)},
			ImportGETs: []int{301}, PlanGETs: []int{300}}},
		RateLimit: []RateLimitResult{{Numbers: 300, Apply: []time.Duration{time.Minute}, Status429: 10}},
	}
	var b strings.Builder
	if err := Render(&b, r, Machine{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| Calls per diff | the fewest mutating calls of DESIGN.md; refresh: 1 GET | 1 of 2 diffs at the minimum; not: toggle on | **not met** |",
		"settle 2s, number changed before | wait ≤ 1.15× settle, ≤ 12 GETs per change | median 1.08×, worst 1.10×, ≤ 7 GETs (2 changes) | met |",
		"first change ever (all settle times) | wait ≤ 1.30× settle, ≤ 12 GETs per change | median 1.35×, worst 1.35×, ≤ 8 GETs (1 change) | **not met** |",
		"doubled between two applies | wait ≤ 1.30× settle | median 1.30×, worst 1.30×, ≤ 13 GETs (1 change) | met |",
		"| 2s → 4s | settle time doubled since the last change | 1 | 1.30× |",
		"| Scale, plan of 1000 numbers | d360 plan ≤ 1.10× floor plan (medians) | 1.10× (1.10 s vs 1.00 s; 2.20× terraform_data) | met |",
		"| Scale, provider peak RSS at 1000 numbers | < 150 MiB | 150 MiB (floor 100 MiB) | **not met** |",
		"| 1000 | 1 | 60.00 s | 6.00 s | 0.00 s | 50.00 s | 10.00× | 1.20× |",
		"0 failures in 1 apply, 10×429, 60.00 s | met |",
		"| one GET per number, no change, an empty plan after | 301 GETs (worst of 1), 0 changes; 6.00 s, 1.50× a plan of the same numbers in state (4.00 s) | **not met** |",
		"| 300 | 1 | 6.00 s (6.00-6.00) | 301 | 0 | 4.00 s (4.00-4.00) | 300 | 1.50× | **not met** |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckFake(t *testing.T) {
	want := Number{Name: "n", Enabled: true, Destinations: map[string]hclconfig.Destination{"crm": {URL: "https://crm.example.com", Headers: map[string]string{}}}}
	got := fakeapi.State{Enabled: true, Destinations: []fakeapi.Destination{{Name: "crm", URL: "https://crm.example.com"}}}
	if err := CheckFake(want, got); err != nil {
		t.Errorf("nil and empty headers differ: %v", err)
	}
	got.Destinations[0].Headers = map[string]string{"Authorization": "Bearer s3cr3t"}
	err := CheckFake(want, got)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error %v: want a mismatch that names no header value", err)
	}
	if err := CheckFake(Number{Name: "n"}, fakeapi.State{Destinations: got.Destinations}); err != nil {
		t.Errorf("a disabled number's hidden destinations were compared: %v", err)
	}
}

func TestStateNumbers(t *testing.T) {
	show := `{"values":{"root_module":{"resources":[
	  {"type":"d360_multi_webhook","index":"n01","values":{"number":"n01","enabled":true,"id":"x",
	    "destinations":{"crm":{"url":"https://crm.example.com","headers":{"A":"b"}}}}},
	  {"type":"terraform_data","index":"n01","values":{}}]}}}`
	got, err := StateNumbers([]byte(show))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := got["n01"]
	if len(got) != 1 || !ok || !n.Enabled || n.Destinations["crm"].Headers["A"] != "b" || n.Name != "n01" {
		t.Errorf("got %+v", got)
	}
}

func TestRenderHeaderSaysWhenTheMachineWasBusy(t *testing.T) {
	for _, tc := range []struct {
		load float64
		busy bool
	}{{2.5, false}, {3.5, true}} {
		var b strings.Builder
		if err := Render(&b, Results{}, Machine{Cores: 2, Load15: tc.load, Took: 29 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if busy := strings.Contains(out, "other work competed for the CPU"); busy != tc.busy || !strings.Contains(out, "| this run took | 29 minutes |") {
			t.Errorf("load %.1f on 2 cores: busy %t, want %t:\n%s", tc.load, busy, tc.busy, out)
		}
	}
}
