"""The local engine: documents read, tagged and merged in parallel processes, in bounded memory.

    with scale.run(["archive.jsonl"], workers=2, store="events/") as r:
        r.documents, r.events, r.skipped      # counts and the readers' reasons
        r.write_table("events.csv")           # streamed month by month
        store.query(r.store, start, end)      # date queries on the store

``timeline.build(inputs, workers=2)`` runs this engine and wraps the result
in a ``Timeline``; engines know nothing of the API above them.

Work is cut into parts of about ``chunk_docs`` documents (:mod:`timeline.partition`).
Worker processes first list each part's document ids (a cheap read), the
parent makes them unique in input order, then workers read, tag and tabulate
whole parts under their final ids; resources load once per worker and only
part descriptions and mention frames cross processes. The parent buffers rows
by month in a spill folder, from which the mention table is written month by
month (in parallel), then merged by independent month windows in the worker
processes, the parent settling the rows two windows both claim
(:func:`merge_store`, :mod:`timeline.windows`). The result is the same, row
for row, for any number of workers, part size or engine, and equals the
in-process ``timeline.build``'s table while the mention table fits in one
merge block.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from . import locking, partition, pipeline, store as st, urls, windows
from .model import Document
from .partition import CHUNK_DOCS, Part, PartResult, ReadOptions, Resolver
from .sources import Skipped
from .table import LIST_SEP

SPILL_ROWS = 50_000
MERGE_BLOCK_ROWS = 5_000  # more mentions: merged month by month (merge cost grows faster than rows)
STREAMED = ("csv", "parquet")  # table formats written month by month
HTML_MAX_EVENTS = 50_000  # more events than this: no single HTML page


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class BuildResult:
    """A finished build: the store (a temporary one unless asked for; a URL on object
    storage) and what was read."""

    store: Path | str
    documents: int
    events: int
    skipped: list[Skipped]
    peak_rss_kb: dict[str, int] = field(default_factory=dict)  # per worker process
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU time per worker process
    document_list: list[Document] | None = None
    mentions: int = 0
    _tmp: tempfile.TemporaryDirectory | None = None
    merge_windows: int = 0  # windows merged (timeline.windows), and components merged again
    remerged: int = 0

    def table(self) -> pd.DataFrame:
        """The whole event table (in memory)."""
        return st.read(self.store)

    def mention_table(self) -> pd.DataFrame:
        """One row per mention, before merging (in memory)."""
        return st.read(self.store, mentions=True)

    def write_table(self, path: str | Path, fmt: str | None = None, title: str | None = None) -> Path:
        """Write the table: csv and parquet month by month, other tables whole
        (``export.write_table``; the page and TimeML: ``Timeline.save``)."""
        from . import export
        kind = export.format_for(path, fmt)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind not in STREAMED:
            return export.write_table(self.table(), path, kind, title=title)
        write_streamed(st.iter_frames(self.store), path, kind)
        return path

    def summary(self) -> str:
        return pipeline.summary(self.documents, self.events, len(self.skipped))

    def close(self):
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_streamed(frames: Iterable[pd.DataFrame], path: Path, kind: str) -> None:
    """CSV or Parquet from table chunks in order; the same bytes (CSV) or table
    (Parquet) as ``export.write_table`` on the whole table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from . import atomic, export
    from .table import empty_table
    if kind == "csv":
        with atomic.atomic_open(path) as f:  # aside, fsync, rename: never a truncated file
            head = True
            for df in frames:
                if len(df):
                    text = export.to_csv(df)
                    f.write((text if head else text.split("\r\n", 1)[1]).encode("utf-8"))
                    head = False
            if head:
                f.write(export.to_csv(empty_table()).encode("utf-8"))
        return
    schema = pa.Schema.from_pandas(export.conform(empty_table()), preserve_index=False)
    with atomic.atomic_open(path) as f, pq.ParquetWriter(f, schema) as w:
        for df in frames:
            if len(df):
                w.write_table(pa.Table.from_pandas(export.conform(df), schema=schema,
                                                   preserve_index=False))


# ------------------------------------------------------------------ merging by month windows

