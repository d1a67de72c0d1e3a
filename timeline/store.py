"""The event store: the event table as Parquet partitioned by month, and fast date queries.

Layout (hive partitioning, readable by pyarrow, Dask, DuckDB, Spark)::

    DIR/_timeline.json                    what the store holds, month by month
    DIR/month=2022-09/part-0.parquet      events starting in September 2022
    DIR/month=undated/part-0.parquet      events with no interval
    DIR/_mentions/month=2022-09/...       the same, one row per mention, before merging
                                          (absent when the build did not merge)

Files hold the ``table.COLUMNS`` columns plus the sort key: ``first_start``,
``first_end`` and ``event_order`` of the row's first mention in table order
(``event_order`` = ``(document number << 20) | event number``). Rows are
sorted by start, end and that key, which is the order of ``api.build``'s
table, so reading the months in order gives the table in order.

``_timeline.json`` keeps each month's row count, earliest start and latest
end: a date query opens only the months whose span overlaps it, which prunes
on both bounds (an event that starts in 2021 and ends in 2023 lives in a 2021
partition), and pyarrow's row-group statistics prune inside a month. Queries
use pyarrow datasets rather than DuckDB: pyarrow is already a dependency and
answers a one-month query over millions of events in tens of milliseconds
(benchmarks/scale.py prints both when duckdb is installed); ``--where`` is a
small safe expression language translated to a pyarrow filter, not SQL.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import shutil
import tokenize
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .table import COLUMNS

PARTITION = "month"
ORDER = "event_order"
SORT = ["start", "end", "first_start", "first_end", ORDER]
HIDDEN = SORT[2:]
UNDATED = "undated"
META = "_timeline.json"
MENTIONS = "_mentions"
ROW_GROUP = 8192
LONG = pd.Timedelta(days=31)  # longer events: row groups of their own
FREQS = {"day": "day", "week": "week", "month": "month"}


class StoreError(ValueError):
    """A store that cannot be used, or a query that cannot be run, and why."""


# ------------------------------------------------------------------ writing

def month_of(start: pd.Series) -> pd.Series:
    """The partition of each row: "YYYY-MM" of its start, "undated" without one."""
    out = start.dt.strftime("%Y-%m").astype(object)
    return out.where(start.notna(), UNDATED).astype("string")


def sort_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` in table order; a row without a ``first_*`` key is its own first mention."""
    if "first_start" not in df:
        df = df.assign(first_start=df["start"], first_end=df["end"])
    return df.sort_values(SORT, kind="stable", na_position="last")


