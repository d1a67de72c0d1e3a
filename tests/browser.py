"""Shared by the browser tests and benchmarks/render_scale.py: find and launch the system
chromium (Playwright's own browser download is not used), and build event tables.

Chromium is found via $TIMELINE_CHROMIUM, else chromium / chromium-browser / google-chrome
on PATH. Missing chromium is an error, not a skip (scripts/install-chromium.sh installs
it), unless TIMELINE_SKIP_BROWSER=1.
"""
from __future__ import annotations

import os
import random
import shutil
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from timeline.table import COLUMNS

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"


def chromium_path() -> str | None:
    env = os.environ.get("TIMELINE_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def skip_browser() -> bool:
    return os.environ.get("TIMELINE_SKIP_BROWSER") == "1"


MISSING = ("no chromium found (set TIMELINE_CHROMIUM, or run scripts/install-chromium.sh); "
           "set TIMELINE_SKIP_BROWSER=1 to skip the browser tests")


@contextmanager
def launch():
    """Yield a headless Playwright Browser running the system chromium."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError(MISSING)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------- tables

def make_table(rows: list[dict]) -> pd.DataFrame:
    """An event table with table.COLUMNS from partial row dicts (missing -> NA)."""
    df = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows], columns=list(COLUMNS))
    for col, dtype in COLUMNS.items():
        if dtype.startswith("datetime"):
            df[col] = pd.to_datetime(df[col])
        elif dtype == "bool":
            df[col] = df[col].fillna(False).astype(bool)
    return df.astype(COLUMNS)


def sample_table() -> pd.DataFrame:
    """A small news-like table: points, months, a year, a fuzzy window, a deadline,
    an expected event and an undated row, from three articles."""
    a = dict(doc_id="a", source="Reuters", doc_title="Talks resume in Geneva",
             url="https://example.com/a", published="2022-11-03")
    b = dict(doc_id="b", source="AP", doc_title="Ceasefire holds", url="https://example.org/b",
             published="2022-10-21")
    c = dict(doc_id="c", source="Local Herald", doc_title="Budget vote", url=None,
             published="2022-11-10")
    rows = [
        dict(a, start="2022-09-01", end="2022-10-01", granularity="month", timex="2022-09",
             expression="in September", title="Talks stalled", kind="happened",
             sentence="Talks stalled in September after both sides walked out."),
        dict(a, start="2022-11-01", end="2022-11-02", granularity="day", timex="2022-11-01",
             expression="on Tuesday", title="CNN reports deal", kind="happened",
             sentence="CNN reported on Tuesday that a deal was close."),
        dict(a, start="2022-11-03", end="2023-01-01", granularity="year", timex="2022",
             expression="before the end of this year", title="Deal to be signed",
             kind="expected", deadline=True,
             sentence="The deal is expected to be signed before the end of this year."),
        dict(a, start="2015-01-01", end="2016-01-01", granularity="year", timex="2015",
             expression="in 2015", title="First round of talks", kind="happened",
             sentence="The first round of talks was held in 2015."),
        dict(b, start="2022-10-13", end="2022-10-21", granularity="fuzzy", timex="PAST_REF",
             expression="in recent days", title="Shelling decreased", kind="happened",
             sentence="Shelling has decreased in recent days, officials said."),
        dict(b, start="2022-10-20", end="2022-10-21", granularity="day", timex="2022-10-20",
             expression="yesterday", title="Ceasefire agreed", kind="happened",
             sentence="A ceasefire was agreed yesterday " + "and observers were sent. " * 20),
        dict(b, start="2022-10-01", end="2023-01-01", granularity="quarter", timex="2022-Q4",
             expression="this quarter", title="Observers deployed", kind="ongoing",
             sentence="Observers are deployed this quarter."),
        dict(c, start="2022-12-05", end="2022-12-06", granularity="day", timex="2022-12-05",
             expression="on 5 December", title="Budget vote", kind="expected",
             sentence="The council will vote on the budget on 5 December."),
        dict(c, start=None, end=None, granularity=None, timex="P3M", expression="for three months",
             title="Consultation", kind="ongoing", sentence="The consultation runs for three months."),
    ]
    for i, r in enumerate(rows):
        r["event_id"] = f"e{i}"
        r["text"] = r["sentence"]
    return make_table(rows)


def synthetic_table(n: int, seed: int = 0, n_docs: int = 200) -> pd.DataFrame:
    """``n`` events over ~3 years from ``n_docs`` articles: mostly days, some months,
    weeks, years, fuzzy windows and deadlines (all dated)."""
    rng = random.Random(seed)
    base = pd.Timestamp("2020-01-01")
    sources = ["Reuters", "AP", "AFP", "BBC", "Al Jazeera", "DW"]
    rows = []
    for i in range(n):
        d = rng.randrange(n_docs)
        pub = base + pd.Timedelta(days=int(d * 1100 / n_docs))
        r = rng.random()
        day = pub - pd.Timedelta(days=rng.randrange(0, 120))
        if r < 0.7:
            start, end, g = day, day + pd.Timedelta(days=1), "day"
        elif r < 0.8:
            start = day.replace(day=1)
            end, g = start + pd.DateOffset(months=1), "month"
        elif r < 0.87:
            start, end, g = day, day + pd.Timedelta(days=7), "week"
        elif r < 0.9:
            start = day.replace(month=1, day=1)
            end, g = start + pd.DateOffset(years=1), "year"
        elif r < 0.95:
            start, end, g = pub - pd.Timedelta(days=7), pub, "fuzzy"
        else:
            start, end, g = pub, pub + pd.Timedelta(days=60), "month"
        kind = "expected" if start >= pub else rng.choice(["happened", "happened", "ongoing"])
        rows.append(dict(event_id=f"e{i}", start=start, end=end, granularity=g,
                         timex="PAST_REF" if g == "fuzzy" else start.strftime("%Y-%m-%d"),
                         expression=f"phrase {i}", title=f"Event {i}", kind=kind,
                         text=f"Sentence number {i} about event {i}.",
                         sentence=f"Sentence number {i} about event {i}.",
                         deadline=r >= 0.95, doc_id=f"d{d}", doc_title=f"Article {d}",
                         source=sources[d % len(sources)], url=f"https://example.com/{d}",
                         published=pub))
    return make_table(rows)
