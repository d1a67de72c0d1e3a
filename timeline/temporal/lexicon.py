"""Load a language's resource file and compile its rules, once per process."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lang as lang_pack
from ..lang import alternation


@dataclass(frozen=True)
class Rule:
    name: str
    handler: str
    regex: re.Pattern
    order: int
    examples: tuple[str, ...]
    anchors: tuple[str, ...]  # trigger classes; every match contains one


@dataclass(frozen=True)
class Lexicon:
    lang: str
    pack: lang_pack.Pack
    data: dict
    rules: tuple[Rule, ...]
    anchor_words: dict[str, frozenset[str]]  # lowercase word -> the trigger classes it starts
    capitalised: frozenset[str]  # classes whose words count only when capitalised ...
    lower_names: frozenset[str]  # ... or when one of these ("friday", "xmas"; the rules decide)
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, float]
    units: dict[str, tuple[str, str]]  # singular unit -> (granularity, letter)
    modifiers: dict[str, tuple[str, float, float]]
    modifier_re: re.Pattern  # a modifier right before an expression
    modifiers_outside: frozenset[str]  # quantity modifiers left out of the TimeML extent
    signal_re: re.Pattern  # a preposition right before an expression
    approx_after_re: re.Pattern  # "or so" right after an expression
    deadline_signals: frozenset[str]
    windows: dict[str, dict]
    tense_future: tuple[str, ...]
    future_re: re.Pattern
    tense_past: frozenset[str]
    tense_present: frozenset[str]
    not_past: frozenset[str]
    abbreviations: frozenset[str]
    not_future: tuple[str, ...]
    irrealis: frozenset[str]
    irrealis_except: frozenset[str]
    determiners: frozenset[str]
    degree_words: frozenset[str]
    auxiliaries: frozenset[str]
    past_perfect: frozenset[str]
    perfect_be: frozenset[str]  # "been" after "had": "had been due to"
    present_perfect: frozenset[str]
    target_signals: frozenset[str]
    since_fillers: frozenset[str]
    relative_pronouns: frozenset[str]  # "the ship that crashed on March 26 will ..."
    coordinators: re.Pattern  # "and", "but": a clause of its own may follow
    ambiguous_months: frozenset[str]
    unit_multiples: dict[str, tuple[str, int]]  # "fortnight" -> ("week", 2)
    month_abbreviations: frozenset[str]  # "aug", "sept": bare only after an opener ("in Aug")
    month_openers: frozenset[str]
    year_blockers: frozenset[str]
    rate_re: re.Pattern  # an amount right before "a year": "$2 million | a year"
    rate_articles: frozenset[str]
    quarter_words: tuple[str, ...]  # a phrase naming a quarter ("the year-ago quarter")
    thousand_words: tuple[str, ...]  # the scale word of a spoken year ("two thousand one")
    zero_words: tuple[str, ...]  # the zero of a spoken year ("nineteen oh five")
    relative: dict[str, int]  # "last" -> -1: periods from the reference
    anaphoric: frozenset[str]  # relative words counted from the date last named
    bare_relative: str  # what "the month" alone means ("the same month")
    anaphoric_after_article: frozenset[str]  # "the next day"
    definite: tuple[str, ...]  # "the " (with its space): "the next day" is anaphoric
    stretch_back: frozenset[str]  # "the past year": up to publication
    stretch_ahead: frozenset[str]  # "the coming hours": ahead
    since_signals: frozenset[str]  # signals that look back ("since Tuesday")
    decades: dict[str, int]  # "nineties" -> 90
    deictic_days: dict[str, int]  # "yesterday" -> -1
    deictic_parts_of_day: dict[str, str]  # "tonight" -> "night"
    part_words: dict[str, str]  # "earlier" -> "START"
    clock_words: dict[str, int]  # "noon" -> 12
    meridiem: dict[str, int]  # "pm" -> 12
    clock_after_re: re.Pattern  # what may follow the digits of a clock time
    set_adverbs: dict[str, str]  # "weekly" -> "P1W"
    frequency_words: dict[str, int]  # "twice" -> 2
    quantifiers: dict[str, str]  # "every" -> "EVERY"
    offset_directions: dict[str, tuple[int, str]]  # "ago" -> (-1, "publication")
    relative_modifiers: frozenset[str]  # "later in": relative to publication
    modal_future: frozenset[str]
    regular_past: str  # the ending of a regular past ("-ed")
    adverb_suffixes: tuple[str, ...]
    participle_endings: tuple[str, ...]
    period_words: frozenset[str]  # "the latest period": the reporting period last named
    year_end_modifier: str  # "by year end" is this modifier of this year
    dateparser_languages: tuple[str, ...]
    dateparser_settings: dict

    def unit(self, word: str) -> tuple[str, str, str]:
        """(singular, granularity, TIMEX letter) for a unit word, plural or not."""
        w = word.lower()
        if w not in self.units:
            w = self.pack.singular(w)
        gran, letter = self.units[w]
        # an abbreviation counts as its full word ("hr" as "hour": PT2H, not P2H)
        w = self.data["unit_abbreviations"].get(w, w)
        return w, gran, letter

    def is_plural(self, word: str) -> bool:
        """Whether a unit word is a plural ("days", "centuries")."""
        w = word.lower()
        return self.pack.singular(w) != w



# TIMEX3 mods of a quantity ("about two weeks"), not of a period ("early May")
QUANTITY_MODS = frozenset({"APPROX", "LESS_THAN", "MORE_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS"})

def _capitalised(words, lower=()) -> str:
    """Case-sensitive alternation accepting Title and UPPER case only (and lower
    case for the words of ``lower``: "friday night", "in november")."""
    forms = [f for w in words for f in (w.capitalize(), w.upper())]
    forms += [w for w in words if w in lower]
    return "(?-i:" + alternation(forms) + ")"


def _weekday_names(d: dict) -> str:
    """Weekday names as informal text writes them: full names and unambiguous
    abbreviations in any case ("thurs"), short ones that are words too ("Sat",
    "sun") only capitalised, or next to a part of day or a relative word."""
    wc = d["weekday_case"]
    lower, title = set(wc["any"]), set(wc["title"])
    free = [w for w in d["weekdays"] if w in lower]
    named = _capitalised(free, lower) + "|(?-i:" + alternation(
        [w.capitalize() for w in d["weekdays"] if w in title]) + ")"
    bound = [w for w in d["weekdays"] if w not in lower]
    forms = "(?-i:" + alternation([f for w in bound for f in (w, w.capitalize())]) + ")"
    # "this sun", "fri or sat": a relative word or a weekday and a joiner before it
    lefts = [*wc["before"], *(f"{w} {j}" for w in d["weekdays"] for j in wc["list_joiners"]),
             # "friday night or sat"
             *(f"{w} {p} {j}" for w in d["weekdays"] for p in wc["list_parts_of_day"]
               for j in wc["list_joiners"] if j.isalpha())]
    before = "|".join(f"(?<=(?<![\\w-]){re.escape(b)}\\s)" for b in lefts)
    after = alternation(wc["after"], group=True)
    return (f"(?:{named}|(?={forms})(?:{before}){forms}"
            f"|{forms}(?=\\s+{after}(?![\\w-])|,?\\s*\\d))")


def _full_names(table: dict) -> list[str]:
    """The longest name of each month (weekday) is the full one; the others abbreviate it."""
    full = {}
    for name, num in table.items():
        if len(name) > len(full.get(num, "")):
            full[num] = name
    return list(full.values())


def _hyphen_modifiers(d: dict) -> list[str]:
    """Modifiers written before a hyphen ("mid-2023", "end-October"), without it."""
    return [m[:-1] for m in d["modifiers"] if m.endswith("-")]


def _placeholders(d: dict, pack: lang_pack.Pack) -> dict[str, str]:
    months = d["months"]
    full = dict.fromkeys(_full_names(months))
    abbrevs = [m for m in months if m not in full]
    lower = frozenset(d["month_case"]["any"])
    month_full = _capitalised(full, lower)
    month_abbr = "(?-i:" + "|".join(
        f"{f}(?:\\.|\\b)" for a in sorted(abbrevs, key=len, reverse=True)
        for f in (a.capitalize(), a.upper(), *([a] if a in lower else []))) + ")"
    weekdays = d["weekdays"]
    wd_full = _full_names(weekdays)
    numbers = [n for n in d["numbers"]]
    tens = [n for n, v in d["numbers"].items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
    ones = [n for n, v in d["numbers"].items() if v in range(1, 10) and n.isalpha() and len(n) > 2]
    num = (r"(?:\d+(?:\.\d+|\s+[1-3]/[2-4])?|" + alternation(tens, group=True) + r"[\s-]"
           + alternation(ones, group=True) + "|" + alternation(numbers) + ")")
    suffixes = [re.escape(w).replace(r"\ ", r"\s+") for w in d["number_suffixes"]]
    if suffixes:  # "two and a half"
        num = f"(?:{num}(?:\\s+(?:{'|'.join(suffixes)}))?)"
    windows = d["windows"]
    deictic_day = [w for w in d["deictic_days"] if w not in d["deictic_parts_of_day"]]
    signals = {w for ws in d["signals"].values() for w in ws}
    offset_prep = [w for w in d["offset"] if w in signals]
    lists = {name: alternation(words, group=True)
             for name, words in [*d["lists"].items(), *d["anchor_words"].items()]}
    return {
        **lists,
        "MONTH": f"(?:{month_full}(?:(?![\\w-])|(?=-\\d))|{month_abbr})",  # "14 August-24 August"
        "MONTH_FULL": month_full,
        "MONTH_ABBR": month_abbr,
        "WEEKDAY": _weekday_names(d),
        # left boundary that still lets "mid-2023" and "end-October" through
        "LB": r"(?<!\w)(?:(?<!-)" + "".join(f"|(?<={re.escape(m)}-)" for m in _hyphen_modifiers(d)) + ")",
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])",
        "YEAR": r"(?:1[5-9]\d\d|20\d\d)",
        "NUM": num,
        "VAGUE": alternation(d["vague_numbers"], group=True),
        "UNIT": alternation([*d["units"], *map(pack.plural, d["units"])], group=True),
        "SEASON": alternation(d["seasons"], group=True),
        "TWICE_REMOVED": alternation(d["twice_removed"], group=True),
        "POD": alternation(d["parts_of_day"], group=True),
        "TZ": "(?-i:" + alternation(d["time_zones"]["words"]) + ")",
        "WINDOW": alternation(windows, group=True),
        "HOLIDAY": _holidays(d["holidays"], d["holiday_case"]["any"]),
        "ORDINAL_WORD": alternation(d["ordinal_words"], group=True),
        "PRESENT": alternation(d["present"]["words"], group=True),
        "APPROX_AFTER": alternation(d["approximate_after"]["words"], group=True),
        "DECADE_WORD": alternation(d["decades"], group=True),
        "DEICTIC": alternation(d["deictic_days"], group=True),
        "DEICTIC_DAY": alternation(deictic_day, group=True),  # a day word without its own part of day
        "PART_WORD": alternation(d["part_words"], group=True),
        "CLOCKWORD": alternation(d["clock_words"], group=True),
        "SETADV": alternation(d["set_adverbs"], group=True),
        "TIMES_WORD": alternation(d["frequency_words"], group=True),
        "QUANTIFIER": alternation(d["quantifiers"], group=True),
        "OFFSET_ADVERB": alternation([w for w in d["offset"] if w not in offset_prep], group=True),
        "OFFSET_PREPOSITION": alternation(offset_prep, group=True),
        # "on Tuesdays": Title case only (the rule is case-sensitive)
        "WEEKDAYS": alternation([pack.plural(w).capitalize() for w in wd_full], group=True),
        # "about", "nearly", "more than": modifiers of a quantity ("in about two weeks")
        "QUANTITY_MOD": alternation([w for w, (mod, *_) in d["modifiers"].items()
                                     if mod in QUANTITY_MODS], group=True),
        "ERA_BEFORE": alternation(d["eras"]["before"], group=True),
        "ERA_AFTER": alternation(d["eras"]["after"], group=True),
    }


def _holidays(h: dict, lower=()) -> str:
    """Holiday names, each word capitalised ("New Year's Day"), either apostrophe;
    those of ``lower`` in lower case too ("xmas")."""
    names = [n for group in h.values() for n in group]
    forms = sorted({" ".join(w[:1].upper() + w[1:] for w in n.split()) for n in names}
                   | {n.upper() for n in names} | {n for n in names if n in lower},
                   key=len, reverse=True)
    alts = [re.escape(f).replace("'", "['’]").replace(r"\ ", r"\s+") for f in forms]
    return "(?-i:" + "|".join(alts) + ")"


def _class_sources(d: dict) -> dict:
    """Trigger classes made of a resource table's words; a phrase anchors on its last word."""
    return {"MONTH": d["months"], "WEEKDAY": d["weekdays"], "UNIT": d["units"],
            "SEASON": d["seasons"], "POD": d["parts_of_day"], "WINDOW": d["windows"],
            "DECADE_WORD": d["decades"], "DEICTIC": d["deictic_days"],
            "CLOCKWORD": d["clock_words"], "SETADV": d["set_adverbs"],
            "PRESENT": d["present"]["words"], "ERA_BEFORE": d["eras"]["before"],
            "HOLIDAY": [n for group in d["holidays"].values() for n in group]}


