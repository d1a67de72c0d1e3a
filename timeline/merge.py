"""One row per happening: merge the mentions of an event across articles.

Input: the per-mention table (``table.build_table``).  Two mentions are the
same happening when their dates are consistent and their clauses are similar:
cosine of idf-weighted word vectors (stemmed, stop words out, news synonyms
folded: "ties"/"relations", "downgrade"/"reduce"; kinds of act weighted by
their rarity among clauses; the side of a landmark, "after the collapse", as
one cue), with the rest of the sentence or of the clause alone, whichever is
closer, mixed with the overlap of their actors.  Groups grow greedily from
the most similar pair, and two groups join only if their centroids (of their
precisely dated members) are close too, so one loose pair cannot chain two
happenings together.  Everything is sorted explicitly: the same input gives
the same rows and ids.

Dates: a group keeps the most specific interval consistent with the most
members ("In September" and "on September 23" give September 23); members
whose dates do not overlap it set ``date_conflict``.  Dates are compared at
the granularity their phrase has: a clock time is approximate, a part of a
day is that day, a night runs into the next morning.  Within one article, a
happened and an expected mention are two acts, and so are two plans it
expects at different dates; a sentence printed twice is one.  Vague windows
("recently"), the expected content of reports and undated statements only
corroborate: they never set the date of a group that has a precise one.  An
undated statement that repeats, weeks later, what the same speaker was
reported saying on a dated day joins that event.  Undated statements that
corroborate nothing are dropped unless asked for.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from . import lang as lang_pack
from .lang import alternation
from .actors import actor_key, gazetteer, key
from .temporal import calendar as cal
from . import pairs as pairs_
from . import places as places_
from .table import COLUMNS, LIST_SEP, empty_table, order_table

_SOFT_ROLES = ("statement", "reported")
_OTHER_TENSE = {"happened": "expected", "expected": "happened"}
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class _Data:
    stop: frozenset[str]
    synonyms: dict[str, str]
    phrases: tuple[tuple[re.Pattern, str], ...]  # multiword cue -> kind
    cues: tuple[tuple[str, str], ...]  # stemmed one-word cue -> kind
    landmarks: re.Pattern  # signal + landmark event ("before the war")
    sides: dict[str, str]  # signal -> "before" / "after"
    landmark_of: dict[str, str]  # landmark word -> its group's name
    class_weight: float
    kinds: frozenset[str]  # the kind tokens ("#collide")
    class_clash: float  # taken off the score of two clauses naming only other kinds
    place_clash: float  # taken off the score of two clauses placed apart (places.clash)
    day_weight: float  # a shared day counts this many times a word of the same rarity
    text_weight: float
    actor_weight: float
    join: float
    group: float
    slack: float  # days
    slack_join: float
    statement_days: float
    recall_days: float
    recall_join: float
    fuzzy_stretch: float
    news_days: pd.Timedelta
    min_idf: float
    idf_floor: float
    same_article: float
    clock_slack: float  # days a reported clock time may be off
    night_suffix: str  # TIMEX3 value suffix of a night ("...TNI")
    night_until: float  # days after midnight a night runs on
    parts_of_day: frozenset[str]  # TIMEX3 value suffixes of a part of a day
    pronoun: re.Pattern  # a title that opens with a pronoun


@dataclass(frozen=True)
class _Stemmer:
    possessives: tuple[str, ...]
    rules: tuple[tuple[str, str, int, str | None, str, tuple[str, str] | None], ...]
    undouble_except: str
    final: str
    longer_than: int


@cache
def _stemmer(lang: str) -> _Stemmer:
    st = lang_pack.load(lang).merge["stemmer"]
    return _Stemmer(
        tuple(st["possessives"]),
        tuple((r["suffix"], r["to"], r["longer_than"], r.get("after"), r.get("not_after", ""),
               tuple(r.get("respell", ())) or None) for r in st["rules"]),
        st["undouble_except"], st["final"], st["stem_longer_than"])


def stem(word: str, lang: str = "en") -> str:
    """A crude stemmer from the pack's suffix rules: enough to match
    "supplies"/"supplied"/"supply"."""
    st = _stemmer(lang)
    w = word.lower()
    for p in st.possessives:
        w = w.removesuffix(p)
    for suffix, to, longer_than, after, not_after, respell in st.rules:
        if len(w) > longer_than and w.endswith(suffix):
            before = w[-len(suffix) - 1]
            if (after is not None and before not in after) or before in not_after:
                continue
            w = w[:-len(suffix)] + to
            if respell and w.endswith(respell[0]):
                w = w[:-len(respell[0])] + respell[1]
            break
    n = st.longer_than
    if len(w) > n and w[-1] == w[-2] and w[-1] not in st.undouble_except:
        w = w[:-1]  # "shipp(ing)" -> "ship"
    if len(w) > n and w.endswith(st.final):
        w = w[:-len(st.final)]
    return w


@cache
def _data(lang: str = "en") -> _Data:
    d = lang_pack.load(lang).merge
    syn = {}
    for group in d["words"]["synonyms"]:
        head = stem(group[0], lang)
        for w in group:
            syn[stem(w, lang)] = head
    t = d["thresholds"]
    classes = {k: v for k, v in d["classes"].items() if isinstance(v, list)}  # (not the weight)
    phrases = tuple((re.compile(r"\b" + alternation([c]) + r"\w*"), "#" + k)
                    for k, cues in sorted(classes.items()) for c in cues if " " in c)
    cues = tuple((stem(c, lang), "#" + k) for k, cs in sorted(classes.items()) for c in cs
                 if " " not in c)
    lm = d["landmarks"]
    sides = {sig: side for side, signals in lm["sides"].items() for sig in signals}
    landmark_of = {w: group[0] for group in lm["events"] for w in group}
    # longest first, so "prior to" wins over a shorter signal
    landmarks = re.compile(rf"\b({alternation(sides)})\s+((?:[\w’'-]+\s+){{0,{lm['gap']}}}?)"
                           rf"({alternation(landmark_of)})\b")
    ev = lang_pack.load(lang).events
    # a title that opens with a pronoun ("It said ..."; not "I", a quotation's)
    pronoun = [p for p, m in ev["pronouns"].items() if m in ("PERSON", "THING", "SPEAKERS")]
    return _Data(
        stop=frozenset(d["words"]["stop"]), synonyms=syn, phrases=phrases, cues=cues,
        landmarks=landmarks, sides=sides, landmark_of=landmark_of,
        class_weight=d["classes"]["weight"], kinds=frozenset(k for _, k in phrases + cues),
        class_clash=t["class_clash"], place_clash=t["place_clash"], day_weight=t["day_weight"],
        text_weight=t["text_weight"], actor_weight=t["actor_weight"], join=t["join"],
        group=t["group"], slack=t["slack_days"], slack_join=t["slack_join"],
        statement_days=t["statement_days"], recall_days=t["recall_days"],
        recall_join=t["recall_join"], fuzzy_stretch=t["fuzzy_stretch"],
        news_days=pd.Timedelta(days=t["news_days"]), min_idf=t["min_idf"],
        same_article=t["same_article"], idf_floor=t["idf_floor"],
        clock_slack=t["clock_slack_minutes"] / 1440, night_suffix=t["night_timex"],
        night_until=t["night_until_hours"] / 24, parts_of_day=frozenset(t["part_of_day_timex"]),
        pronoun=re.compile(rf"(?:{alternation(pronoun)})\s", re.IGNORECASE),
    )


@cache
def _aliases(lang: str) -> dict[str, str]:
    """One-word names of countries and organisations -> the canonical name
    ("tehran" -> "iran"), so that "Tehran" and "Iran" are one word."""
    return {a.lower(): canon.lower() for a, (canon, _) in gazetteer(lang).alias.items()
            if " " not in a and " " not in canon}


@lru_cache(maxsize=200_000)
def _word(w: str, lang: str) -> tuple[str, ...]:
    """The tokens of one word: its canonical name, or its stem and kinds."""
    d = _data(lang)
    lw = w.lower()
    if lw in d.stop or len(lw) < 3:
        return ()
    aliases = _aliases(lang)
    if lw in aliases:
        return (aliases[lw],)
    s = stem(lw, lang)
    kinds = [kind for cue, kind in d.cues
             if s == cue or (len(cue) > 4 and (lw.startswith(cue) or s.startswith(cue)))]
    s = d.synonyms.get(s, s)
    return (key(s) if w[:1].isupper() else s, *kinds)  # Zelenskiy / Zelenskyy


@lru_cache(maxsize=100_000)
def tokens(text: str, expression: str = "", lang: str = "en") -> frozenset[str]:
    """The content words of a clause, stemmed, without its date phrase."""
    d = _data(lang)
    if expression:
        text = text.replace(expression, " ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    low = text.lower()
    out, inside = set(), set()  # the kinds, where the words of a phrase's match are
    for rx, kind in d.phrases:
        for hit in rx.finditer(low):
            out.add(kind)
            inside.update(range(hit.start(), hit.end()))
    landmark = set()  # where the landmark words are
    for lm in d.landmarks.finditer(low):  # "sent before the war": "#before_war"
        side = d.sides[re.sub(r"\s+", " ", lm.group(1))]
        out.add(f"#{side}_{d.landmark_of[lm.group(3)]}")
        landmark.add(lm.start(3))
    for w in re.finditer(r"[A-Za-z][A-Za-z0-9-]+", text):
        got = _word(w.group(), lang)
        # "searched after the collapse": the landmark places the act, it is not one;
        # in "search and recovery operations" the phrase names the act, not its words
        out.update(got[:1] if w.start() in landmark or w.start() in inside else got)
    return frozenset(out)


# ------------------------------------------------------------ similarity --

@dataclass
class _Mention:
    i: int
    words: set[str]
    context: set[str]  # the rest of the sentence
    headline: set[str]  # the article's title, for its news of the day
    actors: set[str]
    speaker: str  # actor key of who said or reported it ("" if nobody)
    start: float  # days since the epoch (nan: unanchored)
    end: float
    w0: float  # the window its happening may lie in (see _window)
    w1: float
    soft: bool
    statement: bool
    fuzzy: bool
    published: float
    role: str
    timex: str
    sentence: tuple[str, int]  # (doc, sentence) identity
    granularity: str = ""
    kind: str = ""  # happened / ongoing / expected
    day: frozenset[str] = frozenset()  # {"@<day>"} of a mention dated to a day or finer
    places: frozenset = frozenset()  # where its clause puts it (places.places)


def _str(v) -> str:
    return v if isinstance(v, str) else ""


def _news_of_the_day(r, d: _Data) -> bool:
    """Is the row dated at its article's news time (a few days around publication)?"""
    if pd.isna(r.start) or pd.isna(r.published):
        return False
    return (r.published - d.news_days <= r.start and r.end <= r.published + 2 * _DAY
            and r.end - r.start <= 2 * _DAY)


