# Tessera: the two commands a newcomer needs are `make run` and `make test` (see README.md).
# Every target installs what it needs first (scripts/setup.sh is idempotent).

SHELL := /bin/bash
# Build cache outside the clone, so fresh clones and CI runs reuse earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/tessera/target
export PATH := $(HOME)/.cache/tessera/tools/bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test bench package setup ui cli lint fmt clean-cache

## run: set everything up and start Tessera (the desktop app; the CLI when no display is present)
run: setup ui
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	    cargo run --quiet -p tessera-desktop -- $(ARGS); \
	else \
	    echo "No display found: starting the tessera CLI instead of the desktop app." >&2; \
	    cargo run --quiet -p tessera-cli --bin tessera -- $(if $(ARGS),$(ARGS),--help); \
	fi

## test: set everything up and run every test, lint and check (what CI runs)
test: setup
	scripts/test.sh

## bench: print every benchmark figure beside its reference tool, as a ratio
bench: setup
	scripts/bench.sh

## package: the .deb, the Windows installer and the AppImage, each checked (Wine, Xvfb); prints their folder
package: setup
	scripts/package.sh

setup:
	scripts/setup.sh

ui:
	cd ui && npm run build

## cli: build the release `tessera` CLI as it ships (static on Linux) and print its path
cli: setup
	@scripts/build-cli.sh

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all
