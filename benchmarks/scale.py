"""A news archive on two cores and on a Dask cluster: throughput, speed-up, memory, queries.

    python benchmarks/scale.py                  # 100,000 documents (~200 MB of text)
    python benchmarks/scale.py --docs 5000      # a quick run
    python benchmarks/scale.py --docs 20000 --skip-dask --json

The archive is synthetic, built from the dev articles in
``../shared/corpora/news/articles.jsonl``: each document takes a base article's
title and date, shifts the date by up to ten years (years in the text move
with it), and recombines its sentences with sentences of other articles until
it holds about 2,000 characters. It is generated into ``--work`` (default
/tmp/timeline-scale), never into the repository, and reused when present.

Runs: the local engine with 1 and 2 worker processes, then the Dask engine on
a 2-worker LocalCluster (one process and one thread each). Each builds the
month-partitioned event store (merged, unless --no-merge); the stores must hold
the same events. Prints documents per second, the speed-up over one worker,
"busy" (worker CPU seconds / wall seconds: near 2 when the cores are ours
alone, lower when something else competes for them), the machine's own
speed-up ceiling (a pure-Python loop alone and in two processes at once),
the speed-up the CPU times give for idle cores (busiest worker + all the
driver's CPU time, as if it overlapped nothing), the peak RSS of each
worker process, the load average before the run, and the latency of date
queries on the built store and on a synthetic store of --query-events events
(with DuckDB's figures beside pyarrow's when duckdb is installed).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from a checkout

DEV = REPO.parent / "shared" / "corpora" / "news" / "articles.jsonl"
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
TARGET_CHARS = 2000


# ------------------------------------------------------------------ the archive

def _sentences(text: str) -> list[str]:
    from timeline.events import sentences
    return [text[a:b] for a, b in sentences(text)]


def _shift_years(s: str, delta: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), s) if delta else s


def make_archive(path: Path, docs: int, seed: int = 7, spread_days: int = 3650) -> Path:
    """Write ``docs`` synthetic articles as JSON lines to ``path`` (deterministic),
    published over ``spread_days`` days before their base article."""
    base = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    for a in base:
        a["sents"] = _sentences(a["text"])
        a["pub"] = date.fromisoformat(a["published"][:10])
    pool = [(a["pub"].year, s) for a in base for s in a["sents"]]
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as out:
        for k in range(docs):
            a = base[rng.randrange(len(base))]
            pub = a["pub"] - timedelta(days=rng.randrange(0, spread_days))
            delta = pub.year - a["pub"].year
            own = [(a["pub"].year, s) for s in a["sents"]]
            start = rng.randrange(max(1, len(own) - 3))
            picked = own[start:start + 3]
            while sum(len(s) for _, s in picked) < TARGET_CHARS:
                picked.append(pool[rng.randrange(len(pool))])
            paras, para = [], []
            for year, s in picked:
                para.append(_shift_years(s, pub.year - year))
                if len(para) == 3:
                    paras.append(" ".join(para))
                    para = []
            if para:
                paras.append(" ".join(para))
            title = _shift_years(a["title"], delta)
            rec = {"id": f"syn-{k:07d}", "url": f"{a['url']}#syn-{k}", "title": title,
                   "published": pub.isoformat(), "source": urlparse(a["url"]).hostname,
                   "text": title + "\n" + "\n".join(paras)}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


# ------------------------------------------------------------------ the runs

def _mb(kb: float) -> float:
    return kb / 1024


def _self_rss() -> int:
    from timeline.partition import peak_rss_kb
    return peak_rss_kb()


def _self_cpu() -> float:
    import resource
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def run_engine(engine: str, archive: Path, store: Path, workers: int, chunk: int,
               merge: bool) -> dict:
    from timeline import distributed, partition, scale
    load = os.getloadavg()[0]
    partition.reset_peak_rss()  # this run's peak, not an earlier run's
    cpu0 = _self_cpu()
    t = time.perf_counter()
    if engine == "local":
        r = scale.run([archive], workers=workers, store=store, chunk_docs=chunk, merge=merge)
    else:
        r = distributed.run([archive], workers=workers, store=store, chunk_docs=chunk,
                            merge=merge)
    with r:
        secs = time.perf_counter() - t
        driver_cpu = _self_cpu() - cpu0
        worker_cpu = sorted(r.cpu_s.values())
        if engine == "local" and workers == 1:
            driver_cpu -= sum(worker_cpu)  # the parts ran in this process
        return {"engine": engine, "workers": workers, "seconds": secs,
                "driver_cpu_s": driver_cpu,
                "documents": r.documents, "events": r.events, "mentions": r.mentions,
                "docs_per_s": r.documents / secs,
                "peak_rss_mb": sorted(_mb(v) for v in r.peak_rss_kb.values()),
                "worker_cpu_s": worker_cpu,
                "driver_rss_mb": _mb(_self_rss()), "load_before": load,
                "load_after": os.getloadavg()[0], "merge_windows": r.merge_windows,
                "remerged": r.remerged}


def _spin(n: int) -> float:
    t = time.process_time()
    x = 0
    for i in range(n):
        x += i * i % 7
    return time.process_time() - t


def cpu_ceiling(workers: int = 2, n: int = 20_000_000) -> dict:
    """The speed-up this machine gives pure-Python work in ``workers`` processes: a loop
    alone, then the same loop in each of ``workers`` processes at once. Virtual cores
    that share a physical one (or a busy host) slow each process down, which bounds
    any engine's speed-up below ``workers``."""
    from concurrent.futures import ProcessPoolExecutor
    alone = _spin(n)
    with ProcessPoolExecutor(workers) as pool:
        together = list(pool.map(_spin, [n] * workers))
    return {"alone_s": alone, "together_s": together,
            "ceiling": workers * alone / max(together)}


