"""The chart for large tables: events per day, week, month or year by lane, with
drill-down to the individual events of a zoomed range.

Past ``render.DENSITY_THRESHOLD`` dated events one mark per event is a smear, so the
figure becomes two panels on one date axis: stacked bars counting events by start
date per period and lane (top), and a detail panel (bottom) that the page script
(``assets/timeline.js``) fills with the events of the visible range once the reader
has zoomed in to at most ``DRILL_MAX`` of them. The page ships each event's start,
end, lane and table row once (``drill``), so drilling down needs no server.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .datewords import date_in_words

DRILL_MAX = 1000        # events drawn one by one in the detail panel, at most
DETAIL_ROWS = 60        # rows of the detail panel, at most (the page script packs into them)
MAX_LANES = 8           # more groups than this: the smallest share an "other" lane
MAX_BINS = 400          # the period is the finest that keeps the bars under this
# Okabe-Ito, for lanes that are not kinds
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
DAY = pd.Timedelta(days=1)


def period(lo: pd.Timestamp, hi: pd.Timestamp) -> str:
    """The finest of day/week/month/year that gives at most MAX_BINS bars over [lo, hi]."""
    days = (hi.value - lo.value) / DAY.value  # ints: spans beyond 292 years don't overflow
    for freq, size in (("day", 1), ("week", 7), ("month", 30.44)):
        if days / size <= MAX_BINS:
            return freq
    return "year"


def bin_start(ts: pd.Series, freq: str) -> pd.Series:
    """Each timestamp's period start (weeks start on Monday, ISO 8601)."""
    if freq == "day":
        return ts.dt.normalize()
    if freq == "week":
        day = ts.dt.normalize()
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    if freq == "month":
        return ts.dt.to_period("M").dt.start_time
    return ts.dt.to_period("Y").dt.start_time


def bin_end(start: pd.Series, freq: str) -> pd.Series:
    step = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1),
            "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}[freq]
    return start + step


def bin_words(start: pd.Timestamp, freq: str) -> str:
    """A bar's period in words, as the page says dates (:func:`datewords.date_in_words`)."""
    return date_in_words(start, bin_end(pd.Series([start]), freq).iloc[0], freq)


def lanes(d: pd.DataFrame, group_by: str | None, kinds: tuple, kind_colours: dict,
          text) -> tuple[pd.Series, list[str], list[str]]:
    """(lane index per row, lane names, lane colours): the kinds, or the ``group_by``
    values (largest first, the smallest beyond MAX_LANES together as "other")."""
    if not group_by:
        names = [k for k in kinds if (d["kind"] == k).any()]
        idx = d["kind"].map({k: i for i, k in enumerate(names)})
        return idx.astype(int), names, [kind_colours[k] for k in names]
    key = d[group_by].astype(object).map(text).replace("", "(none)")
    sizes = key.value_counts(sort=True)
    top = sizes.index[:MAX_LANES - 1].tolist() if len(sizes) > MAX_LANES else sizes.index.tolist()
    names = [str(n) for n in top] + (["other"] if len(sizes) > len(top) else [])
    lookup = {n: i for i, n in enumerate(top)}
    idx = key.map(lambda k: lookup.get(k, len(top)))
    return idx.astype(int), names, [PALETTE[i % len(PALETTE)] for i in range(len(names))]


