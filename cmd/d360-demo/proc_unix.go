//go:build unix

package main

import (
	"os"
	"os/exec"
	"syscall"
)

// isolate starts cmd in a process group of its own. The demo can then stop
// it together with everything it started (Terraform's provider plugins)
// with one signal, and decides itself how a Ctrl-C reaches the children.
func isolate(cmd *exec.Cmd) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(attr)
	cmd.SysProcAttr = attr
}

// interruptGroup asks p's process group to stop, as Ctrl-C would: Terraform
// and OpenTofu then stop their providers and exit cleanly.
func interruptGroup(p *os.Process) error {
	return syscall.Kill(-p.Pid, syscall.SIGINT)
}

// terminateGroup asks p's process group to shut down.
func terminateGroup(p *os.Process) error {
	return syscall.Kill(-p.Pid, syscall.SIGTERM)
}

// killGroup ends whatever is left of p's process group.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
}
