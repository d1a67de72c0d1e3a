"""The date resolver: find temporal expressions and anchor them.

    tag(text, published)                  -> list[TimeMention]
    resolve_phrase(phrase, anchor, tense) -> TimeMention | None

News mode (a publication date is given): deictic expressions ("today", "last
week") anchor to the publication date, anaphoric ones ("two days later", "that
month") to the previous date mentioned.  Narrative mode (no publication date):
everything relative anchors to the previous date mentioned; before any, the
mention keeps its value with X placeholders and gets no interval.
"""
from __future__ import annotations

import re

from dataclasses import replace
from datetime import date, datetime, timedelta

from .. import budget
from ..model import GRANULARITIES, Interval, TimeMention
from . import calendar as cal
from . import phrase as phrase_mod
from .extract import find
from .landmark import anchor_on_events
from .lexicon import load
from .resolve import HANDLERS, Candidate, Context, Resolution, rel_weekday, weekday

__all__ = ["tag", "resolve_phrase", "read_phrase", "TENSES"]
TENSES = ("past", "present", "future")
_PART_MODS = ("START", "MID", "END")
_ANCHORING = ("time", "day", "week", "month", "quarter", "half", "season", "year")



def tag(text: str, published: date | datetime | None = None, *, lang: str = "en",
        tense: str | None = None) -> list[TimeMention]:
    """Every temporal expression in ``text`` resolved against ``published``."""
    lex = load(lang)
    dct = cal.as_datetime(published) if published is not None else None
    candidates = list(find(text, lex))
    ctx = Context(text=text, dct=dct, lex=lex, forced_tense=tense,
                  narrative=dct is not None and is_narrative(text, dct, candidates, lex))
    out = []
    for c in candidates:
        budget.check()
        ctx.handler = c.rule.handler
        try:
            res = HANDLERS[c.rule.handler](c, ctx)
            mention = None if res is None else _mention(text, c, res, ctx)
        except (ValueError, OverflowError) as e:
            if not cal.outside_calendar(e):
                raise
            continue  # "4000 years ago" from 2022: before year 1, no date can hold it
        if mention is None:
            continue
        if c.rule.handler == "day_range" and mention.interval is not None:
            for end in _range_ends(text, c, mention):  # TimeML tags each end
                out.append(end)
                _list_day(text, end, ctx)
            continue
        out.append(mention)
        _list_day(text, mention, ctx)
        iv = res.interval  # a BC date has one here, though not in its mention
        if (iv is not None and mention.dated and iv[2] in _ANCHORING
                and not res.comparison
                and not mention.value.endswith("_REF")
                # a deadline ahead is no reference; one the clause has reached is
                # ("stalemated by 1940. In August of that year": 1940)
                and not (mention.deadline and ctx.tense(c) != "past")
                and not (ctx.narrative and res.anchor == "publication")):  # the story's time
            # moves with the story, not with "today" or "two years ago"
            ctx.previous = (res.interval[0], res.interval[2])
            ctx.last[res.interval[2]] = (res.interval[0], len(out), res.interval[2])
            if res.anchor == "absolute":
                ctx.absolute = res.interval[0]
            if (ctx.narrative and _moves_story(res, c, ctx)  # only narratives read it
                    and not _ends_range(text, out, lex)
                    and ctx.tense(c) != "future"):  # "a campaign planned for 1976" looks ahead
                ctx.story = (res.interval[0], res.interval[2])
    out = anchor_on_events(text, _join_era_year(text, _join_day_clock(text, out), lex), lex, dct)
    out = _day_lists(text, _share_year(text, _join_durations(text, out, lex), lex), lex)
    return _fiscal_year_end(text, _link_ranges(text, out, lex), lex, dct)


_LIST_GAP = re.compile(r"[\s,–-]*")


