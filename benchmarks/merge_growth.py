"""One merge window's time and peak memory against its mentions, and the fitted exponents.

    python benchmarks/merge_growth.py                      # 1,000 ... 20,000 mentions
    python benchmarks/merge_growth.py --sizes 1000 5000 --save /tmp/rows   # keep the rows
    python benchmarks/merge_growth.py --sizes 10000 --profile /tmp/merge.prof

The window of size n is every mention of the first k synthetic articles
(``benchmarks/scale.py``'s generator, published within 30 days: one dense
month), k the fewest whose mentions reach n; word rarity is those k
articles' (whole articles, as the engine passes it). So a bigger window holds
more copies of the same sentences, as a bigger archive's month does: the
worst case for an all-pairs merge. Each size is merged by
``merge.merge_events`` in a forked process (so peak RSS is that merge's):
CPU and wall seconds, peak RSS above the process's size before, rows out.
Fitted: time = a * mentions^b and memory = a * mentions^b (least squares in
log-log). ``--save DIR``: each size's rows as parquet, to compare two
versions of the code row for row (``--compare DIR``).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEV, make_archive  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from timeline import api, merge, partition  # noqa: E402
from timeline.sources import Skipped, iter_inputs  # noqa: E402
from timeline.table import build_table  # noqa: E402


def table(n: int, cache: Path) -> pd.DataFrame:
    """The mentions of enough synthetic articles for ``n`` (cached as parquet)."""
    path = cache / f"growth-{n}.parquet"
    if path.is_file():
        return pd.read_parquet(path)
    cache.mkdir(parents=True, exist_ok=True)
    src = make_archive(cache / f"growth-{n}.jsonl", max(50, n // 5), seed=13, spread_days=30)
    docs = [d for d in iter_inputs([src]) if not isinstance(d, Skipped)]
    events = [e for d in docs for e in api.document_events(d)]
    df = build_table(events, {d.id: d for d in docs})
    df.to_parquet(path)
    return df


def window(df: pd.DataFrame, n: int) -> pd.DataFrame:
    """All mentions of the first k articles, k the fewest that give ``n``."""
    order = df["doc_id"].drop_duplicates()
    reach = df.groupby("doc_id", sort=False).size().reindex(order.to_numpy()).cumsum()
    k = int((reach < n).sum()) + 1
    return df[df["doc_id"].isin(set(order.iloc[:k]))].reset_index(drop=True)


def _run(block: pd.DataFrame, profile: str | None, q) -> None:
    import gc
    partition.reset_peak_rss()
    with open("/proc/self/status", encoding="ascii") as f:
        rss0 = next(int(x.split()[1]) for x in f if x.startswith("VmRSS:"))
    gc.disable()  # as windows.merge_frame runs it
    c0, w0 = time.process_time(), time.perf_counter()
    counts = merge.rarity(block)
    if profile:
        import cProfile
        cProfile.runctx("rows = merge.merge_events(block, counts=counts)", globals(),
                        ns := {"block": block, "counts": counts, "merge": merge}, profile)
        rows = ns["rows"]
    else:
        rows = merge.merge_events(block, counts=counts)
    q.put({"cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0,
           "peak_mb": (partition.peak_rss_kb() - rss0) / 1024, "rows": rows})


def measure(block: pd.DataFrame, profile: str | None = None) -> dict:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(block, profile, q))
    p.start()
    out = q.get()
    p.join()
    return out


def fit(xs, ys) -> tuple[float, float]:
    b, loga = np.polyfit(np.log(xs), np.log(np.maximum(ys, 1e-9)), 1)
    return float(np.exp(loga)), float(b)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000, 20000])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/timeline-merge-growth"))
    ap.add_argument("--save", type=Path, help="write each size's rows here")
    ap.add_argument("--compare", type=Path, help="compare each size's rows with those here")
    ap.add_argument("--profile", help="cProfile output of the largest size")
    args = ap.parse_args(argv)
    if not DEV.exists():
        sys.exit(f"needs the dev articles in {DEV}")
    df = table(max(20000, max(args.sizes)), args.cache)  # one archive for every run
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
    points, same = [], True
    for n in sorted(args.sizes):
        block = window(df, n)
        r = measure(block, args.profile if n == max(args.sizes) else None)
        rows = r.pop("rows")
        points.append((len(block), r))
        note = ""
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            rows.to_parquet(args.save / f"{n}.parquet")
        if args.compare:
            old = pd.read_parquet(args.compare / f"{n}.parquet")
            eq = old.reset_index(drop=True).equals(rows.reset_index(drop=True).astype(old.dtypes))
            same &= eq
            note = "; rows equal" if eq else "; ROWS DIFFER"
        print(f"{len(block):>6} mentions ({block['doc_id'].nunique()} articles): "
              f"{r['cpu_s']:7.1f} s CPU, {r['wall_s']:7.1f} s wall, peak +{r['peak_mb']:6.0f} MB, "
              f"{len(rows)} rows{note}  [load {os.getloadavg()[0]:.2f}]", flush=True)
    if len(points) > 1:
        xs = [n for n, _ in points]
        a, b = fit(xs, [r["cpu_s"] for _, r in points])
        am, bm = fit(xs, [max(1.0, r["peak_mb"]) for _, r in points])
        print(f"time ~ {a:.3g} * mentions^{b:.2f} s; memory ~ {am:.3g} * mentions^{bm:.2f} MB")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
