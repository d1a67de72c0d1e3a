"""Which lines of a stored page are article text.

Scraped news carries page furniture: site headers, navigation, bylines,
datelines ("12:00 24.09.2022", "• Wednesday, 5th October, 2022"), crawler
lines (" date 2022-09-13"), "Read more" lists, share widgets and photo
captions.  ``body_lines`` returns the spans of the lines that are article text,
with crawler and dateline prefixes cut off, and marks captions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lang as lang_pack

_WORD = re.compile(r"\w[\w’'.-]*")
# a sentence ends with a stop (maybe closed by quotes/brackets) or a closing quote
_FINAL = re.compile(r"(?:[.!?…:;][\"”’'»)\]]*|[\"”»])\s*$")
_INITIALISM = re.compile(r"\b(?:[A-Z]\.){2,}\s*$")  # "... – U.S."
_LABEL = re.compile(r"(?:^|\s)[A-Z][\w-]*:\s")
# a sentence ending inside the line: prose, not a list of metadata fields
_INNER_SENTENCE = re.compile(r"\w{2,}[.!?][\"”’')\]]*\s+[\"“‘(\[]?[A-Z]")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    caption: bool = False


@dataclass(frozen=True)
class _Data:
    starts: tuple[str, ...]
    max_heading_words: int
    prefixes: tuple[re.Pattern, ...]
    meta_labels: int
    credits: tuple[re.Pattern, ...]


@cache
def _data(lang: str = "en") -> _Data:
    d = lang_pack.load(lang).events
    f, c = d["furniture"], d["captions"]
    return _Data(
        starts=tuple(f["starts"]), max_heading_words=f["max_heading_words"],
        prefixes=tuple(re.compile(p) for p in f["prefixes"]), meta_labels=f["meta_labels"],
        credits=tuple(re.compile(p) for p in c["credits"]),
    )


def strip_prefix(line: str, lang: str = "en") -> int:
    """How many characters of crawler/dateline prefix start ``line``."""
    cut = 0
    for rx in _data(lang).prefixes:
        m = rx.match(line, cut)
        if m and m.end() > cut:
            cut = m.end()
    return cut


def is_caption(line: str, lang: str = "en") -> bool:
    return any(rx.search(line.rstrip()) for rx in _data(lang).credits)


def is_furniture(line: str, lang: str = "en", only_line: bool = False) -> bool:
    """A heading, byline, dateline, link, widget or metadata line.  The only line
    of a text is its article (a JSONL/CSV record cut short, no final stop), not a
    heading, unless it opens like furniture."""
    data = _data(lang)
    s = line.strip().lstrip("•·*-–— ")
    low = s.lower()
    if not s or low.startswith(data.starts):
        return True
    if only_line:
        return False
    if len(_LABEL.findall(s)) >= data.meta_labels and not _FINAL.search(s) \
            and not _INNER_SENTENCE.search(s):  # a one-line article ending "... Read more"
        return True
    words = _WORD.findall(s)
    return not _FINAL.search(s) and len(words) <= data.max_heading_words \
        and not _INNER_SENTENCE.search(s)


def _key(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.lower()))


def body_lines(text: str, lang: str = "en", title: str | None = None) -> list[Line]:
    """The article-text lines of ``text``, as offsets; repeated lines (and the
    headline repeated as the first line) left out."""
    # the headline repeated as the first line; a title taken from the first line
    # (no metadata) is that line itself and stays when it reads as a sentence
    headline = _key(title) if title and (not _FINAL.search(title) or _INITIALISM.search(title)) \
        else None
    if headline and headline == _key(text):
        headline = None  # a one-line record titled by its own text: the text is the article
    out, seen = [], {headline} if headline else set()
    pos = 0
    only_line = sum(1 for raw in text.splitlines() if raw.strip()) == 1
    for raw in text.splitlines(keepends=True):
        start = pos
        pos += len(raw)
        line = raw.rstrip()
        cut = strip_prefix(line, lang)
        body = line[cut:]
        key = _key(body)
        if not key or key in seen:
            continue
        caption = is_caption(body, lang)  # checked first: captions look like headings
        if not caption and is_furniture(body, lang, only_line):
            continue
        seen.add(key)
        lead = len(body) - len(body.lstrip())
        out.append(Line(start + cut + lead, start + len(line), caption))
    return out
