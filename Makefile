# mklnk — build, test, install. `make help` lists the targets.
PREFIX ?= /usr/local
SWIFT  ?= swift
BIN_DEBUG   := .build/debug/mklnk
BIN_RELEASE := .build/release/mklnk
DEMO   ?= /tmp/mklnk-demo

.PHONY: help deps build release test test-unit test-crash test-fuzz fuzz test-sanitizers install uninstall clean demo man completions bench bench-validate

help:
	@echo "make deps      install libyaml-dev and strace when missing (apt)"
	@echo "make build     debug build"
	@echo "make test      unit, CLI and golden tests, the strace crash sweep, a short fuzz"
	@echo "make test-sanitizers  the test suite under AddressSanitizer, then ThreadSanitizer"
	@echo "make fuzz      each libFuzzer target for FUZZ_SECONDS (default 600) in .build-fuzz"
	@echo "make demo      apply Plans/dotfiles.yaml to a scratch home in $(DEMO)"
	@echo "make release   optimised build in $(BIN_RELEASE)"
	@echo "make install   install mklnk, its man page and completions under PREFIX ($(PREFIX))"
	@echo "make man       generate mklnk.1"
	@echo "make bench     W1-W4 against C floors (SIZES=1000 for a quick run, BENCH_PEERS=1 adds stow, dotbot)"
	@echo "make bench-validate  validate against PyYAML's C loader"
	@echo "make clean     remove build products"

# Installs what a fresh Debian machine lacks; does nothing when all is there.
deps:
	@missing=""; \
	pkg-config --exists yaml-0.1 2>/dev/null || missing="$$missing libyaml-dev pkg-config"; \
	command -v strace >/dev/null 2>&1 || missing="$$missing strace"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: build test-unit test-crash test-fuzz

test-unit:
	$(SWIFT) test

test-crash:
	bash Tests/crash/strace_sweep.sh $(BIN_DEBUG)
	bash Tests/crash/lifecycle_sweep.sh $(BIN_DEBUG)

# Fuzz/README.md: seconds per target, a few in `make test`, ten minutes each in `make fuzz`.
FUZZ_SHORT   ?= 8
FUZZ_SECONDS ?= 600

test-fuzz:
	bash Fuzz/run.sh $(FUZZ_SHORT)

fuzz:
	bash Fuzz/run.sh $(FUZZ_SECONDS)

# Each sanitizer in its own scratch path, the Swift runtime linked dynamically (Package.swift).
# Leak checking is off: XCTest's runner and the runtime's caches leak by design.
test-sanitizers: deps
	MKLNK_DYNAMIC_RUNTIME=1 ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-asan --sanitize=address
	MKLNK_DYNAMIC_RUNTIME=1 $(SWIFT) test --scratch-path .build-tsan --sanitize=thread

demo: build
	@rm -rf $(DEMO).old; [ ! -e $(DEMO) ] || mv $(DEMO) $(DEMO).old
	@mkdir -p $(DEMO)/home
	@echo "# a file in the way: conflict: backup moves it aside" > $(DEMO)/home/.zshrc
	@echo '$$ mklnk plan Plans/dotfiles.yaml --root $(DEMO)/home'
	@HOME=$(DEMO)/home $(BIN_DEBUG) plan Plans/dotfiles.yaml --root $(DEMO)/home --state-dir $(DEMO)/state
	@echo; echo '$$ mklnk apply Plans/dotfiles.yaml --root $(DEMO)/home --counters -'
	@HOME=$(DEMO)/home $(BIN_DEBUG) apply Plans/dotfiles.yaml --root $(DEMO)/home --state-dir $(DEMO)/state --counters -
	@echo; echo '$$ mklnk check Plans/dotfiles.yaml --root $(DEMO)/home'
	@HOME=$(DEMO)/home $(BIN_DEBUG) check Plans/dotfiles.yaml --root $(DEMO)/home --state-dir $(DEMO)/state
	@rm -rf $(DEMO).old

man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	cp .build/plugins/GenerateManual/outputs/mklnk/mklnk.1 mklnk.1

completions: release
	mkdir -p .build/completions
	$(BIN_RELEASE) --generate-completion-script bash > .build/completions/mklnk.bash
	$(BIN_RELEASE) --generate-completion-script zsh > .build/completions/_mklnk
	$(BIN_RELEASE) --generate-completion-script fish > .build/completions/mklnk.fish

install: release man completions
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN_RELEASE) $(DESTDIR)$(PREFIX)/bin/mklnk
	install -m 644 mklnk.1 $(DESTDIR)$(PREFIX)/share/man/man1/mklnk.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 644 .build/completions/mklnk.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mklnk
	install -m 644 .build/completions/_mklnk $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mklnk
	install -m 644 .build/completions/mklnk.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mklnk.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mklnk $(DESTDIR)$(PREFIX)/share/man/man1/mklnk.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mklnk \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mklnk $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mklnk.fish

# Workloads W1-W4 against the C floors of bench/floor.c (see bench/workloads.py).
bench: release
	mkdir -p bench/bin && cc -O2 -o bench/bin/floor bench/floor.c
	python3 bench/workloads.py $(BIN_RELEASE) bench/bin/floor

bench-validate: release
	BIN=$(BIN_RELEASE) bash bench/validate_bench.sh

clean:
	rm -rf .build mklnk.1
