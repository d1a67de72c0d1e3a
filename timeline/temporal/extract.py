"""Find temporal expressions: run every rule, keep the longest non-overlapping
matches, then attach part-of-period modifiers and signal words on the left."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict

from .lexicon import QUANTITY_MODS, Lexicon
from .resolve import Candidate, valid
from .resolve import _num as resolve_num

_QUANTITIES = frozenset({"duration", "offset", "span_duration", "in_n", "clock"})


MARGIN = 64  # no rule reaches further than this from its anchor
_TOKEN = re.compile(r"[A-Za-z]+|\d+")


def _anchors(text: str, lex: Lexicon) -> dict[str, list[tuple[int, int]]]:
    """Trigger spans by class, from one tokenizing pass over the text."""
    hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
    index, caps, lower = lex.anchor_words, lex.capitalised, lex.lower_names
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isdigit():
            sp = m.span()
            hits["DIGIT"].append(sp)
            if len(tok) == 4 and "1500" <= tok <= "2099":
                hits["YEAR"].append(sp)
            if lex.clock_after_re.match(text, sp[1]):  # "10 a.m.", "3:30pm", "14:30"
                hits["CLOCK"].append(sp)
            continue
        classes = index.get(tok.lower())
        if classes:
            for c in classes:
                if c not in caps or tok[0].isupper() or tok in lower:
                    hits[c].append(m.span())
    return hits


def _windows(text: str, rule, hits: dict) -> list[tuple[int, int]]:
    """Stretches of ``text`` around the rule's anchors, merged."""
    spans = sorted(sp for a in rule.anchors for sp in hits[a])
    out: list[list[int]] = []
    for s, e in spans:
        a, b = max(0, s - MARGIN), min(len(text), e + MARGIN)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _matches(text: str, rule, hits: dict | None, windows: dict):
    """Every match of ``rule``: near its anchors, or (hits None) anywhere."""
    if hits is None:
        yield from rule.regex.finditer(text)
        return
    if rule.anchors not in windows:  # rules sharing anchors share windows
        windows[rule.anchors] = _windows(text, rule, hits)
    seen = set()
    for a, b in windows[rule.anchors]:
        for m in rule.regex.finditer(text, a, b):
            if m.span() not in seen:
                seen.add(m.span())
                yield m


def find(text: str, lex: Lexicon, *, anchored: bool = True) -> list[Candidate]:
    hits = _anchors(text, lex) if anchored else None
    found, impossible, windows = [], [], {}
    for rule in lex.rules:
        has_x = "x" in rule.regex.groupindex
        for m in _matches(text, rule, hits, windows):
            s, e = m.span()
            if s == e or (s > 0 and text[s - 1] == "#" and text[s].isalpha()):
                continue  # "#Friday drinks", "#Christmas": a hashtag names a topic, not a date
            xs, xe = m.span("x") if has_x and m.group("x") else (s, e)
            groups = m.groupdict()
            groups["_spans"] = {k: m.span(k) for k, v in groups.items() if v is not None}
            if "inner" in groups:  # a nested expression is resolved on its own
                groups["_inner_span"] = m.span("inner")
            c = Candidate(rule, s, e, xs, xe, groups)
            if valid(c, text, lex):
                _count_in_base_unit(groups, lex)
                found.append(c)
            elif rule.handler in ("full_date", "numeric_date", "month_day"):
                impossible.append((s, e))
    if impossible:  # "February 30, 2022" must not fall back to "February" + "2022"
        found = [c for c in found if not any(c.start < e and s < c.end for s, e in impossible)]
    chosen = _select(found)
    _attach_left_context(text, chosen, lex)
    _attach_right_context(text, chosen, lex)
    return chosen


def _count_in_base_unit(groups: dict, lex: Lexicon) -> None:
    """"a fortnight ago" as "2 weeks ago": a unit that is a count of another
    ([unit_multiples]) becomes that unit, its count multiplied, so every handler
    does the arithmetic of the base unit."""
    word = (groups.get("u") or "").lower()
    if not word:
        return
    singular = word if word in lex.unit_multiples else lex.pack.singular(word)
    if singular not in lex.unit_multiples:
        return
    base, k = lex.unit_multiples[singular]
    plural = singular != word
    if "n" in groups and (groups["n"] is not None or not plural):
        n = resolve_num(lex, groups["n"])  # None: a vague count ("several fortnights")
        if n is not None:
            n *= k
            groups["n"] = str(int(n)) if n == int(n) else str(n)
            plural = n != 1
    groups["u"] = lex.pack.plural(base) if plural else base


def _select(found: list[Candidate]) -> list[Candidate]:
    """Longest match first; on equal length the rule listed first wins.  Matches
    may not overlap in their extents (a rule's context words, outside its "x",
    can be another expression: "Today" in "Today is a sad day")."""
    found.sort(key=lambda c: (c.start - c.end, c.rule.order, c.start))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Candidate] = []
    for c in found:
        i = bisect_left(starts, c.x_start)
        if i < len(starts) and starts[i] < c.x_end:
            continue
        if i > 0 and ends[i - 1] > c.x_start:
            continue
        starts.insert(i, c.x_start)
        ends.insert(i, c.x_end)
        kept.insert(i, c)
    return kept


def _attach_left_context(text: str, chosen: list[Candidate], lex: Lexicon) -> None:
    """'early' October, 'the end of' this year; 'before' ..., 'in' ... ."""
    prev_end = 0
    for c in chosen:
        lo = max(prev_end, c.start - 40)
        if c.x_start == c.start:
            m = lex.modifier_re.search(text, lo, c.start)
            if m:
                word = (m.group("mod") or m.group("modh") + "-").lower()
                mod, a, b = lex.modifiers[" ".join(word.split())]
                # "about three years" is approximate; "about the future" is a preposition
                if mod not in QUANTITY_MODS:
                    c.mod, c.mod_frac, c.mod_word = mod, (a, b), " ".join(word.split())
                    c.start = c.x_start = m.start()
                elif c.rule.handler in _QUANTITIES:
                    c.mod = mod
                    c.start = m.start()
                    if word not in lex.modifiers_outside:  # TimeBank: "nearly two years", "about | two years"
                        c.x_start = m.start()
        lead = c.groups["_spans"].get("lead")
        if lead is not None:  # a rule's context words before it ("could take"): not the phrase
            c.phrase_start = lead[1]
        elif m := lex.signal_re.search(text, lo, c.start):
            c.signal = " ".join(m.group("sig").lower().split())
            c.phrase_start = m.start()
        else:
            c.phrase_start = c.start
        prev_end = c.end


def _attach_right_context(text: str, chosen: list[Candidate], lex: Lexicon) -> None:
    """An approximation after the expression is part of it: 'the next year or so'."""
    for i, c in enumerate(chosen):
        if c.x_end != c.end:
            continue
        m = lex.approx_after_re.match(text, c.end)
        if m and (i + 1 == len(chosen) or chosen[i + 1].start >= m.end()):
            c.end = c.x_end = m.end()
            c.approx = True
