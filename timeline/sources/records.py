"""Record files (.jsonl/.ndjson, .csv/.tsv) and the field helpers all readers share.

A record has the fields ``id, url, title, published, text, source``; the
``fields`` mapping renames them to the user's columns (``{"text": "body"}``).
Each bad record becomes a problem for that record alone; the rest are read.
Records are located as ``file:line N`` (JSON lines, counting every physical
line) and ``file:row N`` (CSV, counting records after the header, so quoted
multi-line texts do not shift the count).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from ..model import Document
from .encoding import SourceError, read_text, repair_mojibake
from .outlet import outlet

FIELDS = ("id", "url", "title", "published", "text", "source")

_ISO_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_TIME = re.compile(r"\d:\d\d")
_DATE_HELP = "write it as YYYY-MM-DD (or like 'October 20, 2022')"
# the years a publication date may fall in: the event table holds timestamps in
# pandas' nanosecond range (1677-09-22 to 2262-04-11), of which these are the whole
# years; a document dated outside them is refused at reading rather than left undated
YEARS = (1678, 2261)


def check_years(when: date | datetime | None, what: str = "publication date"
                ) -> date | datetime | None:
    """``when``, or SourceError when it falls outside :data:`YEARS`."""
    if when is not None and not YEARS[0] <= when.year <= YEARS[1]:
        raise SourceError(f"{what} {when.isoformat()} is outside the years {YEARS[0]}-{YEARS[1]} "
                          "the event table can hold: give a date in that range")
    return when


def parse_published(value, what: str = "publication date", *, iso: bool = False
                    ) -> date | datetime | None:
    """A publication (or reference) date from a metadata value; None when there is none.

    The one date parser of the inputs: records, front matter, manifests, pages,
    TimeML DCTs and the ``--published``/``--anchor`` options all come here.

    ISO 8601 dates and datetimes first, then month-name forms through
    dateparser. Numeric forms such as 03/11/2022 are refused: they read
    differently in the US and elsewhere. A datetime keeps the wall-clock time
    as written and drops its UTC offset: the local day is what "today" in the
    article means. ``iso=True`` (dates given as options): ISO 8601 only, and a
    ValueError that asks for YYYY-MM-DD.
    """
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    if iso:
        parsed = _iso(value.strip()) if isinstance(value, str) else None
        if parsed is None:
            raise ValueError(f"{what} {value!r} is not a date: write it as YYYY-MM-DD")
        return parsed
    if not isinstance(value, str):
        raise SourceError(f"{what} {value!r} is not a date string: "
                          f"{_DATE_HELP}")
    s = value.strip()
    if not s or s.lower() in ("null", "none", "~"):
        return None
    if _ISO_LIKE.match(s):
        parsed = _iso(s)
        if parsed is None:
            raise SourceError(f"{what} {value!r} is not a valid "
                              f"date: {_DATE_HELP}")
        return parsed
    if not re.search(r"[^\W\d_]{3}", s) or not _YEAR.search(s):
        # no month name, or no year: ambiguous (03/11/2022) or relative
        # ("yesterday", which would depend on the day the tool runs)
        raise SourceError(f"{what} {value!r} is ambiguous or "
                          f"incomplete: {_DATE_HELP}")
    import dateparser

    from .. import lang  # the resolver's settings, without its language and date order

    parsed = dateparser.parse(s, settings=lang.load("en").temporal["dateparser"]["settings"])
    if parsed is None:
        raise SourceError(f"{what} {value!r} is not a date I can "
                          f"read: {_DATE_HELP}")
    parsed = parsed.replace(tzinfo=None)
    return parsed if _TIME.search(s) else parsed.date()


def _iso(s: str) -> date | datetime | None:
    """An ISO 8601 date, or a naive datetime (wall-clock time) when it has a time."""
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s).replace(tzinfo=None)
    except ValueError:
        return None


def first_line(text: str, limit: int = 200) -> str | None:
    """The first non-empty line, Markdown heading marks removed: a title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"
    return None


def _optional(value) -> str | None:
    if value is None:
        return None
    s = value.strip() if isinstance(value, str) else str(value)
    return s or None


