// Command rsswrap stands in for the provider binary in the scale benchmark:
// it runs the binary named by D360_RSSWRAP_TARGET as its child, with the
// same arguments, environment and standard streams (so the plugin handshake
// and logs pass straight through to the CLI), waits for it, and appends one
// line to the file named by D360_RSSWRAP_OUT: the child's peak resident set
// size in KiB (getrusage's ru_maxrss), then its user and system CPU time in
// milliseconds. It exits with the child's status.
//
// Measuring from outside is the honest way: the provider is a child of the
// CLI, lives for one command, and its peak is gone by the time anyone could
// read /proc.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run())
}

// run runs the child and records its peak memory; it returns the exit code.
func run() int {
	target, out := os.Getenv("D360_RSSWRAP_TARGET"), os.Getenv("D360_RSSWRAP_OUT")
	if target == "" || out == "" {
		fmt.Fprintln(os.Stderr, "rsswrap: D360_RSSWRAP_TARGET and D360_RSSWRAP_OUT must be set")
		return 2
	}
	cmd := exec.Command(target, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		return 1
	}
	forwardSignals(cmd.Process)
	err := cmd.Wait()
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		record(out, usage.Maxrss, cmd.ProcessState.UserTime().Milliseconds(), cmd.ProcessState.SystemTime().Milliseconds())
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	return 0
}

// forwardSignals passes interrupts on to the child, which shuts down the
// way it would if the CLI had signalled it directly.
func forwardSignals(p *os.Process) {
	num := make(chan os.Signal, 1)
	signal.Notify(num, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range num {
			_ = p.Signal(s)
		}
	}()
}

// record appends one line; O_APPEND keeps lines whole when the CLI runs
// several provider processes at once.
func record(path string, maxRSSKiB, userMS, sysMS int64) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		return
	}
	defer f.Close()
	_, _ = fmt.Fprintf(f, "%d %d %d\n", maxRSSKiB, userMS, sysMS)
}
