#!/usr/bin/env python3
"""Reports import cycles between the modules of Rust crates (no build, no dependencies).

Usage: scripts/modcycles.py CRATE_DIR...   (each a directory with src/lib.rs or src/main.rs)

Every `crate::…`, `super::…` and `self::…` path (in `use` trees, nested `{}` groups included,
and inline in code; comments and literals are skipped) is an edge from the module it is
written in to the deepest module it names. A reference between a module and one of its
ancestors is not a cycle (a parent uses its children; children use their parent's items).
Any other edge A -> B is lifted to the lowest common ancestor P of A and B: it becomes an edge
between the two children of P that contain A and B. Each such graph must be acyclic, so that
every module's children can be read in one order, each needing only those before it.
Exits 1 and prints each cycle as a chain with one `file:line` per edge.
"""

import os
import re
import sys
from collections import defaultdict

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def blank(text):
    """The text with comments, string and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)

    def keep_lines(s):
        return "".join(c if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(keep_lines(text[i:j]))
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(text, i)) and (
            i == 0 or not re.match(r"\w", text[i - 1])
        ):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            out.append(keep_lines(text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(keep_lines(text[i : j + 1]))
            i = j + 1
        elif c == "'" and (m := re.compile(r"'(\\.[^']*|[^\\'])'").match(text, i)):
            # A char literal; a lifetime ('a) has no closing quote right after one char.
            out.append(" " * (m.end() - i))
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_top(s):
    """Splits a use-tree group body at its top-level commas."""
    parts, depth, cur = [], 0, []
    for c in s:
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        depth += c == "{"
        depth -= c == "}"
        cur.append(c)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def expand_use(tree):
    """`a::{b::{c, d}, e as f}` -> [[a, b, c], [a, b, d], [a, e]]."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    brace = tree.find("{")
    if brace < 0:
        return [[s for s in tree.split("::") if s and s != "*"]]
    prefix = [s for s in tree[:brace].split("::") if s]
    paths = []
    for part in split_top(tree[brace + 1 : tree.rindex("}")]):
        paths += [prefix + sub for sub in expand_use(part)]
    return paths or [prefix]


class Crate:
    def __init__(self, root_file):
        self.children = defaultdict(set)  # module tuple -> child names
        self.refs = []  # (from module, path segments, file, line)
        self.load(root_file, (), is_dir_owner=True)

    def load(self, path, module, is_dir_owner):
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        text = blank(raw)
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

        def line_of(off):
            lo, hi = 0, len(line_starts)
            while lo + 1 < hi:
                mid = (lo + hi) // 2
                if line_starts[mid] <= off:
                    lo = mid
                else:
                    hi = mid
            return lo + 1

        # Where inline `mod x { … }` blocks start and end, to know each offset's module.
        base_dir = os.path.dirname(path)
        if not is_dir_owner:
            base_dir = os.path.join(base_dir, os.path.splitext(os.path.basename(path))[0])
        stack = []  # (name, depth at which it closes)
        depth = 0
        inline_at = {
            m.start(2): m.group(1)
            for m in re.finditer(rf"\bmod\s+({IDENT})\s*(\{{)", text)
        }
        module_at = [None] * (len(text) + 1)
        for i, c in enumerate(text):
            if c == "{":
                if i in inline_at:
                    stack.append((inline_at[i], depth))
                depth += 1
            elif c == "}":
                depth -= 1
                if stack and stack[-1][1] == depth:
                    stack.pop()
            module_at[i] = module + tuple(name for name, _ in stack)

        def mod_of(off):
            return module_at[min(off, len(text) - 1)] if text else module

        # Inline modules are modules too.
        for off, name in inline_at.items():
            parent = mod_of(off - 1) if off else module
            self.children[parent].add(name)

        # File modules: `mod x;`, with an optional #[path = "…"] just before.
        for m in re.finditer(rf"\bmod\s+({IDENT})\s*;", text):
            name = m.group(1)
            owner = mod_of(m.start())
            self.children[owner].add(name)
            nested = owner[len(module) :]
            before = raw[max(0, m.start() - 200) : m.start()]
            attr = re.search(r'#\[path\s*=\s*"([^"]+)"\]\s*(#\[[^\]]*\]\s*|pub(\([^)]*\))?\s*)*$', before)
            if attr:
                target = os.path.normpath(os.path.join(os.path.dirname(path), attr.group(1)))
                self.load(target, owner + (name,), is_dir_owner=target.endswith("mod.rs"))
                continue
            d = os.path.join(base_dir, *nested)
            for candidate, owns in ((os.path.join(d, name + ".rs"), False), (os.path.join(d, name, "mod.rs"), True)):
                if os.path.exists(candidate):
                    self.load(candidate, owner + (name,), is_dir_owner=owns)
                    break
            else:
                print(f"warning: {path}: no file for `mod {name};`", file=sys.stderr)

        # `use` trees (groups expanded), then paths inline in code.
        covered = []
        for m in re.finditer(r"\buse\s+([^;]*);", text):
            covered.append((m.start(), m.end()))
            for segs in expand_use(m.group(1)):
                self.refs.append((mod_of(m.start()), segs, path, line_of(m.start())))
        for m in re.finditer(rf"(?<![\w$])(?:crate|super|self)(?:\s*::\s*{IDENT})+", text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            segs = re.split(r"\s*::\s*", m.group(0))
            self.refs.append((mod_of(m.start()), segs, path, line_of(m.start())))

    def resolve(self, here, segs):
        """The deepest module a path names, or None (an external crate, a child's item…)."""
        if not segs:
            return None
        head, rest = segs[0], segs[1:]
        if head == "crate":
            cur = ()
        elif head in ("super", "self"):
            cur = here
            while segs and segs[0] in ("super", "self"):
                if segs[0] == "super":
                    cur = cur[:-1]
                segs = segs[1:]
            rest = segs
        else:
            return None
        for s in rest:
            if s in self.children.get(cur, ()):
                cur = cur + (s,)
            else:
                break
        return cur


def tarjan(graph):
    index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [c for c in sccs if len(c) > 1]


def shortest_cycle(graph, comp, start):
    """A shortest cycle through `start` inside its strongly connected `comp` (breadth first)."""
    members = set(comp)
    prev, frontier = {start: None}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, ())):
                if w not in members:
                    continue
                if w == start:
                    chain = [v]
                    while prev[chain[-1]] is not None:
                        chain.append(prev[chain[-1]])
                    return list(reversed(chain)) + [start]
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start]