def merge_store(root: Path, statements: bool = False, block_rows: int = MERGE_BLOCK_ROWS,
                merge: Callable | None = None, submit: Callable | None = None,
                ahead: int = 1, counts=None, remerge_rows: int | None = None) -> dict:
    """Merge the mention table in ``root/_mentions`` into the event table in ``root``.

    By windows of whole months with halos, each merged on its own
    (:mod:`timeline.windows`): ``submit(fn, *args)`` runs one and returns a
    future (a process pool's or a Dask client's; default: here, now), at most
    ``ahead`` at a time; this process settles the rows two windows both claim
    and writes each month once no later window can add to it. One window over
    the whole table (at most ``block_rows`` mentions) is exactly the in-process
    merge. ``counts``: the whole input's :class:`timeline.merge.Rarity`, which
    every window then uses (default: each window's own). A component no window
    saw whole is merged again whole up to ``remerge_rows`` mentions (default: the
    biggest block's, at least ``MERGE_BLOCK_ROWS``), else block by block, so no
    task merges more than a window does. Returns counts: windows,
    settled components merged again, and the peak RSS and CPU time of each
    process that merged."""
    stats = st._stats(root, st.MENTIONS)["months"]
    plan = windows.plan({m: v["events"] for m, v in stats.items()}, block_rows,
                        windows.halo_days())
    out = _MonthWriter(root)
    submit = submit or windows.here

    def remerge(ids, seen):  # a task too: the parent only settles
        # only the months its mentions start in (by start: their partitions),
        # not the dozens the windows that saw them read
        held = {pd.Timestamp(settle.starts[x]).strftime("%Y-%m") for x in ids}
        read = tuple(dict.fromkeys(m for w in plan if w.no in seen for m in w.read if m in held))
        return submit(windows.remerge_window, root, read, ids, statements, merge, counts)
    # a chain of near-copies can run through every window of a dense archive: merged
    # again whole, it would be the whole archive's merge in one task
    most = remerge_rows or max([MERGE_BLOCK_ROWS] + [sum(stats[m]["events"] for m in w.months)
                                                     for w in plan])
    settle = windows.Settlement(plan, remerge, most)
    rss: dict[str, int] = {}
    cpu: dict[str, float] = {}
    pending: list[windows.Pending] = []

    def take(rows):
        for x in rows:
            if isinstance(x, windows.Pending):
                pending.append(x)
            else:
                out.add(x)
    for r in windows.ordered(lambda w: submit(windows.merge_window, root, w, statements, merge,
                                              counts),
                             plan, max(1, ahead)):
        rss[str(r.pid)] = max(rss.get(str(r.pid), 0), r.rss_kb)
        cpu[str(r.pid)] = max(cpu.get(str(r.pid), 0.0), r.cpu_s)
        take(settle.add(r))
        for p in [p for p in pending if p.future.done()]:
            pending.remove(p)
            out.add(p.future.result())
        bound = settle.bound(r.no)
        if pending:
            lo = min(p.lo for p in pending)
            bound = lo if bound is None else min(bound, lo)
        if bound is not None:
            out.flush(before=str(st.month_of(pd.Series([pd.Timestamp(bound)]))[0]))
    take(settle.finish())
    for p in pending:
        out.add(p.future.result())
    out.flush()
    return {"windows": len(plan), "remerged": settle.remerged,
            "remerged_mentions": settle.remerged_mentions, "rss_kb": rss, "cpu_s": cpu}


class _MonthWriter:
    """Merged rows buffered by month, written once no later window can add to them."""

    def __init__(self, root: Path):
        self.root, self.rows = root, {}

    def add(self, df: pd.DataFrame):
        for month, g in df.groupby(st.month_of(df["start"]), sort=False):
            self.rows.setdefault(str(month), []).append(g)

    def flush(self, before: str | None = None):
        for month in list(self.rows):
            if before is None or st._month_key(month) < st._month_key(before):
                df = pd.concat(self.rows.pop(month), ignore_index=True)
                st.write_month(self.root, month, st.sort_frame(df).reset_index(drop=True))


# ------------------------------------------------------------------ the local engine

class _Spill:
    """Mention rows buffered by month in a folder, flushed every ``SPILL_ROWS`` rows
    (few, large files: one file per part and month would be tens of thousands)."""

    def __init__(self, folder: Path, rows: int = SPILL_ROWS):
        self.folder, self.limit = folder, rows
        self.frames: list[pd.DataFrame] = []
        self.rows = self.flushes = 0

    def add(self, df: pd.DataFrame):
        if len(df):
            self.frames.append(df)
            self.rows += len(df)
            if self.rows >= self.limit:
                self.flush()

    def flush(self):
        import pyarrow as pa
        import pyarrow.parquet as pq
        if not self.frames:
            return
        df = pd.concat(self.frames, ignore_index=True)
        self.frames, self.rows = [], 0
        for month, g in df.groupby(st.PARTITION, sort=False):
            d = self.folder / str(month)
            d.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pandas(g.drop(columns=st.PARTITION), preserve_index=False),
                           d / f"{self.flushes:06d}.parquet")
        self.flushes += 1

    def months(self) -> list[str]:
        self.flush()
        if not self.folder.is_dir():
            return []
        return sorted((p.name for p in self.folder.iterdir()), key=st._month_key)


