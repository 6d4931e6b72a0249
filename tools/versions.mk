# Pinned versions of the CLIs and tools that make builds into .tools/.
# OpenTofu, golangci-lint, actionlint and tfplugindocs are pinned by the
# go.mod of their tools/ module; these lines read the version from there so
# there is one source of truth.
TOFU_VERSION          := $(shell awk '$$1 == "github.com/opentofu/opentofu" {print $$2}' tools/tofu/go.mod)
GOLANGCI_LINT_VERSION := $(shell awk '$$1 == "github.com/golangci/golangci-lint/v2" {print $$2}' tools/lint/go.mod)
TFPLUGINDOCS_VERSION  := $(shell awk '$$1 == "github.com/hashicorp/terraform-plugin-docs" {print $$2}' tools/docs/go.mod)
ACTIONLINT_VERSION    := $(shell awk '$$1 == "github.com/rhysd/actionlint" {print $$2}' tools/actionlint/go.mod)

# The last MPL-licensed Terraform, built with go install.
TERRAFORM_LEGACY_VERSION := v1.5.7
# Built only when no terraform is on PATH; CI puts this version there.
TERRAFORM_CURRENT_VERSION := v1.11.4
