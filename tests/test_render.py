"""render.py without a browser: dates in words, the figure's marks, escaping, the page."""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

try:
    from tests.browser import make_table, sample_table, synthetic_table
except ImportError:  # plain `pytest`: tests/ itself is on sys.path
    from browser import make_table, sample_table, synthetic_table
from timeline import labels, render
from timeline.render import date_in_words, figure, to_html

T = pd.Timestamp
ALLOWED_TAGS = re.compile(r"</?(b|i|br)>")


@pytest.mark.parametrize("start, end, granularity, timex, deadline, expected", [
    ("2022-09-01", "2022-10-01", "month", "2022-09", False, "September 2022"),
    ("2022-11-01", "2022-11-02", "day", "2022-11-01", False, "1 Nov 2022"),
    ("2015-01-01", "2016-01-01", "year", "2015", False, "the year 2015"),
    ("2022-10-13", "2022-10-21", "fuzzy", "PAST_REF", False, "about 13–20 Oct 2022 (recent days)"),
    ("2022-09-20", "2022-10-21", "fuzzy", "PAST_REF", False,
     "about 20 Sep – 20 Oct 2022 (recent weeks)"),
    ("2022-11-04", "2022-11-11", "fuzzy", "FUTURE_REF", False, "about 4–10 Nov 2022 (coming days)"),
    ("2022-11-03", "2023-01-01", "year", "2022", True, "by 31 Dec 2022"),
    ("2022-11-03", "2022-12-01", "month", "2022-11", True, "by 30 Nov 2022"),
    ("2022-10-31", "2022-11-07", "week", "2022-W44", False, "the week of 31 Oct 2022"),
    ("2022-07-01", "2022-10-01", "quarter", "2022-Q3", False, "Q3 2022"),
    ("2023-01-01", "2023-07-01", "half", "2023-H1", False, "the first half of 2023"),
    ("2022-06-01", "2022-09-01", "season", "2022-SU", False, "summer 2022"),
    ("2010-01-01", "2020-01-01", "decade", "201", False, "the 2010s"),
    ("1900-01-01", "2000-01-01", "century", "19", False, "the 20th century"),
    ("2022-11-01 14:30", "2022-11-01 14:31", "time", "2022-11-01T14:30", False, "1 Nov 2022, 14:30"),
    ("2022-10-01", "2022-10-11", "day", None, False, "1–10 Oct 2022"),
    ("2022-09-01", "2022-12-01", "month", None, False, "September – November 2022"),
    ("2022-12-28", "2023-01-04", None, None, False, "28 Dec 2022 – 3 Jan 2023"),
    ("2015-01-01", "2018-01-01", "year", None, False, "2015–2017"),
    (None, None, None, "P3M", False, "undated"),
])
def test_date_in_words(start, end, granularity, timex, deadline, expected):
    s = None if start is None else T(start)
    e = None if end is None else T(end)
    assert date_in_words(s, e, granularity, timex, deadline) == expected


def test_date_in_words_accepts_nat_and_na():
    assert date_in_words(pd.NaT, pd.NaT, pd.NA, pd.NA, pd.NA) == "undated"
    assert date_in_words(T("2022-11-01"), pd.NaT, pd.NA, pd.NA, False) == "1 Nov 2022"


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=pd.Timestamp("1800-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2200-01-01").to_pydatetime()),
       st.integers(0, 10**7), st.sampled_from(["time", "day", "week", "month", "quarter", "half",
                                              "season", "year", "decade", "century", "fuzzy", None]),
       st.sampled_from([None, "PAST_REF", "FUTURE_REF", "PRESENT_REF", "2022-SU"]), st.booleans())
def test_date_in_words_never_fails(start, minutes, granularity, timex, deadline):
    s = T(start)
    words = date_in_words(s, s + pd.Timedelta(minutes=minutes), granularity, timex, deadline)
    assert isinstance(words, str) and words and words != "undated"


# ---------------------------------------------------------------- figure

def event_marks(fig: go.Figure) -> list[int]:
    """The table rows plotted, one entry per mark (segments count once)."""
    rows: list[int] = []
    for t in fig.data:
        if (t.meta or {}).get("role") != "events":
            continue
        cd = list(t.customdata)
        if t.type == "scattergl" and t.mode == "lines":
            cd = cd[0::3]  # start, end, gap per range
        rows += [int(c) for c in cd]
    return rows