def _table_month(spill: Path, root: Path, month: str) -> None:
    """One month of the mention table from its spilled parts, in table order."""
    import pyarrow.parquet as pq
    df = pq.read_table(spill / month).to_pandas()
    st.write_month(root, month, st.sort_frame(df).reset_index(drop=True))


def _table_months(spill: _Spill, root: Path, workers: int) -> None:
    """Every month of the mention table, in parallel when there are workers:
    months are independent, and this is the serial tail of a build otherwise."""
    months = spill.months()
    if workers == 1 or len(months) < 2:
        for month in months:
            _table_month(spill.folder, root, month)
        return
    with ProcessPoolExecutor(workers, mp_context=_context(),
                             initializer=locking.die_with_parent) as pool:
        for f in [pool.submit(_table_month, spill.folder, root, m) for m in months]:
            f.result()


def run(inputs: Iterable[str | Path] | str | Path, *, workers: int | None = None,
        store: str | Path | None = None, chunk_docs: int = CHUNK_DOCS,
        published: str | date | None = None, allow_undated: bool = False,
        fields: dict[str, str] | None = None, merge: bool = True, statements: bool = False,
        merge_block: int = MERGE_BLOCK_ROWS, keep_documents: bool = False,
        progress: Callable[[Document | Skipped], None] | None = None) -> BuildResult:
    """Build the event store of ``inputs`` with ``workers`` processes (default: all cores).

    ``store``: the folder to keep (a temporary one otherwise, removed by
    ``close()``). ``merge``: one row per happening (``timeline.merge``; with
    ``statements`` as in ``timeline.build``; by month windows of ``merge_block``
    mentions, see :func:`merge_store`), else one row per mention. ``progress``
    is called with each document (without its text) and each Skipped as parts
    finish (see :mod:`timeline.progress`). ``keep_documents`` keeps the
    documents (for TimeML output).
    """
    opts = ReadOptions.of(published, allow_undated, fields)
    workers = max(1, workers or default_workers())
    with Build(store, merge, statements, merge_block) as b:
        spill = _Spill(Path(b.tmp.name) / "spill")
        results = _execute(partition.plan(inputs, chunk_docs), opts, workers, keep_documents,
                           spill, progress, counts=merge)
        _table_months(spill, b.mentions, workers)
        shutil.rmtree(spill.folder, ignore_errors=True)
        rss, cpu = usage(results)
        if workers == 1 or not merge:
            return b.finish(results, rss, cpu, keep_documents)
        # the merge windows in worker processes too: they are independent
        with ProcessPoolExecutor(workers, mp_context=_context(),
                                 initializer=locking.die_with_parent) as pool:
            return b.finish(results, rss, cpu, keep_documents, pool.submit, 2 * workers)


class Build:
    """The folders of a build, its merge, its seal, and cleaning up after a failure."""

    def __init__(self, store, merge: bool, statements: bool = False,
                 block: int = MERGE_BLOCK_ROWS):
        self.tmp = locking.temp_dir()  # also removes those of killed runs
        self.keep = store is not None
        store = urls.local_path(store)  # file:// is a local store, with its guarantees
        # object storage: built in a local staging store, then uploaded (st.publish_remote)
        self.url = store if urls.is_remote(store) else None
        self.final = (Path(store) if store is not None and self.url is None
                      else Path(self.tmp.name) / "store")
        self.merge, self.statements, self.block = merge, statements, block
        self.lock = None
        try:  # one build of a store at a time, each in its own version folder
            if self.url is not None:
                st.prepare_remote(self.url)  # refused before the work, not after it
            self.lock = st.lock(self.final)
            self.partial = st.prepare(self.final)
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            self.tmp.cleanup()
            raise
        self.mentions = self.partial / st.MENTIONS if merge else self.partial

    def finish(self, results: list[PartResult], rss: dict[str, int], cpu: dict[str, float],
               keep_documents: bool, submit: Callable | None = None,
               ahead: int = 1) -> BuildResult:
        """Merge (windows run by ``submit``, see :func:`merge_store`), seal, and
        gather what the parts read (both engines)."""
        m = {"windows": 0, "remerged": 0}
        if self.merge:
            parts = [r.extra.get("rarity") for r in results]
            # the whole input's word rarity for every window (when each part counted its own)
            counts = sum(parts[1:], parts[0]) if parts and None not in parts else None
            m = merge_store(self.partial, self.statements, self.block, submit=submit,
                            ahead=ahead, counts=counts)
            rss, cpu = dict(rss), dict(cpu)
            for k, v in m["rss_kb"].items():
                rss[k] = max(rss.get(k, 0), v)
            for k, v in m["cpu_s"].items():
                cpu[k] = max(cpu.get(k, 0.0), v)
        skipped = [s for r in results for s in r.skipped]
        documents = sum(len(r.ids) - len(r.extra.get("failed", ())) for r in results)
        meta = st.commit(self.partial, self.final, documents=documents, skipped=len(skipped),
                         merged=self.merge)
        if self.url is not None:
            st.publish_remote(self.partial, self.url)
        docs = [d for r in results for d in (r.documents or ())] if keep_documents else None
        mentions = meta["mentions"]["events"] if "mentions" in meta else meta["events"]
        return BuildResult(self.url or self.final, documents, meta["events"], skipped, rss,
                           cpu, docs, mentions, None if self.keep else self.tmp, m["windows"],
                           m["remerged"])

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        if kind is not None or self.keep:
            self.tmp.cleanup()  # a kept store lives outside; a failed build leaves nothing
        if kind is not None:
            st.discard(self.partial, self.final)
        self.lock.release()


