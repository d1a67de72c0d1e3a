"""Clauses, titles and kinds: what a date governs and how to label it.

``clause`` finds the clause of a sentence a date belongs to, ``modifier`` the
noun phrase a date modifies ("Russia's February 24 invasion"), ``title`` makes
a headline of a span (dates, openers, quotes and trailing attributions cut)
and ``kind`` says whether the event happened, is ongoing or is expected, from
the date's position against publication, deadlines, tense and modals.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from . import lang as lang_pack
from .lang import alternation
from .model import TimeMention
from .temporal import calendar as cal
from .temporal.lexicon import load as load_temporal

WORD = re.compile(r"\w[\w’'.-]*")
_OWNER = r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}[’']s"
_CLITIC = re.compile(r"[’']s\b")  # a date's possessive: "Last month's fire"


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
    event_nouns: frozenset[str]  # "deal", "collapse": a compound noun ends with one
    possessive_noun: re.Pattern  # "’s deadly bridge collapse" right after a date
    possessive_after: frozenset[str]  # the prepositions before a date that owns its noun
    expletive: re.Pattern  # "it appeared that ...": no one to put in the pronoun's place
    lower: frozenset[str]  # sentence-initial words a headline prefix lowercases
    determiners: frozenset[str]
    prepositions: frozenset[str]
    np_stop: frozenset[str]  # where the noun phrase before a relative pronoun starts
    subject_relative: re.Pattern  # "which have been deployed": the relative is the subject
    finite: re.Pattern  # an auxiliary: the segment is a clause
    conjunct: re.Pattern  # "and" before a verb: "were closed Tuesday | and will remain ..."
    past_verb: re.Pattern  # a past form: a verb ("when the precincts reported") or a
                           # participle opening a phrase ("installed", "shut")
    be_forms: tuple[str, str]  # "was", "were": the participle's verb in a title
    relative_word: re.Pattern  # "who", "which", "that"
    determiner_start: re.Pattern  # a determiner opening a noun phrase
    complementizer: re.Pattern  # "that"
    modifier_signals: frozenset[str]
    modifier_signal_end: re.Pattern  # "the crisis of 2017": a signal ending the head
    owner_noun: re.Pattern  # "Russia's incursion" right before a date
    after_date: re.Pattern  # the noun a bare date modifies ("2015 nuclear deal")
    determiner_end: re.Pattern  # a determiner or an owner ending the text before a date
    attribution: re.Pattern  # a trailing "according to ..." of a title
    person_pronoun: re.Pattern
    thing_pronoun: re.Pattern
    adverb_suffix: str
    definite: str  # the article put before a noun whose possessive date is cut


def pronouns(lang: str, *meanings: str) -> list[str]:
    """The pronouns of the pack that stand for one of ``meanings`` (see [pronouns])."""
    return [w for w, m in lang_pack.load(lang).events["pronouns"].items() if m in meanings]


def determiners(lang: str = "en", *, channels: bool = False) -> list[str]:
    """The determiners that open a noun phrase ("the", "its", ...): the tagger's
    list, but for the pack's exceptions (and, before a channel of speech, "this")."""
    d = lang_pack.load(lang).events["determiners"]
    out = set(d["not_in_noun_phrases"]) | (set(d["not_before_channels"]) if channels else set())
    return [w for w in lang_pack.load(lang).temporal["tense"]["determiners"] if w not in out]


