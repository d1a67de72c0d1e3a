"""Repeated blocks of code inside the timeline package.

    python scripts/duplicates.py [--min-nodes N] [PACKAGE_DIR]

Compares runs of consecutive statements (in any block: a module, a function
body, a loop's body...) by their syntax tree with every variable and
argument name blanked, so a copy that was re-wrapped or renamed still
matches; pylint's duplicate-code checker compares lines of text and misses
those (it finds nothing in this package either way). A run is reported when
it has at least ``--min-nodes`` syntax nodes (default 40, about four lines
of real code) and occurs in two places that do not overlap; a run inside a
longer reported one is not repeated. Exit code 1 if anything is reported
that ALLOWED does not list.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "timeline"
MIN_NODES = 40

# Repeats that are kept on purpose: (file, first line) of any one copy -> why.
ALLOWED: dict[tuple[str, int], str] = {
    ("timeline/events.py", 329): "one call to clauses.clause with the frame's bounds, three "
                                 "times in events.title (the events stage's owner may fold it)",
    ("timeline/temporal/resolve.py", 362): "the century of a two-digit decade, twice in "
                                           "resolve.decade (the temporal stage's owner may fold it)",
}


class _Blank(ast.NodeTransformer):
    """Variable and argument names blanked; attributes, calls and literals kept."""

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

    def visit_arg(self, node):
        node.arg, node.annotation = "_", None
        return node



def _key(stmt: ast.stmt) -> tuple[str, int]:
    tree = _Blank().visit(ast.parse(ast.unparse(stmt)))
    return ast.dump(tree), sum(not isinstance(n, ast.expr_context) for n in ast.walk(stmt))


def _blocks(tree: ast.AST):
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
        for h in getattr(node, "handlers", ()) or ():
            yield h.body


def _docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
        and isinstance(stmt.value.value, str)


def scan(root: Path = ROOT, min_nodes: int = MIN_NODES) -> list[list[tuple[str, int, int]]]:
    """Groups of places [(file, first line, last line)] holding the same run."""
    runs: dict[tuple, list[tuple[str, int, int]]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        for block in _blocks(tree):
            stmts = [s for s in block if not _docstring(s)
                     and not isinstance(s, (ast.Import, ast.ImportFrom))]
            keys = [_key(s) for s in stmts]
            for i in range(len(stmts)):
                nodes, sig = 0, []
                for j in range(i, len(stmts)):
                    sig.append(keys[j][0])
                    nodes += keys[j][1]
                    if nodes >= min_nodes:
                        runs[tuple(sig)].append((rel, stmts[i].lineno, stmts[j].end_lineno))
    groups = []
    for places in runs.values():
        apart: list[tuple[str, int, int]] = []
        for f, a, b in sorted(set(places)):  # a run repeating itself is one place
            if not any(f == f2 and a <= b2 for f2, _, b2 in apart):
                apart.append((f, a, b))
        if len(apart) > 1:
            groups.append(apart)
    groups.sort(key=lambda g: -sum(b - a for _, a, b in g))
    kept: list[list[tuple[str, int, int]]] = []
    for g in groups:  # drop runs inside a longer reported run
        inside = all(any(f == f2 and a2 <= a and b <= b2 for k in kept for f2, a2, b2 in k)
                     for f, a, b in g)
        if not inside:
            kept.append(g)
    return sorted(kept)


def main(argv: list[str]) -> int:
    min_nodes = MIN_NODES
    if "--min-nodes" in argv:
        i = argv.index("--min-nodes")
        min_nodes = int(argv[i + 1])
        del argv[i:i + 2]
    root = Path(argv[0]) if argv else ROOT
    bad = 0
    groups = scan(root, min_nodes)
    for g in groups:
        why = next((ALLOWED[f, a] for f, a, _ in g if (f, a) in ALLOWED), None)
        bad += why is None
        print(("allowed: " + why if why else "repeated block") + ":")
        for f, a, b in g:
            print(f"    {f}:{a}-{b}")
    print(f"{len(groups)} repeated block(s), {bad} not allowed (at least {min_nodes} nodes)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
