"""Timeline summarisation (TLS) on the Timeline17 dev timelines, news-tls protocol.

For each timeline in ../shared/corpora/t17 (one folder per gold timeline:
articles.jsonl and timelines/*.txt) this builds the timeline of its articles
(or loads it from --cache), summarises it with L = the number of dates of the
gold timeline and K = its average number of sentences per date (rounded), the
dates restricted to the gold's first..last date (news-tls: Ghalandari & Ifrim,
ACL 2020), and scores it:

- AR1-F / AR2-F: alignment-based ROUGE-1 / ROUGE-2 F (Martschat & Markert
  2017, "align+ m:1", as news-tls computes it with tilse): each predicted date
  is aligned to the gold date of least cost (1 - 1/(|days apart| + 1)) x
  (1 - approximate ROUGE-1 F of the two summaries), each gold date likewise to
  a predicted one; matched n-grams count 1/(|days apart| + 1).  ROUGE counts
  as ROUGE-1.5.5 with -m -s: lower case, runs of letters and digits, its stop
  list (benchmarks/data/rouge_stopwords.txt, ROUGE-1.5.5's
  smart_common_words.txt) removed, Porter stems for words longer than 3.
- Date-F1: the predicted dates against the gold dates, exactly.

Averages are news-tls's: the mean precision and the mean recall over the
timelines, and the F of those two.  The publication-count baseline of the same
run takes the L days on which most articles were published (ties: the
earlier day) and, for each, the lead sentences of that day's articles.

    python benchmarks/tls.py                 # the table (builds are cached)
    python benchmarks/tls.py --loto          # also leave-one-topic-out figures
    python benchmarks/tls.py --fit           # grid search, writes
                                             # timeline/assets/summary.json (and --loto)
    python benchmarks/tls.py --rebuild       # rebuild every timeline (timing)
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import timeline  # noqa: E402
from timeline import summarize as S  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "t17"
CACHE = Path("/tmp/timeline-tls-cache")
PARAMS = ROOT / "timeline" / "assets" / "summary.json"
STOP = frozenset((ROOT / "benchmarks" / "data" / "rouge_stopwords.txt")
                 .read_text(encoding="utf-8").split())
_RUN = re.compile(r"[a-z0-9]+")


# ---------------------------------------------------------------- gold

def read_gold(path: Path) -> dict[date, list[str]]:
    """A Timeline17 gold file: a date line, its sentences, a dashed line."""
    out: dict[date, list[str]] = {}
    for block in re.split(r"^-{5,}\s*$", path.read_text(encoding="utf-8"), flags=re.M):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if lines:
            out[date.fromisoformat(lines[0])] = lines[1:]
    return dict(sorted(out.items()))


def topics(corpus: Path) -> list[tuple[str, Path, Path]]:
    out = []
    for d in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for gold in sorted((d / "timelines").glob("*.txt")):
            out.append((d.name, d / "articles.jsonl", gold))
    return out


# ---------------------------------------------------------------- ROUGE

_stemmer = None


def _stem(word: str) -> str:
    global _stemmer
    if _stemmer is None:
        from nltk.stem import porter  # via rouge-score, the scorer's one dependency
        _stemmer = porter.PorterStemmer()
    return _stemmer.stem(word) if len(word) > 3 else word


def rouge_tokens(sentences: list[str]) -> list[str]:
    words = [w for s in sentences for w in _RUN.findall(s.lower())]
    return [_stem(w) for w in words if w not in STOP]


def ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _approx_r1(pred: list[str], ref: list[str]) -> float:
    """tilse's approximate ROUGE-1 F (raw tokens) that sets alignment costs."""
    p = Counter(w for s in pred for w in s.split())
    r = Counter(w for s in ref for w in s.split())
    match = sum(min(k, r[t]) for t, k in p.items())
    pn, rn = sum(p.values()), sum(r.values())
    prec, rec = (match / pn if pn else 0), (match / rn if rn else 0)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def align_rouge(pred: dict[date, list[str]], gold: dict[date, list[str]]) -> dict:
    """AR-1 and AR-2 precision, recall, F (align+ m:1)."""
    pd_, gd = sorted(pred), sorted(gold)
    if not pd_:
        return {n: (0.0, 0.0, 0.0) for n in (1, 2)}
    toks = {("p", d): rouge_tokens(pred[d]) for d in pd_}
    toks.update({("g", d): rouge_tokens(gold[d]) for d in gd})
    grams = {(k, n): ngrams(t, n) for k, t in toks.items() for n in (1, 2)}
    content = {(a, b): 1 - _approx_r1(pred[a], gold[b]) for a in pd_ for b in gd}

    def cost(a, b):
        return (1 - 1 / (abs(a.toordinal() - b.toordinal()) + 1)) * content[(a, b)]

    prec_pairs = [(a, min(gd, key=lambda b: cost(a, b))) for a in pd_]  # first minimum
    rec_pairs = [(min(pd_, key=lambda a: cost(a, b)), b) for b in gd]
    out = {}
    for n in (1, 2):
        pn = pdn = rn = rdn = 0.0
        for a, b in prec_pairs:
            p, g = grams[(("p", a), n)], grams[(("g", b), n)]
            h = sum(min(k, g[t]) for t, k in p.items())
            pn += h / (abs(a.toordinal() - b.toordinal()) + 1)
            pdn += sum(p.values())
        for a, b in rec_pairs:
            p, g = grams[(("p", a), n)], grams[(("g", b), n)]
            h = sum(min(k, g[t]) for t, k in p.items())
            rn += h / (abs(a.toordinal() - b.toordinal()) + 1)
            rdn += sum(g.values())
        prec, rec = (pn / pdn if pdn else 0.0), (rn / rdn if rdn else 0.0)
        out[n] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return out


