package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// EnvResults names the directory where benchmarks leave their results for
// cmd/benchreport; when unset, results only go to the benchmark output.
const EnvResults = "D360_BENCH_RESULTS"

// CallsResult is one scenario of the calls-per-diff measure.
type CallsResult struct {
	Scenario string         `json:"scenario"`
	Command  string         `json:"command"`  // the measured CLI command
	Minimum  map[string]int `json:"minimum"`  // the fewest mutating calls per method
	Accepted map[string]int `json:"accepted"` // accepted mutating calls per method
	Rejected map[string]int `json:"rejected"` // mutating calls the fake refused
	// GETsBefore, Polls and ReReads split the GETs: see Traffic.
	GETsBefore int           `json:"gets_before"`
	Polls      int           `json:"polls"`
	ReReads    int           `json:"re_reads"`
	Settle     time.Duration `json:"settle"`
	Note       string        `json:"note,omitempty"`
}

// WaitSample is one change waited for.
type WaitSample struct {
	// Wait runs from the arrival of the accepted mutating request at the
	// fake to the end of the answer to the GET that showed it settled.
	Wait time.Duration `json:"wait"`
	// Settle is how long the fake took to settle this change.
	Settle time.Duration `json:"settle"`
	// Tail runs from that arrival to the exit of the CLI (zero when the
	// change was not made through the CLI).
	Tail time.Duration `json:"tail"`
	// Wall is the whole command, CLI start-up and plan included.
	Wall time.Duration `json:"wall"`
	GETs int           `json:"gets"` // GETs after the mutating request
	// Case says what the provider process could know when the change
	// started: one of the Case constants.
	Case string `json:"case"`
}

// Ratio is the wait over the settle time.
func (s WaitSample) Ratio() float64 {
	return s.Wait.Seconds() / s.Settle.Seconds()
}

// Cases of WaitSample.
const (
	// CaseFirst is a number's first change ever, in a process that knows
	// nothing of settle times.
	CaseFirst = "first"
	// CaseChangedBefore is a change, in a fresh process, to a number
	// changed before at the same settle time.
	CaseChangedBefore = "changed-before"
	// CaseDoubled is CaseChangedBefore with a settle time twice what it
	// was the last time.
	CaseDoubled = "doubled"
	// CaseLater is a change that started after another change of the same
	// process had been seen settled.
	CaseLater = "later"
)

// WaitResult is the samples of one waiting case.
type WaitResult struct {
	Kind    string        `json:"kind"`   // WaitCLI, WaitCLIMany or WaitClient
	Settle  time.Duration `json:"settle"` // the settle time of the case; a doubled change's sample has twice it
	Samples []WaitSample  `json:"samples"`
}

// Kinds of WaitResult.
const (
	WaitCLI     = "cli-one-change"
	WaitCLIMany = "cli-many-numbers"
	WaitClient  = "client-sweep"
)

// ScaleResult is one size of the scale measure. Plan times are every plan
// run; apply times, memory and CPU are per repetition.
type ScaleResult struct {
	Numbers      int             `json:"numbers"`
	Parallelism  int             `json:"parallelism"`
	Settle       time.Duration   `json:"settle"`
	SettleJitter time.Duration   `json:"settle_jitter"`
	PlanD360     []time.Duration `json:"plan_d360"`
	PlanFloor    []time.Duration `json:"plan_floor"`
	PlanData     []time.Duration `json:"plan_data"`
	ApplyD360    []time.Duration `json:"apply_d360"`
	ApplyFloor   []time.Duration `json:"apply_floor"`
	ApplyData    []time.Duration `json:"apply_data"`
	// D360 and Floor are what the provider processes of each used.
	D360  ProviderUsage `json:"d360"`
	Floor ProviderUsage `json:"floor"`
}

// ProviderUsage is what the provider processes of the scale measure used,
// per repetition.
type ProviderUsage struct {
	PeakRSSKiB []int64         `json:"peak_rss_kib"` // the largest process of the apply and the plans
	PlanCPU    []time.Duration `json:"plan_cpu"`     // user and system time of the processes of one plan
	ApplyCPU   []time.Duration `json:"apply_cpu"`    // the same for the apply
	Launches   int             `json:"launches"`     // provider processes measured
}

// ImportResult is the import measure: per repetition, one apply that
// imports every number by name through one for_each import block, then
// one plan of the same numbers, now in the state.
type ImportResult struct {
	Numbers     int             `json:"numbers"`
	Import      []time.Duration `json:"import"`       // the importing apply (plan and apply), whole command
	Plan        []time.Duration `json:"plan"`         // the plan that follows it, with refresh
	ImportGETs  []int           `json:"import_gets"`  // GETs of the importing apply, all numbers
	PlanGETs    []int           `json:"plan_gets"`    // GETs of the plan
	Changes     int             `json:"changes"`      // mutating calls of the importing applies: none expected
	PlanChanges int             `json:"plan_changes"` // plans that were not empty
}

// RateLimitResult is the rate-limited apply.
type RateLimitResult struct {
	Numbers      int             `json:"numbers"`
	Limit        int             `json:"limit"`
	Window       time.Duration   `json:"window"`
	Settle       time.Duration   `json:"settle"`
	SettleJitter time.Duration   `json:"settle_jitter"`
	Apply        []time.Duration `json:"apply"`
	Failures     int             `json:"failures"`     // applies that exited with an error
	Mismatches   int             `json:"mismatches"`   // numbers not as declared afterwards
	PlanChanges  int             `json:"plan_changes"` // plans after apply that were not empty
	Status429    int             `json:"status_429"`
	Requests     int             `json:"requests"`
}

// Save writes v as name.json in the results directory, if there is one.
func Save(name string, v any) error {
	dir := os.Getenv(EnvResults)
	if dir == "" {
		return nil
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".json"), data, 0o600)
}

// Results is everything found in a results directory.
type Results struct {
	Calls     []CallsResult
	Waits     []WaitResult
	Scale     []ScaleResult
	Import    []ImportResult
	RateLimit []RateLimitResult
}

// LoadResults reads the result files of dir.
func LoadResults(dir string) (Results, error) {
	var r Results
	err := errors.Join(
		loadAll(dir, "calls-", &r.Calls),
		loadAll(dir, "wait-", &r.Waits),
		loadAll(dir, "scale-", &r.Scale),
		loadAll(dir, "import-", &r.Import),
		loadAll(dir, "ratelimit-", &r.RateLimit),
	)
	return r, err
}

// loadAll appends every file named prefix*.json, in name order, to out.
func loadAll[T any](dir, prefix string, out *[]T) error {
	files, err := filepath.Glob(filepath.Join(dir, prefix+"*.json"))
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		*out = append(*out, v)
	}
	return nil
}
