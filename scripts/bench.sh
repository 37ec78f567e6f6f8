#!/usr/bin/env bash
# Prints every benchmark figure beside its peer, measured in the same run, as a ratio.
# `make bench` runs this after scripts/setup.sh. Results also land in $CARGO_TARGET_DIR/bench/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
out="$CARGO_TARGET_DIR/bench"
rm -rf "$out" && mkdir -p "$out"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

step "build the release CLI"
cargo build --quiet --release --locked -p tessera-cli
tessera="$CARGO_TARGET_DIR/release/tessera"

secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
uri="otpauth://totp/Bench:alice?secret=$secret&issuer=Bench"

step "tessera code --uri vs oathtool --totp (process wall time, hyperfine)"
hyperfine --style basic --shell=none --warmup 30 --runs 300 \
    --export-json "$out/code-uri.json" \
    "$tessera code --uri $uri" \
    "oathtool --totp -b $secret" >&2

step "codes per second: tessera core (criterion) vs oathtool generating a window of codes"
# oathtool --window N prints N+1 consecutive codes from one process: its generation rate.
window=200000
hyperfine --style basic --shell=none --warmup 1 --runs 5 \
    --export-json "$out/oathtool-window.json" \
    "oathtool --totp -b $secret -w $window" >&2
cargo bench --quiet --locked -p tessera-core --bench codes -- --noplot \
    --warm-up-time 1 --measurement-time 3 2>&1 | tee "$out/codes.txt" >&2

step "vault: open 10,000 accounts beside the floor (read + decrypt + parse), save with fsync"
cargo bench --quiet --locked -p tessera-core --bench vault -- --noplot 2>&1 | tee "$out/vault.txt" >&2

scripts/bench_qr.sh

python3 scripts/bench_report.py "$out" "$window"
