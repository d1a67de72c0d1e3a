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

A store named by a URL (``s3://``, ``gs://``, ``memory://``...) lives on object
storage: built locally, uploaded and published by a pointer
(:mod:`timeline.objectstore`), read through pyarrow on the fsspec file system.
A ``file://`` URL is the local store at that path.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import shutil
import time
import tokenize
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import locking, objectstore, urls
from .table import COLUMNS

PARTITION = "month"
ORDER = "event_order"
SORT = ["start", "end", "first_start", "first_end", ORDER]
HIDDEN = SORT[2:]
UNDATED = "undated"
META = "_timeline.json"
MENTIONS = "_mentions"
VERSION = ".@"  # .S.@<id>: a version of store S (S links to one)
ROW_GROUP = 8192
LONG = pd.Timedelta(days=31)  # longer events: row groups of their own
FREQS = {"day": "day", "week": "week", "month": "month"}


class StoreError(ValueError):
    """A store that cannot be used, or a query that cannot be run, and why."""


def store_of(root: str | Path) -> Path:
    """The store a build writes to from its version folder ``.S.@<id>`` (or its
    mentions layer), to name it in messages; ``root`` itself otherwise."""
    root = Path(root)
    if root.name == MENTIONS:
        root = root.parent
    if root.name.startswith(".") and VERSION in root.name[1:]:
        return root.with_name(root.name[1:root.name.index(VERSION, 1)])
    return root


def write_failed(root: str | Path, e: OSError) -> StoreError:
    """One line for a store write that failed (a full disk, a read-only folder): the
    store it was for, why, and that a build never touches the published store."""
    store = store_of(root)
    why = in_the_way(e)
    if "No space left on device" in str(e):  # pyarrow's OSErrors carry no errno
        why = "No space left on device"
    kept = ("the store there is unchanged" if os.path.lexists(store) else "no store was written")
    return StoreError(f"cannot write the store {store}: {why}; {kept}: free space (or fix "
                      "the folder) and build again")


def in_the_way(e: OSError) -> str:
    """Why a write failed, in words: a file where a folder must be is named."""
    import errno
    if e.errno in (errno.EEXIST, errno.ENOTDIR) and e.filename:
        return f"{e.filename} (or a folder above it) is a file, not a folder"
    return e.strerror or str(e)


def _writes(fn):
    """``fn(root, ...)`` with an OSError as :func:`write_failed`'s StoreError."""
    import functools

    @functools.wraps(fn)
    def run(root, *args, **kwargs):
        try:
            return fn(root, *args, **kwargs)
        except OSError as e:
            raise write_failed(root, e) from None
    return run


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


def _names(path: Path) -> dict[str, Path]:
    """The hidden siblings of a store ``path``: its lock, its pending link, version prefix."""
    return {"lock": path.with_name(f".{path.name}.lock"),
            "next": path.with_name(f".{path.name}.next"),
            "version": path.with_name(f".{path.name}{VERSION}")}


@_writes
def lock(path: str | Path) -> locking.Lock:
    """The exclusive lock of the store at ``path``, taken (StoreError when another
    build holds it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return locking.Lock(_names(path)["lock"]).acquire()
    except locking.Busy as e:
        raise StoreError(f"the store {path} is being built by another process ({e}): "
                         "wait for that build to finish, or give another --store") from None


@_writes
def prepare(path: str | Path) -> Path:
    """A fresh version folder beside ``path`` to build the store in (see :func:`commit`).

    Call it holding :func:`lock`. Refuses a ``path`` that holds anything but a
    store, so a typo never replaces someone's folder; finishes a publish that
    was interrupted and removes what killed builds left behind."""
    path = Path(path)
    recover(path)
    if path.exists() and not (path / META).is_file():
        if not path.is_dir():
            raise StoreError(f"{path} is a file: --store needs a folder")
        if any(path.iterdir()):
            raise StoreError(f"{path} exists and is not a timeline store: give a new or "
                             "empty folder, or a store written by timeline build --store")
    current = _target(path)
    for p in _versions(path):  # unsealed versions: builds that were killed
        if p != current and not (p / META).is_file():
            shutil.rmtree(p, ignore_errors=True)
    partial = path.with_name(f".{path.name}{VERSION}{objectstore.version_id()}")
    partial.mkdir(parents=True)
    return partial


def recover(path: str | Path) -> None:
    """Finish what an interrupted publish (or the old two-rename commit) left: call it
    holding the lock. A store path that is missing gets its pending version back."""
    path = Path(path)
    n = _names(path)
    if not path.exists() and not path.is_symlink() and n["next"].is_symlink():
        os.replace(n["next"], path)
    elif n["next"].is_symlink():
        n["next"].unlink()
    elif n["next"].is_dir():  # an old folder store swapped out, killed before it was renamed
        n["next"].rename(path.with_name(f".{path.name}{VERSION}{time.time_ns():x}-old"))
    partial, old = path.with_name(f".{path.name}.partial"), path.with_name(f".{path.name}.old")
    if not path.exists() and not path.is_symlink():  # before versioned folders
        for p in (partial, old):
            if (p / META).is_file():
                p.rename(path)
                break
    for p in (partial, old):
        shutil.rmtree(p, ignore_errors=True)


@_writes
def commit(partial: Path, path: str | Path, **extra) -> dict:
    """Seal the store built in ``partial`` and publish it at ``path``, replacing an old store.

    ``path`` becomes a symbolic link to ``partial`` by one atomic rename: at any
    moment ``path`` is the old store or the new one. The old version stays until
    the next publish (a reader that opened it reads it to the end); older ones go."""
    path = Path(path)
    info = seal(partial, **extra)
    _fsync_dir(partial)
    n = _names(path)
    old = _target(path)
    with contextlib.suppress(FileNotFoundError):
        n["next"].unlink()
    os.symlink(partial.name, n["next"])
    moved = None
    try:
        if path.is_dir() and not path.is_symlink():  # a store from before versions: a folder
            legacy = path.with_name(f".{path.name}{VERSION}{objectstore.version_id()}-old")
            old = legacy
            if _exchange(n["next"], path):  # one atomic swap: the folder is now ``next``
                n["next"].rename(legacy)  # killed before: recover() names it a version
                moved = None
            else:  # no renameat2: two renames, readers and the next build follow ``next``
                moved = legacy
                path.rename(legacy)
                os.replace(n["next"], path)
        else:
            os.replace(n["next"], path)
    except BaseException:
        if moved is not None and moved.is_dir() and not os.path.lexists(path):
            moved.rename(path)  # an error, not a kill: put the old store back
        with contextlib.suppress(OSError):
            n["next"].unlink()
        raise
    _fsync_dir(path.parent)
    for p in _versions(path):
        if p not in (partial, old):
            shutil.rmtree(p, ignore_errors=True)
    return info


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, exchange = -100, 2
    # any failure (no such call, a file system without it): the caller falls back
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), exchange) == 0


def discard(partial: Path, path: str | Path) -> None:
    """Remove the version folder of a build that failed, unless it is published
    (or pending: a publish whose last step failed)."""
    n = _names(Path(path))
    if Path(partial) not in (_target(Path(path)), _target(n["next"])):
        shutil.rmtree(partial, ignore_errors=True)


def prepare_remote(url: str) -> None:
    """Check, before a build, that the store at ``url`` (object storage) can be
    written: a store there, or nothing; StoreError otherwise, as :func:`prepare`."""
    try:
        what = objectstore.state(url)
    except urls.URLError as e:
        raise StoreError(f"cannot use the store {url}: {e}") from None
    except Exception as e:  # the file system's own: access, network
        raise StoreError(f"cannot reach the store {url}: {urls.why(e)}") from None
    if what == "other":
        raise StoreError(f"{url} exists and is not a timeline store: give a new or empty "
                         "prefix, or a store written by timeline build --store")


def publish_remote(partial: Path, url: str) -> str:
    """Upload the sealed local version ``partial`` to the store at ``url`` (object
    storage) and publish it (:func:`objectstore.publish`); its id."""
    try:
        return objectstore.publish(partial, url)
    except Exception as e:  # the file system's own: access, network, quota
        raise StoreError(f"cannot write the store {url}: {urls.why(e)}; readers still see a "
                         "whole version (never a half-written one): build again once that "
                         "is fixed") from None


def _versions(path: Path) -> list[Path]:
    prefix = f".{path.name}{VERSION}"
    try:
        return sorted(p for p in path.parent.iterdir()
                      if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink())
    except FileNotFoundError:
        return []


def _target(path: Path) -> Path | None:
    """The version folder a store path points to (None: not a link)."""
    if path.is_symlink():
        return path.parent / os.readlink(path)
    return None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@_writes
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

def _located(fn):
    """``fn(root, ...)`` with a ``file://`` URL as its local path: the local store's code."""
    import functools

    @functools.wraps(fn)
    def run(root, *args, **kwargs):
        return fn(urls.local_path(root), *args, **kwargs)
    return run


def _open(root: str | Path) -> Path | objectstore.Version:
    """The folder a store's files are read from: the version its link points to
    (read once: a reader keeps reading the version it opened), or the folder itself;
    on object storage, the version its pointer names."""
    if isinstance(root, objectstore.Version):  # opened already
        return root
    if urls.is_remote(root):
        return _remote(root)
    root = Path(root)
    if root.is_symlink():
        return _target(root)
    if not root.exists() and (n := _names(root)["next"]).is_symlink():
        return _target(n)  # a publish was interrupted: the pending version
    return root


def _remote(url: str) -> objectstore.Version:
    """The published version of the store at ``url``; StoreError when there is none."""
    try:
        return objectstore.open_version(url)
    except urls.URLError as e:
        raise StoreError(f"cannot read the store {url}: {e}") from None
    except FileNotFoundError:
        try:
            other = objectstore.state(url) == "other"
        except Exception:  # the pointer is missing: that is the message
            other = False
        what = f"is not a timeline store (no {objectstore.POINTER})" if other else "does not exist"
        raise StoreError(f"{url} {what}: build a store there with "
                         f"timeline build INPUT... --store {url}") from None
    except ValueError as e:  # a pointer that is not one
        raise _damaged(url, e) from None
    except Exception as e:  # the file system's own: access, network
        raise StoreError(f"cannot read the store {url}: {urls.why(e)}") from None


def _arrow(base):
    """The file system pyarrow reads a version's files with (None: the local one)."""
    return base.arrow if isinstance(base, objectstore.Version) else None


def _meta(base: Path | objectstore.Version, root: Path) -> dict:
    try:
        text = (base.read_text(META) if isinstance(base, objectstore.Version)
                else (base / META).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        if base != root:  # a version folder without its seal: damaged, or just replaced
            raise
        what = (f"is not a timeline store (no {META})" if os.path.lexists(root) else
                "does not exist")
        raise StoreError(f"{root} {what}: build a store there with "
                         f"timeline build INPUT... --store {root}") from None
    meta = json.loads(text)
    if not isinstance(meta, dict) or not isinstance(meta.get("months"), dict):
        raise ValueError(f"{META} has no months")
    return meta


_DAMAGE = (OSError, pa.ArrowException, ValueError, KeyError, TypeError, IndexError,
           AttributeError)


def _damaged(root, e: BaseException) -> StoreError:
    what = (str(e).strip().splitlines() or [type(e).__name__])[0][:300]
    return StoreError(f"the store {root} is damaged ({type(e).__name__}: {what}): rebuild it "
                      f"with timeline build INPUT... --store {root}")


def _reading(root: str | Path, fn):
    """``fn(version folder)``, again on the new version when the store was replaced
    while it read (the version it opened removed); a clear StoreError when damaged."""
    for attempt in range(3):
        base = _open(root)
        try:
            return fn(base)
        except _DAMAGE as e:
            if attempt < 2 and _open(root) != base:
                continue
            if isinstance(e, StoreError):
                raise
            raise _damaged(root, e) from None


@_located
def info(root: str | Path) -> dict:
    """What the store holds; StoreError when ``root`` is not a store."""
    return _reading(root, lambda base: _meta(base, Path(root)))


@_located
def verify(root: str | Path) -> dict:
    """``info(root)`` after checking that every file it lists is there and holds the
    rows it counts (Parquet footers only); StoreError naming the first problem."""
    def check(base):
        meta = _meta(base, Path(root))
        layers = [meta] + ([meta["mentions"]] if "mentions" in meta else [])
        for layer in layers:
            total = 0
            for month, m in layer["months"].items():
                rows = sum(pq.ParquetFile(base / f, filesystem=_arrow(base)).metadata.num_rows
                           for f in m["files"])
                if rows != m["events"]:
                    raise ValueError(f"month {month} holds {rows} rows, not {m['events']}")
                total += rows
            if total != layer["events"]:
                raise ValueError(f"{total} rows, not {layer['events']}")
        return meta
    return _reading(root, check)


def _layer(root: str | Path, mentions: bool = False, name=None) -> tuple[Path, dict]:
    """(the folder the paths are relative to, its ``months``): events, or mentions
    (``name``: the store's path as given, for messages)."""
    base = _open(root)
    meta = _meta(base, Path(name or root))
    if mentions and "mentions" in meta:
        return base, meta["mentions"]["months"]
    return base, meta["months"]  # not merged: the events are the mentions


@_located
def months(root: str | Path, mentions: bool = False) -> list[str]:
    return _reading(root, lambda base: list(_layer(base, mentions, root)[1]))


def _read_month(base: Path, month: str, mentions: bool = False, name=None) -> pd.DataFrame:
    base, ms = _layer(base, mentions, name)
    files = [base / f for f in ms[month]["files"]]
    fs = _arrow(base)
    df = (pq.read_table(files, filesystem=fs) if len(files) > 1 else
          pq.read_table(files[0], filesystem=fs)).to_pandas()
    return sort_frame(df).reset_index(drop=True)


@_located
def read_month(root: str | Path, month: str, mentions: bool = False) -> pd.DataFrame:
    """One month's rows in table order, with the sort key columns."""
    return _reading(root, lambda base: _read_month(base, month, mentions, root))


@_located
def iter_frames(root: str | Path, mentions: bool = False) -> Iterator[pd.DataFrame]:
    """The table month by month, in order, each in ``COLUMNS`` dtypes (bounded memory).

    Reads the version of the store open at the first month to the end."""
    from .export import conform
    base = _open(root)
    try:
        names = list(_layer(base, mentions, root)[1])
    except _DAMAGE as e:
        if isinstance(e, StoreError):
            raise
        raise _damaged(root, e) from None
    for m in names:
        try:
            df = _read_month(base, m, mentions, root)
        except _DAMAGE as e:
            if isinstance(e, FileNotFoundError) and _open(root) != base:
                raise StoreError(f"the store {root} was rebuilt twice while it was read: "
                                 "read it again") from None
            raise _damaged(root, e) from None
        yield conform(df.drop(columns=HIDDEN))


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


def _dataset(root: Path | objectstore.Version, files: list[str]):
    return ds.dataset([str(root / f) for f in files], format="parquet", filesystem=_arrow(root))


@_located
def query(root: str | Path, start: date | None = None, end: date | None = None,
          where: str | None = None, mentions: bool = False) -> pd.DataFrame:
    """Events overlapping [start, end] (dates, both inclusive; like ``table.filter_range``)
    that satisfy ``where``, in table order; ``mentions``: from the mention table."""
    from .export import conform
    from .table import empty_table
    lo, hi = _bounds(start, end)
    if where:
        check_where(where)

    def run(base):
        base, ms = _layer(base, mentions, root)
        files = _selected(ms, lo, hi)
        if not files:
            return empty_table()
        data = _dataset(base, files)
        expr = _range_filter(lo, hi)
        if where:
            w = where_expression(where, data.schema)
            expr = w if expr is None else expr & w
        table = _to_table(data, where, filter=expr)
        return conform(sort_frame(table.to_pandas()).drop(columns=HIDDEN))
    return _reading(root, run)


def _to_table(data, where, **kw) -> pa.Table:
    try:
        return data.to_table(**kw)
    except (pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
        if not where:
            raise
        what = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        raise StoreError(f"--where {where!r} cannot be run ({what}); {WHERE_HELP}") from None


@_located
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
    if where:
        check_where(where)
    lo, hi = _bounds(start, end)
    empty = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                          lane: pd.Series(dtype="string"), "count": pd.Series(dtype="int64")})

    def run(base):
        base, ms = _layer(base, mentions, root)
        files = _selected(ms, lo, hi)
        if not files:
            return empty
        data = _dataset(base, files)
        expr = ds.field("start").is_valid()
        if (r := _range_filter(lo, hi)) is not None:
            expr = expr & r
        if where:
            expr = expr & where_expression(where, data.schema)
        t = _to_table(data, where, columns=["start", lane], filter=expr)
        if t.num_rows == 0:
            return empty
        period = pc.floor_temporal(t["start"], unit=FREQS[freq], week_starts_monday=True)
        g = pa.table({"period": period, lane: t[lane]}).group_by(["period", lane]).aggregate(
            [("period", "count")])
        df = g.to_pandas().rename(columns={"period_count": "count"})
        df = df.sort_values(["period", lane], na_position="last").reset_index(drop=True)
        return df.astype({"period": "datetime64[ns]", "count": "int64"})
    return _reading(root, run)


# ------------------------------------------------------------------ --where

_CMP = {ast.Eq: "__eq__", ast.NotEq: "__ne__", ast.Lt: "__lt__", ast.LtE: "__le__",
        ast.Gt: "__gt__", ast.GtE: "__ge__"}
_STR_METHODS = {"contains": pc.match_substring, "startswith": pc.starts_with,
                "endswith": pc.ends_with}
WHERE_HELP = ("write a filter such as \"kind == 'expected'\", \"source in ['Reuters', 'AP'] "
              "and not deadline\", \"granularity != 'year'\", \"start >= '2022-10-01'\" or "
              "\"text.str.contains('drone')\"")


WHERE_MAX_CHARS = 4000  # longer: "write a shorter filter" (a long 'in' list fits)
WHERE_MAX_TERMS = 200  # conditions joined by and/or
WHERE_MAX_DEPTH = 24  # parentheses and not/~ nested
WHERE_MAX_VALUES = 2000  # literals in 'in' lists


def _show(text) -> str:
    r = repr(text)
    return r if len(r) <= 80 else f"{r[:60]}... ({len(text)} characters)"


def _where_error(text, what: str) -> StoreError:
    return StoreError(f"--where {_show(text)}: {what}; {WHERE_HELP}")


def check_where(text: str) -> ast.Expression:
    """The parsed ``--where`` expression after its limits (size, depth, terms) are
    checked: a StoreError saying what to change otherwise, before anything runs."""
    if not isinstance(text, str):
        raise _where_error(text, "give the filter as text")
    if len(text) > WHERE_MAX_CHARS:
        raise _where_error(text, f"longer than {WHERE_MAX_CHARS} characters: write a "
                                 "shorter filter (one 'in' list instead of many == or |)")
    try:
        src, depth = _words(text.strip())
    except (tokenize.TokenError, SyntaxError, ValueError) as e:
        raise _where_error(text, f"is not an expression ({_reason(e)})") from None
    if depth > WHERE_MAX_DEPTH:
        raise _where_error(text, f"nested more than {WHERE_MAX_DEPTH} levels deep (parentheses, "
                                 "not, ~): write a flatter filter")
    try:
        tree = ast.parse(src.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise _where_error(text, f"is not an expression ({_reason(e)})") from None
    terms = values = 0
    stack = [(tree.body, 0)]
    while stack:  # no recursion: the tree may be deep
        n, d = stack.pop()
        if d > WHERE_MAX_DEPTH:
            raise _where_error(text, f"nested more than {WHERE_MAX_DEPTH} levels deep: write a "
                                     "flatter filter")
        if isinstance(n, (ast.Compare, ast.Call, ast.Name)):
            terms += 1
        elif isinstance(n, ast.Constant):
            values += 1
        stack += [(c, d + 1) for c in ast.iter_child_nodes(n)]
    if terms > WHERE_MAX_TERMS:
        raise _where_error(text, f"more than {WHERE_MAX_TERMS} conditions: write a shorter "
                                 "filter (one 'in' list instead of many == or |)")
    if values > WHERE_MAX_VALUES:
        raise _where_error(text, f"more than {WHERE_MAX_VALUES} values: query in several steps")
    return tree


def _reason(e: BaseException) -> str:
    if isinstance(e, RecursionError | MemoryError):
        return "too deeply nested"
    msg = getattr(e, "msg", None) or (e.args[0] if e.args else type(e).__name__)
    return str(msg).splitlines()[0] if str(msg).strip() else type(e).__name__


def where_expression(text: str, schema: pa.Schema) -> ds.Expression:
    """A pyarrow filter from a pandas-query-like expression (parsed, never evaluated).

    Columns by name; literals (strings, numbers, True/False/None); ``== != < <=
    > >=``, ``in`` / ``not in`` a list, ``and or not`` (or ``& | ~``),
    ``col.str.contains/startswith/endswith('x')``. Dates compare as ISO text.
    Literals must suit the column's type (text, number, true/false, date)."""
    tree = check_where(text)
    return _Where(text, schema).node(tree.body)


def _words(text: str) -> tuple[str, int]:
    """``& | ~`` as ``and or not``: as in pandas queries, they bind looser than comparisons;
    and how deep the text nests (parentheses plus a run of not/~), counted on tokens."""
    words = {"&": " and ", "|": " or ", "~": " not "}
    out, pos = [], 0
    lines = text.splitlines(keepends=True)
    starts, at = [], 0
    for x in lines:
        starts.append(at)
        at += len(x)
    parens = run = deepest = 0
    for t in tokenize.generate_tokens(io.StringIO(text).readline):
        if t.type == tokenize.OP and t.string in "([{":
            parens += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            parens -= 1
        if t.string in ("not", "~") and t.type in (tokenize.OP, tokenize.NAME):
            run += 1
        elif t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            run = 0 if t.string != "(" else run
        deepest = max(deepest, parens + run)
        if t.type == tokenize.OP and t.string in words:
            at = starts[t.start[0] - 1] + t.start[1]
            out += [text[pos:at], words[t.string]]
            pos = at + 1
    return "".join(out) + text[pos:], deepest


_KINDS = [(pa.types.is_string, "text", (str,), "'quoted text'"),
          (pa.types.is_large_string, "text", (str,), "'quoted text'"),
          (pa.types.is_boolean, "true/false", (bool,), "True or False"),
          (pa.types.is_integer, "numbers", (int, float), "a number"),
          (pa.types.is_floating, "numbers", (int, float), "a number"),
          (pa.types.is_timestamp, "dates", (pa.Scalar,), "a date such as '2022-10-01'")]


def _kind(t: pa.DataType):
    if pa.types.is_dictionary(t):
        t = t.value_type
    return next((k for k in _KINDS if k[0](t)), None)


class _Where:
    def __init__(self, text: str, schema: pa.Schema):
        self.text, self.schema = text, schema

    def fail(self, what: str):
        raise _where_error(self.text, what)

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
        if (isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub)
                and isinstance(n.operand, ast.Constant)
                and isinstance(n.operand.value, int | float)
                and not isinstance(n.operand.value, bool)):
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
            self.check_type(a.id, v)
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

    def check_type(self, col: str, v):
        kind = _kind(self.schema.field(col).type)
        if kind is None:
            return
        for x in v if isinstance(v, list) else [v]:
            if x is None:
                continue
            if not isinstance(x, kind[2]) or (bool in kind[2]) != isinstance(x, bool):
                self.fail(f"{col!r} holds {kind[1]}: compare it with {kind[3]}, not {x!r}")

    def call(self, n: ast.Call):
        f = n.func
        ok = (isinstance(f, ast.Attribute) and f.attr in _STR_METHODS
              and isinstance(f.value, ast.Attribute) and f.value.attr == "str"
              and len(n.args) == 1 and not n.keywords and isinstance(n.args[0], ast.Constant)
              and isinstance(n.args[0].value, str))
        if not ok:
            self.fail(f"unsupported call {ast.unparse(n)!r}")
        col = self.column(f.value.value)
        kind = _kind(self.schema.field(f.value.value.id).type)
        if kind is not None and kind[1] != "text":
            self.fail(f"{f.value.value.id!r} holds {kind[1]}, not text: .str.{f.attr}() "
                      "needs a text column")
        return _STR_METHODS[f.attr](col, pattern=n.args[0].value)  # an Expression in, one out


def filter_frame(df: pd.DataFrame, where: str | None) -> pd.DataFrame:
    """``df`` rows that satisfy ``where`` (the same language as the store's queries)."""
    from .export import conform
    if not where:
        return df
    table = pa.Table.from_pandas(conform(df), preserve_index=False)
    expr = where_expression(where, table.schema)
    out = _to_table(ds.dataset(table), where, filter=expr).to_pandas()
    return conform(out)