def build(d: pd.DataFrame, end: pd.Series, group_by: str | None, *, kinds: tuple,
          kind_colours: dict, esc, text, xstr, short) -> tuple[list[dict], dict, dict]:
    """(traces, layout parts, drill payload) for the dated rows ``d`` (index = table
    row) whose ends are ``end``. Helpers come from ``render`` so both views escape and
    format alike."""
    lane, names, colours = lanes(d, group_by, kinds, kind_colours, text)
    lo, hi = d["start"].min(), end.max()
    freq = period(lo, hi)
    b0 = bin_start(d["start"], freq)
    counts = (pd.DataFrame({"bin": b0, "lane": lane.to_numpy()})
              .groupby(["bin", "lane"], sort=True).size().rename("n").reset_index())
    traces = []
    for i, (name, colour) in enumerate(zip(names, colours)):
        part = counts[counts["lane"] == i]
        if part.empty:
            continue
        starts = part["bin"]
        width = (bin_end(starts, freq) - starts) / pd.Timedelta(milliseconds=1)
        traces.append(dict(
            type="bar", x=xstr(starts), y=part["n"].tolist(), width=width.tolist(), offset=0,
            name=esc(name), legendgroup=esc(name), marker=dict(color=colour, line=dict(width=0)),
            customdata=[bin_words(s, freq) for s in starts], meta={"role": "density"},
            hovertemplate=f"%{{customdata}}<br>%{{y}} {esc(name)}<extra></extra>",
            xaxis="x", yaxis="y"))
    # the detail panel's traces, empty until the reader zooms in (the page script
    # fills them); role "events" so hover cards and click-to-open work as in the
    # one-mark-per-event chart
    for i, (name, colour) in enumerate(zip(names, colours)):
        common = dict(legendgroup=esc(name), showlegend=False, xaxis="x", yaxis="y2",
                      customdata=[], x=[], y=[], meta={"role": "events", "detail": True,
                                                      "lane": i},
                      hovertemplate="%{hovertext}<extra></extra>")
        traces.append(dict(type="scattergl", mode="lines", name=esc(name), connectgaps=False,
                           line=dict(color=colour, width=4), **common))
        traces.append(dict(type="scattergl", mode="markers", name=esc(name),
                           marker=dict(color=colour, size=7, line=dict(width=0.5, color="white")),
                           **common))
    # one row per lane until the page script packs the zoomed events into rows
    ticktext = [esc(short(n, 22)) for n in names]
    layout = dict(
        barmode="stack", bargap=0,
        yaxis=dict(domain=[0.58, 1.0], title=dict(text=f"events per {freq}", font=dict(size=11)),
                   fixedrange=True, gridcolor="#eee", zeroline=False, rangemode="tozero"),
        yaxis2=dict(domain=[0.0, 0.5], fixedrange=True, showgrid=False, zeroline=False,
                    range=[2 * len(names) - 1.5, -0.7], tickvals=[2 * i for i in range(len(names))],
                    ticktext=ticktext, ticks=""),
        shapes=separators([2 * i - 1 for i in range(1, len(names))]),
        annotations=[dict(name="tl-drill", text=drill_note(int(len(d)), DRILL_MAX),
                          showarrow=False, xref="paper", yref="paper", x=0.5, y=0.25,
                          font=dict(size=12, color="#555"), bgcolor="rgba(255,255,255,0.8)")],
    )
    drill = {
        # minutes since the epoch: exact for any time a mention can carry, compact in JSON
        "start": (_minutes(d["start"])).tolist(), "end": (_minutes(end)).tolist(),
        "lane": lane.tolist(), "row": d.index.tolist(), "max": DRILL_MAX, "rows": DETAIL_ROWS,
        "names": ticktext, "freq": freq,
    }
    return traces, layout, drill


def separators(ys: list[float]) -> list[dict]:
    """Lines between the lanes of the detail panel (the page script redraws them)."""
    return [dict(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=y, y1=y,
                 line=dict(color="#ddd", width=1)) for y in ys]


def drill_note(n: int, limit: int) -> str:
    """Mirrors ``drillNote`` in assets/timeline.js (which drops the parenthesis on a
    narrow plot)."""
    return (f"{n:,} events in view: zoom in (drag across the chart or the slider below) "
            f"to {limit:,} or fewer to see them one by one")


def _minutes(ts: pd.Series) -> np.ndarray:
    return ts.to_numpy(dtype="datetime64[ns]").astype(np.int64) // 60_000_000_000
