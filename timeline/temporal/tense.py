"""The tense of the clause around a temporal expression.

A cheap, measurable stand-in for a part-of-speech tagger: the tense cue
(future marker, past-tense verb, present auxiliary) nearest to the expression
inside its sentence decides.  Cues are data in the resource file.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon

_WORD = re.compile(r"[A-Za-z’']+")
_BOUNDARY = re.compile(r"[.!?;\n]\s|\n")
REACH = 500  # characters each side of an expression that its sentence can span


def _is_boundary(text: str, i: int, abbrevs: frozenset[str]) -> bool:
    """Whether the punctuation at ``i`` ends a sentence: not "U.S. officials",
    "Oct. 23", "Mr. Smith" (the next word in lower case or a number, or an
    abbreviation before the dot)."""
    if text[i] != ".":
        return True
    nxt = text[i + 1:i + 3].lstrip()[:1]
    if nxt and (nxt.islower() or nxt.isdigit()):
        return False
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    return text[j:i].lower() not in abbrevs


def sentence_bounds(text: str, start: int, end: int,
                    abbrevs: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The sentence around [start, end): from the last boundary before it to the
    next, at most REACH characters each side (a tense cue further away says
    nothing about the expression, and unbounded scans made run-on text quadratic)."""
    floor = max(0, start - REACH)
    left, pos = floor - 1, start
    while pos > floor:  # back from the expression to the first real boundary
        cand = max(text.rfind(". ", floor, pos), text.rfind("\n", floor, pos),
                   text.rfind("? ", floor, pos), text.rfind("! ", floor, pos),
                   text.rfind("; ", floor, pos))
        if cand < 0 or _is_boundary(text, cand, abbrevs):
            left = max(cand, floor - 1)
            break
        pos = cand
    right = min(len(text), end + REACH)
    for m in _BOUNDARY.finditer(text, end, right):
        if _is_boundary(text, m.start(), abbrevs):
            right = m.start() + 1
            break
    return left + 1, right


def _attributive(prev: list[str], lex: Lexicon) -> bool:
    """Whether a participle after ``prev`` modifies a noun: right after a
    determiner, or after a determiner and an adverb ("a still unspecified date")."""
    if prev and prev[-1] in lex.determiners:
        return True
    return (len(prev) >= 2 and prev[-2] in lex.determiners
            and (prev[-1].endswith(lex.adverb_suffixes) or prev[-1] in lex.degree_words))


_QUOTE = re.compile("``|''|[\"“”]")
_QUOTE_PENALTY = 60
# a cue right of the expression past a comma is in the next clause, most often
# a trailing attribution ("will visit on Friday, her office said")
_COMMA_PENALTY = 30
_COORDINATOR_PENALTY = 60


def _quoted(text: str, a: int, b: int, start: int, end: int) -> int:
    """A penalty for a cue across a quotation mark from the expression: in
    "``He will leave Thursday,'' Castro said" the quote has its own tense."""
    lo, hi = (b, start) if b <= start else (end, a)
    return _QUOTE_PENALTY if _QUOTE.search(text, lo, hi) else 0


def _next_clause(text: str, a: int, end: int, lex: Lexicon) -> int:
    """A penalty for a cue at ``a`` right of the expression and past a comma or a
    coordinator ("in August and would run ...")."""
    if a < end:
        return 0
    between = text[end:a]
    if lex.coordinators.search(between):  # "opened on Monday and will keep it open":
        return _COORDINATOR_PENALTY       # the next conjunct's own tense
    return _COMMA_PENALTY if "," in between else 0


def _after_past_perfect(text: str, s: int, a: int, lex: Lexicon) -> bool:
    """Whether the words right before ``a`` are "had" or "had been"."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text, max(s, a - 16), a)]
    if words and words[-1] in lex.perfect_be:
        words.pop()
    return bool(words) and words[-1] in lex.past_perfect


def _next_word(text: str, i: int, e: int) -> int:
    """Where the word after position ``i`` starts (``e`` if none before it)."""
    m = _WORD.search(text, i, e)
    return m.start() if m else e


def clause_tense(text: str, start: int, end: int, lex: Lexicon) -> str:
    """'past', 'future', 'present' or 'unknown' (no cue) for the expression at [start, end)."""
    s, e = sentence_bounds(text, start, end, lex.abbreviations)
    best: tuple[int, str, bool] | None = None  # distance, tense, cue right of the expression
    future_starts = set()
    for m in lex.future_re.finditer(text, s, e):  # future cues, some multi-word ("going to")
        a, b = m.span()
        if text[a:b + 8].lower().startswith(lex.not_future):  # "next to the embassy"
            continue
        if _after_past_perfect(text, s, a, lex):  # "had been due to expire Friday": a plan
            continue                              # of the past, overtaken ("had" decides)
        future_starts.add(a)
        dist = start - b if b <= start else a - end + 8
        dist += _quoted(text, a, b, start, end) + _next_clause(text, a, end, lex)
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, "future", b > start)
    relative_past = False  # "that crashed on March 26 will ...": a past relative clause
    recent: list[str] = []  # the words just before the current one
    for m in _WORD.finditer(text, s, e):
        w = m.group().lower().replace("’", "'")
        prev, recent = recent[-3:], recent[-3:] + [w]
        if start <= m.start() < end:
            continue
        if w in lex.tense_past or (w.endswith(lex.regular_past) and len(w) > 4
                                   and w not in lex.not_past):
            t = "past"
        elif w in lex.tense_present:
            t = "present"
        else:
            continue
        if w in lex.auxiliaries and _next_word(text, m.end(), e) in future_starts:
            continue  # "were planning to", "was expected to": the future cue decides
        if t == "past" and _attributive(prev, lex):
            continue  # "a still unspecified date", "the proposed merger": an adjective
        if any(p in lex.modal_future for p in prev):  # "will be held", "'ll meet"
            t = "future"
        elif (t == "past" and lex.irrealis.intersection(prev[-2:])
              and not lex.irrealis_except.intersection(prev)):
            t = "future"  # "to be published", "would still be paid": not a past verb
        if t == "past" and m.end() <= start and prev and prev[-1] in lex.relative_pronouns \
                and "," not in text[m.end():start]:
            relative_past = True
        dist = start - m.end() if m.end() <= start else m.start() - end
        # a cue on the left governs more often than one on the right
        dist = dist if m.end() <= start else dist + 8
        dist += _quoted(text, m.start(), m.end(), start, end) + \
            _next_clause(text, m.start(), end, lex)
        if best is None or dist < best[0]:
            best = (dist, t, m.end() > start)
    if best is None:
        return "unknown"
    if relative_past and best[2] and best[1] != "past":
        return "past"  # the relative clause's verb, not the main clause after it
    return best[1]


def past_perfect(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether the sentence around [start, end) is in the past perfect: "by
    Wednesday, 20 members had filed reports" looks back from a past day."""
    s, e = sentence_bounds(text, start, end, lex.abbreviations)
    return any(m.group().lower().replace("’", "'") in lex.past_perfect
               for m in _WORD.finditer(text, s, e))


def present_perfect_before(text: str, start: int, lex: Lexicon) -> bool:
    """Whether the clause before ``start`` has "has/have" right before a verb
    ("Unions have called a strike for March 3")."""
    s, _ = sentence_bounds(text, start, start, lex.abbreviations)
    words = [w.lower() for w in _WORD.findall(text, s, start)]
    return any(a in lex.present_perfect and (b.endswith(lex.participle_endings) or b in lex.tense_past)
               for a, b in zip(words, words[1:]))
