"""The similar pairs of a merge window, scored once per profile (for ``timeline.merge``).

A big archive's month holds many copies of one sentence: mentions whose
vectors (with their sentence, within their article, the clause alone) and
actors are equal score alike against everyone else, so the candidates (a
shared rare word) and the dot products are found once per such *profile*,
over rows that are bitwise those of the mention matrices (the same sums in
the same order: the same scores). Only the date checks, which differ per
mention, expand a profile pair into its mentions' pairs, in numpy, a chunk at
a time.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

_PAIR_CHUNK = 200_000  # profile pairs per sparse product
_EXPAND_CHUNK = 500_000  # mention pairs expanded at once (a row's are one chunk, however many)
_ROW_CHUNK = 1_000


def dots(M, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Row i[k] of M dot row j[k], for every k."""
    out = np.empty(len(i))
    for a in range(0, len(i), _PAIR_CHUNK):
        x, y = i[a:a + _PAIR_CHUNK], j[a:a + _PAIR_CHUNK]
        out[a:a + _PAIR_CHUNK] = np.asarray(M[x].multiply(M[y]).sum(axis=1)).ravel()
    return out


def codes(values) -> np.ndarray:
    """Equal values get equal integer codes."""
    index: dict = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def matrix(rows: list[dict[str, float]], vocab: dict[str, int], n: int):
    """A CSR matrix of one weight dict per row (``vocab`` grows as needed)."""
    from scipy import sparse
    r, c, v = [], [], []
    for i, row in enumerate(rows):
        for w, x in row.items():
            r.append(i)
            c.append(vocab.setdefault(w, len(vocab)))
            v.append(x)
    return sparse.csr_matrix((np.array(v, dtype=float), (np.array(r, dtype=np.int64),
                              np.array(c, dtype=np.int64))), shape=(n, max(len(vocab), 1)))


def profiles(vecs, own, alone, actors, anchored) -> tuple[np.ndarray, np.ndarray]:
    """(profile of each mention, -1 if unanchored; first mention of each profile)."""
    index: dict = {}
    pid = np.full(len(vecs), -1, dtype=np.int64)
    reps = []
    for i in np.flatnonzero(anchored).tolist():
        key = (tuple(sorted(vecs[i].items())), tuple(sorted(own[i].items())),
               tuple(sorted(alone[i].items())), tuple(sorted(actors[i])))
        p = index.setdefault(key, len(index))
        if p == len(reps):
            reps.append(i)
        pid[i] = p
    return pid, np.array(reps, dtype=np.int64)


def profile_candidates(rare: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """The profile pairs (p <= q: a profile's copies pair among themselves) that
    share a rare word."""
    R = matrix(rare, {}, len(rare))
    RT = R.T.tocsr()
    Ps, Qs = [], []
    for a in range(0, len(rare), _ROW_CHUNK):
        shared = (R[a:a + _ROW_CHUNK] @ RT).tocoo()
        p, q = shared.row.astype(np.int64) + a, shared.col.astype(np.int64)
        keep = p <= q
        Ps.append(p[keep])
        Qs.append(q[keep])
    if not Ps:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    return np.concatenate(Ps).astype(np.int32), np.concatenate(Qs).astype(np.int32)


def may_be_near(P, Q, pid, w0, w1, slack) -> tuple[np.ndarray, np.ndarray]:
    """The profile pairs some of whose mentions may be :func:`near`: each one's
    earliest window start less than ``slack`` after the other's latest window
    end (or start, if later). Many candidates of a window are weeks apart."""
    a = np.flatnonzero(pid >= 0)
    npro = int(pid[a].max()) + 1 if len(a) else 0
    lo = np.full(npro, np.inf)
    hi = np.full(npro, -np.inf)
    np.minimum.at(lo, pid[a], w0[a])
    np.maximum.at(hi, pid[a], np.fmax(w1[a], w0[a]))
    keep = (lo[P] < hi[Q] + slack) & (lo[Q] < hi[P] + slack)
    return P[keep], Q[keep]


class Rows:
    """The mention pairs (i < j) of the profile pairs (P, Q), chunk by chunk, the
    chunks by i (a chunk holds whole rows, not sorted by j within them): (i, j,
    index of the profile pair). Sorted by (i, j) within each chunk, a consumer
    adds up per-mention sums exactly as over all the pairs at once, without ever
    holding them all (a dense window has tens of millions). The profiles'
    partners are indexed once, for every pass."""

    def __init__(self, P, Q, pid):
        self.n = n = len(pid)
        order = np.argsort(pid, kind="stable")  # each profile's mentions, ascending
        self.order = order = order[pid[order] >= 0]
        self.pid = pid
        npro = int(pid.max()) + 1 if len(order) else 0
        self.cnt = cnt = np.bincount(pid[order], minlength=npro)
        self.start = np.cumsum(cnt) - cnt
        self.key = pid[order] * n + order  # sorted: find a profile's mentions after i
        # each profile's partner profiles (both ways round), with the pair's index
        two = P != Q
        src = np.concatenate((P, Q[two]))
        o = np.argsort(src, kind="stable")
        self.dst = np.concatenate((Q, P[two]))[o]
        self.idx = np.concatenate((np.arange(len(P), dtype=np.int32),
                                   np.flatnonzero(two).astype(np.int32)))[o]
        src = src[o]
        self.deg = np.bincount(src, minlength=npro)
        self.first = np.cumsum(self.deg) - self.deg
        # mention pairs a row may make (before j > i): the chunks' size
        self.reach = np.bincount(src, weights=cnt[self.dst], minlength=npro)
        self.rows = np.sort(order)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        n, pid, rows, reach, deg = self.n, self.pid, self.rows, self.reach, self.deg
        ends = np.cumsum(reach[pid[rows]])
        a = 0
        while a < len(rows):
            z = max(a + 1, int(np.searchsorted(ends, ends[a] - reach[pid[rows[a]]] + _EXPAND_CHUNK,
                                               "right")))
            r = rows[a:z]
            na = deg[pid[r]]
            ri = np.repeat(r, na)
            e = np.repeat(self.first[pid[r]], na) + np.arange(int(na.sum())) \
                - np.repeat(np.cumsum(na) - na, na)
            q, k = self.dst[e].astype(np.int64), self.idx[e]
            lo = np.searchsorted(self.key, q * n + ri, "right")  # q's first mention after i
            s = self.start[q] + self.cnt[q] - lo
            I = np.repeat(ri, s)
            J = self.order[np.repeat(lo, s) + np.arange(int(s.sum())) - np.repeat(np.cumsum(s) - s, s)]
            yield I, J, np.repeat(k, s)
            a = z


def near(I, J, w0, w1, slack) -> np.ndarray:
    """The later window starts less than ``slack`` days after the earlier ends
    (the earlier by start, then position: as a sweep would see them)."""
    first = (w0[I] < w0[J]) | ((w0[I] == w0[J]) & (I < J))
    early, late = np.where(first, I, J), np.where(first, J, I)
    return w0[late] < w1[early] + slack

