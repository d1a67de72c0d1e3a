"""Guards of the language pack: English words live in timeline/lang/, not in code.

An AST scan of the stages that read words (the tagger, clauses, speech, events,
actors, furniture, merge): no string literal of theirs is, or (for a regex)
contains, a word of the pack, except the output labels allowed below: names
the model and the TimeML standard give to things (granularities, kinds,
anchor names), which are identifiers, not vocabulary.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from timeline import lang

PKG = Path(__file__).resolve().parents[1] / "timeline"
MODULES = sorted([*(PKG / "temporal").glob("*.py")]) + [
    PKG / f"{m}.py" for m in ("clauses", "speech", "events", "actors", "furniture", "merge")]

# Output labels: values of the model's columns and TimeML attributes, spelled
# as the standard spells them.  Keep this list short; a word that changes
# with the language belongs in the pack.
LABELS = frozenset({
    # granularities (model.Interval.granularity, TIMEX3 value parts)
    "second", "minute", "hour", "day", "week", "month", "quarter", "half", "season",
    "year", "decade", "century", "millennium", "time", "part_of_day",
    # event kinds, roles and anchors (table columns)
    "happened", "expected", "ongoing", "deadline", "statement", "publication",
    "previous", "speech", "report", "reported",
    # tenses (the --tense option, TimeMention.tense)
    "past", "present", "future",
})

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# the pack's own names: table and list names ("clock_words", "DEM_YEAR"), placeholders
_NAME = re.compile(r"_?[A-Z][A-Z0-9_]*|[a-z0-9]+(?:_[a-z0-9]+)+")


def _words(value, out: set[str]) -> None:
    if isinstance(value, str):
        out.add(value.lower().strip())
        out.update(w.lower() for w in _WORD.findall(value) if len(w) > 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            if not _NAME.fullmatch(k):  # a key that is a name is not a word of the language
                _words(k, out)
            _words(v, out)
    elif isinstance(value, list):
        for v in value:
            _words(v, out)


def _values(value, out: set[str]) -> None:
    """The words of the strings a table holds (not of its keys)."""
    if isinstance(value, str):
        out.add(value.lower().strip())
        out.update(w.lower() for w in _WORD.findall(value) if len(w) > 1)
    elif isinstance(value, dict):
        for v in value.values():
            _values(v, out)
    elif isinstance(value, list):
        for v in value:
            _values(v, out)


def pack_words() -> frozenset[str]:
    """Every word of the English pack's word lists and tables (not its rule patterns)."""
    p = lang.load("en")
    out: set[str] = set()
    structure: set[str] = set()  # section and list names: identifiers of the pack
    for part in lang.PARTS:
        d = dict(getattr(p, part))
        d.pop("rule", None)  # patterns are regex text; their words are in named lists
        _words(d, out)
        for k, v in d.items():
            structure.add(k.lower())
            if isinstance(v, dict):
                structure.update(k2.lower() for k2, v2 in v.items() if isinstance(v2, (dict, list)))
    values: set[str] = set()  # a name that is also a word of a list stays a word ("ago")
    for part in lang.PARTS:
        d = dict(getattr(p, part))
        d.pop("rule", None)
        _values(d, values)
    out -= structure - values
    return frozenset(w for w in out if len(w) > 1 and re.fullmatch(r"[a-z][a-z' .’-]*", w))


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


# keyword arguments whose values are a library's options (``searchsorted(side="right")``)
_OPTIONS = frozenset({"side"})
# the codes of the language packs ("en" in ``lang: str = "en"``): names, not words
CODES = frozenset(p.name for p in (PKG / "lang").iterdir() if (p / "temporal.toml").is_file())


def _keys(tree: ast.AST) -> set[int]:
    """Literals that name a key of the pack or a field: ``d["months"]``, ``d.get("words")``,
    ``df[["start", "end"]]``, a regex group (``m.group("name")``, ``c.g("pod")``), ``__slots__``,
    keyword-like identifiers (``"full_date"``) and TimeML constants (``"DATE"``)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            ids.add(id(node.slice))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, (ast.List, ast.Tuple)):
            ids.update(id(n) for n in node.slice.elts if isinstance(n, ast.Constant))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "group"):
            ids.update(id(n) for n in node.args if isinstance(n, ast.Constant))
        elif isinstance(node, ast.keyword) and node.arg in _OPTIONS:
            ids.add(id(node.value))
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets):
            ids.update(id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("get", "pop", "setdefault", "g", "group", "span")
              and node.args and isinstance(node.args[0], ast.Constant)):
            ids.add(id(node.args[0]))
        elif isinstance(node, ast.Raise):  # messages to the user, not vocabulary
            ids.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))
    return ids


_IDENTIFIER = re.compile(r"_?[A-Z][A-Z0-9_]*|[a-z0-9]+(?:_[a-z0-9]+)+")


def names() -> frozenset[str]:
    """Identifiers that are spelled like words: the table's column names
    ("start", "published") and the tagger's rule names ("part-of-day-deictic")."""
    from timeline.table import COLUMNS
    rules = {r["name"] for r in lang.load("en").temporal.get("rule", ())}
    return frozenset(COLUMNS) | frozenset(rules)
_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))|\\[A-Za-z]")


def literal_words(path: Path, words: frozenset[str]) -> list[tuple[int, str, str]]:
    """(line, literal, word) for each pack word found in a string literal of ``path``."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = _docstrings(tree) | _keys(tree)
    identifiers = names()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        s = node.value
        if _IDENTIFIER.fullmatch(s) or s in CODES or s in identifiers:
            continue
        s = _GROUP_NAME.sub(" ", s)
        whole = s.lower().strip()
        if whole in words and whole not in LABELS:
            found.append((node.lineno, s, whole))
            continue
        for w in _WORD.findall(s):
            w = w.lower()
            if len(w) > 2 and w in words and w not in LABELS:
                found.append((node.lineno, s, w))
                break
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_pack_word_is_a_literal_in_code(path):
    found = literal_words(path, pack_words())
    assert not found, "English words in code (move them to timeline/lang/en/):\n" + "\n".join(
        f"  {path.name}:{line}: {word!r} in {lit[:60]!r}" for line, lit, word in found)


def test_the_guard_finds_a_word():
    """The scan itself works: a literal pack word in a module is found."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write('"""doc about yesterday"""\nX = ("last", "next")\nY = r"\\b(?:ago|hence)\\b"\n')
    found = literal_words(Path(f.name), pack_words())
    assert {w for _, _, w in found} >= {"last", "ago"}
