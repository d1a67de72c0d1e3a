"""Reported speech: who said what, and which part a date belongs to.

News reports most facts through someone: "CNN reported on Tuesday that Iran
is preparing to send ...", "“...,” Kirby said", "according to officials".
A ``Frame`` splits such a sentence into the *report* (speaker, speech verb
and its adjuncts) and the *content*.  A date in the report dates the
statement ("Kirby said on Thursday that ..."); a date in the content dates
what was said ("officials said the deal was signed in July").

Two shapes, found without a parser:
  lead   [intro,] SPEAKER [has] VERB [date, adjuncts] [that] CONTENT
  tail   CONTENT, SPEAKER VERB [date, adjuncts][, subordinate clause].
plus "according to SPEAKER" on either side of its content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum, auto
from functools import cache

from . import lang as lang_pack
from .clauses import determiners, pronouns
from .lang import alternation
from .temporal.lexicon import load as load_temporal

_TOKEN = re.compile(r"[\w’'.-]+")
_OPEN = "“‘«\""
OPENING = _OPEN + "`"  # the marks that open a quotation (and "``", tokenised text's)
_CLOSE = "”’»\""


@dataclass(frozen=True)
class Frame:
    """Offsets are relative to the sentence string."""

    speaker: tuple[int, int]
    verb: tuple[int, int]
    report: tuple[int, int]  # the part whose dates date the statement
    content: tuple[int, int]
    tail: bool
    verb_text: str = ""
    according: bool = False  # "according to X": an attribution, no speech verb

    def speaker_text(self, sentence: str) -> str:
        return sentence[self.speaker[0]:self.speaker[1]]


@dataclass(frozen=True)
class _Data:
    verbs: re.Pattern
    headline: dict[str, str]
    object_verbs: frozenset[str]  # "declared" a clause, or an emergency
    complement_word: re.Pattern  # "that", anywhere
    report_headline: dict[str, str]
    between: frozenset[str]
    nouns: frozenset[str]
    not_before: frozenset[str]
    subordinators: frozenset[str]
    intro: re.Pattern
    channel: re.Pattern
    according: re.Pattern
    finite: re.Pattern  # a finite verb cue: the text is a clause, not a name
    function_words: frozenset[str]
    contracted: re.Pattern  # "it's": a clause, no speaker
    self_or_addressee: frozenset[str]  # "I", "we", "you": a speaker alone, if any
    self: frozenset[str]  # "I", "we"
    articles: frozenset[str]
    head_link: str  # " of ": a speaker's head comes before it
    auxiliary: re.Pattern
    coordinator: str
    verb_joiner: re.Pattern  # "and" between two verbs of one subject
    tail_end: re.Pattern  # ", adding that ...": where a tail report ends
    complement: re.Pattern  # "that" after the verb and its adjuncts
    progressive_suffix: str  # ", adding that ...": the speaker of the frame before goes on
    relative_insert: re.Pattern  # ", who presented the plan": between a speaker and the verb
    inverted_end: re.Pattern  # where a speaker after its verb ends ("said Ruiz on Monday")
    abbreviations: frozenset[str]  # "Capt.", "U.S.": a period that ends no speaker


class Part(StrEnum):
    """Which part of a frame a date is in."""
    REPORT = auto()
    CONTENT = auto()


@cache
def _data(lang: str = "en") -> _Data:
    pack = lang_pack.load(lang).events
    s = pack["speech"]
    w = s["words"]
    v = pack["verbs"]
    tl = load_temporal(lang)
    finite = (set(tl.tense_past) | set(v["auxiliaries"]) | set(v["modals"]) | set(v["be"])) \
        - set(w["not_finite"])
    not_past = "|".join(map(re.escape, tl.not_past))
    det = alternation(determiners(lang, channels=True), group=True)
    speaking = {p.lower() for p in pronouns(lang, "PERSON", "THING", "SPEAKER", "SPEAKERS")}
    relatives = pack["clauses"]["relatives"]
    subject_relatives = [r for r, role in relatives.items() if role == "SUBJECT"]
    non_object = [r for r, role in relatives.items() if role != "OBJECT"]
    return _Data(
        verbs=re.compile(rf"\b(?:{alternation(s['verbs'])})\b"),
        headline=dict(s["headline"]),
        object_verbs=frozenset(s["object_verbs"]),
        report_headline=dict(s["report_headline"]),
        between=frozenset(w["between"]),
        nouns=frozenset(w["nouns"]) | speaking,
        not_before=frozenset(w["not_before"]),
        subordinators=frozenset(w["subordinators"]),
        intro=re.compile(rf"^\W*(?!(?:{alternation(w['not_intro'])})\b)"
                         rf"(?:{alternation(w['intro'])})\b", re.IGNORECASE),
        channel=re.compile(rf"\s*,?\s*(?:(?:{alternation(w['channel_preps'])})\s+)?"
                           rf"(?:{det}\s+)?(?:[\w-]+\s+){{0,2}}(?:{alternation(w['channels'])})"
                           rf"\b(?:\s+(?:{alternation(w['channel_links'])})\s+(?:{det}\s+)?"
                           rf"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)?", re.IGNORECASE),
        according=re.compile(rf"\b(?:{alternation(w['according'])})\s+", re.IGNORECASE),
        finite=re.compile(rf"\b(?:{alternation(finite)}|(?!(?:{not_past})\b)\w{{3,}}"
                          rf"{re.escape(v['past_suffix'])})\b", re.IGNORECASE),
        function_words=frozenset(w["function_words"]),
        contracted=re.compile(rf"(?:{alternation(w['contracted'])})"
                              rf"{alternation(v['contracted_is'], group=True)}\b", re.IGNORECASE),
        self_or_addressee=frozenset(p.lower() for p in pronouns(lang, "SPEAKER", "SPEAKERS",
                                                                "ADDRESSEE")),
        self=frozenset(p.lower() for p in pronouns(lang, "SPEAKER", "SPEAKERS")),
        articles=frozenset(pack["articles"]),
        head_link=f" {w['head_link']} ",
        auxiliary=re.compile(rf"\b(?:{alternation(v['auxiliaries'])})\b"),
        coordinator=w["coordinator"],
        verb_joiner=re.compile(rf"\s(?:{alternation(w['verb_joiners'])})\s"),
        progressive_suffix=v["progressive_suffix"],
        tail_end=re.compile(rf",\s+(?:{alternation([*w['continuations'], *subject_relatives])}|"
                            rf"{alternation(w['subordinators'])})\b", re.IGNORECASE),
        complement_word=re.compile(
            rf"\b{alternation([pack['clauses']['complementizer']], group=True)}\b"),
        complement=re.compile(
            rf"\s*,?\s*{alternation([pack['clauses']['complementizer']], group=True)}\b"),
        relative_insert=re.compile(rf",\s+(?:{alternation(non_object)})\b[^,]*$"),
        abbreviations=frozenset(pack["abbreviations"]["words"]),
        inverted_end=re.compile(rf"\s*(?:[,;:!?()\[\]“”\"]|\.(?:\s|$)|$|\s(?=(?:"
                                rf"{alternation(w['channel_preps'])}|{alternation(w['according'])}"
                                rf")\s))"),
    )


def quoted(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans inside quotation marks (curly or straight) in text[start:end]; an
    apostrophe is no quote, an unclosed quote runs to the end."""
    end = len(text) if end is None else end
    spans, curly, straight = [], None, None
    for i in range(start, end):
        ch = text[i]
        if ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
        elif ch in "“«" and curly is None:
            curly = i
        elif ch in "”»" and curly is not None:
            spans.append((curly, i + 1))
            curly = None
    for open_ in (curly, straight):
        if open_ is not None:
            spans.append((open_, end))
    return spans


