// Package cpuprofile lets a provider binary of the benchmarks write a CPU
// profile of its whole process, when asked through the environment: the
// CLI starts the provider as its child, so a profile can only be written
// from inside. It serves cmd/profprovider and cmd/floorprovider; the d360
// provider's own main has no such hook.
package cpuprofile

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// EnvDir names the directory where a process started with it set writes
// its profile, as <name>-<pid>.pprof; unset, nothing is profiled.
const EnvDir = "D360_CPU_PROFILE_DIR"

// Start begins profiling when EnvDir is set and returns the function that
// stops and writes the profile; call it when the provider has stopped
// serving. Failing to profile is logged and never stops the provider.
func Start(name string) (stop func()) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", name, os.Getpid())))
	if err != nil {
		log.Printf("[WARN] cpuprofile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("[WARN] cpuprofile: %v", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("[WARN] cpuprofile: %v", err)
		}
	}
}
