# Partnerskap: the two commands are `make run` and `make test`; see README.md.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

# Every tool is pinned here and installed into .bin/ by `make tools` (never by hand).
BUF_VERSION                := v1.75.0
PROTOC_GEN_GO_VERSION      := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.2
GRPC_GATEWAY_VERSION       := v2.33.0
STATICCHECK_VERSION        := v0.8.2
# Mailpit, the SMTP server that keeps what it receives: make run's mail catcher, and the e-mail tests' server.
MAILPIT_VERSION            := v1.33.1
# Not a Go tool: Debian's libxml2-utils, for xmllint, which the IATI export tests validate XML against the XSD with.
XMLLINT_DEB_VERSION        := 2.9.14+dfsg-1.3~deb12u6
# Debian's chromium, the headless browser e2e's TestConsoleInABrowser drives the web console in (with chromedp).
# From bookworm-security, which replaces old builds: when this one is gone, `apt-cache policy chromium` names the next.
CHROMIUM_DEB_VERSION       := 156.0.8078.129-1~deb12u1
# Debian's wrk, the HTTP load generator of `make bench-load`.
WRK_DEB_VERSION            := 4.1.0-3+b2

BIN      := $(CURDIR)/.bin
BINARIES := partnership network finance reporting notification gateway
MODULES   = $(shell go list -m -f '{{.Dir}}/...')
BREAKING_AGAINST ?= .git\#branch=main
TEST_FLAGS ?= -race -timeout 30m

export GOBIN := $(BIN)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# A stamp per tool and version: a changed pin reinstalls, an unchanged one costs nothing.
$(BIN)/.buf-$(BUF_VERSION):
	go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
	@touch $@
$(BIN)/.protoc-gen-go-$(PROTOC_GEN_GO_VERSION):
	go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	@touch $@
$(BIN)/.protoc-gen-go-grpc-$(PROTOC_GEN_GO_GRPC_VERSION):
	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)
	@touch $@
$(BIN)/.grpc-gateway-$(GRPC_GATEWAY_VERSION):
	go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@$(GRPC_GATEWAY_VERSION) \
		github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2@$(GRPC_GATEWAY_VERSION)
	@touch $@

$(BIN)/.staticcheck-$(STATICCHECK_VERSION):
	go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@touch $@
$(BIN)/.mailpit-$(MAILPIT_VERSION):
	go install github.com/axllent/mailpit@$(MAILPIT_VERSION)
	@touch $@

.PHONY: tools
tools: $(BIN)/.buf-$(BUF_VERSION) $(BIN)/.protoc-gen-go-$(PROTOC_GEN_GO_VERSION) \
	$(BIN)/.protoc-gen-go-grpc-$(PROTOC_GEN_GO_GRPC_VERSION) $(BIN)/.grpc-gateway-$(GRPC_GATEWAY_VERSION) \
	$(BIN)/.staticcheck-$(STATICCHECK_VERSION) $(BIN)/.mailpit-$(MAILPIT_VERSION) ## install buf, the protoc plugins, staticcheck and Mailpit, pinned

.PHONY: generate
generate: tools ## regenerate third-party proto sources, Go code and the OpenAPI documents (3 and 2.0) from proto/
	go run ./tools/protosrc -out proto/third_party
	$(BIN)/buf format -w proto/api
	$(BIN)/buf generate
	go run ./tools/openapi3 -in gateway/openapi/partnerskap.swagger.json -out gateway/openapi/partnerskap.openapi.json

.PHONY: check-generated
check-generated: generate ## fail when committed generated code differs from what `make generate` makes
	@git add -N proto gateway/openapi >/dev/null
	@git diff --exit-code --stat -- proto gateway/openapi || { echo "generated code is stale: run make generate and commit"; exit 1; }

