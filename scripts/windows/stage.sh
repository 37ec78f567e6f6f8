#!/usr/bin/env bash
# The Windows stage of `make test` (called by scripts/test.sh, or alone):
#  1. clippy over the whole workspace (desktop app included) for Windows and for macOS;
#  2. the tests of the CLI, the core, the importers, push, Windows Hello and the cross-crate
#     vault tests, built for x86_64-pc-windows-gnu and run under Wine (cargo nextest: one Wine
#     process per test), against the Windows Credential Manager (keyring's Windows backend,
#     which Wine implements) and a privacyIDEA on the Linux side;
#  3. the Windows `tessera.exe` that build made, smoke-tested under Wine (tests/cli-smoke-windows.sh).
# Nothing here may skip for a missing part (TESSERA_REQUIRE_REAL=1, crates/testkit/src/real.rs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
step() { printf '\n\033[1m==> [%s] %s\033[0m\n' "$(date +%T)" "$*"; }
windows=x86_64-pc-windows-gnu

step "clippy of the whole workspace for Windows and macOS (all targets, warnings are errors)"
# No Apple SDK here: the few C and Objective-C parts of dependencies get a stand-in compiler
# (scripts/macos/cc-stand-in.sh says which and why); all Rust code is checked.
export CC_x86_64_apple_darwin="$PWD/scripts/macos/cc-stand-in.sh"
for target in "$windows" x86_64-apple-darwin; do
    cargo clippy --workspace --all-targets --locked --features tessera-desktop/e2e --target "$target" -- -D warnings
done

step "Windows tests under Wine: CLI, core, importers, push, Windows Hello, vault (Credential Manager, privacyIDEA)"
prefix="$(scripts/windows/wine-prefix.sh)"
export WINEPREFIX="$prefix" WINEDEBUG=-all
# One wineserver for the whole stage: each test runs in a Wine process of its own, and a server
# that outlives them saves its start (about a second) per test. Wine's own services start with
# the first process and live as long as the server: they start here, without the test runner's
# pipes, which they would otherwise hold open (and the runner would wait for them forever).
# A server left by an interrupted run (this prefix is the stage's alone) makes way for it.
wineserver --kill 2>/dev/null || true
wineserver --persistent
wine cmd /c exit </dev/null >/dev/null 2>&1
work="$(mktemp -d)"
pi_dir=""
cleanup() {
    [ -z "$pi_dir" ] || scripts/privacyidea/stop.sh "$pi_dir"
    wineserver --kill || true
    rm -rf "$work"
}
trap cleanup EXIT

# privacyIDEA runs here on the Linux side (a Windows test can start a Linux program under Wine
# but not wait for it) and is shared by every test process: the testkit gives each test a user
# no other process has (crates/testkit/src/pi.rs), so it needs one user per privacyIDEA test.
# It starts while the tests build.
PI_USERS="$(printf 'w%02d ' $(seq 1 40))" PI_WATCH_PID=$$ scripts/privacyidea/start.sh \
    >"$work/pi.out" 2>"$work/pi.err" &
pi_start=$!

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
packages=(-p tessera-cli -p tessera-core -p tessera-transfer -p tessera-push -p tessera-verify -p tessera-tests)
# Builds once for both runs (and lists the tests, which runs each binary under Wine already).
cargo nextest run --no-run --locked --target "$windows" "${packages[@]}"

wait "$pi_start" || { cat "$work/pi.err" >&2; exit 1; }
descriptor="$(tail -n 1 "$work/pi.out")"
pi_dir="$(dirname "$descriptor")"
# TESSERA_REAL_KEYCHAIN: the Wine prefix's Credential Manager is a throwaway keychain.
# Four tests at a time on two cores: a test under Wine mostly waits (on the wineserver, the
# privacyIDEA server, its CLI child processes); 2 threads took 154 s warm, 4 took 132 s, 8 134 s.
TESSERA_REQUIRE_REAL=1 TESSERA_REAL_KEYCHAIN=1 TESSERA_PI_DESCRIPTOR="$descriptor" \
    cargo nextest run --locked --no-fail-fast --test-threads 4 --target "$windows" "${packages[@]}"

step "the Windows CLI under Wine against the Windows Credential Manager"
tests/cli-smoke-windows.sh "${CARGO_TARGET_DIR:-target}/$windows/debug/tessera.exe"
