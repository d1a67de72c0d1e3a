"""Merging mentions into happenings: seconds for blocks of growing size.

    python benchmarks/merge_speed.py                 # 1,000 / 3,000 / 6,000 mentions
    python benchmarks/merge_speed.py --sizes 500 2000 --json
    python benchmarks/merge_speed.py --fixed-density --sizes 1000 2000 4000 8000

The mentions come from synthetic articles (``benchmarks/scale.py``'s
generator: dev articles recombined) published within 60 days, so every block
is as dense in near-duplicates as a busy month of a news archive. The scale
engines merge by month blocks of at most ``timeline.scale.MERGE_BLOCK_ROWS``
mentions; the figure to watch is how the time grows with the block.
Prints, for each size: seconds, mentions per second, candidate pairs scored,
rows out, and the growth exponent from the size before (time ~ mentions^k).

``--fixed-density``: each size gets its own archive published over 60 days
per 1,000 mentions, so near-duplicates per mention stay about the same (the
default packs every size into 60 days: the bigger block is also denser, and
its pairs grow faster than its mentions).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEV, make_archive  # noqa: E402

from timeline import api, merge  # noqa: E402
from timeline.sources import Skipped, iter_inputs  # noqa: E402
from timeline.table import build_table  # noqa: E402


def mentions(n: int, seed: int = 11, spread_days: int = 60):
    """At least ``n`` mention rows of synthetic articles, published within ``spread_days``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_archive(Path(tmp) / "a.jsonl", max(50, n // 5), seed=seed,
                            spread_days=spread_days)
        docs = [d for d in iter_inputs([path]) if not isinstance(d, Skipped)]
    events = [e for d in docs for e in api.document_events(d)]
    table = build_table(events, {d.id: d for d in docs})
    return table.sort_values(["start", "event_id"], kind="stable").head(n).reset_index(drop=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 6000])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--fixed-density", action="store_true",
                    help="60 days of articles per 1,000 mentions at every size")
    args = ap.parse_args(argv)
    if not DEV.exists():
        sys.exit(f"needs the dev articles in {DEV}")
    table = None if args.fixed_density else mentions(max(args.sizes))
    out = []
    for n in args.sizes:
        block = (mentions(n, spread_days=max(60, 60 * n // 1000)) if args.fixed_density
                 else table).head(n)
        t0 = time.perf_counter()
        pairs = len(merge.similarities(block))
        t1 = time.perf_counter()
        rows = len(merge.merge_events(block))
        t2 = time.perf_counter()
        out.append({"mentions": len(block), "seconds": round(t2 - t1, 2),
                    "mentions_per_s": round(len(block) / (t2 - t1)),
                    "similarities_s": round(t1 - t0, 2), "similar_pairs": pairs, "rows": rows})
        if len(out) > 1:  # time ~ mentions^k between this size and the one before
            a, b = out[-2], out[-1]
            out[-1]["exponent"] = round(math.log(b["seconds"] / a["seconds"])
                                        / math.log(b["mentions"] / a["mentions"]), 2)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for r in out:
            print(f"{r['mentions']:>6} mentions: merge {r['seconds']:>7.2f} s "
                  f"({r['mentions_per_s']:>5}/s; similarities alone {r['similarities_s']:.2f} s, "
                  f"{r['similar_pairs']:,} consistent pairs) -> {r['rows']:,} rows"
                  + (f"; exponent {r['exponent']}" if "exponent" in r else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