def test_one_mark_per_dated_event():
    table = sample_table()
    fig = figure(table)
    rows = event_marks(fig)
    assert sorted(rows) == list(range(int(table["start"].notna().sum())))


def test_points_are_markers_and_ranges_are_bars():
    fig = figure(sample_table())
    by_type = {}
    for t in fig.data:
        if (t.meta or {}).get("role") == "events":
            by_type.setdefault(t.type, 0)
            by_type[t.type] += len(t.customdata)
    # 3 day events as markers, 5 spans (month, year, quarter, fuzzy window, deadline) as bars
    assert by_type == {"scatter": 3, "bar": 5}
    for t in fig.data:
        if t.type == "bar":
            assert all(x > 0 for x in t.x)  # never zero-width


def test_styles_distinguish_expected_and_vague():
    fig = figure(sample_table())
    names = {t.name for t in fig.data if t.showlegend is not False}
    assert {"happened", "expected", "ongoing", "happened, vague date", "published"} <= names
    expected_bar = next(t for t in fig.data if t.name == "expected" and t.type == "bar")
    assert expected_bar.marker.pattern.shape == "/"
    expected_pt = next(t for t in fig.data if t.name == "expected" and t.type == "scatter")
    assert expected_pt.marker.color == "white"  # hollow
    vague = next(t for t in fig.data if t.name == "happened, vague date")
    assert "0.28" in vague.marker.color  # lighter than exact spans


def test_deadline_label_and_hover():
    fig = figure(sample_table())
    labels = [a.text for a in fig.layout.annotations]
    assert "Deal to be signed (by 31 Dec 2022)" in labels
    hover = " ".join(h for t in fig.data if t.hovertext is not None for h in t.hovertext if h)
    assert "by 31 Dec 2022 (expected)" in hover
    assert "about 13–20 Oct 2022 (recent days)" in hover
    assert "“in September”" in hover and "Reuters, published 3 Nov 2022" in hover


def test_publication_dates_marked():
    fig = figure(sample_table())
    pub = next(t for t in fig.data if (t.meta or {}).get("role") == "pub")
    assert len(pub.x) == 3
    assert "Reuters" in pub.text and "AP" in pub.text


def test_axis_controls():
    fig = figure(sample_table(), title="T")
    xa = fig.layout.xaxis
    assert xa.type == "date" and xa.rangeslider.visible
    assert [b.label for b in xa.rangeselector.buttons] == ["1m", "6m", "1y", "all"]
    assert fig.layout.title.text == "T"


def test_outlier_outside_initial_view_is_announced():
    fig = figure(sample_table())
    lo = T(fig.layout.xaxis.range[0])
    assert T("2022-08-01") < lo < T("2022-09-01")  # opens on the 2022 story, not 2015
    assert any("outside this view" in (a.text or "") for a in fig.layout.annotations)


def test_a_vague_duration_says_recent_or_coming_by_its_publication():
    """"in recent weeks" is PXW (TimeML), its window ending on the article's day."""
    assert date_in_words("2022-10-07", "2022-11-04", "fuzzy", "PXW", False,
                         "2022-11-03") == "about 7 Oct – 3 Nov 2022 (recent weeks)"
    assert date_in_words("2022-11-03", "2022-12-01", "fuzzy", "PXW", False,
                         "2022-11-03") == "about 3–30 Nov 2022 (coming weeks)"
    assert date_in_words("2022-11-03", "2022-12-01", "fuzzy", "PXW") == "about 3–30 Nov 2022"


def test_a_short_story_opens_with_its_first_day():
    """Hiding the earliest of a week's events would zoom in only twice: not worth it."""
    from timeline import render
    days = ["2026-10-05"] + ["2026-10-07"] * 3 + ["2026-10-08"] * 5 + ["2026-10-09"] * 4
    lo, hi = render._window(np.array([T(d).value for d in days]))
    assert lo < T("2026-10-05").value
    days = ["2015-06-01"] + ["2022-09-01"] * 6 + ["2022-10-01"] * 6  # 2015: far away
    lo, hi = render._window(np.array([T(d).value for d in days]))
    assert lo > T("2022-01-01").value


def test_group_by_lanes():
    fig = figure(sample_table(), group_by="source")
    assert list(fig.layout.yaxis.ticktext) == ["Reuters", "AP", "Local Herald", "published"]


def test_default_lanes_do_not_overlap():
    fig = figure(sample_table())
    spans = []
    for t in fig.data:
        if (t.meta or {}).get("role") == "events":
            spans += list(zip(t.y, t.customdata))
    ys = [y for y, _ in spans]
    assert len(set(ys)) > 1  # stacked, not one crowded row


