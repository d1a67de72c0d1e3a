"""Writers for the event table: csv, json, parquet, markdown, TimelineJS, iCalendar.

Every writer is deterministic: the same table gives byte-identical output (no
wall-clock values, fixed date formats, English month names rather than the
locale's). Missing values are empty cells in CSV, ``null`` in JSON.

HTML is written by :mod:`timeline.render` and TimeML by
:mod:`timeline.sources.timeml` (it needs the documents); :func:`format_for`
knows their names so the CLI can dispatch on a file name.
"""
from __future__ import annotations

import html
import io
import json
import re
from datetime import timezone
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from . import atomic, shown
from .datewords import date_in_words
from .sources.records import OWN_MARKDOWN
from .table import COLUMNS

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".json": "json",
    ".parquet": "parquet",
    ".md": "markdown",
    ".timelinejs.json": "timelinejs",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".tml": "timeml",
    ".png": "image",  # static images for print reports (plotly + kaleido + Chromium)
    ".svg": "image",
    ".pdf": "image",
}
_NAMES = sorted(set(FORMATS.values()))
_ELSEWHERE = {"html": "timeline.render", "timeml": "timeline.sources.timeml",
              "image": "timeline.api.Timeline.save"}
_READABLE = ("csv", "json", "parquet")


# ---------------------------------------------------------------- dispatch

def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The format name for ``fmt`` (a name or an extension) or from ``path``'s extension."""
    if fmt:
        key = fmt.lower().lstrip(".")
        if key in _NAMES:
            return key
        if "." + key in FORMATS:
            return FORMATS["." + key]
        raise ValueError(f"unknown format {fmt!r}; known formats: {', '.join(_NAMES)}")
    name = str(path).lower()
    # longest first, so .timelinejs.json wins over .json
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return FORMATS[ext]
    exts = ", ".join(sorted(FORMATS))
    raise ValueError(f"cannot tell the format of {str(path)!r} from its extension "
                     f"({exts}); give one of: {', '.join(_NAMES)}")


def write_table(table: pd.DataFrame, path: str | Path, fmt: str | None = None, *,
                title: str | None = None) -> Path:
    """Write ``table`` to ``path`` in ``fmt`` (default: from the extension)."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if fmt in _ELSEWHERE:
        raise ValueError(f"the {fmt} format is written by {_ELSEWHERE[fmt]}, not write_table")
    if fmt == "parquet":
        data = to_parquet(table)
    elif fmt == "ics":
        data = to_ics(table, title=title)
    elif fmt == "timelinejs":
        data = _dumps(to_timelinejs(table, title=title)).encode("utf-8")
    elif fmt == "markdown":
        data = to_markdown(table, title=title).encode("utf-8")
    else:
        data = {"csv": to_csv, "json": to_json}[fmt](table).encode("utf-8")
    return atomic.write_bytes(path, data)  # aside, fsync, rename: never a truncated file


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table written as csv, json or parquet back into the ``COLUMNS`` dtypes."""
    path = Path(path)
    fmt = format_for(path)
    if fmt == "parquet":
        df = pd.read_parquet(path)
    elif fmt == "csv":
        # only empty cells are missing: a title "NA" or "None" stays text
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                         encoding="utf-8")
    elif fmt == "json":
        records = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(records, list):
            raise ValueError(f"{path}: expected a JSON list of event records")
        df = pd.DataFrame.from_records(records)
    else:
        raise ValueError(f"cannot read a table from {fmt}; readable: {', '.join(_READABLE)}")
    return conform(df)


# ---------------------------------------------------------------- schema