def check(crate_dir):
    roots = [os.path.join(crate_dir, "src", f) for f in ("lib.rs", "main.rs")]
    bin_dir = os.path.join(crate_dir, "src", "bin")
    if os.path.isdir(bin_dir):
        roots += [os.path.join(bin_dir, f) for f in sorted(os.listdir(bin_dir)) if f.endswith(".rs")]
    found = 0
    for root in (r for r in roots if os.path.exists(r)):
        crate = Crate(root)
        graphs = defaultdict(lambda: defaultdict(set))  # parent -> child -> {child}
        where = {}
        for here, segs, path, line in crate.refs:
            there = crate.resolve(here, segs)
            if there is None:
                continue
            k = 0
            while k < min(len(here), len(there)) and here[k] == there[k]:
                k += 1
            if k == len(here) or k == len(there):
                continue  # the same module, or an ancestor and its descendant
            parent, a, b = here[:k], here[k], there[k]
            graphs[parent][a].add(b)
            where.setdefault((parent, a, b), f"{os.path.relpath(path)}:{line}")
        for parent in sorted(graphs):
            graph = graphs[parent]
            for comp in tarjan(graph):
                # One shortest cycle through each module not yet shown in one, so every
                # module caught in the tangle appears with the references that tie it.
                shown = set()
                for start in sorted(comp):
                    if start in shown:
                        continue
                    found += 1
                    cycle = shortest_cycle(graph, comp, start)
                    shown.update(cycle)
                    name = "::".join(("crate",) + parent)
                    print(f"{os.path.relpath(root)}: import cycle among the children of {name}:")
                    for a, b in zip(cycle, cycle[1:]):
                        print(f"    {a} -> {b}    ({where[(parent, a, b)]})")
    return found


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    total = sum(check(d) for d in argv[1:])
    if total:
        print(f"{total} import cycle(s); break each by moving the shared part down into a module both can use.")
        return 1
    print(f"no import cycles in {len(argv) - 1} crate(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