def test_webgl_past_threshold():
    fig = figure(synthetic_table(2500, n_docs=50))
    types = {t.type for t in fig.data if (t.meta or {}).get("role") == "events"}
    assert types == {"scattergl"}
    assert sorted(event_marks(fig)) == list(range(2500))
    # labels at every size, but never more than the SVG layer handles quickly
    labelled = [a for a in fig.layout.annotations if (a.name or "").startswith("row")]
    assert 20 <= len(labelled) <= labels.MAX_LABELS


def test_missing_columns_named():
    with pytest.raises(ValueError, match="start, title"):
        figure(pd.DataFrame({"end": [T("2022-01-01")]}))
    with pytest.raises(ValueError, match="'nope'"):
        figure(sample_table(), group_by="nope")
    with pytest.raises(ValueError, match="kind"):
        figure(make_table([dict(start="2022-01-01", end="2022-01-02", title="x", kind="maybe")]))
    with pytest.raises(TypeError):
        figure([1, 2])


def test_minimal_frame_works():
    df = pd.DataFrame({"start": ["2022-01-01", "2022-03-01"], "end": ["2022-01-02", "2022-04-01"],
                       "title": ["a", "b"]})
    assert sorted(event_marks(figure(df))) == [0, 1]
    assert "<html" in to_html(df, include_plotlyjs=False)


def test_empty_table():
    empty = make_table([])
    fig = figure(empty)
    assert fig.layout.annotations[0].text == "no dated events"
    html = to_html(empty, include_plotlyjs=False)
    assert "No dated events" in html and html.startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- escaping

EVIL = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
        "it's & <b>bold</b>", "</script><!--"]


def evil_table() -> pd.DataFrame:
    rows = []
    for i, s in enumerate(EVIL):
        rows.append(dict(start="2022-11-01", end="2022-11-02", granularity="day", title=s,
                         text=s, sentence=s, expression=s, kind="happened", source=s,
                         doc_title=s, doc_id=f"d{i}", url="javascript:alert(1)",
                         published="2022-11-03"))
    return make_table(rows)


def test_esc_and_urls():
    assert render._esc('<a href="x">&\'') == "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"
    assert render._safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "http:/x",
                "//evil.com", "java\tscript:alert(1)", "vbscript:x", "", None, pd.NA]:
        assert render._safe_url(bad) == ""


def test_figure_text_is_escaped():
    fig = figure(evil_table(), group_by="source", title="<script>t</script>")
    texts = [fig.layout.title.text, *fig.layout.yaxis.ticktext, *(a.text for a in fig.layout.annotations)]
    for t in fig.data:
        texts += [h for h in (t.hovertext or ()) if h] + [x for x in (t.text or ()) if x] + [t.name]
    for text in texts:
        assert "<" not in ALLOWED_TAGS.sub("", text), text
        assert '"' not in text


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_text_is_escaped(s):
    table = make_table([dict(start="2022-11-01", end="2022-11-02", granularity="day", title=s,
                             sentence=s, expression=s, kind="happened", source=s, doc_id="d",
                             published="2022-11-03")])
    fig = figure(table, group_by="source")
    hovers = [h for t in fig.data for h in (t.hovertext or ()) if h]
    assert len(hovers) >= 2  # the event's card and the article's
    for h in hovers:
        assert "<" not in ALLOWED_TAGS.sub("", h)
    html = to_html(table, include_plotlyjs=False, title=s)
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0]
    assert json.loads(blocks[0])["rows"][0][1] == s


def test_page_embeds_data_safely():
    html = to_html(evil_table(), include_plotlyjs=False, title="<script>alert(1)</script>")
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and "<svg onload" not in html
    assert "javascript:alert" not in html  # unsafe urls are dropped, not just escaped
    data = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1)
    payload = json.loads(data)
    assert payload["rows"][0][1] in EVIL  # raw text survives the round trip
    assert payload["docs"] and all(doc[2] == "" for doc in payload["docs"])


# ---------------------------------------------------------------- page

def test_to_html_writes_and_returns(tmp_path):
    out = tmp_path / "t.html"
    html = to_html(sample_table(), out, title="Geneva")
    assert out.read_text(encoding="utf-8") == html
    assert "<title>Geneva</title>" in html and "Plotly.newPlot" in html
    assert 'class="tl-search"' in html and "<table" in html


