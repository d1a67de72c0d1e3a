"""Every key of the event-stage packs (events.toml, merge.toml, actors.toml) is
read by some code: some module of timeline/ names each table and each of its
settings, with the tables it is in, by string literals (``d["speech"]["verbs"]``,
``w.get("channels")``), so a key nothing reads, or a misspelt one, fails here.

Tables whose keys are data (words, names, kinds) are read by iterating them:
only their own name must appear.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from timeline import lang

PKG = Path(__file__).resolve().parents[1] / "timeline"
PARTS = ("events", "merge", "actors")

# tables whose keys are words or names of the language, read as data
DATA_TABLES = {
    "events": {("articles",), ("pronouns",), ("speech", "headline"), ("speech", "report_headline"),
               ("speech", "plural", "verbs"), ("clauses", "relatives")},
    "merge": {("classes",), ("landmarks", "sides")},
    "actors": {("countries",), ("organisations",)},
}


@cache
def code_literals() -> tuple[frozenset[str], ...]:
    """The string literals of each module of the package."""
    return tuple(frozenset(node.value for node in ast.walk(ast.parse(path.read_text("utf-8")))
                      if isinstance(node, ast.Constant) and isinstance(node.value, str))
            for path in sorted(PKG.rglob("*.py")))


def key_paths(value, data: set[tuple[str, ...]], path: tuple[str, ...] = ()):
    """The paths of the keys that name a table or a setting: ("speech", "words",
    "nouns"), and inside lists of tables ("stemmer", "rules", "suffix")."""
    if isinstance(value, dict):
        if path in data:
            return
        for k, v in value.items():
            yield (*path, k)
            yield from key_paths(v, data, (*path, k))
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, dict):
                yield from key_paths(v, data, path)


def unread(part: str) -> list[str]:
    modules = code_literals()
    pack = getattr(lang.load("en"), part)
    return sorted({".".join(p) for p in key_paths(pack, DATA_TABLES[part])
                   if not any(set(p) <= names for names in modules)})


@pytest.mark.parametrize("part", PARTS)
def test_every_key_is_read_by_code(part):
    missing = unread(part)
    assert not missing, f"keys of timeline/lang/en/{part}.toml nothing reads: {missing}"


def word_lists(value, path=()):
    """(path, list) of each list of strings in ``value``."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from word_lists(v, (*path, k))
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield path, value
        else:
            for v in value:
                yield from word_lists(v, path)


@pytest.mark.parametrize("part", PARTS)
def test_each_word_once_in_its_list(part):
    twice = [(".".join(path), w) for path, words in word_lists(getattr(lang.load("en"), part))
             for w in sorted(set(words)) if words.count(w) > 1]
    assert not twice


def test_data_tables_exist():
    """The exemptions name tables that are there (a renamed table is checked again)."""
    p = lang.load("en")
    for part, tables in DATA_TABLES.items():
        for path in tables:
            d = getattr(p, part)
            for k in path:
                d = d[k]
            assert isinstance(d, dict) and d, (part, path)


def test_the_check_finds_an_unread_key(monkeypatch):
    p = lang.load("en")
    events = {**p.events, "unused_table": {"never_read_setting": 1}}
    monkeypatch.setattr(lang, "load", lambda code="en": type(p)(
        code=p.code, temporal=p.temporal, events=events, merge=p.merge, actors=p.actors))
    assert unread("events") == ["unused_table", "unused_table.never_read_setting"]