@cache
def data(lang: str = "en") -> Data:
    d = lang_pack.load(lang).events
    tl = load_temporal(lang)
    c, k, v, ne = d["clauses"], d["kind"], d["verbs"], d["noun_events"]
    sw = d["speech"]["words"]
    cues = set(tl.tense_past) | set(tl.tense_present) | set(tl.tense_future) \
        | set(d["speech"]["verbs"]) | set(k["expected"]) | set(k["ongoing"])
    subs = alternation(c["subordinators"])
    past, ing, ly = (re.escape(v[x]) for x in ("past_suffix", "progressive_suffix",
                                                "adverb_suffix"))
    # a finite verb, not an adjective after an article ("a scheduled meeting")
    no_article = "".join(rf"(?<!\b{a}\s)" for a in d["articles"])
    finite_verb = rf"{no_article}(?:{alternation([*v['auxiliaries'], *tl.tense_past])}" \
        rf"|\w{{3,}}{past})\b"
    # "a day before the order took effect": the offset and its event stay together
    pack = lang_pack.load(lang)
    # ... and "have since updated": an adverb after an auxiliary
    after_unit = "".join(rf"(?<!\b{re.escape(u)}\s)" for w in tl.units
                         for u in (w, lang_pack.plural(pack, w))) \
        + "".join(rf"(?<!\b{re.escape(a)}\s)" for a in v["auxiliaries"])
    seps = [re.escape(s) for s in c["separators"]] + [
        rf"\s(?=(?:{subs})\s)", rf"(?<=,)\s(?=(?:{alternation(c['relatives'])})\s)",
        rf"\s(?=(?:{alternation(c['clause_prepositions'])})\s+"
        rf"(?:[\w’'-]+\s+){{0,{c['clause_preposition_reach']}}}?{finite_verb}){after_unit}"]
    # the contracted forms among the progressive's auxiliaries: "it's supplying"
    clitics = [w for w in k["progressive"] if not w[:1].isalnum()]
    subject_relatives = [w for w, role in c["relatives"].items() if role == "SUBJECT"]
    # "which began on ...": a relative pronoun right before a verb is its subject
    relative_verbs = alternation([*v["auxiliaries"], *v["modals"], *v["obligation"],
                                  *tl.tense_past])
    ex = c["expletive"]
    det = alternation(determiners(lang))
    # auxiliaries and modals: a verb group of its own ("will remain", "can be lifted")
    helpers, obliged = alternation([*v["auxiliaries"], *v["modals"]]), alternation(v["obligation"])
    preps = frozenset(c["prepositions"])
    signals = alternation(ne["signals"])
    attributions = [*sw["according"], *d["titles"]["attributions"]]
    return Data(
        separators=re.compile("|".join(seps)),
        subordinate=re.compile(rf"^\W*(?:{subs}|{alternation(sw['subordinators'])}"
                               rf"|{alternation(sw['intro'])})\b", re.IGNORECASE),
        min_words=c["min_words"],
        openers=re.compile(rf"^(?:(?:{alternation(c['openers'])})\b[,\s]*)+", re.IGNORECASE),
        dangling=re.compile(rf"(?:\b(?:{alternation(c['dangling'])})\s*)+$", re.IGNORECASE),
        title_words=d["titles"]["max_words"],
        verb=re.compile(rf"\b(?:{alternation(cues)})\b|(?<![\w-])\w{{3,}}{past}\b",
                        re.IGNORECASE),
        expected=re.compile(rf"(?<![\w’'])(?:{alternation(k['expected'])})\b", re.IGNORECASE),
        ongoing=re.compile(rf"\b(?:{alternation(k['ongoing'])})\b", re.IGNORECASE),
        progressive=re.compile(rf"(?:\b(?:{alternation(k['progressive'])})|"
                               rf"{alternation(clitics, group=True)})"
                               rf"\s+(?:\w+{ly}\s+)?\w{{3,}}{ing}\b", re.IGNORECASE),
        # a noun phrase does not run across "after"/"before" (a clause of its own)
        noun_event=_noun_event(ne, det, preps | set(c["clause_prepositions"])),
        event_nouns=frozenset(ne["words"]),
        possessive_noun=_possessive_noun(ne, preps),
        possessive_after=frozenset(ne["possessive_after"]),
        expletive=re.compile(
            rf"{alternation([ex['subject']])}\s+(?:{alternation(ex['verbs'])}|"
            rf"{alternation([ex['copula']])}\s+(?:{alternation([ex['negation']])}\s+)?"
            rf"(?:{alternation(ex['adjectives'])}))", re.IGNORECASE),
        lower=frozenset(w[:1].upper() + w[1:] for w in d["titles"]["lowercase_after_prefix"]),
        determiners=frozenset(determiners(lang)),
        prepositions=preps,
        np_stop=preps | frozenset(c["np_stops"]) | {c["complementizer"]} | set(subject_relatives),
        subject_relative=re.compile(
            rf"(?:{alternation(subject_relatives)})\s+(?=(?:\w+{ly}\s+)?(?:"
            rf"{relative_verbs}|"
            rf"\w{{3,}}{past})\b)", re.IGNORECASE),
        finite=re.compile(rf"\b(?:{helpers})\b"),
        past_verb=re.compile(rf"(?<![\w’'-])(?!(?:{alternation(sorted(tl.not_past))})\b)"
                             rf"(?:{alternation(sorted(tl.tense_past - set(c['not_participles'])))}"
                             rf"|\w{{3,}}{past})\b", re.IGNORECASE),
        be_forms=tuple(c["appositive_be"]),
        determiner_start=re.compile(rf"(?:{det})\s", re.IGNORECASE),
        relative_word=re.compile(rf"\b(?:{alternation(list(c['relatives']))})\b", re.IGNORECASE),
        conjunct=re.compile(rf"\s+(?:{alternation(k['coordinators'])})\s+"
                            rf"(?=(?:{helpers})\b|{finite_verb}"
                            # "..., and the satellite should be operational by ...": its own subject
                            rf"|(?:{det})\s+(?:[\w’'-]+\s+){{0,3}}?(?:{helpers}|{obliged})\b)"),
        complementizer=re.compile(rf"\b{alternation([c['complementizer']], group=True)}\b"),
        modifier_signals=frozenset(ne["signals"]),
        modifier_signal_end=re.compile(rf"\s(?:{signals})\s+$"),
        owner_noun=re.compile(rf"{_OWNER}\s+[a-z]+\s*$"),
        after_date=re.compile(rf"\s+((?:[A-Z][\w-]*\s+(?:(?:{alternation(ne['name_links'])})\s+)?)"
                              rf"{{0,5}}[a-z][\w-]+)\b"),
        determiner_end=re.compile(rf"(?:\b(?i:{det})|{_OWNER})$"),
        attribution=re.compile(rf",?\s+(?:{alternation(attributions)})\s+[^,;]*$"),
        person_pronoun=re.compile(rf"^(?:{alternation(pronouns(lang, 'PERSON'))})(?=\s)",
                                  re.IGNORECASE),
        thing_pronoun=re.compile(rf"^(?:{alternation(pronouns(lang, 'THING'))})(?=\s)",
                                 re.IGNORECASE),
        adverb_suffix=v["adverb_suffix"],
        definite=next(w for w, v in d["articles"].items() if v == "DEFINITE"),
    )


