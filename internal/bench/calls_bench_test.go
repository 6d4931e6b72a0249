package bench

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// callsSettle is the settle delay of every change of a scenario: "several
// seconds" says 360dialog, so the middle of the 0.5-8 s envelope. The
// setup applies wait it too: the resource keeps what they learn of the
// number's settle time, and a setup that settled at once would make the
// measured change a jump in settle time (section 2), not an ordinary one.
const callsSettle = 2 * time.Second

// callScenario is one diff: numbers applied in turn as setup, then the
// measured command on the last configuration.
type callScenario struct {
	name     string
	setup    []Number // applied in order before the measure; none for a create
	measured Number
	refresh  bool           // measure plan -refresh-only instead of apply
	minimum  map[string]int // the fewest mutating calls, per method
	opts     fakeapi.Options
	note     string
}

// dest is a fixture destination named name.
func dest(name string) hclconfig.Destination {
	return hclconfig.Destination{URL: "https://" + name + ".example.com/wa", Headers: map[string]string{"Authorization": "Bearer " + name}}
}

// declare builds an enabled number with the named fixture destinations.
func declare(names ...string) Number {
	n := Number{Name: "n", Enabled: true, Destinations: map[string]hclconfig.Destination{}}
	for _, name := range names {
		n.Destinations[name] = dest(name)
	}
	return n
}

// disabled returns n with enabled = false.
func disabled(n Number) Number {
	n.Enabled = false
	return n
}

// callScenarios lists the diffs of the measure, with the minimum of DESIGN.md ("From plan to API calls").
func callScenarios() []callScenario {
	two := declare("crm", "analytics")
	moved := two.Clone()
	moved.Destinations["crm"] = hclconfig.Destination{URL: "https://crm.example.com/moved", Headers: map[string]string{"Authorization": "Bearer moved"}}
	renamed := declare("crm")
	renamed.Destinations["audit"] = dest("analytics")
	return []callScenario{
		{name: "create, 1 destination", measured: declare("crm"), minimum: map[string]int{"POST": 1}},
		{name: "create, 2 destinations", measured: two, minimum: map[string]int{"POST": 1}},
		{name: "create, 3 destinations", measured: declare("crm", "analytics", "audit"), minimum: map[string]int{"POST": 1}},
		{name: "add 1", setup: []Number{declare("crm")}, measured: two, minimum: map[string]int{"PUT": 1}},
		{name: "add 2", setup: []Number{declare("crm")}, measured: declare("crm", "analytics", "audit"), minimum: map[string]int{"PUT": 1}},
		{name: "change one", setup: []Number{two}, measured: moved, minimum: map[string]int{"PATCH": 1}},
		{name: "remove one", setup: []Number{two}, measured: declare("crm"), minimum: map[string]int{"DELETE": 1}},
		{name: "rename", setup: []Number{two}, measured: renamed, minimum: map[string]int{"DELETE": 1, "PUT": 1}},
		{name: "toggle off", setup: []Number{two}, measured: disabled(two), minimum: map[string]int{"POST": 1}},
		{name: "toggle on, destinations cleared by the disable", setup: []Number{two, disabled(two)}, measured: two,
			minimum: map[string]int{"POST": 1}, opts: fakeapi.Options{ClearOnDisable: true}},
		{name: "toggle on, destinations survived the disable", setup: []Number{two, disabled(two)}, measured: two,
			minimum: map[string]int{"POST": 1}, note: survivorsNote},
		{name: "toggle on again, destinations survived (second cycle)", setup: []Number{two, disabled(two), two, disabled(two)},
			measured: two, minimum: map[string]int{"POST": 1}},
		{name: "no-op apply", setup: []Number{two}, measured: two, minimum: map[string]int{}},
		{name: "refresh (plan -refresh-only)", setup: []Number{two}, measured: two, refresh: true, minimum: map[string]int{}},
	}
}

// survivorsNote explains the extra calls of enabling a number whose
// destinations survived a disable.
const survivorsNote = "360dialog does not document whether destinations survive a disable, and the provider must work " +
	"either way. It first sends the one POST that suffices when they do not; when they do, 360dialog refuses it " +
	"(\"already exists\"), the provider re-reads the number and enables it bare: 1 refused POST, 1 GET, 1 POST " +
	"(and a PATCH or DELETE if the survivors differ from the plan). Enabling bare first would cost an extra PUT in " +
	"the other case. The first enable cannot know which way 360dialog behaves; the provider remembers what it " +
	"showed in the resource's private state, so every later enable of the number makes the minimum (the next row)."

// BenchmarkCallsPerDiff counts the API calls of each kind of diff, through
// the CLI, against the fewest that DESIGN.md ("From plan to API calls") allows.
func BenchmarkCallsPerDiff(b *testing.B) {
	for i, sc := range callScenarios() {
		b.Run(strings.ReplaceAll(sc.name, " ", "_"), func(b *testing.B) {
			res := runCallScenario(b, sc)
			save(b, fmt.Sprintf("calls-%02d", i), res)
		})
	}
}

// runCallScenario measures one scenario; each iteration uses a new number.
func runCallScenario(b *testing.B, sc callScenario) CallsResult {
	env := newFakeEnv(b, sc.opts)
	env.setSettle(callsSettle)
	var res CallsResult
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		ws := newWorkspace(b)
		key := fmt.Sprintf("calls-%s-%d-%d", sc.name, time.Now().UnixNano(), i)
		for _, n := range sc.setup {
			n.Key = key
			ws.WriteConfig(ForEachConfig(env.url, []Number{n}))
			ws.mustApply()
		}
		m := sc.measured
		m.Key = key
		ws.WriteConfig(ForEachConfig(env.url, []Number{m}))
		env.fake.ResetLog()
		b.StartTimer()
		command := measureCalls(b, ws, sc)
		b.StopTimer()
		res = callsResult(sc, command, SplitTraffic(env.fake.Requests(), fakeapi.Fingerprint(key)))
		b.StartTimer()
	}
	b.ReportMetric(float64(sum(res.Accepted)+sum(res.Rejected)), "mutating/op")
	b.ReportMetric(float64(res.GETsBefore+res.Polls+res.ReReads), "GETs/op")
	return res
}

// measureCalls runs the measured command and returns how it is written.
func measureCalls(b *testing.B, ws *workspace, sc callScenario) string {
	if sc.refresh {
		// Not -detailed-exitcode: Terraform 1.11 may exit 2 on a refresh-only
		// plan with no changes, when it stores the sensitive attribute paths
		// in another order (hashicorp/terraform#37406).
		if r := ws.run("plan", "-refresh-only", "-input=false", "-no-color"); r.Err != nil {
			b.Fatalf("plan -refresh-only: %v\n%s", r.Err, tail(r.Stderr, 40))
		}
		return "terraform plan -refresh-only"
	}
	ws.mustApply()
	return "terraform apply"
}

// callsResult summarises the traffic of one measured command.
func callsResult(sc callScenario, command string, t Traffic) CallsResult {
	accepted, rejected := t.Counts()
	polls, reReads := t.Polls()
	return CallsResult{
		Scenario: sc.name, Command: command, Minimum: maps.Clone(sc.minimum),
		Accepted: accepted, Rejected: rejected,
		GETsBefore: t.GETsBefore, Polls: polls, ReReads: reReads,
		Settle: callsSettle, Note: sc.note,
	}
}