def _mentions(df: pd.DataFrame, lang: str) -> list[_Mention]:
    d = _data(lang)
    out = []
    for i, r in enumerate(df.itertuples(index=False)):
        expression = r.expression if isinstance(r.expression, str) else ""
        words = set(tokens(f"{r.text}", expression, lang))
        context = set(tokens(f"{r.sentence}", expression, lang)) - words
        headline = set()
        if _news_of_the_day(r, d) and isinstance(r.doc_title, str):
            # the headline names the news of the day: dated then, likely that story
            headline = tokens(r.doc_title, "", lang) - words - context
        names = [a for a in r.actors.split(LIST_SEP) if a] if isinstance(r.actors, str) else []
        actors = {actor_key(a, lang) for a in names}
        # people count through the actors: as words their rare names would
        # outweigh what the clause says happened
        people = {key(w) for a in names if actor_key(a, lang).startswith("p:")
                  for w in a.split()}
        words -= people
        context -= people
        # vague windows and "now" corroborate but never set a precise date
        fuzzy = _str(r.granularity) == "fuzzy" or _str(r.timex) == "PRESENT_REF"
        speaker = actor_key(r.attribution, lang) if isinstance(r.attribution, str) else ""
        m = _Mention(i, words, context, headline, actors, speaker, _days(r.start),
                     _days(r.end), 0.0, 0.0, r.role in _SOFT_ROLES or fuzzy,
                     r.role == "statement", fuzzy, _days(r.published), r.role, _calendar_value(r),
                     _sentence_id(r), _str(r.granularity), _str(r.kind))
        m.w0, m.w1 = _window(m, d)
        m.places = places_.places(_str(r.text), lang)
        if not m.soft and m.granularity in ("day", "time") and not math.isnan(m.start):
            m.day = frozenset({f"@{math.floor(m.start)}"})
        out.append(m)
    return out


def _calendar_value(r) -> str:
    """The row's TIMEX3 value, or for a duration that names a date ("will open
    in two weeks": P2W) the value of that date: what it says on the calendar."""
    timex = _str(r.timex)
    if _str(r.timex_type) == "DURATION" and not pd.isna(r.start) \
            and _str(r.granularity) not in ("", "fuzzy"):
        return cal.timex(pd.Timestamp(r.start).to_pydatetime(), r.granularity)
    return timex