def record_key(rec: dict, fields: dict[str, str], default_id: str
               ) -> tuple[str, date | datetime | None]:
    """(id, publication date) of the record's document, checked as
    :func:`record_document` checks them but without repairing the text (most
    of the cost of reading); SourceError naming what is wrong."""
    col = {name: fields.get(name, name) for name in FIELDS}
    text = rec.get(col["text"])
    if text is None or (isinstance(text, str) and not text.strip()):
        have = ", ".join(str(k) for k in rec) or "none"
        hint = ("" if col["text"] in rec else
                f" (fields: {have}; name the text field with "
                f"--field text=NAME)")
        raise SourceError(f"no text: the record's {col['text']!r} field is "
                          f"missing or empty{hint}")
    if not isinstance(text, str):
        raise SourceError(f"the record's {col['text']!r} field is not a string")
    return (_optional(rec.get(col["id"])) or default_id,
            check_years(parse_published(rec.get(col["published"]))))


def record_document(rec: dict, *, fields: dict[str, str], default_id: str,
                    path: str) -> Document:
    """A Document from one record; SourceError naming what is wrong."""
    doc_id, published = record_key(rec, fields, default_id)
    col = {name: fields.get(name, name) for name in FIELDS}
    title = _optional(rec.get(col["title"]))
    text = repair_mojibake(rec[col["text"]])
    return Document(
        id=doc_id,
        text=text,
        published=published,
        title=repair_mojibake(title) if title else first_line(text),
        source=outlet(_optional(rec.get(col["source"])), rec.get(col["url"]), rec.get("site_name")),
        url=_optional(rec.get(col["url"])),
        path=path,
    )


def record_text(path: Path) -> str:
    """The text of a record file, not yet repaired (that is done field by field).

    A few NUL bytes are a corrupted byte in one record, not a binary file: they
    are dropped and every record is read (a file full of them is still refused)."""
    return read_text(path, repair=False, nul=True).replace("\x00", "")


def iter_jsonl(path: Path, fields: dict[str, str]
               ) -> Iterator[tuple[str, Document | SourceError]]:
    """(location, Document or the problem) for each non-blank line."""
    text = record_text(path)
    for where, rec, default_id in jsonl_records(text, path):
        yield where, record_or_problem(rec, fields, default_id, path)


def iter_csv(path: Path, fields: dict[str, str]
             ) -> Iterator[tuple[str, Document | SourceError]]:
    """(location, Document or the problem) for each data row."""
    text = record_text(path)
    for where, rec, default_id in csv_records(text, path, fields):
        yield where, record_or_problem(rec, fields, default_id, path)


def jsonl_records(text: str, path: Path, first: int = 1
                  ) -> Iterator[tuple[str, dict | SourceError, str]]:
    """(location, record or the problem, default id) for each non-blank line of
    ``text``: a whole file, or whole lines of one from line number ``first``."""
    # split on "\n" only: str.splitlines would also split on U+2028 and
    # friends, which JSON allows raw inside strings
    for n, line in enumerate(text.split("\n"), first):
        if not line.strip():
            continue
        where = f"{path}:line {n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield where, SourceError(f"not valid JSON ({e.msg} at column "
                                     f"{e.colno}): each line must be one "
                                     "JSON object"), ""
            continue
        if not isinstance(rec, dict):
            yield where, SourceError("not a JSON object: each line must be "
                                     "one object with a 'text' field"), ""
            continue
        yield where, rec, f"{path.stem}:{n}"


def csv_delimiter(path: Path, header: str) -> str:
    """The delimiter of a CSV/TSV file from its header line."""
    return "\t" if path.suffix.lower() == ".tsv" else max(",;\t", key=header.count)


def allow_long_fields() -> None:
    # article texts outgrow the csv module's 128 KiB default field limit
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


# columns of timeline's own event table (timeline.table): a CSV or Parquet file
# holding all of them is a build's output, whose "text" column is events, not articles
OWN_TABLE = frozenset({"event_id", "timex", "granularity", "members", "n_sources"})
OWN_OUTPUT = ("timeline's own output, not articles: give the articles it was built from, "
              "or keep outputs out of the input folder")


# the header row of timeline's Markdown export (timeline.export.to_markdown)
OWN_MARKDOWN = "| Date | Title | Kind | Source | Expression |"
# what timeline's page and its fragments open with (timeline.render): no article
OWN_PAGE = '<div class="tl-page" id="tl-'


def own_table(names) -> SourceError | None:
    """The problem of a table that is a timeline event table, else None."""
    if OWN_TABLE <= set(names or ()):
        return SourceError(f"an event table ({OWN_OUTPUT})")
    return None


def no_text_column(fields: dict[str, str], names) -> SourceError:
    cols = ", ".join(names or ()) or "none"
    return SourceError(f"no {fields.get('text', 'text')!r} column (columns: {cols}): "
                       "name the text column with --field text=NAME")


