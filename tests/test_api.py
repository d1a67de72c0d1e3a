"""The Python API for reports: build, Timeline (events, figure, to_html, save,
notebook display), resolve and tag."""
from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

import timeline
from timeline.api import Timeline
from timeline.export import read_table
from timeline.sources import Skipped
from timeline.sources.timeml import read_timeml
from timeline.table import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PAGE = ROOT / "tests" / "data" / "pages" / "flood-barrier.html"
INLINE_PLOTLY = "plotly.js v"  # the banner of the inlined library


@pytest.fixture(scope="module")
def seeds() -> Timeline:
    return timeline.build([SEEDS], title="Iran's drones")


@pytest.fixture(scope="module")
def page() -> Timeline:
    return timeline.build(PAGE, title="Wend barrier")


def divs(page: str) -> list[str]:
    """The ids of the chart divs in ``page``."""
    return re.findall(r'<div class="tl-plot" id="([^"]+)"', page)


# ---------------------------------------------------------------- build

def test_build_returns_the_table_documents_and_skips(seeds):
    assert isinstance(seeds, Timeline)
    assert [d.id for d in seeds.documents] == ["000_28ca36ce2e4e94c5", "003_28bf6bd65512fe70"]
    assert seeds.skipped == []
    ev = seeds.events
    assert list(ev.columns) == list(COLUMNS)
    assert {c: str(t) for c, t in ev.dtypes.items()} == {
        c: str(pd.Series(dtype=t).dtype) for c, t in COLUMNS.items()}
    tuesday = ev[ev["expression"] == "on Tuesday"].iloc[0]
    assert (tuesday["start"], tuesday["end"]) == (pd.Timestamp("2022-11-01"), pd.Timestamp("2022-11-02"))
    assert tuesday["source"] == "Al Arabiya" and tuesday["anchor"] == "publication"
    assert ev["start"].is_monotonic_increasing
    assert seeds.summary() == f"2 document(s) read, {len(ev)} event(s), 0 input(s) skipped"


def test_build_accepts_one_path_or_several(tmp_path):
    one = timeline.build(str(SEEDS / "003_28bf6bd65512fe70.txt"))
    assert [d.id for d in one.documents] == ["003_28bf6bd65512fe70"]
    two = timeline.build([SEEDS / "003_28bf6bd65512fe70.txt", tmp_path / "nope.txt"])
    assert len(two.documents) == 1
    assert two.skipped == [Skipped(str(tmp_path / "nope.txt"), "no such file or folder")]


def test_build_published_option_and_bad_value(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Library to close\n\nThe council voted on Tuesday to close the library.\n",
                 "utf-8")
    tl = timeline.build(f, published="2023-10-12")
    assert tl.documents[0].published == date(2023, 10, 12)
    assert tl.events["start"].tolist() == [pd.Timestamp("2023-10-10")]
    with pytest.raises(ValueError, match="not a date"):
        timeline.build(f, published="12/10/2023")


def test_same_input_same_table(seeds):
    again = timeline.build([SEEDS], title="Iran's drones")
    pd.testing.assert_frame_equal(seeds.events, again.events)


def test_progress_callback_sees_every_document_and_skip(tmp_path):
    seen = []
    timeline.build([SEEDS, tmp_path / "missing.jsonl"], progress=seen.append)
    assert [getattr(x, "id", None) or x.input for x in seen] == [
        "000_28ca36ce2e4e94c5", "003_28bf6bd65512fe70", str(tmp_path / "missing.jsonl")]


# ---------------------------------------------------------------- figure and HTML

def test_figure_is_a_plotly_figure_with_options(seeds):
    fig = seeds.figure()
    assert isinstance(fig, go.Figure)
    # plotly reads titles as HTML: the render escapes them
    assert html.unescape(fig.layout.title.text) == "Iran's drones"
    assert seeds.figure(title="Other").layout.title.text == "Other"
    grouped = seeds.figure(group_by="source")
    assert "Al Arabiya" in json.dumps(grouped.layout.yaxis.ticktext)


def test_to_html_page(seeds, tmp_path):
    path = tmp_path / "report.html"
    page_html = seeds.to_html(path)
    assert path.read_text("utf-8") == page_html
    assert page_html.startswith("<!DOCTYPE html>") and page_html.count("<html") == 1
    title = re.search(r"<title>(.*?)</title>", page_html).group(1)
    assert html.unescape(title) == "Iran's drones"
    assert INLINE_PLOTLY in page_html  # works offline
    assert len(divs(page_html)) == 1


