"""The import graph of the timeline package, by stage, and its rule.

    python scripts/imports.py            # the graph, stage by stage, then the check
    python scripts/imports.py --check    # only the check: exit 1 on a violation

Data flows up the stages below (first = lowest). A module may import from
its own stage or from a stage below it, never from one above, and the
module graph has no cycle. Every import counts, the ones inside functions
too: a lazy import is still a dependency.

    1  model        the data model (Document, TimeMention, Event)
    2  lang         the language packs
    3  temporal     the tagger and resolver (timeline/temporal/)
    4  sources      the readers: files and records in, Documents out, and the
                    one publication-date parser (timeline/sources/)
    5  events       clauses, speech, actors, places, furniture, events: a document's events
    6  table        events -> the mention table (pandas)
    7  merge        mentions of one happening -> one row
    8  datewords    an interval in words (the one wording of page, exports, density)
    9  outputs      density, labels, render, export: charts, the page, table formats
    10 pipeline     one Document -> its mentions and rows, the one failure policy
    11 engines      objectstore, store, partition, windows, scale, distributed: parallel
                    builds, the store (on object storage too)
    12 api          api, progress, the package itself (timeline/__init__.py)
    13 evaluation   evaluate, eventeval: scores against gold (eventeval builds
                    timelines through the API)
    14 cli          cli, __main__

The table sits under merge (merge works on table rows) and datewords under
the outputs that share it; the evaluation tools are clients of the API, as
the CLI is.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = "timeline"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("model", ("model", "atomic", "budget", "locking", "shown", "urls")),  # the data model and leaf utilities
    ("lang", ("lang",)),
    ("temporal", ("temporal",)),
    ("sources", ("sources",)),
    ("events", ("furniture", "clauses", "speech", "actors", "places", "events")),
    ("table", ("table",)),
    ("merge", ("pairs", "merge")),
    ("datewords", ("datewords",)),
    ("outputs", ("density", "labels", "render", "export", "summarize")),
    ("pipeline", ("pipeline",)),
    ("engines", ("objectstore", "store", "partition", "windows", "scale", "distributed")),
    ("api", ("api", "progress", "")),
    ("evaluation", ("evaluate", "eventeval")),
    ("cli", ("cli", "__main__")),
]

# Upward imports known to go away on another branch; tolerated (and named in
# the output) until then, and reported as stale once they are gone.
PENDING = {
    ("timeline.temporal.resolve", "timeline.temporal.extract"):
        "a late import closing the cycle extract <-> resolve inside the temporal "
        "stage (resolve._resolve_span calls extract.find); for the owner of temporal/",
}


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def stage_of(module: str) -> int:
    """The stage number (0 = lowest) of a module of the package."""
    rest = module.split(".")[1:]
    head = rest[0] if rest else ""
    for n, (_, names) in enumerate(STAGES):
        if head in names:
            return n
    raise KeyError(f"{module}: in no stage; add it to STAGES in {__file__}")


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports (anywhere in the file)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from . import x": x may be a module; else the names come from target
            targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target
                       for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # timeline.sources.records.x -> the module
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def upward(g: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) where the imported module's stage is above the importer's."""
    return sorted((a, b) for a, bs in g.items() for b in bs if stage_of(b) > stage_of(a))


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
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
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def check(g: dict[str, set[str]] | None = None) -> tuple[list[str], list[str]]:
    """(violations, notes): upward imports and cycles not in PENDING; notes name
    the tolerated ones and stale PENDING entries."""
    g = graph() if g is None else g
    problems, notes = [], []
    up = upward(g)
    for a, b in up:
        if (a, b) in PENDING:
            notes.append(f"tolerated: {a} imports {b} ({STAGES[stage_of(b)][0]} is above "
                         f"{STAGES[stage_of(a)][0]}): {PENDING[a, b]}")
        else:
            problems.append(f"upward import: {a} ({STAGES[stage_of(a)][0]}) imports "
                            f"{b} ({STAGES[stage_of(b)][0]})")
    for a, b in sorted(PENDING):
        if b not in g.get(a, ()):
            notes.append(f"stale: {a} no longer imports {b}; drop it from PENDING")
    for comp in cycles(g):
        notes.append("tolerated import cycle: " + " <-> ".join(comp))
    for comp in cycles({a: {b for b in bs if (a, b) not in PENDING} for a, bs in g.items()}):
        problems.append("import cycle: " + " <-> ".join(comp))
    return problems, notes


def show(g: dict[str, set[str]]) -> str:
    by_stage = defaultdict(list)
    for name in g:
        by_stage[stage_of(name)].append(name)
    lines = []
    for n in sorted(by_stage, reverse=True):
        lines.append(f"{n + 1:>2} {STAGES[n][0]}")
        for name in sorted(by_stage[n]):
            deps = ", ".join(f"{b.removeprefix(PACKAGE + '.')}"
                             + ("" if stage_of(b) < n else " (same stage)" if stage_of(b) == n
                                else " (ABOVE)")
                             for b in sorted(g[name], key=lambda b: (-stage_of(b), b)))
            lines.append(f"     {name.removeprefix(PACKAGE + '.') or PACKAGE:<20} <- {deps or '-'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    g = graph()
    if "--check" not in argv:
        print(show(g))
        print()
    problems, notes = check(g)
    for line in notes + problems:
        print(line)
    edges = sum(len(v) for v in g.values())
    print(f"{len(g)} modules, {edges} imports: "
          + (f"{len(problems)} violation(s)" if problems else
             "no upward import, no cycle"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