def prepare(path: str | Path) -> Path:
    """A fresh folder beside ``path`` to build the store in (see :func:`commit`).

    Refuses a ``path`` that holds anything but a store, so a typo never
    replaces someone's folder."""
    path = Path(path)
    if path.exists() and not (path / META).is_file():
        if not path.is_dir():
            raise StoreError(f"{path} is a file: --store needs a folder")
        if any(path.iterdir()):
            raise StoreError(f"{path} exists and is not a timeline store: give a new or "
                             "empty folder, or a store written by timeline build --store")
    partial = path.with_name(f".{path.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    return partial


def commit(partial: Path, path: str | Path, **extra) -> dict:
    """Seal the store built in ``partial`` and move it to ``path``, replacing an old store."""
    path = Path(path)
    info = seal(partial, **extra)
    old = path.with_name(f".{path.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    partial.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    return info


def write_month(root: Path, month: str, df: pd.DataFrame) -> None:
    """One month's rows, in table order, as ``root/month=M/part-0.parquet``.

    Events longer than ``LONG`` go to row groups of their own, after the
    others: a query for a later date then skips this month's other row
    groups by their statistics (their ``end`` is early) and reads only those."""
    folder = root / f"{PARTITION}={month}"
    folder.mkdir(parents=True, exist_ok=True)
    if "first_start" not in df:
        df = df.assign(first_start=df["start"], first_end=df["end"])
    df = df[[c for c in df.columns if c != PARTITION]]
    long = ((df["end"] - df["start"]) > LONG) | df["end"].isna()
    schema = None
    with contextlib.ExitStack() as stack:
        for rows in (df[~long], df[long]):
            if len(rows) or schema is None:
                table = pa.Table.from_pandas(rows, preserve_index=False, schema=schema)
                if schema is None:
                    schema = table.schema
                    w = stack.enter_context(pq.ParquetWriter(folder / "part-0.parquet", schema))
                if len(rows):
                    w.write_table(table, row_group_size=ROW_GROUP)


def seal(root: str | Path, **extra) -> dict:
    """Write ``_timeline.json`` from the files present; returns it."""
    root = Path(root)
    info = {"format": "timeline-store", "version": 1, **_stats(root), **extra}
    if (root / MENTIONS).is_dir():
        info["mentions"] = _stats(root, MENTIONS)
    (root / META).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def _stats(root: Path, layer: str = "") -> dict:
    months = {}
    for folder in sorted((root / layer).glob(f"{PARTITION}=*")):
        files = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_")))
        if not files:
            continue
        t = pq.read_table(files, columns=["start", "end"]) if len(files) > 1 else \
            pq.read_table(files[0], columns=["start", "end"])
        lo, hi = pc.min(t["start"]).as_py(), pc.max(t["end"]).as_py()
        months[folder.name.split("=", 1)[1]] = {
            "events": t.num_rows,
            "start": pd.Timestamp(lo).isoformat() if lo is not None else None,
            "end": pd.Timestamp(hi).isoformat() if hi is not None else None,
            "files": [p.relative_to(root).as_posix() for p in files],
        }
    return {"events": sum(m["events"] for m in months.values()),
            "months": dict(sorted(months.items(), key=lambda kv: _month_key(kv[0])))}


def _month_key(month: str):
    return (month == UNDATED, month)


# ------------------------------------------------------------------ reading

def info(root: str | Path) -> dict:
    """What the store holds; StoreError when ``root`` is not a store."""
    root = Path(root)
    try:
        return json.loads((root / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{root} is not a timeline store (no {META}): build one with "
                         f"timeline build INPUT... --store {root}") from None


def _layer(root: str | Path, mentions: bool = False) -> tuple[Path, dict]:
    """(the folder the paths are relative to, its ``months``): events, or mentions."""
    root = Path(root)
    meta = info(root)
    if mentions and "mentions" in meta:
        return root, meta["mentions"]["months"]
    return root, meta["months"]  # not merged: the events are the mentions


def months(root: str | Path, mentions: bool = False) -> list[str]:
    return list(_layer(root, mentions)[1])


def read_month(root: str | Path, month: str, mentions: bool = False) -> pd.DataFrame:
    """One month's rows in table order, with the sort key columns."""
    base, ms = _layer(root, mentions)
    files = [base / f for f in ms[month]["files"]]
    df = pq.read_table(files).to_pandas() if len(files) > 1 else pq.read_table(files[0]).to_pandas()
    return sort_frame(df).reset_index(drop=True)


def iter_frames(root: str | Path, mentions: bool = False) -> Iterator[pd.DataFrame]:
    """The table month by month, in order, each in ``COLUMNS`` dtypes (bounded memory)."""
    from .export import conform
    for m in months(root, mentions):
        yield conform(read_month(root, m, mentions).drop(columns=HIDDEN))


def read(root: str | Path, mentions: bool = False) -> pd.DataFrame:
    """The whole event table (or mention table), in order (loads it all: prefer
    :func:`query` or :func:`iter_frames`)."""
    from .export import conform
    from .table import empty_table
    frames = list(iter_frames(root, mentions))
    return conform(pd.concat(frames, ignore_index=True)) if frames else empty_table()


def _selected(months: dict, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> list[str]:
    """Files of the months whose [earliest start, latest end) meets [lo, hi)."""
    files = []
    for m, v in months.items():
        if lo is not None or hi is not None:
            if v["start"] is None:
                continue  # undated rows never overlap a range
            if hi is not None and pd.Timestamp(v["start"]) >= hi:
                continue
            if lo is not None and pd.Timestamp(v["end"]) <= lo:
                continue
        files += v["files"]
    return files


def _bounds(start: date | None, end: date | None):
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) + pd.Timedelta(days=1) if end is not None else None
    return lo, hi


def _ns(t: pd.Timestamp) -> pa.Scalar:
    return pa.scalar(pd.Timestamp(t).as_unit("ns").value, pa.timestamp("ns"))


def _range_filter(lo, hi):
    expr = None
    if lo is not None:
        expr = ds.field("end") > _ns(lo)
    if hi is not None:
        e = ds.field("start") < _ns(hi)
        expr = e if expr is None else expr & e
    return expr


def _dataset(root: Path, files: list[str]):
    return ds.dataset([str(root / f) for f in files], format="parquet")


def query(root: str | Path, start: date | None = None, end: date | None = None,
          where: str | None = None, mentions: bool = False) -> pd.DataFrame:
    """Events overlapping [start, end] (dates, both inclusive; like ``table.filter_range``)
    that satisfy ``where``, in table order; ``mentions``: from the mention table."""
    from .export import conform
    from .table import empty_table
    base, ms = _layer(root, mentions)
    lo, hi = _bounds(start, end)
    files = _selected(ms, lo, hi)
    if not files:
        return empty_table()
    data = _dataset(base, files)
    expr = _range_filter(lo, hi)
    if where:
        w = where_expression(where, data.schema)
        expr = w if expr is None else expr & w
    table = data.to_table(filter=expr)
    df = sort_frame(table.to_pandas()).drop(columns=HIDDEN)
    return conform(df)


def counts(root: str | Path, freq: str = "day", lane: str = "kind",
           start: date | None = None, end: date | None = None,
           where: str | None = None, mentions: bool = False) -> pd.DataFrame:
    """Events per period and lane, by start date: columns ``period``, ``lane``'s name, ``count``.

    ``freq``: day, week (Monday first) or month. For charts of stores too
    large to draw event by event."""
    if freq not in FREQS:
        raise StoreError(f"unknown freq {freq!r}: use {', '.join(FREQS)}")
    if lane not in COLUMNS:
        raise StoreError(f"unknown lane column {lane!r}: use one of {', '.join(COLUMNS)}")
    base, ms = _layer(root, mentions)
    lo, hi = _bounds(start, end)
    files = _selected(ms, lo, hi)
    empty = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                          lane: pd.Series(dtype="string"), "count": pd.Series(dtype="int64")})
    if not files:
        return empty
    data = _dataset(base, files)
    expr = ds.field("start").is_valid()
    if (r := _range_filter(lo, hi)) is not None:
        expr = expr & r
    if where:
        expr = expr & where_expression(where, data.schema)
    t = data.to_table(columns=["start", lane], filter=expr)
    if t.num_rows == 0:
        return empty
    period = pc.floor_temporal(t["start"], unit=FREQS[freq], week_starts_monday=True)
    g = pa.table({"period": period, lane: t[lane]}).group_by(["period", lane]).aggregate(
        [("period", "count")])
    df = g.to_pandas().rename(columns={"period_count": "count"})
    df = df.sort_values(["period", lane], na_position="last").reset_index(drop=True)
    return df.astype({"period": "datetime64[ns]", "count": "int64"})


# ------------------------------------------------------------------ --where

_CMP = {ast.Eq: "__eq__", ast.NotEq: "__ne__", ast.Lt: "__lt__", ast.LtE: "__le__",
        ast.Gt: "__gt__", ast.GtE: "__ge__"}
_STR_METHODS = {"contains": pc.match_substring, "startswith": pc.starts_with,
                "endswith": pc.ends_with}
WHERE_HELP = ("write a filter such as \"kind == 'expected'\", \"source in ['Reuters', 'AP'] "
              "and not deadline\", \"granularity != 'year'\", \"start >= '2022-10-01'\" or "
              "\"text.str.contains('drone')\"")


def where_expression(text: str, schema: pa.Schema) -> ds.Expression:
    """A pyarrow filter from a pandas-query-like expression (parsed, never evaluated).

    Columns by name; literals (strings, numbers, True/False/None); ``== != < <=
    > >=``, ``in`` / ``not in`` a list, ``and or not`` (or ``& | ~``),
    ``col.str.contains/startswith/endswith('x')``. Dates compare as ISO text."""
    try:
        tree = ast.parse(_words(text.strip()), mode="eval")
    except (SyntaxError, tokenize.TokenError) as e:
        raise StoreError(f"--where {text!r} is not an expression ({e.msg}): {WHERE_HELP}") from None
    return _Where(text, schema).node(tree.body)


def _words(text: str) -> str:
    """``& | ~`` as ``and or not``: as in pandas queries, they bind looser than comparisons."""
    words = {"&": " and ", "|": " or ", "~": " not "}
    out, pos = [], 0
    lines = text.splitlines(keepends=True)
    starts = [sum(len(x) for x in lines[:i]) for i in range(len(lines))]
    for t in tokenize.generate_tokens(io.StringIO(text).readline):
        if t.type == tokenize.OP and t.string in words:
            at = starts[t.start[0] - 1] + t.start[1]
            out += [text[pos:at], words[t.string]]
            pos = at + 1
    return "".join(out) + text[pos:]


class _Where:
    def __init__(self, text: str, schema: pa.Schema):
        self.text, self.schema = text, schema

    def fail(self, what: str):
        raise StoreError(f"--where {self.text!r}: {what}; {WHERE_HELP}")

    def node(self, n):
        if isinstance(n, ast.BoolOp):
            parts = [self.node(v) for v in n.values]
            out = parts[0]
            for p in parts[1:]:
                out = out & p if isinstance(n.op, ast.And) else out | p
            return out
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.Not, ast.Invert)):
            return ~self.node(n.operand)
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.BitAnd, ast.BitOr)):
            a, b = self.node(n.left), self.node(n.right)
            return a & b if isinstance(n.op, ast.BitAnd) else a | b
        if isinstance(n, ast.Compare):
            return self.compare(n)
        if isinstance(n, ast.Call):
            return self.call(n)
        if isinstance(n, ast.Name):  # a bare boolean column: "deadline"
            col = self.column(n)
            if not pa.types.is_boolean(self.schema.field(n.id).type):
                self.fail(f"cannot use {n.id!r} as a condition (it is not true/false)")
            return col == pa.scalar(True)
        self.fail(f"cannot use {ast.unparse(n)!r} as a condition")

    def column(self, n) -> ds.Expression:
        if not isinstance(n, ast.Name):
            self.fail(f"expected a column name, got {ast.unparse(n)!r}")
        if n.id not in self.schema.names or n.id in HIDDEN:
            names = ", ".join(c for c in self.schema.names if c not in HIDDEN)
            self.fail(f"unknown column {n.id!r} (columns: {names})")
        return ds.field(n.id)

    def value(self, n, col: str):
        if isinstance(n, (ast.List, ast.Tuple, ast.Set)):
            return [self.value(e, col) for e in n.elts]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub) and isinstance(n.operand, ast.Constant):
            return -n.operand.value
        if not isinstance(n, ast.Constant):
            self.fail(f"expected a literal, got {ast.unparse(n)!r}")
        v = n.value
        if isinstance(v, str) and pa.types.is_timestamp(self.schema.field(col).type):
            try:
                return _ns(pd.Timestamp(v))
            except ValueError:
                self.fail(f"{v!r} is not a date for column {col!r}")
        return v

    def compare(self, n: ast.Compare):
        out, left = None, n.left
        for op, right in zip(n.ops, n.comparators):
            a, b = left, right
            if not isinstance(a, ast.Name) and isinstance(b, ast.Name):
                a, b = b, a  # "'expected' == kind", "2 <= n_sources"
                op = {ast.Lt: ast.Gt(), ast.Gt: ast.Lt(), ast.LtE: ast.GtE(),
                      ast.GtE: ast.LtE()}.get(type(op), op)
            col = self.column(a)
            v = self.value(b, a.id)
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(v, list):
                    self.fail("'in' needs a list: kind in ['expected', 'ongoing']")
                e = col.isin(v)
                e = ~e if isinstance(op, ast.NotIn) else e
            elif type(op) in _CMP:
                if v is None:
                    if not isinstance(op, (ast.Eq, ast.NotEq)):
                        self.fail("None compares only with == or !=")
                    e = col.is_null() if isinstance(op, ast.Eq) else col.is_valid()
                else:
                    e = getattr(col, _CMP[type(op)])(v)
            else:
                self.fail(f"unsupported comparison {type(op).__name__}")
            out = e if out is None else out & e
            left = right
        return out

    def call(self, n: ast.Call):
        f = n.func
        ok = (isinstance(f, ast.Attribute) and f.attr in _STR_METHODS
              and isinstance(f.value, ast.Attribute) and f.value.attr == "str"
              and len(n.args) == 1 and not n.keywords and isinstance(n.args[0], ast.Constant)
              and isinstance(n.args[0].value, str))
        if not ok:
            self.fail(f"unsupported call {ast.unparse(n)!r}")
        col = self.column(f.value.value)
        return _STR_METHODS[f.attr](col, pattern=n.args[0].value)  # an Expression in, one out


def filter_frame(df: pd.DataFrame, where: str | None) -> pd.DataFrame:
    """``df`` rows that satisfy ``where`` (the same language as the store's queries)."""
    from .export import conform
    if not where:
        return df
    table = pa.Table.from_pandas(conform(df), preserve_index=False)
    expr = where_expression(where, table.schema)
    out = ds.dataset(table).to_table(filter=expr).to_pandas()
    return conform(out)