def _noun_event(ne: dict, det: str, prepositions) -> re.Pattern:
    n = ne["max_words"]
    word = rf"(?!(?i:{alternation(prepositions)})\s)[\w’'-]+\s+"  # modifiers, not a new phrase
    return re.compile(
        rf"(?:\b(?i:{det})|{_OWNER})\s+(?:{word}){{0,{n}}}(?:{alternation(ne['words'])})"
        rf"(?:\s+(?:{alternation(ne['linkers'])})\s+(?:{word}){{0,{n}}}[\w’'-]+)?\s*$")


def _possessive_noun(ne: dict, prepositions) -> re.Pattern:
    """A date's possessive and the happening it determines, with what it is of:
    "’s deadly bridge collapse", "’s collapse of pay talks"."""
    word = rf"(?!(?i:{alternation(prepositions)})\s)[\w’'-]+\s+"
    n = ne["max_words"]
    return re.compile(rf"[’']s\s+(?:{word}){{0,{n}}}(?i:{alternation(ne['words'])})\b"
                      rf"(?:\s+(?:{alternation(ne['linkers'])})\s+(?:{word}){{0,{n}}}"
                      rf"(?!(?i:{alternation(prepositions)})\b)[\w’'-]*\w)?")


def strip(text: str, a: int, b: int) -> tuple[int, int]:
    chunk = text[a:b]
    b = a + len(chunk.rstrip(" ,;:–—-"))
    a += len(chunk) - len(chunk.lstrip(" ,;:"))
    return a, b