def date_prf(pred, gold) -> tuple[float, float, float]:
    shared = len(set(pred) & set(gold))
    prec = shared / len(pred) if pred else 0.0
    rec = shared / len(gold) if gold else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def score(pred, gold) -> dict:
    r = align_rouge(pred, gold)
    return {"ar1": r[1], "ar2": r[2], "date": date_prf(pred, gold)}


def average(results: list[dict]) -> dict:
    """news-tls: mean precision, mean recall, F of the two."""
    out = {}
    for key in ("ar1", "ar2", "date"):
        p = sum(r[key][0] for r in results) / len(results)
        rec = sum(r[key][1] for r in results) / len(results)
        out[key] = (p, rec, 2 * p * rec / (p + rec) if p + rec else 0.0)
    return out


# ---------------------------------------------------------------- systems

def load(name: str, articles: Path, cache: Path, rebuild: bool):
    """(Timeline, seconds its build took, articles): built once, then cached."""
    path = cache / f"{name}.pkl"
    if path.exists() and not rebuild:
        with path.open("rb") as f:
            return pickle.load(f)
    t = time.process_time()
    w = time.perf_counter()
    tl = timeline.build([articles])
    took = {"cpu": time.process_time() - t, "wall": time.perf_counter() - w}
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump((tl, took), f)
    return tl, took


def pub_baseline(docs, gold, k: int) -> dict[date, list[str]]:
    """The L days with the most articles published (ties: earlier), lead sentences."""
    lo, hi = min(gold), max(gold)
    by_day: dict[date, list] = {}
    for d in docs:
        day = d.published_date
        if day and lo <= day <= hi:
            by_day.setdefault(day, []).append(d)
    days = sorted(by_day, key=lambda x: (-len(by_day[x]), x))[:len(gold)]
    out = {}
    for day in sorted(days):
        leads = [[ln.strip() for ln in d.text.splitlines()
                  if ln.strip() and ln.strip() != (d.title or "").strip()]
                 for d in by_day[day]]
        sents = []
        for i in range(max(map(len, leads), default=0)):  # first sentences first
            sents += [lead[i] for lead in leads if i < len(lead)]
        out[day] = sents[:k]
    return out


def system(tl, gold, k: int, params=None) -> dict[date, list[str]]:
    s = S.summarize(tl.events, tl.mentions, dates=len(gold), sentences=k,
                    start=min(gold), end=max(gold), params=params)
    return {d.date(): v for d, v in ((pd.Timestamp(x), y) for x, y in
                                     S.to_dict(s).items())}


def gold_k(gold) -> int:
    return round(sum(map(len, gold.values())) / len(gold))


# ---------------------------------------------------------------- fit

