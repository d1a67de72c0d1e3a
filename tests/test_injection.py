"""Hostile article text through every output: template tags, Markdown links and
images, HTML, CR/LF/NUL/VT.

The class, not one string: hypothesis builds titles, sentences, sources and urls
from the pieces an attacker (or a messy scrape) puts in a field, and every
output must show them as text:

- the fragment (and the page without inline plotly.js) rendered by Jinja2 and
  Liquid is the fragment itself: no expression evaluated, no error;
- Markdown through Python-Markdown yields no ``javascript:`` link, no ``<img``,
  no tag from article text, one row per event, and the text as written;
- ``.ics`` has no control character but CRLF line ends, parses back, and the
  title is the title;
- csv/json/parquet read back with the text, TimelineJS text is escaped HTML.
"""
from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser

import icalendar
import jinja2
import liquid
import markdown
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline.export import read_table, to_ics, to_markdown, to_timelinejs, write_table
from timeline.render import to_html
from timeline.table import COLUMNS

PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ 7*7 }}", "{{ site.title }}", "{% raw %}",
    "{% endraw %}", "{{- x -}}", "{% include secret.html %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "[Click](javascript:alert(1))", "[x]: javascript:alert(1)", "![](https://t.example/p.png)",
    "<https://x.example>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "</script>", "<!--", "&lt;b&gt;", "&#60;", "*a*", "_b_", "`c`", "|", "\\", "!", "(", ")",
    "\r\n", "\r", "\n", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\u2028", "\t", " ", "—", "Київ",
]
HOSTILE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1,
                   max_size=8).map("".join)
URLS = st.one_of(
    st.sampled_from(["https://ok.example/a?b=1", "javascript:alert(1)", " JavaScript:x",
                     "data:text/html,<script>x</script>", "https://ok.example/a\r\nX-EVIL:1",
                     "https://ok.example/\x00", "https://ok.example/\x0b", "https://x.org/p (1)|[2]",
                     "https://x.org/{{ 7*7 }}/{% raw %}", None]),
    HOSTILE.map(lambda s: "https://ok.example/" + s))
