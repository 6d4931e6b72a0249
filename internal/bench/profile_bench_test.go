package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/bench/cpuprofile"
	"github.com/d360-terraform/terraform-provider-d360/internal/clitest"
	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
)

// profileNumbers is the size of the plans BenchmarkPlanProfile profiles.
const profileNumbers = 1000

// BenchmarkPlanProfile profiles the provider processes of plans of 1000
// numbers, d360 (cmd/profprovider) and the floor, one plan of each per
// iteration, and writes their CPU profiles into D360_CPU_PROFILE_DIR, in
// d360/ and floor/. The numbers are created first, as in BenchmarkScale,
// so that the state holds what an apply leaves there. It is not part of make bench; BENCHMARKS.md says what
// the profiles showed. Read them with
// `go tool pprof -top DIR/d360/*.pprof`.
func BenchmarkPlanProfile(b *testing.B) {
	dir := os.Getenv(cpuprofile.EnvDir)
	if dir == "" {
		b.Skip("set " + cpuprofile.EnvDir + " to the directory for the profiles")
	}
	env := newFakeEnv(b, fakeapi.Options{SettleDelay: scaleSettle, SettleJitter: scaleSettleJitter})
	numbers := scaleNumbers(profileNumbers, fmt.Sprintf("profile-%d", time.Now().UnixNano()))
	d360 := newWorkspace(b)
	d360.writeDevOverrides(clitest.ProviderSource, filepath.Join(helperDir(b), "prof"))
	floor := newFloorWorkspace(b)
	for _, ws := range []*workspace{d360, floor} {
		ws.Env = append(ws.Env, cpuprofile.EnvDir+"=") // the setup applies are not profiled
	}
	d360.WriteConfig(ForEachConfig(env.url, numbers))
	d360.mustApply()
	floor.WriteConfig(FloorConfig(numbers))
	floor.mustApply()
	for name, ws := range map[string]*workspace{providerD360: d360, providerFloor: floor} {
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o750); err != nil {
			b.Fatal(err)
		}
		ws.Env = append(ws.Env, cpuprofile.EnvDir+"="+out) // the last setting wins
	}
	for b.Loop() {
		d360.mustPlanEmpty()
		floor.mustPlanEmpty()
	}
}
