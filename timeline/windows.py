"""Merge windows that are independent of each other, and the settlement of their edges.

``timeline.merge`` compares mentions pairwise, so a large mention table is
merged in blocks of whole calendar months (at most ``block_rows`` mentions,
at least one month; a plan that depends on the month counts alone), each
widened by a halo of ``halo_days`` on both sides: the cost grows with the
mentions of a block, not of the archive. (Blocks of one month each cost more
here: the halos make each mention merged 1.6 times, and more chains cross an
edge.) Every window is merged on
its own (a worker process or a Dask task), so windows run in any order and in
parallel. A mention near a block edge is seen by two windows, which may group
it differently; the parent settles that (:class:`Settlement`):

- rows whose members no other window saw are final as they are;
- the other rows are joined into components (rows of any window that share a
  mention), and each component takes the rows of one window that saw all its
  mentions: the one whose block holds most of them, the earlier on a tie. A
  component no single window saw whole (a chain longer than the halo on both
  sides: rare) is merged again on its own; one bigger than ``most`` mentions
  (in a dense archive, copies of one sentence chain rows through every
  window: merged again whole, that is the whole archive's merge in one task)
  is merged again block by block: the mentions of each block on their own,
  as soon as no later window sees that block.

Each mention thus lands in exactly one row, and the rows depend on the data
only: not on the number of workers, the part size or the engine. A table that
fits in one block is merged whole, exactly as the in-process build does.

Mentions are placed by their start: a long mention ("in 2022") joins mentions
that start within its window only.
"""
from __future__ import annotations

import gc
import math
import os
import resource
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import store as st
from .table import LIST_SEP

_DAY_NS = 86_400 * 10**9


def halo_days(lang: str = "en") -> int:
    """How far (days) a halo reaches past a block's edge.

    Two mentions can be one happening only when their date windows meet or
    their day dates are ``slack_days`` apart; the widest window a precise
    mention has is an undated statement's ``statement_days`` before its
    publication to the day after, or a week. So no pair of them is further
    apart than ``statement_days + 1 + slack_days`` days; one more day covers
    an interval's exclusive end: 7 + 1 + 1 + 1 = 10 days with the English pack.
    Longer windows (a month, a year, a stretched "recently") reach further and
    join only what starts within their window."""
    from . import lang as lang_pack
    t = lang_pack.load(lang).merge["thresholds"]
    return int(math.ceil(t["statement_days"] + 1 + t["slack_days"])) + 1


@dataclass(frozen=True)
class Window:
    """One merge window: the block ``months`` and their halo, by start in [lo, hi) (ns).

    ``core`` is the block's own range; ``prev_hi`` / ``next_lo``: where the
    neighbouring windows' ranges end and begin (None: no neighbour there)."""

    no: int
    months: tuple[str, ...]  # the block's months
    read: tuple[str, ...]  # partitions to read: the block's and its neighbours'
    lo: int | None = None  # None: no bound (a window over everything, or undated)
    hi: int | None = None
    core: tuple[int, int] | None = None
    prev_hi: int | None = None
    next_lo: int | None = None

    def shared(self, start: int) -> bool:
        """Does another window see a mention starting at ``start`` too?"""
        return (self.prev_hi is not None and start < self.prev_hi) or (
            self.next_lo is not None and start >= self.next_lo)


def _month_ns(month: str) -> tuple[int, int]:
    a = pd.Timestamp(f"{month}-01")
    return a.value, (a + pd.offsets.MonthBegin(1)).value


