package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

func TestRenderWithoutResults(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, Results{}, Machine{Cores: 2}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "**not run**"); n != 4 {
		t.Errorf("%d measures marked not run, want 4:\n%s", n, b.String())
	}
}

func TestRenderVerdicts(t *testing.T) {
	r := Results{
		Calls: []CallsResult{
			{Scenario: "rename", Command: "terraform apply", Minimum: map[string]int{"DELETE": 1, "PUT": 1}, Accepted: map[string]int{"PUT": 1, "DELETE": 1}},
			{Scenario: "toggle on", Command: "terraform apply", Minimum: map[string]int{"POST": 1}, Accepted: map[string]int{"POST": 1}, Rejected: map[string]int{"POST": 1}},
		},
		Waits: []WaitResult{{Kind: WaitCLI, Settle: 2 * time.Second, Samples: []WaitSample{
			{Wait: 2100 * time.Millisecond, GETs: 7}, {Wait: 2200 * time.Millisecond, GETs: 7},
		}}},
		Scale:     []ScaleResult{{Numbers: 100, PlanD360: []time.Duration{3}, PlanData: []time.Duration{2}}},
		RateLimit: []RateLimitResult{{Numbers: 300, Apply: []time.Duration{time.Minute}, Status429: 10}},
	}
	var b strings.Builder
	if err := Render(&b, r, Machine{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| Calls per diff | the fewest mutating calls of design.md; refresh: 1 GET | 1 of 2 diffs at the minimum; not: toggle on | **not met** |",
		"median 1.08×, worst 1.10×, ≤ 7 GETs | met |",
		"1.50× (0.00 s vs 0.00 s) | met |",
		"0 failures in 1 apply, 10×429, 60.00 s | met |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckFake(t *testing.T) {
	want := Number{Name: "n", Enabled: true, Destinations: map[string]Dest{"crm": {URL: "https://crm.example.com", Headers: map[string]string{}}}}
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
