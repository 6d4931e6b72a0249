package cpuprofile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestStartWritesAProfileOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, "")
	Start("quiet")()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("profiled without being asked: %v", entries)
	}
	t.Setenv(EnvDir, dir)
	Start("asked")()
	data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("asked-%d.pprof", os.Getpid())))
	if err != nil {
		t.Fatal(err)
	}
	// A profile is a gzipped protocol buffer.
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Errorf("the profile is not gzipped: % x", data[:min(len(data), 8)])
	}
}
