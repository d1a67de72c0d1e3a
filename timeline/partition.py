"""Inputs as partitions: the units of work of the parallel and Dask engines.

:func:`plan` cuts the inputs into :class:`Part` s of about ``chunk`` documents,
in input order, without reading them whole: a large JSON lines file becomes
byte ranges of whole lines, a CSV file byte ranges of whole records, a Parquet
file row ranges; other files (text, HTML, TimeML, and record files that need
the full decoder: legacy encodings, BOMs other than UTF-8's) go in groups to
the readers of :mod:`timeline.sources`. A worker needs only a part's
description: :func:`scan` lists its document ids, :func:`process` reads,
dates and tabulates it.

Reading a part gives what ``sources.iter_inputs`` gives for the same records
(same locations, ids, reasons: it runs the readers' ``Reader`` and record
parsers, on byte ranges), except that repeated ids are made unique over all
parts, in input order (``-2``, ``-3``...), by a :class:`Resolver` fed the
scanned ids; :func:`process` then dates them under the final ids through
:mod:`timeline.pipeline`. The equality is tested against ``timeline.build``.
"""
from __future__ import annotations

import csv
import os
import re
import resource
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from typing import TYPE_CHECKING

from .model import Document
from .pipeline import Mentions
from .sources import Reader, Skipped, as_path, check_fields, parse_date, walk
from .sources.encoding import SourceError
from .sources.records import (allow_long_fields, csv_delimiter, csv_records, jsonl_records,
                              no_text_column, own_table, record_key,
                              record_or_problem)
from .sources.remote import RemotePath
from .urls import URLError, is_url

if TYPE_CHECKING:  # pandas loads with the first frame (api.build imports this module)
    import pandas as pd

CHUNK_DOCS = 256
_JSONL = (".jsonl", ".ndjson")
_CSV = (".csv", ".tsv")
_PARQUET = (".parquet",)
_TEXT = (".txt", ".md", ".markdown")
# control characters the readers count as a sign of binary data (Cc but whitespace)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read (the options of ``iter_inputs``)."""

    published: date | datetime | None = None
    allow_undated: bool = False
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, published=None, allow_undated: bool = False,
           fields: dict[str, str] | None = None) -> "ReadOptions":
        """Checked options: ValueError for a bad date or field name, as ``timeline.build``."""
        return cls(parse_date(published, "--published"), allow_undated,
                   tuple(sorted(check_fields(fields).items())))


@dataclass(frozen=True)
class Part:
    """One unit of work; ``no`` numbers the parts in input order from 0."""

    no: int
    kind: str  # args | files | lines | rows | parquet | skip
    path: str = ""
    items: tuple = ()  # args: input args; files: (path, doc id); skip: (input, reason)
    lo: int = 0  # byte offset (lines, rows) or row index (parquet)
    hi: int = 0
    first: int = 1  # number of the first line (lines) or record (rows, parquet)
    header: tuple[str, ...] = ()  # rows: the CSV header
    delimiter: str = ","
    quiet: tuple = ()  # folders whose manifest problem an earlier part reports


@dataclass
class PartResult:
    no: int
    ids: list[str]  # final ids of the part's documents (failed ones included)
    skipped: list[Skipped]  # in input order, the tagger's failures included
    frame: pd.DataFrame
    documents: list[Document] | None = None
    pid: int = 0
    rss_kb: int = 0
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ planning

def plan(inputs: Iterable[str | Path], chunk: int = CHUNK_DOCS) -> Iterator[Part]:
    """The parts of ``inputs``, lazily, in input order."""
    return _Planner(max(1, int(chunk))).run(inputs)


