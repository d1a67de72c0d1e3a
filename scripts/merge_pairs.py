"""Diagnose the merge on the gold stories: every pair of located gold mentions,
whether the merge's candidate step pairs them, whether their dates are judged
consistent, and their similarity score.

    python scripts/merge_pairs.py [--story kb|seed] [--show same|diff|all]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KB = SHARED / "corpora/events/key-bridge-2024"


def _score_module():
    spec = importlib.util.spec_from_file_location("kb_score", SHARED / "corpora/events/score.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["kb_score"] = mod
    spec.loader.exec_module(mod)
    return mod


def located(story: str):
    """(mentions table, {mention row: gold event}) of a story."""
    import timeline
    from timeline import eventeval
    if story == "kb":
        sc = _score_module()
        mentions, rows, texts = sc.run_timeline(KB / "articles.jsonl")
        events, gold = sc.read_gold(KB / "gold.toml", texts)
        out = sc.Output(mentions, rows)
        chosen = sc.find_mentions(gold, out, texts)
        return mentions, {i: gold[n].event for n, i in chosen.items()
                          if not gold[n].optional}
    tl = timeline.build([SHARED / "corpora/news/articles.jsonl", ROOT / "seeds"])
    m = tl.mentions.reset_index(drop=True)
    pos = {e: i for i, e in enumerate(m["event_id"])}
    where = {}
    for g in eventeval.load_gold(ROOT / "tests/data/news_gold.toml"):
        for loc in g.mentions:
            eid = eventeval.locate(m, loc)
            if eid is not None:
                where[pos[eid]] = g.id
    return m, where


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--story", default="kb")
    ap.add_argument("--show", default="same")
    a = ap.parse_args(argv)
    from timeline import merge as M
    df, where = located(a.story)
    df = df.reset_index(drop=True)
    df = df.astype({c: object for c, t in df.dtypes.items() if str(t) == "string"})
    d = M._data()
    ms = M._mentions(df, "en")
    docs = list(df["doc_id"])
    idf, vecs, own, alone = M._vectors(ms, docs)
    w0 = np.array([m.w0 for m in ms]); w1 = np.array([m.w1 for m in ms])
    # the merge's candidate step (merge._pairs): a shared rare word (few
    # articles: any word; never the day token) and windows that nearly meet
    few = len(set(docs)) < 20
    rare = [{w for w in v if w[0] != "@" and (few or idf.get(w, 0) >= d.min_idf + d.idf_floor)}
            for v in vecs]
    from timeline import pairs as pairs_
    cand = set()
    for i, j in combinations(sorted(where), 2):
        near = pairs_.near(np.array([i]), np.array([j]), w0, w1, d.slack)[0]
        if rare[i] & rare[j] and near and not (np.isnan(w0[i]) or np.isnan(w0[j])):
            cand.add((i, j))
    sims = M._similarities(ms, docs, d)
    stats = {"same": [0, 0, 0, 0], "diff": [0, 0, 0, 0]}  # pairs, candidate, consistent, >=join
    for i, j in combinations(sorted(where), 2):
        same = where[i] == where[j]
        k = "same" if same else "diff"
        st = stats[k]
        st[0] += 1
        c = (i, j) in cand
        s = sims.get((i, j))
        st[1] += c
        st[2] += s is not None
        st[3] += s is not None and s >= d.join
        if a.show in (k, "all") and (s is None or (s < d.join) == same):
            r, q = df.loc[i], df.loc[j]
            why = "no-cand" if not c else ("inconsistent" if s is None else f"{s:.2f}")
            print(f"{'SAME' if same else 'DIFF'} {where[i]}|{where[j]} {why}\n"
                  f"   {r.doc_id[:22]} {r.start} {r.end} {r.granularity} {r.role} {r.expression!r}: {r.text[:90]}\n"
                  f"   {q.doc_id[:22]} {q.start} {q.end} {q.granularity} {q.role} {q.expression!r}: {q.text[:90]}")
    for k, st in stats.items():
        print(f"{k}: pairs {st[0]} candidate {st[1]} consistent {st[2]} >=join {st[3]}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