def _sentence_id(r) -> tuple[str, int]:
    """(doc, where its sentence starts): a sentence printed twice in one article
    is two sentences, whose clauses may be one happening."""
    at = r.sentence.find(r.text) if isinstance(r.sentence, str) and isinstance(r.text, str) else -1
    if at < 0 or pd.isna(r.char_start):
        return r.doc_id, hash(r.sentence)
    return r.doc_id, int(r.char_start) - at


def _days(t) -> float:
    """A timestamp as days since the epoch, nan for NaT (cheap to compare)."""
    return math.nan if pd.isna(t) else pd.Timestamp(t).value / 86_400e9


@dataclass
class Rarity:
    """The counts word rarity is computed from: articles, clauses, the articles
    each word appears in, the clauses naming each act kind. Counts of disjoint
    sets of articles add up, so the parts of a big build count their own and the
    merge of every window uses the whole input's rarity, as one merge would."""

    docs: int = 0
    clauses: int = 0
    doc_freq: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)

    def __add__(self, other: Rarity) -> Rarity:
        return Rarity(self.docs + other.docs, self.clauses + other.clauses,
                      self.doc_freq + other.doc_freq, self.kinds + other.kinds)


def rarity(df: pd.DataFrame, lang: str = "en") -> Rarity:
    """The :class:`Rarity` of a mention table holding whole articles."""
    if df.empty:
        return Rarity()
    df = df.astype({c: object for c, t in df.dtypes.items() if isinstance(t, pd.StringDtype)})
    return _rarity(_mentions(df.reset_index(drop=True), lang), list(df["doc_id"]))


def _rarity(ms: list[_Mention], docs: list[str]) -> Rarity:
    seen = defaultdict(set)
    for m, doc in zip(ms, docs):
        for w in m.words | m.context | m.headline | m.day:
            seen[w].add(doc)
    return Rarity(len(set(docs)), len(ms), Counter({w: len(ds) for w, ds in seen.items()}),
                  Counter(w for m in ms for w in m.words if w[0] == "#"))


def _idf(ms: list[_Mention], docs: list[str], counts: Rarity | None = None
         ) -> dict[str, float]:
    """Rarity of each word of ``ms``, counted over ``counts`` (default: ``ms``)."""
    r = counts if counts is not None else _rarity(ms, docs)
    words = r.doc_freq.keys() if counts is None else \
        {w for m in ms for w in m.words | m.context | m.headline | m.day}
    n = r.docs
    d = _data()
    # a floor: a word every article shares still says something (two reports of
    # one happening may share all their words)
    out = {w: max(math.log((n + 1) / (r.doc_freq[w] + 0.5)), 0.0) + d.idf_floor
           for w in words}
    # a kind of act by its rarity among clauses, not articles: every report of a
    # disaster names the search, few of its clauses report one (capped: as rare
    # as a word of one article at most)
    cap = math.log((n + 1) / 1.5)
    for w in out:
        if w[0] == "#":
            k = r.kinds[w]
            # named only around clauses, never by one: its rarity among articles
            rarity_ = math.log((r.clauses + 1) / (k + 0.5)) if k else out[w] - d.idf_floor
            out[w] = (min(max(rarity_, 0.0), cap) + d.idf_floor) * d.class_weight
        elif w[0] == "@":
            out[w] *= d.day_weight
    return out


