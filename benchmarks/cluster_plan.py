"""Beyond one machine: task costs measured here, the merge windows of a big archive, its makespan.

    python benchmarks/cluster_plan.py                        # measure, then 1,000,000 docs on 2/4/8
    python benchmarks/cluster_plan.py --measure-docs 600 --docs 100000 --workers 2,4
    python benchmarks/cluster_plan.py --save-costs /tmp/costs.json     # keep what was measured
    python benchmarks/cluster_plan.py --costs /tmp/costs.json --docs 1000000   # reuse it

Three steps, each printed:

(a) measure: a synthetic archive of ``--measure-docs`` documents (``benchmarks/
scale.py``'s generator: dev articles re-dated, published within 30 days, so a
month is dense) goes through the real stages in one worker process (the
local engine's: forked, warmed up, as ``timeline.scale`` starts them):
``partition.scan`` and ``partition.process`` per part (read, tag, events,
table, word rarity), the month files of the mention table
(``store.write_month``: a cost per file and per row, fitted), then
``windows.merge_window`` on the busiest month's window (its halos included,
as ``windows.plan`` cuts it) of the mention table of the first k articles, k
growing until the window holds each of ``--sizes`` mentions (a power law,
cost = a * mentions^b, fitted to them; the worker's peak RSS too), then
``scale.merge_store`` on one of those tables (windows cut by
``windows.plan``, merged in the worker); the settlement of the edges alone is
timed by running ``windows.Settlement`` again on the windows' results, and the
writing of the event table with ``scale._MonthWriter``. Costs are CPU
seconds (less sensitive to other load than wall time); the load average is
printed with them.

(b) derive: an archive of ``--docs`` documents over ``--months`` months
(assumption, stated in the output: volume growing linearly from half to one
and a half times the mean, one story month at ``--peak`` times its trend),
each document giving the measured mentions per document, dated by the
measured distribution of a mention's month relative to its publication
month. ``windows.plan`` (the real windowing, which needs only the mentions
per month) cuts its merge windows; each window's mentions (its months plus
the halo's share of its neighbours', mentions spread evenly over a month),
the mentions it shares with a neighbour, and from them its merge cost,
memory, settlement and write cost, from (a). Also with the cost of a window
linear in its mentions (the smallest measured window's cost per mention: as
if a bigger month held more different stories rather than more copies of the
same ones): the synthetic archive recombines a few hundred articles, so its
near-duplicates per mention grow with the month, the worst case.

(c) simulate: the Dask engine's graph on a ``dask.distributed.LocalCluster``
(one thread per worker, ``processes=False``) of each ``--workers``: scan tasks
(one per part of ``--chunk`` documents), the client's id resolution, process
tasks, one store write per month after all of them (the shuffle's barrier);
then the merge windows submitted by the real ``windows.ordered`` (at most two
per worker ahead, as ``distributed.run``), the client settling each one's edges
and writing its months in order (a sleep on the client), the components no
window saw whole merged again as one task per window (the engine submits one
per component: small tasks, summed here). Every task sleeps for its cost
divided by the phase's scale factor; the makespan is scaled back up. The same
graph is also scheduled on paper (first free worker, same order: no Dask
overhead, deterministic): the "model" columns, and with unbounded workers the
critical path. Not modelled: moving data (the shuffle, reading windows from
the store: object storage adds latency per file), worker start-up.
"""
from __future__ import annotations

import argparse
import dataclasses
import heapq
import json
import math
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEV, REPO, make_archive  # noqa: E402

sys.path.insert(0, str(REPO))

from timeline import partition, scale, windows  # noqa: E402
from timeline import store as st  # noqa: E402

MB = 1024  # KB per MB


# ------------------------------------------------------------------ (a) measuring

def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _timed(fn, *args, **kw):
    """Run ``fn`` in a worker: its result, CPU and wall seconds, RSS before and peak (KB)."""
    partition.reset_peak_rss()
    rss0 = _rss_kb()
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn(*args, **kw)
    return out, {"cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0,
                 "rss0_kb": rss0, "peak_kb": partition.peak_rss_kb()}


class _Recorded:
    """A worker's future whose result is ``fn``'s, its timing kept in ``log``."""

    def __init__(self, future, kind: str, log: list):
        self.future, self.kind, self.log, self._value = future, kind, log, None

    def done(self):
        return self.future.done()

    def result(self):
        if self._value is None:
            value, t = self.future.result()
            self.log.append({"kind": self.kind, "value": value, **t})
            self._value = (value,)
        return self._value[0]


def fit_power(xs, ys) -> tuple[float, float]:
    """(a, b) of y = a * x^b, least squares in log-log."""
    import numpy as np
    b, loga = np.polyfit(np.log(xs), np.log(ys), 1)
    return float(math.exp(loga)), float(b)