def plan(counts: dict[str, int], block_rows: int, halo: int) -> list[Window]:
    """The windows of a mention table with ``counts`` mentions per month partition.

    One window over everything when it holds at most ``block_rows`` mentions;
    else the undated mentions on their own, then blocks of consecutive months."""
    months = sorted((m for m, n in counts.items() if n), key=st._month_key)
    if not months:
        return []
    if sum(counts[m] for m in months) <= block_rows:
        return [Window(0, tuple(months), tuple(months))]
    out: list[Window] = []
    if st.UNDATED in months:
        out.append(Window(0, (st.UNDATED,), (st.UNDATED,)))
    dated = [m for m in months if m != st.UNDATED]
    blocks, rows = [], 0
    for m in dated:
        if blocks and rows + counts[m] <= block_rows:
            blocks[-1].append(m)
            rows += counts[m]
        else:
            blocks.append([m])
            rows = counts[m]
    h = halo * _DAY_NS
    spans = [(_month_ns(b[0])[0], _month_ns(b[-1])[1]) for b in blocks]
    for k, (b, (a, z)) in enumerate(zip(blocks, spans)):
        lo, hi = a - h, z + h
        read = [m for m in dated if _month_ns(m)[1] > lo and _month_ns(m)[0] < hi]
        prev_hi = spans[k - 1][1] + h if k else None
        next_lo = spans[k + 1][0] - h if k + 1 < len(blocks) else None
        out.append(Window(len(out), tuple(b), tuple(read), lo, hi, (a, z),
                          prev_hi if prev_hi is not None and prev_hi > a else None,
                          next_lo if next_lo is not None and next_lo < z else None))
    return out


# ------------------------------------------------------------------ one window (a worker)

@dataclass
class WindowResult:
    """A merged window: all its rows (with their sort keys), which of them hold a
    mention another window saw too, those rows' members and the members' starts."""

    no: int
    rows: pd.DataFrame
    shared: list[bool]
    members: dict[int, list[str]]  # row position -> members, for shared rows
    starts: dict[str, int]  # member -> start (ns), for shared rows' members
    pid: int = 0
    rss_kb: int = 0
    cpu_s: float = 0.0


def read_window(root: Path, w: Window, ids: set[str] | None = None) -> pd.DataFrame:
    """The mentions of ``w`` (or only ``ids`` among them) in table order."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    frames = []
    for m in w.read:  # month by month: an all-empty column may have another type elsewhere
        files = sorted((root / st.MENTIONS / f"{st.PARTITION}={m}").glob("*.parquet"))
        if files:
            table = pq.read_table(files)
            if ids is not None:  # in Arrow: a few rows of whole months, not all made pandas
                ids_ = pa.array(sorted(ids), type=table.schema.field("event_id").type)
                table = table.filter(pc.is_in(table["event_id"], value_set=ids_))
            df = table.to_pandas()
            if w.lo is not None:
                df = df[(df["start"] >= pd.Timestamp(w.lo)) & (df["start"] < pd.Timestamp(w.hi))]
            frames.append(df)
    if not frames:
        return pd.DataFrame()
    return st.sort_frame(pd.concat(frames, ignore_index=True)).reset_index(drop=True)


def merge_frame(window: pd.DataFrame, merge: Callable | None, statements: bool,
                counts=None) -> pd.DataFrame:
    """``merge`` of a window's mentions, each row with the sort key of its first mention;
    ``counts``: the whole input's word rarity (:class:`timeline.merge.Rarity`)."""
    if merge is None:
        from .merge import merge_events as merge
    enabled = gc.isenabled()
    gc.disable()  # the merge makes millions of small objects and frees few: no cyclic GC meanwhile
    try:
        kw = {} if counts is None else {"counts": counts}
        merged = merge(window.drop(columns=st.HIDDEN), statements=statements, **kw)
    finally:
        if enabled:
            gc.enable()
    merged = merged.reset_index(drop=True)
    key = {e: (s, t, o) for e, s, t, o in zip(window["event_id"], window["start"],
                                              window["end"], window[st.ORDER])}
    first = [min((key[x] for x in m.split(LIST_SEP)), key=_sort_key) for m in merged["members"]]
    merged["first_start"] = pd.Series([f[0] for f in first], dtype="datetime64[ns]")
    merged["first_end"] = pd.Series([f[1] for f in first], dtype="datetime64[ns]")
    merged[st.ORDER] = pd.Series([f[2] for f in first], dtype="int64")
    return merged


def _sort_key(k):
    """Table order of (start, end, event_order): missing dates last."""
    s, e, o = k
    return (pd.isna(s), 0 if pd.isna(s) else s.value, pd.isna(e), 0 if pd.isna(e) else e.value, o)


