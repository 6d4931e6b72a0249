package bench

import (
	"fmt"
	"strings"
)

// importTarget is the target of the import measure.
const importTarget = "one GET per number, no change, an empty plan after"

// importMet reports whether every importing apply made exactly one GET per
// number and no change, and every plan after it was empty.
func importMet(r ImportResult) bool {
	for _, gets := range r.ImportGETs {
		if gets != r.Numbers {
			return false
		}
	}
	return len(r.ImportGETs) > 0 && r.Changes == 0 && r.PlanChanges == 0
}

func importSummary(imports []ImportResult) []summaryRow {
	const measure = "Import by name, one for_each import block"
	if len(imports) == 0 {
		return notRun(measure, importTarget)
	}
	var rows []summaryRow
	for _, r := range imports {
		rows = append(rows, summaryRow{fmt.Sprintf("Import of %d numbers by name, one for_each import block (plan + apply)", r.Numbers),
			importTarget, fmt.Sprintf("%d GETs (worst of %d), %d changes; %s, %s a plan of the same numbers in state (%s)",
				Worst(r.ImportGETs), len(r.ImportGETs), r.Changes, fmtSeconds(Median(r.Import)),
				fmtRatio(ratioOf(r.Import, r.Plan)), fmtSeconds(Median(r.Plan))),
			verdict(importMet(r))})
	}
	return rows
}

// writeImport writes the import table.
func writeImport(b *strings.Builder, imports []ImportResult) {
	if !section(b, "4. Import", len(imports) > 0) {
		return
	}
	fmt.Fprintf(b, "N numbers already have the declared configuration (two destinations each, as in section 3). One "+
		"`terraform apply` adopts them all through one `import` block with `for_each = local.numbers` and `id = each.key`: "+
		"the provider's `numbers` map holds the N keys, the resource names each number with `number = each.key`. Then a "+
		"`plan` (with refresh) of the same numbers, now in the state. Each repetition uses new numbers. `ImportState` reads "+
		"each number and marks it in the private state; the `Read` that Terraform makes right after it reuses that read, "+
		"so an import costs the GET a refresh would.\n\n")
	b.WriteString("| numbers | runs | import (plan + apply), median | GETs, worst | changes | plan in state, median | GETs | import / plan | |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range imports {
		fmt.Fprintf(b, "| %d | %d | %s | %d | %d | %s | %d | %s | %s |\n", r.Numbers, len(r.Import), fmtSpread(r.Import),
			Worst(r.ImportGETs), r.Changes, fmtSpread(r.Plan), Worst(r.PlanGETs), fmtRatio(ratioOf(r.Import, r.Plan)),
			verdict(importMet(r)))
	}
	b.WriteString("\n")
}