def _month_index(ts) -> "object":
    return ts.dt.year * 12 + ts.dt.month - 1


def _write_mentions(root: Path, df) -> list[tuple[int, float]]:
    """The mention table of ``df`` in ``root/_mentions`` by month; (rows, CPU s) per month."""
    out = []
    for month, g in df.groupby(st.PARTITION, sort=False):
        c = time.process_time()
        st.write_month(root / st.MENTIONS, str(month), st.sort_frame(g).reset_index(drop=True))
        out.append((len(g), time.process_time() - c))
    return out


def _window_counts(root: Path, plan: list) -> list[dict]:
    """Mentions each window reads, and those another window sees too (the real code's)."""
    out = []
    for w in plan:
        df = windows.read_window(root, w)
        starts = df["start"].array.asi8 if len(df) else []
        shared = 0 if w.lo is None else sum(w.shared(s) for s in starts)
        core = len(df) if w.core is None else sum(w.core[0] <= s < w.core[1] for s in starts)
        out.append({"no": w.no, "mentions": len(df), "shared": int(shared), "core": int(core)})
    return out


@dataclass
class Costs:
    """What the plan needs, measured (CPU seconds, MB); see :func:`measure`."""

    measure_docs: int
    documents: int  # read
    mentions: int
    part_docs: int  # documents per measured part
    mentions_per_doc: float
    scan_s_per_doc: float
    process_s_per_doc: float
    resolver_s_per_doc: float
    write_s_per_month: float  # store.write_month: fixed cost of a month file
    write_s_per_row: float  # and per row
    parts_peak_mb: float  # a worker's peak while processing a part of part_docs documents
    worker_base_mb: float  # a warmed-up worker before its first merge
    offsets: dict[int, float]  # month of a mention - month of its publication -> share
    undated: float  # share of mentions without a start
    merge_points: list[dict] = field(default_factory=list)  # mentions, cpu_s, peak_mb, rows
    merge_fit: tuple[float, float] = (0.0, 1.0)  # cost = a * mentions^b
    memory_fit: tuple[float, float] = (0.0, 1.0)  # peak - base (MB) = a * mentions^b
    window_points: list[dict] = field(default_factory=list)  # the real windows of merge_store
    settle_s_per_shared: float = 0.0  # client settlement, per mention two windows see
    settle_s_per_edge: float = 0.0  # at the measured density
    rows_per_core: float = 0.0  # event rows per mention of a window's own months
    client_other_s_per_window: float = 0.0  # the rest of the client's time, per window
    remerge_per_shared: float = 0.0  # components merged again, per shared mention
    remerge_size: float = 0.0  # their mean mentions
    block_rows: int = scale.MERGE_BLOCK_ROWS
    load: tuple[float, float] = (0.0, 0.0)  # load average before, after
    seconds: float = 0.0
    growth: str = "fit"  # how a window's cost grows: the power laws, or "linear" (see below)

    def write_s(self, rows: float, files: int = 1) -> float:
        return self.write_s_per_month * files + self.write_s_per_row * rows

    def merge_s(self, n: float) -> float:
        """A window's merge CPU seconds: the fitted power law, or ("linear") the smallest
        measured window's cost per mention, as if near-duplicates per mention stayed at
        that window's (an archive whose bigger months hold more different stories)."""
        if n <= 0:
            return 0.0
        if self.growth == "linear":
            p = self.merge_points[0]
            return p["cpu_s"] / p["mentions"] * n
        a, b = self.merge_fit
        return a * n ** b

    def merge_mb(self, n: float) -> float:
        if n <= 0:
            return self.worker_base_mb
        if self.growth == "linear":
            p = self.merge_points[0]
            return self.worker_base_mb + max(0.0, p["peak_mb"] - self.worker_base_mb) / p["mentions"] * n
        a, b = self.memory_fit
        return self.worker_base_mb + a * n ** b

    def to_json(self) -> dict:
        d = asdict(self)
        d["offsets"] = {str(k): v for k, v in self.offsets.items()}
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Costs":
        d = dict(d)
        d["offsets"] = {int(k): v for k, v in d["offsets"].items()}
        d["merge_fit"], d["memory_fit"] = tuple(d["merge_fit"]), tuple(d["memory_fit"])
        d["load"] = tuple(d["load"])
        return cls(**d)