def _list_day(text: str, m: TimeMention, ctx: Context) -> None:
    """Keep the list of days being read ("May 2 - 3, 9 - 10"), for a weekday
    that names them after it (:func:`resolve._listed_weekday`)."""
    if m.interval is None or m.interval.granularity != "day" or m.end <= ctx.listed_end:
        return
    if ctx.listed and _LIST_GAP.fullmatch(text, ctx.listed_end, m.start):
        ctx.listed.append(m.interval.start)
    else:
        ctx.listed = [m.interval.start]
    ctx.listed_end = m.end


_DURATION_PART = re.compile(r"(\d+)([YMWDHS])")
_DURATION_ORDER = ("Y", "M", "W", "D", "TH", "TM", "TS")  # largest first


def _duration_parts(value: str) -> list[tuple[str, int]] | None:
    """("Y", 2), ("TH", 3)... of a counted TIMEX3 duration ("P2Y", "PT3H"); None
    for a vague one ("PXD") or a fraction."""
    m = re.fullmatch(r"P((?:\d+[YMWD])*)(?:T((?:\d+[HMS])+))?", value)
    if not m or not (m.group(1) or m.group(2)):
        return None
    parts = [(u, int(n)) for n, u in _DURATION_PART.findall(m.group(1) or "")]
    return parts + [("T" + u, int(n)) for n, u in _DURATION_PART.findall(m.group(2) or "")]


def _join_durations(text: str, mentions: list[TimeMention], lex) -> list[TimeMention]:
    """"2 hours and 15 minutes", "three years, two months": one DURATION
    (PT2H15M), as TimeML tags it, when each part counts a smaller unit."""
    joiners = lex.data["durations"]["joiners"]
    out: list[TimeMention] = []
    for m in mentions:
        a = out[-1] if out else None
        if a is not None and a.type == m.type == "DURATION" and a.interval is None \
                and m.interval is None and not a.mod and not m.mod \
                and " ".join(text[a.end:m.start].split()).lower() in joiners:
            pa, pm = _duration_parts(a.value), _duration_parts(m.value)
            if pa and pm and _DURATION_ORDER.index(pa[-1][0]) < _DURATION_ORDER.index(pm[0][0]):
                parts = pa + pm
                date = "".join(f"{n}{u}" for u, n in parts if not u.startswith("T"))
                clock = "".join(f"{n}{u[1:]}" for u, n in parts if u.startswith("T"))
                out[-1] = replace(a, text=text[a.start:m.end], end=m.end,
                                  value=f"P{date}{'T' + clock if clock else ''}",
                                  rule=f"{a.rule}+{m.rule}", phrase=text[a.phrase_start:m.phrase_end],
                                  phrase_end=m.phrase_end)
                continue
        out.append(m)
    return out


def _day_lists(text: str, mentions: list[TimeMention], lex) -> list[TimeMention]:
    """"May 2 - 3, 9 - 10, 16 - 17", "on June 3, 10 and 17": bare day numbers
    listed after a day of a named month are days of that month (each its own
    TIMEX3). Each must be later than the one before and stand alone: "May 2, 3
    people died" lists no day."""
    item = re.compile(lex.data["day_lists"]["item"], re.IGNORECASE)
    out: list[TimeMention] = []
    for n, m in enumerate(mentions):
        out.append(m)
        iv = m.interval
        if iv is None or iv.granularity != "day" or not _DAY_VALUE.match(m.value) \
                or m.value[10:] or not (m.range is not None or re.search(r"[^\W\d_]", m.text)):
            continue
        nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
        pos, day = m.end, iv.start
        while (hit := item.match(text, pos)) and hit.end("d") <= nxt:
            d = int(hit.group("d"))
            if not day.day < d <= 31:
                break
            try:
                day = day.replace(day=d)
            except ValueError:  # 31 in a month of 30
                break
            s, e = hit.span("d")
            out.append(replace(m, text=text[s:e], start=s, end=e, value=cal.timex(day, "day"),
                               interval=Interval(day, day + timedelta(days=1), "day"),
                               phrase=text[s:e], phrase_start=s, phrase_end=e, signal=None,
                               rule=f"{m.rule}+list", range=None))
            pos = e
    return out


