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
