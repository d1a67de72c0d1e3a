"""Two dates joined by "and" are one span only when they share a month ("May 4 and 5");
with a month each ("on Sept. 15 and Oct. 6") they are two dates, and the event
keeps each, not the three weeks between."""
from timeline import tag


def _spans(text):
    return [(m.text, m.value, m.range and (m.range.start.date().isoformat(),
                                           m.range.end.date().isoformat()))
            for m in tag(text, "2022-10-18")]


def test_two_months_joined_by_and_are_two_dates():
    assert _spans("They met in Moscow on Sept. 15 and Oct. 6, before the deal.") == [
        ("Sept. 15", "2022-09-15", None), ("Oct. 6", "2022-10-06", None)]


def test_days_of_one_month_joined_by_and_are_one_span():
    got = _spans("Talks were held on May 4 and 5, 2014 in Geneva.")
    assert [v for _, v, _ in got] == ["2014-05-04", "2014-05-05"]
    assert {r for _, _, r in got} == {("2014-05-04", "2014-05-06")}


def test_a_dash_still_spans_two_months():
    got = _spans("The fair runs Oct. 30 - Nov. 2 downtown.")
    assert {r for _, _, r in got} == {("2022-10-30", "2022-11-03")}
