"""The density view for large tables (timeline.density via render): counts per period
and lane, the drill-down payload, the threshold. The browser side is in test_browser.py."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

try:
    from tests.browser import synthetic_table
except ImportError:  # plain `pytest`: tests/ itself is on sys.path
    from browser import synthetic_table
from timeline import density, render
from timeline.render import figure, to_html

T = pd.Timestamp


def payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("days, freq", [(30, "day"), (400, "day"), (401, "week"),
                                        (7 * 400, "week"), (7 * 401, "month"),
                                        (30 * 400, "month"), (40 * 366, "year")])
def test_period_is_the_finest_under_the_bar_limit(days, freq):
    lo = T("2000-01-01")
    assert density.period(lo, lo + pd.Timedelta(days=days)) == freq


def test_bins_start_on_period_starts():
    ts = pd.Series(pd.to_datetime(["2022-10-05 13:00", "2022-10-02 00:00", "2022-12-31 23:59"]))
    assert density.bin_start(ts, "day").tolist() == [T("2022-10-05"), T("2022-10-02"),
                                                     T("2022-12-31")]
    # ISO weeks start on Monday: 2022-10-05 is a Wednesday, 2022-10-02 a Sunday
    assert density.bin_start(ts, "week").tolist() == [T("2022-10-03"), T("2022-09-26"),
                                                      T("2022-12-26")]
    assert density.bin_start(ts, "month").tolist() == [T("2022-10-01"), T("2022-10-01"),
                                                       T("2022-12-01")]
    assert density.bin_start(ts, "year").tolist() == [T("2022-01-01")] * 3


def test_counts_add_up_to_the_dated_events_per_kind():
    table = synthetic_table(3000, seed=4)
    fig = figure(table, density_view=True)
    bars = [t for t in fig.data if t.meta and t.meta.get("role") == "density"]
    assert {t.name for t in bars} == set(table["kind"])
    for t in bars:
        assert sum(t.y) == int((table["kind"] == t.name).sum())
    # no individual marks: the detail panel is empty outside the page
    detail = [t for t in fig.data if t.meta and t.meta.get("detail")]
    assert detail and all(len(t.x) == 0 for t in detail)
    assert "to_html" in fig.layout.annotations[0].text


def test_bars_cover_their_period():
    table = synthetic_table(500, seed=1)
    fig = figure(table, density_view=True)
    bar = next(t for t in fig.data if t.meta and t.meta.get("role") == "density")
    day = 86_400_000
    assert set(bar.width) <= {7 * day}  # three years of data: weekly bars
    assert bar.offset == 0  # a bar starts at its period's start
    assert all(T(x).weekday() == 0 for x in bar.x)


def test_threshold_switches_views(monkeypatch):
    table = synthetic_table(300)
    assert not any(t.meta and t.meta.get("role") == "density" for t in figure(table).data)
    monkeypatch.setattr(render, "DENSITY_THRESHOLD", 200)
    assert any(t.meta and t.meta.get("role") == "density" for t in figure(table).data)
    # explicit choice wins over the threshold
    assert not any(t.meta and t.meta.get("role") == "density"
                   for t in figure(table, density_view=False).data)


def test_group_by_lanes_and_other():
    table = synthetic_table(2000, seed=2)
    table["desk"] = [f"desk {i % 11}" for i in range(len(table))]
    fig = figure(table, group_by="desk", density_view=True)
    names = {t.name for t in fig.data if t.meta and t.meta.get("role") == "density"}
    assert len(names) == density.MAX_LANES and "other" in names
    other = sum(sum(t.y) for t in fig.data if t.meta and t.meta.get("role") == "density"
                and t.name == "other")
    assert other == 2000 - sum(
        sum(t.y) for t in fig.data if t.meta and t.meta.get("role") == "density"
        and t.name != "other")


def test_page_carries_the_drill_payload():
    table = synthetic_table(1500, seed=3)
    table.loc[5, "start"] = pd.NaT  # undated rows stay out of the chart
    table.loc[5, "end"] = pd.NaT
    html = to_html(table, density_view=True)
    data = payload(html)
    d = data["drill"]
    assert len(d["start"]) == len(d["end"]) == len(d["lane"]) == len(d["row"]) == 1499
    assert d["max"] == density.DRILL_MAX and d["freq"] == "week"
    # each drill row names its table row, with the same start (minutes since the epoch)
    rows = data["rows"]
    for k in (0, 700, 1498):
        start = T(d["start"][k] * 60, unit="s")
        assert rows[d["row"][k]][6].startswith(start.strftime("%Y-%m-%d"))
    assert d["start"] == sorted(d["start"])  # in start order, as the page script expects
    assert "Bars count events per week" in html
    assert "<script" not in json.dumps(d)


def test_density_text_is_escaped():
    table = synthetic_table(200, seed=5)
    table["desk"] = ["<img src=x onerror=alert(1)>"] * 100 + ["plain"] * 100
    html = to_html(table, group_by="desk", density_view=True)
    assert "<img" not in html
    fig = figure(table, group_by="desk", density_view=True)
    assert all("<img" not in (t.name or "") for t in fig.data)
