// Package bench holds the benchmarks and the fault soak of the provider.
//
// Every measure drives the real CLI (the terraform on PATH, or
// TF_ACC_TERRAFORM_PATH) through internal/clitest against a provider binary
// built from this tree, and an internal/fakeapi server that the test process
// serves on loopback. Nothing here talks to the network.
//
// The measures live in the package's test files and are gated so that plain
// `go test ./...` stays fast: the benchmarks run only with -bench, the soak
// only when D360_SOAK is set (make soak, make soak-short). This file's
// package holds what they share and what the report needs: attributing the
// fake's request log to changes, generating configurations, the random
// configuration walk of the soak, the result files and their rendering into
// BENCHMARKS.md (see cmd/benchreport).
package bench