def clause(text: str, s: int, e: int, ms: int, me: int, d: Data,
           memo: dict | None = None) -> tuple[int, int]:
    """The clause of [s, e) that contains the date at [ms, me), widened until it
    says something beyond the date itself; a clause that starts with its verb
    ("abandoned the deal, in 2018") takes its subject back. ``memo`` (one dict
    per document) keeps the cuts of a sentence and the verb searches of its
    spans: a sentence holding many dates is then scanned once, not once per date."""
    memo = {} if memo is None else memo
    if (s, e) not in memo:
        cuts = [s] + [x.end() for x in d.separators.finditer(text, s, e)] + [e]
        cut = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
        memo[(s, e)] = cut, [a for a, _ in cut]
    segs, starts = memo[(s, e)]

    def has_verb(a: int, b: int) -> bool:
        key = ("verb", a, b)
        if key not in memo:
            memo[key] = d.verb.search(text, a, b) is not None
        return memo[key]

    i = bisect.bisect_right(starts, ms) - 1
    i = i if i >= 0 and ms < segs[i][1] else 0
    lo = hi = i
    date_words = len(WORD.findall(text, ms, me))
    # Widening adds one segment at a time, so the counts are kept incrementally:
    # rescanning the whole span each step made a list of 200 dates cubic.
    n_words = len(WORD.findall(text, segs[lo][0], segs[hi][1])) - date_words
    verb = has_verb(segs[lo][0], segs[hi][1])
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
        verb = verb or has_verb(*look)
    # "that" cuts a relative clause off on the left only: "concerned that ..."
    # keeps its complement
    while hi < len(segs) - 1 and d.complementizer.match(
            text[segs[hi + 1][0]:segs[hi + 1][1]].lstrip()):
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


def modifier(text: str, m: TimeMention, s: int, e: int, d: Data | None = None,
             dated_before: bool = False) -> tuple[int, int] | None:
    """The noun phrase a date modifies ("Russia's February 24 invasion", "the
    2015 nuclear deal", "Russia's incursion on February 24"): the date dates
    that noun, not the clause. With ``dated_before`` (the clause's verb has a
    date earlier in the sentence), so does a happening's noun right before the
    date: "... over Iran's return to the nuclear deal with six world powers in
    2015"."""
    given, d = d is not None, d or data()
    h = _tail_start(text, s, m.phrase_start)
    owned = d.possessive_noun.match(text, m.end, min(e, m.end + _PHRASE_REACH))
    prep = text[max(s, m.start - 20):m.start].split()[-1:] if owned else []
    if prep and prep[0].lower() in d.possessive_after:
        # "into last month's deadly bridge collapse": the date dates the collapse, not
        # the investigation (as the subject, "Sunday's election was marred", the clause)
        return m.start, owned.end()
    post = d.owner_noun.search(text[h:m.phrase_start])
    if post and m.signal in d.modifier_signals:  # "Russia's incursion on February 24th"
        return h + post.start(), m.phrase_end
    if dated_before and given:
        head = text[h:m.phrase_start]
        if m.signal not in d.modifier_signals:  # "the crisis of 2017": "of" is no signal
            of = d.modifier_signal_end.search(head)
            head = head[:of.start()] if of and m.signal is None else None
        noun = d.noun_event.search(head) if head is not None else None
        if noun:
            return h + noun.start(), m.phrase_end
    if m.signal or m.phrase_start != m.start:
        return None
    before = text[h:m.start].rstrip()
    after = d.after_date.match(text[m.end:min(e, m.end + _PHRASE_REACH)])
    det = d.determiner_end.search(before)
    if not det or not after:
        return None
    head = after.group(1).split()[-1]
    if head in d.prepositions or head.endswith(d.adverb_suffix):
        return None
    return h + det.start(), _compound_end(text, m.end + after.end(), e, d)


_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)\b")
_COMPOUND_WORDS = 3  # more nouns after the first: "the October 5 levee failure"


def _compound_end(text: str, pos: int, e: int, d: Data) -> int:
    """The end of a compound noun whose first word ends at ``pos``: the lower-case
    words after it up to a preposition, a conjunction, an auxiliary or a verb
    ("the 2015 nuclear deal with ...", "the October 5 levee failure was ...")."""
    for _ in range(_COMPOUND_WORDS):
        if text[max(0, pos - 40):pos].rsplit(None, 1)[-1].lower() in d.event_nouns:
            break  # "the March 26 collapse after ...": the happening is named
        w = _NEXT_WORD.match(text, pos, e)
        if not w:
            break
        word = w.group(1)
        if word in d.np_stop or d.finite.fullmatch(word) or d.verb.fullmatch(word) \
                or word.endswith(d.adverb_suffix):
            break
        pos = w.end()
    return pos