def usage(results: list[PartResult]) -> tuple[dict[str, int], dict[str, float]]:
    """Peak RSS (KB) and CPU seconds of each process that ran parts."""
    rss: dict[str, int] = {}
    cpu: dict[str, float] = {}
    for r in results:
        k = str(r.pid)
        rss[k] = max(rss.get(k, 0), r.rss_kb)
        cpu[k] = max(cpu.get(k, 0.0), r.extra.get("cpu_s", 0.0))
    return rss, cpu


def report(progress, r: PartResult):
    """Tell ``progress`` about a finished part, item by item, as ``timeline.build`` does
    (documents come without their text: the parent never holds it)."""
    failed = set(r.extra.get("failed", ()))
    for s in r.skipped:
        progress(s)
    for i, doc_id in enumerate(r.ids):
        if i not in failed:
            progress(Document(doc_id, ""))


def _init_worker():
    locking.die_with_parent()  # no orphan workers when the build is killed
    # load the language resources once per process, before the first part; the
    # peak RSS then counts from the worker's own start, not its parent's size
    partition.reset_peak_rss()
    pipeline.document_events(Document("warm-up", "It happened on 3 May 2020.", date(2020, 5, 4)))


def _context():
    """fork when this process has one thread (fast, and scripts need no __main__ guard);
    forkserver otherwise, since forking a threaded process can copy a held lock."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["timeline.partition", "timeline.pipeline"])
    return ctx


def _execute(parts: Iterable[Part], opts: ReadOptions, workers: int, keep: bool,
             spill: _Spill, progress, counts: bool = False) -> list[PartResult]:
    """Process every part; frames go to the spill, the rest is returned in part order.

    With workers: each part is scanned for its ids, then processed once the ids
    of every earlier part are known, at most ``2 * workers`` tasks at a time."""
    done: dict[int, PartResult] = {}

    def take(r: PartResult):
        spill.add(r.frame)
        r.frame = None
        done[r.no] = r
        if progress:
            report(progress, r)

    parts = iter(parts)
    head = list(islice(parts, 2))
    resolver = Resolver()
    if workers == 1 or len(head) < 2:  # in order, in this process: one read per part
        for p in chain(head, parts):
            take(partition.process(p, opts, keep_documents=keep, resolver=resolver,
                                   counts=counts))
        return [done[k] for k in sorted(done)]
    parts = chain(head, parts)
    waiting: dict[int, Part] = {}  # scanned parts, by number, until their turn
    scanned: dict[int, list[str]] = {}
    ready: deque = deque()
    turn = 0
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker) as pool:
        running: dict = {}
        while True:
            while len(running) < 2 * workers:
                if ready:
                    p, first, renames = ready.popleft()
                    running[pool.submit(partition.process, p, opts, first, renames, keep,
                                        counts=counts)] = None
                elif (p := next(parts, None)) is not None:
                    waiting[p.no] = p
                    running[pool.submit(partition.scan, p, opts)] = p.no
                else:
                    break
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                no = running.pop(f)
                if no is None:
                    take(f.result())
                    continue
                scanned[no] = f.result()
                while turn in scanned:
                    first, renames = resolver.add(scanned.pop(turn))
                    ready.append((waiting.pop(turn), first, renames))
                    turn += 1
    return [done[k] for k in sorted(done)]
