#!/usr/bin/env python3
"""Prints Tessera's benchmark figures beside their peers (same run) as ratios.

Reads hyperfine JSON exports and criterion's estimates from the bench output folder, and the
ready-made rows (*.row.json) the app, QR, push, verification and server-cost benches write.
A section whose input is missing is left out, so a part run alone (scripts/bench_push.sh)
prints its own rows.
Usage: bench_report.py OUT_DIR [OATHTOOL_WINDOW]
"""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
window = int(sys.argv[2]) if len(sys.argv) > 2 else None
criterion = pathlib.Path(out).parent / "criterion"
rows = []


def hyperfine_means(name):
    data = json.loads((out / name).read_text())
    return [r["mean"] for r in data["results"]]


def fmt_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.2f} {unit}"
    return f"{seconds / 1e-9:.2f} ns"


def fmt_rate(per_second):
    for unit, scale in (("M/s", 1e6), ("k/s", 1e3)):
        if per_second >= scale:
            return f"{per_second / scale:.2f} {unit}"
    return f"{per_second:.0f} /s"


# 1. tessera code --uri vs oathtool --totp: lower is better, ratio = tessera / oathtool.
if (out / "code-uri.json").exists():
    tessera, oathtool = hyperfine_means("code-uri.json")
    rows.append(("`tessera code --uri` wall time", fmt_time(tessera), "oathtool --totp",
                 fmt_time(oathtool), f"{tessera / oathtool:.2f}x", "<= 1.5x"))

# 2. code generation rate: criterion per-code time vs oathtool's window generation rate.
codes = window is not None and (out / "oathtool-window.json").exists()
if codes:
    (oath_window,) = hyperfine_means("oathtool-window.json")
    oath_rate = (window + 1) / oath_window
for estimates in sorted(criterion.glob("**/new/estimates.json")) if codes else []:
    bench_dir = estimates.parent.parent
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    if not bench["group_id"].startswith("codes"):
        continue
    mean_ns = json.loads(estimates.read_text())["mean"]["point_estimate"]
    elements = (bench.get("throughput") or {}).get("Elements", 1)
    rate = elements * 1e9 / mean_ns
    rows.append((f"codes/s {bench['full_id']}", fmt_rate(rate), "oathtool -w (SHA-1)",
                 fmt_rate(oath_rate), f"{rate / oath_rate:.2f}x faster", "report"))

# 3. vault: open vs the floor measured in the same bench run; save reported.
def criterion_mean(group, name):
    path = criterion / group / name / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["mean"]["point_estimate"] * 1e-9


floor = criterion_mean("vault_10k", "floor_read_decrypt_parse")
opened = criterion_mean("vault_10k", "open_keychain")
saved = criterion_mean("vault_10k", "save_with_fsync")
if floor and opened:
    rows.append(("open vault, 10,000 accounts", fmt_time(opened), "floor: read+decrypt+parse",
                 fmt_time(floor), f"{opened / floor:.2f}x", "<= 1.5x"))
if saved:
    rows.append(("save vault, 10,000 accounts (fsync)", fmt_time(saved), "-", "-", "-", "report"))

# Vault and app figures are appended by their own benches when they exist.
for extra in sorted(out.glob("*.row.json")):
    rows.append(tuple(json.loads(extra.read_text())))

headers = ("figure", "tessera", "peer", "peer value", "ratio", "target")
widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
print("\n" + line)
print("-" * len(line))
for r in rows:
    print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