def merge_window(root: Path, w: Window, statements: bool = False,
                 merge: Callable | None = None, counts=None) -> WindowResult:
    """Merge one window (in a worker process or a Dask task)."""
    from .partition import peak_rss_kb
    window = read_window(Path(root), w)
    rows = merge_frame(window, merge, statements, counts) if len(window) else pd.DataFrame()
    shared, members, starts = [], {}, {}
    if len(rows):
        start = dict(zip(window["event_id"], window["start"].array.asi8))
        for n, ms in enumerate(rows["members"]):
            ms = ms.split(LIST_SEP)
            s = w.lo is not None and any(w.shared(start[x]) for x in ms)
            shared.append(s)
            if s:
                members[n] = ms
                starts.update((x, int(start[x])) for x in ms)
    use = resource.getrusage(resource.RUSAGE_SELF)
    return WindowResult(w.no, rows, shared, members, starts, os.getpid(), peak_rss_kb(),
                        use.ru_utime + use.ru_stime)


def remerge_window(root: Path, read: tuple[str, ...], ids: list[str], statements: bool = False,
                   merge: Callable | None = None, counts=None) -> pd.DataFrame:
    """Merge again, on their own, the mentions ``ids`` of a component no window saw whole."""
    w = Window(-1, (), read)
    return merge_frame(read_window(Path(root), w, set(ids)), merge, statements, counts)


# ------------------------------------------------------------------ settlement (the parent)

@dataclass
class Pending:
    """Rows being merged again elsewhere (a future), none starting before ``lo`` (ns)."""

    lo: int
    future: object

@dataclass
class _Component:
    rows: list[tuple[int, int]] = field(default_factory=list)  # (window, row position)
    lo: int = 0  # earliest and latest member start (lo: of those not yet merged again)
    hi: int = 0
    members: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)  # merged again already, block by block


