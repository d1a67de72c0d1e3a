"""A time budget per document: a safety net, not a speed target.

The stages are linear in their input, so a document never takes long because
of its shape; but an input nobody foresaw must not hold up a batch of
thousands. The pipeline runs each document under :func:`limit`; the tagger
and the event stage call :func:`check` once per expression, and a document
over its budget raises :class:`OverBudget`, which the pipeline turns into a
skipped input named with its reason. The budget is generous (seconds per
document plus seconds per 10 KB), so ordinary documents never meet it and
outputs do not depend on the machine's speed in practice.
"""
from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

BASE_SECONDS = 60.0  # every document
PER_10KB_SECONDS = 20.0  # and this much more per 10 KB of text

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline",
                                                                          default=None)


class OverBudget(Exception):
    """A document took longer than its time budget."""


def seconds_for(chars: int) -> float:
    """The budget of a document of ``chars`` characters."""
    return BASE_SECONDS + PER_10KB_SECONDS * chars / 10_240


@contextmanager
def limit(seconds: float | None) -> Iterator[None]:
    """Run the block with a budget of ``seconds`` (None: no budget)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Raise OverBudget when the current document's budget is spent."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget("took longer than its time budget")