def csv_records(text: str, path: Path, fields: dict[str, str], *,
                header: tuple[str, ...] | None = None, delimiter: str | None = None,
                first: int = 1) -> Iterator[tuple[str, dict | SourceError, str]]:
    """(location, record or the problem, default id) for each data row of ``text``:
    a whole file (header first), or whole records of one from record number
    ``first`` under the file's ``header`` and ``delimiter``. Raises SourceError,
    before any row, when there is no text column.

    A record the csv module cannot parse, or whose quoted cell is never closed
    (it would swallow every record after it), is a problem of its own; reading
    goes on at the line after the one it starts on."""
    allow_long_fields()
    lines = io.StringIO(text, newline="").readlines()  # the lines csv.reader counts
    at = 0
    if header is None:
        delimiter = csv_delimiter(path, text.split("\n", 1)[0])
        head = next(csv.reader(lines[:1], delimiter=delimiter), None) if lines else None
        names, at = head, 1
    else:
        names = list(header)
    if (problem := own_table(names)) is not None:
        raise problem
    if fields.get("text", "text") not in (names or ()):
        raise no_text_column(fields, names)
    n, restarts = first - 1, 0
    while at < len(lines):
        if restarts == _RESTARTS:  # each restart reads the rest again: bounded
            yield f"{path}:row {n + 1}", SourceError(
                f"malformed CSV: {_RESTARTS} broken records; lines {at + 1} to {len(lines)} "
                "are not read: fix the quoting"), ""
            return
        restarts += 1
        for begin, end, row in _csv_rows(lines, at, delimiter):
            at = end
            if isinstance(row, csv.Error) or (end == len(lines) and _unclosed(lines[begin:], delimiter)):
                n += 1
                rest = len(lines) - begin - 1
                what = (f"malformed CSV: {row}" if isinstance(row, csv.Error) else
                        f"a quoted cell is never closed: it runs to the end of the file "
                        f"({rest} more line(s)); close the quote")
                if rest and not _records(lines, begin + 1, delimiter, len(names)):
                    # a file cut inside a quoted text: the lines after are that text
                    yield f"{path}:row {n}", SourceError(
                        f"{what}; the lines after its first are not records of this file "
                        f"(not {len(names)} cells each) and are not read"), ""
                    return
                more = "; the lines after its first are read as records" if rest else ""
                yield f"{path}:row {n}", SourceError(what + more), ""
                at = begin + 1  # the records after it are read from its next line
                break
            if row == []:
                continue  # an empty line, not a record (as csv.DictReader)
            n += 1
            rec = dict(zip(names, row))
            for name in names[len(row):]:
                rec.setdefault(name, None)  # a short row, as csv.DictReader fills it
            yield f"{path}:row {n}", rec, f"{path.stem}:{n}"
        else:
            break


_RESTARTS = 100  # broken records after which the rest of a CSV file is given up


def _csv_rows(lines: list[str], at: int, delimiter: str):
    """(first line, line after, row or csv.Error) of each record from ``lines[at]``;
    stops after an error."""
    import itertools
    reader = csv.reader(itertools.islice(lines, at, None), delimiter=delimiter)
    while True:
        begin = at + reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield begin, at + reader.line_num, e
            return
        yield begin, at + reader.line_num, row


def _records(lines: list[str], at: int, delimiter: str, width: int) -> bool:
    """Whether ``lines[at:]`` read as this file's records: rows of ``width`` cells
    (empty lines aside), not the paragraphs of a text whose quote was never closed."""
    return all(not isinstance(row, csv.Error) and (row == [] or len(row) == width)
               for _, _, row in _csv_rows(lines, at, delimiter))


def _unclosed(lines: list[str], delimiter: str) -> bool:
    """Whether the last record, ``lines``, ends inside a quoted cell: the lenient
    reader takes the rest of the file as that cell without a word."""
    if not any('"' in line for line in lines):
        return False
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as e:
        return "unexpected end of data" in str(e)
    return False


def record_or_problem(rec: dict | SourceError, fields: dict[str, str], default_id: str,
                      path) -> Document | SourceError:
    """The record's Document, or the problem with it (a bad record stays one record's)."""
    if isinstance(rec, SourceError):
        return rec
    try:
        return record_document(rec, fields=fields, default_id=default_id,
                               path=str(path))
    except SourceError as e:
        return e