def test_to_html_fragment_embeds_without_a_page(seeds):
    frag = seeds.to_html(full_html=False)
    for tag in ("<html", "<head", "<body", "<!DOCTYPE"):
        assert tag not in frag
    assert len(divs(frag)) == 1
    assert frag.startswith('<div class="tl-page"') and frag.rstrip().endswith("</div>")
    assert INLINE_PLOTLY in frag  # default: self-contained


def test_fragment_without_plotlyjs_is_small_and_loads_nothing(seeds):
    frag = seeds.to_html(full_html=False, include_plotlyjs=False)
    assert INLINE_PLOTLY not in frag
    assert "<script src" not in frag
    assert len(frag) < 200_000  # the events only; plotly.js is ~4.5 MB
    assert len(divs(frag)) == 1
    assert "timelineInit(" in frag


def test_fragment_with_cdn_links_plotly_once(seeds):
    frag = seeds.to_html(full_html=False, include_plotlyjs="cdn")
    scripts = re.findall(r'<script src="([^"]+)"', frag)
    assert len(scripts) == 1 and scripts[0].startswith("https://cdn.plot.ly/plotly-")
    assert INLINE_PLOTLY not in frag


def test_fragment_with_a_local_plotly_file(seeds):
    frag = seeds.to_html(full_html=False, include_plotlyjs="/assets/plotly.min.js")
    assert re.findall(r'<script src="([^"]+)"', frag) == ["/assets/plotly.min.js"]


def test_bad_include_plotlyjs_is_refused(seeds):
    with pytest.raises(ValueError, match="include_plotlyjs"):
        seeds.to_html(full_html=False, include_plotlyjs="sometimes")


def test_html_is_deterministic_and_ids_follow_the_content(seeds, page):
    a = seeds.to_html(full_html=False, include_plotlyjs=False)
    b = timeline.build([SEEDS], title="Iran's drones").to_html(full_html=False,
                                                                include_plotlyjs=False)
    assert a == b
    # two different timelines on one page never share an element id
    assert divs(a) != divs(page.to_html(full_html=False, include_plotlyjs=False))


def test_two_charts_in_one_report_share_one_plotlyjs(seeds, page, tmp_path):
    first = seeds.to_html(full_html=False, include_plotlyjs="cdn")
    second = page.to_html(full_html=False, include_plotlyjs=False)
    report = (f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
              f"<h1>Report</h1>{first}<p>Between the charts.</p>{second}</body></html>")
    assert report.count("<script src=") == 1
    assert len(set(divs(report))) == 2
    (tmp_path / "report.html").write_text(report, "utf-8")


def test_notebook_display_is_a_cdn_fragment(seeds):
    shown = seeds._repr_html_()
    assert "<html" not in shown and len(divs(shown)) == 1
    assert re.findall(r'<script src="([^"]+)"', shown)[0].startswith("https://cdn.plot.ly/")
    assert shown == seeds.to_html(full_html=False, include_plotlyjs="cdn")


def test_empty_timeline_renders(tmp_path):
    f = tmp_path / "quiet.txt"
    f.write_text("---\npublished: 2023-01-05\n---\nNothing is dated in this text.\n", "utf-8")
    tl = timeline.build(f)
    assert len(tl.events) == 0 and list(tl.events.columns) == list(COLUMNS)
    frag = tl.to_html(full_html=False, include_plotlyjs=False)
    assert "No dated events" in frag and divs(frag) == []


# ---------------------------------------------------------------- save

@pytest.mark.parametrize("name", ["t.csv", "t.json", "t.parquet"])
def test_save_tables_read_back(page, tmp_path, name):
    path = page.save(tmp_path / name)
    pd.testing.assert_frame_equal(read_table(path), page.events)


