"""Input readers: files and folders in, ``Document``s and reasons out.

Formats, by file extension (any case):

- ``.txt``, ``.md``: the text as is; metadata from front matter, then the
  folder's ``manifest.json`` (see ``text.py``).
- ``.html``, ``.htm``: a saved page; main text, title, URL, outlet and date
  from the page (see ``html.py``).
- ``.jsonl``, ``.ndjson``, ``.csv``, ``.tsv``: one article per record, fields
  ``id, url, title, published, text, source`` (see ``records.py``).
- ``.tml``: TimeML; the TEXT element's text, dated by its DCT.

Folders are read recursively, in sorted path order. Inside a folder, hidden
files and folders, ``manifest.json`` and ``README*`` files (metadata and
documentation, not articles) and files of any other extension are passed
over silently. A file named explicitly must be readable: an unknown
extension, a missing path, an empty or binary file, a malformed record, an
unreadable date, a publication date outside the years the event table holds
(1678-2261) or a document with no publication date each becomes a
``Skipped`` with the reason, so nothing is dropped without a word.

Document ids: a file's path relative to the folder given (its stem when the
file itself was given), without the extension; a record's ``id`` field, else
``<file stem>:<line or row>``. A repeated id gets ``-2``, ``-3``... in order.

An input given as a URL (``memory://``, ``s3://``, ``file://``... anything fsspec
knows) is a file or a folder (a prefix) there, read by the same rules through
fsspec (``remote.py``); its locations name the URL. A protocol fsspec does not
know, or whose package is not installed, is a ``Skipped`` saying so.

Text is decoded (UTF-8 with or without BOM, else a detected legacy
encoding) and mojibake repaired before any offset is computed.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..model import Document
from ..urls import URLError, is_url
from . import remote
from .encoding import SourceError
from .records import FIELDS, check_years, parse_published
from .remote import RemotePath

__all__ = ["ReadResult", "Reader", "Skipped", "iter_inputs", "read_inputs", "walk",
           "parse_date", "as_path", "SUFFIXES", "NO_DATE"]

_TEXT = {".txt", ".md", ".markdown"}
_HTML = {".html", ".htm"}
_JSONL = {".jsonl", ".ndjson"}
_CSV = {".csv", ".tsv"}
_TML = {".tml"}
SUFFIXES = tuple(sorted(_TEXT | _HTML | _JSONL | _CSV | _TML))

NO_DATE = ("no publication date: give one with --published YYYY-MM-DD, a "
           "manifest.json entry, front matter or a 'published' field")


@dataclass(frozen=True)
class Skipped:
    """An input, or one record of it, that gave no document, and why."""

    input: str  # the path, or "path:line N" / "path:row N" for a record
    reason: str


@dataclass
class ReadResult:
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_inputs(inputs: Iterable[str | Path], *, published: date | None = None,
                allow_undated: bool = False,
                fields: dict[str, str] | None = None) -> ReadResult:
    """Read every input; see the module docstring for what is read how."""
    result = ReadResult()
    for item in iter_inputs(inputs, published=published,
                            allow_undated=allow_undated, fields=fields):
        if isinstance(item, Skipped):
            result.skipped.append(item)
        else:
            result.documents.append(item)
    return result


def iter_inputs(inputs: Iterable[str | Path], *, published: date | None = None,
                allow_undated: bool = False,
                fields: dict[str, str] | None = None
                ) -> Iterator[Document | Skipped]:
    """Documents and Skipped in input order, one file at a time.

    ``published`` dates the documents that carry no date of their own.
    ``fields`` maps our field names to the user's record columns. Raises
    ValueError at once (not on first iteration) for a bad ``fields`` map.
    """
    fields = check_fields(fields)
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    return Reader(published, allow_undated, fields).run(inputs)


def check_fields(fields: dict[str, str] | None) -> dict[str, str]:
    """The ``fields`` map, checked: ValueError for a field name we do not have."""
    fields = dict(fields or {})
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field name(s) {', '.join(unknown)}: "
                         f"use {', '.join(FIELDS)}")
    return fields


def parse_date(value, what: str = "date") -> date | datetime | None:
    """An explicit date (an option's value: ISO 8601, or a date) through the
    one date parser, :func:`records.parse_published`; ValueError if it is none."""
    return parse_published(value, what, iso=True)


class Reader:
    """Reads inputs in order. ``unique_ids=False`` leaves repeated ids as they
    are, for callers that make them unique over several readers (the engines)."""

    def __init__(self, published, allow_undated, fields, unique_ids: bool = True):
        self.published = published
        self.allow_undated = allow_undated
        self.fields = fields
        self.unique_ids = unique_ids
        self.manifests: dict[Path, dict] = {}
        self.seen: dict[str, int] = {}

    def run(self, inputs) -> Iterator[Document | Skipped]:
        for arg in inputs:
            if is_url(arg):
                yield from self.run_url(arg)
                continue
            root = Path(arg)
            if root.is_dir():
                yield from self.folder(root)
            elif root.is_file():
                yield from self.named_file(root, arg)
            elif os.path.lexists(root) and (special := not_regular(root)) is not None:
                yield Skipped(str(arg), special)
            else:
                yield Skipped(str(arg), "no such file or folder")

    def run_url(self, url: str) -> Iterator[Document | Skipped]:
        """A URL input (``memory://``, ``s3://``...), read through fsspec."""
        try:
            root = remote.locate(url)
            kind = root.kind()
        except (URLError, OSError) as e:
            yield Skipped(url, f"cannot be read ({e.strerror})" if isinstance(e, OSError)
                          else str(e))
            return
        if kind == "directory":
            yield from self.folder(root)
        elif kind == "file":
            yield from self.named_file(root, url)
        else:
            yield Skipped(url, "no such file or folder")

    def folder(self, root) -> Iterator[Document | Skipped]:
        skipped: list[Skipped] = []
        paths = walk(root, skipped)
        yield from skipped
        for path in paths:
            rel = path.relative_to(root).with_suffix("")
            yield from self.read_file(path, rel.as_posix())

    def named_file(self, path, arg) -> Iterator[Document | Skipped]:
        if path.suffix.lower() in SUFFIXES:
            yield from self.read_file(path, path.stem)
        else:
            yield Skipped(str(arg), _unsupported(path))

    def read_file(self, path: Path, doc_id: str
                  ) -> Iterator[Document | Skipped]:
        suffix = path.suffix.lower()
        try:
            if suffix in _JSONL or suffix in _CSV:
                from .records import iter_csv, iter_jsonl

                reader = iter_jsonl if suffix in _JSONL else iter_csv
                for where, got in reader(path, self.fields):
                    yield self.finish(got, where)
                return
            if suffix in _TEXT:
                from .text import read_text_file

                manifest = yield from self.manifest(path.parent)
                doc = read_text_file(path, doc_id, manifest)
            elif suffix in _HTML:
                from .html import read_html_file

                doc = read_html_file(path, doc_id)
            else:
                doc = _read_timeml(path)
        except SourceError as e:
            yield Skipped(str(path), str(e))
            return
        yield self.finish(doc, str(path))

    def manifest(self, folder: Path):
        """The folder's manifest entries; reports a broken one once."""
        if folder not in self.manifests:
            from .text import load_manifest

            entries, problem = load_manifest(folder)
            self.manifests[folder] = entries
            if problem:
                yield Skipped(str(folder / "manifest.json"), problem)
        return self.manifests[folder]

    def finish(self, got: Document | SourceError, where: str
               ) -> Document | Skipped:
        if isinstance(got, SourceError):
            return Skipped(where, str(got))
        doc = got
        if doc.published is None and self.published is not None:
            doc = replace(doc, published=self.published)
        if doc.published is None and not self.allow_undated:
            return Skipped(where, NO_DATE)
        try:  # every reader's date, and --published, ends here
            check_years(doc.published)
        except SourceError as e:
            return Skipped(where, str(e))
        if not self.unique_ids:
            return doc
        n = self.seen.get(doc.id, 0) + 1
        self.seen[doc.id] = n
        if n > 1:
            doc = replace(doc, id=f"{doc.id}-{n}")
        return doc


def _read_timeml(path: Path) -> Document:
    try:
        from .timeml import read_timeml_document
    except ImportError as e:
        raise SourceError(f"the TimeML reader is not available ({e})") from None
    try:
        doc = read_timeml_document(path)
        return doc if doc.path else replace(doc, path=str(path))
    except SourceError:
        raise
    except (ValueError, SyntaxError, OSError, UnicodeDecodeError) as e:
        # xml.etree's ParseError is a SyntaxError
        raise SourceError(f"not a readable TimeML file: {e}") from None


def as_path(name: str | Path) -> Path | RemotePath:
    """A path the readers take: a URL's RemotePath (not looked up), else a local Path."""
    return remote.locate(name) if is_url(name) else Path(name)


def walk(root: Path | RemotePath, skipped: list[Skipped] | None = None) -> list[Path]:
    """The article files under a folder, sorted, without hidden or metadata files.

    Only regular files (or links to them): a FIFO, a device, a socket or a
    broken link with an article's extension would hang or never end a read,
    so it is left out, and added to ``skipped`` with the reason when given;
    so is a folder with no article file at all."""
    if isinstance(root, RemotePath):
        paths = remote.walk(root, odd := [], SUFFIXES)
        if skipped is not None:
            skipped += [Skipped(where, reason) for where, reason in odd]
        return paths
    found, odd = [], []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            low = name.lower()
            if (name.startswith(".") or low == "manifest.json"
                    or low.startswith("readme")):
                continue
            path = Path(folder, name)
            if path.suffix.lower() in SUFFIXES:
                if (reason := not_regular(path)) is None:
                    found.append(path)
                else:
                    odd.append((path, reason))
    def order(p: Path):
        return p.relative_to(root).parts
    if skipped is not None:
        skipped += [Skipped(str(p), r) for p, r in sorted(odd, key=lambda x: order(x[0]))]
        if not found and not odd:
            skipped.append(Skipped(str(root), "no article files in this folder: timeline "
                                              f"reads {', '.join(SUFFIXES)}"))
    return sorted(found, key=order)


_KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder")]


def not_regular(path: Path) -> str | None:
    """None for a regular file (or a link to one), else why it is not read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        if os.path.islink(path):
            return f"a broken symbolic link ({e.strerror})"
        return f"cannot be read ({e.strerror})"
    if stat.S_ISREG(mode):
        return None
    kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
    link = " (through a symbolic link)" if os.path.islink(path) else ""
    return f"not a regular file: {kind}{link}; timeline reads only regular files"


def _unsupported(path: Path) -> str:
    if path.name.lower() == "manifest.json":
        return ("manifest.json holds metadata for the text files beside it: "
                "give the folder or those files instead")
    kind = f"'{path.suffix}'" if path.suffix else "without an extension"
    return (f"unsupported file type {kind}: timeline reads "
            f"{', '.join(SUFFIXES)}")