def _fiscal_year_end(text: str, mentions: list[TimeMention], lex, dct) -> list[TimeMention]:
    """"the fiscal year, which closes on June 30", "fiscal 2024 ending March 31": a
    fiscal year whose last day is written ends there; it is named by the calendar
    year it ends in, and "the fiscal year" is the one under way at publication."""
    fy = lex.data["fiscal_years"]
    end_gap = re.compile(fy["end_gap"], re.IGNORECASE)
    out = list(mentions)
    for i in range(len(out) - 1):
        m, last = out[i], out[i + 1]
        if m.interval is None or m.interval.granularity != "year" or last.interval is None \
                or last.interval.granularity != "day" \
                or not set(re.findall(r"[a-z]+", m.phrase.lower())) & set(fy["words"]) \
                or not end_gap.fullmatch(text[m.end:last.start]):
            continue
        month, day = last.interval.start.month, last.interval.start.day
        year = m.interval.start.year
        if m.anchor == "publication" and dct is not None:  # "the (next) fiscal year"
            current = dct.year + ((dct.month, dct.day) > (month, day))
            year = current + (year - dct.year)
        elif m.anchor != "absolute":
            continue
        try:
            end = datetime(year, month, day) + timedelta(days=1)
        except ValueError:  # 29 February of a common year
            continue
        # the calendar year's interval moved onto the fiscal one: a part of it ("the
        # end of the fiscal year") stays that part; a deadline still runs from now
        iv, shift = m.interval, end - datetime(int(m.value[:4]) + 1, 1, 1)
        start = iv.start if m.deadline else iv.start + shift
        out[i] = replace(m, value=str(year), rule=f"{m.rule}+{fy['rule']}",
                         interval=Interval(start, iv.end + shift, "year"),
                         phrase=text[m.phrase_start:last.end], phrase_end=last.end)
    return out


def _share_year(text: str, mentions: list[TimeMention], lex) -> list[TimeMention]:
    """"on 3 March and 9 April 2022", "from March to May 2021": the year written on
    the second conjunct is the first one's too (the year before, if that one
    would come after it)."""
    joiners = lex.data["ranges"]["joiners"]
    out = list(mentions)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.interval is None or b.interval is None or a.anchor == "absolute" \
                or b.anchor != "absolute" or b.start - a.end > 12:
            continue
        gran = a.interval.granularity
        if gran not in ("day", "month") or b.interval.granularity not in ("day", "month"):
            continue
        if " ".join(text[a.end:b.start].split()).lower().strip(",") not in joiners:
            continue
        year = b.interval.start.year
        start = a.interval.start
        try:
            moved = start.replace(year=year)
            if moved >= b.interval.end:
                moved = start.replace(year=year - 1)
        except ValueError:  # 29 February
            continue
        if moved == start:
            continue
        end = cal.shift(moved, gran, 1)
        out[i] = replace(a, interval=Interval(moved, end, gran), value=cal.timex(moved, gran),
                         anchor="absolute")
    return out


_CLOCK_VALUE = re.compile(r"T\d\d:\d\d")
_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d(?:T(?:MO|AF|EV|NI))?$")
_DAY_CLOCK_GAP = re.compile(r"\s*,?\s*")  # "this Sat, 7pm", "May 10, 2014 2pm"; not "today at 9am"
_CLOCK_DAY_GAP = re.compile(r"\s+")  # "7pm tonight" (but "10:57 on 11 November": two, as annotated)


_PART_OF_YEAR = re.compile(r"(?:BC)?\d{4}(-(?:0[1-9]|1[0-2]|SP|SU|FA|WI))")
_BC_YEAR = re.compile(r"BC\d{4}")


