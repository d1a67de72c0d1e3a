"""The example corpora are the resolver's specification (tests/corpus/)."""
import tomllib
from datetime import date
from pathlib import Path

import pytest

from timeline.temporal import resolve_phrase, tag
from timeline.temporal.lexicon import load

CORPUS = Path(__file__).parent / "corpus"


def _cases():
    data = tomllib.loads((CORPUS / "en_examples.toml").read_text("utf-8"))
    for group in data["group"]:
        for case in group["cases"]:
            label = case.get("phrase") or case["text"]
            yield pytest.param(group["anchor"], case, id=f"{group['anchor'] or 'narrative'}:{label}")


def _iso(d, gran):
    return d.isoformat(timespec="minutes") if gran == "time" else d.date().isoformat()


@pytest.mark.parametrize("anchor,case", list(_cases()))
def test_example(anchor, case):
    ref = date.fromisoformat(anchor) if anchor else None
    if "absent" in case:  # a negative example: no mention may have this text
        found = [m.text for m in tag(case["text"], ref)]
        assert case["absent"] not in found, f"{case['absent']!r} tagged in {case['text']!r}"
        return
    if "phrase" in case:
        m = resolve_phrase(case["phrase"], ref, tense=case.get("tense"))
        assert m is not None, "no expression found"
    else:
        ms = [m for m in tag(case["text"], ref) if m.text == case["extent"]]
        assert ms, f"extent {case['extent']!r} not found in {[m.text for m in tag(case['text'], ref)]}"
        m = ms[0]
    if "extent" in case:
        assert m.text == case["extent"]
    assert m.value == case["value"]
    assert m.type == case.get("type", m.type)
    assert m.mod == case.get("mod")
    if "interval" in case:
        assert m.interval is not None
        g = m.interval.granularity
        got = [_iso(m.interval.start, g), _iso(m.interval.end, g), g]
        assert got == case["interval"]
    elif m.type in ("DURATION", "SET") or not anchor:
        assert m.interval is None
    if "range" in case:  # the whole span of a range the expression is one end of
        assert m.range is not None
        assert [m.range.start.date().isoformat(), m.range.end.date().isoformat()] == case["range"]


NEGATIVE = [line.rstrip("\n") for line in (CORPUS / "en_negative.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert tag(text, date(2022, 11, 3)) == []


@pytest.mark.parametrize("rule", load().rules, ids=lambda r: r.name)
def test_every_rule_has_examples_it_matches(rule):
    assert rule.examples, f"rule {rule.name} has no examples"
    for ex in rule.examples:
        found = tag(ex, date(2022, 11, 3))
        assert found, f"{rule.name}: {ex!r} yields nothing"


def test_offsets_are_exact_on_every_mention():
    text = (CORPUS.parent.parent / "seeds" / "003_28bf6bd65512fe70.txt").read_text("utf-8")
    ms = tag(text, date(2022, 11, 3))
    assert ms
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert text[m.phrase_start:m.phrase_end] == m.phrase


def test_same_input_same_output():
    text = "On Tuesday, two days after the vote in September, officials met. They meet again next week."
    assert tag(text, date(2022, 11, 3)) == tag(text, date(2022, 11, 3))


@pytest.mark.parametrize("text,first,last,span", [
    ("Talks ran from March to May.", "2022-03", "2022-05", ("2022-03-01", "2022-06-01")),
    ("between 2015 and 2018", "2015", "2018", ("2015-01-01", "2019-01-01")),
    ("The office is open from Monday through Friday.", "2022-10-31", "2022-11-04", ("2022-10-31", "2022-11-05")),
])
def test_ranges_keep_both_ends_and_one_span(text, first, last, span):
    a, b = tag(text, date(2022, 11, 3))
    assert (a.value, b.value) == (first, last)
    assert a.range == b.range
    assert (a.range.start.date().isoformat(), a.range.end.date().isoformat()) == span


def test_a_list_is_not_a_range():
    ms = tag("in May and June", date(2022, 11, 3))
    assert [(m.text, m.value, m.range) for m in ms] == [("May", "2022-05", None),
                                                        ("June", "2022-06", None)]