def _vector(words: set[str], idf: dict[str, float], context: set[str] = frozenset(),
            weight: float = 0.5) -> dict[str, float]:
    """Unit tf-idf vector of a clause; the rest of its sentence counts ``weight``."""
    v = {w: idf.get(w, 0.0) * weight for w in context}
    v.update({w: idf.get(w, 0.0) for w in words})
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {w: x / norm for w, x in v.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _score(cos: float, a: set, b: set, d: _Data) -> float:
    """Text similarity mixed with actor overlap; a clause that names no actor
    ("it would enter into force") is judged on its words alone."""
    if not a or not b:
        return cos
    return d.text_weight * cos + d.actor_weight * _jaccard(a, b)


# ----------------------------------------------------------------- dates --

def _window(m: _Mention, d: _Data) -> tuple[float, float]:
    """The span (days) a mention's happening may lie in, for consistency checks."""
    if m.statement:  # reported by then, and not too long before
        return m.published - d.statement_days, m.published + 1
    if m.fuzzy:  # stretched on its open side: "recently" may be a bit earlier,
        pad = (m.end - m.start) * d.fuzzy_stretch  # an expected thing a bit later
        vague = m.timex[:2] == "PX"  # "in recent weeks" PXW: its side is where it lies
        ahead = m.timex == "FUTURE_REF" or (vague and m.start >= m.published)
        behind = m.timex == "PAST_REF" or (vague and m.end <= m.published + 1)
        return m.start - (0 if ahead else pad), m.end + (0 if behind else pad)
    return _precise_window(m.start, m.end, m.granularity, m.timex, d)


def _precise_window(start: float, end: float, granularity: str, timex: str, d: _Data
                    ) -> tuple[float, float]:
    """A dated interval as compared with others, at the granularity its phrase
    really has: a clock time is approximate ("around 1:28 a.m." and "around
    1:30 a.m." report one crash), a night runs past midnight into the morning
    ("Tuesday night" meets "early Wednesday"). A day or coarser is as given: it
    already contains every clock time of that day."""
    if timex[-3:] in d.parts_of_day and not math.isnan(start):
        # "early Tuesday", "Tuesday morning": where one report's morning ends
        # and another's night begins is a matter of words; compare the day,
        # and a night runs on into the next morning
        start, end = math.floor(start), math.ceil(end)
        return start, end + (d.night_until if timex.endswith(d.night_suffix) else 0)
    if granularity == "time" and end - start < 2 * d.clock_slack:
        return start - d.clock_slack, end + d.clock_slack
    return start, end


# ------------------------------------------------------------- clustering --

class _Group:
    """A growing group: its members and what the join test needs, kept up to date so
    a join costs O(group sizes · log), not O(product of the sizes)."""

    __slots__ = ("members", "w0s", "w1s", "sentences", "roles", "tenses", "forecasts",
                 "centroids", "norms", "soft", "actors", "places")

    def __init__(self, m: _Mention, vectors: tuple[dict, ...]):
        self.members = [m.i]
        self.w0s, self.w1s = [m.w0], [m.w1]  # sorted
        self.sentences, self.roles = {m.sentence}, {m.role}
        self.tenses = {(m.sentence[0], m.kind)}  # (article, kind) of each member
        # article -> the dates it expects members at ("will open by the end of May")
        self.forecasts = defaultdict(set)
        if m.kind == "expected" and not m.fuzzy and not m.statement and m.timex[:1].isdigit():
            self.forecasts[m.sentence[0]].add(m.timex)
        # sums of the members' unit vectors (with their sentence, clause alone);
        # the soft ones (vague windows, statements) corroborate but do not say
        # what the happening is, once the group has a precisely dated member
        self.centroids = tuple(dict(v) for v in vectors)
        self.norms = tuple(_norm(c) for c in self.centroids)
        self.soft = m.soft
        self.actors = set(m.actors)
        self.places = m.places

    def far_pairs(self, other: _Group, ms) -> int:
        """How many (x in self, y in other) pairs have windows that do not meet."""
        n = 0
        for x in self.members:
            a = ms[x]
            n += bisect.bisect_right(other.w1s, a.w0) + len(other.w0s) - bisect.bisect_left(
                other.w0s, a.w1)
        return n

    def similarity(self, other: _Group, d: _Data) -> float:
        """How close the two groups' centroids are: the closer of sentence and
        clause alone, mixed with the overlap of the actors they name."""
        cos = max((cosine(a, b) / (na * nb) if na and nb else 0.0) for a, b, na, nb in zip(
            self.centroids, other.centroids, self.norms, other.norms))
        return _score(cos, self.actors, other.actors, d) \
            - (d.place_clash if places_.clash(self.places, other.places) else 0.0)

    def absorb(self, other: _Group):
        self.members += other.members
        if self.soft and not other.soft:  # the first precise member: its words alone
            self.centroids, self.norms = tuple(dict(c) for c in other.centroids), other.norms
        elif self.soft or not other.soft:
            for mine, theirs in zip(self.centroids, other.centroids):
                for w, x in theirs.items():
                    mine[w] = mine.get(w, 0.0) + x
            self.norms = tuple(_norm(c) for c in self.centroids)
        self.soft = self.soft and other.soft
        self.actors |= other.actors
        self.places = self.places | other.places
        for doc, values in other.forecasts.items():
            self.forecasts[doc] |= values
        self.w0s = sorted(self.w0s + other.w0s)
        self.w1s = sorted(self.w1s + other.w1s)
        self.sentences |= other.sentences
        self.roles |= other.roles
        self.tenses |= other.tenses

    def forecast_clash(self, other: _Group) -> bool:
        """Does one article expect members of the two at different dates? Two
        plans it tells apart ("the temporary channel opens this week, the main
        one by the end of May"). Nested values ("2024-05", "2024-05-31") agree."""
        for doc, mine in self.forecasts.items():
            for v in other.forecasts.get(doc, ()):
                if any(not (v.startswith(u) or u.startswith(v)) for u in mine):
                    return True
        return False

    def tense_clash(self, other: _Group) -> bool:
        """Does one article report a member of one as done and of the other as
        expected? It tells two acts apart: what happened and what is to come."""
        small, big = sorted((self.tenses, other.tenses), key=len)  # (symmetric)
        return any((doc, _OTHER_TENSE[k]) in big for doc, k in small if k in _OTHER_TENSE)


def _norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(x * x for x in v.values()))


def _groups(ms: list[_Mention], pairs: _Pairs, d: _Data,
            vectors: tuple[list[dict], list[dict]]) -> list[list[int]]:
    """Join groups from the most similar pair down; two groups join only if all
    their cross pairs have consistent dates and their centroids are close
    enough (centroid link: what the members say in common, so one loose pair
    cannot chain two happenings, and a big group's many partial reports of one
    happening do not dilute one another as a mean of pairs would).

    A cross pair is consistent when it is a similar pair (``pairs`` holds only
    consistent ones) or, if not, when the two are in different sentences, are not a
    report and its content, and their windows meet. ``far`` keeps, per pair of
    groups, how many of their similar pairs have windows that do not meet (dates
    a day apart, very close clauses), so the test needs no loop over every cross
    pair.

    The test reads the two groups alone, so a pair between two groups that
    failed it and have not changed since fails again: it is not run again
    (``failed``); and pairs already inside one group are dropped in numpy, a
    chunk at a time: near-duplicates make millions of pairs, few of them joins."""
    parent = list(range(len(ms)))  # (ms[k].i == k)
    roots = np.arange(len(ms))  # parent, as numpy: find for a whole chunk at once
    groups = {m.i: _Group(m, (vectors[0][m.i], vectors[1][m.i])) for m in ms}
    changed = [0] * len(ms)  # how many joins a group has taken
    failed: dict[tuple[int, int], tuple[int, int]] = {}  # (a, b) -> their changes then
    far: dict[int, Counter] = defaultdict(Counter)  # group -> group -> similar pairs apart
    w0 = np.array([m.w0 for m in ms])
    w1 = np.array([m.w1 for m in ms])
    I, J, S = pairs
    for c in range(0, len(I), _GROUP_CHUNK * 64):  # (by chunk: a few temporaries at a time)
        i, j = I[c:c + _GROUP_CHUNK * 64], J[c:c + _GROUP_CHUNK * 64]
        apart_ = ~((w0[i] < w1[j]) & (w0[j] < w1[i]))
        for x, y in zip(i[apart_].tolist(), j[apart_].tolist()):
            far[x][y] += 1
            far[y][x] += 1

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    strong = np.flatnonzero(S >= d.join)
    strong = strong[np.lexsort((J[strong], I[strong], -S[strong]))]  # most similar first
    for c in range(0, len(strong), _GROUP_CHUNK):
        k = strong[c:c + _GROUP_CHUNK]
        while True:  # every mention's root, for the chunk's pre-filter
            up = roots[roots]
            if np.array_equal(up, roots):
                break
            roots = up
        k = k[roots[I[k]] != roots[J[k]]]
        for i, j in zip(I[k].tolist(), J[k].tolist()):
            a, b = find(i), find(j)
            if a == b:
                continue
            if failed.get((a, b)) == (changed[a], changed[b]):
                continue  # the same two groups as when they last failed
            ga, gb = groups[a], groups[b]
            if not _may_join(ga, gb, far.get(a, {}).get(b, 0), ms, d):
                failed[(a, b)] = (changed[a], changed[b])
                continue
            if a > b:
                a, b, ga, gb = b, a, gb, ga
            parent[b] = a
            roots[b] = a
            changed[a] += 1
            ga.absorb(groups.pop(b))
            for c2, n in far.pop(b, {}).items():
                del far[c2][b]
                if c2 != a:
                    far[a][c2] += n
                    far[c2][a] += n
    return sorted((sorted(g.members) for g in groups.values()), key=lambda g: g[0])


