"""The interactive timeline: a Plotly figure from the event table, and an HTML page around it.

``figure`` returns a self-contained ``go.Figure`` (hover cards included) for notebooks and
the Python API. ``to_html`` writes a page: the chart, then the event table. To keep pages
small the page carries each event's text once, in a JSON payload; a small script
(``assets/timeline.js``) builds hover cards and the table from it, so the figure JSON in
the page holds coordinates only.

Article text is untrusted: everything that reaches Plotly (which renders a subset of HTML
in hover cards, labels, ticks) goes through ``_esc``; the table is built with
``textContent``; JSON inside ``<script>`` has every ``<`` escaped; links are http(s) only.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from . import atomic, density
from .datewords import DAY, MONTHS, REFS, date_in_words
from .datewords import day as _day, is_midnight as _is_midnight, last_day as _last_day

REQUIRED = ("start", "end", "title")
# Optional columns and the value used when a table lacks them (a minimal DataFrame works).
OPTIONAL = {
    "granularity": None, "timex": None, "expression": None, "text": None, "sentence": None,
    "kind": "happened", "deadline": False, "doc_id": None, "source": None,
    "doc_title": None, "url": None, "published": pd.NaT,
    "n_sources": 1, "sources": None, "date_conflict": False,  # from merging (timeline.merge)
}
KINDS = ("happened", "ongoing", "expected")
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
KIND_COLOURS = {"happened": "#0072B2", "ongoing": "#009E73", "expected": "#D55E00"}
PUB_COLOUR = "#555555"
LEGEND_RANK = {name: rank for rank, name in enumerate(
    [*KINDS, *(f"{k}, vague date" for k in KINDS)], start=1)}
GL_THRESHOLD = 2000   # more dated events than this: WebGL marks (SVG gets slow)
DENSITY_THRESHOLD = 20_000  # more than this: counts per period, drill-down (timeline.density)
LABEL_LIMIT = 60      # more events than this: no text labels, hover only
MAX_LABELLED_LANES = 24
NOMINAL_PLOT_PX = 1000  # plot width assumed when packing labels into lanes
CHAR_PX = 6.3           # average label character width at 11px
SENTENCE_LIMIT = 300
PUB_LABEL_PX = 30       # space under the publication row for its labels


# ---------------------------------------------------------------- escaping and text

_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _esc(value) -> str:
    """Escape for Plotly's HTML-ish text. Numeric entities for quotes: Plotly decodes
    ``&#34;`` but shows ``&quot;`` literally."""
    return _text(value).translate(_ESC)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _safe_url(value) -> str:
    """The URL if it is http(s) with a host, else ""; no ``javascript:``, ``data:``..."""
    url = _text(value).strip()
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, limit: int = SENTENCE_LIMIT, width: int = 70) -> list[str]:
    """Lines of a hover card paragraph: truncated to ``limit`` chars, wrapped greedily at
    spaces (long words split). Same algorithm as ``wrap`` in assets/timeline.js."""
    words = _short(" ".join(text.split()), limit).split(" ") if text else []
    lines: list[str] = []
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = ""
        while len(w) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(w[:width])
            w = w[width:]
        line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    return lines


# ---------------------------------------------------------------- input

def _check(table: pd.DataFrame, group_by: str | None) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ValueError(f"event table lacks required column(s): {', '.join(missing)}")
    if group_by is not None and group_by not in table.columns:
        raise ValueError(f"group_by column {group_by!r} is not in the table "
                         f"(columns: {', '.join(map(str, table.columns))})")


def _dates(col: pd.Series, name: str) -> pd.Series:
    try:
        out = pd.to_datetime(col)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"column {name!r} must hold dates: {exc}") from None
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out


