"""A progress bar on stderr for runs over many documents.

    with Progress(total=estimate_total(inputs)) as bar:
        tl = api.build(inputs, progress=bar.update)

It draws only on a terminal (never into a pipe, a file or a test runner's
capture), only once the run has lasted ``delay`` seconds (short runs stay
silent), at most ten times a second, and erases itself when done, so what
stays on stderr is the skipped inputs and the summary line. ``total`` may be
None (a count without a bar) or an estimate: records are counted before they
are parsed, so a malformed line still counts one.

Own code rather than ``click.progressbar``: that one draws from the first
item, leaves its last frame on screen and needs the length up front.
"""
from __future__ import annotations

import csv
import io
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from .model import Document

__all__ = ["Progress", "estimate_total"]


class Progress:
    """Counts documents and skipped inputs; draws ``[####----]  12/40 documents`` lines."""

    def __init__(self, total: int | None = None, *, file=None, enabled: bool | None = None,
                 delay: float = 0.5, interval: float = 0.1, clock=time.monotonic):
        self.file = file if file is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.file, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.total = total if total and total > 0 else None
        self.done = 0
        self.skipped = 0
        self.label = ""
        self.delay, self.interval, self.clock = delay, interval, clock
        self.started = clock()
        self.last_draw: float | None = None
        self.drawn = 0  # width of what is on screen, to erase it

    def update(self, item=None) -> None:
        """One more input handled: a Document, or anything else for a skipped one."""
        if isinstance(item, Document):
            self.done += 1
            self.label = item.id
        else:
            self.skipped += 1
            self.label = str(getattr(item, "input", "") or "")
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self.last_draw is not None and now - self.last_draw < self.interval:
            return
        self.last_draw = now
        self._draw()

    def line(self, width: int = 80) -> str:
        """The text of one frame, at most ``width`` characters."""
        n = self.done + self.skipped
        counts = f"{self.done} document{'s' * (self.done != 1)}"
        if self.skipped:
            counts += f", {self.skipped} skipped"
        if self.total:
            total = max(self.total, n)
            bar_width = max(10, min(30, width // 4))
            filled = int(bar_width * n / total)
            head = f"[{'#' * filled}{'-' * (bar_width - filled)}] {100 * n // total:3d}%  "
            counts = f"{head}{n}/{total}: {counts}"
        text = f"{counts}  {self.label}" if self.label else counts
        return text if len(text) <= width else text[: width - 1] + "…"

    def _draw(self) -> None:
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        text = self.line(width)
        pad = " " * max(0, self.drawn - len(text))
        self.file.write("\r" + text + pad)
        self.file.flush()
        self.drawn = len(text)

    def close(self) -> None:
        """Erase the bar, if one was drawn."""
        if self.enabled and self.drawn:
            self.file.write("\r" + " " * self.drawn + "\r")
            self.file.flush()
            self.drawn = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def estimate_total(inputs: Iterable[str | Path]) -> int:
    """About how many documents and skipped inputs ``inputs`` hold: one per file,
    one per non-blank JSON line, one per CSV row (read, not parsed as articles);
    0 (unknown) when one is a URL."""
    from .sources import SUFFIXES, walk
    from .urls import is_url

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if any(is_url(arg) for arg in inputs):
        return 0  # unknown: a remote input is not read twice to count it (a count, no bar)
    n = 0
    for arg in inputs:
        root = Path(arg)
        if root.is_dir():
            n += sum(_records(p) for p in walk(root))
        elif root.is_file() and root.suffix.lower() in SUFFIXES:
            n += _records(root)
        else:
            n += 1  # a missing or unsupported path: one skipped input
    return n


def _records(path: Path) -> int:
    from .sources.records import allow_long_fields, csv_delimiter
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as f:
                return max(1, sum(1 for line in f if line.strip()))
        if suffix in (".csv", ".tsv"):
            with path.open("rb") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
                header = text.readline()
                allow_long_fields()
                rows = sum(1 for row in csv.reader(text, delimiter=csv_delimiter(path, header))
                           if row)
            return max(1, rows)
    except (OSError, csv.Error):
        pass
    return 1
