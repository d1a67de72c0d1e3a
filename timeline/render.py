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

from . import atomic, density, labels
from .datewords import DAY, MONTHS, REFS, date_in_words
from .datewords import day as _day, is_midnight as _is_midnight, last_day as _last_day

REQUIRED = ("start", "end", "title")
# Optional columns and the value used when a table lacks them (a minimal DataFrame works).
OPTIONAL = {
    "granularity": None, "timex": None, "expression": None, "text": None, "sentence": None,
    "kind": "happened", "deadline": False, "doc_id": None, "source": None,
    "doc_title": None, "url": None, "published": pd.NaT,
    "n_sources": 1, "sources": None, "date_conflict": False,  # from merging (timeline.merge)
    "doc_ids": None, "role": None, "attribution": None,
}
KINDS = ("happened", "ongoing", "expected")
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
KIND_COLOURS = {"happened": "#0072B2", "ongoing": "#009E73", "expected": "#D55E00"}
PUB_COLOUR = "#555555"
LEGEND_RANK = {name: rank for rank, name in enumerate(
    [*KINDS, *(f"{k}, vague date" for k in KINDS)], start=1)}
GL_THRESHOLD = 2000   # more dated events than this: WebGL marks (SVG gets slow)
DENSITY_THRESHOLD = 20_000  # more than this: counts per period, drill-down (timeline.density)
WINDOW_SHARE = 0.9    # the opening view holds at least this share of the dated events
WINDOW_ZOOM = 4       # ... when hiding the rest zooms in at least this much
MAX_ROWS = 40         # rows of marks the figure is sized for, at most
NOMINAL_PLOT_PX = 1150  # plot width assumed by figure() (a 1280 px image); the page measures
CHAR_PX = 6.3           # average label character width at 11px
MARKER_PX = 12          # a point event's marker
SENTENCE_LIMIT = 300


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
    """``text`` in at most ``limit`` characters, cut at a word boundary when there is one
    in its second half; mirrors ``short`` in assets/timeline.js."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip() + "…"


def _host(url: str) -> str:
    """The outlet as the address names it ("www.reuters.com" -> "reuters.com")."""
    host = urlsplit(url).hostname or "" if url else ""
    return host[4:] if host.startswith("www.") else host


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
                "source", "doc_title", "url", "doc_ids", "role", "attribution"):  # plain objects: Arrow strings iterate slowly
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
            safe = _safe_url(url)  # no outlet named: the address's host says who published it
            docs.append([_text(source) or _host(safe), _text(title), safe,
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


def _window(pos: np.ndarray) -> tuple[float, float]:
    """The range the chart opens on (ns since the epoch, as floats: spans of centuries
    overflow int64): the shortest window holding 90% of the dated events, so a story of
    three months that mentions 2015 once opens on the three months. When that window
    is over a quarter of the whole, the whole: hiding events must zoom in at least
    ``WINDOW_ZOOM`` times (a week's story does not open without its first day, a
    state of emergency declared three days before the storm). "all" and the range
    slider reach the rest."""
    xs = np.sort(pos.astype(np.float64))
    n = len(xs)
    k = max(1, int(n * WINDOW_SHARE))
    lo, hi = xs[0], xs[-1]
    if k < n:
        widths = xs[k - 1:] - xs[: n - k + 1]
        i = int(widths.argmin())
        if widths[i] * WINDOW_ZOOM <= hi - lo:
            lo, hi = xs[i], xs[i + k - 1]
    pad = max((hi - lo) * 0.04, 2 * DAY.value)
    return lo - pad, hi + pad


def _priority(d: pd.DataFrame) -> list:
    """The dated rows, most important first (see ``timeline.labels``): events on the key
    dates (``summarize.key_dates``, best date first), then by outlets reporting them,
    kind, exact before vague, points before spans, earlier first."""
    day = d["start"].dt.normalize()
    key = pd.Series(0.0, index=d.index)
    if len(d) > 1 and d["doc_id"].notna().any():
        from . import summarize  # same stage as render: it reads the same table
        ev = d.assign(event_id=[f"r{i}" for i in d.index],
                      doc_ids=d["doc_ids"].where(d["doc_ids"].notna(), d["doc_id"]))
        n_key = max(3, int(math.sqrt(len(d))))
        days = summarize.key_dates(ev, None, dates=n_key)
        score = {t: n_key - j for j, t in enumerate(
            summarize.day_features(ev).loc[days, "score"].sort_values(ascending=False).index)}
        precise = d["granularity"].isin(["day", "time"]).fillna(False).astype(bool)
        key = day.map(score).fillna(0.0).where(precise, 0.0)
    kind = d["kind"].map({"happened": 0, "expected": 1, "ongoing": 2})
    span = _ns(d["end_"]).astype(np.float64) - _ns(d["start"]).astype(np.float64)
    order = pd.DataFrame({"key": -key, "n": -d["n_sources"], "kind": kind, "fuzzy": d["fuzzy"],
                          "span": span, "start": d["start"]}, index=d.index)
    return order.sort_values(list(order.columns), kind="stable").index.tolist()


def _label_text(d: pd.DataFrame) -> list[str]:
    """A short title ending on a word, the deadline and the number of outlets."""
    by = [f" (by {_day(_last_day(e))})" if dl else "" for e, dl in zip(d["end_"], d["deadline"])]
    return [labels.short_title(_text(t)) + w + (f" ({n} sources)" if n > 1 else "")
            for t, w, n in zip(d["title"], by, d["n_sources"])]


def _marks(df: pd.DataFrame, group_by: str | None, width_px: float = NOMINAL_PLOT_PX) -> dict:
    """Where each dated event goes in the opening view: x, point or bar, lane (y),
    label and its side (``timeline.labels``; the page script redoes it on zoom)."""
    d = df[df["start"].notna()].copy()
    end = d["end"].where(d["end"].notna() & (d["end"] > d["start"]), d["start"] + DAY)
    span = end - d["start"]
    d["point"] = d["granularity"].isin(["day", "time"]).fillna(False).astype(bool) | (span <= DAY)
    d["fuzzy"] = (d["granularity"] == "fuzzy").fillna(False).astype(bool) | d["timex"].isin(list(REFS))
    d["x"] = d["start"].where(~d["point"], d["start"] + span / 2)  # a day's marker sits mid-day
    d["end_"] = end
    d["label"] = _label_text(d)
    if group_by:
        key = df.loc[d.index, group_by].astype(object).map(_text).replace("", "(none)")
        groups = list(dict.fromkeys(key))
    else:
        key = pd.Series("", index=d.index)
        groups = [""]
    d["band"] = key.map({g: i for i, g in enumerate(groups)}).astype(int)
    order = _priority(d)
    lo_v, hi_v = _window(_ns(d["x"].where(d["point"], d["start"])))
    ns_per_px = max(hi_v - lo_v, DAY.value) / width_px
    s = (_ns(d["start"]).astype(np.float64) - lo_v) / ns_per_px
    e = (_ns(end).astype(np.float64) - lo_v) / ns_per_px
    x = (_ns(d["x"]).astype(np.float64) - lo_v) / ns_per_px
    r = MARKER_PX / 2 + 1
    point = d["point"].to_numpy()
    x0 = np.where(point, x - r, s)
    x1 = np.where(point, x + r, e)
    widths = np.array([len(t) * CHAR_PX + 2 * labels.PAD_PX for t in d["label"]])
    pos = {i: n for n, i in enumerate(d.index)}
    in_view = (e > 0.5) & (s < width_px - 0.5)  # mirrors arrange in assets/timeline.js
    seen = [pos[i] for i in order if in_view[pos[i]]]
    rest = [pos[i] for i in order if not in_view[pos[i]]]
    rows, sides, used, forced = labels.place(x0, x1, widths, d["band"].to_numpy(), seen, len(groups),
                                     width_px, MAX_ROWS)
    extra, _, _, _ = labels.place(x0, x1, np.zeros(len(d)), d["band"].to_numpy(), rest,
                               len(groups), width_px, MAX_ROWS)
    bands, offset = [], 0  # (group, first lane, lanes)
    for g, n in zip(groups, used):
        bands.append((g, offset, n))
        offset += n + (1 if group_by else 0)  # a spacer lane between groups
    first = [b[1] for b in bands]
    band = d["band"].to_numpy()
    d["y"] = [first[band[n]] + min(rows.get(n, extra.get(n, 0)), used[band[n]] - 1)
              for n in range(len(d))]
    d["side"] = [sides.get(n, labels.NONE) for n in range(len(d))]
    hidden = int((~in_view).sum())
    view = (pd.Timestamp(int(max(lo_v, pd.Timestamp.min.value))),
            pd.Timestamp(int(min(hi_v, pd.Timestamp.max.value))))
    return {"d": d, "bands": bands, "lanes": offset - (1 if group_by else 0), "view": view,
            "hidden": hidden, "order": order, "ns_per_px": ns_per_px, "crowded": bool(forced)}


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
    if _provenance(row.role, row.attribution):
        lines.append(_esc(_provenance(row.role, row.attribution)))
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
    src = doc[0] or "unknown outlet"
    return f"{src}, published {doc[3]}" if doc[3] else src


def _provenance(role, attribution) -> str:
    """What the mention is (an event, a report, a statement...) and who it is
    attributed to; mirrors ``provenance`` in assets/timeline.js."""
    parts = [f"role: {_text(role)}" if _text(role) else "",
             f"attributed to {_short(_text(attribution), 80)}" if _text(attribution) else ""]
    return " · ".join(p for p in parts if p)


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


def _labels(d: pd.DataFrame, lo_v: pd.Timestamp, crowded: bool) -> list[dict]:
    """Event labels as annotations, not trace text: trace text would be drawn again,
    illegibly, in the range slider. ``name`` carries the row for click-to-open; the
    side comes from ``labels.place`` (mirrored by ``arrange`` in assets/timeline.js)."""
    out = []
    r_px = MARKER_PX / 2 + 1
    shown = d[d["side"] != labels.NONE]
    for i, r in zip(shown.index, shown.itertuples()):
        inside = r.side == labels.INSIDE
        light = inside and r.kind != "expected" and not r.fuzzy
        if inside:
            x, anchor, shift = max(r.start, lo_v), "left", labels.GAP_PX + 1
        elif r.side == labels.RIGHT:
            x, anchor, shift = (r.x, "left", r_px + labels.GAP_PX) if r.point else \
                (r.end_, "left", labels.GAP_PX)
        else:
            x, anchor, shift = (r.x, "right", -r_px - labels.GAP_PX) if r.point else \
                (r.start, "right", -labels.GAP_PX)
        out.append(dict(
            x=_iso(x), y=r.y, xref="x", yref="y", text=_esc(r.label), showarrow=False,
            xanchor=anchor, xshift=shift, name=f"row{i}", captureevents=True,
            font=dict(size=11, color="white" if light else "#222"),
            # hatched / pale bars, or a crowd of marks: a backing keeps the label legible
            bgcolor="rgba(255,255,255,0.85)" if (inside and not light) or (crowded and not inside)
            else None))
    return out


PUB_CHARS = 18  # an outlet's name under its publication mark


def _pub_trace(docs: list[list], y: float, hover: bool, ns_per_px: float):
    """The articles' publication marks on the bottom row; outlet names on two lines
    where they have room (``pubText`` in assets/timeline.js redoes it on zoom)."""
    idx = [i for i, doc in enumerate(docs) if doc[4]]
    if not idx:
        return None, []
    x = [_mid_day(pd.Timestamp(docs[i][4])) for i in idx]
    order = sorted(range(len(idx)), key=x.__getitem__)
    text = [""] * len(idx)
    free = [-math.inf, -math.inf]  # two label lines; a crowded date drops to the second
    for j in order:  # label an article only where it has room
        name = _short(docs[idx[j]][0] or docs[idx[j]][1], PUB_CHARS)
        at = x[j].value / ns_per_px
        half = len(name) * 5.8 / 2 + 4
        for level in (0, 1):
            if name and at - half >= free[level]:
                text[j] = "<br>" * level + _esc(name)
                free[level] = at + half
                break
    trace = _trace(
        "scatter", x=[_iso(t).replace(" 00:00:00", "") for t in x], y=[y] * len(idx), name="published",
        customdata=idx, meta={"role": "pub"}, mode="markers+text", text=text,
        textposition="bottom center", textfont=dict(size=10, color=PUB_COLOUR), cliponaxis=False,
        marker=dict(symbol="triangle-up", size=10, color=PUB_COLOUR), legendrank=100,
        hovertext=[_hover_doc(docs[i]) for i in idx] if hover else None,
        hovertemplate="%{hovertext}<extra></extra>")
    return trace, sorted(set(x))


def _xaxis(lo: pd.Timestamp, hi: pd.Timestamp, static: bool = False, **extra) -> dict:
    """The date axis opened on [lo, hi], with its range slider (showing everything) and
    range buttons; a static image gets neither (they do nothing on paper)."""
    axis = dict(type="date", range=[_iso(lo), _iso(hi)], showgrid=True, gridcolor="#eee",
                linecolor="#999", ticks="outside", showline=True, **extra)
    if static:
        return axis
    return dict(
        axis, rangeslider=dict(visible=True, thickness=0.06, bgcolor="#fafafa",
                               bordercolor="#ccc", borderwidth=1, autorange=True),
        rangeselector=dict(x=0, y=1.0, yanchor="bottom", bgcolor="#f0f0f0",
                           activecolor="#cfe3f3", font=dict(size=11), buttons=[
            dict(count=1, label="1m", step="month", stepmode="backward"),
            dict(count=6, label="6m", step="month", stepmode="backward"),
            dict(count=1, label="1y", step="year", stepmode="backward"),
            dict(step="all", label="all")]))


LEGEND_PX = 26  # one line of legend; the page script makes room when it wraps


def _base_layout(title: str | None, height: int, left: int, static: bool = False) -> dict:
    # the legend on top of the figure, the range buttons under it at the plot's top
    # left: they never share a line, however narrow the page (the legend wraps)
    top = _top_px(title, static)
    return dict(
        title=dict(text=_esc(title), x=0.01, xanchor="left", y=1, yref="container",
                   yanchor="top", pad=dict(t=8)) if title else None,
        height=height, margin=dict(l=left, r=24, t=top, b=36),
        font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=12,
                  color="#222"),
        plot_bgcolor="white", paper_bgcolor="white", hovermode="closest", dragmode="zoom",
        hoverlabel=dict(align="left", bgcolor="white", font=dict(size=12, color="#222"),
                        namelength=-1),
        legend=dict(orientation="h", x=0, xanchor="left", yref="container",
                    y=1 if not title else 1 - 36 / height, yanchor="top", font=dict(size=12)))


def _layout(m: dict, group_by: str | None, title: str | None, static: bool) -> dict:
    lanes = m["lanes"]
    pub_y = lanes + 0.6
    height = int(min(1100, max(380, _chrome_px(title, static) + labels.ROW_PX * (lanes + 1.9))))
    if group_by:
        tickvals = [off + (n - 1) / 2 for _, off, n in m["bands"]] + [pub_y]
        ticktext = [_esc(_short(g, 22)) for g, _, _ in m["bands"]] + ["published"]
        left = int(min(180, 24 + CHAR_PX * max(len(t) for t in ticktext)))
    else:
        tickvals, ticktext, left = [pub_y], ["published"], 72
    shapes = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=off - 1, y1=off - 1,
                   line=dict(color="#ddd", width=1)) for _, off, _ in m["bands"][1:]]
    return dict(
        _base_layout(title, height, left, static), barmode="overlay", bargap=0,
        xaxis=_xaxis(*m["view"], static=static),
        # reversed: first lane on top; room under the publication row for two label lines
        yaxis=dict(range=[pub_y + PUB_ROWS, -0.7], fixedrange=True, showgrid=False,
                   zeroline=False, tickvals=tickvals, ticktext=ticktext, ticks=""),
        shapes=shapes,
    )


PUB_ROWS = 1.3  # rows under the publication marks, for two lines of outlet names


def _top_px(title: str | None, static: bool) -> int:
    """The top margin: title, legend, range buttons (an image: the "outside" note's line)."""
    return LEGEND_PX + (18 if static else 30) + (36 if title else 0) + 8


def _chrome_px(title: str | None, static: bool) -> float:
    """Figure height that is not rows: the top margin, the date axis and the range
    slider (as Plotly lays them out at the page's sizes)."""
    return _top_px(title, static) + 36 + (0 if static else 91)


def _density(df: pd.DataFrame, title: str | None, group_by: str | None, page: bool,
             static: bool = False):
    """(figure spec, drill payload): counts per period and lane over a detail panel."""
    d = df[df["start"].notna()]
    end = d["end"].where(d["end"].notna() & (d["end"] > d["start"]), d["start"] + DAY)
    lo, hi = _window(_ns(d["start"]))
    view = (pd.Timestamp(int(max(lo, pd.Timestamp.min.value))),
            pd.Timestamp(int(min(hi, pd.Timestamp.max.value))))
    traces, parts, drill = density.build(
        d, end, group_by, kinds=KINDS, kind_colours=KIND_COLOURS, esc=_esc, text=_text,
        xstr=_xstr, short=_short)
    if not page:  # go.Figure in a notebook: no page script to fill the detail panel
        parts["annotations"][0]["text"] = (
            f"{len(d):,} events: the HTML page (to_html) draws them one by one when zoomed in")
    left = int(min(180, 24 + CHAR_PX * max(len(t) for t in parts["yaxis2"]["ticktext"])))
    layout = dict(_base_layout(title, 720, max(72, left), static),
                  xaxis=_xaxis(*view, static=static, anchor="y2"), **parts)
    return _spec(traces, layout), drill


def _all_words(df: pd.DataFrame) -> list[str]:
    """``date_in_words`` per row, computed once per distinct interval (news repeats them)."""
    cols = ["start", "end", "granularity", "timex", "deadline"] + (
        ["published"] if "published" in df else [])  # ("recent weeks" or "coming weeks")
    codes = df.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    first = pd.Series(range(len(df))).groupby(codes).first()
    sub = df[cols].iloc[first.to_numpy()]
    args = zip(*(sub[c].tolist() for c in cols))
    words = {c: date_in_words(*a) for c, a in zip(first.index.tolist(), args)}
    return [words[c] for c in codes.tolist()]


def _build(table: pd.DataFrame, title: str | None, group_by: str | None, hover: bool,
           density_view: bool | None = None, static: bool = False):
    """(figure, normalised frame, row -> doc index, docs, drill payload or None, marks
    payload or None). ``hover=False`` leaves hover text to the page script (``to_html``);
    the marks payload is what that script needs to redo ``labels.place`` on zoom.
    ``density_view``: None = past DENSITY_THRESHOLD dated events. ``static``: no range
    slider or buttons (an image)."""
    df = _frame(table, group_by)
    row_doc, docs = _docs(df)
    df["words"] = _all_words(df)
    dated = int(df["start"].notna().sum())
    if dated and (density_view or (density_view is None and dated > DENSITY_THRESHOLD)):
        spec, drill = _density(df, title, group_by, page=not hover, static=static)
        return spec, df, row_doc, docs, drill, None
    if not dated:
        layout = dict(title=dict(text=_esc(title)) if title else None, height=300,
                      xaxis=dict(visible=False), yaxis=dict(visible=False),
                      plot_bgcolor="white", paper_bgcolor="white",
                      annotations=[dict(text="no dated events", showarrow=False,
                                        xref="paper", yref="paper", x=0.5, y=0.5,
                                        font=dict(size=16, color="#666"))])
        return _spec([], layout), df, row_doc, docs, None, None
    m = _marks(df, group_by)
    d, lanes = m["d"], m["lanes"]
    hover_text = None
    if hover:
        cols = d[["words", "kind", "title", "expression", "sentence", "text", "n_sources",
                  "sources", "date_conflict", "role", "attribution"]]
        hover_text = {i: _hover_event(r, docs[row_doc[i]]) for i, r in zip(d.index, cols.itertuples())}
    traces = _event_traces(d, hover_text, MARKER_PX, labels.ROW_PX)
    pub, pub_x = _pub_trace(docs, lanes + 0.6, hover, m["ns_per_px"])
    layout = _layout(m, group_by, title, static)
    layout["annotations"] = _labels(d, m["view"][0], m["crowded"])
    if 0 < len(pub_x) <= 12:  # faint guides: what was reported before / after each article
        layout["shapes"] += [dict(type="line", xref="x", yref="paper", x0=_iso(x), x1=_iso(x),
                                  y0=0, y1=1, layer="below",
                                  line=dict(color="#bbb", width=1, dash="dot")) for x in pub_x]
    n = m["hidden"]
    layout["annotations"].append(dict(
        name="tl-hidden", text=_hidden_note(n), visible=bool(n), showarrow=False,
        xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
        xshift=0 if static else 150, yshift=4, font=dict(size=11, color="#666")))
    ms = lambda ts: (_ns(ts) // 1_000_000).tolist()  # noqa: E731
    at = d.loc[m["order"]]
    marks = {"row": at.index.tolist(), "start": ms(at["start"]), "end": ms(at["end_"]),
             "x": ms(at["x"]), "point": at["point"].astype(int).tolist(),
             "label": [_esc(t) for t in at["label"]], "band": at["band"].tolist(),
             "light": [int(k != "expected" and not f) for k, f in zip(at["kind"], at["fuzzy"])],
             "bands": [_esc(_short(g, 22)) for g, _, _ in m["bands"]] if group_by else None,
             "marker": MARKER_PX, "rowMin": labels.ROW_MIN_PX, "gap": labels.GAP_PX,
             "pad": labels.PAD_PX, "maxLabels": labels.MAX_LABELS, "pubRows": PUB_ROWS,
             "pubChars": PUB_CHARS, "chrome": _chrome_px(title, static),
             "top": _top_px(title, static)}
    spec = _spec(traces + ([pub] if pub is not None else []), layout)
    return spec, df, row_doc, docs, None, marks


def _hidden_note(n: int) -> str:
    """Mirrors ``hiddenNote`` in assets/timeline.js."""
    return f"{n} event{'s' * (n != 1)} outside this view: press “all”" if n else ""


def _spec(data: list[dict], layout: dict) -> dict:
    """The figure as plain data, with an empty template: the page and ``go.Figure`` look
    alike (plotly.py's default template can't sneak in on one side) and the JSON stays small."""
    layout = {k: v for k, v in layout.items() if v is not None}
    return {"data": data, "layout": {"template": {}, **layout}}


def figure(table: pd.DataFrame, *, title: str | None = None,
           group_by: str | None = None, density_view: bool | None = None,
           static: bool = False) -> go.Figure:
    """The timeline as a Plotly figure: one mark per dated event (bar for spans longer
    than a day, marker otherwise), lanes by ``group_by`` or packed so labels don't collide,
    publication dates on a bottom row. Undated rows are not plotted. Past
    DENSITY_THRESHOLD dated events (or with ``density_view=True``): events per period
    and lane instead (``timeline.density``). ``static=True``: for an image, without
    the range slider and buttons. No ``title``: :func:`default_title` ("" for none)."""
    if title is None:
        title = default_title(table)
    spec = _build(table, title, group_by, hover=True, density_view=density_view,
                  static=static)[0]
    for trace in spec["data"]:  # numpy arrays: plotly.py validates long lists item by item
        for key in ("x", "y", "base", "customdata", "hovertext"):
            if isinstance(trace.get(key), list) and len(trace[key]) > 1000:
                trace[key] = np.array(trace[key], dtype=object)
    return go.Figure(spec)


# ---------------------------------------------------------------- page

TABLE_HEAD = ("Date", "Event", "Kind", "Role", "Phrase", "Sentence", "Attributed to", "Source",
              "Published")
TITLE_WORDS = 3       # the default title names at most this many common headline words
TITLE_SHARE = 0.4     # ... each in at least this share of the headlines


def default_title(table: pd.DataFrame, lang: str = "en") -> str:
    """A title from the inputs: "Timeline of N articles", with the words most of their
    headlines share when there are some ("Timeline of 28 articles: drones, Iran,
    Russia"); stop words come from the language pack."""
    if not isinstance(table, pd.DataFrame) or "doc_id" not in table.columns:
        n_docs = 0
    else:
        n_docs = int(table["doc_id"].dropna().nunique())
    if not n_docs:
        return f"Timeline of {len(table) if isinstance(table, pd.DataFrame) else 0} events"
    base = f"Timeline of {n_docs} article{'s' * (n_docs != 1)}"
    if "doc_title" not in table.columns or n_docs < 2:
        return base
    from . import lang as lang_pack
    stop = {w.lower() for w in lang_pack.load(lang).merge["words"]["stop"]}
    heads = table.drop_duplicates("doc_id")["doc_title"].dropna().astype(str).tolist()
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    pairs: dict[tuple[str, str], int] = {}  # one word right after another
    for head in heads:
        found = re.findall(r"[^\W\d_][\w'’-]*[^\W_]", head)
        for word in dict.fromkeys(found):
            low = word.lower()
            if low in stop or len(low) < 3:
                continue
            counts[low] = counts.get(low, 0) + 1
            spelled.setdefault(low, word)
        for a, b in dict.fromkeys(zip((w.lower() for w in found), (w.lower() for w in found[1:]))):
            pairs[a, b] = pairs.get((a, b), 0) + 1
    need = max(2, math.ceil(TITLE_SHARE * len(heads)))
    common = sorted((w for w, c in counts.items() if c >= need), key=lambda w: -counts[w])
    # a word always followed by the same word makes a name with it ("Pine Valley";
    # "Hurricane Mara", though "Mara" also stands alone: the name says it too)
    after = {a: b for (a, b), c in pairs.items()
             if a in counts and b in counts and c == counts[a] <= counts[b] and c >= need}
    inside = set(after.values())
    words = []
    for w in common:
        if w in inside:
            continue
        name = [w]
        while name[-1] in after and len(name) < 4:
            name.append(after[name[-1]])
        words.append(" ".join(spelled[x] for x in name))
    words = words[:TITLE_WORDS]
    return f"{base}: {', '.join(words)}" if words else base


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
    if title is None:
        title = default_title(table)
    spec, df, row_doc, docs, drill, marks = _build(table, None, group_by, hover=False,
                                                   density_view=density_view)
    dated = bool(df["start"].notna().any())
    keys = pd.Series(_xstr(df["start"]), dtype=object).fillna("")  # sort key; "" = undated
    rows = [[w, _text(t), k, _text(x), _text(s) or _text(tx), doc, key, n, _text(src), int(c),
             _text(role), _text(by)]
            for w, t, k, x, s, tx, doc, key, n, src, c, role, by in zip(
                df["words"], df["title"], df["kind"], df["expression"], df["sentence"],
                df["text"], row_doc, keys, df["n_sources"], df["sources"], df["date_conflict"],
                df["role"], df["attribution"])]
    payload = {"rows": rows, "docs": docs, "figure": spec if dated else None}
    if drill is not None:
        payload["drill"] = drill
    if marks is not None:
        payload["marks"] = marks
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
            f'<div class="tl-scroll"><table class="tl-table"><thead><tr>{head}</tr></thead><tbody></tbody></table></div>'
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
