"""Which events get a text label, and on which row each mark sits.

One rule for every size of chart (mirrored by ``place`` in ``assets/timeline.js``, which
reruns it on every zoom, pan and resize of the page):

* The events in view are taken in order of importance (``priority``): events on the
  story's key dates first (``summarize.key_dates``), then by how many outlets report
  them, then by kind (what happened before what is expected or ongoing), exact dates
  before vague ones.
* Each takes the first row of its lane (its ``group_by`` band) where its mark *and*
  its label fit without touching anything placed before it: the label inside a bar
  wide enough to hold it, else right of the mark, else left of it when the right
  edge of the plot is near. Labels never leave the plot.
* An event whose label fits nowhere takes the first row where its mark alone fits,
  unlabelled; past the rows the plot can hold at a legible height (``ROW_MIN_PX``), it
  goes on other marks (overlap beats a chart too tall to read) but off the labels
  where it can, else into the row with the fewest marks. (The page first makes the
  plot taller, up to most of the window, and gives up the least important labels.)
* Rows are counted over the events in view only, so the lanes compact when zoomed,
  and zooming in makes room: at one month every event of a news story gets its label.

Positions here are pixels along the plot; the caller converts dates.
"""
from __future__ import annotations

from bisect import bisect_left

ROW_MIN_PX = 20.0   # a labelled row: 11px text with air above and below
ROW_PX = 24.0       # the row height the page is sized for
LABEL_CHARS = 30    # a label's title part: at most this many characters, ending on a word
MAX_LABELS = 150    # annotations are SVG nodes: past this every redraw slows down
GAP_PX = 3.0        # between a mark and its label
PAD_PX = 4.0        # the label's own padding (Plotly's annotation box)

NONE, RIGHT, LEFT, INSIDE = 0, 1, 2, 3


def short_title(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, "…" when cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—(") + "…"


class _Row:
    """Occupied pixel intervals of one row, disjoint and sorted."""

    __slots__ = ("lo", "hi", "n", "labels")

    def __init__(self):
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.n = 0  # marks in the row, overlapping ones included
        self.labels: _Row | None = None  # the labelled boxes alone

    def free(self, a: float, b: float) -> bool:
        i = bisect_left(self.lo, b)  # intervals before i start left of b
        return i == 0 or self.hi[i - 1] <= a

    def take(self, a: float, b: float) -> None:
        i = bisect_left(self.lo, b)
        self.lo.insert(i, a)
        self.hi.insert(i, b)


def place(x0, x1, widths, bands, order, n_bands: int, width: float, cap: int,
          max_labels: int = MAX_LABELS):
    """Rows and label sides for the events ``order`` (indices, most important first).

    ``x0``/``x1``: each mark's pixel extent (a point's marker, a bar's ends; may lie
    outside ``[0, width]`` when the event runs past the view); ``widths``: its label's
    pixel width (0: no label); ``bands``: its lane. ``cap``: rows the plot holds.
    Returns (row within its band per index of ``order``, side per index, rows used
    per band, the indices that found no room and share a row); indices not in
    ``order`` are left out."""
    per_band = max(1, cap // max(1, n_bands))
    rows = [[_Row() for _ in range(per_band)] for _ in range(n_bands)]
    row_of: dict[int, int] = {}
    side_of: dict[int, int] = {}
    labelled = 0
    forced: set[int] = set()
    for i in order:
        a, b, w, lane = float(x0[i]), float(x1[i]), float(widths[i]), rows[bands[i]]
        va, vb = max(a, 0.0), min(b, width)  # the visible part
        boxes = []
        if w > 0 and labelled < max_labels:
            if vb - va >= w + 2 * GAP_PX and b - a > 2 * GAP_PX + 12:  # a bar: inside
                boxes.append((INSIDE, a, b))
            if vb + GAP_PX + w <= width:
                boxes.append((RIGHT, a, vb + GAP_PX + w))
            if va - GAP_PX - w >= 0:
                boxes.append((LEFT, va - GAP_PX - w, b))
        chosen = None
        for r, row in enumerate(lane):
            for side, lo, hi in boxes:
                if row.free(lo, hi):
                    chosen = (r, side, lo, hi)
                    break
            if chosen:
                break
        if chosen is None:
            side = NONE
            for r, row in enumerate(lane):
                if row.free(a, b):
                    chosen = (r, NONE, a, b)
                    break
        if chosen is None:  # no room: on marks but off labels if it can, else the emptiest row
            r = next((k for k, row in enumerate(lane) if row.labels is None or row.labels.free(a, b)),
                     None)
            if r is None:
                r = min(range(len(lane)), key=lambda k: lane[k].n)
            lane[r].n += 1
            row_of[i], side_of[i] = r, NONE
            forced.add(i)
            continue
        r, side, lo, hi = chosen
        lane[r].take(lo, hi)
        lane[r].n += 1
        if side != NONE:
            labelled += 1
            if lane[r].labels is None:
                lane[r].labels = _Row()
            lane[r].labels.take(lo, hi)
        row_of[i], side_of[i] = r, side
    used = [max(1, max((k + 1 for k, row in enumerate(lane) if row.n), default=1))
            for lane in rows]
    return row_of, side_of, used, forced
