"""From dated mentions to events: sentences, clauses, titles, kinds, speech.

Takes a Document and its TimeMentions (temporal stage) and returns Events.
Page furniture never yields events (``timeline.furniture``).  Each date gives
the event of the clause it governs (``timeline.clauses``); in reported speech
(``timeline.speech``) a date on the speech verb dates the statement (role
"report"; its expected content becomes an event of its own, role "reported"),
a date in the content dates what was said, and a quotation's "today" is the
day its speaker is reported speaking, when the article gives it.  Undated
statements and lead sentences become events at their publication date (role
"statement"): the merge stage uses them to corroborate dated events and keeps
them as rows only on request.  A caption's date dates the pictured event (role "caption").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache

from . import budget, clauses, speech
from . import lang as lang_pack
from .lang import alternation
from .actors import DocumentActors, document_actors, gazetteer_names, gazetteer_surface
from .furniture import body_lines
from .model import Document, Event, Interval, TimeMention
from .temporal import calendar as cal
from .temporal.lexicon import load as load_temporal

# "…" is left out: in news it marks an elision inside a quotation
_SENT_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class _Data:
    abbreviations: frozenset[str]
    kept_phrases: frozenset[str]  # rules whose phrase is the predicate's own words
    lead_sentences: int
    expected_days: int
    pronouns: frozenset[str]  # "he said": the last named speaker
    anaphoric: frozenset[str]  # "the minister added": the one named before
    anaphoric_bodies: frozenset[str]  # "the company said": the body named before
    article: re.Pattern  # a leading article of a speaker phrase
    definite: str  # "the "
    speaker_end: re.Pattern  # "Kuleba for the first time": the speaker ends before
    third_person: frozenset[str]  # "it", "he": a speaker announcing its own plan
    person_pronouns: frozenset[str]  # "he", "she"
    plural_heads: frozenset[str]  # "officials": a headline verb agrees ("Officials say")
    plural_joiner: str
    plural_verbs: dict[str, str]  # "says" -> "say"
    joined: re.Pattern  # "and", "but", ";": a clause of its own follows
    first_person: re.Pattern  # "I", "we": a plan of the speaker's own
    complementizer: re.Pattern
    modifier_rules: frozenset[str]  # "no current evidence": a noun's time, no clause's
    attributive: frozenset[str]  # granularities of "third-quarter results", "the 2024 budget"
    relational_signals: frozenset[str]  # "after": a date relating to the one beside it
    conjunction: re.Pattern  # "now that ...": a date word opening a conjunction
    baseline_from: str  # "from": a comparison's baseline follows it
    baseline: re.Pattern  # the text before a baseline's phrase ("14 percent from", "compared with")
    baseline_signal: re.Pattern  # ... when its phrase opens with "from" ("14 percent ")
    baseline_since: str  # "since": a baseline after a superlative ("the largest since 2007")
    superlative: re.Pattern  # the text before such a "since"


@cache
def _data(lang: str = "en") -> _Data:
    d = lang_pack.load(lang).events
    w = d["speech"]["words"]
    articles = d["articles"]
    # "I", "we" and "We" (a pronoun as written, or capitalised)
    first_forms = {v for p in clauses.pronouns(lang, "SPEAKER", "SPEAKERS")
                   for v in (p, p[:1].upper() + p[1:])}
    return _Data(abbreviations=frozenset(d["abbreviations"]["words"]),
                 kept_phrases=frozenset(d["titles"]["kept_phrases"]),
                 lead_sentences=d["statements"]["lead_sentences"],
                 expected_days=d["reported"]["expected_days"],
                 pronouns=frozenset(p.lower() for p in clauses.pronouns(
                     lang, "PERSON", "THING", "SPEAKER", "SPEAKERS")),
                 anaphoric=frozenset(w["anaphoric"]),
                 anaphoric_bodies=frozenset(w["anaphoric_bodies"]),
                 article=re.compile(rf"^(?:{alternation(articles)})\s+", re.IGNORECASE),
                 definite=next(a for a, v in articles.items() if v == "DEFINITE") + " ",
                 speaker_end=re.compile(rf"\s+(?:{alternation(w['speaker_ends'])})(?:\s|$)"),
                 third_person=frozenset(clauses.pronouns(lang, "PERSON", "THING")),
                 person_pronouns=frozenset(clauses.pronouns(lang, "PERSON")),
                 plural_heads=frozenset(d["speech"]["plural"]["heads"]),
                 plural_joiner=d["speech"]["plural"]["joiner"],
                 plural_verbs=dict(d["speech"]["plural"]["verbs"]),
                 joined=re.compile(
                     rf"\b(?:{alternation([w['coordinator'], *d['clauses']['subordinators']])})\b|;"),
                 first_person=re.compile(rf"[“\"‘]?(?:{alternation(first_forms)})\b"),
                 complementizer=clauses.data(lang).complementizer,
                 modifier_rules=frozenset(d["dates"]["modifier_rules"]),
                 attributive=frozenset(d["dates"]["attributive"]),
                 relational_signals=frozenset(d["dates"]["relational_signals"]),
                 conjunction=re.compile(rf"(?:{alternation(d['dates']['conjunctions'])})\b",
                                        re.IGNORECASE),
                 **_baseline_patterns(d["dates"]))


def _baseline_patterns(d: dict) -> dict:
    """Patterns of the text right before a comparison's baseline date."""
    # a number with a unit or a currency: a bare one may be a year ("from 1967 until 1975")
    units = rf"\s*(?:{alternation(d['amount_units'])})(?!\w)"
    amount = rf"(?:[$€£¥]\d[\d.,]*(?:{units})?|\d[\d.,]*{units})"
    before_from = rf"(?:{amount}|\b(?:{alternation(d['directions'])}))\s+"
    frm = re.escape(d["baseline_from"])
    return dict(
        baseline_from=d["baseline_from"],
        baseline=re.compile(
            rf"(?:(?<![\w-])(?:{alternation(d['comparison_words'])})\s+(?:[^\s,;:.]+\s+){{0,6}}"
            rf"|{before_from}{frm}\s+|\b{frm}\s+{amount}\s+)$", re.IGNORECASE),
        baseline_signal=re.compile(rf"{before_from}$", re.IGNORECASE),
        baseline_since=d["baseline_since"],
        superlative=re.compile(rf"\b(?:{alternation(d['superlatives'])})\b(?:\s+[\w’'-]+){{0,5}}\s*$",
                               re.IGNORECASE))