_PHRASE_REACH = 400  # characters: longer than any noun phrase a date can modify


def appositive(text: str, ps: int, pe: int, s: int, e: int, d: Data
               ) -> tuple[int, int, str] | None:
    """"The main, installed in 1958, had been scheduled ...": a date inside a
    participle phrase set off by commas right after the sentence's subject dates
    that phrase, not the main clause.  (start, end) of the phrase and the title's
    prefix ("The main was"); the date phrase is text[ps:pe]."""
    a = text.rfind(", ", s, ps)
    b = text.find(",", pe, e)
    if a < 0 or b < 0:
        return None
    subject = d.openers.sub("", text[s:a].strip())  # "But the new estimates, released ..."
    words = subject.split()
    if not 1 <= len(words) <= _SUBJECT_WORDS or "," in subject or d.verb.search(subject) \
            or not d.past_verb.match(text, a + 2):
        return None
    # a noun phrase: not a pronoun's clause ("It replaces a cap, fitted ..."), not
    # a prepositional phrase ("In that letter, dated Jan. 14, ...")
    if is_pronoun(words[0], d) or words[0].lower() in d.prepositions:
        return None
    plural = words[-1].endswith("s") and not words[-1].endswith("ss")
    subject = subject[:1].upper() + subject[1:]
    return a + 2, b, f"{subject} {d.be_forms[1] if plural else d.be_forms[0]}"


_SUBJECT_WORDS = 6  # a noun phrase, not a clause


def is_pronoun(word: str, d: Data) -> bool:
    """A personal pronoun ("he", "it", "they")."""
    return bool(d.person_pronoun.match(word + " ") or d.thing_pronoun.match(word + " "))


def without_bare_appositive(out: str, d: Data) -> str:
    """"The main, installed, had been scheduled": a participle phrase whose
    date was cut out (it has a row of its own) leaves the title."""
    m = re.search(r",\s+([\w’'-]+)(?:\s+[\w’'-]+)?,\s", out)
    if m and d.past_verb.fullmatch(m.group(1)) and not d.verb.search(out, 0, m.start()):
        return out[:m.start()] + " " + out[m.end():]
    return out


def relative_clause(text: str, a: int, ps: int, spans, d: Data) -> int | None:
    """"The first case was confirmed on Feb. 24 in a child who had returned from
    abroad the week before": where the relative clause holding the date at ``ps``
    starts, when another date of text[a:ps] lies before it (that one dates the
    main clause; this one the relative clause)."""
    rel = None
    for m in d.subject_relative.finditer(text, a, ps):
        rel = m
    if rel is None or not any(a <= p0 and p1 <= rel.start() for p0, p1 in spans):
        return None
    return rel.start()


def conjunct(text: str, a: int, b: int, ps: int, spans, d: Data
             ) -> tuple[int, int, str | None] | None:
    """"Crews shut off the line at 4:15 a.m. and began digging on Monday
    afternoon": when each conjunct of text[a:b] has a date of its own, the one
    holding the date at ``ps``, as (start, end, the first conjunct's subject to
    put before a later one: "Crews", or a pronoun: "it")."""
    cuts = list(d.conjunct.finditer(text, a, b))
    if not cuts:
        return None
    bounds = [(a, cuts[0].start())] + [(c.end(), n.start() if n else b) for c, n in
                                       zip(cuts, cuts[1:] + [None])]
    here = next((k for k, (lo, hi) in enumerate(bounds) if lo <= ps < hi), None)
    dated = {k for k, (lo, hi) in enumerate(bounds) for p0, _ in spans if lo <= p0 < hi}
    if here is None or len(dated) < 2:
        return None
    lo, hi = bounds[here]
    if here == 0 or d.determiner_start.match(text, lo):  # "the satellite should be": its own
        return lo, hi, None
    verb = d.verb.search(text, a, bounds[0][1])
    subject = text[a:verb.start()].strip() if verb else ""
    words = subject.split()
    # only a plain noun phrase: not "Over Christmas I", nor when a relative clause
    # in the first conjunct may own the second ("a pupil who had returned ... and
    # was diagnosed")
    pronoun = len(words) == 1 and is_pronoun(subject, d)
    plain = (pronoun or _noun_phrase(words, d)) and not d.relative_word.search(
        text, a, bounds[0][1])
    return lo, hi, subject if plain else None


