package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/d360-terraform/terraform-provider-d360/internal/record"
)

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	a, b := record.New(), record.New()
	a.Observe("PATCH headers", "replace")
	b.Observe("PATCH headers", "merge")
	pathA, pathB := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for path, r := range map[string]*record.Record{pathA: a, pathB: b} {
		if err := r.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"compare", pathA, pathA}, 0, "no differences", ""},
		{[]string{"compare", pathA, pathB}, 1, "behaviour: PATCH headers", ""},
		{[]string{"compare", pathA, filepath.Join(dir, "missing.json")}, 2, "", "reading the record"},
		{[]string{"compare", pathA}, 2, "", "usage: d360-records compare A B"},
		{nil, 2, "", "usage:"},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.inStdout) || !strings.Contains(stderr.String(), tc.inStderr) {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d with %q and %q",
				tc.args, code, stdout.String(), stderr.String(), tc.code, tc.inStdout, tc.inStderr)
		}
	}
}
