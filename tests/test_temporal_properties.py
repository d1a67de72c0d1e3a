"""Property-based robustness of the tagger (hypothesis): any text, any date."""
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal import tag

WORDS = ["in", "on", "the", "last", "next", "this", "two", "a", "few", "days", "week", "weeks",
         "month", "year", "years", "ago", "later", "earlier", "before", "by", "end", "of",
         "early", "mid-", "late", "September", "May", "Tuesday", "today", "now", "recently",
         "2015", "2022-10-20", "Oct.", "20", ",", ".", "10", "a.m.", "noon", "Christmas",
         "quarter", "third", "summer", "1990s", "every", "twice", "for", "since", "until",
         "February", "30", "2022-13-45", "nineteen", "ninety-six", "\n", "“", "’s", "Q3"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)
anchors = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(texts, anchors)
def test_no_exception_exact_offsets_valid_intervals(text, published):
    mentions = tag(text, published)
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert text[m.phrase_start:m.phrase_end] == m.phrase
        assert m.phrase_start <= m.start < m.end <= m.phrase_end
        if m.interval is not None:
            assert m.interval.start < m.interval.end
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


@settings(max_examples=100, deadline=None)
@given(texts, anchors)
def test_same_input_same_output(text, published):
    assert tag(text, published) == tag(text, published)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_impossible_dates_yield_nothing(published):
    for text in ("February 30, 2022", "2022-13-45", "April 31, 2021", "13/45/2020"):
        assert tag(text, published) == []


def test_datetime_publication_is_accepted():
    ms = tag("He arrived yesterday at 10 a.m.", datetime(2022, 11, 3, 15, 30))
    assert [m.value for m in ms] == ["2022-11-02", "2022-11-02T10:00"]