def inside(i: int, spans) -> bool:
    return any(a <= i < b for a, b in spans)


def _speaker_ok(text: str, d: _Data) -> bool:
    """A noun phrase that can speak: a name, or a phrase headed by a speaker
    noun ("a senior government spokesperson"); not a clause, not "it's"."""
    words = _TOKEN.findall(text)
    if not words or len(words) > 14 or d.finite.search(text) or d.contracted.match(text):
        return False
    first = words[0].lower()
    if first in d.function_words or first in d.self_or_addressee:
        return len(words) == 1 and first in d.self
    if d.head_link in text:  # "the Czech presidency of the EU": its head comes before "of"
        words = _TOKEN.findall(text.split(d.head_link)[0])
    lowered = [w.lower().strip(".") for w in words]
    if first in d.articles and any(w.islower() for w in words[1:]):
        # "a charge Tehran" is no speaker; "the top US diplomat Rob Malley" is
        last_two = words[-2:]
        return lowered[-1] in d.nouns or (len(last_two) == 2 and all(
            w[0].isupper() for w in last_two))
    named = any(w[0].isupper() for w in words)
    return named or bool(set(lowered) & d.nouns)


def _skip(sentence: str, i: int, stop: int, skips) -> int:
    """Past whitespace, commas and the given spans (dates) starting at ``i``."""
    moved = True
    while moved and i < stop:
        moved = False
        while i < stop and sentence[i] in " ,":
            i += 1
            moved = True
        for a, b in skips:
            if a <= i < b:
                i, moved = b, True
    return i