def test_include_plotlyjs_modes():
    inline = to_html(sample_table())
    cdn = to_html(sample_table(), include_plotlyjs="cdn")
    none = to_html(sample_table(), include_plotlyjs=False)
    assert len(inline) > 3_000_000
    assert re.search(r'<script src="https://cdn\.plot\.ly/plotly-[\d.]+\.min\.js"', cdn)
    assert len(cdn) < 60_000 and len(none) < len(cdn)  # small apart from plotly.js
    with pytest.raises(ValueError):
        to_html(sample_table(), include_plotlyjs="maybe")


def test_fragment_and_without_table():
    frag = to_html(sample_table(), include_plotlyjs="cdn", full_html=False)
    assert "<html" not in frag and frag.startswith('<div class="tl-page"')
    assert 'class="tl-plot"' in frag
    bare = to_html(sample_table(), include_plotlyjs=False, with_table=False)
    assert "<table" not in bare


def test_page_is_deterministic():
    assert to_html(sample_table(), include_plotlyjs=False) == to_html(sample_table(), include_plotlyjs=False)


def test_page_carries_text_once():
    table = sample_table()
    html = to_html(table, include_plotlyjs=False)
    sentence = "Talks stalled in September after both sides walked out."
    assert html.count(sentence) == 1


def test_merged_rows_show_their_sources_and_conflicts():
    table = make_table([
        dict(start="2022-09-23", end="2022-09-24", title="Ukraine downgrades ties",
             n_sources=3, sources="Reuters; AP; Interfax", date_conflict=True),
        dict(start="2022-10-20", end="2022-10-21", title="Lone report"),
    ])
    fig = figure(table)
    cards = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    merged = next(c for c in cards if "downgrades" in c)
    assert "reported by 3 sources: Reuters, AP, Interfax" in merged
    assert "do not agree" in merged
    assert not any("reported by" in c for c in cards if "Lone" in c)
    labels = [a.text for a in fig.layout.annotations]
    assert any(t.endswith("(3 sources)") for t in labels)
    # the page carries the same facts for its script (and its table)
    data = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>',
                                to_html(table), re.S).group(1))
    row = next(r for r in data["rows"] if r[1] == "Ukraine downgrades ties")
    assert row[7:] == [3, "Reuters; AP; Interfax", 1, "", ""]


# ---------------------------------------------------------------- labels, opening view, defaults

def test_short_titles_end_on_a_word():
    assert labels.short_title("Russia picked up Mohajer-6 drones from Iran in August") == \
        "Russia picked up Mohajer-6…"
    assert labels.short_title("Short title") == "Short title"
    assert labels.short_title("x" * 50).endswith("…") and len(labels.short_title("x" * 50)) <= 30
    assert render._short("made in Iran and shipped", 12) == "made in…"


def test_place_never_overlaps_and_prefers_the_important():
    import random
    rng = random.Random(3)
    n = 300
    x0 = [rng.uniform(-50, 1000) for _ in range(n)]
    x1 = [a + rng.choice([14, 14, 14, rng.uniform(20, 400)]) for a in x0]
    widths = [rng.uniform(60, 200) for _ in range(n)]
    order = list(range(n))
    rows, sides, used, forced = labels.place(x0, x1, widths, [0] * n, order, 1, 1000, 25)
    assert forced  # the test covers marks without room too: they claim no space
    boxes = {}
    for i in order:
        side = sides[i]
        if side == labels.RIGHT:
            box = (x0[i], min(x1[i], 1000) + labels.GAP_PX + widths[i])
        elif side == labels.LEFT:
            box = (max(x0[i], 0) - labels.GAP_PX - widths[i], x1[i])
        else:
            box = (x0[i], x1[i])
        if side == labels.RIGHT:  # the label itself stays on the plot
            assert box[1] <= 1000
        elif side == labels.LEFT:
            assert box[0] >= 0
        if i not in forced:
            boxes.setdefault(rows[i], []).append((box, side != labels.NONE))
    for row in boxes.values():  # no label touches another label or mark in its row
        for j, (a, lab_a) in enumerate(row):
            for b, lab_b in row[j + 1:]:
                if lab_a or lab_b:
                    assert a[1] <= b[0] or b[1] <= a[0]
    assert used[0] <= 25
    first = [i for i in order[:20]]
    assert sum(sides[i] != labels.NONE for i in first) >= 15  # the important ones first