# no shrinking: a page takes a while to build, and shrinking one failure took minutes;
# the failing example is printed as found
FAST = [Phase.explicit, Phase.reuse, Phase.generate]
SETTINGS = settings(max_examples=int(os.environ.get("INJECTION_EXAMPLES", 25)), deadline=None,
                    phases=FAST, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEMPLATE_OPEN = re.compile(r"\{[{%#]")


def hostile_table(title, sentence, source, url) -> pd.DataFrame:
    base = {c: None for c in COLUMNS}
    rows = []
    for i, (start, end, gran) in enumerate([("2022-11-01", "2022-11-02", "day"),
                                            ("2022-09-01", "2022-10-01", "month"),
                                            (None, None, None)]):
        r = dict(base, event_id=f"e{i}", start=start and pd.Timestamp(start),
                 end=end and pd.Timestamp(end), granularity=gran, title=title,
                 deadline=False, timex="X", expression=sentence[:20], text=sentence,
                 sentence=sentence, kind="happened", doc_id=f"d{i}", doc_title=title,
                 source=source, url=url, published=pd.Timestamp("2022-11-03"))
        rows.append(r)
    return pd.DataFrame(rows).astype(COLUMNS)


def jinja2_render(text: str) -> str:
    env = jinja2.Environment(keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text).render(site={"title": "SITE"}, cycler=jinja2.utils.Cycler(1))


def liquid_render(text: str) -> str:
    return liquid.Environment().from_string(text).render(site={"title": "SITE"})


def assert_inert(text: str):
    """Neither template language sees a tag in ``text``. (Jinja2 writes every line
    end of a template as "\\n": its own normalisation, not an evaluated tag.)"""
    assert not TEMPLATE_OPEN.search(text), TEMPLATE_OPEN.search(text)
    assert jinja2_render(text) == text.replace("\r\n", "\n").replace("\r", "\n")
    assert liquid_render(text) == text


def payload(page: str) -> dict:
    block = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert len(block) == 1
    return json.loads(block[0])


# ---------------------------------------------------------------- the fragment

@SETTINGS
@given(title=HOSTILE, sentence=HOSTILE, source=HOSTILE, url=URLS,
       plotlyjs=st.sampled_from([False, "cdn", "js/plotly{{ x }}.min.js"]),
       full=st.booleans())
def test_fragment_and_page_are_inert_in_jinja2_and_liquid(title, sentence, source, url,
                                                          plotlyjs, full):
    table = hostile_table(title, sentence, source, url)
    page = to_html(table, full_html=full, include_plotlyjs=plotlyjs, title=title)
    assert_inert(page)
    data = payload(page)
    assert [r[1] for r in data["rows"]] == [title] * 3  # the text is kept, as written
    assert {r[4] for r in data["rows"]} == {sentence}
    # kept as written; an empty source is named by its address's host
    from timeline.render import _host, _safe_url
    assert {d[0] for d in data["docs"]} == {source or _host(_safe_url(url))}
    assert "<script>alert" not in page and "<img src=x" not in page
    assert all(not d[2] or d[2].startswith(("http://", "https://")) for d in data["docs"])
    assert not any(d[2] and re.search(r"[\x00-\x20\x7f]", d[2]) for d in data["docs"])


def test_the_assets_open_no_template_tag():
    from timeline import render
    for name in ("timeline.css", "timeline.js"):
        assert_inert(render._asset(name))


def test_seed_like_text_keeps_its_bytes():
    """Only a page holding a template opener changes: JSON's own braces never form one."""
    table = hostile_table("Talks in {Geneva}", "a } b { c", "S", "https://ok.example/a")
    page = to_html(table, include_plotlyjs=False)
    assert "Talks in {Geneva}" in page and "\\u007b" not in page
    page = to_html(hostile_table("{{ 7*7 }}", "s", "S", None), include_plotlyjs=False)
    assert "\\u007b\\u007b 7*7 \\u007d\\u007d" in page


# ---------------------------------------------------------------- Markdown

class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.hrefs, self.cells, self._cell = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
        if tag in ("td", "th", "h1"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th", "h1") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown(text: str) -> str:
    """What a cell should show of ``text``: one line, control characters as spaces."""
    return " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text).split())


@SETTINGS
@given(title=HOSTILE, sentence=HOSTILE, source=HOSTILE, url=URLS)
def test_markdown_shows_article_text_as_text(title, sentence, source, url):
    table = hostile_table(title, sentence, source, url)
    md = to_markdown(table, title=title)
    assert_inert(md)
    out = markdown.markdown(md, extensions=["tables"])
    p = Tags()
    p.feed(out)
    p.close()
    assert set(p.tags) <= {"h1", "table", "thead", "tbody", "tr", "th", "td", "a"}, out
    assert "<img" not in out and not re.search(r"href\s*=\s*.?\s*javascript:", out, re.I)
    assert all(h.startswith(("http://", "https://")) for h in p.hrefs), p.hrefs
    assert p.tags.count("tr") == 1 + len(table)  # no row or cell break from the text
    assert p.tags.count("td") == 5 * len(table)
    heading = [shown(title)] if shown(title) else []
    assert p.cells[:len(heading)] == heading
    body = p.cells[len(heading) + 5:]
    for i in range(len(table)):
        assert body[5 * i + 1] == shown(title)
        label = shown(source) or shown(title)  # the outlet, else the article's title
        assert body[5 * i + 3] == label or not label and body[5 * i + 3] in ("", "link")
        assert body[5 * i + 4] == shown(sentence[:20])


# ---------------------------------------------------------------- iCalendar

ICS_NAMES = {"BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME", "UID", "DTSTAMP",
             "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL", "CATEGORIES"}


def ics_text(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))


@SETTINGS
@given(title=HOSTILE, sentence=HOSTILE, source=HOSTILE, url=URLS)
def test_ics_has_no_control_characters_and_no_injected_lines(title, sentence, source, url):
    data = to_ics(hostile_table(title, sentence, source, url), title=title)
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line), line
        assert len(line) <= 75
        if not line.startswith(b" "):  # a continuation, or a property we wrote
            assert line.split(b":")[0].split(b";")[0].decode() in ICS_NAMES, line
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 2  # the dated rows
    for ev in events:
        assert str(ev["summary"]) == (ics_text(title) or ics_text(sentence[:20]))
        if "url" in ev:
            assert str(ev["url"]) == url.strip() and url.lower().startswith("https://")


# ---------------------------------------------------------------- tables, TimelineJS

@settings(max_examples=15, deadline=None, phases=FAST,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE, sentence=HOSTILE, url=URLS)
def test_tables_keep_the_text_and_timelinejs_escapes_it(tmp_path, title, sentence, url):
    table = hostile_table(title, sentence, "S", url)
    for name in ("t.csv", "t.json", "t.parquet"):
        back = read_table(write_table(table, tmp_path / name))
        assert back["title"].fillna("").tolist() == [title] * 3, name  # "" is missing in CSV
        assert back["sentence"].fillna("").tolist() == [sentence] * 3, name
    for name in ("t.md", "t.ics", "t.timelinejs.json"):
        assert write_table(table, tmp_path / name).stat().st_size > 0
    doc = to_timelinejs(table, title=title)
    for ev in doc["events"]:
        assert html.unescape(ev["text"]["headline"]) == (title or sentence[:20])
        p = Tags()
        p.feed(ev["text"]["text"])
        assert set(p.tags) <= {"p", "small", "a"}
        assert all(h.startswith(("http://", "https://")) for h in p.hrefs)
