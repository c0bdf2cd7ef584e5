# mklnk — build, test, install. `make help` lists the targets.
PREFIX ?= /usr/local
SWIFT  ?= swift
BIN_DEBUG   := .build/debug/mklnk
BIN_RELEASE := .build/release/mklnk
DEMO   ?= /tmp/mklnk-demo

.PHONY: help deps pydeps build release dist test test-unit test-crash test-dist test-dotbot test-ansible test-fuzz fuzz test-sanitizers install uninstall clean demo man completions bench bench-validate

help:
	@echo "make deps      install libyaml-dev and strace when missing (apt)"
	@echo "make build     debug build"
	@echo "make test      unit, CLI and golden tests, the strace crash sweep, a short fuzz, the release"
	@echo "               tarball, dotbot differential and Ansible tests"
	@echo "make test-sanitizers  the test suite under AddressSanitizer, then ThreadSanitizer"
	@echo "make fuzz      each libFuzzer target for FUZZ_SECONDS (default 600) in .build-fuzz"
	@echo "make demo      apply Plans/dotfiles.yaml to a scratch home in $(DEMO)"
	@echo "make release   optimised build in $(BIN_RELEASE)"
	@echo "make dist      release tarball and SHA256SUMS in $(DIST_DIR)/"
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
	python3 -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

# The dotbot differential and Ansible tests run the real tools from PyPI, pinned, in a venv
# under .build; without network they say SKIPPED (and fail under MKLNK_REQUIRE_PY_TOOLS=1).
PYTOOLS := $(CURDIR)/.build/pytools
PY_PINS := ansible-core==2.19.14 dotbot==1.24.1
PY_CHECK := import importlib.metadata as m; assert [m.version(p) for p in ("ansible-core", "dotbot")] == ["2.19.14", "1.24.1"]

pydeps:
	@$(PYTOOLS)/bin/python -c '$(PY_CHECK)' 2>/dev/null || { \
	  python3 -m venv $(PYTOOLS) && $(PYTOOLS)/bin/pip install -q $(PY_PINS); } \
	  || echo "pydeps: SKIPPED: could not install $(PY_PINS); the dotbot and Ansible tests will say SKIPPED" >&2

build: deps
	$(SWIFT) build

# libyaml goes into the release binary when its static archive is there (libyaml-dev ships one),
# so a release needs nothing beyond the C and C++ runtime: SwiftPM is pointed at a pkg-config
# file whose library directory holds only libyaml.a. The binary is removed first because SwiftPM
# does not relink when only pkg-config's answer changed, and the extra linker flag makes it write
# its build description anew.
YAML_LIBDIR := $(shell pkg-config --variable=libdir yaml-0.1 2>/dev/null)
STATIC_YAML := $(CURDIR)/.build/static-yaml
STATIC_ENV  := $(if $(wildcard $(YAML_LIBDIR)/libyaml.a),PKG_CONFIG_PATH=$(STATIC_YAML))

release: deps
	@if [ -n "$(STATIC_ENV)" ]; then mkdir -p $(STATIC_YAML) && ln -sf $(YAML_LIBDIR)/libyaml.a $(STATIC_YAML)/libyaml.a && \
	  printf 'Name: LibYAML\nDescription: libyaml, linked statically\nVersion: %s\nCflags: %s\nLibs: -L$(STATIC_YAML) -lyaml\n' \
	    "$$(pkg-config --modversion yaml-0.1)" "$$(pkg-config --cflags yaml-0.1)" > $(STATIC_YAML)/yaml-0.1.pc && \
	  rm -f $(BIN_RELEASE); fi
	$(STATIC_ENV) $(SWIFT) build -c release $(if $(STATIC_ENV),-Xlinker --as-needed)

# The version is written once, in Sources/MklnkCLI/Version.swift.
VERSION   := $(shell sed -n 's/^let mklnkVersion = "\(.*\)"$$/\1/p' Sources/MklnkCLI/Version.swift)
DIST_DIR  ?= dist
DIST_NAME := mklnk-$(VERSION)-linux-$(shell uname -m)

# The man page comes from the release binary itself: the GenerateManual plugin (`make man`)
# would relink that binary against the shared libyaml.
dist: release completions
	rm -rf $(DIST_DIR)/$(DIST_NAME) && mkdir -p $(DIST_DIR)/$(DIST_NAME)/completions
	$(SWIFT) build --product generate-manual
	$$($(SWIFT) build --show-bin-path)/generate-manual $(BIN_RELEASE) -o $(DIST_DIR)/$(DIST_NAME)
	strip -o $(DIST_DIR)/$(DIST_NAME)/mklnk $(BIN_RELEASE)
	cp README.md LICENSE $(DIST_DIR)/$(DIST_NAME)/
	cp .build/completions/mklnk.bash .build/completions/_mklnk .build/completions/mklnk.fish $(DIST_DIR)/$(DIST_NAME)/completions/
	tar -C $(DIST_DIR) --owner=0 --group=0 --numeric-owner -czf $(DIST_DIR)/$(DIST_NAME).tar.gz $(DIST_NAME)
	rm -rf $(DIST_DIR)/$(DIST_NAME)
	cd $(DIST_DIR) && sha256sum $(DIST_NAME).tar.gz > SHA256SUMS
	@echo "$(DIST_DIR)/$(DIST_NAME).tar.gz"

test: build test-unit test-crash test-fuzz test-dist test-dotbot test-ansible

test-dist: dist
	bash Tests/dist/dist_test.sh $(DIST_DIR) $(VERSION)

# dotbot and ansible-core come from PyPI, pinned in .ci/run; without them these say SKIPPED.
test-dotbot: build pydeps
	PATH="$(PYTOOLS)/bin:$$PATH" bash Tests/dotbot/differential.sh $(BIN_DEBUG)

test-ansible: dist pydeps
	PATH="$(PYTOOLS)/bin:$$PATH" bash Tests/ansible/ansible_test.sh $(DIST_DIR) $(VERSION)

test-unit:
	$(SWIFT) test

test-crash:
	bash Tests/crash/strace_sweep.sh $(BIN_DEBUG)
	MKLNK_PARALLEL_STEPS=0 MKLNK_SWEEP_TREES="many odd" bash Tests/crash/strace_sweep.sh $(BIN_DEBUG)
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
	rm -rf .build mklnk.1 $(DIST_DIR)