def _join_era_year(text: str, mentions: list[TimeMention], lex) -> list[TimeMention]:
    """A month or season and the BC year after it are one date ("April 480 BC",
    "the autumn of 481 BC"): the rules' years are the common era's."""
    joiners = lex.data["ranges"]["era_year_joiners"]
    out: list[TimeMention] = []
    for m in mentions:
        a = out[-1] if out else None
        part = a is not None and a.type == "DATE" and _PART_OF_YEAR.fullmatch(a.value)
        if part and _BC_YEAR.fullmatch(m.value) \
                and " ".join(text[a.end:m.start].split()).lower() in joiners:
            out[-1] = replace(a, text=text[a.start:m.end], end=m.end, interval=None,
                              value=m.value + part.group(1), anchor=m.anchor,
                              rule=f"{a.rule}+{m.rule}", phrase=text[a.phrase_start:m.phrase_end],
                              phrase_end=m.phrase_end)
            continue
        out.append(m)
    return out


def _join_day_clock(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """A day and a clock time side by side are one TIME ("this Sat, 7pm",
    "Wednesday 12 October 2022 08:15", "7pm tonight"): the clock on that day."""
    out: list[TimeMention] = []
    for m in mentions:
        a = out[-1] if out else None
        if a is not None and a.interval is not None and m.interval is not None:
            gap = text[a.end:m.start]
            day = clock = None
            if _DAY_VALUE.match(a.value) and _CLOCK_VALUE.search(m.value) \
                    and _DAY_CLOCK_GAP.fullmatch(gap):
                day, clock = a, m
            elif _CLOCK_VALUE.search(a.value) and _DAY_VALUE.match(m.value) \
                    and _CLOCK_DAY_GAP.fullmatch(gap):
                day, clock = m, a
            if day is not None:
                d0 = datetime(day.interval.start.year, day.interval.start.month, day.interval.start.day)
                c0 = clock.interval.start
                t = d0 + timedelta(hours=c0.hour, minutes=c0.minute)
                out[-1] = replace(
                    clock, text=text[a.start:m.end], start=a.start, end=m.end,
                    value=t.strftime("%Y-%m-%dT%H:%M"), anchor=day.anchor,
                    interval=Interval(t, t + (clock.interval.end - c0), "time"),
                    phrase=text[a.phrase_start:m.phrase_end], phrase_start=a.phrase_start,
                    phrase_end=m.phrase_end, signal=a.signal, rule=f"{a.rule}+{m.rule}")
                continue
        out.append(m)
    return out


STORY_ANCHORS = ("absolute",)  # what moves a narrative's time forward ...
# ... and a day or month the story's year placed, when it lies ahead of the story's
# time ("In February 1950 ... on May 25 ... on September 15": 1950 still)
STORY_ROLLING = frozenset({"month_day", "month"})


def _moves_story(res, c, ctx) -> bool:
    if res.anchor in STORY_ANCHORS:
        return True
    return (c.rule.handler in STORY_ROLLING and res.anchor == "previous"
            and ctx.story is not None and res.interval[0] >= ctx.story[0])


_YEAR = re.compile(r"(?<![\d,.$£€-])(1[0-9]{3}|20[0-9]{2})(?![\d,.%]\d|\d)")
NARRATIVE_YEARS = 3  # at least this many written years ...
NARRATIVE_GAP = 10  # ... with a median this many years before publication
NEWS_DAY_SHARE = 0.1  # and days around publication fewer than this share of them
# A chronicle of recent years (a Wikipedia article on a war still going on) is a
# narrative too: many written years, many different ones, almost no news days
CHRONICLE_YEARS, CHRONICLE_DISTINCT, CHRONICLE_DAY_SHARE = 20, 5, 0.05


# expressions that only news uses: the days around its own publication
_NEWS_HANDLERS = frozenset({"deictic_day", "weekday", "rel_weekday"})


def _range_ends(text: str, c, whole: TimeMention) -> list[TimeMention]:
    """"Oct. 20-22" / "10-12 October" as its two ends ("Oct. 20", "22"; "10",
    "12 October"), each its own day, both carrying the whole span as ``range``."""
    spans, iv = c.groups["_spans"], whole.interval
    first_day, last_day = iv.start, iv.end - timedelta(days=1)
    a_start, a_end = c.x_start, spans["d"][1]
    b_start, b_end = spans["m2"][0] if "m2" in spans else spans["d2"][0], c.x_end
    span = Interval(iv.start, iv.end, "day")
    ends = []
    for (s, e, day) in ((a_start, a_end, first_day), (b_start, b_end, last_day)):
        while e > s and not text[e - 1].isalnum():
            e -= 1
        ends.append(replace(whole, text=text[s:e], start=s, end=e, value=cal.timex(day, "day"),
                            interval=Interval(day, day + timedelta(days=1), "day"), range=span,
                            phrase_start=whole.phrase_start if s == a_start else s,
                            phrase_end=e, phrase=text[whole.phrase_start if s == a_start else s:e]))
    return ends


def _ends_range(text: str, out: list[TimeMention], lex) -> bool:
    """Whether the last mention of ``out`` closes a range opened by the one before
    ("1975-1976", "from 1861 to 1865"): a story is at a range's start."""
    if len(out) < 2:
        return False
    a, b = out[-2], out[-1]
    joiner = " ".join(text[a.end:b.start].split()).lower()
    ranges = lex.data["ranges"]
    return b.start - a.end <= 12 and joiner in ranges["joiners"] and joiner not in ranges["paired"]


def is_narrative(text: str, published: datetime, candidates=(), lex=None) -> bool:
    """Whether ``text`` tells a story far from its publication (a history, a
    Wikipedia article): most of the years it writes lie long before it, and it
    seldom names a day around its publication ("today", "on Friday": that is
    news recalling history, whose bare months are its own)."""
    years = [int(y) for y in _YEAR.findall(text)]
    years += [-int(c.g("y")) for c in candidates if c.rule.handler == "year_era" and c.g("y")
              and lex is not None and c.g("era") in lex.data["eras"]["before"]]  # "264 BC"
    years.sort()
    if len(years) < NARRATIVE_YEARS:
        return False
    news_days = sum(c.rule.handler in _NEWS_HANDLERS for c in candidates)
    if news_days >= NEWS_DAY_SHARE * len(years):
        return False
    if (len(years) >= CHRONICLE_YEARS and len(set(years)) >= CHRONICLE_DISTINCT
            and news_days < CHRONICLE_DAY_SHARE * len(years)):
        return True
    return published.year - years[len(years) // 2] >= NARRATIVE_GAP


def _weekday_rules(lex) -> frozenset[str]:
    """Names of the rules that name a day of the week ("Friday", "next Friday")."""
    return frozenset(r.name for r in lex.rules if HANDLERS[r.handler] in (weekday, rel_weekday))


def _after(b: TimeMention, a: TimeMention, lex) -> TimeMention | None:
    """The end ``b`` of a range moved a year (a weekday: a week) forward until it
    ends after the start ``a``, when the text gave it no year of its own."""
    iv, gran = b.interval, b.interval.granularity
    if b.anchor == "absolute" or gran not in ("day", "month", "season", "quarter"):
        return None
    step = ("week", 1) if b.rule in _weekday_rules(lex) else ("year", 1)
    start = iv.start
    for _ in range(2):
        start = cal.shift(start, *step)
        if a.interval.start < cal.shift(start, gran, 1):
            end = cal.shift(start, gran, 1)
            return replace(b, interval=Interval(start, end, gran), value=cal.timex(start, gran))
    return None


def _link_ranges(text: str, mentions: list[TimeMention], lex) -> list[TimeMention]:
    """Give "from March to May" / "between 2015 and 2018" / "Monday-Friday" one span."""
    ranges = lex.data["ranges"]
    joiners, openers, bare, paired = (ranges["joiners"], ranges["openers"], ranges["bare"],
                                      ranges["paired"])
    out = list(mentions)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.interval is None or b.interval is None or a.range is not None:
            continue
        joiner = " ".join(text[a.end:b.start].split()).lower()
        if joiner not in joiners or b.start - a.end > 12:
            continue
        opened = a.signal in openers
        if joiner in paired and a.signal != paired[joiner]:
            continue  # "in May and June" lists two dates
        if not (opened or joiner in bare):
            continue
        if not a.interval.start < b.interval.end:
            b = _after(b, a, lex)  # "from March to May": the May after that March
            if b is None:
                continue
            out[i + 1] = b
        whole = Interval(a.interval.start, b.interval.end,
                         max(a.interval.granularity, b.interval.granularity, key=GRANULARITIES.index))
        out[i] = replace(a, range=whole)
        out[i + 1] = replace(b, range=whole, phrase_start=b.phrase_start)
    return out


def _mention(text: str, c: Candidate, res: Resolution, ctx: Context) -> TimeMention:
    mod = c.mod or res.mod or ("APPROX" if c.approx else None)
    iv, value = res.interval, res.value
    if iv is not None and cal.is_bc(iv[0]):  # a date before the common era: a value only
        if value[:1].isdigit():
            value = cal.bc_timex(value, iv[2])
        iv = None
    if iv is not None and c.mod in _PART_MODS and res.dated:
        dct = ctx.dct
        if c.mod_word in ctx.lex.relative_modifiers and dct is not None and iv[0] <= dct < iv[1]:
            # "later in November" said on 3 November: from then to its end
            day = cal.floor(dct, "day")
            iv = (iv[0], day + timedelta(days=1), iv[2]) if c.mod == "START" \
                else (day, iv[1], iv[2])
        else:
            a, b = cal.fraction(iv[0], iv[1], *c.mod_frac, iv[2])
            iv = (a, b, iv[2])
    deadline = c.signal in ctx.lex.deadline_signals
    if iv is not None and deadline and ctx.dct is not None \
            and res.dated and iv[1] > ctx.dct:
        # "before the end of this year": expected from publication to the deadline
        iv = (max(ctx.dct, min(iv[0], ctx.dct)), iv[1], iv[2])
    if iv is not None and not iv[0] < iv[1]:
        iv = None  # "the next hour" from a publication day with no clock: no span to give
    interval = Interval(iv[0], iv[1], iv[2]) if iv is not None else None
    return TimeMention(
        text=text[c.x_start:c.x_end], start=c.x_start, end=c.x_end,
        type=res.type, value=value, mod=mod, interval=interval,
        anchor=res.anchor, rule=c.rule.name, tense=res.tense,
        phrase=text[c.phrase_start:c.end], phrase_start=c.phrase_start, phrase_end=c.end,
        signal=c.signal, freq=res.freq, quant=res.quant, deadline=deadline, dates=res.dates,
    )


def resolve_phrase(phrase: str, anchor: date | datetime, tense: str | None = None,
                   lang: str = "en") -> TimeMention | None:
    """The longest temporal expression in ``phrase`` resolved against ``anchor``,
    composed with the duration counted from it ("a week from Tuesday")."""
    return read_phrase(phrase, anchor, tense=tense, lang=lang).mention


def read_phrase(phrase: str, anchor: date | datetime, tense: str | None = None,
                lang: str = "en") -> phrase_mod.Reading:
    """What ``phrase`` means relative to ``anchor``, and which of its words no
    expression read (:mod:`timeline.temporal.phrase`)."""
    def duration(words: str) -> str | None:
        found = tag(words, anchor, lang=lang)
        return found[0].value if len(found) == 1 and found[0].type == "DURATION" else None
    return phrase_mod.read(phrase, tag(phrase, anchor, lang=lang, tense=tense), load(lang),
                           duration)
