//go:build unix && !linux

package main

import "syscall"

// setParentDeathSignal does nothing: only Linux offers a parent-death
// signal. Children are still stopped on every exit path the demo controls.
func setParentDeathSignal(*syscall.SysProcAttr) {}

// followParent does nothing, for the same reason.
func followParent() {}