def _noun_phrase(words: list[str], d: Data) -> bool:
    """Do these words read as a short noun phrase (a subject): a name or a
    determiner first, not a preposition ("Over Christmas I")?"""
    return 0 < len(words) <= _SUBJECT_WORDS and words[0].lower() not in d.prepositions \
        and (words[0][:1].isupper() or words[0].lower() in d.determiners)


def subject_relative(text: str, s: int, a: int, b: int, ps: int, spans, d: Data
                     ) -> tuple[int, int, str] | None:
    """"A wildfire that started on Sunday afternoon had burned 4,000 acres by
    Monday night": a clause text[a:b] whose subject's relative clause holds a
    date and the main clause another after it. The main verb starts right
    after the relative clause's date ("had"); each date has its own part
    (start, end, and the subject to put first: "A wildfire"). The clause may
    open with the subject or with its relative pronoun (the subject before it)."""
    inside = sorted(p for p in spans if a <= p[0] and p[1] <= b)
    if len(inside) < 2:
        return None
    # the relative pronoun ("that" after a noun phrase with no verb is one too)
    rel = d.relative_word.search(text, a, inside[0][0]) or \
        d.complementizer.search(text, a, inside[0][0])
    if rel is None:
        return None
    subject = (text[a:rel.start()] if rel.start() > a else text[s:a]).strip()
    if not _noun_phrase(subject.split(), d) or "," in subject or d.verb.search(subject):
        return None
    gap = text[inside[0][1]:inside[1][0]]
    verb = d.verb.search(gap)
    # the main verb right after the relative clause's date
    if verb is None or gap[:verb.start()].strip(" ,"):
        return None
    main = inside[0][1] + verb.start()
    if ps >= main:
        return main, b, subject
    lo = rel.end()
    while lo < main and text[lo].isspace():
        lo += 1
    return lo, main, subject


def _tail_start(text: str, s: int, end: int) -> int:
    """Where the stretch of [s, end) a noun phrase ending at ``end`` can lie
    begins (a word start): searching the whole sentence before every date of a
    long list of dates was quadratic."""
    if end - s <= _PHRASE_REACH:
        return s
    space = text.find(" ", end - _PHRASE_REACH, end)
    return space + 1 if space >= 0 else end - _PHRASE_REACH


def _drop_subordinate(clause_: str, d: Data) -> str:
    """"On Oct. 17, while meeting EU ministers, Kuleba called ..." -> the main
    clause: leading segments that open with a subordinator or preposition and
    hold no finite verb are dropped."""
    parts = clause_.split(", ")
    while len(parts) > 1 and d.subordinate.match(parts[0]) and not d.finite.search(parts[0]) \
            and not d.past_verb.search(parts[0]):  # "when the last precincts reported": a clause
        parts.pop(0)
    return ", ".join(parts)


