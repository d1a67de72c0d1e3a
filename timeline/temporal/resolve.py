"""Handlers: turn a matched rule's groups into a TIMEX3 value and an interval.

Each handler takes the candidate and the document context and returns a
``Resolution`` or None (the match is not a date after all).  Reference times
come only from the context (publication date or previous mention), never from
the wall clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from . import calendar as cal
from .lexicon import Lexicon, Rule, load
from .tense import clause_tense, past_perfect, present_perfect_before, sentence_bounds

POINT = ("time", "day")
_ORDER = ("time", "day", "week", "month", "quarter", "half", "season", "year")
_FINER = {g: _ORDER[: i + 1] for i, g in enumerate(_ORDER)}


@dataclass
class Candidate:
    rule: Rule
    start: int  # the whole match
    end: int
    x_start: int  # the TimeML extent
    x_end: int
    groups: dict
    mod: str | None = None
    mod_frac: tuple[float, float] | None = None
    mod_word: str | None = None
    signal: str | None = None
    phrase_start: int = -1
    approx: bool = False  # "or so" after it

    def g(self, name: str) -> str | None:
        return self.groups.get(name)


@dataclass
class Resolution:
    type: str
    value: str
    interval: tuple[datetime, datetime, str] | None = None
    anchor: str = "none"
    tense: str | None = None
    freq: str | None = None
    quant: str | None = None
    mod: str | None = None
    comparison: bool = False  # "a year ago" in results: not a new reference for anaphora
    # a DURATION that also names a date ("in two weeks"): TimeML tags the
    # duration, the event stage dates its clause by the interval
    dates: bool = False

    @property
    def dated(self) -> bool:
        return self.type in ("DATE", "TIME") or self.dates


# Handlers of expressions that name a calendar part without its year ("in
# October", "late May", "June 10", "the summer"): in a narrative they take the
# story's time.  Deictic ones ("today", "two years ago", "last March") keep the
# speech time, the publication, in histories too.
STORY_TIME = frozenset({"month", "month_day", "season", "quarter", "half", "period_part",
                        "part_of_period", "day_range", "holiday", "clock", "season_tense"})


@dataclass
class Context:
    text: str
    dct: datetime | None
    lex: Lexicon
    previous: tuple[datetime, str] | None = None  # last anchored date and its granularity
    absolute: datetime | None = None  # last explicit (absolute) date, for narrative mode
    # granularity -> (start, position, granularity) of the last date of that precision
    last: dict[str, tuple[datetime, int, str]] = field(default_factory=dict)
    forced_tense: str | None = None
    # a history text: its dates lie far from its publication, so the story's own
    # last date, not the publication, is the reference (HeidelTime's narratives)
    narrative: bool = False
    handler: str | None = None  # the handler resolving the current candidate
    story: tuple[datetime, str] | None = None  # the narrative's time: its last explicit date
    # the days of the list of dates just read ("May 2 - 3, 9 - 10") and where it
    # ends: a weekday right after it, "(Sat-Sun)", names its days
    listed: list[datetime] = field(default_factory=list)
    listed_end: int = -1
    _tense: dict = field(default_factory=dict)

    def tense(self, c: Candidate) -> str:
        if self.forced_tense:
            return self.forced_tense
        if c.start not in self._tense:
            self._tense[c.start] = clause_tense(self.text, c.start, c.end, self.lex)
        return self._tense[c.start]

    def reference(self) -> tuple[datetime | None, str]:
        """Reference for deictic expressions: publication, else (narrative mode)
        the last explicit date, so that relative dates do not drift one from another."""
        if self.narrative and self.handler in STORY_TIME:
            story = self.story_time()
            if story is not None:
                return story[0], "previous"
        if self.dct is not None:
            return self.dct, "publication"
        if self.absolute is not None:
            return self.absolute, "previous"
        return None, "none"

    def story_time(self) -> tuple[datetime, datetime] | None:
        """In a narrative, the interval of the last date the story reached."""
        if not self.narrative or self.story is None:
            return None
        start, gran = self.story
        return start, start + timedelta(minutes=1) if gran == "time" else cal.shift(start, gran, 1)


    def anaphor(self, gran: str | None = None) -> tuple[datetime | None, str, str | None]:
        """Reference for anaphoric expressions: the last date at least as precise
        as ``gran`` ("the next day" needs a day, not a year), else publication."""
        if gran is not None:
            ok = _FINER.get(gran, _ORDER)
            best = max((v for g, v in self.last.items() if g in ok), default=None,
                       key=lambda v: v[1])
            if best is not None:
                return best[0], "previous", best[2]
        elif self.previous is not None:
            return self.previous[0], "previous", self.previous[1]
        if self.dct is not None:
            return self.dct, "publication", "day"
        return None, "none", None


def _nearest(options: list[datetime], gran: str, span: tuple[datetime, datetime]) -> datetime:
    """The option closest to the story's time ``span`` (inside it: distance 0);
    ties go forward, as narratives do: "in December 1917 ... in January" is 1918."""
    lo, hi = span

    def distance(s: datetime):
        e = cal.shift(s, gran, 1)
        inside = s < hi and e > lo  # (one just after the span touches it, but is not in it)
        gap = timedelta(0) if inside else min(abs(lo - e), abs(s - hi))
        return not inside, gap, -s.timestamp()
    return min(options, key=distance)

def _period(start: datetime, gran: str) -> tuple[datetime, datetime, str]:
    return start, cal.shift(start, gran, 1), gran


def _date(start: datetime, gran: str, anchor: str, tense: str | None = None) -> Resolution:
    return Resolution("DATE", cal.timex(start, gran), _period(start, gran), anchor, tense)


def _by_tense(options: list[datetime], gran: str, ref: datetime, tense: str) -> datetime:
    """Pick among candidate periods: past -> latest started by ``ref``, future ->
    earliest not yet over, present -> the nearest."""
    spans = [(s, cal.shift(s, gran, 1)) for s in sorted(options)]
    if tense == "past":
        past = [s for s, e in spans if s <= ref]
        if past:
            return past[-1]
    elif tense == "future":
        fut = [s for s, e in spans if e > ref]
        if fut:
            return fut[0]

    def distance(se):
        s, e = se
        return timedelta(0) if s <= ref < e else min(abs(ref - s), abs(ref - e))
    return min(spans, key=distance)[0]


def _num(lex: Lexicon, word: str | None) -> float | None:
    """A number from digits or words ("two", "twenty-five", "a"); None if vague."""
    if word is None:
        return 1
    w = " ".join(word.lower().replace("-", " ").split())
    for suffix, extra in lex.data["number_suffixes"].items():
        if w.endswith(" " + suffix):  # "two and a half"
            base = _num(lex, w[:-len(suffix) - 1])
            return None if base is None else base + extra
    if w.replace(".", "", 1).isdigit():
        return float(w) if "." in w else int(w)
    if "/" in w:  # "5 1/2"
        whole, frac = w.split()
        a, b = frac.split("/")
        return int(whole) + int(a) / int(b)
    if w in lex.numbers:
        return lex.numbers[w]
    parts = w.split()
    if len(parts) == 2 and parts[0] in lex.numbers and parts[1] in lex.numbers:
        return lex.numbers[parts[0]] + lex.numbers[parts[1]]
    return None


def _month(lex: Lexicon, word: str) -> int:
    return lex.months[word.rstrip(".").lower()]


# -------------------------------------------------------------- validators --
# Context-free checks run before overlapping matches are resolved, so that a
# rejected long match does not hide a valid shorter one.

def valid(c: Candidate, text: str, lex: Lexicon) -> bool:
    h = c.rule.handler
    if h == "month":
        word = c.g("m")
        # "Mar", "Jan" are words and names too: a bare abbreviation needs an opener,
        # and no capitalised word right after it ("and Jan Kavan")
        abbreviated = word.rstrip(".").lower() in lex.month_abbreviations
        if abbreviated and not word.endswith(".") \
                and text[c.end:c.end + 1].isspace() and text[c.end + 1:c.end + 2].isupper():
            return False
        if word in lex.ambiguous_months or abbreviated:
            before = text[max(0, c.start - 12):c.start].lower().split()
            return bool(before) and before[-1].rstrip("-") in lex.month_openers
        return True
    if h == "year":
        after = text[c.end:c.end + 30].split(None, 1)
        if after and after[0].lower().strip(".,;:") in lex.year_blockers:
            return False
        return True
    if h == "numeric_date":
        return _numeric_day(c, None) is not None
    if h == "full_date":
        return _parse_absolute(text[c.x_start:c.x_end], lex.lang) is not None
    if h == "offset" and c.g("n") is None and not c.g("one") and not lex.is_plural(c.g("u")):
        return False  # "week after" inside "last week after": needs a count ("the week before")
    if h == "duration" and (c.g("n") or "").lower() in lex.rate_articles \
            and lex.rate_re.search(text, max(0, c.start - 40), c.start):
        return False  # "$2 million a year" is a rate
    if h == "month_day":
        d = int(c.g("d"))
        return d <= (29 if _month(lex, c.g("m")) == 2 else 31)
    return True


@lru_cache(maxsize=4096)
def _parse_absolute(s: str, lang: str) -> datetime | None:
    import dateparser  # heavy: imported on first explicit date only

    lex = load(lang)
    return dateparser.parse(s, languages=list(lex.dateparser_languages),
                            settings=lex.dateparser_settings)


# ---------------------------------------------------------------- handlers --

def full_date(c: Candidate, ctx: Context) -> Resolution | None:
    d = _parse_absolute(ctx.text[c.x_start:c.x_end], ctx.lex.lang)
    if d is None:
        return None
    if c.g("h"):
        return Resolution("TIME", d.strftime("%Y-%m-%dT%H:%M"),
                          (d, d + timedelta(minutes=1), "time"), "absolute")
    return _date(datetime(d.year, d.month, d.day), "day", "absolute")


def _numeric_day(c: Candidate, ref: datetime | None) -> datetime | None:
    """The day of "27.03.2015" / "27.03.15"; a two-digit year is the one of its
    century nearest the reference (from 2025, "15" is 2015 and "98" 1998)."""
    d, m, y = (c.g("d") or c.g("d2"), c.g("m") or c.g("m2"), c.g("y") or c.g("y2"))
    year = int(y)
    if len(y) == 2:
        base = (ref.year if ref is not None else 2000) - 50
        year = base + (year - base) % 100
    try:
        return datetime(year, int(m), int(d))
    except ValueError:  # "31.02.2015"
        return None


def numeric_date(c: Candidate, ctx: Context) -> Resolution | None:
    day = _numeric_day(c, ctx.reference()[0])
    return None if day is None else _date(day, "day", "absolute")


def _signal_tense(c: Candidate, ctx: Context) -> str:
    """"until Tuesday" looks ahead, "since Tuesday" back; else the clause decides."""
    if c.signal in ctx.lex.deadline_signals:
        past = ctx.tense(c) == "past" and (
            (c.signal in ctx.lex.data["signals"]["past_with_verb"] and not _future_before(c, ctx))
            or past_perfect(ctx.text, c.start, c.end, ctx.lex))
        return "past" if past else "future"  # "had filed reports by Wednesday": a past deadline
    if c.signal in ctx.lex.since_signals or _after_since(c, ctx):
        return "past"
    tense = ctx.tense(c)
    if c.signal in ctx.lex.target_signals and (
            tense != "past" or present_perfect_before(ctx.text, c.start, ctx.lex)):
        return "future"  # "have called a strike for March 3": the day it is meant for
    if c.signal in ctx.lex.target_signals and ctx.handler in _NAMED_DAYS:
        # "The judge set the trial for Sept. 8": the day it is meant for is after the
        # act (month_day still takes a day within weeks before publication: "Unions
        # called a strike for November 2", said on November 16)
        return "future"
    return tense


def _future_before(c: Candidate, ctx: Context) -> bool:
    """A future cue earlier in the sentence than the date ("Qantas will double its
    flights by August in the search for markets untouched by ..."): a past word
    after the date does not make the deadline past."""
    s, _ = sentence_bounds(ctx.text, c.start, c.end, ctx.lex.abbreviations)
    return ctx.lex.future_re.search(ctx.text, s, c.start) is not None


_NAMED_DAYS = frozenset({"month_day"})  # a calendar day ("April 14"), not a period or weekday


def _after_since(c: Candidate, ctx: Context) -> bool:
    """"since shortly after the Oct. 23 slaying": "since" a few filler words back."""
    words = ctx.text[max(0, c.start - 60):c.start].lower().split()
    for w in reversed(words[-5:]):
        if w in ctx.lex.since_signals:
            return True
        if w not in ctx.lex.since_fillers:
            return False
    return False


def month_day(c: Candidate, ctx: Context) -> Resolution | None:
    m, d = _month(ctx.lex, c.g("m")), int(c.g("d"))
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{m:02d}-{d:02d}")
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(datetime(y, m, d))
        except ValueError:  # 29 February outside leap years
            pass
    if not options:
        return None
    tense = _signal_tense(c, ctx)
    story = ctx.story_time()
    if story is not None:
        return _date(_nearest(options, "day", story), "day", "previous", tense)
    pick = _by_tense(options, "day", ref, tense)
    near = min(options, key=lambda d: abs(d - ref))
    if abs(pick - ref).days > 180 and abs(near - ref).days < 45:
        pick = near  # news names days close to its own date whatever the verb's tense
    return _date(pick, "day", anchor, tense)


def month_year(c: Candidate, ctx: Context) -> Resolution | None:
    return _date(datetime(int(c.g("y")), _month(ctx.lex, c.g("m")), 1), "month", "absolute")


def month_rel_year(c: Candidate, ctx: Context) -> Resolution | None:
    m = _month(ctx.lex, c.g("m"))
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{m:02d}")
    if c.g("ana"):  # "October of that year": the year last named
        ref, anchor, _ = ctx.anaphor("year")
        if ref is None:
            return Resolution("DATE", f"XXXX-{m:02d}")
    return _date(datetime(ref.year + ctx.lex.relative[(c.g("dem") or c.g("ana")).lower()], m, 1),
                 "month", anchor)


def year_apostrophe(c: Candidate, ctx: Context) -> Resolution | None:
    """"'99": the year ending so nearest the reference (the story's in a history)."""
    story = ctx.story_time()
    ref = story[0] if story is not None else ctx.dct
    if ref is None:
        ref = ctx.absolute
    if ref is None:
        return None
    yy = int(c.g("yy"))
    options = [100 * (ref.year // 100 + k) + yy for k in (-1, 0, 1)]
    y = min(options, key=lambda o: (abs(o - ref.year), -o))
    res = _date(datetime(y, 1, 1), "year", "previous" if story is not None else "publication")
    res.comparison = True  # a name ("the Club of '89") more than the story's time
    return res


def month(c: Candidate, ctx: Context) -> Resolution | None:
    m = _month(ctx.lex, c.g("m"))
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{m:02d}")
    tense = _signal_tense(c, ctx)
    options = [datetime(y, m, 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
    story = ctx.story_time()
    if story is not None:
        return _date(_nearest(options, "month", story), "month", "previous", tense)
    pick = _by_tense(options, "month", ref, tense)
    following = cal.shift(cal.floor(ref, "month"), "month", 1)
    if following in options and (ref - pick).days > 300 and c.signal not in ctx.lex.since_signals:
        pick = following  # news names the month just ahead, not the one eleven months back
    return _date(pick, "month", anchor, tense)


def rel_month(c: Candidate, ctx: Context) -> Resolution | None:
    m = _month(ctx.lex, c.g("m"))
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{m:02d}")
    step = ctx.lex.relative[c.g("dem").lower()]
    this = datetime(ref.year, m, 1)
    current = cal.floor(ref, "month")
    if step < 0:
        start = this if this < current else datetime(ref.year - 1, m, 1)
    elif step > 0:
        start = this if this > current else datetime(ref.year + 1, m, 1)
    else:
        start = this
    return _date(start, "month", anchor)


def year(c: Candidate, ctx: Context) -> Resolution | None:
    return _date(datetime(int(c.g("y")), 1, 1), "year", "absolute")


def year_era(c: Candidate, ctx: Context) -> Resolution | None:
    """"264 BC" is BC0264 (no interval: before Python's year 1); "AD 79" is 0079."""
    y = int(c.g("y") or c.g("y2"))
    if c.g("era") and c.g("era") in ctx.lex.data["eras"]["before"]:
        start = cal.bc_start(y)  # a place on the story's calendar (see cal.BC_SHIFT)
        if start is None:
            return Resolution("DATE", f"BC{y:04d}", None, "absolute") if y > 0 else None
        return _date(start, "year", "absolute")
    return _date(datetime(y, 1, 1), "year", "absolute") if y > 0 else None


def decade_era(c: Candidate, ctx: Context) -> Resolution | None:
    """"the 470s BC" is BC047: the years 479 to 470 BC."""
    y = int(c.g("y"))
    start = cal.bc_start(y + 9)
    iv = (start, cal.shift(start, "year", 10), "decade") if start is not None else None
    return Resolution("DATE", f"BC{y // 10:03d}", iv, "absolute")


def century_era(c: Candidate, ctx: Context) -> Resolution | None:
    """"the 9th century BC" is BC08 (the 800s before the common era)."""
    n = int(c.g("n")) if c.g("n") else ctx.lex.data["ordinal_words"][
        " ".join(c.g("ow").lower().split())]
    return Resolution("DATE", f"BC{n - 1:02d}", None, "absolute")


def century(c: Candidate, ctx: Context) -> Resolution | None:
    """"the 20th century" is 1900-1999, TIMEX3 "19"."""
    n = int(c.g("n")) if c.g("n") else ctx.lex.data["ordinal_words"][
        " ".join(c.g("ow").lower().split())]
    if not 1 <= n <= 30:
        return None
    return _date(datetime(100 * (n - 1) or 1, 1, 1), "century", "absolute")


def decade(c: Candidate, ctx: Context) -> Resolution | None:
    if c.g("dw"):  # "the nineties"
        return _past_decade(ctx.lex.decades[c.g("dw").lower()], ctx)
    if c.g("y"):
        return _date(datetime(int(c.g("y")), 1, 1), "decade", "absolute")
    if c.g("yy3") and _after_measure(c, ctx):
        return None  # "temperatures in the 90s"
    return _past_decade(int(c.g("yy") or c.g("yy2") or c.g("yy3")), ctx)


def _past_decade(yy: int, ctx: Context) -> Resolution:
    """The decade ``yy`` of the reference's century that has begun ("the '90s"
    said in 2022 is the 1990s)."""
    ref, anchor = ctx.reference()
    century = (ref.year // 100) * 100 if ref else 1900
    if ref and century + yy > ref.year:
        century -= 100
    return _date(datetime(century + yy, 1, 1), "decade", anchor if ref else "absolute")


def _after_measure(c: Candidate, ctx: Context) -> bool:
    """Whether a measure ("temperatures", "percent") stands in the few words
    before a bare "the 60s": a number range, not a decade."""
    m = ctx.lex.data["decade_measures"]
    before = re.findall(r"[a-z]+", ctx.text[max(0, c.start - 60):c.start].lower())
    return bool(set(before[-m["window"]:]) & set(m["words"]))


def _season_start(code: str, y: int) -> datetime:
    return cal.season_start(code, y)


def season(c: Candidate, ctx: Context) -> Resolution | None:
    code = ctx.lex.data["seasons"][c.g("s").lower()]
    return _date(_season_start(code, int(c.g("y"))), "season", "absolute")


def rel_season(c: Candidate, ctx: Context) -> Resolution | None:
    code = ctx.lex.data["seasons"][c.g("s").lower()]
    dem = c.g("dem").lower()
    if dem in ctx.lex.anaphoric or (c.g("the") and dem in ctx.lex.anaphoric_after_article):
        ref, anchor, _ = ctx.anaphor("season")  # "the next spring": after the one last named
    else:
        ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{code}")
    step = ctx.lex.relative[dem]
    options = [_season_start(code, y) for y in range(ref.year - 2, ref.year + 2)]
    if step < 0:
        start = [s for s in options if cal.shift(s, "season", 1) <= ref][-1]
    elif step > 0:
        start = [s for s in options if s > ref][0]
    else:
        start = _by_tense(options, "season", ref, "present")
    return _date(start, "season", anchor)



def quarter(c: Candidate, ctx: Context) -> Resolution | None:
    q = int(c.g("q")) if c.g("q") else ctx.lex.data["ordinals"][c.g("ord").lower()]
    y = c.g("y") or c.g("y0")
    if y:
        return _date(datetime(int(y), 3 * q - 2, 1), "quarter", "absolute")
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-Q{q}")
    tense = ctx.tense(c)
    options = [datetime(y, 3 * q - 2, 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
    if c.g("ydem"):  # "last year's third quarter"
        k = ctx.lex.relative[c.g("ydem").lower()] + 1
        options = options[k:k + 1]
    if tense == "future":  # "expects to report third-quarter results": a quarter just ended counts
        recent = [o for o in options if cal.shift(o, "quarter", 1) > ref - timedelta(days=92)]
        pick = recent[0] if recent else options[-1]
    else:
        pick = _by_tense(options, "quarter", ref, tense)
    ago = bool(c.g("ago"))  # "the year-ago third quarter"
    if ago:
        pick = cal.shift(pick, "year", -1)
    res = _date(pick, "quarter", anchor, tense)
    res.comparison = ago
    return res


def half(c: Candidate, ctx: Context) -> Resolution | None:
    h = int(c.g("hn")) if c.g("hn") else ctx.lex.data["ordinals"][c.g("ord").lower()]
    if c.g("y"):  # "H2 2024"
        return _date(datetime(int(c.g("y")), 6 * h - 5, 1), "half", "absolute")
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-H{h}")
    base = ref.year  # "the first half of 2022 / of last year" are part_of_period's
    options = [datetime(yy, 6 * h - 5, 1) for yy in (base - 1, base, base + 1)]
    tense = ctx.tense(c)
    return _date(_by_tense(options, "half", ref, tense), "half", anchor, tense)


def _with_part_of_day(day: datetime, pod: str | None, anchor: str, lex: Lexicon,
                      tense: str | None = None) -> Resolution:
    if not pod:
        return _date(day, "day", anchor, tense)
    code, h0, h1 = lex.data["parts_of_day"][pod.lower()]
    start = day + timedelta(hours=h0)
    return Resolution("TIME", f"{day:%Y-%m-%d}T{code}",
                      (start, day + timedelta(hours=h1), "time"), anchor, tense)


def deictic_day(c: Candidate, ctx: Context) -> Resolution | None:
    lex = ctx.lex
    ref, anchor = ctx.reference()
    w = c.g("w").lower()
    pod = c.g("pod") or lex.deictic_parts_of_day.get(w)
    today = lex.deictic_days.get(w) == 0  # "today", "tonight"; not "this morning"
    if ref is None:
        return Resolution("DATE", "PRESENT_REF" if today else "XXXX-XX-XX")
    offset = lex.deictic_days[w] if w in lex.deictic_days else lex.relative[w]  # "last night"
    day = cal.floor(ref, "day") + timedelta(days=offset)
    res = _with_part_of_day(day, pod, anchor, lex)
    if c.g("rel"):  # "earlier yesterday", "later this afternoon"
        res.mod = lex.part_words[c.g("rel").lower()]
    return res


def part_of_day(c: Candidate, ctx: Context) -> Resolution | None:
    """"in the morning", "at night": of the day last named, else of publication; in
    a history, of no day in particular (the story seldom names one)."""
    code = ctx.lex.data["parts_of_day"][c.g("pod").lower()][0]
    day, anchor = (None, "none") if ctx.narrative else _day_of_clause(c, ctx)
    if day is None:
        return Resolution("TIME", f"XXXX-XX-XXT{code}")
    # the night before the day of writing, whether named so or not ("said on
    # Wednesday" in a Wednesday paper); not the night after a day the story names
    of_writing = anchor != "previous" or (ctx.dct is not None and day == cal.floor(ctx.dct, "day"))
    if of_writing and c.g("pod").lower() in ctx.lex.data["night_before"]["words"] \
            and _signal_tense(c, ctx) == "past":
        day -= timedelta(days=1)  # "doubled overnight, officials said Friday": Thursday night
    return _with_part_of_day(day, c.g("pod"), anchor, ctx.lex)


# (bare day numbers may follow: the tagger adds them to the list after reading)
_AFTER_LIST = re.compile(r"(?:[\s,–-]|\d{1,2}(?!\d))*[(\[–-]\s*")


def _listed_weekday(c: Candidate, ctx: Context, wd: int) -> datetime | None:
    """"May 2 - 3 (Sat-Sun)", "May 5 (Tues)": a weekday in brackets (or a dash
    range) right after a list of days is the first of them on that weekday, or
    the first such day from the list's start in the week that follows it."""
    if not ctx.listed or not _AFTER_LIST.fullmatch(ctx.text, ctx.listed_end, c.x_start):
        return None
    for d in ctx.listed:
        if d.weekday() == wd:
            return d
    first = ctx.listed[0]
    pick = first + timedelta(days=(wd - first.weekday()) % 7)
    return pick if pick <= ctx.listed[-1] + timedelta(days=6) else None


def weekday(c: Candidate, ctx: Context) -> Resolution | None:
    wd = ctx.lex.weekdays[c.g("wd").lower()]
    listed = _listed_weekday(c, ctx, wd)
    if listed is not None:
        ctx.listed_end = c.x_end
        return _with_part_of_day(listed, c.g("pod"), "previous", ctx.lex)
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-WXX-{wd + 1}")
    tense = _signal_tense(c, ctx)
    if ctx.text.startswith(tuple(ctx.lex.data["tense"]["past_suffixes"]), c.end):
        tense = "past"  # "Friday's ruling": news names a day by what already happened on it
    day = cal.floor(ref, "day")
    back = day - timedelta(days=(day.weekday() - wd) % 7)
    fwd = day + timedelta(days=(wd - day.weekday()) % 7)
    if tense in ("past", "unknown"):  # news mostly reports what has happened
        pick = back
    elif tense == "future":
        pick = fwd
    else:  # present tense: the nearest, the past one on a tie
        pick = back if (day - back) <= (fwd - day) else fwd
    # "Thursday night" is a TIME, 2013-09-12TNI (TempEval-3; TimeBank wrote the day)
    return _with_part_of_day(pick, c.g("pod"), anchor, ctx.lex, tense)


def rel_weekday(c: Candidate, ctx: Context) -> Resolution | None:
    wd = ctx.lex.weekdays[c.g("wd").lower()]
    if c.g("ana"):  # "the previous Friday": before the day last talked about
        ref, anchor, _ = ctx.anaphor("day")
    else:
        ref, anchor = ctx.reference()
    step = ctx.lex.relative[(c.g("ana") or c.g("dem")).lower()]
    if ref is None:
        return Resolution("DATE", f"XXXX-WXX-{wd + 1}")
    day = cal.floor(ref, "day")
    if step > 0:
        pick = day + timedelta(days=(wd - day.weekday() - 1) % 7 + 1)
    elif step < 0:
        pick = day - timedelta(days=(day.weekday() - wd - 1) % 7 + 1)
    else:  # this Tuesday: the Tuesday of this week
        pick = cal.floor(day, "week") + timedelta(days=wd)
    return _with_part_of_day(pick, c.g("pod"), anchor, ctx.lex)


def rel_unit(c: Candidate, ctx: Context) -> Resolution | None:
    lex = ctx.lex
    dem = (c.g("dem") or lex.bare_relative).lower()  # "the month": that of the last date
    same = dem == lex.bare_relative
    word = c.g("u").lower()
    if word in lex.period_words:  # "the latest period": the reporting period last named
        word = ctx.previous[1] if ctx.previous and ctx.previous[1] in ("quarter", "year",
                                                                          "month") else "quarter"
    pod = word if word in lex.data["parts_of_day"] else None
    unit = "day" if pod else word
    _, gran, letter = lex.unit(unit)
    weekend = letter == "WE"
    has_the = ctx.text[c.start:c.end].lower().startswith(lex.definite)
    if has_the and dem in lex.stretch_back and not pod:  # "the past year": a stretch of time
        span = _span(c, ctx, 1, unit, backwards=True)
        ref, _ = ctx.reference()
        if ref is None or gran == "century":
            return span
        # TimeML dates it as the period before this one ("the past year" said in
        # 1998 is 1997); the timeline keeps the stretch up to publication
        prev = cal.shift(cal.floor(ref, gran), gran, -1)
        return Resolution("DATE", cal.timex(prev, gran), (*span.interval[:2], "fuzzy"), span.anchor)
    if weekend and same:  # "over the weekend": the nearest by tense
        ref, anchor = ctx.reference()
        if ref is None:
            return Resolution("DATE", "XXXX-WXX-WE")
        weeks = [cal.shift(cal.floor(ref, "week"), "week", k) for k in (-1, 0, 1)]
        sats = [w + timedelta(days=5) for w in weeks]
        sat = _by_tense(sats, "day", ref, _signal_tense(c, ctx))  # "by the weekend": ahead
        return Resolution("DATE", f"{cal.timex(sat, 'week')}-WE",
                          (sat, sat + timedelta(days=2), "day"), anchor)
    # "by the end of the year": this year in news, the story's year in a history
    # ("later in the same year" names its year: the last one)
    deictic = (c.mod is not None or c.signal in lex.deadline_signals) and not ctx.narrative \
        and c.g("dem") is None
    # "the quarter": the last quarter named, unless that one is still ahead (a
    # forecast): results news then means the quarter just ended, or this year
    ahead = (gran in ("quarter", "year") and gran in ctx.last and ctx.dct is not None
             and ctx.last[gran][0] > ctx.dct and not cal.is_bc(ctx.last[gran][0]))
    if same and gran in ctx.last and not deictic and not ahead:
        # the calendar period of the last date at least that precise ("On January
        # 20, 1955 ... the same year": 1955, not the last year written alone); a
        # reporting period ("the quarter") is the last one named as such
        last = ctx.anaphor(gran)[0] if gran in ("year", "month", "day") else ctx.last[gran][0]
        start = cal.floor(last, gran)
        return _date(start, gran, "previous")
    if same and gran == "year" and ahead:
        return _date(cal.floor(ctx.dct, "year"), "year", "publication")
    if same and gran == "quarter" and ctx.dct is not None:
        return _date(cal.shift(cal.floor(ctx.dct, "quarter"), "quarter", -1), "quarter",
                     "publication")
    # "the next day" counts from the last date, "next day" from publication
    anaphoric = (dem in lex.anaphoric or (has_the and dem in lex.anaphoric_after_article)) and not (
        deictic and same)  # "by the end of the year": this year
    if anaphoric:
        ref, anchor, _ = ctx.anaphor(gran)
    else:
        ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX",
                                   "day": "XXXX-XX-XX"}.get(gran, "XXXX"))
    start = cal.shift(cal.floor(ref, gran), gran, lex.relative[dem])
    if weekend:
        return _weekend(start, anchor)
    if pod:
        return _with_part_of_day(start, pod, anchor, ctx.lex)
    return _date(start, gran, anchor)


def unit_twice_removed(c: Candidate, ctx: Context) -> Resolution | None:
    """"the week before last": the week two before this one (of publication)."""
    lex = ctx.lex
    _, gran, letter = lex.unit(c.g("u"))
    step = lex.data["twice_removed"][" ".join(c.g("rel").lower().split())]
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", {"year": "XXXX", "month": "XXXX-XX"}.get(gran, "XXXX-WXX"))
    start = cal.shift(cal.floor(ref, gran), gran, step)
    return _weekend(start, anchor) if letter == "WE" else _date(start, gran, anchor)


def _weekend(week: datetime, anchor: str) -> Resolution:
    """The weekend of the ISO week starting ``week``: its Saturday and Sunday."""
    sat = week + timedelta(days=5)
    return Resolution("DATE", f"{cal.timex(week, 'week')}-WE",
                      (sat, sat + timedelta(days=2), "day"), anchor)


def _shift_fraction(ref: datetime, unit: str, gran: str, n: float) -> tuple[datetime, str]:
    """``ref`` moved by n units; fractional counts step in the next smaller unit."""
    if n != int(n):
        smaller = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7),
                   "day": ("hour", 24), "quarter": ("month", 3), "decade": ("year", 10)}
        if unit in smaller:
            unit, k = smaller[unit]
            n = round(n * k)
            gran = {"hour": "time"}.get(unit, unit)
    n = int(n)
    if unit in ("hour", "minute", "second"):
        return ref + timedelta(**{unit + "s": n}), "time"
    if gran == "week":  # "two weeks ago" names a day, not an ISO week (a weekend too)
        return ref + timedelta(weeks=n), "day"
    return cal.shift(ref, gran, n), gran


def _results_quarter(ctx: Context) -> datetime | None:
    """The quarter a results text last spoke of: the last date, or the quarter
    named just before it when that date is its end ("the first quarter ended
    Sept. 30")."""
    if ctx.previous is None:
        return None
    if ctx.previous[1] == "quarter":
        return ctx.previous[0]
    q, day = ctx.last.get("quarter"), ctx.last.get("day")
    if ctx.previous[1] == "day" and q and day and day[1] == q[1] + 1 \
            and q[0] <= day[0] < cal.shift(q[0], "year", 1):  # (a fiscal quarter's end)
        return q[0]
    return None


def offset(c: Candidate, ctx: Context) -> Resolution | None:
    d = " ".join(c.g("dir").lower().split())
    n = 1 if c.g("one") else _num(ctx.lex, c.g("n"))  # "the week before": one week
    unit, gran, _ = ctx.lex.unit(c.g("u"))
    step, counted_from = ctx.lex.offset_directions[d]
    if counted_from == "publication":  # "two days ago"; "two days later": after the last date
        ref, anchor = ctx.reference()
    else:
        ref, anchor, _ = ctx.anaphor(gran)
    back = step < 0
    if ref is None:  # nothing to count from: the value keeps its unknowns
        unknown = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}.get(gran, "XXXX-XX-XX")
        return Resolution("DATE", unknown)
    quarter = _results_quarter(ctx)
    if unit == "year" and isinstance(n, int) and quarter is not None:
        # results: "a year ago" is that quarter last year
        start = cal.shift(quarter, "quarter", -4 * n if back else 4 * n)
        res = _date(start, "quarter", "previous")
        res.comparison = True
        return res
    if n is None or (c.g("n") is None and ctx.lex.is_plural(c.g("u"))):  # "years ago"
        lo, hi = ctx.lex.data["vague_count"]["range"]
        a, _ = _shift_fraction(ref, unit, gran, -hi if back else lo)
        b, _ = _shift_fraction(ref, unit, gran, -lo if back else hi)
        return Resolution("DATE", "PAST_REF" if back else "FUTURE_REF",
                          (cal.floor(a, "day"), cal.floor(b, "day") + timedelta(days=1), "fuzzy"),
                          anchor)
    if unit in _IN_YEARS:  # "a decade ago" names a year
        unit, gran, n = "year", "year", n * _IN_YEARS[unit]
    point, g = _shift_fraction(ref, unit, gran, -n if back else n)
    if g == "time":
        return Resolution("TIME", point.strftime("%Y-%m-%dT%H:%M"),
                          (point, point + timedelta(hours=1), "time"), anchor)
    start = cal.floor(point, g)
    return _date(start, g, anchor)


_IN_YEARS = {"decade": 10, "century": 100}
_SPLIT = {"year": (12, "M"), "month": (30, "D"), "week": (7, "D"), "day": (24, "H"),
          "hour": (60, "M"), "minute": (60, "S")}


def _duration_value(n: float | None, unit: str, letter: str) -> str:
    """TIMEX3 duration: "P3M", "PXY", "PT5H30M"; decades and centuries in years."""
    timey = unit in ("hour", "minute", "second")
    if unit in _IN_YEARS:
        n, letter = (None if n is None else n * _IN_YEARS[unit]), "Y"
    if n is None:
        return f"P{'T' if timey else ''}X{letter}"
    whole = int(n)
    rest = ""
    if n != whole and unit in _SPLIT:  # "5 1/2 hours" is PT5H30M
        k, small = _SPLIT[unit]
        rest = f"{round((n - whole) * k)}{small}"
        if unit == "day":
            return f"P{whole}DT{rest}" if whole else f"PT{rest}"
    return f"P{'T' if timey else ''}{whole if whole or not rest else ''}{letter if whole else ''}{rest}"


def _span(c: Candidate, ctx: Context, n: float | None, unit: str, backwards: bool) -> Resolution:
    """A duration that is also a stretch of the calendar ("the past two months")."""
    _, gran, letter = ctx.lex.unit(unit)
    value = _duration_value(n, unit, letter)
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DURATION", value)
    count = n if n is not None else ctx.lex.data["vague_count"]["range"][1]
    day = cal.floor(ref, "day")
    if backwards:
        a, _ = _shift_fraction(day, unit, gran, -count)
        iv = (cal.floor(a, "day") + timedelta(days=1), day + timedelta(days=1))
    else:
        b, _ = _shift_fraction(day, unit, gran, count)
        iv = (day, cal.floor(b, "day"))
    return Resolution("DURATION", value, (*iv, "fuzzy" if n is None else "day"), anchor)


def span_duration(c: Candidate, ctx: Context) -> Resolution | None:
    lex = ctx.lex
    dem = c.g("dem").lower()
    if c.g("n") is None and lex.is_plural(c.g("u")):  # "the coming weeks"
        key = f"{dem} {c.g('u').lower()}"
        if key in lex.windows:
            return window(c, ctx, key)
        return _span(c, ctx, None, lex.unit(c.g("u"))[0], backwards=dem not in lex.stretch_ahead)
    n = _num(lex, c.g("n"))
    unit, _, letter = lex.unit(c.g("u"))
    if dem not in lex.relative:  # "the first two years": no place on the calendar
        return Resolution("DURATION", _duration_value(n, unit, letter))
    return _span(c, ctx, n, unit, backwards=lex.relative[dem] < 0)


def duration(c: Candidate, ctx: Context) -> Resolution | None:
    word = c.g("n")
    unit, _, letter = ctx.lex.unit(c.g("u"))
    singular = c.g("u").lower() == unit
    n = _num(ctx.lex, word) if word else (1 if singular else None)  # "the year" / "years"
    return Resolution("DURATION", _duration_value(n, unit, letter))


def _counted(c: Candidate, ctx: Context) -> Resolution:
    """The DURATION of a counted unit with its quantity modifier ("about two weeks")."""
    res = duration(c, ctx)
    if c.g("qmod"):
        res.mod = _mod(ctx.lex, c.g("qmod"))
    return res


def in_n(c: Candidate, ctx: Context) -> Resolution | None:
    # TimeML (and every dev set) tags "in two weeks" as the duration P2W; said
    # ahead ("will meet in two weeks") it also names the date the clause is on
    res = _counted(c, ctx)
    n = _num(ctx.lex, c.g("n"))
    if ctx.tense(c) == "past" or n is None:
        return res  # "in two years, sales doubled": only a duration
    unit, gran, _ = ctx.lex.unit(c.g("u"))
    ref, anchor = ctx.reference()
    if ref is None:
        return res
    point, g = _shift_fraction(ref, unit, gran, n)
    if g == "time" and ref == cal.floor(ref, "day"):
        g = "day"  # "in two hours" from a publication day with no clock: that day
    if g == "time":
        iv = (point, point + timedelta(hours=1), "time")
    else:
        iv = _period(cal.floor(point, g), g)
    n0 = _num(ctx.lex, c.g("n0")) if c.g("n0") else None
    if n0 is not None and 0 < n0 < n:  # "in one or two years": from the first count on
        first, g0 = _shift_fraction(ref, unit, gran, n0)
        iv = (cal.floor(first, g0 if g0 != "time" else "day"), iv[1], iv[2])
    return Resolution("DURATION", res.value, iv, anchor, "future", mod=res.mod, dates=True)


def take_n(c: Candidate, ctx: Context) -> Resolution | None:
    """"could take up to two years to submit": the duration (TimeML), and, said
    ahead, the window from the reference to its end, when the act is expected."""
    res = _counted(c, ctx)
    n = _num(ctx.lex, c.g("n"))
    ref, anchor = ctx.reference()
    if ref is None or n is None or ctx.tense(c) == "past":
        return res  # "it had to take two years": only a duration
    unit, gran, _ = ctx.lex.unit(c.g("u"))
    end, g = _shift_fraction(ref, unit, gran, n)
    day = cal.floor(ref, "day")
    # a window of known ends, at the unit's grain: not a vague one that only
    # corroborates whatever its span holds
    return Resolution("DURATION", res.value, (day, cal.floor(end, "day") + timedelta(days=1),
                                              "day" if g == "time" else g), anchor, "future",
                      mod=res.mod, dates=True)


def _mod(lex: Lexicon, word: str) -> str:
    """The TIMEX3 mod a modifier word gives ("about": APPROX, "early": START)."""
    return lex.modifiers[" ".join(word.lower().split())][0]


_COARSER = {"time": "day", "day": "month", "week": "month", "month": "year", "year": "year"}


def around_event(c: Candidate, ctx: Context) -> Resolution | None:
    """"the weeks before the shooting": dated, one granularity coarser, by the last date named."""
    _, gran, _ = ctx.lex.unit(c.g("u"))
    gran = _COARSER.get(gran, "year")
    ref, anchor, _ = ctx.anaphor(gran)
    if ref is None:
        return Resolution("DATE", {"day": "XXXX-XX-XX", "month": "XXXX-XX"}.get(gran, "XXXX"))
    return _date(cal.floor(ref, gran), gran, anchor)


def ordinal_day(c: Candidate, ctx: Context) -> Resolution | None:
    """"It is the second day of the strike": today; "on his first day in office": a
    day not named."""
    ref, anchor = ctx.reference()
    if ref is not None and ctx.tense(c) == "present":
        return _date(cal.floor(ref, "day"), "day", anchor, "present")
    return Resolution("DATE", "XXXX-XX-XX")


def final_day(c: Candidate, ctx: Context) -> Resolution | None:
    """"That marks my last day", "Last day to register": the day of writing; "his
    last day was Friday": a day not named here."""
    ref, anchor = ctx.reference()
    tense = ctx.tense(c)
    if ref is not None and tense in ("present", "unknown"):
        return _date(cal.floor(ref, "day"), "day", anchor, tense if tense == "present" else None)
    return Resolution("DATE", "XXXX-XX-XX")


def judged_day(c: Candidate, ctx: Context) -> Resolution | None:
    """"It was a great day for Poland": the day last talked about; "today is a sad
    day": the day of writing."""
    if ctx.tense(c) == "past":
        ref, anchor, _ = ctx.anaphor("day")
    else:
        ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", "XXXX-XX-XX")
    return _date(cal.floor(ref, "day"), "day", anchor)


def window(c: Candidate, ctx: Context, key: str | None = None) -> Resolution | None:
    key = key or " ".join(c.g("w").lower().split())
    spec = ctx.lex.windows[key]
    ref, anchor = ctx.reference()
    kind, value = ("DURATION", spec["duration"]) if "duration" in spec else ("DATE", spec["value"])
    if ref is None:
        return Resolution(kind, value)
    day = cal.floor(ref, "day")
    if spec["value"] == "PAST_REF":
        iv = (day - timedelta(days=spec["days"] - 1), day + timedelta(days=1))
    else:
        iv = (day, day + timedelta(days=spec["days"]))
    return Resolution(kind, value, (*iv, "fuzzy"), anchor, dates=kind == "DURATION")


def present(c: Candidate, ctx: Context) -> Resolution | None:
    if c.g("then"):  # "the then current price": a past present
        return Resolution("DATE", "PAST_REF")
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", "PRESENT_REF")
    day = cal.floor(ref, "day")
    return Resolution("DATE", "PRESENT_REF", (day, day + timedelta(days=1), "day"), anchor)


def period_part(c: Candidate, ctx: Context) -> Resolution | None:
    lex = ctx.lex
    dem = (c.g("dem") or c.g("ana")).lower()
    _, gran, _ = lex.unit(c.g("u") or c.g("ua"))
    anaphoric = dem in lex.anaphoric
    if anaphoric:  # "later that year": a part of the period last named
        ref, anchor, _ = ctx.anaphor(gran)
    else:
        ref, anchor = ctx.reference()
    mod = lex.part_words[c.g("rel").lower()]
    earlier = mod == "START"
    if ref is None:
        return Resolution("DATE", "XXXX", mod=mod)
    step = lex.relative[dem]
    start = cal.shift(cal.floor(ref, gran), gran, step)
    end = cal.shift(start, gran, 1)
    day = cal.floor(ref, "day")
    if step == 0:  # "earlier this year", "later that day": from its start up to the
        # reference day, or from it to its end (the part is relative to that moment)
        iv = (start, day + timedelta(days=1)) if earlier else (day, end)
    else:
        iv = cal.fraction(start, end, *((0.0, 0.5) if earlier else (0.5, 1.0)), gran)
    if iv[0] >= iv[1]:
        iv = (start, end)
    return Resolution("DATE", cal.timex(start, gran), (*iv, gran), anchor, mod=mod)


def clock(c: Candidate, ctx: Context) -> Resolution | None:
    w = (c.g("w") or "").lower()
    if w:
        h, mi = ctx.lex.clock_words[w], 0
    else:
        h, mi = int(c.g("h")), int(c.g("mi") or 0)
        ap = (c.g("ap") or "").lower().replace(".", "")
        if ap:  # "12 a.m." is 0, "3 p.m." 15
            h = h % 12 + ctx.lex.meridiem[ap]
        elif c.g("cpod"):  # "4 in the morning" is 4:00, "9 at night" 21:00
            pm_from = ctx.lex.data["clock_parts_of_day"].get(c.g("cpod").lower())
            if pm_from is None:
                return None  # "5 at overnight": no clock
            h = h % 12 + (12 if h % 12 >= pm_from else 0)
    if c.g("y"):  # "5:34 AM Baghdad time on March 20, 2003": a day of its own year
        day, anchor = datetime(int(c.g("y")), _month(ctx.lex, c.g("m")), int(c.g("d"))), "absolute"
    elif c.g("day"):  # "9 a.m. Tuesday": the day is part of the expression
        day_res = (weekday if c.g("wd") else deictic_day if c.g("dw") else month_day)(
            _Sub(c, {"wd": c.g("wd") or c.g("wdm"), "w": c.g("dw"), "m": c.g("m"), "d": c.g("d")}), ctx)
        day = day_res.interval[0] if day_res and day_res.interval else None
        anchor = day_res.anchor if day_res else "none"
    else:
        day, anchor = _day_of_clause(c, ctx)
    if day is None:
        return Resolution("TIME", f"XXXX-XX-XXT{h:02d}:{mi:02d}")
    t = day + timedelta(hours=h, minutes=mi)
    value = t.strftime("%Y-%m-%dT%H:%M")
    if w in ctx.lex.data["day_end"]["words"] and c.g("day"):  # "at midnight Friday": the
        t, value = day + timedelta(days=1), day.strftime("%Y-%m-%dT24")  # end of Friday
    return Resolution("TIME", value, (t, t + timedelta(minutes=1), "time"), anchor)


class _Sub(Candidate):
    """A candidate seen through other groups (a day inside a clock-time rule)."""

    def __init__(self, c: Candidate, groups: dict):
        super().__init__(c.rule, c.start, c.end, c.x_start, c.x_end, groups,
                         signal=c.signal)  # "until 9 a.m. Tuesday" looks ahead


def _day_of_clause(c: Candidate, ctx: Context) -> tuple[datetime | None, str]:
    """The day a clock time belongs to: the last day mentioned, else publication."""
    if ctx.previous is not None and ctx.previous[1] in POINT:
        return cal.floor(ctx.previous[0], "day"), "previous"
    ref, anchor = ctx.reference()
    return (cal.floor(ref, "day") if ref else None), anchor


def set_(c: Candidate, ctx: Context) -> Resolution | None:
    lex = ctx.lex
    if c.g("adv"):
        return Resolution("SET", lex.set_adverbs[c.g("adv").lower()])
    if c.g("we"):  # "on weekends"
        return Resolution("SET", "XXXX-WE", quant="EVERY")
    if c.g("wdp"):  # "on Tuesdays"
        wd = lex.weekdays[lex.pack.singular(c.g("wdp").lower())]
        return Resolution("SET", f"XXXX-WXX-{wd + 1}", quant="EVERY")
    if c.g("wd"):
        return Resolution("SET", f"XXXX-WXX-{lex.weekdays[c.g('wd').lower()] + 1}",
                          quant=lex.quantifiers[c.g("q").lower()])
    if c.g("pod"):
        code = lex.data["parts_of_day"][c.g("pod").lower()][0]
        return Resolution("SET", f"T{code}",  # TempEval-3: "every morning" TMO
                          quant=lex.quantifiers[c.g("q").lower()])
    unit, _, letter = lex.unit(c.g("u"))
    if c.g("f"):
        f = c.g("f").lower()
        k = lex.frequency_words.get(f) or _num(lex, f.split()[0])
        return Resolution("SET", _duration_value(1, unit, letter),
                          freq=f"{int(k)}X" if k else None)
    n = _num(lex, c.g("n")) if c.g("n") else 1
    return Resolution("SET", _duration_value(n, unit, letter),
                      quant=lex.quantifiers[c.g("q").lower()])


def year_ago(c: Candidate, ctx: Context) -> Resolution | None:
    """"the year-ago quarter": the quarter last named, a year back; else last year."""
    whole = ctx.text[c.start:c.end].lower()
    names_quarter = any(w in whole for w in ctx.lex.quarter_words)
    if ctx.previous is not None and ctx.previous[1] == "quarter":
        res = _date(cal.shift(ctx.previous[0], "quarter", -4), "quarter", "previous")
    elif names_quarter and "quarter" in ctx.last:  # the last quarter named, a year back
        res = _date(cal.shift(ctx.last["quarter"][0], "quarter", -4), "quarter", "previous")
    elif names_quarter and ctx.dct is not None:  # results name the quarter just ended
        last_q = cal.shift(cal.floor(ctx.dct, "quarter"), "quarter", -1)
        res = _date(cal.shift(last_q, "quarter", -4), "quarter", "publication")
    else:
        ref, anchor = ctx.reference()
        if ref is None:
            return Resolution("DATE", "PAST_REF")
        res = _date(cal.shift(cal.floor(ref, "year"), "year", -1), "year", anchor)
    res.comparison = True
    return res


def year_period(c: Candidate, ctx: Context) -> Resolution | None:
    """"the 1988 quarter": the quarter last named (else the one just ended) in that year."""
    if "quarter" in ctx.last:
        q, anchor = ctx.last["quarter"][0], "previous"
    elif ctx.dct is not None:
        q, anchor = cal.shift(cal.floor(ctx.dct, "quarter"), "quarter", -1), "publication"
    else:
        return Resolution("DATE", f"{int(c.g('y')):04d}-QX")
    res = _date(datetime(int(c.g("y")), q.month, 1), "quarter", anchor)
    res.comparison = True
    return res


def year_end(c: Candidate, ctx: Context) -> Resolution | None:
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", "XXXX", mod="END")
    start = cal.floor(ref, "year")
    frac = ctx.lex.modifiers[ctx.lex.year_end_modifier][1:]
    a, b = cal.fraction(start, cal.shift(start, "year", 1), *frac, "year")
    return Resolution("DATE", cal.timex(start, "year"), (a, b, "year"), anchor, mod="END")


def year_spoken(c: Candidate, ctx: Context) -> Resolution | None:
    """"nineteen ninety-six" as said on air."""
    lead = _num(ctx.lex, c.g("c"))
    rest = (c.g("r") or "").lower()
    for zero in ctx.lex.zero_words:
        rest = rest.replace(zero, "")
    rest = rest.strip(" -")
    said = ctx.text[c.start:c.end].lower()
    scale = 1000 if any(w in said for w in ctx.lex.thousand_words) else 100  # "two thousand one"
    y = int(lead * scale + ((_num(ctx.lex, rest) or 0) if rest else 0))
    return _date(datetime(y, 1, 1), "year", "absolute")


def season_tense(c: Candidate, ctx: Context) -> Resolution | None:
    if c.g("y"):
        return season(c, ctx)
    code = ctx.lex.data["seasons"][c.g("s").lower()]
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", f"XXXX-{code}")
    tense = ctx.tense(c)
    options = [_season_start(code, y) for y in range(ref.year - 2, ref.year + 2)]
    story = ctx.story_time()
    if story is not None:
        return _date(_nearest(options, "season", story), "season", "previous", tense)
    return _date(_by_tense(options, "season", ref, tense), "season", anchor, tense)


def _holiday_date(hol: dict, name: str, year: int) -> datetime:
    if name in hol["fixed"]:
        m, d = hol["fixed"][name]
        return datetime(year, m, d)
    if name in hol["nth_weekday"]:
        m, n, wd, *after = hol["nth_weekday"][name]  # (days after that weekday)
        if n > 0:
            first = datetime(year, m, 1)
            day = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
        else:
            last = cal.shift(datetime(year, m, 1), "month", 1) - timedelta(days=1)
            day = last - timedelta(days=(last.weekday() - wd) % 7)
        return day + timedelta(days=after[0] if after else 0)
    return cal.easter(year) + timedelta(days=hol["easter"][name])


def holiday(c: Candidate, ctx: Context) -> Resolution | None:
    hol = ctx.lex.data["holidays"]
    name = " ".join(c.g("hol").lower().replace("’", "'").split())
    if c.g("y"):
        return _date(_holiday_date(hol, name, int(c.g("y"))), "day", "absolute")
    ref, anchor = ctx.reference()
    if ref is None:
        return Resolution("DATE", "XXXX-XX-XX")
    day = cal.floor(ref, "day")
    if c.g("ago"):  # "two Christmases ago": the second one before the reference
        n = _num(ctx.lex, c.g("n"))
        if not isinstance(n, int) or not 0 < n < 1000:
            return None
        past = [o for o in (_holiday_date(hol, name, y) for y in range(ref.year - n - 1, ref.year + 1))
                if o < day]
        return _date(past[-n], "day", anchor)
    options = [_holiday_date(hol, name, y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    step = ctx.lex.relative[c.g("dem").lower()] if c.g("dem") else 0
    ahead = next(o for o in options if o > day)  # (next year's always is)
    if step < 0:
        pick = [o for o in options if o < day][-1]
    elif step > 0:
        pick = ahead
    else:
        pick = _by_tense(options, "day", ref, ctx.tense(c))
        if (day - pick).days > 300 and (ahead - day).days < 40 \
                and c.signal not in ctx.lex.since_signals:
            pick = ahead  # as a month: the feast just ahead, not the one a year back
    return _date(pick, "day", anchor)


def day_range(c: Candidate, ctx: Context) -> Resolution | None:
    """"Oct. 20-22": one span of days; the value names its first day."""
    first = month_day(c, ctx) if not c.g("y") else None
    m, d = _month(ctx.lex, c.g("m")), int(c.g("d"))
    m2, d2 = (_month(ctx.lex, c.g("m2")) if c.g("m2") else m), int(c.g("d2"))
    try:
        if c.g("y"):
            start = datetime(int(c.g("y")), m, d)
            anchor = "absolute"
        elif first is not None and first.interval is not None:
            start, anchor = first.interval[0], first.anchor
        else:
            return Resolution("DATE", f"XXXX-{m:02d}-{d:02d}")
        end = datetime(start.year + (m2 < m), m2, d2) + timedelta(days=1)
    except ValueError:
        return None
    if end <= start:
        return None
    return Resolution("DATE", cal.timex(start, "day"), (start, end, "day"), anchor)


def year_range_end(c: Candidate, ctx: Context) -> Resolution | None:
    """The "99" of "1998–99": that year in the century of the year before the dash."""
    first = int(ctx.text[c.start - 5:c.start - 1])
    y = (first // 100) * 100 + int(c.g("yy"))
    if y <= first:
        return None
    return _date(datetime(y, 1, 1), "year", "absolute")


def part_of_period(c: Candidate, ctx: Context) -> Resolution | None:
    """"the first week of October", "the last day of the month": a part of a
    period resolved like the period itself."""
    a, b = c.groups["_inner_span"]
    saved, ctx.forced_tense = ctx.forced_tense, ctx.tense(c)  # "last" is the ordinal here
    try:
        inner = _resolve_span(ctx, a, b)
    finally:
        ctx.forced_tense = saved
    if inner is None or inner.interval is None:
        return None
    start, end, gran = inner.interval
    ordinal = ctx.lex.data["ordinals"][c.g("ord").lower()]
    unit = c.g("u").lower()
    if unit in ("half", "quarter"):  # granularities (labels), not the unit table
        k = 2 if unit == "half" else 4
        i = ordinal - 1 if ordinal > 0 else k - 1
        if i >= k:
            return None
        if gran == "year":  # halves and quarters of a year are whole months
            lo, hi = cal.shift(start, "month", 12 // k * i), cal.shift(start, "month", 12 // k * (i + 1))
        else:
            lo, hi = cal.fraction(start, end, i / k, (i + 1) / k, gran)
        value = inner.value if gran != "year" else (
            f"{start.year:04d}-{'H' if unit == 'half' else 'Q'}{i + 1}")
        gran_out = "half" if unit == "half" else ("quarter" if gran == "year" else gran)
        return Resolution("DATE", value, (lo, hi, gran_out),
                          inner.anchor, mod=("START" if i == 0 else "END") if unit == "half"
                          and gran != "year" else None)
    letter = ctx.lex.units[unit][1]
    days = {"D": 1, "W": 7, "WE": 2}[letter]
    if ordinal > 0:
        lo = start + timedelta(days=days * (ordinal - 1))
    else:
        lo = end - timedelta(days=days)
    hi = min(lo + timedelta(days=days), end)
    if lo >= end:
        return None
    gran_out = "day" if letter == "D" else "week"
    value = cal.timex(lo, "day") if letter == "D" else cal.timex(lo + timedelta(days=3), "week")
    return Resolution("DATE", value, (lo, hi, gran_out), inner.anchor)


def part_of_day_of_date(c: Candidate, ctx: Context) -> Resolution | None:
    """"the night of 20 June 1791": that part of the day the date names."""
    inner = _resolve_span(ctx, *c.groups["_inner_span"])
    if inner is None or inner.interval is None or inner.interval[2] != "day":
        return inner
    res = _with_part_of_day(inner.interval[0], c.g("pod"), inner.anchor, ctx.lex, inner.tense)
    if c.g("pmod"):
        res.mod = _mod(ctx.lex, c.g("pmod"))
    return res


def _resolve_span(ctx: Context, a: int, b: int) -> Resolution | None:
    """Resolve the longest expression inside ctx.text[a:b] with the same context."""
    from .extract import find  # a late import: extract imports this module
    best = None
    # failing alone, with the words before: "of March" is a month, "March" alone need not be
    for lo in (a, max(0, a - 12)):
        for sub in find(ctx.text[lo:b], ctx.lex, anchored=False):
            if sub.start + lo >= a and (best is None or sub.end - sub.start > best.end - best.start):
                best = sub
        if best is not None:
            break
    if best is None:
        return None
    shifted = Candidate(best.rule, best.start + lo, best.end + lo, best.x_start + lo,
                        best.x_end + lo, best.groups)
    return HANDLERS[best.rule.handler](shifted, ctx)



# handler name (the rule's ``handler``) -> function; ``set_`` is "set"
HANDLERS = {f.__name__.rstrip("_"): f for f in (
    full_date, numeric_date, month_day, month_year, month, rel_month, month_rel_year, year, decade,
    season, rel_season, quarter, half, deictic_day, part_of_day, weekday, rel_weekday, rel_unit, offset,
    in_n, take_n, span_duration, duration, window, present, period_part, clock, set_, year_ago,
    year_end, year_period, year_spoken, season_tense, holiday, century, day_range,
    around_event, ordinal_day, final_day, judged_day, part_of_period, part_of_day_of_date,
    year_range_end, year_era, decade_era, century_era,
    unit_twice_removed,
    year_apostrophe)}