def test_save_by_format_name_and_every_format(page, tmp_path):
    out = {}
    for name, fmt in [("a.md", None), ("b.ics", None), ("c.timelinejs.json", None),
                      ("d.html", None), ("e.tml", None), ("f.json", "timelinejs"),
                      ("g.txt", "md"), ("h.xml", "tml")]:
        path = page.save(tmp_path / "sub" / name, fmt)
        assert path.exists() and path.stat().st_size > 0
        out[name] = path.read_bytes()
    assert out["f.json"] == out["c.timelinejs.json"]
    assert out["g.txt"] == out["a.md"] and out["h.xml"] == out["e.tml"]
    assert out["d.html"].startswith(b"<!DOCTYPE html>")


def test_save_timeml_is_the_tagged_document(page, tmp_path):
    doc, gold = read_timeml(page.save(tmp_path / "page.tml"))
    src = page.documents[0]
    assert doc.text == src.text and doc.published == src.published
    tagged = timeline.tag(src.text, src.published)
    assert [(g.start, g.end, g.value) for g in gold] == [(m.start, m.end, m.value) for m in tagged]


def test_save_refuses_timeml_of_several_documents_before_writing(seeds, tmp_path):
    with pytest.raises(ValueError, match="one document.*--out-dir"):
        seeds.save(tmp_path / "all.tml")
    assert not (tmp_path / "all.tml").exists()
    with pytest.raises(ValueError, match="cannot tell the format"):
        seeds.format_for(tmp_path / "out.docx")


# ---------------------------------------------------------------- resolve and tag

def test_resolve():
    m = timeline.resolve("next Tuesday", "2022-11-03")
    assert (m.value, m.interval.start, m.interval.end, m.interval.granularity) == (
        "2022-11-08", datetime(2022, 11, 8), datetime(2022, 11, 9), "day")
    assert m.anchor == "publication" and m.rule
    assert timeline.resolve("Tuesday", date(2022, 11, 3), tense="past").value == "2022-11-01"
    deadline = timeline.resolve("before the end of this year", "2022-11-03")
    assert (deadline.value, deadline.mod, deadline.interval.start, deadline.interval.end) == (
        "2022", "END", datetime(2022, 11, 3), datetime(2023, 1, 1))
    assert timeline.resolve("May I help?", "2022-11-03") is None


def test_resolve_needs_a_real_anchor():
    with pytest.raises(ValueError, match="anchor"):
        timeline.resolve("today", None)
    with pytest.raises(ValueError, match="not a date"):
        timeline.resolve("today", "yesterday")


def test_tag_offsets_and_values():
    text = "CNN reported on Tuesday that talks begin next month."
    ms = timeline.tag(text, published="2022-11-03")
    assert [(m.text, m.value) for m in ms] == [("Tuesday", "2022-11-01"), ("next month", "2022-12")]
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert m.interval is not None and m.anchor == "publication"


def test_tag_without_publication_date_is_narrative():
    text = ("Two days later the talks resumed. On 3 March 2023 the minister resigned. "
            "Two days later, parliament voted.")
    first, absolute, later = timeline.tag(text, None)
    # before any date, a relative expression has nothing to anchor to
    assert first.interval is None and first.anchor == "none"
    assert absolute.value == "2023-03-03" and absolute.anchor == "absolute"
    assert later.value == "2023-03-05" and later.anchor == "previous"


# ---------------------------------------------------------------- in a browser

@pytest.mark.browser
def test_report_with_two_charts_and_one_plotlyjs_draws_both(seeds, page, tmp_path):
    """The README's report recipe: plotly.js once in the head, two fragments
    without it; both charts and both event tables come up, no script errors."""
    from plotly.offline import get_plotlyjs

    from browser import launch, skip_browser
    if skip_browser():
        pytest.skip("TIMELINE_SKIP_BROWSER=1")
    (tmp_path / "plotly.min.js").write_text(get_plotlyjs(), "utf-8")
    report = ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
              "<script src='plotly.min.js'></script></head><body><h1>Report</h1>"
              + seeds.to_html(full_html=False, include_plotlyjs=False)
              + "<p>Between the charts.</p>"
              + page.to_html(full_html=False, include_plotlyjs=False) + "</body></html>")
    (tmp_path / "report.html").write_text(report, "utf-8")
    errors = []
    with launch() as browser:
        tab = browser.new_page()
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto((tmp_path / "report.html").as_uri())
        tab.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 2",
                              timeout=20_000)
        tab.wait_for_function(
            f"document.querySelectorAll('.tl-table tbody tr').length === "
            f"{len(seeds.events) + len(page.events)}", timeout=20_000)
    assert errors == []