class _Planner:
    def __init__(self, chunk: int):
        self.chunk = chunk
        self.no = 0
        self.claimed: set[Path] = set()  # folders whose manifest a part already reads

    def part(self, kind: str, **kw) -> Part:
        p = Part(self.no, kind, **kw)
        self.no += 1
        return p

    def group(self, kind: str, items: list, folders: list[Path]) -> Part:
        quiet = tuple(sorted({str(f) for f in folders if f in self.claimed}))
        self.claimed.update(folders)
        return self.part(kind, items=tuple(items), quiet=quiet)

    def run(self, inputs) -> Iterator[Part]:
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        args: list[str] = []
        for arg in inputs:
            root = _input(arg)
            if root is None:  # a URL that cannot be read: the readers say why
                args.append(str(arg))
            elif root.is_dir():
                if args:
                    yield self.group("args", args, _text_folders(args))
                    args = []
                yield from self.folder(root)
            elif root.is_file() and root.suffix.lower() in _JSONL + _CSV + _PARQUET:
                if args:
                    yield self.group("args", args, _text_folders(args))
                    args = []
                yield from self.records(root, root.stem)
            else:  # text, HTML, TimeML, missing or unsupported: the readers decide
                args.append(str(arg))
                if len(args) >= self.chunk:
                    yield self.group("args", args, _text_folders(args))
                    args = []
        if args:
            yield self.group("args", args, _text_folders(args))

    def folder(self, root: Path) -> Iterator[Part]:
        files: list[tuple[str, str]] = []
        skipped: list[Skipped] = []  # FIFOs, devices...: named, never opened
        paths = walk(root, skipped)
        if skipped:
            yield self.part("skip", items=tuple((s.input, s.reason) for s in skipped))
        for path in paths:
            rel = path.relative_to(root).with_suffix("").as_posix()
            if path.suffix.lower() in _JSONL + _CSV:
                if files:
                    yield self.files(files)
                    files = []
                yield from self.records(path, rel)
            else:
                files.append((str(path), rel))
                if len(files) >= self.chunk:
                    yield self.files(files)
                    files = []
        if files:
            yield self.files(files)

    def files(self, files: list[tuple[str, str]]) -> Part:
        return self.group("files", files, _text_folders(p for p, _ in files))

    def records(self, path: Path, doc_id: str) -> Iterator[Part]:
        suffix = path.suffix.lower()
        if suffix in _PARQUET:
            yield from self.parquet(path)
            return
        cuts = _cut_lines(path, self.chunk) if suffix in _JSONL else _cut_csv(path, self.chunk)
        if cuts is None:  # needs the full decoder: the readers read it whole
            yield self.files([(str(path), doc_id)])
            return
        bounds, extra = cuts
        kind = "lines" if suffix in _JSONL else "rows"
        for (lo, first), (hi, _) in zip(bounds, bounds[1:]):
            yield self.part(kind, path=str(path), lo=lo, hi=hi, first=first, **extra)

    def parquet(self, path: Path) -> Iterator[Part]:
        try:
            rows = _parquet_file(path).metadata.num_rows
        except Exception as e:  # pyarrow raises several types for a bad file
            yield self.part("skip", items=((str(path), f"not a readable Parquet file: {e}"),))
            return
        for lo in range(0, rows, self.chunk):
            yield self.part("parquet", path=str(path), lo=lo, hi=min(rows, lo + self.chunk),
                            first=lo + 1)


def _input(arg) -> Path | RemotePath | None:
    """An input as a path to look at: None for a URL whose file system cannot be had."""
    if not is_url(arg):
        return Path(arg)
    try:
        return as_path(arg)
    except URLError:
        return None


def _text_folders(paths: Iterable[str]) -> list[Path | RemotePath]:
    found = [_input(p) for p in paths]
    return [p.parent for p in found if p is not None and p.suffix.lower() in _TEXT]


def _parquet_file(path: Path | RemotePath):
    import pyarrow.parquet as pq
    # a remote file through fsspec's file object: pyarrow reads only what it needs of it
    return pq.ParquetFile(path.open("rb") if isinstance(path, RemotePath) else path)


