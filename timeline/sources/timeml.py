"""TimeML (.tml) reading and writing: a Document plus its gold TIMEX3 spans.

The document text is the text content of <TEXT> with inner tags removed,
concatenated exactly; TIMEX3 offsets index that string (TempEval-3 rules).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from os import PathLike
from pathlib import Path

from timeline.model import Document, TimeMention

from .records import parse_published


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """A TIMEX3 annotated inside <TEXT>; ``text == Document.text[start:end]``."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    tid: str = ""


def read_timeml(path: str | PathLike) -> tuple[Document, list[GoldTimex]]:
    """Read a .tml file: its Document (DCT as ``published``) and gold TIMEX3s."""
    if not hasattr(path, "read_bytes"):  # a RemotePath (sources.remote) reads itself
        path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:  # a ValueError naming the file, like a malformed one's
        raise ValueError(f"{path}: cannot read the file ({e.strerror or e})") from None
    return parse_timeml(data, doc_id=path.stem, path=str(path))


def read_timeml_document(path: str | PathLike) -> Document:
    return read_timeml(path)[0]


def parse_timeml(source: str | bytes, doc_id: str = "",
                 path: str | None = None) -> tuple[Document, list[GoldTimex]]:
    """Parse TimeML from a string or bytes (what ``read_timeml`` does after reading)."""
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        raise ValueError(f"{path or doc_id or 'TimeML'}: not well-formed XML ({exc})") from None
    text_el = _first(root, "TEXT")
    if text_el is None:
        raise ValueError(f"{path or doc_id or 'TimeML'}: no <TEXT> element")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    _walk(text_el, parts, [0], gold)
    text = "".join(parts)
    gold.sort(key=lambda g: (g.start, -g.end))
    title_el = _first(root, "TITLE")
    title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else ""
    doc = Document(id=doc_id, text=text, published=_dct(root), title=title or None, path=path)
    return doc, gold


def _walk(el: ET.Element, parts: list[str], pos: list[int], gold: list[GoldTimex]) -> None:
    # Recursive so a TIMEX3's extent covers any tags nested inside it.
    if el.text:
        parts.append(el.text)
        pos[0] += len(el.text)
    for child in el:
        start, first = pos[0], len(parts)
        _walk(child, parts, pos, gold)
        if _local(child.tag) == "TIMEX3":
            a = child.attrib
            gold.append(GoldTimex(start, pos[0], "".join(parts[first:]), a.get("type", ""),
                                  a.get("value", ""), a.get("mod") or None, a.get("tid", "")))
        if child.tail:
            parts.append(child.tail)
            pos[0] += len(child.tail)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(root: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in root.iter() if _local(e.tag) == name), None)


def _dct(root: ET.Element) -> date | datetime | None:
    timexes = [e for e in root.iter() if _local(e.tag) == "TIMEX3"]
    dct = next((t for t in timexes if t.get("functionInDocument") == "CREATION_TIME"), None)
    if dct is None:  # some files omit functionInDocument on the DCT
        dct_el = _first(root, "DCT")
        dct = _first(dct_el, "TIMEX3") if dct_el is not None else None
    return parse_dct(dct.get("value", "")) if dct is not None else None


_DCT = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:T(\d\d):?(\d\d)(?::?(\d\d))?)?")


def parse_dct(value: str) -> date | datetime | None:
    """A DCT value as a date, or a datetime when it carries a clock time.

    Partial values ("1998-08", "1998-W32") give None rather than a guessed day.
    The DCT's own spellings (19980807, a trailing "TMO") are read here; the
    date itself by the inputs' one parser, :func:`records.parse_published`.
    """
    m = _DCT.match(value.strip())
    if not m:
        return None
    y, mo, d, h, mi, s = m.groups()
    iso = f"{y}-{mo}-{d}" + ("" if h is None else f"T{h}:{mi}:{s or '00'}")
    try:
        return parse_published(iso, "DCT", iso=True)
    except ValueError:
        return None


def write_timeml(doc: Document, mentions: list[TimeMention]) -> str:
    """A TimeML document with ``mentions`` as inline TIMEX3s.

    Overlapping mentions cannot nest in TimeML: the earlier (then longer) one
    is kept. ``read_timeml`` on the result gives back ``doc.text`` and the
    kept mentions as gold.
    """
    kept, last_end = [], -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if doc.text[m.start:m.end] != m.text:
            raise ValueError(f"{doc.id}: mention {m.text!r} does not match the text "
                             f"at {m.start}:{m.end}")
        if m.start >= last_end and m.end > m.start:
            kept.append(m)
            last_end = m.end
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n']
    if doc.id:
        out.append(f"<DOCID>{_esc(doc.id)}</DOCID>\n")
    if doc.published is not None:
        p = doc.published
        value = p.isoformat(timespec="seconds") if isinstance(p, datetime) else p.isoformat()
        kind = "TIME" if isinstance(p, datetime) else "DATE"
        out.append(f'<DCT><TIMEX3 tid="t0" type="{kind}" value="{value}" '
                   f'functionInDocument="CREATION_TIME">{value}</TIMEX3></DCT>\n')
    if doc.title:
        out.append(f"<TITLE>{_esc(doc.title)}</TITLE>\n")
    out.append("<TEXT>")
    pos = 0
    for i, m in enumerate(kept, 1):
        attrs = {"tid": f"t{i}", "type": m.type, "value": m.value, "mod": m.mod,
                 "freq": m.freq, "quant": m.quant}
        attr_text = "".join(f' {k}="{_esc(v, attr=True)}"' for k, v in attrs.items() if v)
        out.append(f"{_esc(doc.text[pos:m.start])}<TIMEX3{attr_text}>{_esc(m.text)}</TIMEX3>")
        pos = m.end
    out.append(f"{_esc(doc.text[pos:])}</TEXT>\n</TimeML>\n")
    return "".join(out)


# Characters XML 1.0 cannot hold; replaced one-for-one so offsets survive.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _esc(s: str, attr: bool = False) -> str:
    s = _INVALID.sub("\ufffd", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A literal CR would be normalised to LF by any XML parser; a reference survives.
    s = s.replace("\r", "&#13;")
    if attr:  # attribute values also normalise tabs and newlines to spaces
        s = s.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return s