_CAPITALISED = frozenset({"MONTH", "WEEKDAY", "HOLIDAY"})


def _anchor_index(d: dict, used: set[str]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Map each trigger word (lowercase) to the classes it anchors.  Digit
    classes (DIGIT, YEAR) are recognised by the tokenizer, not listed here."""
    words: dict[str, set[str]] = {}
    m = d["morphology"]  # a word and every plural form it may take ("day", "days", "daies")
    endings = [(len(suffix), repl) for suffix, repl, _ in m["plural_suffixes"]]

    def add(cls, phrase):
        w = re.findall(r"[a-z]+", phrase.lower())
        if w:
            last = w[-1]
            forms = [last, last + m["plural_default"], *(last[:-n] + r for n, r in endings)]
            for form in forms:
                words.setdefault(form, set()).add(cls)
    sources = _class_sources(d)
    for cls in used:
        entries = sources[cls] if cls in sources else d["anchor_words"].get(cls, ())
        for e in entries:
            add(cls, e)
    return {w: frozenset(c) for w, c in words.items()}, _CAPITALISED


def _expand(pattern: str, ph: dict[str, str]) -> str:
    return re.sub(r"\{([A-Z_]+)\}", lambda m: ph[m.group(1)], pattern)


@cache
def load(lang: str = "en") -> Lexicon:
    pack = lang_pack.load(lang)
    d = pack.temporal
    ph = _placeholders(d, pack)
    rules = []
    for i, r in enumerate(d["rule"]):
        flags = 0 if r.get("case_sensitive") else re.IGNORECASE
        try:
            rx = re.compile(_expand(r["pattern"], ph), flags)
        except re.error as e:  # a broken resource file must say which rule
            raise ValueError(f"rule {r['name']!r} in {lang}.toml: {e}") from None
        rules.append(Rule(r["name"], r["handler"], rx, i, tuple(r.get("examples", ())),
                          tuple(r["anchors"])))
    anchor_words, capitalised = _anchor_index(d, {a for r in rules for a in r.anchors})
    mods = {k: tuple(v) for k, v in d["modifiers"].items()}
    mod_words = [m for m in mods if not m.endswith("-")]
    modifier_re = re.compile(
        r"(?<![\w-])(?P<mod>" + alternation(mod_words) + r")\s+$|(?<![\w-])(?P<modh>"
        + alternation(_hyphen_modifiers(d)) + ")-$", re.IGNORECASE)
    sig = d["signals"]
    signals = sig["deadline"] + sig["since"] + sig["other"]
    signal_re = re.compile(r"(?<![\w-])(?P<sig>" + alternation(signals) + r")\s+$", re.IGNORECASE)
    # "10 a.m.", "3:30pm", "14:30": the meridiem letters with optional dots
    meridiem = "|".join(r"\.?".join(map(re.escape, w)) for w in sorted(d["meridiem"]))
    clock_after_re = re.compile(r"(?:[:.]\d\d)?\+?\s*(?:" + meridiem + r")\b|:\d\d", re.IGNORECASE)
    t = d["tense"]
    dp = d["dateparser"]
    return Lexicon(
        lang=lang,
        pack=pack,
        data=d,
        rules=tuple(rules),
        anchor_words=anchor_words,
        capitalised=capitalised,
        lower_names=frozenset([*d["weekdays"], *d["month_case"]["any"],
                               *(w for n in d["holiday_case"]["any"] for w in n.split())]),
        months=d["months"],
        weekdays=d["weekdays"],
        numbers={**d["numbers"]},
        units={k: tuple(v) for k, v in d["units"].items()},
        modifiers=mods,
        modifier_re=modifier_re,
        modifiers_outside=frozenset(d["modifier_extent"]["outside"]),
        signal_re=signal_re,
        approx_after_re=re.compile(r"\s+" + ph["APPROX_AFTER"] + r"(?![\w-])", re.IGNORECASE),
        deadline_signals=frozenset(d["signals"]["deadline"]),
        windows={k: v for k, v in d["windows"].items()},
        tense_future=tuple(t["future"]),
        future_re=re.compile(r"(?<![A-Za-z’'])" + alternation(t["future"], group=True).replace("'", "['’]")
                             + r"(?![A-Za-z])", re.IGNORECASE),
        tense_past=frozenset(t["past"]),
        tense_present=frozenset(t["present"]),
        not_past=frozenset(t["not_past"]),
        abbreviations=frozenset(pack.events["abbreviations"]["words"]),  # one list for both splitters
        not_future=tuple(t.get("not_future", ())),
        irrealis=frozenset(t.get("irrealis", ())),
        irrealis_except=frozenset(t.get("irrealis_except", ())),
        determiners=frozenset(t.get("determiners", ())),
        degree_words=frozenset(t.get("degree_words", ())),
        auxiliaries=frozenset(t.get("auxiliaries", ())),
        past_perfect=frozenset(t.get("past_perfect", ())),
        perfect_be=frozenset(t.get("perfect_be", ())),
        present_perfect=frozenset(t.get("present_perfect", ())),
        target_signals=frozenset(t.get("target_signals", ())),
        since_fillers=frozenset(t.get("since_fillers", ())),
        relative_pronouns=frozenset(t.get("relative_pronouns", ())),
        coordinators=re.compile(rf"\b{alternation(t.get('coordinators', ()), group=True)}\b",
                                re.IGNORECASE),
        ambiguous_months=frozenset(d["ambiguous_months"]["words"]),
        unit_multiples={w: (u, k) for w, (u, k) in d.get("unit_multiples", {}).items()},
        month_abbreviations=frozenset(d["months"]).difference(_full_names(d["months"])),
        month_openers=frozenset(d["ambiguous_months"]["after"]),
        year_blockers=frozenset(d["year_blockers"]["words"]),
        rate_re=re.compile(
            r"(?<![\w.,])(?:\d[\d,.]*|" + alternation([*d["numbers"], *d["rates"]["amount_words"]])
            + r")(?:\s+[A-Za-z]+)?\s+$", re.IGNORECASE),
        rate_articles=frozenset(d["rates"]["articles"]),
        quarter_words=tuple(d["anchor_words"]["QUARTER"]),
        thousand_words=tuple(d["anchor_words"]["THOUSAND"]),
        zero_words=tuple(d["period_words"]["zero"]),
        relative=d["relative"],
        anaphoric=frozenset(d["anaphoric"]["words"]),
        bare_relative=d["anaphoric"]["bare"],
        anaphoric_after_article=frozenset(d["anaphoric"]["after_article"]),
        definite=tuple(w + " " for w in d["articles"]["definite"]),
        stretch_back=frozenset(d["stretch"]["back"]),
        stretch_ahead=frozenset(d["stretch"]["ahead"]),
        since_signals=frozenset(sig["since"]),
        decades=d["decades"],
        deictic_days=d["deictic_days"],
        deictic_parts_of_day=d["deictic_parts_of_day"],
        part_words=d["part_words"],
        clock_words=d["clock_words"],
        meridiem=d["meridiem"],
        clock_after_re=clock_after_re,
        set_adverbs=d["set_adverbs"],
        frequency_words=d["frequency_words"],
        quantifiers=d["quantifiers"],
        offset_directions={k: tuple(v) for k, v in d["offset"].items()},
        relative_modifiers=frozenset(d["modifier_extent"]["relative"]),
        modal_future=frozenset(t["modal_future"]),
        regular_past=t["regular_past"],
        adverb_suffixes=tuple(t["adverb_suffixes"]),
        participle_endings=tuple(t["participle_endings"]),
        period_words=frozenset(d["anchor_words"]["PERIOD"]),
        year_end_modifier=d["year_end"]["modifier"],
        dateparser_languages=tuple(dp["languages"]),
        dateparser_settings={**dp["settings"], "DATE_ORDER": dp["date_order"]},
    )
