"""Choose the merge's thresholds by leave-one-story-out on the gold stories.

    python scripts/fit_merge.py                     # the current pack's figures
    python scripts/fit_merge.py --grid clock_slack=0,0.0208 join=0.2,0.26

Builds the mention tables of both stories once (the Key Bridge story of
../shared/corpora/events, scored by its score.py, and the seed story of
tests/data/news_gold.toml, scored by timeline.eventeval), then merges them
under every combination of the --grid values (fields of merge._Data, in its
units: days for clock_slack and night_until) and
prints both stories' figures.  The choice on one story is the best merge F1
plus once there; its figures on the other story are the held-out ones.
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import merge_pairs as P  # noqa: E402

from timeline import eventeval, merge as M  # noqa: E402


def stories():
    import timeline
    sc = P._score_module()
    kb_m, _, texts = sc.run_timeline(P.KB / "articles.jsonl")
    events, gold = sc.read_gold(P.KB / "gold.toml", texts)
    tl = timeline.build([P.SHARED / "corpora/news/articles.jsonl", P.ROOT / "seeds"])
    seed_m, seed_gold = tl.mentions.reset_index(drop=True), eventeval.load_gold(
        P.ROOT / "tests/data/news_gold.toml")

    def kb(data):
        f, _ = sc.score(events, gold, kb_m, _merged(kb_m, data), texts)
        return {k: f[k] for k in ("merge_precision", "merge_recall", "once", "row_precision",
                                  "kind_acc", "date_acc")}

    def seed(data):
        f = eventeval.evaluate(_merged(seed_m, data), seed_m, seed_gold).figures()
        return {"merge_precision": f["merge_precision"], "merge_recall": f["merge_recall"],
                "once": f["once"], "date_precision": f["date_precision"],
                "kind_acc": f["kind_accuracy"]}
    return {"kb": kb, "seed": seed}


def _merged(mentions, data):
    M._data.cache_clear()
    base = M._data("en")
    M._data = lambda lang="en", _d=dataclasses.replace(base, **data): _d
    try:
        return M.merge_events(mentions)
    finally:
        M._data = _cached


_cached = M._data


def objective(f) -> float:
    p, r = f["merge_precision"] or 0, f["merge_recall"] or 0
    return (2 * p * r / (p + r) if p + r else 0) + f["once"]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", nargs="*", default=[])
    a = ap.parse_args(argv)
    names = [g.split("=")[0] for g in a.grid]
    values = [[float(v) for v in g.split("=")[1].split(",")] for g in a.grid]
    run = stories()
    results = []
    for combo in itertools.product(*values):
        data = dict(zip(names, combo))
        figs = {s: f(data) for s, f in run.items()}
        results.append((data, figs))
        print(data, " | ".join(f"{s} " + " ".join(f"{k[:6]} {v:.3f}" for k, v in f.items())
                               for s, f in figs.items()), flush=True)
    for fit, test in (("kb", "seed"), ("seed", "kb")):
        data, figs = max(results, key=lambda r: objective(r[1][fit]))
        print(f"fit on {fit}: {data} -> held-out {test}: {figs[test]}")


if __name__ == "__main__":
    main()
