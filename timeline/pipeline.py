"""The pipeline of one document: a Document in, its mentions and mention rows out.

Every way of building runs documents through here: ``timeline.build`` in
process, the local engine's workers (:mod:`timeline.scale`), the Dask
engine's tasks (:mod:`timeline.distributed`) and ``timeline tag``. So there
is one failure policy (:func:`attempt`): a document the tagger or the events
stage fails on becomes a ``Skipped`` naming it, and the batch goes on; and one
summary line (:func:`summary`).

    events, failure = attempt(doc)                      # the events stage
    mentions, failure = attempt(doc, document_mentions)  # the tagger only
    rows = Mentions(); rows.add(doc); rows.table()      # the mention table
"""
from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import budget, temporal
from .events import extract_events
from .model import Document, Event, TimeMention
from .sources import Skipped, parse_date

if TYPE_CHECKING:  # pandas loads with the table: `timeline tag` and `resolve` need neither
    import pandas as pd

__all__ = ["Mentions", "ORDER_BITS", "attempt", "document_events", "document_mentions",
           "failure", "parse_date", "summary"]

ORDER_BITS = 20  # events per document < 2**20 in an event order number


def document_mentions(doc: Document) -> list[TimeMention]:
    """The document's temporal expressions, resolved against its publication date."""
    return temporal.tag(doc.text, doc.published)


def document_events(doc: Document) -> list[Event]:
    """Tag one document and return its events (the per-document unit of work)."""
    return extract_events(doc, document_mentions(doc))


def failure(doc: Document, error: Exception) -> Skipped:
    """The Skipped of a document a stage failed on: named by path and id, with the error."""
    where = f"{doc.path} (document {doc.id})" if doc.path else doc.id
    return Skipped(where, f"failed while dating its text ({type(error).__name__}: {error}); "
                          "please report it with this document")


def attempt(doc: Document, stage: Callable[[Document], list] | None = None):
    """(what ``stage`` gives for ``doc``, None), or (None, the Skipped) if it raises.

    The one failure policy: a document that breaks the tagger is a bug to
    report, not a reason to lose the other documents. ``stage`` defaults to
    :func:`document_events` (looked up when called)."""
    try:
        with budget.limit(budget.seconds_for(len(doc.text))):
            return (stage or document_events)(doc), None
    except budget.OverBudget as e:  # a safety net: the stages are linear in their input
        where = f"{doc.path} (document {doc.id})" if doc.path else doc.id
        return None, Skipped(where, f"{e} ({budget.seconds_for(len(doc.text)):.0f} s for "
                                    f"{len(doc.text):,} characters); split it or report it")
    except Exception as e:  # noqa: BLE001 - one document must not sink the batch
        return None, failure(doc, e)


class Mentions:
    """The mention rows of documents added in order (each through :func:`attempt`).

    ``first`` is the number of the first document over the whole build; each
    event gets an order number ``(document number << ORDER_BITS) | event
    number`` (:meth:`orders`), which the engines use to keep input order."""

    def __init__(self, first: int = 0):
        self.number = first
        self.events: list[Event] = []
        self.documents: dict[str, Document] = {}
        self._order: dict[str, deque] = defaultdict(deque)

    def add(self, doc: Document) -> Skipped | None:
        """Date ``doc``: None once its events are in, else the Skipped naming it."""
        n, self.number = self.number, self.number + 1
        events, skipped = attempt(doc)
        if skipped is not None:
            return skipped
        self.documents[doc.id] = doc
        from .table import event_id
        for j, ev in enumerate(events):
            self.events.append(ev)
            self._order[event_id(doc.id, ev)].append((n << ORDER_BITS) | j)
        return None

    def table(self) -> pd.DataFrame:
        """One row per mention (``table.COLUMNS``), in table order."""
        from .table import build_table
        return build_table(self.events, self.documents)

    def orders(self, table: pd.DataFrame) -> list[int]:
        """The order number of each row of :meth:`table` (called once)."""
        # equal ids mean equal events (same document, span and value): the stable
        # sort kept them in document order, so they take their numbers in that order
        return [self._order[e].popleft() for e in table["event_id"]]


def summary(documents: int, count: int, skipped: int, what: str = "event(s)",
            note: str = "") -> str:
    """The last line of every run: documents read, what was found, inputs skipped."""
    return (f"{documents} document(s) read, {count} {what}{note}, "
            f"{skipped} input(s) skipped")
