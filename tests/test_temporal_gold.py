"""Regression floor of the tagger on the TimeBank + AQUAINT gold (TempEval-3
Task A).  Figures: `timeline eval ../shared/corpora/tbaq`; the floor sits a
little below what the tagger reaches, so a change that loses accuracy fails."""
from pathlib import Path

import pytest

TBAQ = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "tbaq"
FLOOR = {"strict_f1": 88.1, "relaxed_f1": 94.0, "value_f1": 80.6, "type_f1": 90.2}


@pytest.mark.skipif(not TBAQ.exists(), reason="../shared/corpora not present")
def test_tbaq_floor():
    from timeline.evaluate import evaluate_paths
    scores = evaluate_paths([TBAQ]).scores
    got = {k: getattr(scores, k) for k in FLOOR}
    assert all(got[k] >= v for k, v in FLOOR.items()), got