def synthetic_store(dst: Path, rows: int, sample, months: int = 120, seed: int = 3) -> Path:
    """A store of ``rows`` events over ``months`` months, rows drawn from ``sample``
    (a real mention table) with new dates and ids: for query latency at scale."""
    import numpy as np
    import pandas as pd

    from timeline import store as st
    rng = np.random.default_rng(seed)
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    per = rows // months
    dur = (sample["end"] - sample["start"]).fillna(pd.Timedelta(days=1))
    order = 0
    for k in range(months):
        first = pd.Timestamp(2015, 1, 1) + pd.DateOffset(months=k)
        days = (first + pd.DateOffset(months=1) - first).days
        pick = rng.integers(0, len(sample), per)
        df = sample.iloc[pick].reset_index(drop=True)
        start = first + pd.to_timedelta(rng.integers(0, days, per), unit="D")
        df["start"] = start.astype("datetime64[ns]")
        df["end"] = (start + dur.iloc[pick].to_numpy()).astype("datetime64[ns]")
        df["event_id"] = [f"s{order + i:09d}" for i in range(per)]
        df[st.ORDER] = np.arange(order, order + per, dtype="int64")
        df["first_start"], df["first_end"] = df["start"], df["end"]
        order += per
        st.write_month(dst, first.strftime("%Y-%m"), st.sort_frame(df).reset_index(drop=True))
    st.seal(dst)
    return dst


