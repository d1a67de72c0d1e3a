"""Regression floor of the tagger on the TimeBank + AQUAINT gold (TempEval-3
Task A).  Figures: `timeline eval ../shared/corpora/tbaq`; the floor sits a
little below what the tagger reaches, so a change that loses accuracy fails."""
from pathlib import Path

import pytest

TBAQ = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "tbaq"
# type_f1 fell from 90.6 to 89.7 by one convention: "Tuesday night" is a TIME with
# its part of day (TempEval-3, MEANTIME, tweets), where TimeBank writes a DATE
FLOOR = {"strict_f1": 88.1, "relaxed_f1": 94.0, "value_f1": 80.6, "type_f1": 89.5}


@pytest.mark.skipif(not TBAQ.exists(), reason="../shared/corpora not present")
def test_tbaq_floor():
    from timeline.evaluate import evaluate_paths
    scores = evaluate_paths([TBAQ]).scores
    got = {k: getattr(scores, k) for k in FLOOR}
    assert all(got[k] >= v for k, v in FLOOR.items()), got
