"""The language pack: every word the pipeline knows, read once per process.

A language is a folder ``timeline/lang/<code>/`` of four TOML files, one per
stage that reads words:

- ``temporal.toml``: the tagger's rules, named word lists and word-to-meaning
  tables (months, units, "last" -> -1, deadline signals, tense cues);
- ``events.toml``: sentences (abbreviations), clauses, speech frames, kinds,
  page furniture;
- ``merge.toml``: what makes two mentions one happening (stop words, synonyms,
  suffixes, thresholds);
- ``actors.toml``: the gazetteer of countries, organisations, people's titles.

No other module opens a language file: they call :func:`load` and read the
section they need.  Regex alternations of words are built by
:func:`alternation` only, so every list is matched the same way (longest
first, a space matching any run of white space).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

PARTS = ("temporal", "events", "merge", "actors")


@dataclass(frozen=True)
class Pack:
    """One language's data, a dict per file (read-only by convention)."""
    code: str
    temporal: dict
    events: dict
    merge: dict
    actors: dict

    def plural(self, word: str) -> str:
        """The plural of an English-like noun, from the pack's plural rules."""
        return plural(self, word)

    def singular(self, word: str) -> str:
        return singular(self, word)


@cache
def load(lang: str = "en") -> Pack:
    """The pack of ``lang``, parsed once per process."""
    folder = resources.files("timeline.lang").joinpath(lang)
    if not folder.is_dir():
        raise ValueError(f"no language pack {lang!r} (timeline/lang/{lang}/ does not exist)")
    parts = {}
    for part in PARTS:
        raw = folder.joinpath(f"{part}.toml").read_bytes()
        try:
            parts[part] = tomllib.loads(raw.decode("utf-8"))
        except tomllib.TOMLDecodeError as e:  # a broken pack names its file
            raise ValueError(f"timeline/lang/{lang}/{part}.toml: {e}") from None
    return Pack(code=lang, **parts)


def alternation(words, *, group: bool = False) -> str:
    """A regex alternation of ``words``: longest first (ties alphabetical, so the
    pattern never depends on set order), escaped, a space matching ``\\s+``."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    return f"(?:{body})" if group else body


def _plural_rules(pack: Pack) -> dict:
    return pack.temporal.get("morphology", {})


def plural(pack: Pack, word: str) -> str:
    m = _plural_rules(pack)
    irregular = m.get("irregular_plurals", {})
    if word in irregular:
        return irregular[word]
    for suffix, repl, keep_before in m.get("plural_suffixes", ()):
        if word.endswith(suffix) and (not keep_before or word[-len(suffix) - 1:-len(suffix)]
                                      not in keep_before):
            return word[: len(word) - len(suffix)] + repl
    return word + m.get("plural_default", "s")


def singular(pack: Pack, word: str) -> str:
    m = _plural_rules(pack)
    for sing, plu in m.get("irregular_plurals", {}).items():
        if word == plu:
            return sing
    for suffix, repl, keep_before in m.get("plural_suffixes", ()):
        if repl and word.endswith(repl) and len(word) > len(repl):
            return word[: len(word) - len(repl)] + suffix
    default = m.get("plural_default", "s")
    return word[: -len(default)] if word.endswith(default) and len(word) > len(default) else word
