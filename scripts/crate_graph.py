#!/usr/bin/env python3
"""Draws who depends on whom among the workspace's crates, as a Mermaid graph.

docs/architecture.md carries the graph between two marker lines; `make test` runs this with
`--check` so the picture cannot drift from the Cargo.toml files. `--write` refreshes it.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- crate-graph:begin (scripts/crate_graph.py --write) -->"
END = "<!-- crate-graph:end -->"


def workspace_edges():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    packages = json.loads(out)["packages"]
    names = {p["name"] for p in packages}
    edges = set()
    for package in packages:
        for dep in package["dependencies"]:
            if dep["name"] in names and dep["name"] != package["name"]:
                kind = "dev" if dep["kind"] == "dev" else "normal"
                edges.add((package["name"], dep["name"], kind))
    # A crate both built on and tested with another is drawn once, as the build dependency.
    normal = {(a, b) for a, b, k in edges if k == "normal"}
    edges = {(a, b, k) for a, b, k in edges if k == "normal" or (a, b) not in normal}
    return sorted(names), sorted(edges)


def mermaid():
    names, edges = workspace_edges()
    lines = ["```mermaid", "graph TD"]
    # The web UI is not a crate: it reaches Rust only through the desktop shell's IPC commands.
    lines.append('    ui["ui (Svelte)"] -->|IPC commands| tessera-desktop')
    for name in names:
        if not any(name in (a, b) for a, b, _ in edges):
            lines.append(f"    {name}")
    for a, b, kind in edges:
        arrow = "-.->|tests|" if kind == "dev" else "-->"
        lines.append(f"    {a} {arrow} {b}")
    lines.append("```")
    return "\n".join(lines)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--print"
    graph = mermaid()
    if mode == "--print":
        print(graph)
        return 0
    text = DOC.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    wanted = f"{head}{BEGIN}\n{graph}\n{END}{tail}"
    if mode == "--write":
        DOC.write_text(wanted)
        return 0
    if wanted != text:
        print(
            "docs/architecture.md's crate graph is not what the Cargo.toml files say; "
            "refresh it with scripts/crate_graph.py --write",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