def _utf8_lines(path: Path) -> Iterator[tuple[int, bytes, str]]:
    """(byte offset, raw line, decoded line) of a UTF-8 file; ValueError when the file
    needs the full decoder (other encodings, NUL bytes, mostly control characters)."""
    chars = bad = 0
    blank = True
    with path.open("rb") as f:
        offset = 0
        for n, raw in enumerate(f):
            start = offset
            offset += len(raw)
            if n == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw, start = raw[3:], start + 3
            if b"\x00" in raw:
                raise ValueError("NUL")
            line = raw.decode("utf-8")  # UnicodeDecodeError is a ValueError
            chars += len(line)
            bad += len(_CONTROL.findall(line))
            blank = blank and not line.strip()
            yield start, raw, line
    if blank or bad > max(2, chars // 100):
        raise ValueError("not plain text")


def _cut_lines(path: Path, chunk: int):
    """(byte offset, first line number) every ``chunk`` non-blank lines, then (size, 0)."""
    bounds, records, end = [], 0, 0
    try:
        for n, (start, raw, line) in enumerate(_utf8_lines(path), 1):
            if n == 1:
                bounds.append((start, 1))
            if line.strip():
                if records and records % chunk == 0:
                    bounds.append((start, n))
                records += 1
            end = start + len(raw)
    except (ValueError, OSError):
        return None
    return bounds + [(end, 0)], {}


def _cut_csv(path: Path, chunk: int):
    """(byte offset, first record number) every ``chunk`` records, then (size, 0), and
    the header. A record's end is known exactly: csv.reader pulls one line at a time
    and returns a row as soon as its last line is read."""
    allow_long_fields()
    pos = {"end": 0, "cr": False}

    def lines(src):
        for start, raw, line in src:
            pos["cr"] |= raw.count(b"\r") != raw.count(b"\r\n")
            pos["end"] = start + len(raw)
            yield line

    try:
        src = _utf8_lines(path)
        head = next(src, None)
        if head is None:
            return None
        delim = csv_delimiter(path, head[2])
        rows = csv.reader(lines(_chain([head], src)), delimiter=delim)
        header = next(rows)
        bounds, n = [(pos["end"], 1)], 0
        for row in rows:
            if row == []:
                continue  # DictReader skips empty rows without numbering them
            n += 1
            if n % chunk == 0:
                bounds.append((pos["end"], n + 1))
    except (ValueError, OSError, csv.Error, StopIteration):
        return None
    if pos["cr"]:  # a bare CR ends a line for the readers, not for us: read it whole
        return None
    if bounds[-1][0] == pos["end"]:
        bounds.pop()
    if not bounds:
        return None
    return bounds + [(pos["end"], 0)], {"header": tuple(header), "delimiter": delim}


def _chain(*its):
    for it in its:
        yield from it


# ------------------------------------------------------------------ reading

def read(part: Part, opts: ReadOptions) -> Iterator[Document | Skipped]:
    """The documents and skipped inputs of one part, in order."""
    reader = Reader(opts.published, opts.allow_undated, dict(opts.fields), unique_ids=False)
    for folder in part.quiet:
        for _ in reader.manifest(as_path(folder)):
            pass  # an earlier part reports this manifest's problem
    if part.kind == "args":
        yield from reader.run(list(part.items))
    elif part.kind == "files":
        for path, doc_id in part.items:
            yield from reader.read_file(as_path(path), doc_id)
    elif part.kind == "skip":
        for where, reason in part.items:
            yield Skipped(where, reason)
    else:
        for where, rec, default_id in _RECORDS[part.kind](part, reader.fields):
            yield reader.finish(record_or_problem(rec, reader.fields, default_id, part.path),
                                where)


def _bytes(part: Part) -> str:
    with as_path(part.path).open("rb") as f:
        f.seek(part.lo)
        return f.read(part.hi - part.lo).decode("utf-8")


def _lines(part: Part, fields: dict):
    # the JSON lines reader (sources.records), on a range of whole lines
    return jsonl_records(_bytes(part), as_path(part.path), part.first)


def _rows(part: Part, fields: dict):
    # the CSV reader (sources.records), on a range of whole records
    path = as_path(part.path)
    try:
        yield from csv_records(_bytes(part), path, fields, header=part.header,
                               delimiter=part.delimiter, first=part.first)
    except SourceError as e:  # no text column: the first part reports it
        if part.first == 1:
            yield str(path), e, ""


def _parquet(part: Part, fields: dict):
    """Rows lo..hi of a Parquet file as records: located ``file:row N``, default id
    ``<stem>:N`` like CSV; zoned timestamps keep their local wall-clock time."""
    path = as_path(part.path)
    pf = _parquet_file(path)
    names = pf.schema_arrow.names
    problem = own_table(names)
    if problem is not None or fields.get("text", "text") not in names:
        if part.lo == 0:
            yield str(path), problem or no_text_column(fields, names), ""
        return
    start = 0
    for g in range(pf.metadata.num_row_groups):
        size = pf.metadata.row_group(g).num_rows
        lo, hi = max(part.lo, start), min(part.hi, start + size)
        if lo < hi:
            t = pf.read_row_group(g).slice(lo - start, hi - lo)
            for k, rec in enumerate(t.to_pylist()):
                n = lo + k + 1
                yield f"{path}:row {n}", {c: _naive(v) for c, v in rec.items()}, \
                    f"{path.stem}:{n}"
        start += size


def _naive(v):
    return v.replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v


_RECORDS = {"lines": _lines, "rows": _rows, "parquet": _parquet}


# ------------------------------------------------------------------ events

def scan(part: Part, opts: ReadOptions) -> list[str]:
    """The ids of the part's documents, in order, before they are made unique.

    Records are only checked, not made into documents: repairing their text
    (ftfy) is most of the cost of reading, and ids do not depend on it."""
    if part.kind not in _RECORDS:
        return [x.id for x in read(part, opts) if not isinstance(x, Skipped)]
    fields = dict(opts.fields)
    ids = []
    for _, rec, default_id in _RECORDS[part.kind](part, fields):
        if not isinstance(rec, Exception):
            doc_id = _record_id(rec, fields, default_id, opts)
            if doc_id is not None:
                ids.append(doc_id)
    return ids


def _record_id(rec: dict, fields: dict, default_id: str, opts: ReadOptions) -> str | None:
    """The id the record's document gets, None if it gives none: the checks of
    ``records.record_key`` and ``Reader.finish``, without building it."""
    try:
        doc_id, published = record_key(rec, fields, default_id)
    except SourceError:
        return None
    if published is None and opts.published is None and not opts.allow_undated:
        return None
    return doc_id


class Resolver:
    """Unique ids in input order, as the readers make them (the n-th ``x`` is ``x-n``),
    and each part's first document number; fed the parts' ids in part order."""

    def __init__(self):
        self.seen: dict[str, int] = {}
        self.total = 0

    def add(self, ids: list[str]) -> tuple[int, dict[int, str]]:
        first, renames = self.total, {}
        for i, x in enumerate(ids):
            n = self.seen.get(x, 0) + 1
            self.seen[x] = n
            if n > 1:
                renames[i] = f"{x}-{n}"
        self.total += len(ids)
        return first, renames


def events_frame(docs: list[Document], first: int = 0) -> tuple[pd.DataFrame, dict[int, Skipped]]:
    """The mention table of a part's documents (``COLUMNS``, ``event_order`` = (document
    number << ORDER_BITS) | event number, and the partition ``month``), and the
    documents a stage failed on (index -> Skipped, :func:`pipeline.attempt`)."""
    import pandas as pd

    from .store import ORDER, PARTITION, month_of
    rows = Mentions(first)
    failed = {}
    for i, doc in enumerate(docs):
        skipped = rows.add(doc)
        if skipped is not None:
            failed[i] = skipped
    df = rows.table()
    df[ORDER] = pd.array(rows.orders(df), dtype="int64")
    df[PARTITION] = month_of(df["start"])
    return df, failed


def process(part: Part, opts: ReadOptions, first: int = 0, renames: dict[int, str] | None = None,
            keep_documents: bool = False, resolver: Resolver | None = None,
            counts: bool = False) -> PartResult:
    """Read, tag and tabulate one part (the work of one task) under final ids:
    ``renames`` (document index -> id) and ``first`` come from a :class:`Resolver`
    fed by :func:`scan`, or from ``resolver`` itself when parts run in order.
    ``counts``: also count the part's word rarity (``extra["rarity"]``, a
    :class:`timeline.merge.Rarity`), which the merge windows share."""
    docs, order = [], []
    for item in read(part, opts):
        order.append(item if isinstance(item, Skipped) else len(docs))
        if not isinstance(item, Skipped):
            docs.append(item)
    if resolver is not None:
        first, renames = resolver.add([d.id for d in docs])
    for i, new in (renames or {}).items():
        docs[i] = Document(**{**_fields(docs[i]), "id": new})
    frame, failed = events_frame(docs, first)
    skipped = [x if isinstance(x, Skipped) else failed[x]
               for x in order if isinstance(x, Skipped) or x in failed]
    kept = [d for i, d in enumerate(docs) if i not in failed] if keep_documents else None
    extra = {"failed": sorted(failed)}
    if counts:
        from .merge import rarity
        extra["rarity"] = rarity(frame)
    use = resource.getrusage(resource.RUSAGE_SELF)
    extra["cpu_s"] = use.ru_utime + use.ru_stime
    return PartResult(part.no, [d.id for d in docs], skipped, frame, kept, os.getpid(),
                      peak_rss_kb(), extra)


def peak_rss_kb() -> int:
    """This process's peak resident set (KB): VmHWM, which :func:`reset_peak_rss` can
    reset, else ru_maxrss (which a spawned process inherits from its parent's size)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak_rss() -> None:
    """Start a worker's peak RSS from its current size (Linux >= 4.0; else a no-op)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


def _fields(doc: Document) -> dict:
    return {f: getattr(doc, f) for f in Document.__slots__}