_GROUP_CHUNK = 4096


def _may_join(ga: _Group, gb: _Group, apart: int, ms, d: _Data) -> bool:
    """The join test of two groups (``apart``: their similar pairs whose windows
    do not meet)."""
    if not ga.sentences.isdisjoint(gb.sentences):  # one sentence, two events
        return False
    if ga.tense_clash(gb):  # one article: what happened, what is to come
        return False
    if ga.forecast_clash(gb):  # one article: two plans, two dates
        return False
    if ("report" in ga.roles and "reported" in gb.roles) or (
            "reported" in ga.roles and "report" in gb.roles):
        return False  # the saying is not what was said
    if ga.similarity(gb, d) < d.group:
        return False
    return ga.far_pairs(gb, ms) == apart  # else a dissimilar pair whose dates do not meet


def similarities(df: pd.DataFrame, lang: str = "en") -> dict[tuple[int, int], float]:
    """Similarity of every pair of rows (by position) whose dates are consistent
    and that share a word rare enough to count."""
    return _similarities(_mentions(df, lang), list(df["doc_id"]), _data(lang))


def _vectors(ms: list[_Mention], docs: list[str], counts: Rarity | None = None
             ) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """Word rarity, and each mention's vector against other articles (with its
    headline and its day), within its own (without: one article's headline is
    the same for all, and so is the day of its news) and of its clause alone.

    The day is a word: two reports of a day few articles mention likely report
    one happening, while the day every article of a story dates (the collapse's)
    says as little as a word every article uses. Candidates still need a shared
    word (:func:`_candidates`): a day alone is no evidence of what happened."""
    idf = _idf(ms, docs, counts)
    return (idf, [_vector(m.words | m.day, idf, m.context | m.headline) for m in ms],
            [_vector(m.words, idf, m.context) for m in ms],
            [_vector(m.words, idf) for m in ms])


def _similarities(ms: list[_Mention], docs: list[str], d: _Data, vectors=None
                  ) -> dict[tuple[int, int], float]:
    """{(i, j): score} of :func:`_pairs` (for tests and the public ``similarities``)."""
    I, J, S = _pairs(ms, docs, d, vectors)
    return dict(zip(zip(I.tolist(), J.tolist()), S.tolist()))


_Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # i < j (int32), their score; by (i, j)


