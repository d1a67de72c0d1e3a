"""From dated mentions to events: sentences, clauses, titles, kinds.

Takes a Document and its TimeMentions (temporal stage) and returns Events.
Page furniture (headings, link lists, share widgets) never yields events.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .model import Document, Event, TimeMention
from .temporal import calendar as cal
from .temporal.lexicon import load as load_temporal

_SENT_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\w[\w’'.-]*")
_FINAL = re.compile(r"[.!?…:;\"”’)\]]\s*$")


@dataclass(frozen=True)
class _Data:
    abbreviations: frozenset[str]
    furniture: tuple[str, ...]
    max_heading_words: int
    separators: re.Pattern
    min_words: int
    whole_sentence_words: int
    openers: frozenset[str]
    title_words: int
    attribution: re.Pattern
    verb: re.Pattern  # a finite verb cue: the clause says something happened
    lead: re.Pattern  # "Kirby said that ..." at the start of a clause
    tail: re.Pattern  # "..., Kirby said" at the end


@cache
def _data(lang: str = "en") -> _Data:
    raw = resources.files("timeline").joinpath(f"resources/events_{lang}.toml").read_bytes()
    d = tomllib.loads(raw.decode("utf-8"))
    verbs = sorted(d["attribution"]["verbs"], key=len, reverse=True)
    name = r"(?:[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|for))*)"
    attribution = re.compile(
        rf"(?P<who>{name})\s+(?:{'|'.join(map(re.escape, verbs))})\b"
        rf"|according\s+to\s+(?:the\s+)?(?P<who2>{name})")
    tl = load_temporal(lang)
    cues = set(tl.tense_past) | set(tl.tense_present) | set(tl.tense_future) | set(verbs)
    verb = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(cues, key=len, reverse=True)))
                      + r"|\w{3,}ed)\b", re.IGNORECASE)
    said = "|".join(map(re.escape, verbs))
    pron = r"[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e"
    lead = re.compile(rf"^(?:{name}|{pron})\s+(?:{said})(?:\s+that)?\s+")
    tail = re.compile(rf"[,\s]*[\"”’]?,?\s*(?:{name}|{pron})\s+(?:{said})\b[^,;]*$")
    return _Data(
        abbreviations=frozenset(d["abbreviations"]["words"]),
        furniture=tuple(d["furniture"]["starts"]),
        max_heading_words=d["furniture"]["max_heading_words"],
        separators=re.compile("|".join(map(re.escape, d["clauses"]["separators"]))),
        min_words=d["clauses"]["min_words"],
        whole_sentence_words=d["clauses"]["whole_sentence_words"],
        openers=frozenset(d["clauses"]["openers"]),
        title_words=d["titles"]["max_words"],
        attribution=attribution,
        verb=verb, lead=lead, tail=tail,
    )


# -------------------------------------------------------------- sentences --

def _is_furniture(line: str, data: _Data) -> bool:
    s = line.strip()
    low = s.lower()
    if not s or low.startswith(data.furniture):
        return True
    words = _WORD.findall(s)
    return not _FINAL.search(s) and len(words) <= data.max_heading_words


def sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) offsets of the article's sentences, furniture left out."""
    data = _data(lang)
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip())
        pos += len(line)
        if _is_furniture(line, data):
            continue
        start += len(line) - len(line.lstrip())
        s = start
        for m in _SENT_END.finditer(text, start, end):
            prev = text[s:m.start()].split()
            token = prev[-1].lower().strip("“\"(") if prev else ""
            if token in data.abbreviations or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue  # "U.S." or "Oct." does not end a sentence
            spans.append((s, m.end()))
            s = m.end()
            while s < end and text[s].isspace():
                s += 1
        if s < end:
            spans.append((s, end))
    return spans


# ---------------------------------------------------------------- clauses --