def _frame(table: pd.DataFrame, group_by: str | None) -> pd.DataFrame:
    """A normalised copy: all optional columns present, ordered by time, index = row id."""
    _check(table, group_by)
    df = table.reset_index(drop=True).copy()
    for col, default in OPTIONAL.items():
        if col not in df.columns:
            df[col] = default
    for col in ("start", "end", "published"):
        df[col] = _dates(df[col], col)
    for col in ("granularity", "timex", "expression", "text", "sentence", "title", "doc_id",
                "source", "doc_title", "url"):  # plain objects: Arrow strings iterate slowly
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df["kind"] = [_text(k).lower() or "happened" for k in df["kind"].astype(object)]
    unknown = sorted(set(df["kind"]) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; expected one of {list(KINDS)}")
    df["deadline"] = df["deadline"].astype(object).where(df["deadline"].notna(), False).astype(bool)
    df["date_conflict"] = (df["date_conflict"].astype(object)
                           .where(df["date_conflict"].notna(), False).astype(bool))
    n = pd.to_numeric(df["n_sources"], errors="coerce").fillna(1)
    df["n_sources"] = n.clip(lower=1).astype(int)
    df["sources"] = df["sources"].astype(object).where(df["sources"].notna(), None)
    df = df.sort_values(["start", "end"], kind="stable", na_position="last")
    return df.reset_index(drop=True)


def _docs(df: pd.DataFrame) -> tuple[list[int], list[list]]:
    """Each row's article index, and the articles: [source, title, url, published words, iso]."""
    index: dict = {}
    docs: list[list] = []
    row_doc: list[int] = []
    cols = zip(df["doc_id"], df["source"], df["doc_title"], df["url"], df["published"])
    for doc_id, source, title, url, pub in cols:
        key = _text(doc_id) or (_text(source), _text(title), _text(url), pub)
        if key not in index:
            index[key] = len(docs)
            has_pub = not pd.isna(pub)
            docs.append([_text(source), _text(title), _safe_url(url),
                         _pub_words(pub) if has_pub else "", pub.isoformat() if has_pub else ""])
        row_doc.append(index[key])
    return row_doc, docs


def _pub_words(pub: pd.Timestamp) -> str:
    return _day(pub) if _is_midnight(pub) else f"{_day(pub)}, {pub:%H:%M}"


# ---------------------------------------------------------------- layout of marks

def _xstr(ts: pd.Series) -> list[str]:
    """Compact date strings for Plotly (no ``T00:00:00`` on every point)."""
    out = ts.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
    return out.tolist()


def _iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d %H:%M:%S")


def _pack(lo: np.ndarray, hi: np.ndarray, max_lanes: int) -> list[int]:
    """Greedy interval packing: each item takes the first lane free at its left edge.
    Past ``max_lanes`` items share the lane that frees up first (overlap beats a
    chart too tall to read). numpy per step: 50k items in well under a second."""
    free = np.empty(min(len(lo), max_lanes), dtype=np.int64)
    used = 0
    lanes = []
    for a, b in zip(lo.tolist(), hi.tolist()):
        ok = free[:used] <= a
        if used and ok.any():
            i = int(ok.argmax())
        elif used < len(free):
            i, used = used, used + 1
        else:
            i = int(free.argmin())
        free[i] = b
        lanes.append(i)
    return lanes


def _focus(lefts: np.ndarray, rights: np.ndarray) -> tuple[int, int]:
    """The window the chart opens on: every mark except a few far-off outliers (at most
    15% a side) cut off by a gap over twice what remains, so one mention of 2015 doesn't
    squeeze a 2022 story into a sliver. "all" and the range slider still reach them."""
    # Python ints: gaps between 1729 and 2022 overflow int64 nanoseconds
    xs, ys = [int(v) for v in np.sort(lefts)], [int(v) for v in np.sort(rights)]
    k = max(1, len(xs) * 15 // 100)
    lo, hi = int(xs[0]), int(ys[-1])
    for i in range(min(k, len(xs) - 1), 0, -1):
        if xs[i] - xs[i - 1] > 2 * (hi - xs[i]):
            lo = int(xs[i])
            break
    for i in range(min(k, len(ys) - 1), 0, -1):
        if ys[-i] - ys[-i - 1] > 2 * (ys[-i - 1] - lo):
            hi = int(ys[-i - 1])
            break
    return lo, hi


def _marks(df: pd.DataFrame, group_by: str | None, docs: list[list], labels: bool) -> dict:
    """Where each dated event goes: x, point or bar, lane (y), label and its side."""
    d = df[df["start"].notna()].copy()
    end = d["end"].where(d["end"].notna() & (d["end"] > d["start"]), d["start"] + DAY)
    span = end - d["start"]
    d["point"] = d["granularity"].isin(["day", "time"]).fillna(False).astype(bool) | (span <= DAY)
    d["fuzzy"] = (d["granularity"] == "fuzzy").fillna(False).astype(bool) | d["timex"].isin(list(REFS))
    d["x"] = d["start"].where(~d["point"], d["start"] + span / 2)  # a day's marker sits mid-day
    d["end_"] = end
    pubs = np.array([_mid_day(pd.Timestamp(doc[4])).value for doc in docs if doc[4]], dtype=np.int64)
    lo_v, hi_v = (pd.Timestamp(v) for v in _focus(np.concatenate([_ns(d["start"]), pubs]),
                                                  np.concatenate([_ns(end), pubs])))
    view = _gap(lo_v, hi_v)
    ms_per_px = max(view / pd.Timedelta(milliseconds=1), 864e5) / NOMINAL_PLOT_PX
    px = pd.Timedelta(milliseconds=ms_per_px)

    d["label"] = ""
    if labels:
        by = [f" (by {_day(_last_day(e))})" if dl else "" for e, dl in zip(end, d["deadline"])]
        d["label"] = [_short(_text(t), 40) + w + (f" ({n} sources)" if n > 1 else "")
                      for t, w, n in zip(d["title"], by, d["n_sources"])]
    label_w = px * (d["label"].str.len() * CHAR_PX + (10 if labels else 0))
    d["inside"] = ~d["point"] & (span >= label_w + 6 * px)
    lo = (d["x"] - 8 * px).where(d["point"], d["start"])
    hi = (d["x"] + 8 * px).where(d["point"], end)
    hi = hi + label_w.where(~d["inside"], pd.Timedelta(0)) + 3 * px

    if group_by:
        key = df.loc[d.index, group_by].astype(object).map(_text).replace("", "(none)")
        groups = list(dict.fromkeys(key))
    else:
        key = pd.Series("", index=d.index)
        groups = [""]
    cap = 10**9 if labels else max(4, 48 // len(groups))
    # Crowded charts overlap anyway; keep long spans (a year among days) in lanes of
    # their own on top so they don't cover the short events.
    long = (span > view / 15) if cap < 10**9 else pd.Series(False, index=d.index)
    d["y"] = 0
    bands = []  # (group, first lane, lanes)
    offset = 0
    for g in groups:
        first = offset
        for sel, room in ((long, max(1, cap // 4)), (~long, cap)):
            idx = key.index[(key == g) & sel]
            if len(idx):
                lanes = _pack(_ns(lo[idx]), _ns(hi[idx]), room)
                d.loc[idx, "y"] = [offset + n for n in lanes]
                offset += max(lanes) + 1
        bands.append((g, first, offset - first))
        offset += 1 if group_by else 0  # a spacer lane between groups
    # open wide enough for the labels of the last events in view, within reason
    in_view = d["start"] <= hi_v
    right = min(max(hi_v, hi[in_view].max()), _shift(hi_v, view * 0.3))
    hidden = int(((end <= lo_v) | (d["start"] > hi_v)).sum())
    return {"d": d, "bands": bands, "lanes": offset - (1 if group_by else 0), "view": (lo_v, right),
            "px": px, "hidden": hidden}


def _gap(lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Timedelta:
    """hi - lo, at most the longest Timedelta (292 years): a 2022 story that
    mentions 1729 still gets a page, the view math saturating instead of failing."""
    return pd.Timedelta(min(hi.value - lo.value, pd.Timedelta.max.value))


def _shift(t: pd.Timestamp, by: pd.Timedelta) -> pd.Timestamp:
    """t + by, kept inside the timestamps pandas can hold."""
    v = t.value + by.value
    return pd.Timestamp(min(max(v, pd.Timestamp.min.value), pd.Timestamp.max.value))


def _ns(ts: pd.Series) -> np.ndarray:
    return ts.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _mid_day(ts: pd.Timestamp) -> pd.Timestamp:
    """Dates (midnight) sit mid-day, level with that day's event markers."""
    return ts + DAY / 2 if _is_midnight(ts) else ts


# ---------------------------------------------------------------- figure

def _hover_event(row, doc: list) -> str:
    """Hover card, as HTML for Plotly; mirrors ``hoverEvent`` in assets/timeline.js."""
    date = row.words + (" (expected)" if row.kind == "expected" else "")
    lines = [f"<b>{_esc(row.title)}</b>", _esc(date)]
    if _text(row.expression):
        lines.append(f"<i>“{_esc(row.expression)}”</i>")
    lines += [_esc(s) for s in _wrap(_text(row.sentence) or _text(row.text))]
    lines.append(_esc(_source_line(doc)))
    lines += [_esc(x) for x in _backing(row.n_sources, row.sources, row.date_conflict)]
    return "<br>".join(lines)


def _backing(n: int, sources, conflict: bool) -> list[str]:
    """How many outlets report a merged event, and whether their dates disagree;
    mirrors ``backing`` in assets/timeline.js."""
    out = []
    if n > 1:
        names = _short(", ".join(_text(sources).split("; ")), 120)
        out.append(f"reported by {n} sources: {names}" if names else f"reported by {n} sources")
    if conflict:
        out.append("the sources give dates that do not agree: this is the most specific "
                   "date consistent with most of them")
    return out


def _source_line(doc: list) -> str:
    src = doc[0] or doc[1] or "unknown source"
    return f"{src}, published {doc[3]}" if doc[3] else src


def _hover_doc(doc: list) -> str:
    lines = [f"<b>{_esc(doc[0] or 'article')}</b>", _esc(doc[1]), f"published {_esc(doc[3])}"]
    return "<br>".join(x for x in lines if x)


def _trace(kind: str, **props) -> dict:
    """A trace as a plain dict: ``to_html`` serialises it directly (Plotly's validation
    of 50k-point lists costs seconds); ``figure`` validates it via ``go.Figure``."""
    return {"type": kind, **{k: v for k, v in props.items() if v is not None}}


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _event_traces(d: pd.DataFrame, hover: dict | None, marker_px: float, row_px: float) -> list:
    """One trace per (kind, vague or not, range or point): styles differ by trace, and each
    event is exactly one mark of one trace (customdata = its row in the table). Ranges
    come first so long bars never cover point markers. Past GL_THRESHOLD events, WebGL:
    markers as Scattergl, ranges as Scattergl line segments (SVG bars, drawn twice with
    the range slider, dominate render time)."""
    gl = len(d) > GL_THRESHOLD
    ranges, points = [], []
    for kind in KINDS:
        colour = KIND_COLOURS[kind]
        expected = kind == "expected"
        for fuzzy in (False, True):
            name = f"{kind}, vague date" if fuzzy else kind
            sel = d[(d["kind"] == kind) & (d["fuzzy"] == fuzzy)]
            for point, part in sel.groupby("point", sort=False):
                rows = part.index.tolist()
                common = dict(name=name, legendgroup=name, meta={"role": "events"},
                              hovertemplate="%{hovertext}<extra></extra>")
                if point:
                    points.append(_trace(
                        "scattergl" if gl else "scatter", x=_xstr(part["x"]), y=part["y"].tolist(), mode="markers", customdata=rows,
                        hovertext=[hover[i] for i in rows] if hover is not None else None,
                        marker=dict(size=marker_px, color="white" if expected else colour,
                                    symbol="diamond" if expected else "circle",
                                    line=dict(color=colour, width=2 if expected else 0.5),
                                    opacity=0.45 if fuzzy else 1.0),
                        **common))
                elif gl:
                    ranges.append(_segments(part, rows, hover, colour, fuzzy, expected, row_px, common))
                else:
                    ranges.append(_trace(
                        "bar", orientation="h", base=_xstr(part["start"]), customdata=rows,
                        x=((part["end_"] - part["start"]) / pd.Timedelta(milliseconds=1)).tolist(),
                        y=part["y"].tolist(), width=[0.4 if dl else 0.62 for dl in part["deadline"]],
                        hovertext=[hover[i] for i in rows] if hover is not None else None,
                        marker=dict(
                            color=_rgba(colour, 0.28 if fuzzy else (0.12 if expected else 0.85)),
                            line=dict(color=_rgba(colour, 0.6 if fuzzy else 1.0), width=1.5),
                            pattern=dict(shape="/" if expected else ("." if fuzzy else ""),
                                         fgcolor=colour, size=7, solidity=0.3, fillmode="overlay")),
                        **common))
    traces = ranges + points
    shown: set = set()
    for t in traces:  # one legend entry per style, in a fixed order
        t["showlegend"] = t["name"] not in shown
        t["legendrank"] = LEGEND_RANK[t["name"]]
        shown.add(t["name"])
    return traces


def _segments(part, rows, hover, colour, fuzzy, expected, row_px, common) -> dict:
    """Ranges as one WebGL polyline broken by gaps: start, end, None per event (both
    ends hoverable; customdata names the row at both)."""
    n = len(rows)
    x: list = [None] * (3 * n)
    x[0::3], x[1::3] = _xstr(part["start"]), _xstr(part["end_"])
    y: list = [None] * (3 * n)
    y[0::3] = y[1::3] = part["y"].tolist()
    cd: list = [None] * (3 * n)
    cd[0::3] = cd[1::3] = rows
    text = None
    if hover is not None:
        text = [None] * (3 * n)
        text[0::3] = text[1::3] = [hover[i] for i in rows]
    return _trace(
        "scattergl", x=x, y=y, customdata=cd, hovertext=text, mode="lines", connectgaps=False,
        line=dict(color=_rgba(colour, 0.35 if fuzzy else (0.7 if expected else 0.9)),
                  width=max(2.0, 0.55 * row_px),
                  dash="dash" if expected else "solid"),
        **common)


def _labels(d: pd.DataFrame, marker_px: float) -> list[dict]:
    """Event labels as annotations, not trace text: trace text would be drawn again,
    illegibly, in the range slider. ``name`` carries the row for click-to-open."""
    out = []
    for i, r in zip(d.index, d.itertuples()):
        if not r.label:
            continue
        inside = r.inside
        light = inside and r.kind != "expected" and not r.fuzzy
        out.append(dict(
            x=_iso(r.start if not r.point else r.x), y=r.y, xref="x", yref="y",
            text=_esc(r.label), showarrow=False, xanchor="left", name=f"row{i}",
            xshift=(marker_px / 2 + 3) if r.point else (4 if inside else 0),
            font=dict(size=11, color="white" if light else "#222"), captureevents=True,
            # hatched / pale bars: a backing keeps the label legible
            bgcolor="rgba(255,255,255,0.85)" if inside and not light else None))
        if not r.point and not inside:  # outside a bar: start at its end
            out[-1]["x"] = _iso(r.end_)
            out[-1]["xshift"] = 3
    return out


def _pub_trace(docs: list[list], y: float, hover: bool, px: pd.Timedelta):
    idx = [i for i, doc in enumerate(docs) if doc[4]]
    if not idx:
        return None, []
    x = [_mid_day(pd.Timestamp(docs[i][4])) for i in idx]
    order = sorted(range(len(idx)), key=x.__getitem__)
    text = [""] * len(idx)
    free = [None, None]  # two label lines; a crowded date drops to the second
    for j in order if len(idx) <= 40 else ():  # label an article only where it has room
        name = _short(docs[idx[j]][0] or docs[idx[j]][1], 18)
        half = px * (len(name) * 5.8 / 2 + 6)
        for level in (0, 1):
            if name and (free[level] is None or x[j] - half >= free[level]):
                text[j] = "<br>" * level + _esc(name)
                free[level] = x[j] + half
                break
    trace = _trace(
        "scatter", x=[_iso(t).replace(" 00:00:00", "") for t in x], y=[y] * len(idx), name="published",
        customdata=idx, meta={"role": "pub"}, mode="markers+text" if any(text) else "markers",
        text=text if any(text) else None,
        textposition="bottom center", textfont=dict(size=10, color=PUB_COLOUR), cliponaxis=False,
        marker=dict(symbol="triangle-up", size=10, color=PUB_COLOUR), legendrank=100,
        hovertext=[_hover_doc(docs[i]) for i in idx] if hover else None,
        hovertemplate="%{hovertext}<extra></extra>")
    return trace, sorted(set(x))


def _row_px(lanes: int, labels: bool) -> float:
    """Lane height: roomy when labelled, else squeezed to keep the chart on one screen."""
    return 26.0 if labels else max(5.0, min(26.0, 480 / max(lanes, 1)))


def _xaxis(lo: pd.Timestamp, hi: pd.Timestamp, **extra) -> dict:
    """The date axis with its range slider and range buttons, opened on [lo, hi]."""
    pad = max(_gap(lo, hi) * 0.02, DAY / 2)
    return dict(
        type="date", range=[_iso(_shift(lo, -pad)), _iso(_shift(hi, pad))], showgrid=True,
        gridcolor="#eee", linecolor="#999", ticks="outside", showline=True,
        rangeslider=dict(visible=True, thickness=0.06, bgcolor="#fafafa",
                         bordercolor="#ccc", borderwidth=1),
        rangeselector=dict(x=0, y=1.0, yanchor="bottom", bgcolor="#f0f0f0",
                           activecolor="#cfe3f3", font=dict(size=11), buttons=[
            dict(count=1, label="1m", step="month", stepmode="backward"),
            dict(count=6, label="6m", step="month", stepmode="backward"),
            dict(count=1, label="1y", step="year", stepmode="backward"),
            dict(step="all", label="all")]), **extra)


def _base_layout(title: str | None, height: int, left: int) -> dict:
    return dict(
        title=dict(text=_esc(title), x=0.01, xanchor="left") if title else None,
        height=height, margin=dict(l=left, r=24, t=80 if title else 44, b=36),
        font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=12,
                  color="#222"),
        plot_bgcolor="white", paper_bgcolor="white", hovermode="closest", dragmode="zoom",
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=12, color="#222"),
                        namelength=-1),
        legend=dict(orientation="h", x=1, xanchor="right", y=1.0, yanchor="bottom",
                    font=dict(size=12)))


def _layout(m: dict, group_by: str | None, title: str | None, labels: bool) -> dict:
    lanes = m["lanes"]
    pub_y = lanes + 0.6
    row_px = _row_px(lanes, labels)
    below = PUB_LABEL_PX / row_px  # lanes' worth of room for two lines of article labels
    height = int(min(1400, max(380, 170 + PUB_LABEL_PX + row_px * (lanes + 1.3))))
    if group_by:
        tickvals = [off + (n - 1) / 2 for _, off, n in m["bands"]] + [pub_y]
        ticktext = [_esc(_short(g, 22)) for g, _, _ in m["bands"]] + ["published"]
        left = int(min(180, 24 + CHAR_PX * max(len(t) for t in ticktext)))
    else:
        tickvals, ticktext, left = [pub_y], ["published"], 72
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=off - 1, y1=off - 1,
                   line=dict(color="#ddd", width=1)) for _, off, _ in m["bands"][1:]]
    return dict(
        _base_layout(title, height, left), barmode="overlay", bargap=0,
        xaxis=_xaxis(*m["view"]),
        # reversed: first lane on top; room under the publication row for two label lines
        yaxis=dict(range=[pub_y + below, -0.7], fixedrange=True, showgrid=False, zeroline=False,
                   tickvals=tickvals, ticktext=ticktext, ticks=""),
        shapes=shapes,
    )


def _density(df: pd.DataFrame, title: str | None, group_by: str | None, page: bool):
    """(figure spec, drill payload): counts per period and lane over a detail panel."""
    d = df[df["start"].notna()]
    end = d["end"].where(d["end"].notna() & (d["end"] > d["start"]), d["start"] + DAY)
    lo, hi = (pd.Timestamp(v) for v in _focus(_ns(d["start"]), _ns(end)))
    traces, parts, drill = density.build(
        d, end, group_by, kinds=KINDS, kind_colours=KIND_COLOURS, esc=_esc, text=_text,
        xstr=_xstr, short=_short)
    if not page:  # go.Figure in a notebook: no page script to fill the detail panel
        parts["annotations"][0]["text"] = (
            f"{len(d):,} events: the HTML page (to_html) draws them one by one when zoomed in")
    left = int(min(180, 24 + CHAR_PX * max(len(t) for t in parts["yaxis2"]["ticktext"])))
    layout = dict(_base_layout(title, 720, max(72, left)), xaxis=_xaxis(lo, hi, anchor="y2"),
                  **parts)
    return _spec(traces, layout), drill


def _all_words(df: pd.DataFrame) -> list[str]:
    """``date_in_words`` per row, computed once per distinct interval (news repeats them)."""
    cols = ["start", "end", "granularity", "timex", "deadline"]
    codes = df.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    first = pd.Series(range(len(df))).groupby(codes).first()
    sub = df[cols].iloc[first.to_numpy()]
    args = zip(*(sub[c].tolist() for c in cols))
    words = {c: date_in_words(*a) for c, a in zip(first.index.tolist(), args)}
    return [words[c] for c in codes.tolist()]


def _build(table: pd.DataFrame, title: str | None, group_by: str | None, hover: bool,
           density_view: bool | None = None):
    """(figure, normalised frame, row -> doc index, docs, drill payload or None).
    ``hover=False`` leaves hover text to the page script (``to_html``). ``density_view``:
    None = past DENSITY_THRESHOLD dated events."""
    df = _frame(table, group_by)
    row_doc, docs = _docs(df)
    df["words"] = _all_words(df)
    dated = int(df["start"].notna().sum())
    if dated and (density_view or (density_view is None and dated > DENSITY_THRESHOLD)):
        spec, drill = _density(df, title, group_by, page=not hover)
        return spec, df, row_doc, docs, drill
    if not dated:
        layout = dict(title=dict(text=_esc(title)) if title else None, height=300,
                      xaxis=dict(visible=False), yaxis=dict(visible=False),
                      plot_bgcolor="white", paper_bgcolor="white",
                      annotations=[dict(text="no dated events", showarrow=False,
                                        xref="paper", yref="paper", x=0.5, y=0.5,
                                        font=dict(size=16, color="#666"))])
        return _spec([], layout), df, row_doc, docs, None
    labels = dated <= LABEL_LIMIT
    m = _marks(df, group_by, docs, labels)
    if labels and m["lanes"] > MAX_LABELLED_LANES:  # labels would need too many rows
        labels = False
        m = _marks(df, group_by, docs, labels)
    d, lanes = m["d"], m["lanes"]
    hover_text = None
    if hover:
        cols = d[["words", "kind", "title", "expression", "sentence", "text", "n_sources",
                  "sources", "date_conflict"]]
        hover_text = {i: _hover_event(r, docs[row_doc[i]]) for i, r in zip(d.index, cols.itertuples())}
    row_px = _row_px(lanes, labels)
    marker_px = 12 if labels else max(4.0, min(11.0, 0.7 * row_px))
    traces = _event_traces(d, hover_text, marker_px, row_px)
    pub, pub_x = _pub_trace(docs, lanes + 0.6, hover, m["px"])
    layout = _layout(m, group_by, title, labels)
    layout["annotations"] = _labels(d, marker_px) if labels else []
    if 0 < len(pub_x) <= 12:  # faint guides: what was reported before / after each article
        layout["shapes"] += [dict(type="line", xref="x", yref="paper", x0=_iso(x), x1=_iso(x),
                                  y0=0, y1=1, layer="below",
                                  line=dict(color="#bbb", width=1, dash="dot")) for x in pub_x]
    if m["hidden"]:
        n = m["hidden"]
        layout["annotations"].append(dict(
            text=f"{n} event{'s' * (n != 1)} outside this view: press “all”", showarrow=False,
            xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", xshift=150,
            yshift=2, font=dict(size=11, color="#666")))
    return _spec(traces + ([pub] if pub is not None else []), layout), df, row_doc, docs, None


def _spec(data: list[dict], layout: dict) -> dict:
    """The figure as plain data, with an empty template: the page and ``go.Figure`` look
    alike (plotly.py's default template can't sneak in on one side) and the JSON stays small."""
    layout = {k: v for k, v in layout.items() if v is not None}
    return {"data": data, "layout": {"template": {}, **layout}}


def figure(table: pd.DataFrame, *, title: str | None = None,
           group_by: str | None = None, density_view: bool | None = None) -> go.Figure:
    """The timeline as a Plotly figure: one mark per dated event (bar for spans longer
    than a day, marker otherwise), lanes by ``group_by`` or packed so labels don't collide,
    publication dates on a bottom row. Undated rows are not plotted. Past
    DENSITY_THRESHOLD dated events (or with ``density_view=True``): events per period
    and lane instead (``timeline.density``)."""
    spec = _build(table, title, group_by, hover=True, density_view=density_view)[0]
    for trace in spec["data"]:  # numpy arrays: plotly.py validates long lists item by item
        for key in ("x", "y", "base", "customdata", "hovertext"):
            if isinstance(trace.get(key), list) and len(trace[key]) > 1000:
                trace[key] = np.array(trace[key], dtype=object)
    return go.Figure(spec)


# ---------------------------------------------------------------- page

TABLE_HEAD = ("Date", "Event", "Kind", "Phrase", "Sentence", "Source", "Published")


def _asset(name: str) -> str:
    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")


# What opens a tag in the template languages of the documented hosts: Jinja2
# (MkDocs macros) ``{{ {% {#``, Liquid (Jekyll) ``{{ {%``, Go templates (Hugo) ``{{``.
_TEMPLATE_OPEN = re.compile(r"\{[{%#]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _script_json(obj) -> str:
    """JSON safe inside <script>: no ``<`` at all, so no ``</script>`` or ``<!--``;
    and safe in a site template: no ``{{``, ``{%`` or ``{#`` (JSON's own braces never
    form one, so when one is there every brace inside a string is written \\u007b /
    \\u007d, which JSON.parse reads back as the same text)."""
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c")
    if _TEMPLATE_OPEN.search(text):
        text = _JSON_STRING.sub(
            lambda m: m.group().replace("{", "\\u007b").replace("}", "\\u007d"), text)
    return text


def _html_text(value) -> str:
    """Text for the page's own HTML (title, summary): ``_esc`` and ``{`` as ``&#123;``,
    so a title cannot open a template tag in a site that includes the fragment."""
    return _esc(value).replace("{", "&#123;")


def _plotly_tag(include_plotlyjs: bool | str) -> str:
    if include_plotlyjs is True:
        return f"<script>{get_plotlyjs()}</script>"
    if include_plotlyjs == "cdn":
        url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
        return f'<script src="{url}" charset="utf-8"></script>'
    if isinstance(include_plotlyjs, str) and include_plotlyjs.endswith(".js"):
        return f'<script src="{_html_text(include_plotlyjs)}" charset="utf-8"></script>'
    if include_plotlyjs is False:
        return ""
    raise ValueError(f"include_plotlyjs must be True, False, 'cdn' or a path to a .js file, "
                     f"not {include_plotlyjs!r}")


def _summary(df: pd.DataFrame, docs: list, drill: dict | None = None) -> str:
    dated = df[df["start"].notna()]
    n, k = len(dated), len(docs)
    text = f"{n} dated event{'s' * (n != 1)} from {k} article{'s' * (k != 1)}"
    if n:
        text += f", {_range_words(dated['start'].min(), dated['end'].max())}"
    undated = len(df) - n
    if undated:
        text += f"; {undated} undated (listed in the table only)"
    if drill is not None:
        return (text + f". Bars count events per {drill['freq']} by start date; zoom in to "
                f"{drill['max']:,} or fewer to see them one by one, then hover or click.")
    return text + ". Hover for details; click an event to open its article."


def _range_words(lo: pd.Timestamp, hi) -> str:
    hi = lo + DAY if pd.isna(hi) else hi
    return f"{MONTHS[lo.month - 1][:3]} {lo.year} – {MONTHS[_last_day(hi).month - 1][:3]} {_last_day(hi).year}"


def to_html(table: pd.DataFrame, path: str | Path | None = None, *, title: str | None = None,
            group_by: str | None = None, include_plotlyjs: bool | str = True,
            full_html: bool = True, with_table: bool = True,
            density_view: bool | None = None) -> str:
    """The timeline page (or an embeddable fragment when ``full_html=False``).

    ``include_plotlyjs``: True inlines plotly.js (works offline), "cdn" links it, a ``.js``
    path links that file, False leaves it to the host page. Writes ``path`` when given;
    always returns the HTML. ``density_view``: counts per period with drill-down to the
    events of a zoomed range (default: past DENSITY_THRESHOLD dated events).
    """
    plotly_tag = _plotly_tag(include_plotlyjs)
    spec, df, row_doc, docs, drill = _build(table, None, group_by, hover=False,
                                            density_view=density_view)
    dated = bool(df["start"].notna().any())
    keys = pd.Series(_xstr(df["start"]), dtype=object).fillna("")  # sort key; "" = undated
    rows = [[w, _text(t), k, _text(x), _text(s) or _text(tx), doc, key, n, _text(src), int(c)]
            for w, t, k, x, s, tx, doc, key, n, src, c in zip(
                df["words"], df["title"], df["kind"], df["expression"], df["sentence"],
                df["text"], row_doc, keys, df["n_sources"], df["sources"], df["date_conflict"])]
    payload = {"rows": rows, "docs": docs, "figure": spec if dated else None}
    if drill is not None:
        payload["drill"] = drill
    data = _script_json(payload)
    uid = "tl-" + hashlib.sha1(data.encode("utf-8")).hexdigest()[:10]  # stable: same input, same page
    parts = [f'<div class="tl-page" id="{uid}">', f"<style>{_asset('timeline.css')}</style>"]
    if title:
        parts.append(f"<h1 class=\"tl-title\">{_html_text(title)}</h1>")
    parts.append(f'<p class="tl-summary">{_html_text(_summary(df, docs, drill))}</p>')
    if dated:
        parts.append(f'<div class="tl-plot" id="{uid}-plot"></div>')
    else:
        parts.append('<p class="tl-empty">No dated events.</p>')
    if with_table and len(df):
        head = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in TABLE_HEAD)
        parts.append(
            '<section class="tl-events"><div class="tl-tools">'
            '<input type="search" class="tl-search" placeholder="Search events…" '
            'aria-label="Search events"> <span class="tl-count"></span></div>'
            f'<table class="tl-table"><thead><tr>{head}</tr></thead><tbody></tbody></table>'
            '<button type="button" class="tl-more" hidden>Show more</button>'
            "<noscript>The event table needs JavaScript.</noscript></section>")
    parts += [plotly_tag if dated else "",
              f'<script type="application/json" id="{uid}-data">{data}</script>',
              f"<script>{_asset('timeline.js')}\ntimelineInit({json.dumps(uid)});</script>",
              "</div>"]
    body = "\n".join(p for p in parts if p)
    if full_html:
        head_title = _html_text(title or "Timeline")
        html = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{head_title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
    else:
        html = body + "\n"
    if path is not None:
        atomic.write_text(path, html)  # aside, fsync, rename: never a truncated page
    return html
