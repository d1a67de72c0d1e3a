"""TimeML reading/writing and TempEval-3 scoring."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from timeline.evaluate import (
    Scores, align, evaluate_paths, find_errors, format_report, report_to_json, score,
    value_error_kind, value_granularity,
)
from timeline.model import Document, TimeMention
from timeline.sources.timeml import (
    GoldTimex, parse_dct, parse_timeml, read_timeml, read_timeml_document, write_timeml,
)

DATA = Path(__file__).parent / "data" / "timeml"
TBAQ = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "tbaq"


@dataclass
class T:  # a bare span for scoring tests
    start: int
    end: int
    type: str = "DATE"
    value: str = "X"
    text: str = ""


def mention(text: str, phrase: str, type: str, value: str, mod=None, nth=0) -> TimeMention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return TimeMention(phrase, start, start + len(phrase), type, value, mod)


# --- reading ----------------------------------------------------------------

def test_read_sample():
    doc, gold = read_timeml(DATA / "sample.tml")
    assert doc.id == "sample" and doc.path == str(DATA / "sample.tml")
    assert doc.published == datetime(1998, 8, 7, 6, 18)
    assert doc.title == "Bombs rock embassies"
    assert doc.text.startswith("\nNAIROBI, Kenya (AP) _\n\nBombs exploded outside")
    assert "AT&T said.\nTalks in early this year" in doc.text
    assert doc.text.endswith("three days <ok>.\n")
    assert [(g.text, g.type, g.value, g.mod, g.tid) for g in gold] == [
        ("Friday", "DATE", "1998-08-07", None, "t1"),
        ("early this year", "DATE", "1998", "START", "t2"),
        ("three days", "DURATION", "P3D", None, "t3"),
    ]
    for g in gold:
        assert doc.text[g.start:g.end] == g.text
    assert gold[0].start == doc.text.index("Friday")


def test_read_dct_without_function_and_no_title():
    doc = read_timeml_document(DATA / "more" / "second.tml")
    assert doc.published == date(2022, 11, 3) and not isinstance(doc.published, datetime)
    assert doc.title is None and doc.id == "second"


@pytest.mark.parametrize("value, expected", [
    ("1998-08-07", date(1998, 8, 7)),
    ("19980108", date(1998, 1, 8)),
    ("1998-02-13T14:26:00", datetime(1998, 2, 13, 14, 26)),
    ("1999-01-22T13:06", datetime(1999, 1, 22, 13, 6)),
    ("1998-08-07TMO", date(1998, 8, 7)),
    ("1998-08", None), ("1998-W32", None), ("", None), ("1998-02-30", None),
])
def test_parse_dct(value, expected):
    assert parse_dct(value) == expected


def test_bad_xml_is_a_clear_error():
    with pytest.raises(ValueError, match="not well-formed"):
        parse_timeml("<TimeML><TEXT>a & b</TEXT></TimeML>", "x")
    with pytest.raises(ValueError, match="no <TEXT>"):
        parse_timeml("<TimeML/>", "x")


# --- writing ----------------------------------------------------------------

def roundtrip(doc: Document, mentions, tmp_path: Path):
    f = tmp_path / f"{doc.id}.tml"
    f.write_text(write_timeml(doc, mentions), encoding="utf-8")
    return read_timeml(f)


def test_write_roundtrip(tmp_path):
    text = "A&B <said> \"on\" Friday,\r\nfor ]]> three\tdays; since 2019 – café.\n"
    doc = Document("rt", text, published=datetime(2022, 11, 3, 9, 30), title="Q&A <1>")
    ms = [
        mention(text, "three\tdays", "DURATION", "P3D"),
        mention(text, "Friday", "DATE", "2022-10-28"),
        mention(text, "Friday,", "DATE", "2022-10-28"),  # overlaps, longer: kept
        mention(text, "2019", "DATE", "2019", mod="AFTER"),
        mention(text, "019", "DATE", "2019"),  # overlaps an earlier one: skipped
    ]
    back, gold = roundtrip(doc, ms, tmp_path)
    assert back.text == text
    assert back.published == doc.published and back.title == doc.title and back.id == "rt"
    assert [(g.start, g.end, g.text, g.type, g.value, g.mod) for g in gold] == [
        (m.start, m.end, m.text, m.type, m.value, m.mod) for m in (ms[2], ms[0], ms[3])]


def test_write_date_dct_and_undated(tmp_path):
    doc = Document("d", "Today.", published=date(2022, 11, 3))
    xml = write_timeml(doc, [TimeMention("Today", 0, 5, "DATE", "2022-11-03")])
    assert 'type="DATE" value="2022-11-03" functionInDocument="CREATION_TIME"' in xml
    back, gold = roundtrip(Document("u", "Today."), [], tmp_path)
    assert back.published is None and gold == []


def test_write_rejects_wrong_offsets_and_replaces_invalid_chars(tmp_path):
    with pytest.raises(ValueError, match="does not match"):
        write_timeml(Document("x", "on Friday"), [TimeMention("Friday", 0, 6, "DATE", "X")])
    back, gold = roundtrip(Document("c", "a\x00b 2019"),
                           [TimeMention("2019", 4, 8, "DATE", "2019")], tmp_path)
    assert back.text == "a\ufffdb 2019" and gold[0].text == "2019"


_xml_char = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")


@settings(max_examples=60, deadline=None)
@given(st.text(_xml_char, max_size=80), st.lists(st.tuples(st.integers(0, 80), st.integers(1, 12))))
def test_write_roundtrip_property(text, spans):
    import tempfile

    ms = [TimeMention(text[s:s + n], s, s + n, "DATE", "2000") for s, n in spans if s + n <= len(text)]
    with tempfile.TemporaryDirectory() as tmp:
        back, gold = roundtrip(Document("p", text), ms, Path(tmp))
    assert back.text == text
    for g in gold:
        assert text[g.start:g.end] == g.text
    for a, b in zip(gold, gold[1:]):
        assert a.end <= b.start
    # every mention is either written or overlaps one that was
    assert all(any(m.start < g.end and g.start < m.end for g in gold) for m in ms)


# --- alignment and scores, computed by hand ---------------------------------

@pytest.mark.parametrize("pred, gold, pairs", [
    ([T(0, 10)], [T(0, 10)], [(0, 0)]),
    ([T(0, 5), T(3, 10)], [T(0, 10)], [(1, 0)]),  # one to one: larger overlap wins
    ([T(5, 18)], [T(0, 10), T(10, 20)], [(0, 1)]),  # 8 chars beat 5
    ([T(2, 8), T(7, 12)], [T(0, 4), T(6, 12)], [(0, 0), (1, 1)]),  # not first come
    ([T(0, 10)], [T(0, 4), T(6, 10)], [(0, 0)]),  # tie: earliest gold
    ([T(0, 10)], [T(0, 12), T(0, 10)], [(0, 1)]),  # tie: identical span
    ([T(0, 5)], [T(5, 10)], []),  # touching is not overlapping
    ([], [T(0, 1)], []),
])
def test_align(pred, gold, pairs):
    assert align(pred, gold) == pairs


def test_score_by_hand():
    doc1 = (
        [T(0, 6, "DATE", "1998-08-07"), T(16, 25, "DATE", "1998"), T(30, 40, "DATE", "P3D"),
         T(50, 55, "DATE", "2000")],
        [T(0, 6, "DATE", "1998-08-07"), T(10, 25, "DATE", "1998"), T(30, 40, "DURATION", "P3D")],
    )
    doc2 = (
        [T(0, 5, "DATE", "2022-11-02"), T(30, 35, "DATE", "2022")],
        [T(0, 5, "DATE", "2022-11-01"), T(10, 20, "TIME", "2022-11-01T10:00")],
    )
    s = score([doc1, doc2])
    assert (s.pred, s.gold, s.strict, s.relaxed, s.value, s.type) == (6, 5, 3, 4, 3, 3)
    j = s.to_json()
    assert (j["strict_precision"], j["strict_recall"], j["strict_f1"]) == (50.0, 60.0, 54.5)
    assert (j["relaxed_precision"], j["relaxed_recall"], j["relaxed_f1"]) == (66.7, 80.0, 72.7)
    assert (j["value_accuracy"], j["value_f1"]) == (75.0, 54.5)
    assert (j["type_accuracy"], j["type_f1"]) == (75.0, 54.5)
    assert s.value_f1 == pytest.approx(s.relaxed_f1 * s.value_accuracy / 100)


def test_empty_scores_are_undefined_not_zero():
    s = score([([], [])])
    assert s.strict_precision is None and s.relaxed_f1 is None
    assert score([([T(0, 1)], [])]).relaxed_f1 == 0.0


# --- error kinds ------------------------------------------------------------

@pytest.mark.parametrize("value, label", [
    ("1998-08-07", "day"), ("XXXX-WXX-1", "day"), ("1998-W32", "week"), ("2000-W7", "week"),
    ("1998-W32-WE", "weekend"), ("1998-08", "month"), ("1998-Q3", "quarter"), ("1998-H1", "half"),
    ("1998-SU", "season"), ("1998", "year"), ("199", "decade"), ("19", "century"),
    ("1998-08-07T10:00", "time"), ("1998-08-07TNI", "part of day"), ("P3D", "duration days"),
    ("PT2H", "duration hours"), ("PT5M", "duration minutes"), ("PXY", "duration years"),
    ("PAST_REF", "PAST_REF"), ("junk", "other"),
])
def test_value_granularity(value, label):
    assert value_granularity(value) == label


@pytest.mark.parametrize("gold, pred, kind", [
    ("PAST_REF", "1998", "value: gold PAST_REF pred year"),
    ("1998-W32", "1998-08-07", "value: granularity differs (gold week, pred day)"),
    ("1998-08-07", "1998-08-14", "value: wrong day (pred later)"),
    ("1998", "1997", "value: wrong year (pred earlier)"),
    ("XXXX-08", "1998-08", "value: gold underspecified month, pred anchored"),
    ("P3D", "P4D", "value: wrong duration days"),
])
def test_value_error_kind(gold, pred, kind):
    assert value_error_kind(gold, pred) == kind


def test_find_errors_type_mismatch():
    text = "It lasted a week."
    gold = [GoldTimex(10, 16, "a week", "DURATION", "P1W")]
    pred = [TimeMention("week", 12, 16, "DATE", "1998-W32")]
    errs = find_errors("d", text, pred, gold)
    assert [(e.kind, e.category) for e in errs] == [
        ("value", "value: granularity differs (gold duration weeks, pred week)"),
        ("type", "type: gold DURATION pred DATE"),
    ]
    assert errs[0].context == "It lasted [[a week]]."


# --- evaluate_paths on the fixtures with a fake tagger ----------------------

def fake_tagger(text: str, published):
    if text.startswith("CNN"):
        assert published == date(2022, 11, 3)
        return [mention(text, "Tuesday", "DATE", "2022-10-25")]
    assert published == datetime(1998, 8, 7, 6, 18)
    return [
        mention(text, "Friday", "DATE", "1998-08-07"),
        mention(text, "this year", "DATE", "1998"),
        mention(text, "three days", "DURATION", "P3W"),
        mention(text, "AP", "DATE", "XXXX"),
    ]


def test_evaluate_paths_with_fake_tagger():
    report = evaluate_paths([DATA], tagger=fake_tagger, per_doc=True, errors=True)
    s = report.scores
    assert report.documents == 2
    assert (s.pred, s.gold, s.strict, s.relaxed, s.value, s.type) == (5, 5, 3, 4, 2, 4)
    assert (s.strict_f1, s.relaxed_f1, s.value_accuracy, s.value_f1, s.type_f1) == (
        60.0, 80.0, 50.0, 40.0, 80.0)
    assert [d.doc_id for d in report.per_doc] == ["second", "sample"]  # sorted paths
    assert [(d.scores.gold, d.scores.pred) for d in report.per_doc] == [(2, 1), (3, 4)]
    assert [(e.doc_id, e.kind, e.text) for e in report.errors] == [
        ("second", "value", "Tuesday"), ("second", "miss", "in recent weeks"),
        ("sample", "spurious", "AP"), ("sample", "value", "three days"),
    ]
    assert report.errors[0].context == "CNN reported on [[Tuesday]] that talks held in recent weeks failed "
    assert dict(report.error_kinds) == {
        "value: wrong day (pred earlier)": 1, "miss DATE": 1, "spurious DATE": 1,
        "value: granularity differs (gold duration days, pred duration weeks)": 1,
    }
    text = format_report(report)
    assert "strict" in text and "60.0" in text and "miss DATE" in text and "[[Tuesday]]" in text
    j = json.loads(json.dumps(report_to_json(report)))
    assert j["scores"]["value_f1"] == 40.0 and len(j["per_doc"]) == 2 and len(j["errors"]) == 4
    assert j["error_kinds"][0]["count"] == 1


def test_evaluate_paths_plain_and_missing(tmp_path):
    report = evaluate_paths([DATA / "sample.tml", DATA / "sample.tml"], tagger=fake_tagger)
    assert report.documents == 1 and report.per_doc is None and report.errors is None
    assert "per_doc" not in report_to_json(report)
    with pytest.raises(FileNotFoundError):
        evaluate_paths([tmp_path / "nope"], tagger=fake_tagger)
    with pytest.raises(ValueError, match="no .tml files"):
        evaluate_paths([tmp_path], tagger=fake_tagger)


# --- the real corpus --------------------------------------------------------

needs_corpus = pytest.mark.skipif(not TBAQ.is_dir(), reason="TimeBank/AQUAINT corpus not present")


@needs_corpus
def test_corpus_offsets_and_counts():
    counts = {}
    for f in sorted(TBAQ.rglob("*.tml")):
        doc, gold = read_timeml(f)
        assert doc.published is not None, f
        for g in gold:
            assert doc.text[g.start:g.end] == g.text, (f, g)
        counts[f.parent.name] = counts.get(f.parent.name, 0) + len(gold)
    assert counts == {"TimeBank": 1243, "AQUAINT": 579}


@needs_corpus
def test_gold_against_itself_is_perfect():
    gold_by_text = {}
    for f in TBAQ.rglob("*.tml"):
        doc, gold = read_timeml(f)
        gold_by_text[doc.text] = gold
    report = evaluate_paths([TBAQ], tagger=lambda text, dct: gold_by_text[text], errors=True)
    s = report.scores
    assert report.documents == 256 and s.gold == s.pred == 1822
    assert all(getattr(s, f) == 100.0 for f in Scores.FIGURES)
    assert report.errors == [] and report.error_kinds == []
