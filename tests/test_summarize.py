"""Key dates of a story (timeline summarisation), on real articles and a made-up set."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli as main

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "articles.jsonl"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def dev_timeline():
    return timeline.build([NEWS, SEEDS])


def _texts(tl) -> str:
    return "\n".join(d.text for d in tl.documents)


def test_summary_frame_on_the_dev_articles(dev_timeline):
    df = dev_timeline.summary(dates=5, sentences=2)
    assert list(df.columns[:4]) == ["date", "sentence", "event_id", "sources"]
    days = list(dict.fromkeys(df["date"]))
    assert 1 <= len(days) <= 5
    assert days == sorted(days)
    assert df.groupby("date").size().max() <= 2
    texts = _texts(dev_timeline)
    norm = " ".join(texts.split())
    for s in df["sentence"]:  # extractive: whole sentences as written
        assert " ".join(s.split()) in norm, s
    assert not df["sentence"].duplicated().any()
    assert df["sources"].str.len().min() > 0


def test_the_range_is_respected(dev_timeline):
    df = dev_timeline.summary(dates=10, sentences=1, start="2022-10-01", end="2022-10-31")
    assert len(df)
    assert all("2022-10-01" <= str(d)[:10] <= "2022-10-31" for d in df["date"])


def test_cli_json_is_exactly_dates_to_sentences(tmp_path):
    r = CliRunner().invoke(main, ["summarize", str(NEWS), str(SEEDS), "--dates", "4",
                                  "--sentences", "1", "-q"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert isinstance(data, dict) and 1 <= len(data) <= 4
    assert list(data) == sorted(data)
    for day, sentences in data.items():
        assert len(day) == 10 and day[4] == "-" and day[7] == "-"
        assert isinstance(sentences, list) and len(sentences) == 1
    out = tmp_path / "key.md"
    r = CliRunner().invoke(main, ["summarize", str(NEWS), "--dates", "3", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    md = out.read_text("utf-8")
    assert md.count("\n") > 3 and any(s in md for s in ("Reuters", "Al Arabiya", "Interfax", "http"))


def test_a_date_many_articles_refer_to_is_chosen(tmp_path):
    """Five articles published on different days all refer back to 4 March; that
    is the key date even though nothing was published on it."""
    records = []
    for i, day in enumerate(["2023-03-10", "2023-03-15", "2023-03-20", "2023-03-25", "2023-03-30"]):
        records.append({"id": f"a{i}", "published": day, "source": f"Outlet {i}",
                        "title": f"Dam inquiry, part {i}",
                        "text": (f"The Harrow dam failed on 4 March, flooding the valley, officials "
                                 f"said. The inquiry heard witness {i} on {day[8:]} March. "
                                 f"Engineers had warned in January that the spillway was weak.")})
    f = tmp_path / "dam.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    tl = timeline.build([f])
    df = tl.summary(dates=1, sentences=1)
    assert [str(d)[:10] for d in df["date"]] == ["2023-03-04"]
    assert "failed" in df["sentence"].iloc[0]
    # the page's key events: that day's most reported row, most important first
    from timeline.summarize import key_event_ids
    ids = key_event_ids(tl.events, tl.mentions, dates=3)
    assert 1 <= len(ids) <= 3 and len(set(ids)) == len(ids)
    first = tl.events.set_index("event_id").loc[ids[0]]
    assert str(first["start"])[:10] == "2023-03-04" and "failed" in first["sentence"]
    assert set(ids) <= set(tl.events["event_id"])


def test_a_report_outweighs_a_quote_a_comment_and_page_furniture():
    from timeline.summarize import _voice, default_params
    import re
    p = default_params()

    def w(s):
        return _voice(s, tuple(re.findall(r"\w+", s.lower())), p, "en")

    report = "BP started a `` top kill '' of its leaking well on Wednesday , officials said ."
    assert w(report) == 1.0
    assert w("`` We do n't know there 's oil underwater , '' he said .") < w(report)
    assert w("You do n't know what to say , Cowan said .") < w(report)
    assert w("Watch the oil spill 's path since May 2 and view the coastline .") < w(report)
    assert w("\\* Current global demand for seasonal influenza vaccine is 500 million doses .") < w(report)


# ---------------------------------------------------------------- the benchmark

def _bench():
    import importlib.util
    spec = importlib.util.spec_from_file_location("tls_bench", ROOT / "benchmarks" / "tls.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_alignment_rouge_and_date_f1_on_hand_checked_timelines():
    from datetime import date
    b = _bench()
    gold = {date(2010, 4, 20): ["The Deepwater Horizon rig explodes , killing 11 workers ."],
            date(2010, 7, 15): ["BP caps the leaking well ."]}
    same = b.score(gold, gold)
    assert same["ar1"][2] == pytest.approx(1.0) and same["ar2"][2] == pytest.approx(1.0)
    assert same["date"] == (1.0, 1.0, 1.0)
    # the right words one day off: matched unigrams count 1/(1 + 1); one of two dates right
    shifted = {date(2010, 4, 21): gold[date(2010, 4, 20)], date(2010, 7, 15): gold[date(2010, 7, 15)]}
    r = b.score(shifted, gold)
    assert r["date"][2] == pytest.approx(0.5)
    assert 0.5 < r["ar1"][2] < 1.0
    assert b.score({date(2010, 5, 1): ["Shares in a retailer rose ."]}, gold)["ar1"][2] == 0.0


def test_the_benchmark_on_one_small_topic_beats_its_baseline(tmp_path):
    """The news-tls protocol end to end on H1N1_guardian (75 articles, 12 dates)."""
    src = ROOT.parent / "shared" / "corpora" / "t17" / "H1N1_guardian"
    corpus = tmp_path / "t17"
    corpus.mkdir()
    (corpus / src.name).symlink_to(src)
    out = tmp_path / "figures.json"
    _bench().main(["--corpus", str(corpus), "--cache", str(tmp_path / "cache"), "--json", str(out)])
    figures = json.loads(out.read_text("utf-8"))
    (row,) = figures["timelines"]
    assert row["timeline"] == "H1N1_guardian" and row["L"] == 12
    system, base = figures["system"], figures["baseline"]
    assert system["date"][2] >= 0.7 and system["date"][2] > base["date"][2]
    assert system["ar1"][2] > base["ar1"][2] and system["ar2"][2] > base["ar2"][2]
    assert row["build_s"]["cpu"] > 0
