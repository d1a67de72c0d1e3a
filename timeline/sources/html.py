"""Saved web pages (.html, .htm): the article without the page around it.

trafilatura finds the main text (favouring precision: navigation, footers,
comments and tables are left out; its fallback extractors are used only
when they find at least a paragraph), the title (og:title first), the canonical
URL and the site name; htmldate the publication date from the page's
metadata only (meta tags, <time>, the URL), never from dates in the running
text nor in the blocks that list other pages (related stories, navigation,
the site footer): those are other articles' dates.
Nothing is fetched from the network.
"""
from __future__ import annotations

import re
import warnings
from datetime import datetime
from pathlib import Path

from ..model import Document
from .encoding import SourceError, decode, repair_mojibake
from .records import OWN_OUTPUT, OWN_PAGE, first_line, parse_published

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
# Fixed bounds, never the machine's clock: htmldate's default latest date is
# today, which rejected a page dated next year and made the same page read
# differently on different days. Wide ones: a page dated outside the years the
# table holds is then named as such (records.check_years), not as undated.
# htmldate compares a page's datetime with the bound's midnight: the last day
# ends at 23:59:59.
_DATE_PARAMS = {"original_date": True, "extensive_search": False,
                "outputformat": "%Y-%m-%d", "min_date": datetime(1000, 1, 1),
                "max_date": datetime(9999, 12, 31, 23, 59, 59)}
_MIN_FALLBACK = 200  # characters


def read_html_file(path: Path, doc_id: str) -> Document:
    """A Document from a saved page; SourceError naming what is wrong."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read the file: {e.strerror or e}") from None
    declared = _CHARSET.search(data[:4096])
    html = decode(data, declared.group(1).decode("ascii") if declared else None)
    if "<" not in html:
        raise SourceError("not an HTML page: it has no tags")
    if OWN_PAGE in html:
        raise SourceError(f"a timeline page ({OWN_OUTPUT})")

    doc, text = _extract(html, fast=True)
    if not text:
        # trafilatura's fallback extractors rescue odd layouts but also turn
        # a page of links into "Home": trust them only for a real paragraph
        doc, text = _extract(html, fast=False)
        if len(text) < _MIN_FALLBACK:
            text = ""
    if not text:
        raise SourceError("no article text found in the page: save the "
                          "article's own page, or give its text as a .txt file")
    text = repair_mojibake(text)
    url = doc.url or None
    # our own look, not trafilatura's: it searches the whole page, where the
    # related-stories list carries other articles' <time>s
    day = _find_date(html, url)
    title = repair_mojibake(doc.title) if doc.title else None
    return Document(
        id=doc_id,
        text=text,
        published=parse_published(day),
        title=title or first_line(text),
        source=repair_mojibake(doc.sitename) if doc.sitename else None,
        url=url,
        path=str(path),
    )


def _extract(html: str, fast: bool):
    try:
        import trafilatura
    except ImportError as e:  # lxml 5.2+ needs the lxml_html_clean package
        raise SourceError(f"cannot read HTML: trafilatura failed to import "
                          f"({e})") from None

    with warnings.catch_warnings():  # trafilatura's own deprecation noise
        warnings.simplefilter("ignore")
        doc = trafilatura.bare_extraction(
            html, fast=fast, favor_precision=True, with_metadata=True,
            include_comments=False, include_tables=False,
            date_extraction_params=dict(_DATE_PARAMS))
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    # one blank line between paragraphs, as in the .txt and .jsonl inputs
    return doc, "\n\n".join(p.strip() for p in text.split("\n") if p.strip())


# blocks that list or link other pages: their dates are other articles'
_OTHER_PAGES = ("//aside | //nav | //footer[not(ancestor::article)]"
                " | //*[re:test(concat(@class, ' ', @id, ' ', @aria-label),"
                " '(related|recommend|popular|trending|most-read|more-stories|read-more|sidebar)',"
                " 'i')]")


def _find_date(html: str, url: str | None) -> str | None:
    from htmldate import find_date
    from lxml import html as lxml_html

    try:
        # a parsed tree, never a string: htmldate downloads strings that
        # look like an address
        tree = lxml_html.fromstring(html)
    except Exception:  # lxml raises several types on junk input
        return None
    for el in tree.xpath(_OTHER_PAGES, namespaces={"re": "http://exslt.org/regular-expressions"}):
        if el.getparent() is not None and el.tag != "html":
            el.getparent().remove(el)
    return find_date(tree, url=url, **_DATE_PARAMS)
