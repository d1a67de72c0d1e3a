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
from datetime import timedelta

from ..model import Interval, TimeMention
from . import calendar as cal
from .tense import clause_tense, sentence_bounds

_COUNT = re.compile(r"P(T?)(\d+)([YMWDH])")
_UNITS = {("", "Y"): "year", ("", "M"): "month", ("", "W"): "week", ("", "D"): "day",
          ("T", "H"): "hour"}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def anchor_on_events(text: str, mentions: list[TimeMention], lex, dct=None) -> list[TimeMention]:
    data = lex.data["event_anchors"]
    stem, shortest = data["stem"], data["shortest_word"]
    waits = frozenset(data["not_after"])
    reach = data["reach"]
    sides = {w: -1 for w in data["before"]} | {w: 1 for w in data["after"]}
    follow = re.compile(r"\s+(?P<sig>" + "|".join(map(re.escape, sorted(sides, key=len, reverse=True)))
                        + r")\s+(?:" + "|".join(map(re.escape, data["determiners"]))
                        + r")\s+(?P<np>(?:[^\W\d_]+[\s,]+){0,%d}[^\W\d_]+)" % (data["words"] - 1),
                        re.IGNORECASE)
    # days the article names (not ones it guessed from another: "the hours before")
    dated = [m for m in mentions if m.type in ("DATE", "TIME") and m.interval is not None
             and m.interval.granularity in ("day", "time")
             and m.anchor in ("absolute", "publication")]
    if not dated:
        return mentions
    stems_of = {}  # a dated mention's sentence -> the stems of its words
    out = []
    for m in mentions:
        count = _COUNT.fullmatch(m.value) if m.type == "DURATION" and m.interval is None else None
        f = follow.match(text, m.end) if count else None
        unit = count and _UNITS.get((count.group(1), count.group(3)))
        before = _WORD.findall(text[max(0, m.start - 30):m.start])
        first = _WORD.match(m.text)
        if not f or not unit or (before and before[-1].lower() in waits) \
                or (first and first.group().lower() in waits):  # "the 24 hours before"
            out.append(m)  # "it will be three years before the beds recover": a wait
            continue
        words = {w.lower()[:stem] for w in _WORD.findall(f.group("np")) if len(w) >= shortest}
        own = sentence_bounds(text, m.start, m.end, lex.abbreviations)
        best, dated_already = None, False
        for d in dated:
            bounds = sentence_bounds(text, d.start, d.end, lex.abbreviations)
            if bounds == own:  # "declared on Tuesday night, 18 hours after the crash"
                dated_already = True
                break
            if d.start not in stems_of:  # the words near the date in its sentence
                near = text[max(bounds[0], d.start - reach):min(bounds[1], d.end + reach)]
                stems_of[d.start] = {w.lower()[:stem] for w in _WORD.findall(near)
                                     if len(w) >= stem}
            if words & stems_of[d.start]:  # the earliest: the event later reports recall
                key = (d.interval.start, d.start)
                if best is None or key < best[0]:
                    best = (key, d)
        tense = clause_tense(text, m.start, m.end, lex)
        # a present clause tells how long ago the event was ("is still in port
        # two months after the collapse"): it is about now, not that day
        if best is None or dated_already or tense == "present":
            out.append(m)
            continue
        anchor = best[1].interval
        n = int(count.group(2)) * sides[" ".join(f.group("sig").lower().split())]
        if unit == "hour" and anchor.granularity != "time":  # hours from a day: that day
            at = anchor.start + timedelta(days=int(n / 24))  # unless they make whole days
        elif unit in ("hour", "week"):
            at = anchor.start + timedelta(**{unit + "s": n})
        else:
            at = cal.shift(cal.floor(anchor.start, "day"), unit, n)
        at = cal.floor(at, "day")
        if dct is not None and at > dct and tense != "future":
            out.append(m)  # an act told as done dated after publication: a wrong anchor
            continue
        out.append(replace(m, interval=Interval(at, at + timedelta(days=1), "day"),
                           anchor="previous", dates=True,
                           phrase=text[m.phrase_start:f.end()], phrase_end=f.end()))
    return out