def _pairs(ms: list[_Mention], docs: list[str], d: _Data, vectors=None) -> _Pairs:
    """All of :class:`_PairStream`'s pairs as three arrays, by (i, j)."""
    chunks = list(_PairStream(ms, docs, d, vectors))
    if not chunks:
        return (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    return tuple(np.concatenate(c) for c in zip(*chunks))


class _PairStream:
    """The pairs (i < j) of anchored mentions that share a word rare enough to
    count (few articles: any word), whose windows nearly meet (the later starts
    less than ``slack`` days after the earlier ends) and whose dates are
    consistent (:func:`_consistent_pairs`), with their scores: chunks of arrays
    (i, j as int32, score) in (i, j) order, each time it is iterated. A window
    of near-duplicates has tens of millions: the merge keeps only those the
    grouping reads and goes through them again for the centrality.

    Sparse matrices (scipy) do the pairwise work, once per profile of equal
    vectors and actors (:mod:`timeline.pairs`); a profile pair's dot products
    are taken once, when some of its mentions are first near, and kept."""

    def __init__(self, ms: list[_Mention], docs: list[str], d: _Data, vectors=None):
        idf, vecs, own, alone = vectors or _vectors(ms, docs)
        self.d, self.n = d, len(ms)
        self.P = np.zeros(0, dtype=np.int32)
        if self.n < 2:
            return
        self.w0 = np.array([m.w0 for m in ms])
        self.w1 = np.array([m.w1 for m in ms])
        actors = [m.actors for m in ms]
        self.pid, reps = pairs_.profiles(vecs, own, alone, actors, ~np.isnan(self.w0))
        few = len(set(docs)) < 20
        floor = d.min_idf + d.idf_floor
        # (a shared day alone makes no candidate: see _vectors)
        rare = [{w: 1.0 for w in vecs[i] if w[0] != "@" and (few or idf.get(w, 0) >= floor)}
                for i in reps.tolist()]
        self.P, self.Q = pairs_.profile_candidates(rare)
        self.P, self.Q = pairs_.may_be_near(self.P, self.Q, self.pid, self.w0, self.w1, d.slack)
        if not len(self.P):
            return
        self.reps = reps
        vocab: dict[str, int] = {}  # (the mention matrices' columns: the same sums)
        self.mats = tuple(pairs_.matrix(rows, vocab, self.n) for rows in (
            vecs, own, alone, [dict.fromkeys(a, 1.0) for a in actors]))
        self.na = np.asarray(self.mats[3].sum(axis=1)).ravel()
        self.doc_code = pairs_.codes(docs)
        self.facts = _Facts(ms)
        self.kinds = _kind_bits(ms, d)
        self.places = _Places(ms)
        self.dot = np.full((4, len(self.P)), np.nan)  # X, O, W, A per profile pair
        self.rows = pairs_.Rows(self.P, self.Q, self.pid)

    def _dots(self, k: np.ndarray) -> np.ndarray:
        """The four dot products of profile pairs ``k`` (taken once each)."""
        new = np.unique(k[np.isnan(self.dot[0, k])])
        if len(new):
            p, q = self.reps[self.P[new]], self.reps[self.Q[new]]
            for m, M in enumerate(self.mats):
                self.dot[m, new] = pairs_.dots(M, p, q)
        return self.dot[:, k]

    def __iter__(self):
        return self.chunks(ordered=True)

    def chunks(self, ordered: bool = False, gid: np.ndarray | None = None):
        """The chunks, each by (i, j) if ``ordered`` (the chunks always are), only
        the pairs inside one group of ``gid`` if given."""
        if not len(self.P):
            return
        d, w0, w1, na = self.d, self.w0, self.w1, self.na
        for I, J, k in self.rows:
            keep = pairs_.near(I, J, w0, w1, d.slack)
            if gid is not None:
                keep &= gid[I] == gid[J]
            I, J, k = I[keep], J[keep], k[keep]
            if not len(I):
                continue
            dX, dO, dW, inter = self._dots(k)  # inter: actors both name
            same = self.doc_code[I] == self.doc_code[J]
            # within one article the headline is the same for all: no evidence there;
            # the closer of sentence and clause alone: a report may wrap the same
            # clause in a sentence of other news, or say it in other words around it
            cos = np.maximum(np.where(same, dO, dX), dW)
            both = (na[I] > 0) & (na[J] > 0)
            jac = np.divide(inter, na[I] + na[J] - inter, out=np.zeros(len(I)), where=both)
            # text mixed with actor overlap; a clause that names no actor is judged on
            # its words alone; one article tells one story: its clauses share words
            # without being one happening, so they need to be closer to join
            score = np.where(both, d.text_weight * cos + d.actor_weight * jac, cos) \
                - np.where(same, d.same_article, 0.0) \
                - d.class_clash * _class_clash(self.kinds, I, J)
            score = _placed_apart(self.places, I, J, score, d)
            # rounded: sums of the same terms in another order must not break ties
            # between equal clauses differently from run to run
            score = np.round(score, 12)
            ok = np.flatnonzero(_consistent_pairs(self.facts, I, J, score, w0, w1, d))
            if ordered:
                ok = ok[_by_pair(I[ok], J[ok], self.n)]
            if len(ok):
                yield I[ok].astype(np.int32), J[ok].astype(np.int32), score[ok]


class _Places:
    """Where each mention's clause is, as one integer per distinct set of places
    (0: none named), so pairs are tested per pair of sets, not of mentions."""

    def __init__(self, ms):
        ids: dict[frozenset, int] = {frozenset(): 0}
        self.code = np.array([ids.setdefault(m.places, len(ids)) for m in ms], dtype=np.int64)
        self.sets = {c: s for s, c in ids.items()}


def _placed_apart(places: _Places, I, J, score, d) -> np.ndarray:
    """Two clauses placed apart ("in Kherson", "in Odesa") lose ``place_clash``:
    tested only where it can matter, the pairs near the joining score."""
    if not d.place_clash:
        return score
    code = places.code
    near = np.flatnonzero((score >= d.join) & (code[I] > 0) & (code[J] > 0))
    if not len(near):
        return score
    pairs, inverse = np.unique(np.stack([code[I[near]], code[J[near]]]), axis=1,
                               return_inverse=True)
    apart = np.array([places_.clash(places.sets[x], places.sets[y]) for x, y in pairs.T.tolist()])
    score = score.copy()
    score[near[apart[inverse.ravel()]]] -= d.place_clash
    return score


def _kind_bits(ms, d) -> np.ndarray:
    """The kinds of act each clause names, as bits of one integer (past 64
    kinds two share a bit: a clash missed, never one made up)."""
    bit = {k: np.uint64(1) << np.uint64(n % 64) for n, k in enumerate(sorted(d.kinds))}
    mask = np.zeros(len(ms), dtype=np.uint64)
    for m in ms:
        for k in m.words & d.kinds:
            mask[m.i] |= bit[k]
    return mask


def _class_clash(kinds: np.ndarray, I, J) -> np.ndarray:
    """Pairs whose clauses both name a kind of act and no kind in common: "the
    ship struck the bridge" and "divers searched the river" are two happenings
    however many words their sentences share."""
    a, b = kinds[I], kinds[J]
    return (a != 0) & (b != 0) & ((a & b) == 0)



class _Facts:
    """What the date checks read of each mention, as arrays."""

    def __init__(self, ms: list[_Mention]):
        self.sentence = pairs_.codes([m.sentence for m in ms])
        self.report = np.array([m.role == "report" for m in ms], dtype=bool)
        self.reported = np.array([m.role == "reported" for m in ms], dtype=bool)
        self.soft = np.array([m.soft for m in ms], dtype=bool)


def _consistent_pairs(f: _Facts, I, J, score, w0, w1, d) -> np.ndarray:
    """Which pairs may be one happening: not one sentence (a report and its
    content), not a report and what it reports, and windows that meet, or
    precise dates a day apart with very close clauses."""
    sentence, report, reported, soft = f.sentence, f.report, f.reported, f.soft
    # the saying is not what was said
    report_pair = (report[I] & reported[J]) | (reported[I] & report[J])
    meet = (w0[I] < w1[J]) & (w0[J] < w1[I])
    close = ~(soft[I] | soft[J]) & (score >= d.slack_join) & (
        (np.abs(w0[I] - w0[J]) <= d.slack) | (np.abs(w1[I] - w1[J]) <= d.slack))
    return (sentence[I] != sentence[J]) & ~report_pair & (meet | close)


def _recollections(ms: list[_Mention], docs: list[str], groups: list[list[int]],
                   vecs: list[dict], d: _Data) -> dict[int, int]:
    """Lone undated statements that repeat an older one: {statement: group}.

    "Iran said it only supplied some drones before the war", a month after Iran
    said so: the same speaker, and what was said is very close to what that
    speaker was reported saying or doing on a dated day up to ``recall_days``
    before.  Only the speaker's own words are searched, and the bar is higher
    than for a join, since a recollection has no date to check."""
    gid = {i: n for n, g in enumerate(groups) for i in g}
    said = defaultdict(list)  # speaker -> its dated mentions, by start
    for m in ms:  # (not other lone statements: a recollection joins an event)
        if m.speaker and not math.isnan(m.start) and not (
                m.statement and len(groups[gid[m.i]]) == 1):
            said[m.speaker].append(m)
    for rows in said.values():
        rows.sort(key=lambda m: (m.start, m.i))
    out = {}
    for g in groups:
        x = ms[g[0]]
        if len(g) > 1 or not x.statement or not x.speaker:
            continue
        rows = said[x.speaker]
        lo = bisect.bisect_left(rows, x.published - d.recall_days, key=lambda m: m.start)
        best, where = d.recall_join, None
        for y in rows[lo:]:
            if y.start > x.published:
                break
            if docs[y.i] == docs[x.i] or gid[y.i] == gid[x.i]:
                continue
            s = round(_score(cosine(vecs[x.i], vecs[y.i]), x.actors, y.actors, d), 12)
            if s >= best:
                best, where = s, gid[y.i]
        if where is not None:
            out[x.i] = where
    return out


# ------------------------------------------------------------------ rows --

def _overlaps(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


class _Table:
    """The mention table's columns read once, for the work on each group: a
    group indexes them by position (pandas indexing, a frame per group, cost
    more than all the rest of the merge). Values are those the frame gives:
    ``cell`` as ``df.at`` does, ``column`` as iterating it does."""

    def __init__(self, df: pd.DataFrame):
        self.columns = list(df.columns)
        self.arrays = {c: df[c].array for c in self.columns}
        self.lists: dict[str, list] = {}
        self.start_ns = df["start"].to_numpy(dtype="datetime64[ns]")
        self.end_ns = df["end"].to_numpy(dtype="datetime64[ns]")
        self.has_start = df["start"].notna().to_numpy()

    def column(self, c: str) -> list:
        if c not in self.lists:
            self.lists[c] = list(self.arrays[c])
        return self.lists[c]

    def cell(self, i: int, c: str):
        return self.arrays[c][i]

    def row(self, i: int) -> dict:
        return {c: self.arrays[c][i] for c in self.columns}


def _date_member(t: _Table, members: list[int]) -> tuple[int, bool]:
    """(position of the member whose interval the group keeps, conflict?)."""
    role, gran, timex = t.column("role"), t.column("granularity"), t.column("timex")
    start, end, published = t.column("start"), t.column("end"), t.column("published")
    hard = [i for i in members if role[i] not in _SOFT_ROLES and _str(gran[i]) != "fuzzy"
            and _str(timex[i]) != "PRESENT_REF" and t.has_start[i]]
    pool = hard or [i for i in members if role[i] != "statement"] or members
    # support: how many of the pool are consistent with each member at its own
    # precision (overlap it and are no finer): a week overlaps every day of it,
    # but only a day's reports back that day
    s, e = t.start_ns[pool], t.end_ns[pool]
    ok = ~(np.isnat(s) | np.isnat(e))
    span = np.where(ok, e - s, np.timedelta64(0, "ns"))
    support = np.zeros(len(s), dtype=int)
    for k in np.flatnonzero(ok):  # one pass over the group per member, in numpy
        support[k] = int((ok & (span >= span[k]) & (s < e[k]) & (e > s[k])).sum())
    best, best_key = None, None
    for i, sup in zip(pool, support.tolist()):
        key = (-sup, end[i] - start[i], published[i], i)  # i: input order
        if best_key is None or key < best_key:
            best, best_key = i, key
    conflict = any(not _overlaps(start[best], end[best], start[o], end[o]) for o in hard)
    return best, conflict


def _display_member(t: _Table, members: list[int], date_pos: int, central: dict[int, float],
                    d: _Data) -> int:
    """The member whose text and title represent the group: a dated clause of
    its own rather than a statement, dated as the group is, a title that does
    not open with a pronoun, then the most central (highest mean similarity to
    the others), then the earliest report."""
    role, gran, timex = t.column("role"), t.column("granularity"), t.column("timex")
    title, published = t.column("title"), t.column("published")
    start, end = t.column("start"), t.column("end")
    lo, hi = start[date_pos].floor("D"), end[date_pos].ceil("D")
    n = len(members)

    def centrality(i):  # mean similarity to the other members (``central``: the sum)
        return central.get(i, 0.0) / (n - 1) if n > 1 else 0.0

    def key(i):
        weak = role[i] in _SOFT_ROLES or _str(gran[i]) == "fuzzy" \
            or _str(timex[i]) == "PRESENT_REF"
        pronoun = bool(d.pronoun.match(str(title[i])))
        # its own date is the row's (to the day): the text shown says what the date says
        inside = lo <= start[i] and end[i] <= hi
        return (weak, pronoun, not inside, -round(centrality(i), 6), published[i], i)
    return min(members, key=key)


def _joined(values) -> str | None:
    seen = []
    for v in values:
        if isinstance(v, str) and v and v not in seen:
            seen.append(v)
    return LIST_SEP.join(seen) if seen else None


def _actors(values, lang: str) -> str | None:
    count, form, first = Counter(), defaultdict(Counter), {}
    for n, v in enumerate(values):
        for a in (v.split(LIST_SEP) if isinstance(v, str) and v else []):
            k = actor_key(a, lang)
            count[k] += 1
            form[k][a] += 1
            first.setdefault(k, n)
    keys = sorted(count, key=lambda k: (-count[k], first[k], k))
    names = [max(form[k].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0] for k in keys]
    return LIST_SEP.join(names) if names else None


def _kind(t: _Table, members: list[int], row: dict) -> str:
    """A happening some member reports as done (by the latest report) happened;
    else ongoing, else expected.  Undated statements are "happened" by fiat and
    do not vote when a dated member does."""
    role, kind = t.column("role"), t.column("kind")
    dated = [i for i in members if role[i] != "statement"]
    kinds = {kind[i] for i in (dated or members)}
    if "happened" in kinds and row["start"] < _latest(t, members) + _DAY:
        return "happened"
    for k in ("ongoing", "expected", "happened"):
        if k in kinds:
            return k
    return row["kind"]


def _published(t: _Table, members: list[int]) -> list:
    """The members' publication dates (those they have)."""
    return [p for p in (t.column("published")[i] for i in members) if not pd.isna(p)]


def _latest(t: _Table, members: list[int]):
    """The members' latest publication (NaT if none has one), as Series.max gives it."""
    return max(_published(t, members), default=pd.NaT)


def _by_report(t: _Table, members: list[int]) -> list[int]:
    """The members by publication (undated last), then input order."""
    published = t.column("published")
    return sorted(members, key=lambda i: (pd.isna(published[i]),
                                          0 if pd.isna(published[i]) else published[i].value, i))


_DATE_COLUMNS = ("start", "end", "granularity", "timex", "timex_type", "mod", "expression",
                 "anchor", "rule", "deadline", "role")  # role: how the row is dated


def _group_row(t: _Table, members: list[int], central: dict[int, float], d: _Data,
               lang: str) -> dict:
    """The row of a group of mentions (positions, in input order)."""
    date_pos, conflict = _date_member(t, members)
    show = _display_member(t, members, date_pos, central, d)
    row = t.row(show)
    if all(t.cell(show, c) == t.cell(date_pos, c) for c in ("start", "end", "granularity")):
        date_pos = show  # the same date: the phrase shown is the one in the text shown
    for col in _DATE_COLUMNS:
        row[col] = t.cell(date_pos, col)
    ordered = _by_report(t, members)

    def values(col):
        v = t.column(col)
        return [v[i] for i in ordered]
    row["kind"] = _kind(t, members, row)
    row["attribution"] = _joined(values("attribution"))
    row["actors"] = _actors(values("actors"), lang)
    row["sources"] = _joined(values("sources"))
    row["n_sources"] = len(set(values("sources")))
    row["doc_ids"] = _joined(values("doc_id"))
    row["first_reported"] = _earliest(t, members)
    row["date_conflict"] = bool(conflict)
    row["members"] = LIST_SEP.join(values("event_id"))
    row["_order"] = int(min(t.column("_order")[i] for i in members))
    return row


def _earliest(t: _Table, members: list[int]):
    """The members' first publication (NaT if none has one), as Series.min gives it."""
    return min(_published(t, members), default=pd.NaT)


def _centrality(pairs, groups: list[list[int]], n: int) -> dict[int, float]:
    """Each mention's summed similarity to the rest of its group: the pairs'
    scores (a :class:`_PairStream`, or chunks of them in (i, j) order) added in
    pair order, each to both its mentions (as a loop would: the same sums chunk
    by chunk)."""
    gid = np.empty(n, dtype=np.int64)
    for g, members in enumerate(groups):
        gid[members] = g
    total = np.zeros(n)
    chunks = pairs.chunks(ordered=True, gid=gid) if isinstance(pairs, _PairStream) else (
        (I[o], J[o], S[o]) for I, J, S in pairs for o in [_by_pair(I, J, n)])
    for I, J, S in chunks:
        inside = gid[I] == gid[J]
        who = np.stack((I[inside], J[inside]), axis=1).ravel()
        np.add.at(total, who, np.repeat(S[inside], 2))  # one by one, in order
    return dict(enumerate(total.tolist()))


def _by_pair(I, J, n: int) -> np.ndarray:
    """The order of pairs by (i, j) (timsort: a chunk is by i, in runs of j)."""
    return np.argsort(I.astype(np.int64) * n + J, kind="stable")


_KEEP_PAIRS = 3_000_000  # fewer pairs than this: kept for the centrality, not found again


def _grouping_pairs(stream: _PairStream, d: _Data) -> tuple[_Pairs, list | None]:
    """The pairs :func:`_groups` reads (the strong ones and those whose windows
    do not meet: it reads no other), and every chunk (by i, not sorted within)
    if there are few."""
    kept: list | None = []
    sub, total = [], 0
    for I, J, S in stream.chunks():
        total += len(I)
        if kept is not None and total <= _KEEP_PAIRS:
            kept.append((I, J, S))
        else:
            kept = None
        use = (S >= d.join) | ~((stream.w0[I] < stream.w1[J]) & (stream.w0[J] < stream.w1[I]))
        sub.append((I[use], J[use], S[use]))
    if not sub:
        return (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)), kept
    return tuple(np.concatenate(c) for c in zip(*sub)), kept


def merge_events(df: pd.DataFrame, *, statements: bool = False, lang: str = "en",
                 counts: Rarity | None = None) -> pd.DataFrame:
    """One row per happening, with every source that reports it.

    ``statements``: keep undated statements that corroborate nothing as rows
    of their own (at their publication date); by default they only add sources
    to the dated events they match. ``counts``: the :func:`rarity` of the whole
    input when ``df`` is one window of it (default: that of ``df``).
    """
    if df.empty:
        return df
    df = df.reset_index(drop=True).copy()
    # plain Python strings while grouping: per-row access to Arrow-backed
    # columns costs more than the merge itself (the result is cast back)
    df = df.astype({c: object for c, t in df.dtypes.items() if isinstance(t, pd.StringDtype)})
    df["_order"] = range(len(df))
    ms = _mentions(df, lang)
    d, docs = _data(lang), list(df["doc_id"])
    vectors = _vectors(ms, docs, counts)
    stream = _PairStream(ms, docs, d, vectors)
    pairs, kept = _grouping_pairs(stream, d)
    roles = df["role"].to_numpy()
    rows, lone = [], []
    groups = _groups(ms, pairs, d, (vectors[1], vectors[3]))
    del pairs  # (the centrality reads the stream or the chunks kept)
    recalled = _recollections(ms, docs, groups, vectors[1], d)
    for i, n in recalled.items():
        groups[n] = sorted(groups[n] + [i])
    groups = [g for g in groups if not (len(g) == 1 and g[0] in recalled)]
    central = _centrality(stream if kept is None else kept, groups, len(ms))
    table = _Table(df)
    for members in groups:
        if not statements and all(roles[i] == "statement" for i in members):
            continue
        if len(members) == 1:  # a lone mention: its row already says all
            lone.append(members[0])
            continue
        rows.append(_group_row(table, members, central, d, lang))
    if not rows and not lone:
        return empty_table()
    out = pd.concat([df.iloc[lone]] + ([pd.DataFrame(rows, columns=df.columns)] if rows else []))
    out = order_table(out)
    return out.drop(columns="_order").astype(COLUMNS).reset_index(drop=True)


def explain(merged: pd.DataFrame, mentions: pd.DataFrame, event_id: str,
            lang: str = "en") -> tuple[pd.Series, pd.DataFrame]:
    """The merged row that holds ``event_id`` (its own id or a member's) and its
    member mentions, each with its similarity to the row's text, whether its
    date agrees with the row's, and whether it recalls the event later."""
    hit = merged[(merged["event_id"] == event_id)
                 | merged["members"].fillna("").str.split(LIST_SEP).map(lambda m: event_id in m)]
    if hit.empty:
        raise KeyError(f"no event {event_id!r} in this timeline")
    row = hit.iloc[0]
    ids = str(row["members"]).split(LIST_SEP)
    part = mentions[mentions["event_id"].isin(ids)].copy()
    part["_rank"] = part["event_id"].map({e: n for n, e in enumerate(ids)})
    part = part.sort_values("_rank").drop(columns="_rank").reset_index(drop=True)
    d = _data(lang)
    ms = _mentions(pd.concat([pd.DataFrame([row]), part], ignore_index=True), lang)
    idf = _idf(ms, [row["doc_id"]] + list(part["doc_id"]))
    idf = {w: max(x, 0.1) for w, x in idf.items()}  # a few rows: keep shared words visible
    head = _vector(ms[0].words, idf, ms[0].context | ms[0].headline)
    part["similarity"] = [round(_score(cosine(head, _vector(m.words, idf, m.context | m.headline)),
                                       ms[0].actors, m.actors, d), 2) for m in ms[1:]]
    # a statement or a vague window agrees when the row fits its loose window
    r0, r1 = _days(row["start"]), _days(row["end"])
    part["date_agrees"] = [_overlaps(r0, r1, m.w0, m.w1) for m in ms[1:]]
    # an undated statement that repeats, weeks later, what was said (_recollections)
    part["recalls"] = [m.statement and m.published - d.recall_days <= r0 and r1 <= m.w0
                       for m in ms[1:]]
    return row, part

