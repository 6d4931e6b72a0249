// Command devoverride prints the CLI configuration of package devoverride
// for the provider directory given as its one argument, so make targets
// write the same dev_overrides file as the Go tests and the demo.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/d360-terraform/terraform-provider-d360/internal/devoverride"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: devoverride PROVIDER_DIR > dev.tfrc")
		os.Exit(2)
	}
	dir, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "devoverride: resolving %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	fmt.Print(devoverride.CLIConfig(dir))
}
