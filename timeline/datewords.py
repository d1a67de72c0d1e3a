"""Dates in words: the one way an event's interval is put into words.

The page (hover cards, the event table), the Markdown and TimelineJS exports
and the density chart's bars all say a date with :func:`date_in_words`:
"September 2022", "1 Nov 2022", "the year 2015", "the week of 31 Oct 2022",
"about 13–20 Oct 2022 (recent days)", "by 31 Dec 2022", "undated".
"""
from __future__ import annotations

import functools

import pandas as pd

DAY = pd.Timedelta(days=1)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
REFS = {"PAST_REF": "recent", "FUTURE_REF": "coming", "PRESENT_REF": None}


def day(d: pd.Timestamp) -> str:
    return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"


def is_midnight(d: pd.Timestamp) -> bool:
    return d == d.normalize()


def last_day(end: pd.Timestamp) -> pd.Timestamp:
    """The last day an exclusive end covers (end 2023-01-01 -> 31 Dec 2022)."""
    return end - DAY if is_midnight(end) else end.normalize()


def _range(s: pd.Timestamp, e: pd.Timestamp) -> str:
    """A span in the coarsest calendar unit that describes it exactly."""
    if is_midnight(s) and is_midnight(e):
        if s.month == s.day == e.month == e.day == 1:
            y0, y1 = s.year, e.year - 1
            return str(y0) if y0 == y1 else f"{y0}–{y1}"
        if s.day == e.day == 1:
            m0, m1 = (s.year, s.month), ((e - DAY).year, (e - DAY).month)
            if m0 == m1:
                return f"{MONTHS[s.month - 1]} {s.year}"
            if s.year == m1[0]:
                return f"{MONTHS[s.month - 1]} – {MONTHS[m1[1] - 1]} {s.year}"
            return f"{MONTHS[s.month - 1]} {s.year} – {MONTHS[m1[1] - 1]} {m1[0]}"
    last = last_day(e)
    if not is_midnight(s) or last == s.normalize():
        if is_midnight(s) and is_midnight(e):
            return day(s)
        if e - s <= DAY:  # times within a day
            end = f"–{e:%H:%M}" if e - s > pd.Timedelta(minutes=1) else ""
            return f"{day(s)}, {s:%H:%M}{end}"
    if s.year != last.year:
        return f"{day(s)} – {day(last)}"
    if s.month != last.month:
        return f"{s.day} {MONTHS[s.month - 1][:3]} – {day(last)}"
    return f"{s.day}–{day(last)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _ref_note(timex: str, span: pd.Timedelta) -> str | None:
    word = REFS[timex]
    if word is None:
        return "around now"
    unit = ("days" if span <= pd.Timedelta(days=10) else "weeks" if span <= pd.Timedelta(days=62)
            else "months" if span <= pd.Timedelta(days=366) else "years")
    return f"{word} {unit}"


_VAGUE_UNITS = {"D": "days", "W": "weeks", "M": "months", "Y": "years"}


def _vague_note(timex, s, e, published) -> str | None:
    """"recent weeks" for a vague PXW that ends on the publication day, "coming
    weeks" for one that starts there; None otherwise."""
    unit = _VAGUE_UNITS.get(timex[2:]) if timex and timex.startswith("PX") else None
    if unit is None or published is None:
        return None
    day = published.normalize()
    if e <= day + DAY and s < day:
        return f"recent {unit}"
    if s >= day:
        return f"coming {unit}"
    return None


def date_in_words(start, end, granularity=None, timex=None, deadline=False,
                  published=None) -> str:
    """The resolved interval as a reader would say it.

    "September 2022", "1 Nov 2022", "the year 2015", "about 13–20 Oct 2022 (recent days)",
    "by 31 Dec 2022". ``end`` is exclusive; a missing start gives "undated".
    ``published``: the article's day, which tells "recent weeks" (a vague PXW
    ending then) from "coming weeks".
    """
    s = None if start is None or pd.isna(start) else pd.Timestamp(start)
    if s is None:
        return "undated"
    e = None if end is None or pd.isna(end) else pd.Timestamp(end)
    p = None if published is None or pd.isna(published) else pd.Timestamp(published)
    return _words(s, e, None if pd.isna(granularity) else granularity,
                  None if pd.isna(timex) else timex, bool(deadline) if not pd.isna(deadline) else False,
                  p)


@functools.lru_cache(maxsize=4096)  # news tables repeat the same intervals a lot
def _words(s, e, g, timex, deadline, published=None) -> str:
    if e is None or e <= s:
        e = s + (pd.Timedelta(minutes=1) if g == "time" else DAY)
    if deadline:
        return f"by {day(last_day(e))}"
    if g == "fuzzy" or timex in REFS:
        note = _ref_note(timex, e - s) if timex in REFS else _vague_note(timex, s, e, published)
        return f"about {_range(s, e)}" + (f" ({note})" if note else "")
    aligned = is_midnight(s) and is_midnight(e)
    if g == "time":
        return _range(s, e)
    if g == "week" and aligned and e - s == pd.Timedelta(days=7):
        return f"the week of {day(s)}"
    if aligned and s.month == s.day == 1 and e == s + pd.DateOffset(years=1) and g in (None, "year"):
        return f"the year {s.year}"
    if aligned and s.day == 1 and e.day == 1:
        months = (e.year - s.year) * 12 + e.month - s.month
        if g == "quarter" and months == 3 and s.month % 3 == 1:
            return f"Q{s.month // 3 + 1} {s.year}"
        if g == "half" and months == 6 and s.month in (1, 7):
            return f"the {'first' if s.month == 1 else 'second'} half of {s.year}"
        if g == "season":
            code = (timex or "")[-2:]
            name = SEASONS.get(code) or ("winter", "spring", "summer", "autumn")[(s.month % 12) // 3]
            return f"{name} {s.year}"
        if g == "decade" and s.month == 1 and months == 120:
            return f"the {s.year}s"
        if g == "century" and s.month == 1 and months == 1200:
            return f"the {_ordinal(s.year // 100 + 1)} century"
    return _range(s, e)
