// Command benchreport renders BENCHMARKS.md from the result files that the
// benchmarks of internal/bench leave in a directory (make bench):
//
//	benchreport -results DIR -cli terraform -out BENCHMARKS.md
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// run parses the flags, loads the results and writes the report.
func run() error {
	results := flag.String("results", "", "directory of the benchmarks' result files (required)")
	cli := flag.String("cli", "terraform", "the CLI the benchmarks ran, for its version")
	out := flag.String("out", "BENCHMARKS.md", "file to write")
	flag.Parse()
	if *results == "" {
		return fmt.Errorf("-results is required")
	}
	r, err := bench.LoadResults(*results)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	m := bench.DescribeMachine(*cli)
	m.Took = sinceStarted(*results)
	if err := bench.Render(f, r, m); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// sinceStarted is the time since the Unix time that make bench writes in
// the results directory's file "started", or zero without one.
func sinceStarted(dir string) time.Duration {
	data, err := os.ReadFile(filepath.Join(dir, "started"))
	if err != nil {
		return 0
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0
	}
	return time.Since(time.Unix(sec, 0))
}
