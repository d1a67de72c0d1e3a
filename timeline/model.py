"""The small frozen records that flow through the pipeline.

sources -> Document; temporal -> TimeMention (with an Interval); events -> Event.
No logic here beyond validation and plain serialisation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

GRANULARITIES = (
    "time", "day", "week", "month", "quarter", "half", "season",
    "year", "decade", "century", "fuzzy",
)
ANCHORS = ("publication", "previous", "absolute", "none")
KINDS = ("happened", "ongoing", "expected")


@dataclass(frozen=True, slots=True)
class Document:
    """One article. ``published`` may be None (undated document)."""

    id: str
    text: str
    published: date | datetime | None = None
    title: str | None = None
    source: str | None = None  # outlet, e.g. "Reuters"
    url: str | None = None
    lang: str = "en"
    path: str | None = None  # the file it was read from, for messages

    @property
    def published_date(self) -> date | None:
        p = self.published
        return p.date() if isinstance(p, datetime) else p


@dataclass(frozen=True, slots=True)
class Interval:
    """A calendar span, ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime
    granularity: str

    def __post_init__(self):
        if not self.start < self.end:
            raise ValueError(f"empty interval {self.start} .. {self.end}")
        if self.granularity not in GRANULARITIES:
            raise ValueError(f"unknown granularity {self.granularity!r}")

    def to_json(self) -> dict:
        return {"start": _iso(self.start), "end": _iso(self.end),
                "granularity": self.granularity}


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A temporal expression found in a text and what it resolves to.

    ``text``/``start``/``end`` are the TimeML extent (``Document.text[start:end]
    == text``); ``phrase``/``phrase_start``/``phrase_end`` the fuller phrase a
    person reads ("before the end of this year" around "the end of this year").
    The TIMEX3 attributes live here rather than on the interval because
    durations and sets have a value but no calendar interval.
    """

    text: str
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value
    mod: str | None = None
    interval: Interval | None = None
    anchor: str = "none"
    rule: str = ""
    tense: str | None = None
    phrase: str = ""
    phrase_start: int = -1
    phrase_end: int = -1
    signal: str | None = None  # before / by / until / after / since ...
    freq: str | None = None  # SET frequency, e.g. "2X"
    quant: str | None = None  # SET quantifier, e.g. "EVERY"
    # "from March to May": both ends keep their own TIMEX3; ``range`` is the
    # whole span, set on both, and the timeline shows it once
    range: Interval | None = None
    # the signal before it is a deadline ("before", "by", "no later than"): the
    # interval runs from publication to the end of the period named
    deadline: bool = False
    # a DURATION that also names a date ("will meet in two weeks"): it dates
    # its clause like a DATE
    dates: bool = False

    @property
    def dated(self) -> bool:
        """It places its clause on the calendar: a DATE, a TIME or a duration that names a date."""
        return self.type in ("DATE", "TIME") or self.dates

    def to_json(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "type": self.type, "value": self.value, "mod": self.mod,
            "anchor": self.anchor, "rule": self.rule,
            "interval": self.interval.to_json() if self.interval else None,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """A dated clause of a document."""

    doc_id: str
    text: str  # the clause or sentence the date belongs to
    char_start: int
    char_end: int
    sentence: str
    mention: TimeMention
    title: str
    kind: str  # happened | ongoing | expected
    attribution: str | None = None
    actors: tuple[str, ...] = field(default_factory=tuple)
    # event: the date governs the clause; report: it dates a statement about the
    # clause ("Kirby said on Thursday that ..."); reported: the expected content of
    # a dated report; statement: undated, placed at publication; caption: a photo's
    role: str = "event"


def _iso(d: datetime) -> str:
    if d.hour == d.minute == d.second == d.microsecond == 0:
        return d.date().isoformat()
    return d.isoformat()
