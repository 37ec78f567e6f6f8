#!/usr/bin/env bash
# QR decoding beside zbarimg, same files, same run (issue 5):
#  1. the full synthetic corpus: decode rate, wrong strings, false positives, and median/p95 time
#     per size class (decode alone, load + decode) beside `zbarimg --raw -q` on each file;
#  2. one 4K PNG screenshot as whole commands: `tessera scan FILE` (the release CLI as it ships,
#     scripts/build-cli.sh) vs `zbarimg --raw -q FILE` (hyperfine), target <= 0.3x.
# Figures also land as *.row.json in $CARGO_TARGET_DIR/bench for scripts/bench_report.py.
# Env: QR_BENCH_COUNT (default 300 images).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tessera/target}"
out="$CARGO_TARGET_DIR/bench"
mkdir -p "$out"
corpus="$(mktemp -d -t tessera-qr-corpus.XXXXXX)"
trap 'rm -rf "$corpus"' EXIT

command -v zbarimg >/dev/null || { echo "zbarimg missing: apt-get install zbar-tools" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine missing (scripts/setup.sh installs it)" >&2; exit 1; }

printf '\n\033[1m==> QR corpus: tessera-qr vs zbarimg\033[0m\n' >&2
cargo bench --quiet -p tessera-qr --bench decode_corpus -- \
    --count "${QR_BENCH_COUNT:-300}" --dir "$corpus" --rows "$out"

printf '\n\033[1m==> 4K PNG file, whole commands: tessera scan vs zbarimg\033[0m\n' >&2
tessera="$(scripts/build-cli.sh)"
pngs=("$corpus"/*-4K-*-png-1codes.png)
file="${pngs[0]}"
"$tessera" scan "$file" >&2
hyperfine --style basic --shell=none --warmup 3 --runs 30 \
    --export-json "$out/qr-scan-file.json" \
    "$tessera scan $file" "zbarimg --raw -q $file" >&2

python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
ours, zbar = [r["mean"] for r in json.loads((out / "qr-scan-file.json").read_text())["results"]]
row = ["`tessera scan` 4K PNG (whole command)", f"{ours*1e3:.1f} ms", "zbarimg --raw -q",
       f"{zbar*1e3:.1f} ms", f"{ours/zbar:.2f}x", "<= 0.3x"]
(out / "qr-scan-file.row.json").write_text(json.dumps(row))
print(f"\n4K PNG whole command: tessera scan {ours*1e3:.1f} ms, zbarimg {zbar*1e3:.1f} ms, ratio {ours/zbar:.2f}x (target <= 0.3x)")
PY