GRID = {
    "w_pub": [0.0, 0.5, 1.0, 2.0],
    "w_ref": [0.5, 1.0, 2.0],
    "w_later": [0.0, 0.5, 1.0],
    "w_top": [0.0, 0.5, 1.0],
    "w_absolute": [0.0, 0.5, 1.0],
    "spread": [0.0, 0.1, 0.25, 0.5],
    "window": [1, 3, 7, 14],
}
FEATURE_GRID = {"later_days": [1, 3, 7]}  # these change the features themselves
# the sentence stage, searched after the dates are fixed: AR1-F + AR2-F
SENTENCE_GRID = {
    "news_days": [1, 2, 3],
    "w_news": [1.0, 2.0],
    "w_pos": [0.0, 0.1],
    "w_len": [0.0, 0.05],
}


def _date_f1_table(data, base):
    """Date-F1 of every grid point on every timeline (features computed once per
    FEATURE_GRID point)."""
    import numpy as np
    fnames = list(FEATURE_GRID)
    parts = [_date_f1_part(data, {**base, **dict(zip(fnames, fc))})
             for fc in itertools.product(*(FEATURE_GRID[n] for n in fnames))]
    fcombos = list(itertools.product(*(FEATURE_GRID[n] for n in fnames)))
    names = fnames + parts[0][0]
    combos = [fc + c for fc, (_, cs, _) in zip(fcombos, parts) for c in cs]
    return names, combos, np.vstack([t for _, _, t in parts])


def _date_f1_part(data, base):
    import numpy as np
    names = list(GRID)
    combos = list(itertools.product(*(GRID[n] for n in names)))
    table = np.zeros((len(combos), len(data)))
    for j, (name, tl, gold) in enumerate(data):
        f = S.day_features(tl.events, tl.mentions, base)
        f = f[(f.index >= pd.Timestamp(min(gold))) & (f.index <= pd.Timestamp(max(gold)))]
        logs = {c: np.log1p(f[c].to_numpy()) for c in S.FEATURES}
        gset = {pd.Timestamp(g) for g in gold}
        for i, combo in enumerate(combos):
            p = dict(zip(names, combo))
            sc = sum(p[f"w_{c}"] * logs[c] for c in S.FEATURES)
            s = pd.Series(sc, index=f.index)
            days = S._greedy(s[s > 0], len(gold), p["spread"], p["window"])
            table[i, j] = date_prf(set(days), gset)[2]
    return names, combos, table


def topic_of(name: str) -> str:
    """The story a timeline belongs to: its folder name up to the first '_'
    (bpoil_bbc and bpoil_reuters are two outlets' timelines of one story)."""
    return name.split("_", 1)[0]


def _pick(names, combos, table, data):
    """(best on all timelines, [(timeline, best on the other topics' timelines,
    its value)]): leave one *topic* out, since the timelines of one story share
    its key dates and most of its articles' wording."""
    loto = []
    for j, (name, _, _) in enumerate(data):
        others = [i for i, (n, _, _) in enumerate(data) if topic_of(n) != topic_of(name)]
        best = max(range(len(combos)), key=lambda i: (table[i, others].mean(), -i))
        loto.append((name, dict(zip(names, combos[best])), table[best, j]))
    best = max(range(len(combos)), key=lambda i: (table[i].mean(), -i))
    return dict(zip(names, combos[best])), loto


def _sentence_table(data, base):
    import numpy as np
    names = list(SENTENCE_GRID)
    combos = list(itertools.product(*(SENTENCE_GRID[n] for n in names)))
    table = np.zeros((len(combos), len(data)))
    for i, combo in enumerate(combos):
        p = {**base, **dict(zip(names, combo))}
        for j, (_, tl, gold) in enumerate(data):
            r = score(system(tl, gold, gold_k(gold), params=p), gold)
            table[i, j] = r["ar1"][2] + r["ar2"][2]
        print(f"  sentence grid {i + 1}/{len(combos)}", file=sys.stderr, flush=True)
    return names, combos, table


def fit(data, base) -> tuple[dict, list]:
    """Leave-one-topic-out, in two stages: the date weights by Date-F1, then the
    sentence weights by AR1-F + AR2-F.  For each timeline, the grid points best
    on the other timelines; the weights shipped are the best on all of them."""
    names, combos, table = _date_f1_table(data, base)
    best_dates, loto_dates = _pick(names, combos, table, data)
    names, combos, table = _sentence_table(data, {**base, **best_dates})
    best_sent, loto_sent = _pick(names, combos, table, data)
    # a held-out timeline's sentence weights are judged with its own LOTO date weights
    loto = [(n, {**pd_, **ps}, f1) for (n, pd_, f1), (_, ps, _) in zip(loto_dates, loto_sent)]
    return {**best_dates, **best_sent}, loto


