"""Who an event involves: countries, organisations and people, from the text.

A gazetteer (``lang/<lang>/actors.toml``) names countries by name,
demonym, capital or seat of government ("Tehran said" is Iran) and the
international organisations; news outlets are recognised so that they are
*not* actors.  People are capitalised names introduced by a title or role
("Foreign Minister Dmytro Kuleba", "spokesperson John Kirby"), followed by a
speech verb ("Nasser Kanaani has denied") or by an apposition ("Oleksiy
Danilov, Secretary of ..."); once a document has named a person, the surname
alone ("Kirby said") is that person.  Named organisations end in a head word
("Shahed Aviation Industries").

Transliterations differ between outlets (Zelensky, Zelenskyy, Zelenskiy):
``key`` folds them so that merged events count one person once.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from . import lang as lang_pack
from .lang import alternation

# starts a word only: tried inside a long capitalised token, every position would
# rescan the rest of it (quadratic)
_CAP = r"(?<![\w’'])[A-ZÀ-ÖØ-Þ][\w’'-]*\w"
# capitalised words on one line: "Jens Stoltenberg", "Ali al Rahman", "John F. Kennedy"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_CAP}|[a-z]{{1,3}}(?=[ \t]+[A-Z])|[A-Z]\.))*"


@dataclass(frozen=True)
class Gazetteer:
    alias: dict[str, tuple[str, str]]  # surface -> (canonical, its section: countries, ...)
    pattern: re.Pattern
    media: frozenset[str]
    media_re: re.Pattern
    titled: re.Pattern  # title or role, then a name
    speaker: re.Pattern  # a name, then a speech verb
    apposition: re.Pattern  # a name, then ", the <title> ..."
    org: re.Pattern
    not_names: frozenset[str]
    title_words: frozenset[str]
    articles: frozenset[str]  # capitalised: "The", "A", "An"
    contraction: re.Pattern  # "Ukraine's": no name
    org_heads: frozenset[str]  # "Systems", "Bank": a name ending so is no person's


@cache
def gazetteer(lang: str = "en") -> Gazetteer:
    d = lang_pack.load(lang).actors
    events = lang_pack.load(lang).events
    alias = {}
    for section in ("countries", "organisations"):
        for canon, others in d[section].items():
            for name in (canon, *others):
                alias[name] = (canon, section)
    media = frozenset(d["media"]["names"])
    people = d["people"]
    verbs = [v for v in events["speech"]["verbs"]
             if v.endswith(tuple(people["verb_endings"])) or v in people["verbs_also"]]
    title = alternation(people["titles"])
    role = alternation(people["roles"])
    articles = events["articles"]
    definite = [a for a, v in articles.items() if v == "DEFINITE"]
    # "U.S." ends in a period, so the right boundary is "not a word character next"
    pattern = re.compile(rf"(?<![\w-])(?:{alternation(alias)})(?![\w-])")
    return Gazetteer(
        alias=alias, pattern=pattern, media=media,
        media_re=re.compile(rf"(?<![\w-])(?:{alternation(media)})(?![\w-])"),
        titled=re.compile(rf"(?:(?<![\w-])(?:{title})|\b(?:{role}))"
                          rf"(?:\s+(?:{alternation(people['title_links'])})"
                          rf"(?:\s+(?:{alternation(definite)}))?\s+\S+)?\s+(?P<name>{_NAME})"),
        speaker=re.compile(rf"(?:(?P<name>{_NAME}),?\s+(?:(?:{alternation(people['before_verb'])})"
                           rf"\s+)?(?:{alternation(verbs)})\b|"
                           rf"(?:{alternation(people['introducers'])})\s+(?P<name2>{_NAME}))"),
        apposition=re.compile(rf"(?P<name>{_NAME}),\s+(?:(?:{alternation(articles)})\s+)?"
                              rf"(?:[\w.-]+\s+){{0,3}}(?:{title}|{role})\b"),
        org=re.compile(rf"(?P<name>(?:{_CAP}\s+){{1,4}}"
                       rf"(?:{alternation(d['organisation_heads']['words'])}))\b"),
        not_names=frozenset(people["not_names"]),
        title_words=frozenset(w.rstrip(".") for t in people["titles"] for w in t.split()),
        articles=frozenset(a[:1].upper() + a[1:] for a in articles),
        contraction=re.compile(rf"[’'](?:{alternation(people['clitics'])})$"),
        org_heads=frozenset(d["organisation_heads"]["words"]),
    )


@cache
def gazetteer_names(lang: str = "en") -> tuple[re.Pattern, frozenset[str]]:
    """(a pattern for news outlets, the canonical country and organisation names)."""
    g = gazetteer(lang)
    return g.media_re, frozenset(c for c, _ in g.alias.values())


def gazetteer_surface(text: str, lang: str = "en") -> str | None:
    """The first country or organisation name as written in ``text`` ("U.S.")."""
    m = gazetteer(lang).pattern.search(text)
    return m.group() if m else None


@lru_cache(maxsize=65536)  # names repeat in every clause of a document
def key(name: str) -> str:
    """A spelling-insensitive key for a person's surname or an actor's name."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)  # Zelenskyy / Kanaani
    return re.sub(r"(?:iy|yi|ii)$", "y", s)  # Zelenskiy


