"""The tense of the clause around a temporal expression.

A cheap, measurable stand-in for a part-of-speech tagger: the tense cue
(future marker, past-tense verb, present auxiliary) nearest to the expression
inside its sentence decides.  Cues are data in the resource file.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon

_WORD = re.compile(r"[A-Za-z’']+")
_MODAL_FUTURE = frozenset({"will", "'ll", "shall", "won't"})
_BOUNDARY = re.compile(r"[.!?;\n]\s|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from the last boundary before it to the next."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start),
               text.rfind("? ", 0, start), text.rfind("! ", 0, start),
               text.rfind("; ", 0, start))
    m = _BOUNDARY.search(text, end)
    return left + 1, (m.start() + 1 if m else len(text))


def clause_tense(text: str, start: int, end: int, lex: Lexicon) -> str:
    """'past', 'future', 'present' or 'unknown' (no cue) for the expression at [start, end)."""
    s, e = sentence_bounds(text, start, end)
    best: tuple[int, str] | None = None
    for m in lex.future_re.finditer(text, s, e):  # future cues, some multi-word ("going to")
        a, b = m.span()
        dist = start - b if b <= start else a - end + 8
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, "future")
    recent: list[str] = []  # the words just before the current one
    for m in _WORD.finditer(text, s, e):
        w = m.group().lower().replace("’", "'")
        prev, recent = recent[-3:], recent[-3:] + [w]
        if start <= m.start() < end:
            continue
        if w in lex.tense_past or (w.endswith("ed") and len(w) > 4 and w not in lex.not_past):
            t = "past"
        elif w in lex.tense_present:
            t = "present"
        else:
            continue
        if any(p in _MODAL_FUTURE for p in prev):  # "will be held", "'ll meet"
            t = "future"
        dist = start - m.end() if m.end() <= start else m.start() - end
        # a cue on the left governs more often than one on the right
        dist = dist if m.end() <= start else dist + 8
        if best is None or dist < best[0]:
            best = (dist, t)
    return best[1] if best else "unknown"
