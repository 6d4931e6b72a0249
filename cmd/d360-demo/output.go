package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/secretscan"
)

// printer writes the story: headings, narration, commands and the CLI's
// output, indented so the demo's own words stand out.
type printer struct {
	w io.Writer
}

func newPrinter(w io.Writer) *printer {
	return &printer{w: w}
}

// heading opens a step.
func (p *printer) heading(format string, args ...any) {
	title := fmt.Sprintf(format, args...)
	_, _ = fmt.Fprintf(p.w, "\n%s\n%s\n", title, strings.Repeat("=", len(title)))
}

// say narrates one line.
func (p *printer) say(format string, args ...any) {
	_, _ = fmt.Fprintf(p.w, format+"\n", args...)
}

// command shows the command line about to run, as a user would type it.
func (p *printer) command(cli string, args []string) {
	_, _ = fmt.Fprintf(p.w, "\n$ %s %s\n", cli, strings.Join(args, " "))
}

// block shows a file or other text, indented.
func (p *printer) block(text string) {
	for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
		_, _ = fmt.Fprintf(p.w, "    %s\n", line)
	}
}

// calls shows what the fake API saw during a step, per endpoint.
func (p *printer) calls(st fakeapi.Stats) {
	p.say("\n-> The fake 360dialog API saw %s.", formatEndpoints(st.Endpoints))
}

// summary closes the demo with the duration of every step and what was
// checked for secrets.
func (p *printer) summary(timings []timing, total time.Duration, checked []string) {
	p.heading("Demo passed")
	const last = "total, builds included"
	width := len(last)
	for _, t := range timings {
		width = max(width, len(t.step))
	}
	for _, t := range timings {
		p.say("  %-*s %6s", width, t.step, seconds(t.took))
	}
	p.say("  %-*s %6s", width, last, seconds(total))
	p.say("")
	for _, line := range checked {
		p.say("%s", line)
	}
}

// timing is how long one step took.
type timing struct {
	step string
	took time.Duration
}

// formatCalls renders request counts by method, e.g. "GET x7, PUT x1".
func formatCalls(byMethod map[string]int) string {
	if len(byMethod) == 0 {
		return "no requests"
	}
	parts := make([]string, 0, len(byMethod))
	for _, m := range slices.Sorted(maps.Keys(byMethod)) {
		parts = append(parts, fmt.Sprintf("%s x%d", m, byMethod[m]))
	}
	return strings.Join(parts, ", ")
}

// seconds renders a duration for people, e.g. "1.3s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// holdsSecret reports whether text holds any of secrets, in any encoding
// secretscan knows.
func holdsSecret(text string, secrets []string) bool {
	for _, s := range secrets {
		if len(secretscan.Find(text, s)) > 0 {
			return true
		}
	}
	return false
}

// outputFilter receives a CLI's output and shows it line by line,
// indented. It keeps a copy for the checks and withholds any line holding
// a secret, recording the leak so the step fails without printing it.
type outputFilter struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
	partial []byte
	all     bytes.Buffer
	leaked  bool
}

func (f *outputFilter) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.partial = append(f.partial, b...)
	for {
		i := bytes.IndexByte(f.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		f.emit(f.partial[:i])
		f.partial = f.partial[i+1:]
	}
}

// flush shows a last line that has no line break.
func (f *outputFilter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.partial) > 0 {
		f.emit(f.partial)
		f.partial = nil
	}
}

// emit shows one line, unless it holds a secret.
func (f *outputFilter) emit(line []byte) {
	if holdsSecret(string(line), f.secrets) {
		f.leaked = true
		line = []byte("[line withheld by the demo: it contained a secret]")
	}
	f.all.Write(line)
	f.all.WriteByte('\n')
	_, _ = fmt.Fprintf(f.w, "    %s\n", line)
}

// text returns everything shown so far.
func (f *outputFilter) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.all.String()
}
