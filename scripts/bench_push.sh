#!/usr/bin/env bash
# Push sign-in latency (issue 7): the debug desktop app under Xvfb (tests/e2e/run.sh) against a
# throwaway privacyIDEA on loopback, 20 sign-ins. Rows land in $CARGO_TARGET_DIR/bench/push-*.row.json
# for scripts/bench_report.py. The latency is dominated by the 3 s poll interval, not by the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
out="$CARGO_TARGET_DIR/bench"
mkdir -p "$out"
printf '\n\033[1m==> %s\033[0m\n' "push: prompt latency and approve round trip against a real privacyIDEA" >&2
TESSERA_BENCH_OUT="$out" TESSERA_PUSH_BENCH_N="${PUSH_BENCH_COUNT:-20}" tests/e2e/run.sh tests/e2e/push.bench.mjs
