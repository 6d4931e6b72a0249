// Command d360-records compares two records of what an API answered
// (package internal/record): the one the live acceptance suite wrote
// against 360dialog, say, and the one it wrote against the project's fake.
// It prints every place where they differ and exits 1 when there is one:
//
//	go run ./cmd/d360-records compare internal/live/testdata/fake360.record.json .tools/live/record.json
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/d360-terraform/terraform-provider-d360/internal/record"
)

// usage says how to call the command.
const usage = `usage: d360-records compare A B

Compares two records of the API's answers and prints where they differ:
answers seen by one run only, or with another status, content type or shape,
and behaviours seen differently. Exit status: 0 when they agree, 1 when they
differ, 2 on a usage error or an unreadable record.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errDiffer says that the records differ.
var errDiffer = errors.New("the records differ")

// run carries out one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 || args[0] != "compare" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	err := compare(args[1], args[2], stdout)
	switch {
	case errors.Is(err, errDiffer):
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "d360-records:", err)
		return 2
	}
	return 0
}

// compare prints the differences between the records at pathA and pathB.
func compare(pathA, pathB string, stdout io.Writer) error {
	a, err := record.Load(pathA)
	if err != nil {
		return err
	}
	b, err := record.Load(pathB)
	if err != nil {
		return err
	}
	diffs := record.Compare(a, b)
	if _, err := fmt.Fprint(stdout, record.Report(diffs, pathA, pathB)); err != nil {
		return err
	}
	if len(diffs) > 0 {
		return errDiffer
	}
	return nil
}
