package bench

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// importNumbers is how many numbers BenchmarkImport adopts.
const importNumbers = 300

// BenchmarkImport adopts 300 numbers, which already have the declared
// configuration, in one apply through one import block with for_each that
// names each number by its name in the provider's numbers map; then it
// plans the same numbers, now in the state. ImportState reads each number
// and marks it in the private state, and the Read that Terraform makes
// next reuses that read: the importing apply should make one GET per
// number and no change. Each repetition uses new numbers.
func BenchmarkImport(b *testing.B) {
	res := ImportResult{Numbers: importNumbers}
	for i := 0; b.Loop(); i++ {
		env := newFakeEnv(b, fakeapi.Options{SettleDelay: scaleSettle})
		numbers := scaleNumbers(importNumbers, fmt.Sprintf("import-%d-%d", time.Now().UnixNano(), i))
		for _, n := range numbers {
			env.fake.SetState(n.Key, FakeState(n))
		}
		ws := newWorkspace(b)
		ws.WriteConfig(ImportConfig(env.url, numbers))
		res.Import = append(res.Import, ws.mustApply().Duration)
		imported := env.fake.Counts()
		res.ImportGETs = append(res.ImportGETs, imported[http.MethodGet])
		res.Changes += imported[http.MethodPost] + imported[http.MethodPut] + imported[http.MethodPatch] + imported[http.MethodDelete]
		checkAllFake(b, env, numbers)
		env.fake.ResetLog()
		code, plan := ws.planExit()
		if code != 0 && code != 2 {
			b.Fatalf("plan after import: exit %d\n%s", code, tail(plan.Stderr, 30))
		}
		if code == 2 {
			res.PlanChanges++
		}
		res.Plan = append(res.Plan, plan.Duration)
		res.PlanGETs = append(res.PlanGETs, env.fake.Counts()[http.MethodGet])
	}
	b.ReportMetric(float64(Worst(res.ImportGETs)), "import-GETs")
	b.ReportMetric(Median(res.Import).Seconds()/Median(res.Plan).Seconds(), "import/plan")
	save(b, fmt.Sprintf("import-%04d", importNumbers), res)
}
