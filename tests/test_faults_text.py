"""Hostile and unusual text never sinks a document (issue 18, items 2, 3 and 5).

Each test is about a class of input, not one string: sentences that are only
a date, dates beyond the calendar or the table's range, pages spanning
centuries, one-line records.
"""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

import timeline
from timeline import temporal
from timeline.api import document_events
from timeline.model import Document

PUB = date(2022, 11, 3)

DATE_ONLY = ["Last year.", "On 17 October 2022.", "Yesterday!", "In September?", "Today.",
             "Two weeks ago.", "On Tuesday…", "(Last year.)", "“Last year.”"]


@pytest.mark.parametrize("sentence", DATE_ONLY)
def test_a_sentence_that_is_only_a_date_is_an_event(sentence):
    doc = Document(id="d", text=f"The council met. {sentence}\nThe mayor spoke on Monday.",
                   published=PUB)
    events = document_events(doc)  # raised IndexError in the title before
    assert any(e.mention.text.lower() in sentence.lower() for e in events)
    assert all(e.title == "" or e.title[0].isupper() or not e.title[0].isalpha() for e in events)


BEYOND = ["for the next hour", "over the next 12 hours", "4000 years ago", "3,000 years ago", "in 123456789012 decade", "99999999999 days ago",
          "in 10000000000 years", "1e308 years ago"]


@pytest.mark.parametrize("phrase", BEYOND)
@pytest.mark.parametrize("published", [date(1678, 1, 1), PUB, date(2261, 12, 31)])
def test_dates_beyond_the_calendar_never_raise(phrase, published):
    text = f"The lease was signed {phrase}. It ends on Tuesday."
    mentions = temporal.tag(text, published)
    for m in mentions:
        if m.interval is not None:
            assert 1 <= m.interval.start.year <= 9999
    document_events(Document(id="d", text=text, published=published))


OUTSIDE_TABLE = [("The town grew in the 15th century.", "15th century", "14"),
                 ("The port was built in the 1600s.", "1600s", "160"),
                 ("The abbey burned in 1500.", "1500", "1500"),
                 # TimeML tags the duration; the day it names (2322) no table holds
                 ("The lease will expire in 300 years.", "300 years", "P300Y")]


def test_dates_outside_the_tables_range_keep_their_value(tmp_path):
    text = " ".join(s for s, _, _ in OUTSIDE_TABLE) + " The fair opened on Monday."
    f = tmp_path / "history.txt"
    f.write_text(text, encoding="utf-8")
    tl = timeline.build([f], published="2022-11-03")
    assert not tl.skipped
    rows = tl.mentions
    for _, phrase, value in OUTSIDE_TABLE:
        row = rows[rows["expression"].str.contains(phrase, regex=False)]
        assert len(row) == 1, phrase
        assert row["timex"].iloc[0] == value
        assert pd.isna(row["start"].iloc[0])  # no interval the table can hold
    assert rows["start"].notna().any()  # the Monday is dated
    tl.to_html(tmp_path / "page.html")


@pytest.mark.parametrize("old", ["1729", "1690", "1500"])
def test_a_page_spanning_centuries_renders(tmp_path, old):
    f = tmp_path / "a.txt"
    f.write_text(f"The council approved the budget on 3 October 2022. The mayor said the town "
                 f"was founded in {old}. The bridge opened in 1900.", encoding="utf-8")
    tl = timeline.build([f], published="2022-11-03")
    out = tmp_path / "a.html"
    tl.to_html(out)  # "Result is too large for pandas.Timedelta" before
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("tail", ["Read more", "https://example.com/story", "and then the",
                                  "Tags: budget, council"])
def test_one_line_records_are_read(tmp_path, tail):
    text = (f"Breaking: Council approves budget. Mayor: the vote on Tuesday was close. "
            f"Residents were told on Monday that taxes rise. {tail}")
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"id": "one", "text": text, "published": "2022-11-03"}) + "\n",
                 encoding="utf-8")
    tl = timeline.build([f])
    assert not tl.skipped
    assert len(tl.mentions) >= 2  # Tuesday and Monday, not classed as page furniture


@pytest.mark.parametrize("day", ["2027-05-01", "2031-12-31", "1999-01-15"])
def test_html_dates_do_not_depend_on_the_machines_clock(tmp_path, day):
    """htmldate's latest acceptable date defaults to today: a page dated after
    the day the tests run was read as undated."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge reopens</title>"
        f'<meta property="article:published_time" content="{day}T09:00:00Z"></head>'
        "<body><article><h1>Bridge reopens</h1><p>The city said on Tuesday that the bridge "
        "would reopen after repairs that began in March. Engineers finished the last "
        "inspection on Monday, the council said in a statement.</p></article></body></html>",
        encoding="utf-8")
    tl = timeline.build([page])
    assert not tl.skipped
    assert [str(d.published) for d in tl.documents] == [day]


def test_a_document_over_its_time_budget_is_skipped_and_named(tmp_path, monkeypatch):
    """The budget is a safety net: with a tiny one, the batch completes, the slow
    document is named with the reason, the others are kept."""
    from timeline import budget
    monkeypatch.setattr(budget, "BASE_SECONDS", 0.0)
    monkeypatch.setattr(budget, "PER_10KB_SECONDS", 0.0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slow.txt").write_text("Kyiv: said on Monday " * 400, encoding="utf-8")
    tl = timeline.build([folder], published="2022-11-03")
    assert [s.input for s in tl.skipped] and "time budget" in tl.skipped[0].reason
    monkeypatch.undo()
    (folder / "fine.txt").write_text("The council met on Monday.", encoding="utf-8")
    tl = timeline.build([folder], published="2022-11-03")
    assert not tl.skipped and len(tl.documents) == 2


@pytest.mark.parametrize("text", ["The council approved the budget on Monday",
                                  "Flooding closed the ring road on 4 March after heavy rain"])
def test_a_short_one_line_record_is_its_article_not_a_heading(tmp_path, text):
    """A record cut short (no final stop, few words) was read as a heading: 0 events, no word."""
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"id": "one", "text": text, "title": "Town news",
                             "published": "2025-03-05"}) + "\n", encoding="utf-8")
    tl = timeline.build([f])
    assert not tl.skipped
    assert len(tl.mentions) == 1


def _calls(text: str) -> int:
    """Python function calls made by the event stage on ``text``: a count, not
    a time, so the test is the same on any machine."""
    import cProfile
    import pstats
    doc = Document(id="x", text=text, published=PUB)
    document_events(doc)  # warm: lexicons load, caches fill
    prof = cProfile.Profile()
    prof.runcall(document_events, doc)
    return pstats.Stats(prof).total_calls


@pytest.mark.parametrize("piece", ["Monday, ", "Kyiv: said on Monday ", "Tuesday night, ",
                                   "on 3 March and 9 April 2022, ", "The Minister said on "])
def test_the_event_stage_is_linear_on_repeated_date_phrases(piece):
    """A sentence that is a long list of dates (no stop, thousands of them) costs
    a bounded amount of work per date: four times the text, at most about four
    times the calls (quadratic scans gave 16x)."""
    small, large = ((piece * (n // len(piece) + 1))[:n] for n in (2_000, 8_000))
    ratio = _calls(large) / _calls(small)
    assert ratio < 5.0, f"{piece!r}: {ratio:.1f}x the calls for 4x the text"
