"""The event table: one row per dated event, ordered by time.

Schema (pandas dtypes that round-trip through Parquet):

=============  ==================  =============================================
column         dtype               meaning
=============  ==================  =============================================
event_id       string              stable id: same input, same id
start, end     datetime64[ns]      the interval, end exclusive (NaT: unanchored)
granularity    string              time, day, week, month, ..., fuzzy
timex          string              TIMEX3 value ("2022-09", "PAST_REF", "P3M")
timex_type     string              DATE | TIME | DURATION | SET
mod            string              TIMEX3 mod (START, MID, END, APPROX, ...)
expression     string              the phrase as written ("before the end of this year")
anchor         string              publication | previous | absolute | none
rule           string              id of the rule that resolved the phrase
deadline       bool                the interval is a deadline window ("before", "by", "no later than": the pack's deadline signals)
title          string              short label for the chart
text           string              the clause the date belongs to
sentence       string              the whole sentence
kind           string              happened | ongoing | expected
attribution    string              who said / reported it, when stated
doc_id         string              document id
doc_title      string              document title
source         string              outlet
url            string              article address
published      datetime64[ns]      publication date of the article
char_start     Int64               offsets of ``text`` in the document text
char_end       Int64
actors         string              who the event involves, "; "-joined
role           string              event | report | reported | statement | caption
sources        string              the outlets that report it, "; "-joined, earliest first
n_sources      Int64               how many outlets report it
doc_ids        string              the articles that report it, "; "-joined
first_reported datetime64[ns]      the earliest publication among them
date_conflict  bool                its reports give dates that do not overlap
members        string              event_id of every mention merged into the row
=============  ==================  =============================================

Lists are "; "-joined strings (readable in CSV, plain strings in Parquet).
Before merging (``timeline.merge``) each row is one mention and these columns
describe that mention alone.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd

from .model import Document, Event

COLUMNS: dict[str, str] = {
    "event_id": "string",
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
    "granularity": "string",
    "timex": "string",
    "timex_type": "string",
    "mod": "string",
    "expression": "string",
    "anchor": "string",
    "rule": "string",
    "deadline": "bool",
    "title": "string",
    "text": "string",
    "sentence": "string",
    "kind": "string",
    "attribution": "string",
    "doc_id": "string",
    "doc_title": "string",
    "source": "string",
    "url": "string",
    "published": "datetime64[ns]",
    "char_start": "Int64",
    "char_end": "Int64",
    "actors": "string",
    "role": "string",
    "sources": "string",
    "n_sources": "Int64",
    "doc_ids": "string",
    "first_reported": "datetime64[ns]",
    "date_conflict": "bool",
    "members": "string",
}
LIST_SEP = "; "  # how list-valued columns are joined


def source_label(source: str | None, url: str | None, doc_id: str) -> str:
    """An outlet's name: the source, else the address's host, else the doc id."""
    if source:
        return source
    if url:
        from urllib.parse import urlparse
        host = urlparse(url).netloc.lower()
        if host:
            return host.removeprefix("www.")
    return doc_id


def event_id(doc_id: str, ev: Event) -> str:
    """Stable id from the document id, the offsets and the resolved value."""
    m = ev.mention
    key = f"{doc_id}\x1f{m.start}\x1f{m.end}\x1f{m.value}\x1f{ev.char_start}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})


# what datetime64[ns] can hold: a mention dated outside it (a tagger slip such as a
# clock time "1439 GMT" read as a year) stays in the table, unanchored, instead of
# failing the whole batch
_MIN_TS, _MAX_TS = datetime(1678, 1, 1), datetime(2262, 1, 1)


def _representable(iv) -> bool:
    return iv is not None and _MIN_TS <= _naive(iv.start) and _naive(iv.end) <= _MAX_TS


def _naive(d: date | datetime) -> datetime:
    d = d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)
    return d.replace(tzinfo=None)


def _ts(d: date | datetime | None):
    """``d`` as a table timestamp; NaT outside the years the table can hold
    (pandas' nanosecond range, 1677-09-22 to 2262-04-11): such a row keeps its
    TIMEX value and expression ("in the 15th century": 14) but no interval."""
    if d is None:
        return pd.NaT
    try:
        return pd.Timestamp(d).as_unit("ns")
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        return pd.NaT


def build_table(events: Iterable[Event], documents: dict[str, Document]) -> pd.DataFrame:
    """Rows for ``events``; ``documents`` maps doc id -> Document for provenance."""
    rows = []
    for order, ev in enumerate(events):
        m = ev.mention
        doc = documents.get(ev.doc_id)
        iv = m.interval if _representable(m.interval) else None
        rows.append({
            "event_id": event_id(ev.doc_id, ev),
            "start": _ts(iv.start if iv else None),
            "end": _ts(iv.end if iv else None),
            "granularity": iv.granularity if iv else None,
            "timex": m.value,
            "timex_type": m.type,
            "mod": m.mod,
            "expression": m.phrase or m.text,
            "anchor": m.anchor,
            "rule": m.rule,
            "deadline": m.deadline,
            "title": ev.title,
            "text": ev.text,
            "sentence": ev.sentence,
            "kind": ev.kind,
            "attribution": ev.attribution,
            "doc_id": ev.doc_id,
            "doc_title": doc.title if doc else None,
            "source": doc.source if doc else None,
            "url": doc.url if doc else None,
            "published": _ts(doc.published if doc else None),
            "char_start": ev.char_start,
            "char_end": ev.char_end,
            "actors": LIST_SEP.join(ev.actors) or None,
            "role": ev.role,
            "sources": source_label(doc.source if doc else None, doc.url if doc else None,
                                    ev.doc_id),
            "n_sources": 1,
            "doc_ids": ev.doc_id,
            "first_reported": _ts(doc.published if doc else None),
            "date_conflict": False,
            "members": event_id(ev.doc_id, ev),
            "_order": order,
        })
    if not rows:
        return empty_table()
    df = pd.DataFrame(rows)
    df = order_table(df)
    return df.drop(columns="_order").astype(COLUMNS).reset_index(drop=True)


def order_table(df: pd.DataFrame) -> pd.DataFrame:
    """Order by start, then end, then document order (unanchored rows last)."""
    keys = ["start", "end", "doc_id", "char_start"]
    if "_order" in df:
        keys = ["start", "end", "_order"]
    return df.sort_values(keys, kind="stable", na_position="last")


def filter_range(df: pd.DataFrame, start: date | None = None,
                 end: date | None = None) -> pd.DataFrame:
    """Events whose interval overlaps [start, end] (both dates inclusive).

    Without bounds every row is kept, unanchored ones (NaT) included; with a
    bound only dated rows can overlap it."""
    if start is None and end is None:
        return df.reset_index(drop=True)
    mask = df["start"].notna()
    if start is not None:
        mask &= df["end"] > pd.Timestamp(start)
    if end is not None:
        mask &= df["start"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    return df[mask].reset_index(drop=True)