def _intro_only(text: str, d: _Data) -> bool:
    """An introductory phrase ("On Tuesday, ", "In an interview published on
    Thursday, ") rather than a clause of its own."""
    t = text.strip(" ,")
    if not t:
        return True
    if d.intro.match(t):
        return not d.auxiliary.search(t)
    return not d.finite.search(t) and len(_TOKEN.findall(t)) <= 6


def _subordinate(text: str, d: _Data) -> bool:
    words = _TOKEN.findall(text)
    return bool(words) and words[0].lower() in d.subordinators


def frames(sentence: str, dates=(), lang: str = "en", quotes=None) -> list[Frame]:
    """The reporting frames of ``sentence``.  ``dates`` are the date phrases
    (sentence offsets); ``quotes`` the quoted spans, when a quotation opened
    in an earlier sentence of the paragraph."""
    d = _data(lang)
    quotes = quoted(sentence) if quotes is None else quotes
    out: list[Frame] = []
    for m in d.verbs.finditer(sentence):
        if inside(m.start(), quotes) or sentence[m.start() - 1:m.start()] in "-’'":
            continue
        words = list(_TOKEN.finditer(sentence, 0, m.start()))
        if words and words[-1].group().lower() in d.not_before:
            continue  # "over alleged supplies": an adjective
        f = _frame(sentence, m, words, dates, quotes, out, d)
        if f:
            out.append(f)
    out.extend(_according(sentence, quotes, d))
    return out


