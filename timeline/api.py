"""The Python API.  The CLI is a thin layer over these functions.

    tl = timeline.build(["seeds/"])          # read -> tag -> events -> table
    tl.events                                 # the pandas event table
    tl.figure()                               # a plotly Figure
    tl.to_html("report.html")                 # the interactive page
    timeline.resolve("next Tuesday", "2022-11-03")
    timeline.tag(text, published="2022-10-20")
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from . import temporal
from .events import extract_events
from .model import Document, TimeMention
from .sources import Skipped, iter_inputs
from .table import build_table


def parse_date(value: str | date | datetime | None, what: str = "date") -> date | datetime | None:
    """An explicit reference date from a string (ISO 8601) or a date."""
    if value is None or isinstance(value, (date, datetime)):
        return value
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date: write it as YYYY-MM-DD") from None
    if parsed.time() == datetime.min.time() and "T" not in value and ":" not in value:
        return parsed.date()
    return parsed.replace(tzinfo=None)


@dataclass
class Timeline:
    """The result of a build: the event table, the documents and what was skipped."""

    events: pd.DataFrame
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    title: str | None = None

    def figure(self, **options):
        from . import render
        options.setdefault("title", self.title)
        return render.figure(self.events, **options)

    def to_html(self, path: str | Path | None = None, *, full_html: bool = True,
                include_plotlyjs: bool | str = True, **options) -> str:
        """The interactive page (or, with ``full_html=False``, an embeddable
        fragment); ``include_plotlyjs``: True inlines plotly.js, "cdn" links it,
        False leaves it to the host page."""
        from . import render
        options.setdefault("title", self.title)
        return render.to_html(self.events, path, full_html=full_html,
                              include_plotlyjs=include_plotlyjs, **options)

    def save(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the table (csv, json, parquet, md, ics, TimelineJS), the page
        (html) or the tagged documents (tml), chosen by extension or ``fmt``."""
        from . import export
        kind = export.format_for(path, fmt)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "html":
            self.to_html(path)
            return path
        if kind == "timeml":
            from .sources.timeml import write_timeml
            parts = [write_timeml(d, tag(d.text, d.published)) for d in self.documents]
            path.write_text("\n".join(parts), encoding="utf-8")
            return path
        return export.write_table(self.events, path, kind, title=self.title)

    def summary(self) -> str:
        return (f"{len(self.documents)} document(s) read, {len(self.events)} event(s), "
                f"{len(self.skipped)} input(s) skipped")

    def _repr_html_(self) -> str:
        # notebooks: a fragment that loads plotly.js once from the CDN
        return self.to_html(full_html=False, include_plotlyjs="cdn")


def tag(text: str, published: str | date | datetime | None = None, *,
        tense: str | None = None) -> list[TimeMention]:
    """Every temporal expression in ``text``, resolved against ``published``."""
    return temporal.tag(text, parse_date(published, "publication date"), tense=tense)


def resolve(phrase: str, anchor: str | date | datetime, tense: str | None = None
            ) -> TimeMention | None:
    """What ``phrase`` means relative to ``anchor``; None if it holds no date."""
    ref = parse_date(anchor, "anchor")
    if ref is None:
        raise ValueError("resolve needs an anchor date")
    return temporal.resolve_phrase(phrase, ref, tense=tense)


def document_events(doc: Document):
    """Tag one document and return its events (the per-document unit of work)."""
    return extract_events(doc, temporal.tag(doc.text, doc.published))


def events_table(documents: Iterable[Document]) -> pd.DataFrame:
    docs = list(documents)
    events = [ev for d in docs for ev in document_events(d)]
    return build_table(events, {d.id: d for d in docs})


def build(inputs: Iterable[str | Path] | str | Path, *,
          published: str | date | None = None, allow_undated: bool = False,
          fields: dict[str, str] | None = None, title: str | None = None,
          progress=None) -> Timeline:
    """Read ``inputs`` (files or folders) and build their timeline.

    Bad inputs do not stop the batch: they are listed in ``Timeline.skipped``.
    ``progress`` is called with each document as it is read (for progress bars).
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    docs, skipped = [], []
    for item in iter_inputs(inputs, published=parse_date(published, "--published"),
                            allow_undated=allow_undated, fields=fields):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            docs.append(item)
            if progress:
                progress(item)
    return Timeline(events_table(docs), docs, skipped, title)
