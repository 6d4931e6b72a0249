// Package live is the acceptance suite against the real 360dialog API: the
// lifecycle of both resources through a real CLI, and probes that record
// the shape of every answer (package internal/record) where the
// documentation is silent. It lives in test files only and changes a real
// number's webhooks, so it runs only when a person opts in through the
// environment (see settings_test.go and docs/guides); it reaches the API
// through its public calls only, never through the fake's admin hooks, and
// puts the number back as it found it.
package live
