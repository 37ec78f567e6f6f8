#!/usr/bin/env bash
# Push sign-in figures (issues 7 and 15), each beside its peer measured in the same run:
#  1. prompt latency, approve round trip and polls per minute: the debug desktop app under Xvfb
#     (tests/e2e/run.sh tests/e2e/push.bench.mjs) against a throwaway privacyIDEA on loopback,
#     shown and unlocked, then hidden + locked with the user active at the desktop, then away
#     (about 10 minutes: each state is measured after 2 minutes in it). The latency is set by
#     the poll interval, not by the build, so the debug app is fair.
#  2. the identity server's cost: privacyIDEA's signed polls per second per fully-used core,
#     beside its /healthz/ (crates/push/examples/server_cost.rs, about 1 minute).
#  3. verification overhead: one polkit verification through a real polkitd and a test agent
#     that answers at once, beside pkcheck on the same daemon (crates/verify/benches/polkit.rs;
#     root only: it installs the polkit action and answers as polkit-agent-helper-1).
# Rows land in $CARGO_TARGET_DIR/bench/*.row.json for scripts/bench_report.py; run alone, this
# script prints them at the end (scripts/bench.sh prints every row once, after all benches).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
out="$CARGO_TARGET_DIR/bench"
mkdir -p "$out"
# This script's rows only, so a part skipped or failed now leaves no figure of an earlier run.
rm -f "$out"/push-*.row.json "$out"/verify-*.row.json
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

step "push: prompt latency, approve round trip, polls per minute (shown; hidden + locked + active; away) against a real privacyIDEA"
# The bench's own tools besides run.sh's: the user's X input, the X idle time, the tray click.
for tool in xdotool xprintidle busctl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (run scripts/setup.sh)" >&2; exit 1; }
done
started=$SECONDS
TESSERA_BENCH_OUT="$out" TESSERA_PUSH_BENCH_N="${PUSH_BENCH_COUNT:-20}" tests/e2e/run.sh tests/e2e/push.bench.mjs
echo "push e2e bench: $((SECONDS - started)) s" >&2

step "push: privacyIDEA's cost of a signed poll per core, beside its /healthz/"
# The client's build (debug, dependencies optimised) does not matter: the figure is the
# server's CPU time per request.
cargo build --quiet --locked -p tessera-push --example server_cost
TESSERA_BENCH_OUT="$out" "$CARGO_TARGET_DIR/debug/examples/server_cost"

step "verification: one polkit round trip (real polkitd, agent answering at once) beside pkcheck"
if [ "$(id -u)" -eq 0 ]; then
    TESSERA_REQUIRE_REAL=1 TESSERA_BENCH_OUT="$out" cargo bench --quiet --locked -p tessera-verify --bench polkit
else
    echo "skipped: the polkit bench needs root (it installs the polkit action and answers as polkit-agent-helper-1)" >&2
fi

if [ -z "${TESSERA_BENCH_ALL:-}" ]; then
    python3 scripts/bench_report.py "$out"
fi