def _frame(sentence, m, words, dates, quotes, out, d: _Data) -> Frame | None:
    verb = m.group()
    left = m.start()
    while words and words[-1].group().lower() in d.between:
        left = words.pop().start()
    head = sentence[:left].rstrip()
    cut = _last_cut(head)
    relative = None
    if head.endswith(","):  # "Ukraine's foreign minister, Dmytro Kuleba, said"
        inner = head[:-1]
        # "Jane Holt, who presented the plan in September, said": skip the clause
        relative = d.relative_insert.search(inner)
        if relative:
            inner = inner[:relative.start()]
        cut = -1 if _speaker_ok(inner, d) else _last_cut(inner)
    start = 0 if cut < 0 else cut + 1
    while start < left and not (sentence[start].isalnum() or sentence[start] in _OPEN):
        start += 1
    speaker = sentence[start:relative.start() if relative else left].strip(" ,")
    before = sentence[:start]
    own = False
    if _subordinate(speaker, d):  # "..., though Tehran has denied ...": its own lead frame
        first = _TOKEN.search(speaker)
        start += first.end()
        speaker = speaker[first.end():].strip()
        before, own = "", True
    if not _speaker_ok(speaker, d):
        inverted = _inverted(sentence, m, dates, out, d)
        if inverted:
            return inverted
        coordinated = words and words[-1].group().lower() == d.coordinator and out \
            and out[-1].content[0] <= m.start() < out[-1].content[1]
        if (verb.endswith(d.progressive_suffix) or coordinated) and out:
            # ", adding that ...", "announced X and said ...": the speaker goes on
            c0 = _content_start(sentence, m.end(), dates, quotes, d)
            return Frame(out[-1].speaker, (m.start(), m.end()), (m.start(), c0),
                         (c0, len(sentence)), False, verb)
        return None
    s0 = sentence.find(speaker, start)
    s1 = s0 + len(speaker)
    b = before.strip(" ,")
    tail = bool(b) and (b[-1] in _CLOSE or not (_intro_only(b, d) or _subordinate(b, d)))
    tail = tail and not own
    if tail:
        report = (s0, _tail_end(sentence, m.end(), d))
        c_end = start
        while c_end > 0 and sentence[c_end - 1] in " ,”’\"–—":
            c_end -= 1
        content = (_previous_end(out, s0), c_end)
    else:
        c0 = _content_start(sentence, m.end(), dates, quotes, d)
        if _object_only(sentence, verb, m.end(), c0, d):
            return None  # "the mayor declared an emergency": the act, not a report
        intro = not own and _intro_only(b, d) and not _subordinate(b, d)
        # a relative clause after the speaker has its own dates ("who presented
        # the plan in September"): they do not date the statement
        report = (len(head) if relative else 0 if intro else s0, c0)
        content = (c0, len(sentence))
    if content[1] - content[0] < 8:
        return None
    return Frame((s0, s1), (m.start(), m.end()), report, content, tail, verb)


def _object_only(sentence: str, verb: str, v_end: int, c0: int, d: _Data) -> bool:
    """Whether a verb that also takes a plain object ("declared an emergency",
    "announced a $4 million fund", "denied the charges") has one here: no "that",
    no quotation and no finite verb before the next comma."""
    if verb.lower() not in d.object_verbs or d.complement.match(sentence[v_end:]):
        return False
    rest = sentence[c0:]
    if rest.lstrip()[:1] in _OPEN or rest.lstrip()[:1] == ":":
        return False
    head = re.split(r"[,;:]", rest, maxsplit=1)[0]
    # "declared an emergency and ordered evacuations": a verb right after "and"
    # is the subject's next act, not a clause the first verb reports (but
    # "announced the approval and said it would ...": the speaker goes on)
    first, *then = d.verb_joiner.split(head, maxsplit=1)
    if then and d.finite.match(then[0]) and not d.verbs.match(then[0]):
        head = first
    first = head.split()[:1]
    if first and first[0].lower().endswith(d.progressive_suffix):
        return False  # "denied supplying the drones": a clause
    return not d.finite.search(head) and not d.complement_word.search(head)


def _inverted(sentence, m, dates, out, d: _Data) -> Frame | None:
    """A speaker after its verb, right after a quotation: "“We will not give
    up,” said Butler.", "“...,” said the harbor master, Ana Ruiz, on Monday."
    A tail frame: the quotation is the content, the rest the report."""
    before = sentence[:m.start()].rstrip()
    if not before or before[-1] not in _CLOSE or before[-1] == "’":  # "’" may be an apostrophe
        return None
    i = _skip(sentence, m.end(), len(sentence), [])
    if any(a <= i < b for a, b in dates):
        i = _skip(sentence, i, len(sentence), list(dates))  # "said on Monday Ana Ruiz"
    s1 = _speaker_end(sentence, i, d)
    for a, _ in dates:  # a date ends the speaker ("said Ruiz Monday")
        if i < a < s1:
            s1 = len(sentence[:a].rstrip())
    s0 = i
    if s1 <= s0 or not _speaker_ok(sentence[s0:s1], d):
        return None
    c_end = len(before)
    while c_end > 0 and sentence[c_end - 1] in " ,”’\"–—":
        c_end -= 1
    content = (_previous_end(out, m.start()), c_end)
    if content[1] - content[0] < 8:
        return None
    return Frame((s0, s1), (m.start(), m.end()), (m.start(), _tail_end(sentence, m.end(), d)),
                 content, True, m.group())


