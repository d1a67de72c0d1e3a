"""Plain text and Markdown articles (.txt, .md).

Metadata comes from, first to last: a front matter block at the top of the
file, the ``manifest.json`` beside it, and (for the title only) the first
non-empty line. The document text is the file's text with the front matter
block removed and nothing else changed.

Front matter::

    ---
    published: 2022-10-20
    title: Iranian military assists Russia
    source: Reuters
    url: https://...
    ---

``manifest.json``: an object keyed by file name, each value an object with
``published``, ``title``, ``source``, ``url``; keys starting with ``_`` are
comments.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..model import Document
from .encoding import SourceError, read_text
from .records import OWN_MARKDOWN, OWN_OUTPUT, OWN_PAGE, first_line, parse_published

META = ("published", "title", "source", "url")
_ALIASES = {"date": "published"}  # Jekyll and Hugo call it "date"
_FENCE = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.M)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body). No front matter, or an unclosed one, gives ({}, text)."""
    m = _FENCE.match(text)
    if not m:
        return {}, text
    close = _CLOSE.search(text, m.end())
    if not close:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[m.end():close.start()].splitlines():
        kv = _LINE.match(line)
        value = _unquote(kv.group(2)) if kv else ""
        if value and value not in ("null", "~"):
            key = kv.group(1).lower()
            meta[_ALIASES.get(key, key)] = value
    return meta, text[close.end():]


def _unquote(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def load_manifest(folder: Path) -> tuple[dict[str, dict], str | None]:
    """(entries by file name, problem or None) for a folder's manifest.json."""
    path = folder / "manifest.json"
    if not path.is_file():
        return {}, None
    try:
        data = json.loads(read_text(path, repair=False))
    except SourceError as e:
        return {}, f"{e}; the files beside it were read without it"
    except json.JSONDecodeError as e:
        return {}, (f"not valid JSON ({e.msg} at line {e.lineno}): fix it; "
                    "the files beside it were read without it")
    if not isinstance(data, dict):
        return {}, ("not a JSON object keyed by file name; the files beside "
                    "it were read without it")
    return {k: v for k, v in data.items() if not k.startswith("_")}, None


def read_text_file(path: Path, doc_id: str, manifest: dict[str, dict]
                   ) -> Document:
    """A Document from a .txt/.md file; SourceError naming what is wrong."""
    meta, body = split_front_matter(read_text(path))
    if not body.strip():
        raise SourceError("empty file: it has front matter but no text")
    if OWN_PAGE in body:
        raise SourceError(f"a timeline page ({OWN_OUTPUT})")
    if OWN_MARKDOWN in body[:4096]:
        raise SourceError(f"a timeline in Markdown ({OWN_OUTPUT})")
    entry = manifest.get(path.name) or {}
    if not isinstance(entry, dict):
        raise SourceError(f"its manifest.json entry is not an object: "
                          f"{entry!r}")
    merged = {k: meta.get(k) or _text(entry.get(k)) for k in META}
    try:
        when = parse_published(merged["published"])
    except SourceError as e:
        where = "front matter" if meta.get("published") else "manifest.json"
        raise SourceError(f"{e} (in its {where})") from None
    return Document(
        id=doc_id,
        text=body,
        published=when,
        title=merged["title"] or first_line(body),
        source=merged["source"],
        url=merged["url"],
        path=str(path),
    )


def _text(v) -> str | None:
    return None if v is None else str(v).strip() or None
