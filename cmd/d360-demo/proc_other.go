//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// isolate does nothing where process groups do not exist.
func isolate(*exec.Cmd) {}

// interruptGroup stops p; without process groups there is no gentler way.
func interruptGroup(p *os.Process) error { return p.Kill() }

// terminateGroup stops p.
func terminateGroup(p *os.Process) error { return p.Kill() }

// killGroup stops p.
func killGroup(p *os.Process) { _ = p.Kill() }

// followParent does nothing where there is no parent-death signal.
func followParent() {}