def conform(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every ``COLUMNS`` column in order and dtype; extra columns kept after."""
    out = {}
    for col, dtype in COLUMNS.items():
        s = df[col] if col in df else pd.Series([None] * len(df), index=df.index, dtype=object)
        try:
            out[col] = _cast(s, dtype)
        except (ValueError, TypeError) as e:
            raise ValueError(f"column {col!r}: cannot read as {dtype}: {e}") from None
    for col in df.columns:
        if col not in COLUMNS:
            out[col] = df[col]
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def _cast(s: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64"):
        if not pd.api.types.is_datetime64_any_dtype(s):
            s = pd.to_datetime(s, format="ISO8601")
        return s.astype(dtype)
    if dtype == "bool" and not pd.api.types.is_bool_dtype(s):
        return s.map(_bool).astype(bool)
    if dtype == "Int64" and not pd.api.types.is_integer_dtype(s):
        s = pd.to_numeric(s)
    return s.astype(dtype)


_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False}


def _bool(v) -> bool:
    if _missing(v):
        return False  # deadline unknown: not a deadline
    if not isinstance(v, str):
        return bool(v)
    try:
        return _BOOL_WORDS[v.strip().lower()]
    except KeyError:
        raise ValueError(f"not a boolean: {v!r}") from None


# ---------------------------------------------------------------- csv / json / parquet

def to_csv(table: pd.DataFrame) -> str:
    """CSV (RFC 4180): ISO dates (date only at midnight), empty cells for missing.

    CRLF row ends, because the csv module quotes a field only when it holds a
    character of the line terminator: with "\n" a bare "\r" in text split rows.
    """
    df = conform(table)
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].map(_iso).astype(object)
    return df.to_csv(index=False, lineterminator="\r\n", na_rep="")


def to_json(table: pd.DataFrame) -> str:
    """A JSON list of records in column order, ISO dates, ``null`` for missing."""
    df = conform(table)
    cols = list(df.columns)
    records = [{c: _plain(v) for c, v in zip(cols, row)}
               for row in df.itertuples(index=False, name=None)]
    return _dumps(records)


def to_parquet(table: pd.DataFrame) -> bytes:
    """Parquet bytes via pyarrow, no pandas index; reads back to ``COLUMNS`` dtypes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(conform(table), preserve_index=False), buf)
    return buf.getvalue()


def _dumps(obj) -> str:
    return shown.json_dumps(obj, indent=2) + "\n"


def _plain(v):
    """A JSON-ready Python value: None for missing, ISO text for timestamps."""
    if _missing(v):
        return None
    if isinstance(v, pd.Timestamp):
        return _iso(v)
    return v.item() if hasattr(v, "item") else v  # numpy scalars


def _missing(v) -> bool:
    return v is None or (pd.api.types.is_scalar(v) and bool(pd.isna(v)))


def _iso(t) -> str | None:
    if _missing(t):
        return None
    return t.date().isoformat() if t == t.normalize() else t.isoformat()


def _text(v) -> str:
    return "" if _missing(v) else str(v)


# ---------------------------------------------------------------- dates in words

_UNITS = ("year", "month", "day", "hour", "minute", "second")
_DATE_UNITS = ("year", "month", "day")


def _unit(start: pd.Timestamp, end, granularity: str) -> str:
    """The coarsest unit both ends fall on: the date parts the data actually knows."""
    ends = [start] if _missing(end) else [start, end]
    units = _UNITS[3:] if granularity == "time" else _UNITS
    for unit in units:
        if all(_on(t, unit) for t in ends):
            return unit
    return "second"


def _on(t: pd.Timestamp, unit: str) -> bool:
    if unit in _DATE_UNITS:
        midnight = t == t.normalize()
        return midnight and (unit == "day" or t.day == 1 and (unit == "month" or t.month == 1))
    return t == t.floor({"hour": "h", "minute": "min", "second": "s"}[unit])


def _span(row: dict) -> tuple[str, pd.Timestamp, pd.Timestamp | None]:
    """(unit, start, until): ``until`` is the last included unit for dates, the
    (exclusive) end moment for clock times, None when the event is one unit."""
    start, end = row["start"], row["end"]
    unit = _unit(start, end, _text(row.get("granularity")))
    if _missing(end) or end <= start:
        return unit, start, None
    if unit == "year":
        last = pd.Timestamp(end.year - 1, 1, 1)
    elif unit == "month":
        last = (end - pd.Timedelta(days=1)).replace(day=1)
    elif unit == "day":
        last = end - pd.Timedelta(days=1)
    else:
        # a clock range reads with its end ("15:00 – 17:00"), as TimelineJS places it
        one = pd.Timedelta(1, unit={"hour": "h", "minute": "min", "second": "s"}[unit])
        return unit, start, None if end - start <= one else end
    return unit, start, None if last <= start else last