# -------------------------------------------------------------- sentences --

def _sentence_lines(text: str, lang: str, title: str | None):
    """(start, end, is_caption, line) of each article sentence."""
    data = _data(lang)
    spans = []
    for line in body_lines(text, lang, title):
        s, end = line.start, line.end
        for m in _SENT_END.finditer(text, s, end):
            prev = text[s:m.start()].split()
            token = prev[-1].lower().strip("“\"(") if prev else ""
            if token in data.abbreviations or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue  # "U.S." or "Oct." does not end a sentence
            spans.append((s, m.end(), line.caption, line))
            s = m.end()
            while s < end and text[s].isspace():
                s += 1
        if s < end:
            spans.append((s, end, line.caption, line))
    return spans


def sentence_spans(text: str, lang: str = "en", title: str | None = None
                   ) -> list[tuple[int, int, bool]]:
    """(start, end, is_caption) of the article's sentences, furniture left out."""
    return [(a, b, c) for a, b, c, _ in _sentence_lines(text, lang, title)]


def sentences(text: str, lang: str = "en", title: str | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the article's sentences, furniture left out."""
    return [(a, b) for a, b, _, _ in _sentence_lines(text, lang, title)]


# ------------------------------------------------------------ attribution --

def _who(speaker: str, people: DocumentActors, last: str | None, lang: str,
         unnamed: str | None = None) -> str | None:
    """The attribution: the person or outlet the speaker phrase names, a
    pronoun resolved to the last named speaker (else to the last ``unnamed``
    one: "The mayor said ... “...,” she said"), else the phrase itself."""
    d = _data(lang)
    s = d.article.sub("", speaker.strip(" ,“”\"'"))
    if s.lower() in d.pronouns:  # "he said": the last named speaker
        if last or not unnamed:
            return last
        # "he" is no country: "Iran has stated ..., he said" is someone else
        return unnamed if s not in d.person_pronouns or unnamed not in \
            gazetteer_names(lang)[1] else None
    if speaker.lower().startswith(d.definite) and s.lower() in d.anaphoric:
        return last or s  # "the minister added": the one named before, if any
    if speaker.lower().startswith(d.definite) and s.lower() in d.anaphoric_bodies:
        # "Duke Energy said ... The company said": the body named before in the
        # paragraph (a name, not "officials"), not a person
        return unnamed if unnamed and unnamed[:1].isupper() else s
    media, places = gazetteer_names(lang)
    outlet = media.search(s)
    if outlet:
        return outlet.group()
    named = [a for a in people.find(s, lang) if a not in places]
    # "Fire Chief Ramon Ellis": the full name the phrase ends on, not a person one
    # of its words could stand for ("Fire" for "Cal Fire")
    written = [a for a in named if " " in a and a in s]
    if written:
        return written[-1]
    if named:
        return named[0]
    s = d.speaker_end.split(s)[0]
    return s or None


def _actors(text: str, people: DocumentActors, lang: str, extra: str | None = None
            ) -> tuple[str, ...]:
    found = people.find(text, lang)
    if extra:
        found += [a for a in people.find(extra, lang) if a not in found]
    return tuple(found)


def _short(who: str | None, people: DocumentActors, lang: str) -> str | None:
    """How a headline names a speaker: "Kirby" for John Kirby, "U.S." for "a
    senior U.S. government spokesperson"."""
    if not who:
        return None
    if who in people.people.values():
        return who.split()[-1]
    media, _ = gazetteer_names(lang)
    if media.fullmatch(who):
        return who
    m = gazetteer_surface(who, lang)
    return m or who


def _clean_speaker(frame, who: str | None, sent: str, spans, s: int, ctx) -> bool:
    """A speaker a title may name: no date inside its phrase ("last night
    she"), and a person, an actor, an outlet or a phrase headed by a speaker
    noun ("the transit agency"), not a stray capitalised run ("He touches")."""
    a, b = s + frame.speaker[0], s + frame.speaker[1]
    if not who or any(ps < b and a < pe for ps, pe in spans):
        return False
    media, _ = gazetteer_names(ctx.lang)
    if who in ctx.people.people.values() or media.fullmatch(who) \
            or ctx.people.find(who, ctx.lang):
        return True
    return who.split()[-1].lower() in speech.speaker_nouns(ctx.lang)


def _prefix(who: str | None, verb: str | None, people: DocumentActors, lang: str
            ) -> str | None:
    """A title's speaker and verb ("Kirby denies", "Officials say")."""
    if not verb or not who:
        return None
    d = _data(lang)
    short = _short(who, people, lang)
    words = []
    for w in short.lower().split():
        if w in clauses.data(lang).prepositions:  # "officials in Baltimore": the head
            break
        words.append(w)
    if d.plural_joiner in words or d.plural_heads & set(words):
        verb = d.plural_verbs.get(verb, verb)
    return f"{short} {verb}"


# ----------------------------------------------------------------- events --

def _synthetic(value: str, start, days: int, gran: str, anchor: str, rule: str, at: int
               ) -> TimeMention:
    start = cal.as_datetime(start)
    return TimeMention(text="", start=at, end=at, type="DATE", value=value,
                       interval=Interval(start, start + timedelta(days=days), gran),
                       anchor=anchor, rule=rule, phrase="", phrase_start=at, phrase_end=at)


def _dates_a_clause(text: str, m: TimeMention, lang: str) -> bool:
    """Not a noun's modifier ("no current evidence"), a conjunction ("now
    that the water has receded") nor a comparison's baseline ("rose 14 percent
    from a year ago": the rise is not a year old)."""
    d = _data(lang)
    if m.rule in d.modifier_rules or d.conjunction.match(text, m.start):
        return False
    before = text[max(0, m.phrase_start - _BASELINE_REACH):m.phrase_start]
    if m.signal == d.baseline_from:
        return not d.baseline_signal.search(before)
    if m.signal == d.baseline_since:
        return not d.superlative.search(before)
    return not d.baseline.search(before)


_BASELINE_REACH = 100  # characters before a date: a comparison word and six words fit


def _without_present_beside(evs: list[Event], text: str, lang: str) -> list[Event]:
    """The events of one sentence less a "now" whose clause another date dates
    ("As of April 16, two bodies now remain missing"; "now is scheduled to
    open in two weeks"): that date dates the clause, the "now" adds nothing.
    A "now" of a clause of its own stays: one joined by a conjunction ("ended
    four years ago and now are poised to ..."), or the content of a report
    ("said on Friday that Russia now feels ...")."""
    joined = _data(lang).joined
    since = load_temporal(lang).since_signals  # "since the war ... now": then and now
    dated = [e for e in evs if e.role in _CLAUSE_ROLES and not e.mention.value.endswith("_REF")]

    def beside(now: Event, o: Event) -> bool:
        p1, p2 = sorted((now.mention, o.mention), key=lambda m: m.phrase_start)
        between = text[p1.phrase_end:p2.phrase_start]
        return o.char_start <= now.char_start and now.char_end <= o.char_end \
            and not joined.search(between) and o.mention.signal not in since
    return [e for e in evs if e.mention.value != "PRESENT_REF"
            or not any(beside(e, o) for o in dated)]


_CLAUSE_ROLES = ("event", "caption")  # a date of the clause itself, not of a report of it

_NEXT_WORD = re.compile(r"\s+([a-z][a-z-]*)\b")


def _without_attributive_beside(evs: list[Event], text: str, lang: str) -> list[Event]:
    """The events of one sentence less a period that only says what a noun is of
    ("Velto reports third-quarter results on Oct. 28": the results are of the
    quarter, the report is on Oct. 28) when another date of its clause dates it."""
    d, cd = _data(lang), clauses.data(lang)

    def attributive(e: Event) -> bool:
        m = e.mention
        nxt = _NEXT_WORD.match(text, m.end)
        return (m.signal is None and m.interval is not None
                and m.interval.granularity in d.attributive and nxt is not None
                and nxt.group(1) not in cd.prepositions and not cd.verb.fullmatch(nxt.group(1)))
    return [e for e in evs if not attributive(e) or not any(
        o is not e and o.mention.interval is not None and not attributive(o)
        and o.char_start < e.mention.end and e.mention.start < o.char_end for o in evs)]


def _redundant(i: int, ms: list[TimeMention], text: str = "", lang: str = "en") -> bool:
    """A date inside another's phrase, a vague window right next to a precise
    date ("as recently as Monday"), or a day right next to the time of that day
    ("around 12:40 a.m. that day", "early Tuesday morning around 1:30 a.m."): one
    date, the finer dates.
    ``ms`` is in text order and ``i`` the mention asked about: only the nearest
    phrases on each side can stand beside it (a list of 1,000 dates in one
    sentence stays linear)."""
    m = ms[i]
    near = ms[max(0, i - _NEAR):i] + ms[i + 1:i + _NEAR + 1]
    if any(o.phrase_start <= m.start and m.end <= o.phrase_end for o in near):
        return True  # part of another's phrase: "the fiscal year, which closes on June 30"
    if m.interval is None:  # "entered its fourth day on Monday": Monday places it
        return any(o.interval is not None and _beside(m, o, text, lang) for o in near)
    if m.value.endswith("_REF") and m.interval.granularity == "fuzzy":
        return any(not o.value.endswith("_REF") and abs(o.start - m.end) < 8 for o in near)
    return any(_finer_within(o.interval, m.interval)
               and (_beside(m, o, text, lang) or _clock_of_the_day(m, o, text, lang))
               for o in near)


def _clock_of_the_day(day: TimeMention, clock: TimeMention, text: str, lang: str) -> bool:
    """"The debate on Thursday, Nov. 20, will be broadcast live at 7 p.m.": a clock
    time the tagger placed on the day of its own clause is that day's date, finer
    (not across a conjunct: "met on Monday and voted at 7 p.m." are two acts)."""
    lo, hi = sorted((day.phrase_end, clock.phrase_start))
    return (day.interval.granularity == "day" and clock.interval.granularity == "time"
            and clock.anchor == "previous" and not clauses.data(lang).conjunct.search(text, lo, hi))


_NEAR = 3  # phrases on each side: dates side by side are next to each other in text order


_BESIDE = re.compile(r"[\s,]*")


def _beside(a: TimeMention, b: TimeMention, text: str, lang: str = "en") -> bool:
    """Two date phrases with nothing but spaces or a comma between them, the
    second not relating to the first ("Friday morning after last week")."""
    lo, hi = (a, b) if a.phrase_start < b.phrase_start else (b, a)
    return lo.phrase_end <= hi.phrase_start and \
        _BESIDE.fullmatch(text, lo.phrase_end, hi.phrase_start) is not None and \
        (hi.signal or "").lower() not in _data(lang).relational_signals


def _finer_within(fine: Interval | None, coarse: Interval) -> bool:
    """``fine`` is shorter and on a day that ``coarse`` covers."""
    if fine is None or not fine.end - fine.start < coarse.end - coarse.start:
        return False
    day = cal.floor(fine.start, "day")
    return cal.floor(coarse.start, "day") <= day < coarse.end


@dataclass
class _Ctx:
    doc: Document
    people: DocumentActors
    lang: str
    last_speaker: str | None = None  # the last named person who spoke
    # (speaker, paragraph line) of the last other speaker ("the mayor")
    last_unnamed: tuple | None = None
    line: object = None  # the paragraph line being read
    # speaker -> (paragraph, day, phrase) of their last speech dated to a day
    spoke: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # clauses.clause's scans of this document

    def unnamed(self) -> str | None:
        """The last unnamed speaker, if in this paragraph: whom "she said" may
        stand for when no person has been named."""
        u = self.last_unnamed
        return u[0] if u and u[1] is self.line else None


_QUOTED_DAY_RULES = ("day-deictic", "part-of-day-deictic")


def _report_days(ctx: _Ctx, unit) -> dict:
    """speaker -> (day, phrase) of the speeches a sentence dates to a day
    ("..., the sheriff said at a news conference on Tuesday"), first one kept."""
    s, e, caption, _, quotes, ms, _, frames = unit
    out: dict = {}
    if caption:
        return out
    for m in ms:
        if m.interval is None or m.interval.granularity != "day" \
                or speech.inside(m.start - s, quotes):
            continue
        frame, part = speech.locate(frames, m.phrase_start - s, m.phrase_end - s)
        if part == speech.Part.REPORT:
            who = _who(frame.speaker_text(ctx.doc.text[s:e]), ctx.people, ctx.last_speaker,
                       ctx.lang, ctx.unnamed())
            if who:
                out.setdefault(who, (cal.floor(m.interval.start, "day"), m.phrase or m.text))
    return out


def _spoken_day(ctx: _Ctx, m: TimeMention, who: str | None, paragraph: int,
                here: dict, ahead) -> TimeMention | None:
    """A quotation's "today" is the day it was spoken: when the article dates
    the speaker's words in the quotation's sentence ("“Today we act,” the
    sheriff said on Tuesday"), else in this paragraph or the one before
    ("Kuleba said on Tuesday ... “Today, Ukraine will send a note”"), else in
    the sentences that follow it up to the next paragraph's first ("“...
    tomorrow.” Ruiz said that on Wednesday"), the quoted day words are
    anchored on that day instead of on publication.  ``ahead()`` gives the
    speeches dated after the quotation."""
    if (who is None or m.rule not in _QUOTED_DAY_RULES or m.anchor != "publication"
            or m.interval is None or not ctx.doc.published):
        return None
    said = here.get(who)
    if said is None:
        before = ctx.spoke.get(who)
        said = before[1:] if before and paragraph - before[0] <= 1 else ahead().get(who)
    if said is None:
        return None
    said = (None, *said)
    shift = said[1] - cal.floor(cal.as_datetime(ctx.doc.published), "day")
    if not shift:
        return None
    iv = m.interval
    day = cal.floor(iv.start, "day") + shift
    value = day.date().isoformat() + m.value[10:] if re.match(r"\d{4}-\d\d-\d\d", m.value) \
        else m.value
    return replace(m, value=value, interval=Interval(iv.start + shift, iv.end + shift,
                                                     iv.granularity),
                   anchor=f"speech: {said[2]}", rule=f"{m.rule}-quoted")


def _ranges(text: str, ms: list[TimeMention]) -> list[TimeMention]:
    """"between Dec. 4 and Dec. 8", "from March to May": the two ends the tagger
    linked (``range``) date one event over the whole range (TIMEX3 values
    joined as an ISO 8601 interval, "2023-12-04/2023-12-08")."""
    out: list[TimeMention] = []
    for m in ms:
        prev = out[-1] if out else None
        if (prev is not None and m.range is not None and prev.range == m.range
                and prev.interval is not m.range and prev.end <= m.start):
            out[-1] = replace(prev, text=text[prev.start:m.end], end=m.end,
                              value=f"{prev.value}/{m.value}", interval=m.range,
                              phrase=text[prev.phrase_start:m.phrase_end],
                              phrase_end=m.phrase_end, rule=f"{prev.rule}+range")
        else:
            out.append(m)
    return out


def extract_events(doc: Document, mentions: list[TimeMention], lang: str = "en", *,
                   statements: bool = True) -> list[Event]:
    """The events of ``doc``: one per dated mention (DATE/TIME) in an article
    sentence, the expected content of dated reports, and (``statements``) the
    undated statements and lead sentences, dated by publication."""
    text = doc.text
    ctx = _Ctx(doc, document_actors(text, lang), lang)
    cd = clauses.data(lang)
    # unanchored mentions (no publication date) stay: an event without an interval
    dated = _ranges(text, [m for m in mentions if m.dated
                           and _dates_a_clause(text, m, lang)])
    units = []  # first pass: the frames of every sentence
    quotes_of: dict = {}
    for s, e, caption, line in _sentence_lines(text, lang, doc.title):
        budget.check()
        if line not in quotes_of:
            quotes_of[line] = speech.quoted(text, line.start, line.end)
        quotes = [(max(a, s) - s, min(b, e) - s) for a, b in quotes_of[line] if a < e and b > s]
        ms = [m for m in dated if s <= m.start < e]
        # a redundant date's phrase is still a date phrase: cut from titles; one no
        # publication date can place ("its fourth day") is part of what is said
        spans = [(m.phrase_start, m.phrase_end) for m in ms
                 if (m.interval is not None or not doc.published)
                 and m.rule not in _data(lang).kept_phrases]
        ms = [m for k, m in enumerate(ms) if not _redundant(k, ms, text, lang)]
        frames = [] if caption else speech.frames(
            text[s:e], [(a - s, b - s) for a, b in spans], lang, quotes)
        units.append((s, e, caption, line, quotes, ms, spans, frames))
    events: list[Event] = []
    body = 0
    paragraph, last_line = -1, None
    framed = {id(u[3]) for u in units if u[7]}  # paragraph lines holding an attribution
    for k, unit in enumerate(units):
        s, e, caption, line, quotes, ms, spans, frames = unit
        sent = text[s:e]
        if line is not last_line:
            paragraph, last_line = paragraph + 1, line
        ctx.line = line
        here = _report_days(ctx, unit) if quotes and ms else {}
        ahead = _ahead(ctx, units, k)
        speakers = [_who(f.speaker_text(sent), ctx.people, ctx.last_speaker, lang,
                         ctx.unnamed()) for f in frames]
        quoter = _quoter(units, line, s, ctx)
        first = len(events)
        for m in ms:
            budget.check()
            in_quote = speech.inside(m.start - s, quotes)
            ev = _event(ctx, m, s, e, caption, frames, spans, cd,
                        quoter if in_quote else None)
            who = ev.attribution
            if in_quote and who is None and id(line) not in framed:
                # a quotation paragraph with no attribution of its own: the one
                # speaker dated right after it speaks it ("“...” / Ruiz said on
                # Wednesday ...")
                after = ahead()
                who = next(iter(after)) if len(after) == 1 else None
            spoken = in_quote and _spoken_day(ctx, m, who, paragraph, here, ahead)
            if spoken:
                ev = _event(ctx, spoken, s, e, caption, frames, spans, cd, quoter or who)
            if ev.role == "report" and ev.attribution and m.interval is not None \
                    and m.interval.granularity == "day":
                ctx.spoke[ev.attribution] = (paragraph, cal.floor(m.interval.start, "day"),
                                             m.phrase or m.text)
            events.append(ev)
            if ev.role == "report" and m.interval is not None:
                extra = _reported(ctx, ev, frames, s, spans, cd)
                if extra:
                    events.append(extra)
        events[first:] = _without_attributive_beside(
            _without_present_beside(events[first:], text, lang), text, lang)
        named = [w for w in speakers if w and w in ctx.people.people.values()]
        if named:
            ctx.last_speaker = named[-1]
        unnamed = [w for w in speakers if w and w not in named]
        if unnamed:
            ctx.last_unnamed = (unnamed[-1], line)
        if caption:
            continue
        body += 1
        undated = not any(s <= m.start < e for m in dated)
        if statements and undated and doc.published:
            quoted_only = bool(quotes) and quotes[0][0] <= 1 and quotes[-1][1] >= len(sent) - 2
            st = _statement(ctx, s, e, frames, speakers, body, cd,
                            quoter if quoted_only and not frames else None)
            if st:
                events.append(st)
    return events


def _ahead(ctx: _Ctx, units, k: int):
    """A function giving the speeches dated in the sentences after ``units[k]``,
    up to the first sentence of the next paragraph (computed once, on demand)."""
    found: list[dict] = []

    def speeches() -> dict:
        if not found:
            out: dict = {}
            line = units[k][3]
            for j in range(k + 1, len(units)):
                for who, said in _report_days(ctx, units[j]).items():
                    out.setdefault(who, said)
                if units[j][3] is not line:  # the next paragraph's first sentence
                    break
            found.append(out)
        return found[0]
    return speeches


def _quoter(units, line, s, ctx: _Ctx) -> str | None:
    """Who speaks a quotation that has no frame of its own: the speaker of the
    nearest frame of its paragraph, before it ("X stated: “...”") or else after
    it ("“...,” X said")."""
    text = ctx.doc.text
    found = [(u[0] + f.verb[0], _who(f.speaker_text(text[u[0]:u[1]]), ctx.people,
                                     ctx.last_speaker, ctx.lang, ctx.unnamed()))
             for u in units if u[3] is line for f in u[7]]
    found = [(at, w) for at, w in found if w]
    before = [w for at, w in found if at < s]
    after = [w for at, w in found if at >= s]
    return before[-1] if before else (after[0] if after else None)


def _content_clause(text: str, s: int, frame, cd, ctx: _Ctx) -> tuple[int, int]:
    """The clause a speech frame reports (its content, from the sentence at ``s``)."""
    c0, c1 = s + frame.content[0], s + frame.content[1]
    return clauses.clause(text, c0, c1, c0, c0 + 1, cd, memo=ctx.memo)


def _title_frame(frames, frame, text, s, ctx: _Ctx):
    """A lead frame that opens ``frame``'s content ("X denied that ..., the
    website reported"): its content makes the title, its verb the prefix."""
    for f in frames:
        if f is not frame and not f.tail and f.speaker[0] == frame.content[0]:
            verb = speech.headline_verb(f.verb_text, ctx.lang)
            who = _who(f.speaker_text(text[s:]), ctx.people, ctx.last_speaker, ctx.lang,
                       ctx.unnamed())
            return f, _prefix(who, verb, ctx.people, ctx.lang)
    return frame, None


def _event(ctx: _Ctx, m, s, e, caption, frames, spans, cd, quoter=None) -> Event:
    text, lang = ctx.doc.text, ctx.lang
    frame, part = speech.locate(frames, m.phrase_start - s, m.phrase_end - s)
    who = _who(frame.speaker_text(text[s:e]), ctx.people, ctx.last_speaker, lang,
               ctx.unnamed()) if frame else quoter
    role, prefix = ("caption" if caption else "event"), None
    dated_before = any(ps < m.phrase_start for ps, _ in spans)
    np = None if caption or part == speech.Part.REPORT else clauses.modifier(text, m, s, e, cd,
                                                                  dated_before)
    app = None if caption or part is not None or np else clauses.appositive(
        text, m.phrase_start, m.phrase_end, s, e, cd)
    if app:
        a, b, prefix = app
        ta, tb = a, b
    elif caption:
        a, b = ta, tb = s, e
    elif part == speech.Part.REPORT:
        role = "report"
        a, b = clauses.strip(text, s + min(frame.report[0], frame.content[0]),
                             s + max(frame.report[1], frame.content[1]))
        # "Agency says the tunnel will open": not the opening; but not "Kirby
        # says we assess ...": a quotation (its first person) reads as his already
        content = text[s + frame.content[0]:s + frame.content[1]]
        own = _data(lang).first_person.match(content) or content[:1] in speech.OPENING
        verb = speech.headline_verb(frame.verb_text, lang, report=not own and _clean_speaker(
            frame, who, text[s:e], spans, s, ctx))
        prefix = _prefix(who, verb, ctx.people, lang)
        if own and prefix is None and who in ctx.people.people.values() \
                and _clean_speaker(frame, who, text[s:e], spans, s, ctx):
            # a person's dated quotation: "Moore: These people are heroes", as
            # headlines print one, not the words alone (the row of what was said
            # may hold them too)
            prefix = f"{_short(who, ctx.people, lang)}:"
        inner, inner_prefix = _title_frame(frames, frame, text, s, ctx)
        if inner is not frame:
            frame, prefix = inner, inner_prefix or prefix
        ta, tb = _content_clause(text, s, frame, cd, ctx)
    elif np:
        a, b = ta, tb = np
    else:
        lo, hi = (s + frame.content[0], s + frame.content[1]) if part == speech.Part.CONTENT \
            else (s, e)
        a, b = clauses.clause(text, lo, hi, m.phrase_start, m.phrase_end, cd, memo=ctx.memo)
        a, b, ta, tb, subject = _own_part(ctx, m, s, a, b, spans, cd, who, dated_before)
        prefix = prefix or subject
    a, b = _near(text, a, b, m)
    ta, tb = _near(text, ta, tb, m)
    if role == "report":
        future = m.interval is not None and ctx.doc.published is not None and \
            m.interval.start >= cal.as_datetime(ctx.doc.published) + timedelta(days=1)
        kind = "expected" if future else "happened"
    else:
        kind = clauses.kind(m, text[a:b], ctx.doc.published, cd)
    title = clauses.title(text, ta, tb, spans, cd, subject=_short(who, ctx.people, lang),
                          prefix=prefix, person=who in ctx.people.people.values()) or m.phrase or m.text
    # "The main, installed, had been ...": that phrase has a row of its own (only
    # the few dates inside the title's clause are looked at: a list stays linear)
    others = [sp for sp in spans if ta <= sp[0] < tb and sp[0] != m.phrase_start][:_APPOSITIVES]
    if not app and any(clauses.appositive(text, ps, pe, s, e, cd) for ps, pe in others):
        title = clauses.without_bare_appositive(title, cd)
    actors = _actors(text[a:b], ctx.people, lang, who if role == "report" else None)
    return Event(doc_id=ctx.doc.id, text=text[a:b], char_start=a, char_end=b,
                 sentence=text[s:e], mention=m, title=title, kind=kind,
                 attribution=who, actors=actors, role=role)


def _own_part(ctx: _Ctx, m, s: int, a: int, b: int, spans, cd, who, dated_before: bool):
    """The part of the clause text[a:b] that the date ``m`` dates when the clause
    holds other dates: (a, b) of the event, (ta, tb) of its title, and a subject
    to put first.  A relative clause with a date of its own after the main
    clause's ("arrested a man on Monday who had fled in March") is its date's,
    and leaves the main title; so is a conjunct ("shut off the line at 4:15 a.m.
    and began digging on Monday afternoon"), after the first one's subject, and
    the relative clause of a subject ("A wildfire that started on Sunday had
    burned 4,000 acres by Monday night"), after that subject."""
    text, lang = ctx.doc.text, ctx.lang
    ta, tb, subject = a, b, None
    rel = clauses.relative_clause(text, a, m.phrase_start, spans, cd) if dated_before else None
    if rel is not None:
        a = ta = rel
    if rel is not None or cd.relative_word.match(text, a) or cd.complementizer.match(text, a):
        # "a wildfire that broke out on Sunday burned ...": the main verb ends it
        word = m.phrase_end + len(text[m.phrase_end:b]) - len(text[m.phrase_end:b].lstrip(" ,"))
        # (only after a past verb of its own: not "that Russia recently acquired")
        if word < b and cd.verb.match(text, word) and cd.past_verb.search(
                text, a, m.phrase_start):
            b = tb = m.phrase_end
    after = [p0 for p0, _ in spans if m.phrase_end < p0 < tb][:_APPOSITIVES]
    later = next((r for p0 in after for r in [clauses.relative_clause(text, a, p0, spans, cd)]
                  if r is not None and r > m.phrase_end), None)
    if later is not None:
        tb = later
    conj = clauses.conjunct(text, a, b, m.phrase_start, spans, cd) or \
        clauses.subject_relative(text, s, a, b, m.phrase_start, spans, cd)
    if conj:
        a, b, subject = conj
        ta, tb = a, b
        if subject and clauses.is_pronoun(subject, cd):  # "it learned ... and opened":
            subject = _short(who, ctx.people, lang)  # the speaker it stands for, if any
    return a, b, ta, tb, subject


_MAX_SPAN = 1000  # characters: no clause is longer; a longer one is a list or a dump
_APPOSITIVES = 3  # other dates of a title's clause checked for a phrase of their own


def _near(text: str, a: int, b: int, m: TimeMention) -> tuple[int, int]:
    """[a, b) cut to ``_MAX_SPAN`` characters around the date, at spaces: a
    "sentence" of 20 KB with no stop would otherwise be every date's text,
    and the stage quadratic."""
    if b - a <= _MAX_SPAN:
        return a, b
    half = _MAX_SPAN // 2
    lo, hi = max(a, m.phrase_start - half), min(b, m.phrase_end + half)
    if lo > a:
        lo = min(text.find(" ", lo, m.phrase_start) + 1 or lo, m.phrase_start)
    if hi < b:
        cut = text.rfind(" ", m.phrase_end, hi)
        hi = cut if cut > m.phrase_end else hi
    return lo, hi


def _reported(ctx: _Ctx, ev: Event, frames, s, spans, cd) -> Event | None:
    """The expected content of a dated report ("CNN reported on Tuesday that
    Iran is preparing to send ...") as an event of its own."""
    m = ev.mention
    frame, _ = speech.locate(frames, m.phrase_start - s, m.phrase_end - s)
    text = ctx.doc.text
    a, b = _content_clause(text, s, frame, cd, ctx)
    d = _data(ctx.lang)
    main = d.complementizer.split(text[a:b], maxsplit=1)[0]
    if not cd.expected.search(main) or d.first_person.match(text[a:b]):
        return None
    if any(a <= ps and pe <= b for ps, pe in spans):
        return None  # "said on Friday that the tunnel will open in May": May dates it
    # a speaker announcing its own plan ("Ukraine announced it would ..."): the
    # announcement is the event; only someone else's plan is an event of its own
    subject = re.match(r"\W*(\w+)", text[a:b]).group(1).lower()
    content_actors = _actors(text[a:b], ctx.people, ctx.lang)
    speaker_actors = _actors(ev.sentence[frame.speaker[0]:frame.speaker[1]], ctx.people,
                             ctx.lang)
    if subject in d.third_person or (
            content_actors and content_actors[0] in speaker_actors):
        return None
    start = cal.floor(m.interval.start, "day")
    rm = _synthetic("FUTURE_REF", start, d.expected_days, "fuzzy", "previous",
                    "reported", a)
    title = clauses.title(text, a, b, spans, cd,
                          subject=_short(ev.attribution, ctx.people, ctx.lang),
                          person=ev.attribution in ctx.people.people.values()) or ev.title
    return Event(doc_id=ev.doc_id, text=text[a:b], char_start=a, char_end=b,
                 sentence=ev.sentence, mention=rm, title=title, kind="expected",
                 attribution=ev.attribution, actors=_actors(text[a:b], ctx.people, ctx.lang),
                 role="reported")


def _statement(ctx: _Ctx, s, e, frames, speakers, body, cd, quoter=None) -> Event | None:
    """An undated statement ("Kirby said ...", a quotation of a speaker named
    in its paragraph) or lead sentence, at publication."""
    text, lang = ctx.doc.text, ctx.lang
    sent = text[s:e]
    usable = [(f, w) for f, w in zip(frames, speakers) if w and not f.according]
    prefix = None
    if quoter:
        who, (ta, tb) = quoter, (s, e)
    elif usable:
        f, who = usable[0]
        ta, tb = _content_clause(text, s, f, cd, ctx)
        verb = speech.headline_verb(f.verb_text, lang)
        prefix = _prefix(who, verb, ctx.people, lang)
    elif body <= _data(lang).lead_sentences and cd.verb.search(sent) \
            and sent[:1] not in "“\"‘":
        who = None
        ta, tb = s, e
    else:
        return None
    title = clauses.title(text, ta, tb, [], cd, subject=_short(who, ctx.people, lang),
                          prefix=prefix, person=who in ctx.people.people.values())
    if len(title.split()) < 3:
        return None
    m = _synthetic(ctx.doc.published_date.isoformat(), ctx.doc.published_date, 1, "day",
                   "publication", "statement", s)
    # the text is what was stated, the sentence keeps who said it
    return Event(doc_id=ctx.doc.id, text=text[ta:tb], char_start=ta, char_end=tb,
                 sentence=sent, mention=m, title=title, kind="happened", attribution=who,
                 actors=_actors(text[ta:tb], ctx.people, lang, who), role="statement")
