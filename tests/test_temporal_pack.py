"""The temporal part of the language pack: its rules, its keys, what it sets on mentions."""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from timeline import lang
from timeline.model import Document
from timeline.temporal import tag
from timeline.temporal.lexicon import load

PKG = Path(__file__).resolve().parents[1] / "timeline"
PUBLISHED = date(2022, 11, 3)

_RULES = [(r.name, ex) for r in load().rules for ex in r.examples]


@pytest.mark.parametrize("rule,example", _RULES, ids=[f"{r}:{e}" for r, e in _RULES])
def test_every_example_is_tagged_by_its_own_rule(rule, example):
    """A rule's examples show what that rule does: no other rule takes them."""
    found = [(m.rule, m.text) for m in tag(example, PUBLISHED)]
    assert rule in [r for r, _ in found], f"{example!r} is tagged by {found}, not by {rule!r}"


def test_every_rule_has_examples():
    assert all(r.examples for r in load().rules)


# ------------------------------------------------------------- keys read --
# Tables whose keys are words of the language, each with its meaning (a row:
# "january" = 1): the code reads the table as a whole, not key by key.
WORD_TABLES = frozenset({
    "months", "weekdays", "numbers", "vague_numbers", "ordinal_words", "ordinals", "units",
    "seasons", "holidays", "parts_of_day", "modifiers", "windows", "relative", "decades",
    "deictic_days", "deictic_parts_of_day", "part_words", "clock_words", "meridiem",
    "set_adverbs", "frequency_words", "quantifiers", "offset", "clock_parts_of_day",
    "unit_abbreviations", "unit_multiples", "number_suffixes", "twice_removed",
})


def _code_literals() -> dict[Path, set[str]]:
    out = {}
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        out[path] = {n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return out


def _placeholders(data: dict) -> set[str]:
    used = set()
    for r in data["rule"]:
        used.update(re.findall(r"\{([A-Z_]+)\}", r["pattern"]))
        used.update(r["anchors"])
    return used


def test_every_key_of_temporal_toml_is_read():
    """Each table of temporal.toml is named in timeline/ code, and each key of a
    table that is not a word table is named in a module that names the table,
    or (named lists, anchor words) used by a rule."""
    data = lang.load("en").temporal
    literals = _code_literals()
    used_by_rules = _placeholders(data)
    every = set().union(*literals.values())
    unread = []
    for table, value in data.items():
        if table == "rule":
            continue
        if table not in every:
            unread.append(table)
            continue
        if table in WORD_TABLES or not isinstance(value, dict):
            continue
        modules = [lits for lits in literals.values() if table in lits]
        for key in value:
            if key in used_by_rules and table in ("lists", "anchor_words"):
                continue
            if not any(key in lits for lits in modules):
                unread.append(f"{table}.{key}")
    assert not unread, f"keys of temporal.toml that no code reads: {unread}"


def test_every_named_list_is_used_by_a_rule():
    data = lang.load("en").temporal
    used = _placeholders(data)
    assert set(data["lists"]) <= used
    assert set(data["anchor_words"]) <= used


# -------------------------------------------------------------- deadline --

@pytest.mark.parametrize("text,extent", [
    ("The treaty must be signed no later than December 1, officials said.", "December 1"),
    ("The deal must be closed before the end of this year.", "the end of this year"),
    ("Talks will continue until Friday.", "Friday"),
    ("Parliament will vote by March.", "March"),
])
def test_deadline_signals_mark_the_mention(text, extent):
    m = next(m for m in tag(text, PUBLISHED) if m.text == extent)
    assert m.deadline


@pytest.mark.parametrize("text,extent", [
    ("The treaty was signed on December 1.", "December 1"),
    ("He has lived there since 2019.", "2019"),
    ("Talks will resume after Friday.", "Friday"),
])
def test_other_signals_are_no_deadline(text, extent):
    m = next(m for m in tag(text, PUBLISHED) if m.text == extent)
    assert not m.deadline


def test_no_later_than_is_a_deadline_in_the_table():
    """The table's deadline column is the tagger's: every deadline signal of the
    pack counts, not only before/by/until (a bug: "no later than" was False)."""
    from timeline.pipeline import Mentions

    doc = Document("d1", "The treaty must be signed no later than December 1, officials said.",
                   published=PUBLISHED)
    rows = Mentions()
    assert rows.add(doc) is None
    df = rows.table()
    row = df[df["expression"].str.contains("December 1")].iloc[0]
    assert bool(row["deadline"])
    assert row["start"].date() == PUBLISHED and row["end"].date() == date(2022, 12, 2)