def display_date(row: dict) -> str:
    """The row's date in words, as the page says it (:func:`datewords.date_in_words`):
    "September 2022", "1 Nov 2022", "the year 2022", "by 31 Dec 2022", "undated"."""
    return date_in_words(row.get("start"), row.get("end"), row.get("granularity"),
                         row.get("timex"), row.get("deadline"), row.get("published"))


def _dated(table: pd.DataFrame) -> list[dict]:
    """Rows with a start, as dicts, in table order."""
    df = conform(table)
    return [r for r in df.to_dict("records") if not _missing(r["start"])]


def _unique(ids: list[str]) -> list[str]:
    """Suffix repeated ids (merged tables can repeat rows); consumers need unique ids."""
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        out.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    return out


def _web_url(v) -> str | None:
    """The url if it is http(s): article urls are untrusted (no javascript:), and
    one with a control character (CR/LF, NUL, tab) is no url at all."""
    u = _text(v).strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in u):
        return None
    return u if u.lower().startswith(("http://", "https://")) else None


# ---------------------------------------------------------------- markdown

def to_markdown(table: pd.DataFrame, title: str | None = None) -> str:
    """A readable Markdown table: date, title, kind, source, expression."""
    heading = _cell(title)
    lines = [f"# {heading}", ""] if heading else []
    lines += [OWN_MARKDOWN, "| --- | --- | --- | --- | --- |"]
    for row in conform(table).to_dict("records"):
        source = _cell(row["source"]) or _cell(row["doc_title"])
        url = _web_url(row["url"])
        if url:
            # the label is a _cell already; percent-encode what would end the link or
            # the cell, or open a template tag: ( ) | { } < > and spaces
            source = f"[{source or 'link'}]({quote(url, safe=':/?#@!$&*+,;=%~-._')})"
        cells = [display_date(row), _cell(row["title"]), _cell(row["kind"]), source,
                 _cell(row["expression"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# Markdown syntax in article text is shown, never followed: backslash-escaped
# (CommonMark and Python-Markdown both take these escapes), so no link, image,
# emphasis or cell break comes from a title. Braces become character references,
# so a site's Liquid/Jinja2 sees no "{{", "{%" or "{#" (a backslash would leave "{%").
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!|#])")
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 but tab, LF, CR; DEL


def _cell(v) -> str:
    """Text safe inside a table cell: one line, no raw HTML, Markdown syntax and
    template braces escaped (``[x](javascript:..)`` stays text)."""
    text = " ".join(_CONTROL.sub(" ", _text(v)).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False).translate(_BRACES)


# ---------------------------------------------------------------- TimelineJS

def to_timelinejs(table: pd.DataFrame, title: str | None = None) -> dict:
    """TimelineJS3 JSON (timeline.knightlab.com/docs/json-format.html).

    Date objects hold only the parts the data knows; ``end_date`` is the last
    included unit (TimelineJS ends are inclusive), absent for one-unit events.
    Text fields are HTML in TimelineJS, so all table text is escaped.
    """
    rows = _dated(table)
    events = []
    for row, uid in zip(rows, _unique([_text(r["event_id"]) for r in rows])):
        unit, start, until = _span(row)
        parts = _UNITS[: _UNITS.index(unit) + 1]
        if unit == "hour":
            parts += ("minute",)  # "15:00", not "15"
        slide = {"start_date": _date_obj(start, parts)}
        if until is not None:
            slide["end_date"] = _date_obj(until, parts)
        slide["display_date"] = display_date(row)
        slide["text"] = {"headline": html.escape(_text(row["title"]) or _text(row["expression"])),
                         "text": _slide_text(row)}
        group = _text(row["source"]) or _text(row["kind"])
        if group:
            slide["group"] = html.escape(group)
        if uid:
            slide["unique_id"] = uid
        events.append(slide)
    return {"title": {"text": {"headline": html.escape(title or "Timeline"),
                               "text": html.escape(_summary(rows))}},
            "events": events}


def _date_obj(t: pd.Timestamp, parts: tuple[str, ...]) -> dict:
    return {p: str(getattr(t, p)) for p in parts}


def _slide_text(row: dict) -> str:
    body = f"<p>{html.escape(_text(row['text']))}</p>" if _text(row["text"]) else ""
    cite = html.escape(" — ".join(x for x in (_text(row["source"]), _text(row["doc_title"]))
                                  if x))
    url = _web_url(row["url"])
    if url:
        cite = f'<a href="{html.escape(url)}">{cite or html.escape(url)}</a>'
    if _text(row["expression"]):
        cite += (" · " if cite else "") + f"“{html.escape(_text(row['expression']))}”"
    return body + (f"<p><small>{cite}</small></p>" if cite else "")


def _summary(rows: list[dict]) -> str:
    if not rows:
        return "No dated events."
    sources = {_text(r["source"]) for r in rows if _text(r["source"])}
    first = min(r["start"] for r in rows).date().isoformat()
    last = max(r["start"] for r in rows).date().isoformat()
    n = len(rows)
    text = f"{n} event{'s' * (n != 1)}, {first} to {last}"
    if sources:
        text += f", from {len(sources)} source{'s' * (len(sources) != 1)}"
    return text + "."


# ---------------------------------------------------------------- iCalendar

def to_ics(table: pd.DataFrame, title: str | None = None) -> bytes:
    """RFC 5545 calendar: one VEVENT per dated row.

    Day and coarser events are all-day (VALUE=DATE, DTEND exclusive like our
    ``end``); clock times are floating DATE-TIMEs (the table has no zone).
    DTSTAMP is the publication date (else the start), never the wall clock.
    """
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//timeline//event table export//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if title:
        cal.add("x-wr-calname", " ".join(_ics_text(title).split()))  # one line
    rows = _dated(table)
    for row, uid in zip(rows, _unique([_text(r["event_id"]) for r in rows])):
        start, end = row["start"], row["end"]
        if _missing(end) or end <= start:
            end = None
        ev = icalendar.Event()
        ev.add("uid", f"{_ics_text(uid)}@timeline")
        stamp = row["published"] if not _missing(row["published"]) else start
        ev.add("dtstamp", stamp.to_pydatetime().replace(tzinfo=timezone.utc))
        all_day = row["granularity"] != "time" and all(
            t == t.normalize() for t in (start, end) if t is not None)
        if all_day:
            ev.add("dtstart", start.date())
            ev.add("dtend", (start + pd.Timedelta(days=1) if end is None else end).date())
        else:
            ev.add("dtstart", start.to_pydatetime())
            if end is not None:
                ev.add("dtend", end.to_pydatetime())
        ev.add("summary", _ics_text(row["title"]) or _ics_text(row["expression"]))
        ev.add("description", _ics_text(_description(row)))
        url = _web_url(row["url"])
        if url:
            ev.add("url", url)
        if _text(row["kind"]):
            ev.add("categories", [_ics_text(row["kind"])])
        cal.add_component(ev)
    return cal.to_ical()


def _ics_text(v) -> str:
    """Text for an iCalendar value: RFC 5545 TEXT has no control characters but
    tab (newlines are escaped by icalendar), so NUL, VT... go and CR/CRLF is LF."""
    text = _text(v).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _description(row: dict) -> str:
    lines = [_text(row["text"])] if _text(row["text"]) else []
    source = ", ".join(x for x in (_text(row["source"]), _text(row["doc_title"])) if x)
    if source:
        lines.append(f"Source: {source}")
    if _text(row["expression"]):
        lines.append(f"Date as written: “{_text(row['expression'])}”")
    return "\n".join(lines)