.PHONY: lint
lint: tools ## buf lint, buf format, buf breaking against main, gofmt, go vet and staticcheck
	$(BIN)/buf lint
	$(BIN)/buf format --exit-code -d proto/api
	@if git rev-parse --verify -q main >/dev/null; then $(BIN)/buf breaking --against '$(BREAKING_AGAINST)'; fi
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	go vet $(MODULES)
	$(BIN)/staticcheck $(filter-out %/proto/...,$(MODULES))

.PHONY: build
build: ## build the six binaries into .bin/
	@for b in $(BINARIES); do \
		dir=services/$$b; [ $$b = gateway ] && dir=gateway; \
		go build -o $(BIN)/$$b ./$$dir || exit 1; \
	done
	@go build -o $(BIN)/devrun ./tools/devrun

.PHONY: images
images: ## build the five OCI images as tarballs in .bin/images/, no Docker daemon: make images [TAG=dev]
	go run ./deploy/cmd/images -out $(BIN)/images -tag $(or $(TAG),dev)

.PHONY: run
run: build $(BIN)/.mailpit-$(MAILPIT_VERSION) ## build and start the whole suite, and a mail catcher, in the foreground; Ctrl-C stops it
	@$(BIN)/devrun -bin $(BIN) -run $(CURDIR)/.run

.PHONY: xmllint
xmllint: ## make sure xmllint is installed (as root on Debian: apt-get installs the pinned libxml2-utils)
	@bash tools/ensure-deb.sh xmllint libxml2-utils '$(XMLLINT_DEB_VERSION)' 'the IATI export tests validate XML against the XSD with it'

.PHONY: chromium
chromium: ## make sure chromium is installed (as root on Debian: apt-get installs the pinned chromium)
	@bash tools/ensure-deb.sh chromium chromium '$(CHROMIUM_DEB_VERSION)' 'the e2e test TestConsoleInABrowser drives the web console in it'

.PHONY: wrk
wrk: ## make sure wrk is installed (as root on Debian: apt-get installs the pinned wrk)
	@bash tools/ensure-deb.sh wrk wrk '$(WRK_DEB_VERSION)' 'make bench-load drives the REST API with it'

.PHONY: test
test: xmllint chromium $(BIN)/.mailpit-$(MAILPIT_VERSION) ## every test, unit and integration, against a real PostgreSQL (and a real SMTP server)
	go test $(TEST_FLAGS) $(MODULES)

.PHONY: token
token: ## print one development token: make token ROLE=<role> [ORG=<organization id>] [SUB=<subject>]
	@go build -o $(BIN)/devtoken ./platform/cmd/devtoken
	@$(BIN)/devtoken -key $(CURDIR)/.run/dev-signing-key.pem -role "$(ROLE)" $(if $(ORG),-org "$(ORG)") $(if $(SUB),-sub "$(SUB)")

.PHONY: bench
bench: ## run the benchmarks
	go test -run '^$$' -bench . -benchmem $(MODULES)

# How long each load of bench-load runs and how many clients it has; LOADS=<regexp> runs only the loads whose
# names match, PROFILES=<dir> also writes CPU profiles, LOAD_ENV="NAME=value ..." is given to every binary.
LOAD_DURATION ?= 15s
LOAD_CLIENTS  ?= 4
.PHONY: bench-load
bench-load: wrk ## the suite under load against pgbench -S, one run, one table: make bench-load [LOAD_DURATION=15s] [LOADS=regexp] [PROFILES=dir]
	go test -run '^$$' -bench '^BenchmarkLoad$$' -benchtime 1x -timeout 30m ./e2e/ \
		-args -load.duration $(LOAD_DURATION) -load.clients $(LOAD_CLIENTS) $(if $(LOADS),-load.only '$(LOADS)') \
		$(if $(PROFILES),-load.profiles $(abspath $(PROFILES)))

.PHONY: clean
clean: ## remove built binaries (keeps .run/, which holds the development key and any private PostgreSQL)
	rm -rf $(BIN)