def _antecedent(text: str, a: int, d: Data) -> str:
    """The noun phrase right before ``a`` ("..., including kamikaze drones, which"):
    up to four words, back to a determiner, a preposition or a punctuation mark."""
    words = re.findall(r"[\w’'-]+|[^\w\s]", text[max(0, a - 120):a])
    np: list[str] = []
    for w in reversed(words):
        if w == "," and not np:
            continue
        if not re.match(r"[\w’'-]+$", w) or w.lower() in d.np_stop:
            break
        np.insert(0, w)
        if w.lower() in d.determiners or len(np) == 4:
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
    dates = sorted(dates)  # only the dates near [a, b): a sentence may list a thousand
    for ps, pe in dates[max(0, bisect.bisect_left(dates, (a, a)) - 2):]:
        if ps >= b:
            break
        if pe <= a or _subject_date(text, a, ps, pe, d):
            continue
        head = text[pos:max(pos, ps)]
        parts.append(d.dangling.sub("", head) if head.strip() else head)
        pos = max(pos, pe)
        if "," in text[ps:pe] and text.startswith(",", pos):  # "The debate on Thursday,
            pos += 1  # Nov. 20, will be ...": a written date's closing comma goes with it
        clitic = _CLITIC.match(text, pos)
        if clitic and clitic.end() <= b:  # "Last month's fire was ...": "The fire was ..."
            pos = clitic.end()
            if not "".join(parts).strip():
                parts.append(d.definite)
    parts.append(text[pos:b])
    out = " ".join(" ".join(parts).split())
    out = _SPACE_PUNCT.sub("", out)
    out = _PUNCT_RUN.sub("", out)
    out = d.attribution.sub("", out)
    out = _drop_subordinate(out.strip(" ,;:–—-"), d)
    rel = d.subject_relative.match(out)
    that = d.complementizer.match(out)
    if that and d.verb.match(out, that.end() + 1):  # "a wildfire that broke out": a relative
        rel = that
    if rel:  # "drones, which have been deployed ...": "Drones have been deployed ..."
        ante = _antecedent(text, a, d)
        out = f"{ante} {out[rel.end():]}" if ante else out
    prev = None
    while prev != out:
        prev = out
        out = d.openers.sub("", out).strip(" ,;:–—-\"“”‘’")
    if out.count("“") != out.count("”") or out.count('"') % 2:
        out = re.sub(r"[“”\"]", "", out)
    if subject and not prefix and not d.expletive.match(out):
        pronoun = d.person_pronoun if person else d.thing_pronoun
        out = pronoun.sub(subject, out)
    if prefix and out:
        first = out.split()[0]
        if prefix.endswith(":"):  # "Sheriff: We act": what follows is a sentence
            first = first[:1].upper() + first[1:]
        elif first in d.lower or _common_word(first, out, text):
            first = first.lower()
        out = f"{prefix} {first}{out[len(out.split()[0]):]}"
    words = out.split()
    if not words:
        return ""
    label = " ".join(words[: d.title_words]).rstrip(",;:")
    if len(words) > d.title_words:
        label += "…"
    else:
        label = label.rstrip(".").rstrip(",;:")  # "lifted, likely on Friday." -> "lifted"
    return label[:1].upper() + label[1:]  # "" when only punctuation is left ("Last year.")


_SPACE_PUNCT = re.compile(r"\s+(?=[,.;:])")
_PUNCT_RUN = re.compile(r"(?<=[,;:])(?:\s*[,;:])+")  # ", ," -> ","


def _subject_date(text: str, a: int, ps: int, pe: int, d: Data) -> bool:
    """A date that opens its clause as its subject ("Tonight is going to be
    long", "Tomorrow will be hot"): cut, the title would have none."""
    return not text[a:ps].strip(" “\"‘") and d.finite.match(text, pe + 1) is not None \
        and text[pe:pe + 1] == " "


def _common_word(first: str, title_: str, text: str) -> bool:
    """A sentence's capitalised first word that the article also writes in
    lower case ("Schools will remain closed" beside "schools") is no name,
    unless a capitalised word follows it ("Hurricane Lena")."""
    words = title_.split()
    if not first[:1].isupper() or not first[1:].islower() or \
            (len(words) > 1 and words[1][:1].isupper()):
        return False
    return re.search(rf"(?<![\w’'-]){re.escape(first.lower())}(?![\w’'-])", text) is not None


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
    main = d.complementizer.split(clause_, maxsplit=1)[0]
    # "were closed Tuesday and will remain closed on Wednesday": two conjuncts,
    # each with its own tense; the date's conjunct decides
    parts = d.conjunct.split(main)
    main = next((p for p in parts if m.text and m.text in p), main) if len(parts) > 1 else main
    if d.expected.search(main):  # (the tagger's tense is for bare weekdays, not kinds)
        return "expected"
    if m.value == "PRESENT_REF" or d.progressive.search(main) or d.ongoing.search(main):
        return "ongoing"
    return "happened"