def _clause(text: str, s: int, e: int, m: TimeMention, data: _Data) -> tuple[int, int]:
    """The clause of sentence [s, e) that contains the mention, widened until it
    says something beyond the date itself."""
    cuts = [s] + [x.end() for x in data.separators.finditer(text, s, e)] + [e]
    segs = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    i = next((k for k, (a, b) in enumerate(segs) if a <= m.start < b), 0)
    lo = hi = i
    date_words = len(_WORD.findall(m.phrase or m.text))

    def words(a, b):
        return len(_WORD.findall(text[segs[a][0]:segs[b][1]])) - date_words
    def has_verb(a, b):
        return data.verb.search(text, segs[a][0], segs[b][1]) is not None
    while (words(lo, hi) < data.min_words or not has_verb(lo, hi)) and (
            lo > 0 or hi < len(segs) - 1):
        if hi < len(segs) - 1:
            hi += 1
        else:
            lo -= 1
    a, b = segs[lo][0], segs[hi][1]
    chunk = text[a:b]
    b = a + len(chunk.rstrip(" ,;:–—-"))
    a += len(chunk) - len(chunk.lstrip())
    return a, b


def _title(clause: str, m: TimeMention, offset: int, data: _Data) -> str:
    """A short label: the clause without its date phrase, opener or quotes."""
    ps, pe = m.phrase_start - offset, m.phrase_end - offset
    if 0 <= ps < pe <= len(clause):
        before = clause[:ps].split()
        if len(before) > data.title_words:  # the date sits deep in a long clause:
            return "…" + " ".join(before[-data.title_words:]).rstrip(",;:")  # what it dates
        clause = clause[:ps] + clause[pe:]
    clause = re.sub(r"\s+([,.;:])", r"\1", " ".join(clause.split()))
    clause = data.tail.sub("", data.lead.sub("", clause)) or clause
    clause = clause.strip(" ,;:–—-\"“”‘’")
    words = clause.split()
    while words and words[0].lower().strip(",") in data.openers:
        words.pop(0)
    if not words:
        return m.phrase or m.text
    title = " ".join(words[: data.title_words]).rstrip(",;:")
    if len(words) > data.title_words:
        title += "…"
    else:
        title = title.rstrip(".")
    return title[0].upper() + title[1:]


def _kind(m: TimeMention, clause: str, published) -> str:
    iv = m.interval
    if m.signal in load_temporal().deadline_signals:
        return "expected"
    if iv is not None and published is not None:
        pub = cal.as_datetime(published)
        if iv.start > pub:
            return "expected"
        if m.value == "PRESENT_REF" or (m.tense == "present" and iv.start <= pub < iv.end):
            return "ongoing"
    low = f" {clause.lower()} "
    if m.tense == "future" or any(f" {w} " in low for w in ("will", "plans to", "is expected to",
                                                             "are expected to", "is due to")):
        return "expected"
    if m.value == "PRESENT_REF":
        return "ongoing"
    return "happened"


def _attribution(sentence: str, data: _Data) -> str | None:
    m = data.attribution.search(sentence)
    if not m:
        return None
    who = (m.group("who") or m.group("who2") or "").strip()
    return who or None


def extract_events(doc: Document, mentions: list[TimeMention], lang: str = "en") -> list[Event]:
    """One event per dated mention (DATE/TIME) in a sentence of the article."""
    data = _data(lang)
    spans = sentences(doc.text, lang)
    events = []
    j = 0
    for m in mentions:
        if m.type not in ("DATE", "TIME"):
            continue  # durations and sets date no event by themselves
        while j < len(spans) and spans[j][1] <= m.start:
            j += 1
        if j == len(spans) or spans[j][0] > m.start:
            continue  # in page furniture
        s, e = spans[j]
        ca, cb = _clause(doc.text, s, e, m, data)
        # short sentences read best whole; long ones are cut to the clause
        whole = len(_WORD.findall(doc.text, s, e)) <= data.whole_sentence_words
        a, b = (s, e) if whole else (ca, cb)
        head = doc.text[ca:cb].lstrip("“\"‘ ")
        subjectless = data.verb.match(head) is not None  # "abandoned the deal, in 2018"
        ta, tb = (a, b) if subjectless else (ca, cb)
        events.append(Event(
            doc_id=doc.id, text=doc.text[a:b], char_start=a, char_end=b,
            sentence=doc.text[s:e], mention=m,
            title=_title(doc.text[ta:tb], m, ta, data),
            kind=_kind(m, doc.text[ca:cb], doc.published),
            attribution=_attribution(doc.text[s:e], data),
        ))
    return events
