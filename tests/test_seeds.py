"""End to end on the two seed articles: every row of the foundation issue."""
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.temporal import tag

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
REUTERS = "000_28ca36ce2e4e94c5.txt"
ARABIYA = "003_28bf6bd65512fe70.txt"


@pytest.fixture(scope="module")
def tl():
    return timeline.build([SEEDS])


@pytest.fixture(scope="module")
def mentions(tl):
    return {d.path and Path(d.path).name: (d, tag(d.text, d.published)) for d in tl.documents}


def _find(mentions, doc, context, extent):
    d, ms = mentions[doc]
    i = d.text.index(context)
    hits = [m for m in ms if i <= m.start < i + len(context) and m.text == extent]
    assert len(hits) == 1, f"{extent!r} in {context!r}: {[(m.text, m.value) for m in ms]}"
    return hits[0]


def _days(m):
    return m.interval.start.date().isoformat(), m.interval.end.date().isoformat()


def test_metadata_from_manifest(tl):
    assert not tl.skipped
    pubs = sorted(str(d.published) for d in tl.documents)
    assert pubs == ["2022-10-20", "2022-11-03"]
    assert {d.source for d in tl.documents} == {"Reuters", "Al Arabiya"}


@pytest.mark.parametrize("doc,context,extent,value,interval", [
    (REUTERS, "strikes against Kyiv in recent days", "recent days", "PXD", None),
    (REUTERS, "saw no need at this point", "at this point", "PRESENT_REF", ("2022-10-20", "2022-10-21")),
    (REUTERS, "diplomacy at this point", "at this point", "PRESENT_REF", ("2022-10-20", "2022-10-21")),
    (REUTERS, "focused on that right now", "right now", "PRESENT_REF", ("2022-10-20", "2022-10-21")),
    (REUTERS, "is now concerned", "now", "PRESENT_REF", ("2022-10-20", "2022-10-21")),
    (REUTERS, "is now directly engaged", "now", "PRESENT_REF", ("2022-10-20", "2022-10-21")),
    (REUTERS, "the death in September of a woman", "September", "2022-09", ("2022-09-01", "2022-10-01")),
    (REUTERS, "six world powers in 2015", "2015", "2015", ("2015-01-01", "2016-01-01")),
    (REUTERS, "Plan of Action, in 2018", "2018", "2018", ("2018-01-01", "2019-01-01")),
    (ARABIYA, "to Russia recently emerged", "recently", "PAST_REF", None),
    (ARABIYA, "clear to the world today", "today", "2022-11-03", ("2022-11-03", "2022-11-04")),
    (ARABIYA, "attacks on Ukraine in recent weeks", "recent weeks", "PXW", None),
    (ARABIYA, "In September, Ukraine decided", "September", "2022-09", ("2022-09-01", "2022-10-01")),
    (ARABIYA, "reported in October", "October", "2022-10", ("2022-10-01", "2022-11-01")),
    (ARABIYA, "The world now knows it", "now", "PRESENT_REF", ("2022-11-03", "2022-11-04")),
    (ARABIYA, "CNN reported on Tuesday", "Tuesday", "2022-11-01", ("2022-11-01", "2022-11-02")),
    (ARABIYA, "before the end of this year", "the end of this year", "2022", ("2022-11-03", "2023-01-01")),
])
def test_seed_expression(mentions, doc, context, extent, value, interval):
    m = _find(mentions, doc, context, extent)
    assert m.value == value
    if interval:
        assert _days(m) == interval
    else:  # a window of days/weeks that ends on the publication day
        pub = mentions[doc][0].published.isoformat()
        start, end = _days(m)
        assert m.interval.granularity == "fuzzy"
        assert start < pub < end and pd.Timestamp(end) - pd.Timestamp(pub) == pd.Timedelta(days=1)
        days = (pd.Timestamp(end) - pd.Timestamp(start)).days
        assert 3 <= days <= 35


def test_deadline_is_expected_end_of_year(mentions):
    m = _find(mentions, ARABIYA, "before the end of this year", "the end of this year")
    assert m.mod == "END" and m.signal == "before"
    assert m.phrase == "before the end of this year"


def test_nothing_else_is_a_date(mentions):
    allowed = {"recent days", "at this point", "right now", "now", "September", "2015", "2018",
               "recently", "today", "recent weeks", "October", "Tuesday", "the end of this year"}
    for doc, (_, ms) in mentions.items():
        assert {m.text for m in ms} <= allowed, doc
    assert sum(len(ms) for _, ms in mentions.values()) == 17  # the rows of the issue


def test_event_order(tl):
    df = tl.events
    assert list(df.columns)[:3] == ["event_id", "start", "end"]
    assert df["start"].is_monotonic_increasing
    dated = df[~df["timex"].str.endswith("_REF") & (df["granularity"] != "fuzzy")]
    assert list(dated["timex"]) == ["2015", "2018", "2022-09", "2022-09", "2022-10",
                                    "2022-11-01", "2022-11-03", "2022"]
    last = df.iloc[-1]
    assert last["timex"] == "2022" and last["kind"] == "expected" and bool(last["deadline"])
    assert "transaction" in last["text"]
    cnn = df[df["timex"] == "2022-11-01"].iloc[0]
    assert "CNN" in cnn["text"] and cnn["source"] == "Al Arabiya"


def test_no_furniture_events(tl):
    text = " ".join(tl.events["text"])
    for furniture in ("Read more", "Also Read", "Leave A Reply", "Font Size", "Published:",
                      "Google News", "0 468"):
        assert furniture not in text


def test_event_ids_are_stable(tl):
    again = timeline.build([SEEDS])
    assert list(again.events["event_id"]) == list(tl.events["event_id"])
    assert tl.events["event_id"].is_unique


def test_offsets_point_into_the_document(tl):
    docs = {d.id: d for d in tl.documents}
    for row in tl.events.itertuples():
        assert docs[row.doc_id].text[row.char_start:row.char_end] == row.text
