//go:build linux

package main

import (
	"os"
	"syscall"
)

// setParentDeathSignal makes the kernel stop a child if the demo itself is
// killed (SIGKILL leaves it no time to clean up), so no fake API or CLI is
// left behind.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGTERM
}

// followParent asks the kernel for a SIGTERM when the demo's parent (make)
// dies, even by SIGKILL, so the demo still stops its children and removes
// its files.
func followParent() {
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	if errno == 0 && os.Getppid() == 1 {
		// The parent died before the request took effect.
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}
}
