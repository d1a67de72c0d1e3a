"""Merge figures of the dev stories with the merge cut into month windows.

    python benchmarks/window_quality.py [--block N]

The dev stories are small enough to merge in one window, as ``timeline.build``
does; here the local engine is forced to merge month by month
(``merge_block``, default 1 mention: every month is a window of its own), so
the figures show what the windowed merge of a large archive loses at month
edges. Prints the seed story's ``timeline.eventeval`` figures and the Key
Bridge story's ``score.py`` summary, in-process and windowed.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "corpora"
EVENTS = SHARED / "events"


def windowed(block: int):
    """A ``timeline.build`` that runs the local engine with month windows."""
    from timeline import api, scale

    def build(inputs, statements=False, **_):
        return api.EngineTimeline(scale.run(inputs, workers=1, merge_block=block,
                                            statements=statements, keep_documents=True))
    return build


def seed_story(build) -> str:
    from timeline import eventeval
    tl = build([str(SHARED / "news" / "articles.jsonl"), str(REPO / "seeds")])
    rep = eventeval.evaluate(tl.events, tl.mentions, eventeval.load_gold(REPO / "tests" / "data"
                                                                         / "news_gold.toml"))
    return " ".join(f"{k} {v:.3f}" for k, v in rep.figures().items())


def key_bridge(build) -> str:
    import timeline
    sys.path.insert(0, str(EVENTS))
    import score
    story = EVENTS / "key-bridge-2024"
    real = timeline.build
    timeline.build = build
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            score.main([str(story / "gold.toml"), str(story / "articles.jsonl")])
    finally:
        timeline.build = real
    return out.getvalue().strip()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--block", type=int, default=1, help="merge_block of the windowed runs")
    a = p.parse_args(argv)
    import timeline
    for name, build in (("in-process", timeline.build), (f"windowed (merge_block={a.block})",
                                                         windowed(a.block))):
        print(f"{name}\n  seed story: {seed_story(build)}\n  key bridge: {key_bridge(build)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