def _speaker_end(sentence: str, i: int, d: _Data) -> int:
    """Where a speaker phrase starting at ``i`` ends: at punctuation, a
    channel ("at a briefing") or a period that ends no abbreviation or initial
    ("said Capt. Dave Ruiz", "said Roland L. Butler")."""
    for m in d.inverted_end.finditer(sentence, i):
        if sentence[m.start():m.start() + 1] == ".":
            word = sentence[:m.start()].split()[-1:] or [""]
            token = word[0].lower()
            if token in d.abbreviations or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue
        return m.start()
    return len(sentence)


def _tail_end(sentence: str, i: int, d: _Data) -> int:
    """Where a tail report ends: before ", adding that ...", ", after ..." or
    the sentence end."""
    m = d.tail_end.search(sentence, i)
    return m.start() if m else len(sentence)


def _previous_end(out: list[Frame], s0: int) -> int:
    """A tail's content starts after the previous tail (a lead frame before it is
    part of the content: "X denied that ..., the website reported")."""
    ends = [f.report[1] for f in out if f.tail and f.report[1] <= s0]
    return max(ends, default=0)


_CUT = re.compile(r"(?:[,;:]|[”\"]|\s[–—])\s|“")


def _last_cut(head: str) -> int:
    """The offset of the last clause boundary in ``head`` (its last character)."""
    cuts = [m.end() - 1 for m in _CUT.finditer(head)]
    return cuts[-1] if cuts else -1


def _content_start(sentence: str, i: int, dates, quotes, d: _Data) -> int:
    """After the verb: past its date and adjuncts ("in a statement", "told a
    briefing"), to "that" if it follows them."""
    j = i
    while True:
        k = _skip(sentence, j, len(sentence), list(dates))
        c = d.channel.match(sentence, k)
        if not c or c.end() == k:
            j = k
            break
        j = c.end()
    m = d.complement.match(sentence[j:])
    if m:
        return _skip(sentence, j + m.end(), len(sentence), [])
    return j


def _according(sentence: str, quotes, d: _Data) -> list[Frame]:
    """"according to X, CONTENT" and "CONTENT, according to X"."""
    out = []
    for m in d.according.finditer(sentence):
        if inside(m.start(), quotes):
            continue
        rest = sentence[m.end():]
        end = m.end() + re.search(r"[,;.:]\s|\s[–—]\s|[,;.:]?$", rest).start()
        speaker = (m.end(), end)
        if not _speaker_ok(sentence[m.end():end], d):
            continue
        if m.start() < 3:  # leads the sentence: the content follows
            c0 = _skip(sentence, end, len(sentence), [])
            content = (c0, len(sentence))
        else:
            content = (0, m.start())
        if content[1] - content[0] >= 8:
            out.append(Frame(speaker, (m.start(), m.end()), (m.start(), end), content,
                             m.start() >= 3, " ".join(m.group().split()).lower(), True))
    return out


def speaker_nouns(lang: str = "en") -> frozenset[str]:
    """The nouns that head a speaker phrase ("officials", "the agency")."""
    return _data(lang).nouns


def headline_verb(verb: str, lang: str = "en", *, report: bool = False) -> str | None:
    """The headline form of a verb that carries meaning ("denied" -> "denies");
    for the title of a dated ``report``, of a plain one too ("said" -> "says")."""
    d = _data(lang)
    return d.headline.get(verb) or (d.report_headline.get(verb) if report else None)


def locate(frames_: list[Frame], a: int, b: int) -> tuple[Frame | None, Part | None]:
    """Which frame a date at [a, b) belongs to, and in which part."""
    for f in frames_:
        if f.report[0] <= a and b <= f.report[1] and not (f.content[0] <= a < f.content[1]):
            return f, Part.REPORT
    inside = [f for f in frames_ if f.content[0] <= a and b <= f.content[1]]
    if inside:
        return min(inside, key=lambda f: f.content[1] - f.content[0]), Part.CONTENT
    return None, None