def test_opening_view_is_the_dense_stretch():
    story = [dict(start=f"2022-10-{d:02d}", end=f"2022-10-{d + 1:02d}", granularity="day",
                  title=f"Event {d}", doc_id="a", published="2022-11-01") for d in range(1, 29)]
    far = [dict(start="2015-03-01", end="2015-03-02", granularity="day", title="Old", doc_id="a",
                published="2022-11-01"),
           dict(start="2025-01-01", end="2025-01-02", granularity="day", title="New", doc_id="a",
                published="2022-11-01")]
    fig = figure(make_table(story + far))
    lo, hi = (T(v) for v in fig.layout.xaxis.range)
    assert T("2022-09-20") < lo < T("2022-10-01") and T("2022-10-28") < hi < T("2022-11-10")
    note = next(a for a in fig.layout.annotations if a.name == "tl-hidden")
    assert note.visible and note.text.startswith("2 events outside this view")
    # the range slider shows everything
    assert fig.layout.xaxis.rangeslider.autorange
    # a spread-out chart is not cut: the 90% window would not double the zoom
    even = [dict(start=f"{y}-06-01", end=f"{y}-06-02", granularity="day", title=f"E{y}")
            for y in range(2000, 2020)]
    lo, hi = (T(v) for v in figure(make_table(even)).layout.xaxis.range)
    assert lo < T("2000-06-01") and hi > T("2019-06-02")


def test_every_event_of_a_small_story_is_labelled():
    rows = [dict(start=f"2022-10-{d:02d}", end=f"2022-10-{d + 1:02d}", granularity="day",
                 title=f"Something happened on day {d} in the capital", doc_id=f"d{d % 4}",
                 published="2022-11-01") for d in range(1, 29)]
    fig = figure(make_table(rows))
    labelled = {a.name for a in fig.layout.annotations if (a.name or "").startswith("row")}
    assert len(labelled) == 28


def test_hover_cards_show_outlet_role_and_attribution():
    table = make_table([dict(start="2022-10-20", end="2022-10-21", granularity="day",
                             title="Drones hit Kyiv", sentence="Drones hit Kyiv, officials said.",
                             role="reported", attribution="Ukrainian officials", doc_id="a",
                             url="https://www.example-news.com/a", published="2022-10-21")])
    card = next(h for t in figure(table).data if (t.meta or {}).get("role") == "events"
                for h in t.hovertext)
    assert "example-news.com, published 21 Oct 2022" in card  # the host when no outlet is named
    assert "role: reported · attributed to Ukrainian officials" in card
    head = re.findall(r"<th[^>]*><button[^>]*>([^<]+)</button>", to_html(table, include_plotlyjs=False))
    assert "Role" in head and "Attributed to" in head


def test_default_title_from_the_inputs():
    table = make_table([
        dict(start="2022-10-20", end="2022-10-21", title="a", doc_id="a",
             doc_title="Iran sends drones to Russia"),
        dict(start="2022-10-21", end="2022-10-22", title="b", doc_id="b",
             doc_title="Russia uses Iranian drones in Kyiv"),
        dict(start="2022-10-22", end="2022-10-23", title="c", doc_id="c",
             doc_title="Kyiv hit by drones again"),
    ])
    assert render.default_title(table) == "Timeline of 3 articles: drones, Russia, Kyiv"
    assert figure(table).layout.title.text == "Timeline of 3 articles: drones, Russia, Kyiv"
    assert "<h1 class=\"tl-title\">Timeline of 3 articles" in to_html(table, include_plotlyjs=False)
    assert figure(table, title="").layout.title.text is None  # "" asks for none
    unrelated = table.assign(doc_title=["Budget vote", "Weather", "Football scores"])
    assert render.default_title(unrelated) == "Timeline of 3 articles"
    # words always side by side are one name, not two keywords
    fire = table.assign(doc_title=["Wildfire forces evacuations in Pine Valley",
                                   "Pine Valley fire grows", "Pine Valley fire contained"])
    assert render.default_title(fire) == "Timeline of 3 articles: Pine Valley, fire"
    # a word always before the same one names with it, though that one stands alone too
    storm = table.assign(doc_title=["Hurricane Mara makes landfall near Tampa",
                                    "Mara floods streets in Orlando",
                                    "Death toll from Hurricane Mara rises to six"])
    assert render.default_title(storm) == "Timeline of 3 articles: Hurricane Mara"


def test_static_figure_has_no_controls():
    xa = figure(sample_table(), static=True).layout.xaxis
    assert not xa.rangeslider.visible and not xa.rangeselector.buttons