def measure(docs: int, sizes: list[int], chunk: int, work: Path, log=print) -> Costs:
    """Measure the task costs on a synthetic archive of ``docs`` documents (see the module doc)."""
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    import numpy as np
    import pandas as pd
    load0, t0 = os.getloadavg()[0], time.perf_counter()
    archive = work / f"measure-{docs}.jsonl"
    if not archive.is_file():
        make_archive(archive, docs, seed=7, spread_days=30)
    opts = partition.ReadOptions.of()
    resolver = partition.Resolver()
    times: list[dict] = []
    frames, n_docs, resolve_s = [], 0, 0.0
    part_docs = min(chunk, docs)
    with ProcessPoolExecutor(1, mp_context=scale._context(),
                             initializer=scale._init_worker) as pool:
        def run(kind, fn, *a, **kw):
            return _Recorded(pool.submit(_timed, fn, *a, **kw), kind, times).result()
        for p in partition.plan([archive], part_docs):
            ids = run("scan", partition.scan, p, opts)
            c = time.process_time()
            first, renames = resolver.add(ids)
            resolve_s += time.process_time() - c
            r = run("process", partition.process, p, opts, first, renames, False, counts=True)
            frames.append(r.frame)
            n_docs += len(r.ids) - len(r.extra.get("failed", ()))
        df = pd.concat(frames, ignore_index=True)
        proc = [t for t in times if t["kind"] == "process"]
        scans = [t for t in times if t["kind"] == "scan"]
        log(f"(a) parts: {n_docs} documents, {len(df)} mentions, process "
            f"{sum(t['cpu_s'] for t in proc):.1f} s CPU, scan {sum(t['cpu_s'] for t in scans):.2f} s")
        start = df["start"]
        dated = start.notna()
        off = (_month_index(start[dated]) - _month_index(df["published"][dated])).astype(int)
        offsets = {int(k): v / len(df) for k, v in sorted(Counter(off).items())}
        root = work / "measure-store"
        shutil.rmtree(root, ignore_errors=True)
        writes = _write_mentions(root, df)
        shutil.rmtree(root, ignore_errors=True)

        # merge cost and memory against mentions: the busiest month's window (its halos
        # included, as windows.plan cuts it when every month is a block of its own) in the
        # mention table of the first k articles, k growing; whole-input rarity
        from timeline.merge import rarity as rarity_of
        halo = windows.halo_days()
        months = df.loc[dated, st.PARTITION].astype(str)
        busiest = months.value_counts().idxmax()
        (wb,) = [w for w in windows.plan(Counter(months), 1, halo) if w.months == (busiest,)]
        inside = (start >= pd.Timestamp(wb.lo)) & (start < pd.Timestamp(wb.hi))
        order = df["doc_id"].drop_duplicates()
        reach = inside.groupby(df["doc_id"]).sum().reindex(order.to_numpy()).cumsum()
        points, stores = [], {}
        sizes = sorted(set(min(n, int(reach.iloc[-1])) for n in sizes))
        for n in sizes:
            k = int((reach < n).sum()) + 1
            block = df[df["doc_id"].isin(set(order.iloc[:k]))]
            broot = work / f"measure-window-{n}"
            shutil.rmtree(broot, ignore_errors=True)
            _write_mentions(broot, block)
            counts = {m: v["events"] for m, v in st._stats(broot, st.MENTIONS)["months"].items()}
            (w,) = [w for w in windows.plan(counts, 1, halo) if w.months == (busiest,)]
            r_k = rarity_of(block)
            stores[n] = (broot, r_k, len(block), k)
            res = run("window", windows.merge_window, broot, w, False, None, r_k)
            t = times[-1]
            mentions = len(windows.read_window(broot, w))
            points.append({"mentions": mentions, "articles": k, "cpu_s": t["cpu_s"],
                           "wall_s": t["wall_s"], "peak_mb": t["peak_kb"] / MB,
                           "rss0_mb": t["rss0_kb"] / MB, "rows": len(res.rows)})
            log(f"(a) window {busiest} of the first {k} articles, {mentions} mentions: "
                f"{t['cpu_s']:.1f} s CPU, peak RSS {t['peak_kb'] / MB:.0f} MB, "
                f"{len(res.rows)} rows")

        # the real windowed merge of one of those tables (the middle size), settled here
        broot, r_k, n_k, _ = stores[sizes[len(sizes) // 2]]
        block_rows = min(scale.MERGE_BLOCK_ROWS, max(200, n_k // 6))  # several windows
        wlog: list[dict] = []
        c = time.process_time()
        m = scale.merge_store(broot, block_rows=block_rows, counts=r_k, ahead=1,
                              submit=lambda fn, *a: _Recorded(pool.submit(_timed, fn, *a),
                                                              fn.__name__, wlog))
        client_s = time.process_time() - c
    counts = {k: v["events"] for k, v in st._stats(broot, st.MENTIONS)["months"].items()}
    plan = windows.plan(counts, block_rows, halo)
    wins = _window_counts(broot, plan)
    results = [t["value"] for t in wlog if t["kind"] == "merge_window"]
    for w, t in zip(wins, [t for t in wlog if t["kind"] == "merge_window"]):
        w.update(cpu_s=t["cpu_s"], peak_mb=t["peak_kb"] / MB)
    # the client's two jobs again, each timed alone: settling the edges (remerges not
    # run again: their rows are few), and writing the settled rows by month
    settle = windows.Settlement(plan, lambda ids, seen: windows.here(len, ids))
    settled, settle_s = [], 0.0
    for r in results + [None]:
        c = time.process_time()
        rows = settle.add(r) if r is not None else settle.finish()
        settle_s += time.process_time() - c
        settled += [x for x in rows if not isinstance(x, windows.Pending)]
    out_root = work / "measure-out"
    shutil.rmtree(out_root, ignore_errors=True)
    c = time.process_time()
    writer = scale._MonthWriter(out_root)
    for x in settled:
        writer.add(x)
    writer.flush()
    write_rows_s = time.process_time() - c
    rows_out = sum(len(x) for x in settled)
    shutil.rmtree(out_root, ignore_errors=True)
    for broot, *_ in stores.values():
        shutil.rmtree(broot, ignore_errors=True)
    edges = sum(1 for w in plan if w.prev_hi is not None)
    shared = sum(w["shared"] for w in wins)
    core = sum(w["core"] for w in wins)
    remerges = [t for t in wlog if t["kind"] == "remerge_window"]
    per_row, fixed = np.polyfit([r for r, _ in writes], [t for _, t in writes], 1) \
        if len(writes) > 1 else (writes[0][1] / writes[0][0], 0.0)
    per_row, fixed = max(0.0, float(per_row)), max(0.0, float(fixed))
    base = min(p["rss0_mb"] for p in points) if points else 0.0
    mem_pts = [(p["mentions"], max(1.0, p["peak_mb"] - base)) for p in points]
    costs = Costs(
        measure_docs=docs, documents=n_docs, mentions=len(df), part_docs=part_docs,
        mentions_per_doc=len(df) / max(1, n_docs),
        scan_s_per_doc=sum(t["cpu_s"] for t in scans) / max(1, n_docs),
        process_s_per_doc=sum(t["cpu_s"] for t in proc) / max(1, n_docs),
        resolver_s_per_doc=resolve_s / max(1, n_docs),
        write_s_per_month=fixed, write_s_per_row=per_row,
        parts_peak_mb=max(t["peak_kb"] for t in proc) / MB, worker_base_mb=base,
        offsets=offsets, undated=float((~dated).mean()),
        merge_points=points,
        merge_fit=fit_power([p["mentions"] for p in points], [p["cpu_s"] for p in points])
        if len(points) > 1 else (points[0]["cpu_s"] / points[0]["mentions"], 1.0),
        memory_fit=fit_power(*zip(*mem_pts)) if len(mem_pts) > 1 else
        (mem_pts[0][1] / mem_pts[0][0], 1.0),
        window_points=wins,
        settle_s_per_shared=settle_s / max(1, shared),
        settle_s_per_edge=settle_s / max(1, edges),
        rows_per_core=rows_out / max(1, core),
        client_other_s_per_window=max(0.0, client_s - settle_s - write_rows_s) / len(plan),
        remerge_per_shared=m["remerged"] / max(1, shared),
        remerge_size=m["remerged_mentions"] / max(1, m["remerged"]),
        block_rows=block_rows,
        load=(load0, os.getloadavg()[0]), seconds=time.perf_counter() - t0)
    log(f"(a) windowed merge: {len(plan)} windows (block {block_rows}), {edges} edges, "
        f"{shared} shared mentions, {m['remerged']} components merged again "
        f"({sum(t['cpu_s'] for t in remerges):.2f} s); client {client_s:.2f} s CPU, of "
        f"which settlement {settle_s:.2f} s")
    return costs


# ------------------------------------------------------------------ (b) the archive's structure

def _month_name(k: int) -> str:
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _month_no(month: str) -> int:
    y, m = map(int, month.split("-"))
    return y * 12 + m - 1


def docs_per_month(docs: int, months: int, first: str = "2015-01", peak: float = 2.0,
                   peak_month: str = "2022-02") -> dict[str, int]:
    """The assumed archive: volume growing linearly from 0.5x to 1.5x the mean over
    ``months`` months from ``first``, and one story month, ``peak_month``, at
    ``peak`` times its trend (a war's first month)."""
    k0 = _month_no(first)
    peak_month = _month_no(peak_month) - k0
    weight = [(0.5 + (k / (months - 1) if months > 1 else 0.5)) * (peak if k == peak_month else 1)
              for k in range(months)]
    total = sum(weight)
    out, given = {}, 0
    for k, w in enumerate(weight):  # largest remainder would be exact; last month takes the rest
        n = docs - given if k == months - 1 else int(round(docs * w / total))
        out[_month_name(k0 + k)] = max(0, n)
        given += out[_month_name(k0 + k)]
    return out


def mention_counts(per_month: dict[str, int], costs: Costs) -> dict[str, int]:
    """Mentions per month partition: each month's documents times the measured mentions
    per document, spread over months by the measured offsets (and undated)."""
    acc: Counter = Counter()
    for month, n in per_month.items():
        k = _month_no(month)
        for off, share in costs.offsets.items():
            acc[_month_name(k + off)] += n * costs.mentions_per_doc * share
        acc[st.UNDATED] += n * costs.mentions_per_doc * costs.undated
    return {m: int(round(v)) for m, v in acc.items() if round(v) > 0}


def _overlap(lo: int, hi: int, month: str) -> float:
    a, z = windows._month_ns(month)
    return max(0, min(hi, z) - max(lo, a)) / (z - a)


@dataclass
class WindowTask:
    no: int
    months: tuple[str, ...]
    mentions: float  # read: its months and the halo's share of its neighbours'
    core: float  # in its own months
    shared: float  # also seen by a neighbour
    cost_s: float
    peak_mb: float
    client_s: float  # settling its edges and writing its months (the client)
    remerge_s: float


@dataclass
class Structure:
    docs: int
    chunk: int
    per_month: dict[str, int]  # documents
    counts: dict[str, int]  # mentions per month partition
    parts: list[int]  # documents per part
    windows: list[WindowTask]
    plan_len: int  # len(windows.plan(...)): the window tasks

    @property
    def mentions(self) -> int:
        return sum(self.counts.values())


def derive(docs: int, costs: Costs, chunk: int, months: int = 120, first: str = "2015-01",
           peak: float = 2.0, peak_month: str = "2022-02",
           block_rows: int = scale.MERGE_BLOCK_ROWS) -> Structure:
    """The structure and task costs of an archive of ``docs`` documents (see the module doc)."""
    per_month = docs_per_month(docs, months, first, peak, peak_month)
    counts = mention_counts(per_month, costs)
    plan = windows.plan(counts, block_rows, windows.halo_days())
    tasks = []
    for w in plan:
        if w.lo is None:
            n = core = float(sum(counts[m] for m in w.months))
            shared = 0.0
        else:
            n = sum(counts[m] * _overlap(w.lo, w.hi, m) for m in w.read)
            core = float(sum(counts[m] for m in w.months))
            shared = sum(counts[m] * ((0 if w.prev_hi is None else _overlap(w.lo, w.prev_hi, m))
                                      + (0 if w.next_lo is None else _overlap(w.next_lo, w.hi, m)))
                         for m in w.read)
        remerge = costs.remerge_per_shared * shared * costs.merge_s(costs.remerge_size)
        tasks.append(WindowTask(w.no, w.months, n, core, shared, costs.merge_s(n),
                                costs.merge_mb(n),
                                costs.settle_s_per_shared * shared
                                + costs.write_s(costs.rows_per_core * core, len(w.months))
                                + costs.client_other_s_per_window, remerge))
    parts = [min(chunk, docs - k) for k in range(0, docs, chunk)]
    return Structure(docs, chunk, per_month, counts, parts, tasks, len(plan))


# ------------------------------------------------------------------ (c) scheduling the graph

def drive(s: Structure, costs: Costs, ex, workers: int) -> None:
    """The Dask engine's graph over ``ex`` (a :class:`Model` or a :class:`Sim`)."""
    ex.phase("scan")
    scans = [ex.submit(n * costs.scan_s_per_doc, "scan") for n in s.parts]
    ex.wait(scans)  # the bag of ids is computed first
    ex.client(s.docs * costs.resolver_s_per_doc, "resolve ids")
    ex.phase("parts")
    procs = [ex.submit(n * costs.process_s_per_doc, "process") for n in s.parts]
    barrier = ex.submit(0.0, "shuffle", after=procs)  # as the p2p shuffle's barrier task
    writes = [ex.submit(costs.write_s(n), "write month", after=[barrier])
              for n in s.counts.values()]
    ex.wait(writes + procs + [barrier])
    ex.phase("merge")
    pending = []
    done = windows.ordered(lambda w: ex.submit(w.cost_s, "window", payload=w), s.windows,
                           max(1, 2 * workers))  # at most two per worker ahead, in plan order
    for w in done:
        ex.client(w.client_s, "settle")
        if w.remerge_s > 0:
            pending.append(ex.submit(w.remerge_s, "remerge"))
    ex.wait(pending)
    ex.phase(None)


class _ModelFuture:
    def __init__(self, model: "Model", end: float, payload):
        self.model, self.end, self.payload = model, end, payload

    def done(self):
        return self.end <= self.model.now

    def result(self):
        self.model.now = max(self.model.now, self.end)
        return self.payload


class Model:
    """The graph scheduled on paper: each task, in submission order, on the first free
    worker once its inputs are done; the client's work is serial. No overheads."""

    def __init__(self, workers: int):
        self.free = [0.0] * workers
        self.now = 0.0
        self.log: list[tuple[str, float, float]] = []  # kind, start, end
        self.phases: dict[str, tuple[float, float]] = {}
        self._phase = None

    def phase(self, name):
        if self._phase:
            self.phases[self._phase] = (self.phases[self._phase][0], self.now)
        if name:
            self.phases[name] = (self.now, self.now)
        self._phase = name

    def submit(self, cost: float, kind: str, payload=None, after=()):
        t = heapq.heappop(self.free)
        start = max(t, self.now, max((f.end for f in after), default=0.0))
        heapq.heappush(self.free, start + cost)
        self.log.append((kind, start, start + cost))
        return _ModelFuture(self, start + cost, payload)

    def wait(self, futures):
        self.now = max([self.now] + [f.end for f in futures])

    def client(self, cost: float, kind: str):
        self.log.append((kind, self.now, self.now + cost))
        self.now += cost

    @property
    def makespan(self) -> float:
        return self.now


_KEYS = {"scan": "scan", "process": "timeline-part", "shuffle": "shuffle-barrier",
         "write month": "_write", "window": "merge_window", "remerge": "remerge_window"}


def _sleep(seconds: float, kind: str, *after):
    t0 = time.perf_counter()
    time.sleep(seconds)
    return kind, threading.current_thread().name, t0, time.perf_counter()


class _SimFuture:
    def __init__(self, sim: "Sim", future, payload):
        self.sim, self.future, self.payload, self.seen = sim, future, payload, False

    def done(self):
        return self.future.done()

    def result(self):
        rec = self.future.result()
        if not self.seen:
            self.sim.record(*rec)
            self.seen = True
        return self.payload


class Sim:
    """The graph run on a Dask client: every task (and the client's work) sleeps for its
    cost divided by its phase's scale factor; times are scaled back when recorded."""

    def __init__(self, client, scales: dict[str, float]):
        self.c, self.scales = client, scales
        self.log: list[tuple[str, str, float, float]] = []  # kind, where, start, end (scaled)
        self.phases: dict[str, tuple[float, float]] = {}
        self._phase, self._wall0, self._t0 = None, 0.0, 0.0
        self._n = 0

    def _scaled(self, t: float) -> float:
        return self._t0 + (t - self._wall0) * self.scales[self._phase]

    def phase(self, name):
        now = time.perf_counter()
        if self._phase:
            end = self._scaled(now)
            self.phases[self._phase] = (self._t0, end)
            self._t0 = end
        self._phase, self._wall0 = name, now

    def record(self, kind, where, t0, t1):
        self.log.append((kind, where, self._scaled(t0), self._scaled(t1)))

    def submit(self, cost: float, kind: str, payload=None, after=()):
        deps = [f.future for f in after]
        self._n += 1  # keys named as the engine's tasks: Dask learns durations per prefix
        key = f"{_KEYS.get(kind, kind.replace(' ', '_'))}-{self._n}"
        return _SimFuture(self, self.c.submit(_sleep, cost / self.scales[self._phase], kind,
                                              *deps, key=key), payload)

    def wait(self, futures):
        for f in futures:
            f.result()

    def client(self, cost: float, kind: str):
        t0 = time.perf_counter()
        time.sleep(cost / self.scales[self._phase])
        self.record(kind, "client", t0, time.perf_counter())

    @property
    def makespan(self) -> float:
        return self._t0


def model(s: Structure, costs: Costs, workers: int) -> Model:
    m = Model(workers)
    drive(s, costs, m, workers)
    return m


def critical_path(s: Structure, costs: Costs) -> float:
    """The makespan with a worker for every task: what no number of workers goes below."""
    n = len(s.parts) + len(s.counts) + 2 * len(s.windows) + 1
    return model(s, costs, n).makespan


def simulate(s: Structure, costs: Costs, workers: int, scales: dict[str, float]) -> Sim:
    """Run the graph on a LocalCluster of ``workers`` single-threaded workers (threads)."""
    from timeline import distributed
    with distributed.client(None, workers, processes=False) as c:
        sim = Sim(c, scales)
        drive(s, costs, sim, workers)
    return sim


def auto_scales(s: Structure, costs: Costs, workers: int, seconds: float) -> dict[str, float]:
    """Scale factors giving each phase about ``seconds`` on ``workers`` (the fewest)."""
    m = model(s, costs, workers)
    return {p: max(1.0, (z - a) / seconds) for p, (a, z) in m.phases.items()}


# ------------------------------------------------------------------ printing

def _h(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h" if seconds >= 3600 else f"{seconds:.0f} s"


def print_costs(c: Costs, out=print):
    out(f"\n(a) measured here ({c.measure_docs} synthetic documents, {c.mentions} mentions, "
        f"{c.seconds:.0f} s; load {c.load[0]:.2f} -> {c.load[1]:.2f}; CPU seconds, one worker)")
    out(f"  mentions per document            {c.mentions_per_doc:.2f}")
    out(f"  parts stage (read+tag+events+table+rarity) {c.process_s_per_doc * 1000:.2f} ms/doc; "
        f"scan {c.scan_s_per_doc * 1000:.3f} ms/doc; client id resolution "
        f"{c.resolver_s_per_doc * 1e6:.2f} us/doc")
    out(f"  store.write_month                {c.write_s_per_month * 1000:.1f} ms a file + "
        f"{c.write_s_per_row * 1e6:.1f} us a row")
    out(f"  peak RSS per worker: parts of {c.part_docs} docs {c.parts_peak_mb:.0f} MB; "
        f"warm worker before merging {c.worker_base_mb:.0f} MB")
    for p in c.merge_points:
        out(f"  merge window of {p['mentions']:>6} mentions ({p['articles']} articles): "
            f"{p['cpu_s']:7.2f} s, peak RSS {p['peak_mb']:5.0f} MB (fit "
            f"{c.merge_s(p['mentions']):7.2f} s, {c.merge_mb(p['mentions']):5.0f} MB)")
    a, b = c.merge_fit
    ma, mb = c.memory_fit
    out(f"  merge cost = {a:.3g} * mentions^{b:.2f} s; peak RSS = {c.worker_base_mb:.0f} + "
        f"{ma:.3g} * mentions^{mb:.2f} MB")
    for w in c.window_points:
        if w.get("cpu_s", 0) > 0.5:
            out(f"  real window {w['no']} ({w['mentions']} mentions, {w['shared']} shared): "
                f"{w['cpu_s']:.2f} s (fit {c.merge_s(w['mentions']):.2f} s)")
    out(f"  settlement (client): {c.settle_s_per_shared * 1e6:.1f} us per shared mention, "
        f"{c.settle_s_per_edge:.3f} s per edge here; then writing the table "
        f"({c.rows_per_core:.3f} rows per mention) and the rest "
        f"{c.client_other_s_per_window * 1000:.0f} ms per window")
    out(f"  components merged again: {c.remerge_per_shared * 1000:.2f} per 1,000 shared "
        f"mentions, {c.remerge_size:.0f} mentions each")


def print_structure(s: Structure, c: Costs, out=print, label="(b)"):
    per = list(s.per_month.values())
    ws = sorted(s.windows, key=lambda w: w.cost_s)
    big = ws[-1]
    dated = [w for w in s.windows if w.shared > 0]
    out(f"\n{label} {s.docs:,} documents over {len(per)} months ({min(per):,}-{max(per):,} a "
        f"month, assumed), {c.mentions_per_doc:.2f} mentions each (measured): "
        f"{s.mentions:,} mentions in {len(s.counts)} month partitions")
    out(f"  parts: {len(s.parts):,} of {s.chunk:,} documents, {s.parts[0] * c.process_s_per_doc:.1f} s "
        f"each; parts stage {sum(s.parts) * c.process_s_per_doc:,.0f} s of CPU in all")
    out(f"  windows.plan: {s.plan_len} merge windows ({len(dated)} with a neighbour), "
        f"mentions per window median {ws[len(ws) // 2].mentions:,.0f} / max {big.mentions:,.0f} "
        f"({'+'.join(big.months)})")
    out(f"  merge cost per window ({c.growth}) median {_h(ws[len(ws) // 2].cost_s)} / max "
        f"{_h(big.cost_s)}, all windows {_h(sum(w.cost_s for w in ws))}; peak RSS per worker "
        f"median {ws[len(ws) // 2].peak_mb / 1024:,.1f} GB / max {big.peak_mb / 1024:,.1f} GB")
    out(f"  client: settlement + writes {_h(sum(w.client_s for w in ws))} in all (serial), "
        f"components merged again {_h(sum(w.remerge_s for w in ws))}")


def _span(phases: dict, *names) -> float:
    return sum(phases[n][1] - phases[n][0] for n in names if n in phases)


def schedule(s: Structure, costs: Costs, workers: list[int], scales: dict[str, float] | None,
             ) -> list[dict]:
    """For each worker count: the makespan on paper and (with ``scales``) on a LocalCluster."""
    rows = []
    for w in workers:
        m = model(s, costs, w)
        row = {"workers": w, "model": m.makespan, "model_parts": _span(m.phases, "scan", "parts"),
               "model_merge": _span(m.phases, "merge")}
        if scales is not None:
            load = os.getloadavg()[0]
            sim = simulate(s, costs, w, scales)
            row.update(sim=sim.makespan, sim_parts=_span(sim.phases, "scan", "parts"),
                       sim_merge=_span(sim.phases, "merge"), load=(load, os.getloadavg()[0]),
                       tasks=Counter(k for k, *_ in sim.log))
        rows.append(row)
    return rows


def print_table(s: Structure, costs: Costs, rows: list[dict], scales, out=print):
    crit = critical_path(s, costs)
    client = sum(w.client_s for w in s.windows) + s.docs * costs.resolver_s_per_doc
    big = max(w.cost_s for w in s.windows)
    how = ("" if scales is None else
           "Dask LocalCluster (threads, 1 per worker), tasks sleeping cost / scale ("
           + ", ".join(f"{p} x{v:.0f}" for p, v in scales.items()) + "), scaled back; ")
    out(f"\n(c) makespan of {s.docs:,} documents, merge cost {costs.growth}: {how}'model': "
        f"the same graph on paper")
    out(f"{'workers':>7} {'makespan':>9} {'speed-up':>8} {'parts':>8} {'merge':>8} {'model':>9} "
        f"{'speed-up':>8} {'parts':>8} {'merge':>8} {'client':>8} {'crit.path':>9} "
        f"{'largest w.':>10}  load")
    for r in rows:
        sim = r.get("sim")
        cells = [f"{r['workers']:>7}",
                 f"{_h(sim):>9}" if sim else f"{'-':>9}",
                 f"{rows[0]['sim'] / sim:>8.2f}" if sim else f"{'-':>8}",
                 f"{_h(r['sim_parts']):>8}" if sim else f"{'-':>8}",
                 f"{_h(r['sim_merge']):>8}" if sim else f"{'-':>8}",
                 f"{_h(r['model']):>9}", f"{rows[0]['model'] / r['model']:>8.2f}",
                 f"{_h(r['model_parts']):>8}", f"{_h(r['model_merge']):>8}",
                 f"{_h(client):>8}", f"{_h(crit):>9}", f"{_h(big):>10}",
                 f" {r['load'][0]:.2f}->{r['load'][1]:.2f}" if sim else ""]
        out(" ".join(cells))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000, help="the simulated archive")
    ap.add_argument("--workers", default="2,4,8", help="worker counts, comma-separated")
    ap.add_argument("--scale", default="auto",
                    help="time scale factor of every task (a number), or 'auto': one per "
                         "phase, about --sim-seconds each on the fewest workers")
    ap.add_argument("--sim-seconds", type=float, default=20.0)
    ap.add_argument("--measure-docs", type=int, default=2000,
                    help="size of the measurement run (2,000: about 3 minutes here)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000],
                    help="mentions of the blocks the merge power law is fitted to")
    ap.add_argument("--chunk", type=int, default=2048, help="documents per part in the plan")
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--first-month", default="2015-01")
    ap.add_argument("--peak", type=float, default=2.0, help="the story month, times its trend")
    ap.add_argument("--peak-month", default="2022-02")
    ap.add_argument("--extrapolate", type=int, default=10_000_000,
                    help="also schedule (on paper) an archive this big over the same months")
    ap.add_argument("--extrapolate-workers", default="2,4,8,32")
    ap.add_argument("--costs", type=Path, help="costs measured before (--save-costs)")
    ap.add_argument("--save-costs", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/timeline-cluster-plan"))
    ap.add_argument("--no-sim", action="store_true", help="the schedule on paper only")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",")]
    if args.costs:
        costs = Costs.from_json(json.loads(args.costs.read_text()))
    else:
        if not DEV.is_file():
            sys.exit(f"the dev articles are missing: {DEV}")
        args.work.mkdir(parents=True, exist_ok=True)
        costs = measure(args.measure_docs, args.sizes, args.chunk, args.work,
                        log=lambda s: print(s, file=sys.stderr))
    if args.save_costs:
        args.save_costs.write_text(json.dumps(costs.to_json(), indent=1) + "\n")
    print_costs(costs)
    shape = dict(chunk=args.chunk, months=args.months, first=args.first_month, peak=args.peak,
                 peak_month=args.peak_month)
    s = derive(args.docs, costs, **shape)
    print_structure(s, costs)
    scales = None
    if not args.no_sim:
        scales = (auto_scales(s, costs, min(counts), args.sim_seconds) if args.scale == "auto"
                  else {p: float(args.scale) for p in ("scan", "parts", "merge")})
    print_table(s, costs, schedule(s, costs, counts, scales), scales)
    linear = dataclasses.replace(costs, growth="linear")
    s_lin = derive(args.docs, linear, **shape)
    print_structure(s_lin, linear, label="(b) the same if merge cost grew linearly:")
    print_table(s_lin, linear, schedule(s_lin, linear, counts, None), None)
    if args.extrapolate:
        xw = [int(v) for v in args.extrapolate_workers.split(",")]
        for c in (costs, linear):
            x = derive(args.extrapolate, c, **shape)
            print_structure(x, c, label="(b') extrapolated, the same months:")
            print_table(x, c, schedule(x, c, xw, None), None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
