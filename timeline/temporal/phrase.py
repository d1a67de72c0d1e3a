"""One phrase resolved whole (``timeline resolve``): the expressions the tagger
finds in it composed where English composes them ("a week from Tuesday",
"two days before May 5"), and the words no expression read reported, so that an
answer is never silently for part of the phrase.

The tagger keeps TimeML's extents (a duration and the date it counts from are
two TIMEX3); composing them is for a caller who asked about the whole phrase.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta

from ..model import Interval, TimeMention
from . import calendar as cal

_DURATION = re.compile(r"P(?:(\d+)([DWMY])|T(\d+)([HM]))")
_CAL_UNIT = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_WORD = re.compile(r"[^\W_]+(?:['’.:-][^\W_]+)*")


@dataclass(frozen=True)
class Reading:
    """What a phrase means: ``mention`` (None when no expression is in it) and the
    words of the phrase that nothing read (``unread``, in order)."""

    mention: TimeMention | None
    unread: tuple[str, ...] = ()


def compose(text: str, mentions: list[TimeMention], lex, duration=None) -> list[TimeMention]:
    """A counted duration, a direction word and a dated expression right after it
    are one date: "a week from Tuesday", "two days before May 5", "three weeks
    after Christmas". The result keeps the dated expression's granularity.
    ``duration(words)``: the TIMEX3 value of a duration alone, for an offset the
    tagger read on its own ("two years after" an earlier date, then "1990")."""
    directions = lex.data["compose"]["directions"]
    out: list[TimeMention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        step, way = None, None
        if b is not None and b.interval is not None and b.dated and b.mod is None:
            if a.type == "DURATION":
                step, way = _DURATION.fullmatch(a.value), _direction(text, a, b)
            elif duration is not None and not text[a.end:b.start].strip():
                last = a.text.split()[-1].lower() if a.text.split() else ""
                if last in directions:  # "two years after" + "1990"
                    value = duration(a.text[:len(a.text) - len(last)].strip())
                    step, way = _DURATION.fullmatch(value or ""), last
        if step and way in directions:
            out.append(_shifted(text, a, b, step, directions[way]))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _direction(text: str, a: TimeMention, b: TimeMention) -> str:
    """The words between ``a`` and ``b``: the signal the tagger gave ``b``
    ("from", "before"), or what stands between them."""
    gap = " ".join(text[a.phrase_end:b.phrase_start].split()).lower()
    return b.signal.lower() if b.signal and not gap else gap


def _shifted(text, a: TimeMention, b: TimeMention, step, sign: int) -> TimeMention:
    iv = b.interval
    if b.deadline:  # "two days before May 5": May 5 itself, not the wait until it
        iv = Interval(cal.shift(iv.end, iv.granularity, -1), iv.end, iv.granularity) \
            if iv.granularity != "time" else iv
    if step.group(1):
        n, unit = int(step.group(1)) * sign, _CAL_UNIT[step.group(2)]
        start, gran = cal.shift(iv.start, unit, n), iv.granularity
        if gran in ("time", "day") or cal.floor(start, gran) != start:
            gran = "day" if gran != "time" else gran  # "a week from May": a day, no finer
            start = cal.floor(start, gran)
        end = cal.shift(start, gran, 1) if gran != "time" else start + (iv.end - iv.start)
    else:
        delta = timedelta(hours=int(step.group(3))) if step.group(4) == "H" \
            else timedelta(minutes=int(step.group(3)))
        start, end, gran = iv.start + sign * delta, iv.end + sign * delta, iv.granularity
    value = cal.timex(start, gran)
    return replace(b, text=text[a.start:b.end], start=a.start, end=b.end, value=value,
                   interval=Interval(start, end, gran), rule=f"{a.rule}+offset+{b.rule}",
                   phrase=text[a.phrase_start:b.phrase_end], phrase_start=a.phrase_start,
                   signal=a.signal, deadline=a.deadline, range=None)


def unread(text: str, mentions: list[TimeMention], lex) -> tuple[str, ...]:
    """The words of ``text`` outside every mention's phrase, but for the words
    that frame a date without adding to it ("on", "in", "the")."""
    framing = lex.data["compose"]["framing"]
    spans = [(m.phrase_start if m.phrase_start >= 0 else m.start, max(m.phrase_end, m.end))
             for m in mentions]
    out = []
    for w in _WORD.finditer(text):
        if any(s <= w.start() and w.end() <= e for s, e in spans):
            continue
        if w.group().lower() not in framing:
            out.append(w.group())
    return tuple(out)


def read(text: str, mentions: list[TimeMention], lex, duration=None) -> Reading:
    """The longest composed expression of ``text``, and the words nothing read."""
    composed = compose(text, mentions, lex, duration)
    if not composed:
        return Reading(None, unread(text, [], lex))
    best = max(composed, key=lambda m: (m.phrase_end - m.phrase_start, -m.start))
    return Reading(best, unread(text, [best], lex))
