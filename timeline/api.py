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
from .merge import merge_events
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
    # one row per mention, before merging (``events`` has one row per happening;
    # its ``members`` column lists the event_ids of these rows)
    mentions: pd.DataFrame | None = None

    def explain(self, event_id: str):
        """(the merged row holding ``event_id``, its member mentions)."""
        from .merge import explain
        return explain(self.events, self.mentions, event_id)

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
        (html) or the tagged document (tml), chosen by extension or ``fmt``."""
        from . import export
        kind = self.format_for(path, fmt)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "html":
            self.to_html(path)
            return path
        if kind == "image":  # kaleido renders the figure with the machine's Chromium
            self.figure().write_image(str(path), width=1280, height=720)
            return path
        if kind == "timeml":
            from .sources.timeml import write_timeml
            doc = self.documents[0]
            path.write_text(write_timeml(doc, tag(doc.text, doc.published)), encoding="utf-8")
            return path
        return export.write_table(self.events, path, kind, title=self.title)

    def format_for(self, path: str | Path, fmt: str | None = None) -> str:
        """The format ``save`` would write ``path`` in; ValueError, before anything
        is written, if it cannot (unknown extension, TimeML of several documents)."""
        from . import export
        kind = export.format_for(path, fmt)
        if kind == "timeml" and len(self.documents) != 1:
            raise ValueError(
                f"{path}: a TimeML file holds one document and this timeline has "
                f"{len(self.documents)}; write one .tml per document with "
                "`timeline tag INPUT... --format timeml --out-dir DIR`")
        return kind

    def summary(self, dates: int | None = None, sentences: int = 2, *,
                start: str | date | None = None, end: str | date | None = None,
                lang: str = "en"):
        """The key dates: with ``dates=L``, a DataFrame of the L most important
        dates (inside ``start``..``end`` when given), ``sentences`` sentences each
        as written in the articles (columns date, sentence, event_id, sources,
        doc_id, url; ordered by date; see :mod:`timeline.summarize`).  Without
        ``dates``: the one-line run summary (documents read, events, skipped)."""
        if dates is None:
            return (f"{len(self.documents)} document(s) read, {len(self.events)} event(s), "
                    f"{len(self.skipped)} input(s) skipped")
        from . import summarize
        return summarize.summarize(self.events, self.mentions, dates=dates, sentences=sentences,
                                   start=parse_date(start, "start"), end=parse_date(end, "end"),
                                   lang=lang)

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


def events_table(documents: Iterable[Document], *, statements: bool = False) -> pd.DataFrame:
    """The merged event table of ``documents`` (see :mod:`timeline.merge`)."""
    docs = list(documents)
    events = [ev for d in docs for ev in document_events(d)]
    return merge_events(build_table(events, {d.id: d for d in docs}), statements=statements)


def read(inputs: Iterable[str | Path] | str | Path, *,
         published: str | date | None = None, allow_undated: bool = False,
         fields: dict[str, str] | None = None, progress=None
         ) -> tuple[list[Document], list[Skipped]]:
    """Read ``inputs`` (files or folders) without dating them: (documents,
    skipped inputs), for callers that only tag (``timeline tag``)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    docs, skipped = [], []
    for item in iter_inputs(inputs, published=parse_date(published, "--published"),
                            allow_undated=allow_undated, fields=fields):
        (skipped if isinstance(item, Skipped) else docs).append(item)
        if progress:
            progress(item)
    return docs, skipped


def build(inputs: Iterable[str | Path] | str | Path, *,
          published: str | date | None = None, allow_undated: bool = False,
          fields: dict[str, str] | None = None, title: str | None = None,
          progress=None, statements: bool = False) -> Timeline:
    """Read ``inputs`` (files or folders) and build their timeline.

    Mentions of one happening in several articles become one row with all its
    sources (``timeline.merge``); ``statements`` keeps undated statements
    ("Kirby said ...") as rows at their publication date.

    Bad inputs do not stop the batch: they are listed in ``Timeline.skipped``,
    and so is a document whose text the tagger fails on (a bug to report, but
    not a reason to lose the other documents). Each document is dated as it is
    read; ``progress`` is then called with it, or with each ``Skipped`` (for
    progress bars, see :mod:`timeline.progress`).
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    docs, skipped, events = [], [], []
    for item in iter_inputs(inputs, published=parse_date(published, "--published"),
                            allow_undated=allow_undated, fields=fields):
        if not isinstance(item, Skipped):
            try:
                events.extend(document_events(item))
                docs.append(item)
            except Exception as e:  # noqa: BLE001 - one document must not sink the batch
                where = f"{item.path} (document {item.id})" if item.path else item.id
                item = Skipped(where, f"failed while dating its text ({type(e).__name__}: {e}); "
                                      "please report it with this document")
        if isinstance(item, Skipped):
            skipped.append(item)
        if progress:
            progress(item)
    mentions = build_table(events, {d.id: d for d in docs})
    return Timeline(merge_events(mentions, statements=statements), docs, skipped, title,
                    mentions)
