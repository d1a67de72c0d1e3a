"""Tagging speed and memory: timeline.temporal.tag against dateparser's search_dates.

    python benchmarks/tag_speed.py [--corpus PATH] [--repeat N] [--json]

Both taggers see the same TimeML documents with their DCT as reference date.
Imports and a warm-up call happen before timing; memory is measured in
separate passes because tracemalloc slows the code it watches. One process,
pinned to one core where the OS allows it.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from a checkout

from timeline.sources.timeml import read_timeml  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "tbaq"


def load_corpus(path: Path) -> list[tuple[str, datetime | None]]:
    files = sorted(path.rglob("*.tml")) if path.is_dir() else [path]
    if not files:
        sys.exit(f"no .tml files under {path}")
    docs = (read_timeml(f)[0] for f in files)
    return [(doc.text, _as_datetime(doc.published)) for doc in docs]


def _as_datetime(d: date | datetime | None) -> datetime | None:
    # dateparser's RELATIVE_BASE must be a datetime; timeline takes either.
    if d is None or isinstance(d, datetime):
        return d
    return datetime(d.year, d.month, d.day)


def load_timeline():
    from timeline.temporal import tag
    return lambda text, dct: len(tag(text, dct))


def load_dateparser():
    from dateparser.search import search_dates

    def run(text, dct):
        settings = {"RELATIVE_BASE": dct} if dct else {}
        return len(search_dates(text, languages=["en"], settings=settings) or [])
    return run


def one_pass(tagger, docs) -> int:
    return sum(tagger(text, dct) for text, dct in docs)


def traced_peak(fn) -> tuple[object, int]:
    """fn()'s result and the peak bytes it allocated (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def timed(fn) -> tuple[object, float]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def measure(loader, docs, repeat: int) -> dict:
    # Loading is traced (models, resources); its warm-up call runs the first document.
    def load():
        tagger = loader()
        tagger(*docs[0])
        return tagger
    tagger, load_peak = traced_peak(load)
    runs = [timed(lambda: one_pass(tagger, docs)) for _ in range(repeat)]
    found = runs[0][0]
    _, tag_peak = traced_peak(lambda: one_pass(tagger, docs))
    best = min(t for _, t in runs)
    chars = sum(len(text) for text, _ in docs)
    return {"seconds": best, "mean_seconds": sum(t for _, t in runs) / repeat, "runs": repeat,
            "chars_per_second": chars / best if best else None, "mentions": found,
            "load_peak_bytes": load_peak, "tag_peak_bytes": tag_peak}


def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    except (AttributeError, OSError):
        return "unpinned"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder or .tml file")
    ap.add_argument("--repeat", type=int, default=3, help="timeline passes (best is kept)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        ap.error(f"no corpus at {args.corpus}")
    core = pin_one_core()
    docs = load_corpus(args.corpus)
    try:
        timeline = measure(load_timeline, docs, max(1, args.repeat))
    except ImportError as exc:
        sys.exit(f"timeline tagger not importable: {exc}")
    dateparser = measure(load_dateparser, docs, 1)
    result = {
        "corpus": str(args.corpus), "documents": len(docs),
        "characters": sum(len(t) for t, _ in docs), "core": core,
        "timeline": timeline, "dateparser": dateparser,
        "speed_ratio": (timeline["chars_per_second"] / dateparser["chars_per_second"]
                        if timeline["chars_per_second"] and dateparser["chars_per_second"] else None),
    }
    print(json.dumps(result, indent=2) if args.json else format_result(result))
    return 0


def format_result(r: dict) -> str:
    t, d = r["timeline"], r["dateparser"]
    mb = 1024 * 1024
    rows = [
        ("seconds", f"{t['seconds']:.3f}", f"{d['seconds']:.3f}"),
        ("characters/second", f"{t['chars_per_second']:,.0f}", f"{d['chars_per_second']:,.0f}"),
        ("mentions found", f"{t['mentions']:,}", f"{d['mentions']:,}"),
        ("peak MB, load", f"{t['load_peak_bytes'] / mb:.1f}", f"{d['load_peak_bytes'] / mb:.1f}"),
        ("peak MB, tagging", f"{t['tag_peak_bytes'] / mb:.1f}", f"{d['tag_peak_bytes'] / mb:.1f}"),
    ]
    lines = [f"corpus {r['corpus']}: {r['documents']} documents, {r['characters']:,} characters"
             f" ({r['core']})",
             f"{'':20}{'timeline':>12}{'dateparser':>12}"]
    lines += [f"{name:20}{a:>12}{b:>12}" for name, a, b in rows]
    lines.append(f"timeline best of {t['runs']} (mean {t['mean_seconds']:.3f} s); dateparser once")
    if r["speed_ratio"]:
        lines.append(f"speed ratio timeline/dateparser: {r['speed_ratio']:.1f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
