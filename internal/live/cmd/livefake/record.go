package main

import (
	"fmt"
	"os"

	"github.com/d360-terraform/terraform-provider-d360/internal/record"
)

// checkRecord compares the suite's record with the expected one (or
// replaces it with -update-record) and checks the behaviours asked for.
func checkRecord(o options) error {
	got, err := record.Load(o.record)
	if err != nil {
		return err
	}
	for question, want := range o.expectBehaviour {
		if observed := got.Behaviour(question); observed != want {
			return fmt.Errorf("the record says %q for %q; the fake plays %q", observed, question, want)
		}
	}
	if len(o.expectBehaviour) > 0 {
		fmt.Printf("livefake: the record shows the %d readings played\n", len(o.expectBehaviour))
	}
	if o.showDifferences != "" {
		if err := showDifferences(o.showDifferences, got); err != nil {
			return err
		}
	}
	if o.expectRecord == "" {
		return nil
	}
	if o.updateRecord {
		data, err := os.ReadFile(o.record)
		if err != nil {
			return err
		}
		fmt.Println("livefake: wrote", o.expectRecord)
		return os.WriteFile(o.expectRecord, data, 0o644)
	}
	want, err := record.Load(o.expectRecord)
	if err != nil {
		return err
	}
	if diffs := record.Compare(want, got); len(diffs) > 0 {
		return fmt.Errorf("the record differs from %s (make records-update rewrites it after a deliberate change of the fake):\n%s",
			o.expectRecord, record.Report(diffs, o.expectRecord, "this run"))
	}
	fmt.Println("livefake: the record equals", o.expectRecord)
	return nil
}

// showDifferences prints where got differs from the record at path, as a
// maintainer comparing a live record would see it.
func showDifferences(path string, got *record.Record) error {
	base, err := record.Load(path)
	if err != nil {
		return err
	}
	fmt.Print("livefake: " + record.Report(record.Compare(base, got), path, "this run"))
	return nil
}
