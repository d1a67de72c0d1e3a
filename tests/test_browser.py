"""The timeline page in a real browser (the system chromium, headless, via Playwright).

Missing chromium fails these tests (scripts/install-chromium.sh installs it) unless
TIMELINE_SKIP_BROWSER=1. Screenshots go to tests/artifacts/ for a human to look at.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

try:
    from tests.browser import (ARTIFACTS, MISSING, chromium_path, launch, make_table,
                               sample_table, skip_browser, synthetic_table)
except ImportError:  # plain `pytest`: tests/ itself is on sys.path
    from browser import (ARTIFACTS, MISSING, chromium_path, launch, make_table, sample_table,
                         skip_browser, synthetic_table)
from timeline.render import figure, to_html

pytestmark = pytest.mark.browser

READY = """() => {
  const g = document.querySelector('.js-plotly-plot');
  return g && g._fullLayout && g.querySelector('.main-svg') &&
         document.querySelector('.tl-table tbody tr');
}"""

# Marks per event trace: bars and markers are one point per event; WebGL range segments
# are (start, end, gap) triples. Returns {rows: [...table rows plotted...]}.
MARKS = """() => {
  const g = document.querySelector('.js-plotly-plot');
  const rows = [];
  for (const t of g.data) {
    if (!t.meta || t.meta.role !== 'events') continue;
    const cd = Array.from(t.customdata);
    if (t.type === 'scattergl' && t.mode === 'lines') {
      for (let i = 0; i < cd.length; i += 3) rows.push(cd[i]);
    } else rows.push(...cd);
  }
  return rows;
}"""

# window.open is recorded, not followed: the tests stay offline.
RECORD_OPEN = "window.__opened = []; window.open = (u) => { window.__opened.push(String(u)); return null; };"


@pytest.fixture(scope="module")
def browser():
    if skip_browser():
        pytest.skip("TIMELINE_SKIP_BROWSER=1")
    if chromium_path() is None:
        pytest.fail(MISSING, pytrace=False)
    with launch() as b:
        yield b


class Page:
    """A loaded timeline page plus everything that went wrong on it."""

    def __init__(self, browser, html: str, path, ready: str = READY):
        path.write_text(html, encoding="utf-8")
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 720})
        self.page.add_init_script(RECORD_OPEN)
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function(ready, timeout=120_000)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def shot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)

    def hover_text(self) -> str:
        return self.js("() => (document.querySelector('.hoverlayer') || {}).textContent || ''")

    def fx_hover(self, curve: int, point: int) -> str:
        self.js("([c, p]) => Plotly.Fx.hover(document.querySelector('.js-plotly-plot'), "
                "[{curveNumber: c, pointNumber: p}])", [curve, point])
        self.page.wait_for_timeout(50)
        return self.hover_text()

    def visible_rows(self) -> list[str]:
        return self.js("() => Array.from(document.querySelectorAll('.tl-table tbody tr'))"
                       ".filter(tr => !tr.hidden).map(tr => tr.textContent)")

    def close(self):
        self.page.close()


@pytest.fixture
def open_page(browser, tmp_path):
    pages = []

    def _open(html: str, name: str = "page.html", **kw) -> Page:
        p = Page(browser, html, tmp_path / name, **kw)
        pages.append(p)
        return p

    yield _open
    for p in pages:
        p.close()


def payload_rows(page: Page) -> list:
    return page.js("() => JSON.parse(document.querySelector('script[type=\"application/json\"]')"
                   ".textContent).rows")


def marker_centre(page: Page, title: str) -> tuple[float, float]:
    """Pixel centre of the SVG marker of the point event titled ``title``."""
    box = page.js("""(title) => {
      const g = document.querySelector('.js-plotly-plot');
      const rows = JSON.parse(document.querySelector('script[type="application/json"]').textContent).rows;
      const traces = g.querySelectorAll('.scatterlayer .trace');
      for (const tr of traces) {
        const d = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
        if (!d || !d.meta || d.meta.role !== 'events') continue;
        const pts = tr.querySelectorAll('.points path');
        for (let i = 0; i < d.customdata.length; i++)
          if (rows[d.customdata[i]][1] === title) {
            const r = pts[i].getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
          }
      }
      return null;
    }""", title)
    assert box, f"no marker for {title!r}"
    return box[0], box[1]


# ---------------------------------------------------------------- the sample page

def test_page_loads_cleanly_and_screenshots(open_page):
    table = sample_table()
    page = open_page(to_html(table, title="Geneva talks"))
    page.shot("sample.png")
    page.shot("sample-full.png", full_page=True)
    assert page.errors == [] and page.dialogs == []
    grouped = open_page(to_html(table, title="Geneva talks, by source", group_by="source"),
                        "grouped.html")
    grouped.shot("sample-by-source.png")
    assert grouped.errors == []


def test_one_mark_per_dated_event(open_page):
    table = sample_table()
    page = open_page(to_html(table))
    rows = page.js(MARKS)
    assert sorted(rows) == list(range(int(table["start"].notna().sum())))
    # the undated row is in the table, not on the chart
    assert any("Consultation" in r for r in page.visible_rows())


def test_hover_card_shows_title_date_and_source(open_page):
    page = open_page(to_html(sample_table()))
    rows = payload_rows(page)
    curves = page.js("() => document.querySelector('.js-plotly-plot').data"
                     ".map((t, i) => [i, t.meta && t.meta.role, Array.from(t.customdata)])")
    checked = 0
    for curve, role, cd in curves:
        if role != "events":
            continue
        text = page.fx_hover(curve, 0)
        row = rows[cd[0]]
        assert row[1] in text and row[0] in text, (row, text)
        checked += 1
    assert checked >= 4
    text = page.fx_hover(next(c for c, role, _ in curves if role == "pub"), 0)
    assert "published" in text


def test_page_hover_cards_match_python_figure(open_page):
    """The page builds hover cards in JS (text travels once); figure() builds them in
    Python. Both must say the same thing."""
    table = sample_table()
    page = open_page(to_html(table))
    in_page = page.js("() => document.querySelector('.js-plotly-plot').data"
                      ".map(t => Array.from(t.hovertext || []))")
    in_python = [list(t.hovertext or []) for t in figure(table).data]
    assert in_page == in_python


def test_real_mouse_hover_and_click_open_article(open_page):
    page = open_page(to_html(sample_table()))
    x, y = marker_centre(page, "CNN reports deal")
    page.page.mouse.move(x, y)
    page.page.wait_for_function("() => (document.querySelector('.hoverlayer') || {}).textContent"
                                "?.includes('CNN reports deal')", timeout=5000)
    assert "1 Nov 2022" in page.hover_text() and "“on Tuesday”" in page.hover_text()
    page.shot("hover.png")
    page.page.mouse.click(x, y)
    page.page.wait_for_function("() => window.__opened.length > 0", timeout=5000)
    assert page.js("() => window.__opened") == ["https://example.com/a"]
    # the label opens it too (labels are annotations, not trace text)
    page.page.wait_for_timeout(400)  # not a double click (that resets the zoom)
    page.page.click(".annotation-text-g:has-text('Ceasefire agreed')")
    page.page.wait_for_function("() => window.__opened.length > 1", timeout=5000)
    assert page.js("() => window.__opened")[1] == "https://example.org/b"


def test_table_search_and_sort(open_page):
    page = open_page(to_html(sample_table()))
    assert len(page.visible_rows()) == 9
    page.page.fill(".tl-search", "ceasefire")
    rows = page.visible_rows()  # matches titles, sentences and article titles ("Ceasefire holds")
    assert len(rows) == 3 and all("AP21 Oct 2022" in r for r in rows)
    page.page.fill(".tl-search", "council budget")
    assert len(page.visible_rows()) == 1
    assert "1 of 9 events" in page.js("() => document.querySelector('.tl-count').textContent")
    page.page.fill(".tl-search", "")
    assert len(page.visible_rows()) == 9
    page.page.click(".tl-table th:nth-child(2) button")  # Event, ascending
    titles = [r for r in page.js("() => Array.from(document.querySelectorAll("
                                 "'.tl-table tbody tr td:nth-child(2)')).map(td => td.textContent)")]
    assert titles == sorted(titles, key=str.lower)
    page.page.click(".tl-table th:nth-child(1) button")  # Date: oldest first, undated last
    page.page.click(".tl-table th:nth-child(1) button")  # newest first, undated still last
    dates = page.js("() => Array.from(document.querySelectorAll("
                    "'.tl-table tbody tr td:nth-child(1)')).map(td => td.textContent)")
    assert dates[0] == "5 Dec 2022" and dates[-1] == "undated"


def test_empty_page(open_page):
    page = open_page(to_html(make_table([])), ready="() => document.readyState === 'complete'")
    assert "No dated events" in page.js("() => document.body.textContent")
    assert page.errors == []


def test_two_fragments_on_one_page(open_page):
    a = to_html(sample_table(), full_html=False, title="A")
    b = to_html(sample_table().iloc[:3], full_html=False, include_plotlyjs=False, title="B")
    page = open_page(f"<!DOCTYPE html><html><body>{a}{b}</body></html>",
                     ready="() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2"
                           " && document.querySelectorAll('.tl-table tbody tr').length >= 12")
    assert page.errors == []


# ---------------------------------------------------------------- untrusted text

XSS = [
    "<script>window.__xss = 1; alert(1)</script>",
    "<img src=x onerror=\"window.__xss = 1; alert(1)\">",
    "\"><svg onload=\"window.__xss = 1; alert(1)\">",
    "</script><script>window.__xss = 1</script>",
    "<a href=\"javascript:window.__xss=1\">link</a>",
    "' onmouseover='window.__xss=1' x='",
]


def xss_table() -> pd.DataFrame:
    rows = []
    for i, s in enumerate(XSS):
        day = f"2022-11-{i + 1:02d}"
        rows.append(dict(event_id=f"x{i}", start=day, end=pd.Timestamp(day) + pd.Timedelta(days=1),
                         granularity="day", timex=day, title=s, text=s, sentence=s, expression=s,
                         kind="happened", source=s, doc_title=s, doc_id=f"d{i}",
                         url="javascript:window.__xss=1;alert(1)", published="2022-11-20"))
    rows.append(dict(rows[0], event_id="span", start="2022-09-01", end="2022-10-01",
                     granularity="month", title=XSS[1], kind="expected", doc_id="d0"))
    return make_table(rows)


def test_xss_payloads_stay_text(open_page):
    page = open_page(to_html(xss_table(), title=XSS[0], group_by="source"))
    # hover every mark and click every event: nothing may run
    curves = page.js("() => document.querySelector('.js-plotly-plot').data.map(t => t.customdata.length)")
    hover_texts = []
    for c, n in enumerate(curves):
        for p in range(n):
            hover_texts.append(page.fx_hover(c, p))
    for title in XSS[:2]:
        x, y = marker_centre(page, title)
        page.page.mouse.move(x, y)
        page.page.mouse.click(x, y)
    page.page.wait_for_timeout(200)
    page.shot("xss.png", full_page=True)
    assert page.dialogs == []
    assert page.js("() => window.__xss") is None
    assert page.js("() => window.__opened") == []  # javascript: urls are never opened
    assert page.errors == []
    assert page.js("() => document.querySelectorAll('img, svg[onload], [onerror], [onmouseover],"
                   " a[href^=\"javascript\"]').length") == 0
    # the payloads show literally: in the table, the hover cards and the title
    body = page.js("() => document.querySelector('.tl-table').textContent")
    for s in XSS:
        assert s in body
    hovered = "\n".join(hover_texts)
    assert "<img src=x onerror=" in hovered and "<script>window.__xss" in hovered
    assert page.js("() => document.querySelector('.tl-title').textContent") == XSS[0]
    assert page.js("() => document.title") == XSS[0]


# ---------------------------------------------------------------- scale

def test_ten_thousand_events(open_page):
    table = synthetic_table(10_000)
    page = open_page(to_html(table, title="10,000 events"), "big.html")
    page.shot("ten-thousand.png")
    assert page.errors == []
    rows = page.js(MARKS)
    assert len(rows) == 10_000 and len(set(rows)) == 10_000
    assert page.js("() => document.querySelector('.js-plotly-plot').data"
                   ".some(t => t.type === 'scattergl')")
    assert "showing 500 of 10000 events" in page.js(
        "() => document.querySelector('.tl-count').textContent")
    # a real mouse over a WebGL marker shows its card
    x, y, title = page.js(GL_POINT)
    page.page.mouse.move(x, y)
    page.page.wait_for_timeout(200)
    assert title in page.hover_text()


# Pixel position and title of the first WebGL marker inside the visible x range.
GL_POINT = """() => {
  const g = document.querySelector('.js-plotly-plot'), L = g._fullLayout;
  const rows = JSON.parse(document.querySelector('script[type="application/json"]').textContent).rows;
  const t = g.data.find(t => t.type === 'scattergl' && t.mode === 'markers');
  const xa = L.xaxis, ya = L.yaxis, box = g.getBoundingClientRect();
  const [lo, hi] = xa.range.map(v => xa.r2l(v));
  for (let i = 0; i < t.x.length; i++) {
    const xl = xa.d2l(t.x[i]);
    if (xl > lo && xl < hi)
      return [box.left + L._size.l + xa.l2p(xl), box.top + L._size.t + ya.l2p(ya.d2l(t.y[i])),
              rows[t.customdata[i]][1]];
  }
}"""


# ---------------------------------------------------------------- density view

def test_density_view_drills_down_to_the_zoomed_events(open_page):
    table = synthetic_table(30_000, seed=9, n_docs=2000)  # past render.DENSITY_THRESHOLD
    page = open_page(to_html(table, title="30,000 events"), "density.html")
    page.shot("density.png")
    assert page.errors == []
    bars = page.js("() => document.querySelector('.js-plotly-plot').data"
                   ".filter(t => t.meta && t.meta.role === 'density')"
                   ".reduce((n, t) => n + t.y.reduce((a, b) => a + b, 0), 0)")
    assert bars == 30_000
    assert page.js(MARKS) == []  # too many in view: no individual marks yet
    note = page.js("() => document.querySelector('.js-plotly-plot')._fullLayout.annotations"
                   ".find(a => a.name === 'tl-drill')")
    assert note["visible"] and "zoom in" in note["text"]

    lo, hi = pd.Timestamp("2021-03-01"), pd.Timestamp("2021-03-08")
    page.js("([a, b]) => Plotly.relayout(document.querySelector('.js-plotly-plot'), "
            "{'xaxis.range': [a, b]})", [str(lo), str(hi)])
    page.page.wait_for_function("() => document.querySelector('.js-plotly-plot')"
                                ".dataset.drilled !== ''", timeout=10_000)
    page.shot("density-zoomed.png")
    rows = page.js(MARKS)
    start = pd.to_datetime(table["start"])
    end = pd.to_datetime(table["end"])
    in_view = table.index[(end > lo) & (start < hi)]
    assert 0 < len(rows) <= 1000
    assert len(rows) == len(set(rows)) == len(in_view)
    prows = payload_rows(page)
    titles = {prows[r][1] for r in rows}
    assert titles == set(table.loc[in_view, "title"])
    # a real mouse over a drilled-down marker shows that event's card
    x, y, title = page.js(DETAIL_POINT)
    page.page.mouse.move(x, y)
    page.page.wait_for_timeout(200)
    assert title in page.hover_text()
    # back to everything: the marks go, the note returns
    page.js("() => Plotly.relayout(document.querySelector('.js-plotly-plot'), "
            "{'xaxis.autorange': true})")
    page.page.wait_for_function("() => document.querySelector('.js-plotly-plot')"
                                ".dataset.drilled === ''", timeout=10_000)
    assert page.js(MARKS) == []
    assert page.errors == []


# Pixel position and title of a drilled-down marker with no other mark within 12px.
DETAIL_POINT = """() => {
  const g = document.querySelector('.js-plotly-plot'), L = g._fullLayout;
  const rows = JSON.parse(document.querySelector('script[type="application/json"]').textContent).rows;
  const xa = L.xaxis, ya = L.yaxis2, box = g.getBoundingClientRect();
  const pts = [];
  for (const t of g.data) {
    if (!(t.meta && t.meta.detail)) continue;
    for (let i = 0; i < t.x.length; i++) if (t.x[i] != null)
      pts.push([xa.l2p(xa.d2l(t.x[i])), ya._offset - L._size.t + ya.l2p(t.y[i]), t.customdata[i],
                t.mode === 'markers']);
  }
  const [x, y, row] = pts.find(p => p[3] && pts.every(q => q === p ||
    Math.hypot(q[0] - p[0], q[1] - p[1]) > 12));
  return [box.left + L._size.l + x, box.top + L._size.t + y, rows[row][1]];
}"""


# ---------------------------------------------------------------- labels, opening view, widths

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpora" / "news" / "articles.jsonl"

# Every event label on the chart: its table row and its box on screen.
LABELS = """() => {
  const g = document.querySelector('.js-plotly-plot'), out = [];
  g.querySelectorAll('.annotation').forEach(el => {
    const a = g._fullLayout.annotations[+el.getAttribute('data-index')];
    if (!a || !/^row\\d+$/.test(a.name || '')) return;
    const r = el.querySelector('.annotation-text-g').getBoundingClientRect();
    if (r.width) out.push({row: +a.name.slice(3), x: r.x, y: r.y, r: r.right, b: r.bottom});
  });
  return out;
}"""

# The plot area on screen.
PLOT = """() => {
  const g = document.querySelector('.js-plotly-plot'), S = g._fullLayout._size;
  const box = g.getBoundingClientRect();
  return {x: box.left + S.l, y: box.top + S.t, r: box.left + S.l + S.w, b: box.top + S.t + S.h};
}"""

# Table rows of the events in the visible x range (from the page's own payload).
IN_VIEW = """() => {
  const g = document.querySelector('.js-plotly-plot'), xa = g._fullLayout.xaxis;
  const M = JSON.parse(document.querySelector('script[type="application/json"]').textContent).marks;
  const [a, b] = xa.range.map(v => xa.r2l(v));
  return M.row.filter((r, i) => M.end[i] > a && M.start[i] < b);
}"""


def overlaps(a, b, tol=0.5) -> bool:
    return (a["x"] + tol < b["r"] and b["x"] + tol < a["r"] and
            a["y"] + tol < b["b"] and b["y"] + tol < a["b"])


def inside(a, box, tol=1.0) -> bool:
    return (a["x"] >= box["x"] - tol and a["r"] <= box["r"] + tol and
            a["y"] >= box["y"] - tol and a["b"] <= box["b"] + tol)


@pytest.fixture(scope="module")
def dev_table():
    """The dev corpus with the seed articles: 60 events, 28 outlets, a few far-off dates."""
    import timeline
    return timeline.build([str(DEV), str(ROOT / "seeds")]).events


def open_at(browser, tmp_path, html: str, width: int, name: str) -> Page:
    page = Page(browser, html, tmp_path / name)
    page.page.set_viewport_size({"width": width, "height": 1000})
    page.page.wait_for_function("() => +document.querySelector('.js-plotly-plot')"
                                ".dataset.arranged >= 1", timeout=30_000)
    page.page.wait_for_timeout(400)  # the debounced resize pass
    return page


def test_medium_page_opens_on_the_story_with_labels(browser, tmp_path, dev_table):
    page = open_at(browser, tmp_path, to_html(dev_table), 1400, "dev.html")
    try:
        assert page.errors == []
        lo, hi = (pd.Timestamp(v) for v in page.js(
            "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range"))
        assert (hi - lo).days < 400
        labels, plot = page.js(LABELS), page.js(PLOT)
        visible = [a for a in labels if inside(a, plot)]
        assert len(visible) >= 20
        assert len(visible) == len(labels)  # none leaves the plot
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not overlaps(a, b), (a, b)
        note = page.js("() => document.querySelector('.js-plotly-plot')._fullLayout.annotations"
                       ".find(a => a.name === 'tl-hidden')")
        assert note["visible"] and "outside this view" in note["text"]
    finally:
        page.close()


def test_zoomed_to_a_month_every_event_is_labelled(browser, tmp_path, dev_table):
    page = open_at(browser, tmp_path, to_html(dev_table), 1400, "dev-month.html")
    try:
        starts = pd.to_datetime(dev_table["start"]).dropna()
        busiest = starts.dt.to_period("M").value_counts().index[0]
        a, b = busiest.start_time, busiest.end_time.normalize() + pd.Timedelta(days=1)
        n = page.js("() => +document.querySelector('.js-plotly-plot').dataset.arranged")
        page.js("([a, b]) => Plotly.relayout(document.querySelector('.js-plotly-plot'), "
                "{'xaxis.range': [a, b]})", [str(a), str(b)])
        page.page.wait_for_function(f"() => +document.querySelector('.js-plotly-plot')"
                                    f".dataset.arranged > {n}", timeout=10_000)
        page.shot("dev-month.png")
        in_view = page.js(IN_VIEW)
        assert len(in_view) >= 10
        labels = page.js(LABELS)
        assert {a["row"] for a in labels} == set(in_view)
        for i, x in enumerate(labels):
            for y in labels[i + 1:]:
                assert not overlaps(x, y), (x, y)
        # the lanes compact: no empty rows above the publication row
        y_of = page.js("""() => {
          const g = document.querySelector('.js-plotly-plot'), out = {};
          for (const t of g.data) if (t.meta && t.meta.role === 'events')
            Array.from(t.customdata).forEach((c, i) => { if (c != null) out[c] = t.y[i]; });
          return out;
        }""")
        ys = [y_of[str(r)] for r in in_view]
        assert sorted(set(ys)) == list(range(len(set(ys))))
        assert page.errors == []
    finally:
        page.close()


def test_narrow_page_keeps_controls_and_labels_apart(browser, tmp_path, dev_table):
    for width in (700, 390):
        page = open_at(browser, tmp_path, to_html(dev_table), width, f"dev-{width}.html")
        try:
            assert page.errors == []
            legend = page.js("() => { const r = document.querySelector('.js-plotly-plot .legend')"
                             ".getBoundingClientRect(); return {x: r.x, y: r.y, r: r.right, b: r.bottom}; }")
            buttons = page.js("() => Array.from(document.querySelectorAll('.rangeselector .button'))"
                              ".map(e => { const r = e.getBoundingClientRect();"
                              " return {x: r.x, y: r.y, r: r.right, b: r.bottom}; })")
            assert len(buttons) == 4
            for btn in buttons:
                assert not overlaps(btn, legend), (btn, legend)
            labels, plot = page.js(LABELS), page.js(PLOT)
            assert labels and all(inside(a, plot) for a in labels)
            note = page.js("""() => { const g = document.querySelector('.js-plotly-plot');
              const i = g._fullLayout.annotations.findIndex(a => a.name === 'tl-hidden');
              const r = g.querySelector(`.annotation[data-index="${i}"]`).getBoundingClientRect();
              return [r.right, window.innerWidth]; }""")
            assert note[0] <= note[1]  # the "outside this view" note is not cut
            # the table scrolls sideways rather than breaking words letter by letter
            scroll = page.js("() => { const s = document.querySelector('.tl-scroll');"
                             " return [s.scrollWidth, s.clientWidth, document.documentElement.scrollWidth,"
                             " window.innerWidth]; }")
            assert scroll[0] >= scroll[1] and scroll[2] <= scroll[3] + 1
            narrowest = page.js("() => Math.min(...Array.from(document.querySelectorAll("
                                "'.tl-table tbody tr:first-child td')).map(td => td.getBoundingClientRect().width))")
            assert narrowest >= 40
            page.shot(f"dev-{width}.png")
        finally:
            page.close()


@pytest.mark.parametrize("name", ["seed", "dev", "2000", "density"])
def test_screenshots_at_two_widths(browser, tmp_path, dev_table, name):
    """For a human to look at (tests/artifacts/): each page at 1400 and 700 px."""
    import timeline
    table = {"seed": lambda: timeline.build([str(ROOT / "seeds")]).events,
             "dev": lambda: dev_table, "2000": lambda: synthetic_table(2000, seed=4),
             "density": lambda: synthetic_table(30_000, seed=9, n_docs=2000)}[name]()
    html = to_html(table)
    for width in (1400, 700):
        page = Page(browser, html, tmp_path / f"{name}-{width}.html")
        try:
            page.page.set_viewport_size({"width": width, "height": 1000})
            page.page.wait_for_timeout(600)
            page.shot(f"{name}-{width}.png")
            assert page.errors == []
            if name != "density":
                labels, plot = page.js(LABELS), page.js(PLOT)
                assert labels and all(inside(a, plot) for a in labels)
        finally:
            page.close()