# ---------------------------------------------------------------- main

def fmt(t) -> str:
    return f"{t[2]:.3f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--fit", action="store_true", help="grid search; write the weights (and --loto)")
    ap.add_argument("--loto", action="store_true",
                    help="also score each topic with the weights best on the other topics")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    data, runs = [], []
    for name, articles, gold_path in topics(args.corpus):
        gold = read_gold(gold_path)
        tl, took = load(name, articles, args.cache, args.rebuild)
        data.append((name, tl, gold))
        runs.append(took)
    base = S.default_params()
    loto = None
    if args.fit or args.loto:
        best, loto = fit(data, base)
    if args.fit:
        params = {**base, **best}
        raw = json.loads(PARAMS.read_text(encoding="utf-8"))
        raw["params"] = params
        PARAMS.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        S.default_params.cache_clear()
        print(f"wrote {PARAMS.relative_to(ROOT)}: {best}")

    rows, sys_res, base_res, loto_res = [], [], [], []
    for (name, tl, gold), took in zip(data, runs):
        k = gold_k(gold)
        t = time.process_time()
        pred = system(tl, gold, k)
        secs = time.process_time() - t
        r = score(pred, gold)
        b = score(pub_baseline(tl.documents, gold, k), gold)
        sys_res.append(r)
        base_res.append(b)
        if loto:
            lp = next(p for n, p, _ in loto if n == name)
            loto_res.append(score(system(tl, gold, k, params={**base, **lp}), gold))
        rows.append((name, len(tl.documents), len(gold), k, r, b, took, secs))

    # times are CPU seconds of this process (one core): the machine may be shared
    head = (f"{'timeline':<22}{'docs':>5}{'L':>4}{'K':>3} | {'AR1-F':>6}{'AR2-F':>7}{'Date-F1':>8} |"
            f" {'base AR1':>8}{'AR2':>6}{'Date':>6} | {'build':>6}{'summ.':>6}{'wall':>6}")
    print(head)
    print("-" * len(head))
    for name, n, L, k, r, b, took, secs in rows:
        print(f"{name:<22}{n:>5}{L:>4}{k:>3} | {fmt(r['ar1']):>6}{fmt(r['ar2']):>7}"
              f"{fmt(r['date']):>8} | {fmt(b['ar1']):>8}{fmt(b['ar2']):>6}{fmt(b['date']):>6} |"
              f" {took['cpu']:>6.1f}{secs:>6.2f}{took['wall']:>6.1f}")
    a, ab = average(sys_res), average(base_res)
    tb = sum(t["cpu"] for t in runs) / len(runs)
    tw = sum(t["wall"] for t in runs) / len(runs)
    ts = sum(r[-1] for r in rows) / len(rows)
    print("-" * len(head))
    print(f"{'average':<34} | {fmt(a['ar1']):>6}{fmt(a['ar2']):>7}{fmt(a['date']):>8} |"
          f" {fmt(ab['ar1']):>8}{fmt(ab['ar2']):>6}{fmt(ab['date']):>6} | {tb:>6.1f}{ts:>6.2f}{tw:>6.1f}")
    print("(build, summ.: CPU seconds on one core; wall: the build's elapsed seconds)")
    out = {"system": a, "baseline": ab, "timelines": [
        {"timeline": n, "docs": d, "L": L, "K": k, "system": r, "baseline": b,
         "build_s": took, "summarize_cpu_s": secs} for n, d, L, k, r, b, took, secs in rows]}
    if loto:
        al = average(loto_res)
        print()
        print("leave-one-topic-out: each timeline with the weights best on the other topic(s)")
        for (name, *_), r in zip(rows, loto_res):
            print(f"{name:<34} | {fmt(r['ar1']):>6}{fmt(r['ar2']):>7}{fmt(r['date']):>8}")
        print(f"{'average':<34} | {fmt(al['ar1']):>6}{fmt(al['ar2']):>7}{fmt(al['date']):>8}")
        for name, p, f1 in loto:
            print(f"  {name:<22} Date-F1 {f1:.3f}  {p}")
        out["loto"] = {"average": al, "timelines": [
            {"timeline": n, "scores": r, "params": p}
            for (n, p, _), r in zip(loto, loto_res)]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
