#!/usr/bin/env bash
# Prints every benchmark figure beside its peer, measured in the same run, as a ratio.
# `make bench` runs this after scripts/setup.sh. Results also land in $CARGO_TARGET_DIR/bench/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
out="$CARGO_TARGET_DIR/bench"
rm -rf "$out" && mkdir -p "$out"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

step "build the release CLI (as it ships: scripts/build-cli.sh)"
cargo build --quiet --release --locked -p tessera-cli --example bench_vault
tessera="$(scripts/build-cli.sh)"

secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
uri="otpauth://totp/Bench:alice?secret=$secret&issuer=Bench"

step "tessera code --uri vs oathtool --totp (process wall time, hyperfine)"
hyperfine --style basic --shell=none --warmup 30 --runs 300 \
    --export-json "$out/code-uri.json" \
    "$tessera code --uri $uri" \
    "oathtool --totp -b $secret" >&2

step "tessera code QUERY on a 1,000-account vault (real keychain look-up) vs oathtool --totp"
# A private Secret Service (scripts/with-keyring.sh) with a throwaway service name; the vault is
# bound to it, so every run looks the key up there as a user's `tessera code` does.
# shellcheck disable=SC2016 # expanded by the inner bash, which gets its own arguments
scripts/with-keyring.sh bash -c '
    set -euo pipefail
    vault_dir="$(mktemp -d)"
    trap "rm -rf \"$vault_dir\"" EXIT
    export TESSERA_VAULT="$vault_dir/vault.tessera" TESSERA_KEYCHAIN_SERVICE="tessera-bench-$$"
    "$1" "$TESSERA_VAULT" 1000
    "$2" code "Issuer 0500" >/dev/null
    # As a user runs it: the first command of the login session asked the Secret Service, the
    # next ones read the kernel-keyring copy (crates/core/src/keystore/session_cache.rs).
    hyperfine --style basic --shell=none --warmup 30 --runs 300 \
        --export-json "$3/code-vault.json" \
        "$2 code '"'"'Issuer 0500'"'"'" \
        "oathtool --totp -b $4" >&2
    # Every run through the Secret Service (the first command of a session, or the cache off).
    TESSERA_KEY_CACHE_SECONDS=0 hyperfine --style basic --shell=none --warmup 10 --runs 100 \
        --export-json "$3/code-vault-uncached.json" \
        "$2 code '"'"'Issuer 0500'"'"'" >&2
    "$2" lock 2>/dev/null
' _ "$CARGO_TARGET_DIR/release/examples/bench_vault" "$tessera" "$out" "$secret"
python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
ours, peer = (r["mean"] for r in json.loads((out / "code-vault.json").read_text())["results"])
ms = lambda s: f"{s * 1e3:.2f} ms"
row = ["`tessera code QUERY`, 1,000 accounts, keychain", ms(ours), "oathtool --totp", ms(peer),
       f"{ours / peer:.2f}x", "<= 2x"]
(out / "code-vault.row.json").write_text(json.dumps(row))
cold = json.loads((out / "code-vault-uncached.json").read_text())["results"][0]["mean"]
row = ["`tessera code QUERY`, 1,000 accounts, first in a session (Secret Service)", ms(cold),
       "oathtool --totp", ms(peer), f"{cold / peer:.2f}x", "report"]
(out / "code-vault-uncached.row.json").write_text(json.dumps(row))
PY

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

step "desktop app beside otpclient: cold start, idle CPU, memory (PSS), .deb size"
scripts/bench_app.sh

TESSERA_BENCH_ALL=1 scripts/bench_push.sh

python3 scripts/bench_report.py "$out" "$window"
