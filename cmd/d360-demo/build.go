package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// binaries are the freshly built programs the demo runs.
type binaries struct {
	dir  string // holds terraform-provider-d360, the dev_overrides target
	fake string // cmd/fake360
}

// buildBinaries builds the provider and the fake API from the repository
// into dir, so the demo always shows the code as it is checked out.
func buildBinaries(ctx context.Context, out *printer, repo, dir string) (binaries, error) {
	out.say("Building the provider and the fake 360dialog API...")
	start := time.Now()
	b := binaries{dir: dir, fake: filepath.Join(dir, "fake360")}
	builds := []struct{ output, pkg string }{
		{filepath.Join(dir, "terraform-provider-d360"), "."},
		{b.fake, "./cmd/fake360"},
	}
	for _, bd := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bd.output, bd.pkg)
		cmd.Dir = repo
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return b, ctx.Err()
			}
			return b, fmt.Errorf("go build %s: %w", bd.pkg, err)
		}
	}
	out.say("Built in %s.", seconds(time.Since(start)))
	return b, nil
}