class Settlement:
    """Rows of finished windows in, final rows out (see the module docstring).

    Windows must be added in plan order; ``add`` returns the rows that are
    final so far (frames, or :class:`Pending` ones being merged again), and
    ``bound`` the earliest start a later row can have."""

    def __init__(self, windows: list[Window], remerge: Callable[[list[str], set[int]], object],
                 most: int | None = None):
        self.windows = {w.no: w for w in windows}
        self.most = most  # a component no window saw whole, bigger: merged again by block
        self.dated = [w for w in windows if w.lo is not None]
        self.cores = [w.core[0] for w in self.dated]
        self.remerge = remerge  # (members, windows that saw them) -> a future of final rows
        self.parent: dict[str, str] = {}
        self.comp: dict[str, _Component] = {}  # root -> component
        self.frames: dict[int, pd.DataFrame] = {}  # window -> its rows (shared rows kept)
        self.starts: dict[str, int] = {}
        self.remerged = 0  # components no window saw whole, and their mentions
        self.remerged_mentions = 0

    def _find(self, x: str) -> str:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def _union(self, a: str, b: str) -> str:
        a, b = self._find(a), self._find(b)
        if a == b:
            return a
        if a > b:
            a, b = b, a
        self.parent[b] = a
        ca, cb = self.comp[a], self.comp.pop(b)
        ca.rows += cb.rows
        ca.lo, ca.hi = min(ca.lo, cb.lo), max(ca.hi, cb.hi)
        if len(ca.members) < len(cb.members):
            ca.members, cb.members = cb.members, ca.members
        ca.members |= cb.members
        ca.done |= cb.done
        return a

    def add(self, r: WindowResult) -> list[pd.DataFrame]:
        """The window's final rows, and those of the components it closes."""
        out = []
        if len(r.rows):
            keep = ~pd.Series(r.shared, dtype=bool).to_numpy()
            out.append(r.rows[keep])
        if r.members:
            self.frames[r.no] = r.rows.iloc[sorted(r.members)]  # index: row position
            self.starts.update(r.starts)
            for n, ms in r.members.items():
                for x in ms:
                    if x not in self.parent:
                        self.parent[x] = x
                        s = r.starts[x]
                        self.comp[x] = _Component([], s, s, {x})
                root = ms[0]
                for x in ms[1:]:
                    root = self._union(root, x)
                self.comp[self._find(root)].rows.append((r.no, n))
        later = self._next_lo(r.no)
        out += self._close(lambda c: later is None or c.hi < later)
        if self.most is not None:
            out += self._split(self._block(later) if later is not None else len(self.dated))
        return out

    def _block(self, start: int) -> int:
        """The dated window whose block holds ``start`` (its position)."""
        return bisect_right(self.cores, start) - 1

    def _split(self, final: int) -> list:
        """Each component too big to merge again whole: the mentions of its blocks
        before ``final`` (blocks no later window sees), merged again block by block."""
        out = []
        for c in self.comp.values():
            if self._big(c):
                out += self._pieces(c, final)
        self._drop_frames()  # (a big component takes no window's rows)
        return out

    def _big(self, c: _Component) -> bool:
        return bool(c.done) or (self.most is not None and len(c.members) > self.most)

    def _pieces(self, c: _Component, final: int) -> list[Pending]:
        pieces: dict[int, list[str]] = {}
        for x in sorted(c.members - c.done):
            k = self._block(self.starts[x])
            if k < final:
                pieces.setdefault(k, []).append(x)
        out = []
        for k in sorted(pieces):
            piece = pieces[k]
            seen = set.union(*(self._seen_by(self.starts[x]) for x in piece))
            out.append(Pending(min(self.starts[x] for x in piece), self.remerge(piece, seen)))
            self.remerged += 1
            self.remerged_mentions += len(piece)
            c.done.update(piece)
        left = [self.starts[x] for x in c.members - c.done]
        c.lo = min(left) if left else c.hi
        return out

    def _next_lo(self, no: int) -> int | None:
        """The earliest start a window after ``no`` sees (None: no such window)."""
        for w in self.dated:
            if w.no > no:
                return w.lo
        return None

    def bound(self, no: int) -> int | None:
        """No row settled after window ``no`` starts before this (ns; None: no more rows)."""
        b = self._next_lo(no)
        open_lo = [c.lo for c in self.comp.values()]
        if open_lo:
            b = min(open_lo) if b is None else min(b, min(open_lo))
        return b

    def _seen_by(self, start: int) -> set[int]:
        """The windows that see a mention starting at ``start``."""
        k = bisect_right(self.cores, start) - 1
        w = self.dated[k]
        out = {w.no}
        if w.prev_hi is not None and start < w.prev_hi:
            out.add(self.dated[k - 1].no)
        if w.next_lo is not None and start >= w.next_lo:
            out.add(self.dated[k + 1].no)
        return out

    def _close(self, closed: Callable[[_Component], bool]) -> list[pd.DataFrame]:
        out = []
        for root in sorted(r for r, c in self.comp.items() if closed(c)):
            c = self.comp.pop(root)
            if self._big(c):
                out += self._pieces(c, len(self.dated))  # (no later window sees it)
                for x in c.members:
                    del self.parent[x], self.starts[x]
                continue
            rows = sorted(set(c.rows))
            members = sorted({x for w, n in rows for x in self._members(w, n)})
            seen = [self._seen_by(self.starts[x]) for x in members]
            whole = set.intersection(*seen)
            if whole:
                def own(w):  # members in w's block
                    a, z = self.windows[w].core
                    return sum(a <= self.starts[x] < z for x in members)
                pick = min(whole, key=lambda w: (-own(w), w))
                take = [n for w, n in rows if w == pick]
                if take:  # (none: that window dropped them all, as lone statements)
                    out.append(self.frames[pick].loc[take])
            else:
                self.remerged += 1
                self.remerged_mentions += len(members)
                out.append(Pending(c.lo, self.remerge(members, set.union(*seen))))
            for x in members:
                del self.parent[x], self.starts[x]
        self._drop_frames()
        return out

    def _members(self, w: int, n: int) -> list[str]:
        return self.frames[w].at[n, "members"].split(LIST_SEP)

    def _drop_frames(self):
        used = {w for c in self.comp.values() if not self._big(c) for w, _ in c.rows}
        for w in [w for w in self.frames if w not in used]:
            del self.frames[w]

    def finish(self) -> list[pd.DataFrame]:
        return self._close(lambda c: True)


# ------------------------------------------------------------------ running them

def ordered(submit: Callable, items: Iterable, ahead: int) -> Iterator:
    """``submit(item).result()`` of every item, in order, at most ``ahead`` running."""
    from collections import deque
    running: deque = deque()
    for item in items:
        running.append(submit(item))
        if len(running) >= ahead:
            yield running.popleft().result()
    while running:
        yield running.popleft().result()


class _Now:
    """A finished "future" (windows merged in this process)."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def done(self):
        return True


def here(fn, *args):
    return _Now(fn(*args))
