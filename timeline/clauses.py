"""Clauses, titles and kinds: what a date governs and how to label it.

``clause`` finds the clause of a sentence a date belongs to, ``modifier`` the
noun phrase a date modifies ("Russia's February 24 invasion"), ``title`` makes
a headline of a span (dates, openers, quotes and trailing attributions cut)
and ``kind`` says whether the event happened, is ongoing or is expected, from
the date's position against publication, deadlines, tense and modals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from . import lang as lang_pack
from .model import TimeMention
from .temporal import calendar as cal
from .temporal.lexicon import load as load_temporal

WORD = re.compile(r"\w[\w’'.-]*")
# "it appeared that ...", "it is clear": no one to put in the pronoun's place
_EXPLETIVE = re.compile(r"it\s+(?:appear|seem|is\s+(?:not\s+)?(?:clear|likely|unclear|"
                        r"possible|time|estimated|expected|understood|reported))", re.I)
# sentence-initial words that a headline prefix ("Iran denies ...") lowercases
_LOWER = frozenset({"The", "A", "An", "It", "This", "These", "Those", "Its", "Their", "His",
                    "Her", "There", "Some", "Many", "He", "She", "They", "We", "Our"})
_DETERMINERS = ("the", "a", "an", "its", "his", "her", "their", "our", "this")
_PREPOSITIONS = ("of", "and", "to", "in", "on", "at", "for", "with", "by", "from", "as")


@dataclass(frozen=True)
class Data:
    separators: re.Pattern
    subordinate: re.Pattern  # a segment that opens with a subordinator
    min_words: int
    openers: re.Pattern
    dangling: re.Pattern
    title_words: int
    verb: re.Pattern  # a finite verb cue: the clause says something happened
    expected: re.Pattern
    ongoing: re.Pattern
    progressive: re.Pattern
    noun_event: re.Pattern  # "the nuclear deal with six world powers" ending right before a date


def words_re(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(set(words), key=len, reverse=True))


@cache
def data(lang: str = "en") -> Data:
    d = lang_pack.load(lang).events
    tl = load_temporal(lang)
    c, k = d["clauses"], d["kind"]
    cues = set(tl.tense_past) | set(tl.tense_present) | set(tl.tense_future) \
        | set(d["speech"]["verbs"]) | set(k["expected"]) | set(k["ongoing"])
    subs = words_re(c["subordinators"])
    seps = [re.escape(s) for s in c["separators"]] + [
        rf"\s(?=(?:{subs})\s)", rf"(?<=,)\s(?=(?:{words_re(c['relatives'])})\s)"]
    return Data(
        separators=re.compile("|".join(seps)),
        subordinate=re.compile(rf"^\W*(?:{subs}|{words_re(d['speech']['words']['subordinators'])}"
                               rf"|{words_re(d['speech']['words']['intro'])})\b", re.IGNORECASE),
        min_words=c["min_words"],
        openers=re.compile(rf"^(?:(?:{words_re(c['openers'])})\b[,\s]*)+", re.IGNORECASE),
        dangling=re.compile(rf"(?:\b(?:{words_re(c['dangling'])})\s*)+$", re.IGNORECASE),
        title_words=d["titles"]["max_words"],
        verb=re.compile(rf"\b(?:{words_re(cues)})\b|(?<![\w-])\w{{3,}}ed\b", re.IGNORECASE),
        expected=re.compile(rf"(?<![\w’'])(?:{words_re(k['expected'])})\b", re.IGNORECASE),
        ongoing=re.compile(rf"\b(?:{words_re(k['ongoing'])})\b", re.IGNORECASE),
        progressive=re.compile(rf"(?:\b(?:{words_re(k['progressive'])})|[’'](?:s|re))"
                               rf"\s+(?:\w+ly\s+)?\w{{3,}}ing\b", re.IGNORECASE),
        noun_event=_noun_event(d["noun_events"]),
    )


def _noun_event(ne: dict) -> re.Pattern:
    n = ne["max_words"]
    det = "|".join(_DETERMINERS)
    word = rf"(?!(?i:{'|'.join(_PREPOSITIONS)})\s)[\w’'-]+\s+"  # modifiers, not a new phrase
    return re.compile(
        rf"(?:\b(?i:{det})|{_OWNER})\s+(?:{word}){{0,{n}}}(?:{words_re(ne['words'])})"
        rf"(?:\s+(?:with|of|between|against|over|on)\s+(?:{word}){{0,{n}}}[\w’'-]+)?\s*$")


def strip(text: str, a: int, b: int) -> tuple[int, int]:
    chunk = text[a:b]
    b = a + len(chunk.rstrip(" ,;:–—-"))
    a += len(chunk) - len(chunk.lstrip(" ,;:"))
    return a, b


def clause(text: str, s: int, e: int, ms: int, me: int, d: Data) -> tuple[int, int]:
    """The clause of [s, e) that contains the date at [ms, me), widened until it
    says something beyond the date itself; a clause that starts with its verb
    ("abandoned the deal, in 2018") takes its subject back."""
    cuts = [s] + [x.end() for x in d.separators.finditer(text, s, e)] + [e]
    segs = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    i = next((k for k, (a, b) in enumerate(segs) if a <= ms < b), 0)
    lo = hi = i
    date_words = len(WORD.findall(text, ms, me))
    # Widening adds one segment at a time, so the counts are kept incrementally:
    # rescanning the whole span each step made a list of 200 dates cubic.
    n_words = len(WORD.findall(text, segs[lo][0], segs[hi][1])) - date_words
    verb = d.verb.search(text, segs[lo][0], segs[hi][1]) is not None
    while (n_words < d.min_words or not verb) and (lo > 0 or hi < len(segs) - 1) \
            and segs[hi][1] - segs[lo][0] < _MAX_CLAUSE:
        if hi < len(segs) - 1:
            hi += 1
            new = segs[hi]  # a multi-word cue may straddle the cut: look back a little
            look = (max(segs[lo][0], new[0] - _CUE_REACH), new[1])
        else:
            lo -= 1
            new = segs[lo]
            look = (new[0], min(segs[hi][1], new[1] + _CUE_REACH))
        n_words += len(WORD.findall(text, *new))
        verb = verb or d.verb.search(text, *look) is not None
    # "that" cuts a relative clause off on the left only: "concerned that ..."
    # keeps its complement
    while hi < len(segs) - 1 and re.match(r"\s*that\b", text[segs[hi + 1][0]:segs[hi + 1][1]]):
        hi += 1
    a, b = strip(text, segs[lo][0], segs[hi][1])
    head = text[a:b].lstrip("“\"‘ ")
    if lo > 0 and d.verb.match(head) and not d.subordinate.match(head):
        a = strip(text, s, b)[0]
    return a, b


_CUE_REACH = 40  # characters: longer than any multi-word tense or kind cue
# a clause stops widening past this many characters: text with no verb for that
# long is a list (of dates, names), and each date's clause is then its own item
_MAX_CLAUSE = 600

_OWNER = r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}[’']s"


def modifier(text: str, m: TimeMention, s: int, e: int, d: Data | None = None,
             dated_before: bool = False) -> tuple[int, int] | None:
    """The noun phrase a date modifies ("Russia's February 24 invasion", "the
    2015 nuclear deal", "Russia's incursion on February 24"): the date dates
    that noun, not the clause. With ``dated_before`` (the clause's verb has a
    date earlier in the sentence), so does a happening's noun right before the
    date: "... over Iran's return to the nuclear deal with six world powers in
    2015"."""
    post = re.search(rf"{_OWNER}\s+[a-z]+\s*$", text[s:m.phrase_start])
    if post and m.signal in ("on", "in", "of"):  # "Russia's incursion on February 24th"
        return s + post.start(), m.phrase_end
    if dated_before and d is not None:
        head = text[s:m.phrase_start]
        if m.signal not in ("on", "in", "of"):  # "the crisis of 2017": "of" is no signal
            of = re.search(r"\s(?:of|in|on)\s+$", head)
            head = head[:of.start()] if of and m.signal is None else None
        noun = d.noun_event.search(head) if head is not None else None
        if noun:
            return s + noun.start(), m.phrase_end
    if m.signal or m.phrase_start != m.start:
        return None
    before = text[s:m.start].rstrip()
    after = re.match(r"\s+((?:[A-Z][\w-]*\s+(?:of\s+)?){0,5}[a-z][\w-]+)\b", text[m.end:e])
    det = re.search(r"(?:\b(?i:" + "|".join(_DETERMINERS) + rf")|{_OWNER})$", before)
    if not det or not after:
        return None
    head = after.group(1).split()[-1]
    if head in _PREPOSITIONS or head.endswith("ly"):
        return None
    return s + det.start(), m.end + after.end()


def _drop_subordinate(clause_: str, d: Data) -> str:
    """"On Oct. 17, while meeting EU ministers, Kuleba called ..." -> the main
    clause: leading segments that open with a subordinator or preposition and
    hold no finite verb are dropped."""
    parts = clause_.split(", ")
    while len(parts) > 1 and d.subordinate.match(parts[0]) and not re.search(
            r"\b(?:is|are|was|were|has|have|had|will|would)\b", parts[0]):
        parts.pop(0)
    return ", ".join(parts)


# a relative pronoun that is its clause's subject: "which have been deployed"
_SUBJECT_RELATIVE = re.compile(
    r"(?:which|who)\s+(?=(?:\w+ly\s+)?(?:have|has|had|is|are|was|were|will|would|can|could|"
    r"may|might|must|should|\w{3,}ed)\b)", re.IGNORECASE)
# where the noun phrase before a relative pronoun starts
_NP_STOP = frozenset(_PREPOSITIONS) | {"including", "such", "like", "against", "about", "or",
                                       "than", "that", "which", "who", "said", "says"}


def _antecedent(text: str, a: int) -> str:
    """The noun phrase right before ``a`` ("..., including kamikaze drones, which"):
    up to four words, back to a determiner, a preposition or a punctuation mark."""
    words = re.findall(r"[\w’'-]+|[^\w\s]", text[max(0, a - 120):a])
    np: list[str] = []
    for w in reversed(words):
        if w == "," and not np:
            continue
        if not re.match(r"[\w’'-]+$", w) or w.lower() in _NP_STOP:
            break
        np.insert(0, w)
        if w.lower() in _DETERMINERS or len(np) == 4:
            break
    return " ".join(np)


def title(text: str, a: int, b: int, dates: list[tuple[int, int]], d: Data,
          subject: str | None = None, prefix: str | None = None,
          person: bool = False) -> str:
    """A headline for text[a:b]: date phrases, openers, quotes and trailing
    attributions cut out; a leading pronoun that can stand for the speaker
    (he/she for a ``person``, it/they otherwise) replaced by ``subject``;
    ``prefix`` ("Iran denies") put first."""
    parts, pos = [], a
    for ps, pe in sorted(dates):
        if pe <= a or ps >= b:
            continue
        head = text[pos:max(pos, ps)]
        parts.append(d.dangling.sub("", head) if head.strip() else head)
        pos = max(pos, pe)
    parts.append(text[pos:b])
    out = " ".join(" ".join(parts).split())
    out = re.sub(r"\s+([,.;:])", r"\1", out)
    out = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", out)
    out = re.sub(r",?\s+(?:according to|citing|as reported by)\s+[^,;]*$", "", out)
    out = _drop_subordinate(out.strip(" ,;:–—-"), d)
    rel = _SUBJECT_RELATIVE.match(out)
    if rel:  # "drones, which have been deployed ...": "Drones have been deployed ..."
        ante = _antecedent(text, a)
        out = f"{ante} {out[rel.end():]}" if ante else out
    prev = None
    while prev != out:
        prev = out
        out = d.openers.sub("", out).strip(" ,;:–—-\"“”‘’")
    if out.count("“") != out.count("”") or out.count('"') % 2:
        out = re.sub(r"[“”\"]", "", out)
    if subject and not prefix and not _EXPLETIVE.match(out):
        pronoun = r"(?:he|she)" if person else r"(?:it|they)"
        out = re.sub(rf"^{pronoun}(?=\s)", subject, out, flags=re.IGNORECASE)
    if prefix and out:
        first = out.split()[0]
        out = f"{prefix} {first.lower() if first in _LOWER else first}{out[len(first):]}"
    words = out.split()
    if not words:
        return ""
    label = " ".join(words[: d.title_words]).rstrip(",;:")
    if len(words) > d.title_words:
        label += "…"
    else:
        label = label.rstrip(".")
    return label[:1].upper() + label[1:]  # "" when only punctuation is left ("Last year.")


def kind(m: TimeMention, clause_: str, published, d: Data) -> str:
    """happened | ongoing | expected: a date after the publication day or a
    deadline ahead is expected; a date before it happened; on the day itself,
    modals and plans ("will", "is preparing to") make it expected and the
    present or progressive ongoing.  Only the clause before its "that" counts:
    "is concerned that Russia may ..." is a concern, not a plan."""
    iv = m.interval
    if m.signal in load_temporal().deadline_signals and iv is not None and published is not None \
            and iv.end > cal.as_datetime(published):
        return "expected"
    if iv is not None and published is not None:
        pub = cal.as_datetime(published)
        if iv.start >= pub + timedelta(days=1):
            return "expected"
        if iv.end <= pub:
            return "happened"
    main = re.split(r"\bthat\b", clause_, maxsplit=1)[0]
    if d.expected.search(main):  # (the tagger's tense is for bare weekdays, not kinds)
        return "expected"
    if m.value == "PRESENT_REF" or d.progressive.search(main) or d.ongoing.search(main):
        return "ongoing"
    return "happened"