def person_key(name: str) -> str:
    return "p:" + key(name.split()[-1])


def actor_key(name: str, lang: str = "en") -> str:
    """The key under which two spellings of one actor are the same actor."""
    hit = gazetteer(lang).alias.get(name)
    if hit:
        return hit[0]
    return person_key(name) if " " in name or name[:1].isupper() else name


def _trim(name: str, g: Gazetteer) -> str | None:
    """The person's name in a captured run of capitalised words, or None:
    leading titles ("Maj Gen") and possessives ("Ukraine's") are cut; a run
    with an organisation word ("National Resistance Center") is no person."""
    words = name.split()
    while words and (words[0].rstrip(".") in g.title_words or words[0] in g.articles
                     or words[0].islower() or g.contraction.search(words[0])):
        words.pop(0)
    while words and words[-1].islower():
        words.pop()
    if not words or words[-1].rstrip(".") in g.title_words or words[-1] in g.org_heads:
        return None  # "Nimbus Systems said": a company, not a person
    if any(w in g.not_names or w in g.alias or w in g.media or g.contraction.search(w)
           for w in words):
        return None
    return " ".join(words)


def _mask(text: str, g: Gazetteer) -> str:
    """Outlets and gazetteer names blanked out (same length), so that "Ukrainian
    President Volodymyr Zelensky" reads as title + name."""
    text = g.media_re.sub(lambda m: " " * len(m.group()), text)
    return g.pattern.sub(lambda m: " " * len(m.group()), text)


@dataclass
class DocumentActors:
    """The people a document names, so that a bare surname can be resolved."""

    people: dict[str, str]  # person key -> fullest name seen
    # find's answers: a document asks about one clause or speaker 2-3 times
    _found: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False,
                                                     compare=False)

    def find(self, text: str, lang: str = "en") -> list[str]:
        """The actors named in ``text``, in order of first appearance."""
        if (text, lang) not in self._found:
            self._found[text, lang] = self._find(text, lang)
        return list(self._found[text, lang])  # (a copy: callers extend it)

    def _find(self, text: str, lang: str) -> list[str]:
        g = gazetteer(lang)
        found: list[tuple[int, str]] = []
        masked = g.media_re.sub(lambda m: " " * len(m.group()), text)
        for m in g.pattern.finditer(masked):
            found.append((m.start(), g.alias[re.sub(r"\s+", " ", m.group())][0]))
        for m in g.org.finditer(masked):
            name = " ".join(m.group("name").split())
            if name not in g.alias and name.split()[0] not in g.not_names:
                found.append((m.start(), name))
        for m in re.finditer(_CAP, masked):
            name = self.people.get(person_key(m.group()))
            if name and m.group() not in g.not_names and m.group() not in g.alias:
                found.append((m.start(), name))
        out, seen = [], set()
        for _, name in sorted(found, key=lambda x: x[0]):
            k = actor_key(name, lang)
            if k not in seen:
                seen.add(k)
                out.append(name)
        return out


def document_actors(text: str, lang: str = "en") -> DocumentActors:
    """Find the people ``text`` introduces (title, role, speech verb, apposition)."""
    g = gazetteer(lang)
    masked = _mask(text, g)
    people: dict[str, str] = {}
    for rx in (g.titled, g.speaker, g.apposition):
        for m in rx.finditer(masked):
            groups = m.groupdict()  # "according to X": X is the second name
            name = _trim(groups.get("name") or groups.get("name2") or "", g)
            if not name or name in g.media:
                continue
            k = person_key(name)
            if len(name) > len(people.get(k, "")):
                people[k] = name
    return DocumentActors(people)
