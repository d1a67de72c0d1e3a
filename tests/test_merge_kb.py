"""Merging on the second development story (the 2024 Key Bridge collapse,
../shared/corpora/events), scored by that corpus's own score.py: regression
floors, and the rules it exercises on real reports."""
import importlib.util
import sys
from pathlib import Path

import pytest

from timeline.table import LIST_SEP

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "events"
KB = EVENTS / "key-bridge-2024"

# measured with `python ../shared/corpora/events/score.py
# ../shared/corpora/events/key-bridge-2024/gold.toml
# ../shared/corpora/events/key-bridge-2024/articles.jsonl`; a change that lowers
# one of these must say why
# (once: 4 happenings of 19 with two or more found mentions sit in one row; it was
# 4 of 18 until the NTSB's final report was found, in two rows: e46ebb6)
FLOORS = {"mention_recall": 0.90, "event_recall": 0.90, "date_acc": 0.97,
          "merge_precision": 0.86, "merge_recall": 0.63, "once": 0.21,
          "row_precision": 0.95, "kind_acc": 0.95}


@pytest.fixture(scope="module")
def scorer():
    if not (KB / "gold.toml").exists():
        pytest.skip("the Key Bridge story is not in ../shared/corpora/events")
    spec = importlib.util.spec_from_file_location("kb_score", EVENTS / "score.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["kb_score"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def built(scorer):
    return scorer.run_timeline(KB / "articles.jsonl")


def test_key_bridge_regression_floors(scorer, built):
    mentions, rows, texts = built
    events, gold = scorer.read_gold(KB / "gold.toml", texts)
    figures, _ = scorer.score(events, gold, mentions, rows, texts)
    low = {k: round(figures[k], 3) for k, floor in FLOORS.items() if figures[k] < floor}
    assert not low, f"below the floors {FLOORS}: {low}"


def _row_holding(rows, mentions, snippet):
    (eid,) = mentions.loc[mentions["text"].str.contains(snippet, regex=False), "event_id"]
    (row,) = [r for r in rows.itertuples() if eid in str(r.members).split(LIST_SEP)]
    return row


def test_reports_of_a_day_few_articles_name_are_one_happening(built):
    """Two outlets on the third victim, in other words ("Sandoval's body was
    found on April 5" and "the body of ... Suazo-Sandoval was recovered around
    10:30 a.m. Friday"): April 5 is dated by few of the 30 articles, so the
    shared day counts as a rare word and the two join (they did not before)."""
    mentions, rows, _ = built
    a = _row_holding(rows, mentions, "Sandoval’s body was found")
    b = _row_holding(rows, mentions, "was recovered around 10:30 a.m. Friday")
    assert a.event_id == b.event_id
    assert {"boston25", "fox5dc"} <= {d.split("-")[0] for d in a.doc_ids.split(LIST_SEP)}
