"""Durations counted from an event the article dates elsewhere: "the bodies were
found a day after the collapse", with "the bridge collapsed early Tuesday" in
another sentence, is Wednesday.  TimeML tags the duration ("a day", P1D); the
mention also names that day (``TimeMention.dates``), for the event table.

The event is found by its word: a word of the noun phrase after the signal and
its determiner ("the collapse", "the container ship"; not a clause: "after
Ukraine said") whose stem a sentence with a day-precise
date shares ("collapsed ... early Tuesday").  With no such sentence the
duration stays a duration: a wrong anchor would date the clause wrongly."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from datetime import timedelta

from ..model import Interval, TimeMention
from . import calendar as cal
from .lexicon import load
from .tense import clause_tense, sentence_bounds

_COUNT = re.compile(r"P(T?)(\d+)([YMWDH])")
_UNITS = {("", "Y"): "year", ("", "M"): "month", ("", "W"): "week", ("", "D"): "day",
          ("T", "H"): "hour"}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=None)
def _follow(lang: str) -> re.Pattern:
    """The signal and the event's noun phrase right after a duration ("after the collapse")."""
    data = load(lang).data["event_anchors"]
    signals = sorted([*data["before"], *data["after"]], key=len, reverse=True)
    return re.compile(r"\s+(?P<sig>" + "|".join(map(re.escape, signals)) + r")\s+(?:"
                      + "|".join(map(re.escape, data["determiners"]))
                      + r")\s+(?P<np>(?:[^\W\d_]+[\s,]+){0,%d}[^\W\d_]+)" % (data["words"] - 1),
                      re.IGNORECASE)


def anchor_on_events(text: str, mentions: list[TimeMention], lex, dct=None) -> list[TimeMention]:
    data = lex.data["event_anchors"]
    waits = frozenset(data["not_after"])
    sides = {w: -1 for w in data["before"]} | {w: 1 for w in data["after"]}
    # days the article names (not ones it guessed from another: "the hours before")
    dated = [m for m in mentions if m.type in ("DATE", "TIME") and m.interval is not None
             and m.interval.granularity in ("day", "time")
             and m.anchor in ("absolute", "publication")]
    if not dated:
        return mentions
    near: dict = {}  # a dated mention's start -> its sentence and the stems of words near it
    out = []
    for m in mentions:
        count = _COUNT.fullmatch(m.value) if m.type == "DURATION" and m.interval is None else None
        f = _follow(lex.lang).match(text, m.end) if count else None
        unit = count and _UNITS.get((count.group(1), count.group(3)))
        if not f or not unit or _waits(text, m, waits):
            out.append(m)
            continue
        event = _event_day(text, m, f.group("np"), dated, near, lex)
        tense = clause_tense(text, m.start, m.end, lex)
        # a present clause tells how long ago the event was ("is still in port
        # two months after the collapse"): it is about now, not that day
        if event is None or tense == "present":
            out.append(m)
            continue
        n = int(count.group(2)) * sides[" ".join(f.group("sig").lower().split())]
        try:
            if unit == "hour" and event.granularity != "time":  # hours from a day: that
                at = event.start + timedelta(days=int(n / 24))  # day, unless whole days
            elif unit in ("hour", "week"):
                at = event.start + timedelta(**{unit + "s": n})
            else:
                at = cal.shift(cal.floor(event.start, "day"), unit, n)
        except (ValueError, OverflowError):  # "5000 years before the flood": no datetime
            out.append(m)
            continue
        at = cal.floor(at, "day")
        if dct is not None and at > dct and tense != "future":
            out.append(m)  # an act told as done dated after publication: a wrong anchor
            continue
        out.append(replace(m, interval=Interval(at, at + timedelta(days=1), "day"),
                           anchor="previous", dates=True,
                           phrase=text[m.phrase_start:f.end()], phrase_end=f.end()))
    return out


def _waits(text: str, m: TimeMention, waits: frozenset[str]) -> bool:
    """A wait or a stretch, not an offset: "it will be three years before the beds
    recover", "for 7 days after the onset", "the 24 hours before the blast"."""
    before = _WORD.findall(text[max(0, m.start - 30):m.start])
    first = _WORD.match(m.text)
    return bool(before and before[-1].lower() in waits) or bool(
        first and first.group().lower() in waits)


def _event_day(text: str, m: TimeMention, phrase: str, dated: list[TimeMention], near: dict,
               lex) -> Interval | None:
    """The interval of the earliest named day (the event; later reports recall it)
    whose sentence has a word of ``phrase`` near it; None when the duration's own
    sentence has a day ("declared on Tuesday night, 18 hours after the crash")."""
    data = lex.data["event_anchors"]
    stem, reach = data["stem"], data["reach"]
    words = {w.lower()[:stem] for w in _WORD.findall(phrase) if len(w) >= data["shortest_word"]}
    own = sentence_bounds(text, m.start, m.end, lex.abbreviations)
    best = None
    for d in dated:
        if d.start not in near:
            bounds = sentence_bounds(text, d.start, d.end, lex.abbreviations)
            window = text[max(bounds[0], d.start - reach):min(bounds[1], d.end + reach)]
            near[d.start] = bounds, {w.lower()[:stem] for w in _WORD.findall(window)
                                     if len(w) >= stem}
        bounds, stems = near[d.start]
        if bounds == own:
            return None
        if words & stems and (best is None or d.interval.start < best.start):
            best = d.interval
    return best
