package bench

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the benchmarks ran.
type Machine struct {
	Cores      int
	MemoryGiB  float64
	CPU        string
	OS         string
	GoVersion  string
	CLI        string // e.g. "Terraform 1.11.4"
	Date       time.Time
	Commit     string // git describe --always --dirty
	Repetition string // how many repetitions each measure used
	// Took is how long make bench ran (zero when unknown); Load15 is the
	// 15-minute load average when the report was written, which tells
	// whether other work shared the machine.
	Took   time.Duration
	Load15 float64
}

// DescribeMachine gathers the facts of the machine it runs on; cli is the
// CLI binary.
func DescribeMachine(cli string) Machine {
	return Machine{
		Cores:     runtime.NumCPU(),
		MemoryGiB: memTotalGiB(),
		CPU:       cpuModel(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
		GoVersion: runtime.Version(),
		CLI:       cliVersion(cli),
		Date:      time.Now().UTC(),
		Commit:    gitDescribe(),
		Load15:    load15(),
	}
}

// load15 reads the 15-minute load average from /proc/loadavg.
func load15() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return 0
	}
	v, _ := strconv.ParseFloat(fields[2], 64)
	return v
}

// procField returns the value of the first line of a /proc file whose key
// is key ("key: value" or "key : value").
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// memTotalGiB reads MemTotal (in kB) from /proc/meminfo.
func memTotalGiB() float64 {
	kb, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 64)
	if err != nil {
		return 0
	}
	return kb / (1 << 20)
}

// cpuModel reads the model name from /proc/cpuinfo.
func cpuModel() string {
	if m := procField("/proc/cpuinfo", "model name"); m != "" {
		return m
	}
	return "unknown"
}

// cliVersion asks the CLI for its version.
func cliVersion(cli string) string {
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		return cli + " (version unknown)"
	}
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil || v.TerraformVersion == "" {
		return cli + " (version unknown)"
	}
	name := "Terraform"
	if strings.Contains(strings.ToLower(cli), "tofu") {
		name = "OpenTofu"
	}
	return name + " " + v.TerraformVersion
}

// gitDescribe names the commit of the working tree, "-dirty" when changed.
func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
