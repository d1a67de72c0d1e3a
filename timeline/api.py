"""The Python API.  The CLI is a thin layer over these functions.

    tl = timeline.build(["seeds/"])          # read -> tag -> events -> table
    tl = timeline.build(["archive.jsonl"], workers=2, store="events/")  # an engine
    tl.events                                 # the pandas event table
    tl.figure()                               # a plotly Figure
    tl.to_html("report.html")                 # the interactive page
    timeline.resolve("next Tuesday", "2022-11-03")
    timeline.tag(text, published="2022-10-20")
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from typing import TYPE_CHECKING

from . import pipeline, temporal
from .model import Document, TimeMention
from .partition import CHUNK_DOCS
from .pipeline import document_events, parse_date
from .sources import Skipped, iter_inputs

if TYPE_CHECKING:  # pandas, numpy and pyarrow load with the first table, not for tag/resolve
    import pandas as pd

__all__ = ["EngineTimeline", "Timeline", "build", "document_events", "parse_date", "read",
           "resolve", "tag", "tag_documents"]
ENGINES = ("local", "dask")


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
        from . import atomic, export
        kind = self.format_for(path, fmt)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "html":
            self.to_html(path)
            return path
        if kind == "image":  # kaleido renders the figure with the machine's Chromium
            fig = self.figure(static=True)  # no range slider or buttons on paper
            image = fig.to_image(format=path.suffix[1:].lower(), width=1280,
                                 height=fig.layout.height or 720)
            atomic.write_bytes(path, image)
            return path
        if kind == "timeml":
            from .sources.timeml import write_timeml
            doc = self.documents[0]
            atomic.write_text(path, write_timeml(doc, tag(doc.text, doc.published)))
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

    @property
    def document_count(self) -> int:
        """Documents read and dated (``documents`` may hold fewer: see ``build``)."""
        return len(self.documents)

    @property
    def event_count(self) -> int:
        """Rows of ``events``."""
        return len(self.events)


    def close(self) -> None:
        """Release what the build holds (an engine's temporary store); a no-op here."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def summary(self, dates: int | None = None, sentences: int = 2, *,
                start: str | date | None = None, end: str | date | None = None,
                lang: str = "en"):
        """The key dates: with ``dates=L``, a DataFrame of the L most important
        dates (inside ``start``..``end`` when given), ``sentences`` sentences each
        as written in the articles (columns date, sentence, event_id, sources,
        doc_id, url; ordered by date; see :mod:`timeline.summarize`).  Without
        ``dates``: the one-line run summary (documents read, events, skipped)."""
        if dates is None:
            return pipeline.summary(self.document_count, self.event_count, len(self.skipped))
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
    """What ``phrase`` means relative to ``anchor``; None if it holds no date.
    (``read_phrase`` also says which words no rule read.)"""
    return read_phrase(phrase, anchor, tense).mention


def read_phrase(phrase: str, anchor: str | date | datetime, tense: str | None = None):
    """``phrase`` read whole against ``anchor``: a ``Reading`` with ``mention``
    (None if it holds no date) and ``unread``, its words no rule read."""
    ref = parse_date(anchor, "anchor")
    if ref is None:
        raise ValueError("resolve needs an anchor date")
    return temporal.read_phrase(phrase, ref, tense=tense)


class EngineTimeline(Timeline):
    """The Timeline of an engine build: the tables stay in the engine's store
    (``store``) until they are used; csv and parquet are written from it month
    by month. ``documents`` is empty unless built with ``keep_documents``.
    Close it (or use ``with``) to remove a temporary store."""

    def __init__(self, run, title: str | None = None):
        self.run = run
        self.title = title
        self.skipped = run.skipped
        self.documents = run.document_list or []
        self._events = self._mentions = None

    @property
    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = self.run.table()
        return self._events

    @property
    def mentions(self) -> pd.DataFrame:
        if self._mentions is None:
            self._mentions = self.run.mention_table()
        return self._mentions

    @property
    def store(self) -> Path | str:
        """The store's folder, or its URL on object storage."""
        return self.run.store

    @property
    def document_count(self) -> int:
        return self.run.documents

    @property
    def event_count(self) -> int:
        return self.run.events

    def save(self, path: str | Path, fmt: str | None = None) -> Path:
        from .scale import STREAMED
        kind = self.format_for(path, fmt)
        if kind in STREAMED:  # month by month from the store, never whole in memory
            return self.run.write_table(path, kind, self.title)
        return super().save(path, kind)

    def close(self) -> None:
        self.run.close()