def query_latency(store: Path, repeat: int = 5) -> dict:
    """Median seconds of typical date queries on the store (pyarrow, and DuckDB if present)."""
    from timeline import store as st
    meta = st.info(store)
    months = sorted(m for m in meta["months"] if m != st.UNDATED)
    mid = months[len(months) // 2]
    y, m = map(int, mid.split("-"))
    month_from, month_to = date(y, m, 1), date(y, m, 28)
    queries = {
        "one month": dict(start=month_from, end=month_to),
        "one month, kind == 'expected'": dict(start=month_from, end=month_to,
                                               where="kind == 'expected'"),
        "one day": dict(start=month_from, end=month_from),
        "one year": dict(start=date(y, 1, 1), end=date(y, 12, 31)),
    }
    out = {"events_in_store": meta["events"], "queries": {}}
    for name, q in queries.items():
        times, n = [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            n = len(st.query(store, **q))
            times.append(time.perf_counter() - t)
        out["queries"][name] = {"rows": n, "pyarrow_s": statistics.median(times)}
        duck = _duckdb_latency(store, q, repeat)
        if duck is not None:
            out["queries"][name]["duckdb_s"], out["queries"][name]["duckdb_rows"] = duck
    for freq, adverb in (("day", "daily"), ("week", "weekly")):
        t = time.perf_counter()
        c = st.counts(store, freq=freq, lane="kind")
        out["queries"][f"{adverb} counts by kind"] = {"rows": len(c),
                                                      "pyarrow_s": time.perf_counter() - t}
    return out


def _duckdb_latency(store: Path, q: dict, repeat: int):
    try:
        import duckdb
    except ImportError:
        return None
    start = q["start"].isoformat()
    end = (q["end"] + timedelta(days=1)).isoformat()
    where = q.get("where", "true").replace("==", "=")
    sql = (f"select * exclude (month) from read_parquet('{store}/month=*/*.parquet', "
           f"hive_partitioning=true) where \"end\" > timestamp '{start}' and "
           f"start < timestamp '{end}' and ({where}) "
           f"order by start, \"end\", first_start, first_end, event_order")
    con = duckdb.connect()
    times, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = len(con.execute(sql).df())
        times.append(time.perf_counter() - t)
    return statistics.median(times), n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000, help="archive size (documents)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/timeline-scale"),
                    help="where the archive and the stores go (never the repository)")
    ap.add_argument("--chunk", type=int, default=None, help="documents per task")
    ap.add_argument("--no-merge", dest="merge", action="store_false",
                    help="keep one row per mention (the default build merges)")
    ap.add_argument("--query-events", type=int, default=2_000_000,
                    help="size of the synthetic store for the query latencies (0: skip)")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-one", action="store_true", help="skip the 1-worker baseline")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not DEV.is_file():
        sys.exit(f"the dev articles are missing: {DEV}")
    from timeline import scale
    from timeline import store as st
    chunk = args.chunk or scale.CHUNK_DOCS

    archive = args.work / f"archive-{args.docs}.jsonl"
    if not archive.is_file():
        t = time.perf_counter()
        make_archive(archive, args.docs)
        print(f"generated {archive} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    size_mb = archive.stat().st_size / 2**20
    print(f"archive: {args.docs} documents, {size_mb:.0f} MB, {os.cpu_count()} cores",
          file=sys.stderr)

    ceiling = cpu_ceiling()
    print(f"machine: a pure-Python loop takes {ceiling['alone_s']:.2f} s alone, "
          f"{'/'.join(f'{t:.2f}' for t in ceiling['together_s'])} s in 2 processes at once: "
          f"speed-up ceiling {ceiling['ceiling']:.2f}", file=sys.stderr)
    runs, stores = [], {}
    plan = [] if args.skip_one else [("local", 1)]
    plan += [("local", 2)] + ([] if args.skip_dask else [("dask", 2)])
    for engine, n in plan:
        store = args.work / f"store-{engine}-{n}"
        shutil.rmtree(store, ignore_errors=True)
        r = run_engine(engine, archive, store, n, chunk, args.merge)
        stores[(engine, n)] = store
        runs.append(r)
        print(f"{engine:<5} x{n}: {r['documents']} docs, {r['events']} events in "
              f"{r['seconds']:.1f} s = {r['docs_per_s']:.1f} docs/s; peak RSS per worker "
              f"{', '.join(f'{v:.0f}' for v in r['peak_rss_mb'])} MB; worker CPU "
              f"{', '.join(f'{v:.0f}' for v in r['worker_cpu_s'])} s; driver peak "
              f"{r['driver_rss_mb']:.0f} MB; {r['merge_windows']} merge windows "
              f"({r['remerged']} merged again); load {r['load_before']:.1f} -> "
              f"{r['load_after']:.1f}", file=sys.stderr)
    base = next((r for r in runs if r["engine"] == "local" and r["workers"] == 1), None)
    for r in runs:
        if base:
            r["speedup"] = base["seconds"] / r["seconds"]
            # what the wall time would be on idle cores: the busiest worker's CPU time
            # plus all of the driver's, as if none of it overlapped the workers
            idle = lambda x: max(x["worker_cpu_s"]) + x["driver_cpu_s"]  # noqa: E731
            r["speedup_idle_cores"] = idle(base) / idle(r)
        # CPU-bound share of the wall time: near the worker count when nothing else runs
        r["busy_workers"] = sum(r["worker_cpu_s"]) / r["seconds"]

    first = next(iter(stores.values()))
    same = all(st.read(s).equals(st.read(first)) for s in stores.values())
    latency = {"built store": query_latency(first)}
    if args.query_events:
        big = synthetic_store(args.work / "store-synthetic", args.query_events,
                              st.read(first, mentions=True))
        latency["synthetic store"] = query_latency(big)
    report = {"docs": args.docs, "archive_mb": size_mb, "cores": os.cpu_count(),
              "cpu_ceiling": ceiling, "runs": runs,
              "stores_equal": same, "latency": latency}
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    print(f"\n{args.docs} documents ({size_mb:.0f} MB), {os.cpu_count()} cores"
          f"{', merged' if args.merge else ', mentions not merged'}")
    print(f"{'engine':<8}{'workers':>8}{'seconds':>9}{'docs/s':>9}{'speed-up':>10}"
          f"{'(idle)':>8}{'busy':>6}{'CPU s workers+driver':>26}{'peak RSS/worker MB':>24}"
          f"{'driver MB':>10}{'load':>10}")
    for r in runs:
        sp = f"{r['speedup']:.2f}" if "speedup" in r else "-"
        si = f"{r['speedup_idle_cores']:.2f}" if "speedup_idle_cores" in r else "-"
        rss = "/".join(f"{v:.0f}" for v in r["peak_rss_mb"])
        cpu = "+".join(f"{v:.0f}" for v in r["worker_cpu_s"]) + f"+{r['driver_cpu_s']:.0f}"
        print(f"{r['engine']:<8}{r['workers']:>8}{r['seconds']:>9.1f}{r['docs_per_s']:>9.1f}"
              f"{sp:>10}{si:>8}{r['busy_workers']:>6.2f}{cpu:>26}{rss:>24}"
              f"{r['driver_rss_mb']:>10.0f}{r['load_before']:>5.1f}-{r['load_after']:.1f}")
    print(f"stores hold the same events: {same}")
    print(f"speed-up ceiling of this machine for 2 processes (pure-Python loop): "
          f"{ceiling['ceiling']:.2f}")
    for which, lat in latency.items():
        print(f"\ndate queries, {which} of {lat['events_in_store']} events (median):")
        for name, q in lat["queries"].items():
            duck = f", duckdb {q['duckdb_s'] * 1000:.0f} ms" if "duckdb_s" in q else ""
            print(f"  {name:<32} {q['rows']:>8} rows  pyarrow {q['pyarrow_s'] * 1000:.0f} ms{duck}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
