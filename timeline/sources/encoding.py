"""Bytes to text: BOMs, legacy encodings, binary files and mojibake.

Everything here runs before any character offset is computed, so the text a
reader returns is the text every later stage indexes into.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import ftfy
from ftfy import badness


class SourceError(Exception):
    """An input that cannot become a document; the message is the reason."""


_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Legacy code pages worth considering for news text; a wider search makes
# charset-normalizer pick exotic pages (cp1006, hp_roman8) for short texts.
_CANDIDATES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
    "cp1257", "koi8_r", "cp874", "shift_jis", "euc_jp", "gb18030", "big5",
    "euc_kr",
]
# Code pages that write the Latin alphabet: when the detector lands on one of
# them, cp1252 (Windows "Western") is the likelier truth, since the detector
# cannot tell them apart on short texts and it picks cp1250 for French.
_LATIN_PAGES = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1",
                "iso8859_15", "iso8859_2"}


def read_text(path: str | Path, repair: bool = True, nul: bool = False) -> str:
    """The text of a file, decoded and repaired; SourceError when it has none.
    ``nul``: a few NUL bytes are allowed (kept in the text; see :func:`decode`)."""
    source = path if hasattr(path, "read_bytes") else Path(path)  # a Path, or a RemotePath
    try:
        data = source.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read the file: {e.strerror or e}") from None
    text = decode(data, nul=nul)
    return repair_mojibake(text) if repair else text


def decode(data: bytes, declared: str | None = None, nul: bool = False) -> str:
    """Decode file bytes: BOM, else UTF-8, else ``declared``, else detection.

    A NUL byte means binary data, unless ``nul``: then only as many as the
    control characters :func:`_check_text` tolerates (a record file with one
    corrupted cell)."""
    if not data.strip():
        raise SourceError("empty file: it has no text")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(enc))
            except UnicodeDecodeError:
                raise SourceError(f"not a text file: it starts with a {enc} "
                                  "byte-order mark but is not valid "
                                  f"{enc}") from None
    if b"\x00" in data and not nul:
        raise SourceError("not a text file: it contains NUL bytes "
                          "(binary data such as an image, PDF or archive)")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return _check_text(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return _check_text(_detect(data))


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise SourceError("not a text file: its bytes match no known text "
                          "encoding; save it as UTF-8")
    if best.encoding in _LATIN_PAGES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _check_text(text: str) -> str:
    # Control characters other than whitespace mean binary data that happened
    # to decode (a few stray ones occur in scraped text, hence a ratio).
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc"
              and ch not in "\t\n\r\f\v\x85")
    if bad > max(2, len(text) // 100):
        raise SourceError("not a text file: it is full of control characters "
                          "(binary data?)")
    if not text.strip():
        raise SourceError("empty file: it has no text")
    return text


# UTF-8 bytes E2 80 xx (curly quotes, dashes, ellipsis, bullet) read as a
# single-byte code page: "â€œ" (cp1252), "β€œ" (cp1253), "вЂњ" (cp1251).
# Pages without a character for the third byte borrow cp1252's, so mixes
# like "β€œ" occur that ftfy, which assumes one code page, leaves alone.
_HYBRID = re.compile("[âβв]€(.)", re.S)


def _hybrid_byte(ch: str) -> int | None:
    for enc in ("cp1252", "cp1253", "cp1251", "latin-1"):
        try:
            b = ch.encode(enc)
        except UnicodeEncodeError:
            continue
        if 0x80 <= b[0] <= 0xBF:
            return b[0]
    return None


def _fix_hybrid(m: re.Match) -> str:
    b = _hybrid_byte(m.group(1))
    if b is None:
        return m.group(0)
    try:
        return bytes((0xE2, 0x80, b)).decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded with a legacy code page, and nothing else.

    Only ftfy's encoding repair is used, and only when ftfy's own detector
    finds mojibake: ``ftfy.fix_text`` with its defaults would also straighten
    curly quotes and change clean text.
    """
    if badness.is_bad(text):
        text = ftfy.fix_encoding(text)
    return _HYBRID.sub(_fix_hybrid, text)