def tag_documents(documents: Iterable[Document]
                  ) -> Iterator[tuple[Document, list[TimeMention] | Skipped]]:
    """(document, its temporal expressions) for each document, or (document, the
    Skipped naming it) when the tagger fails on it (``timeline tag``)."""
    for doc in documents:
        mentions, skipped = pipeline.attempt(doc, pipeline.document_mentions)
        yield doc, mentions if skipped is None else skipped


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
          progress=None, statements: bool = False, workers: int | None = None,
          engine: str | None = None, store: str | Path | None = None,
          scheduler: str | None = None, chunk_docs: int = CHUNK_DOCS, merge: bool = True,
          keep_documents: bool = False) -> Timeline:
    """Read ``inputs`` (files or folders) and build their timeline.

    Mentions of one happening in several articles become one row with all its
    sources (``timeline.merge``; ``merge=False``: one row per mention);
    ``statements`` keeps undated statements ("Kirby said ...") as rows at
    their publication date.

    Bad inputs do not stop the batch: they are listed in ``Timeline.skipped``,
    and so is a document whose text the tagger fails on (a bug to report, but
    not a reason to lose the other documents; :func:`pipeline.attempt`).
    ``progress`` is called with each document once it is dated, or with each
    ``Skipped`` (for progress bars, see :mod:`timeline.progress`).

    With none of ``workers``, ``engine``, ``store``, ``scheduler`` the build runs
    in this process, one document at a time. Otherwise an engine runs it:
    ``engine="local"`` (the default then) on ``workers`` processes (default:
    all cores, :mod:`timeline.scale`), ``engine="dask"`` on a Dask cluster
    (``scheduler``'s, else a local one of ``workers`` workers,
    :mod:`timeline.distributed`), in parts of ``chunk_docs`` documents, in
    bounded memory; ``store`` keeps the event table there as Parquet by month
    (a temporary folder otherwise, removed by ``Timeline.close()``). The
    result is the same for any ``workers``, ``chunk_docs`` or engine; its
    ``documents`` are kept only with ``keep_documents`` (the progress
    callback gets them without their text).
    """
    if scheduler is not None and engine is None:
        engine = "dask"
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")
    if engine is None and workers is None and store is None:
        return _build_here(inputs, published, allow_undated, fields, title, progress,
                           statements, merge)
    opts = dict(workers=workers, store=store, chunk_docs=chunk_docs, published=published,
                allow_undated=allow_undated, fields=fields, merge=merge,
                statements=statements, keep_documents=keep_documents, progress=progress)
    if engine == "dask":
        from . import distributed
        run = distributed.run(inputs, scheduler=scheduler, **opts)
    else:
        from . import scale
        run = scale.run(inputs, **opts)
    return EngineTimeline(run, title)


def _build_here(inputs, published, allow_undated, fields, title, progress, statements,
                merge) -> Timeline:
    """The in-process build: each document read, then dated (:class:`pipeline.Mentions`)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    docs, skipped = [], []
    rows = pipeline.Mentions()
    for item in iter_inputs(inputs, published=parse_date(published, "--published"),
                            allow_undated=allow_undated, fields=fields):
        if not isinstance(item, Skipped):
            failed = rows.add(item)
            if failed is None:
                docs.append(item)
            else:
                item = failed
        if isinstance(item, Skipped):
            skipped.append(item)
        if progress:
            progress(item)
    mentions = rows.table()
    from .merge import merge_events
    events = merge_events(mentions, statements=statements) if merge else mentions
    return Timeline(events, docs, skipped, title, mentions)
