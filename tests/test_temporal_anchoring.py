"""Running rules only near their anchor words must find exactly what running
every rule over the whole text finds (the speed-up changes nothing)."""
from pathlib import Path

import pytest

from timeline.temporal.extract import find
from timeline.temporal.lexicon import load

ROOT = Path(__file__).resolve().parents[1]
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"


def _spans(text, anchored):
    return [(c.start, c.end, c.rule.name) for c in find(text, load(), anchored=anchored)]


def test_seeds_same_candidates():
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        text = f.read_text("utf-8")
        assert _spans(text, True) == _spans(text, False)


@pytest.mark.skipif(not TBAQ.exists(), reason="../shared/corpora not present")
def test_tbaq_same_candidates():
    from timeline.sources.timeml import read_timeml
    for p in sorted(TBAQ.rglob("*.tml"))[::4]:
        text = read_timeml(p)[0].text
        assert _spans(text, True) == _spans(text, False), p.name
