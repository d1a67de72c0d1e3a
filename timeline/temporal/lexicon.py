"""Load a language's resource file and compile its rules, once per process."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lang as lang_pack


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
    data: dict
    rules: tuple[Rule, ...]
    anchor_words: dict[str, frozenset[str]]  # lowercase word -> the trigger classes it starts
    capitalised: frozenset[str]  # classes whose words count only when capitalised
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
    present_perfect: frozenset[str]
    target_signals: frozenset[str]
    since_fillers: frozenset[str]
    ambiguous_months: frozenset[str]
    month_openers: frozenset[str]
    year_blockers: frozenset[str]
    rate_re: re.Pattern  # an amount right before "a year": "$2 million | a year"
    rate_articles: frozenset[str]
    quarter_words: tuple[str, ...]  # a phrase naming a quarter ("the year-ago quarter")
    thousand_words: tuple[str, ...]  # the scale word of a spoken year ("two thousand one")

    def unit(self, word: str) -> tuple[str, str, str]:
        """(singular, granularity, TIMEX letter) for a unit word, plural or not."""
        w = word.lower()
        if w == "centuries":
            w = "century"
        elif w not in self.units and w.endswith("s"):
            w = w[:-1]
        gran, letter = self.units[w]
        return w, gran, letter


def _alt(words, *, plural: bool = False) -> str:
    """A regex alternation of ``words``, longest first, spaces as \\s+."""
    forms = set()
    for w in words:
        forms.add(w)
        if plural:
            forms.add(w[:-1] + "ies" if w.endswith("y") and w[-2] not in "aeiou" else w + "s")
    ordered = sorted(forms, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def _capitalised(words) -> str:
    """Case-sensitive alternation accepting Title and UPPER case only."""
    forms = [f for w in words for f in (w.capitalize(), w.upper())]
    return "(?-i:" + _alt(forms)[3:]


def _placeholders(d: dict) -> dict[str, str]:
    months = d["months"]
    full = {}
    for name, num in months.items():  # the longest name of each month is the full one
        if len(name) > len(full.get(num, "")):
            full[num] = name
    abbrevs = [m for m in months if m not in full.values()]
    month_full = _capitalised(full.values())
    month_abbr = "(?-i:" + "|".join(
        f"{f}(?:\\.|\\b)" for a in sorted(abbrevs, key=len, reverse=True)
        for f in (a.capitalize(), a.upper())) + ")"
    weekdays = d["weekdays"]
    wd_full = [w for w in weekdays if w.endswith("day")]
    numbers = [n for n in d["numbers"]]
    tens = [n for n, v in d["numbers"].items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
    ones = [n for n, v in d["numbers"].items() if v in range(1, 10) and n.isalpha() and len(n) > 2]
    num = (r"(?:\d+(?:\.\d+|\s+[1-3]/[2-4])?|" + _alt(tens) + r"[\s-]" + _alt(ones) + "|"
           + _alt(numbers)[3:])
    windows = d["windows"]
    return {
        "MONTH": f"(?:{month_full}(?![\\w-])|{month_abbr})",
        "MONTH_FULL": month_full,
        "WEEKDAY": _capitalised(wd_full),
        # left boundary that still lets "mid-2023" and "end-October" through
        "LB": r"(?<!\w)(?:(?<!-)|(?<=mid-)|(?<=end-)|(?<=early-)|(?<=late-))",
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])",
        "YEAR": r"(?:1[5-9]\d\d|20\d\d)",
        "NUM": num,
        "VAGUE": _alt(d["vague_numbers"]),
        "UNIT": _alt(d["units"], plural=True),
        "SEASON": _alt(d["seasons"]),
        "POD": _alt(d["parts_of_day"]),
        "TZ": "(?-i:" + _alt(d["time_zones"]["words"])[3:],
        "WINDOW": _alt(windows),
        "HOLIDAY": _holidays(d["holidays"]),
        "ORDINAL_WORD": _alt(d["ordinal_words"]),
        "PRESENT": _alt(d["present"]["words"]),
        "APPROX_AFTER": _alt(d["approximate_after"]["words"]),
        "ERA_BEFORE": _alt(d["eras"]["before"]),
        "ERA_AFTER": _alt(d["eras"]["after"]),
    }


def _holidays(h: dict) -> str:
    """Holiday names, each word capitalised ("New Year's Day"), either apostrophe."""
    names = [n for group in h.values() for n in group]
    forms = sorted({" ".join(w[:1].upper() + w[1:] for w in n.split()) for n in names},
                   key=len, reverse=True)
    alts = [re.escape(f).replace("'", "['’]").replace(r"\ ", r"\s+") for f in forms]
    return "(?-i:" + "|".join(alts) + ")"


# Trigger classes made of a resource table's words; a phrase anchors on its last word.
_CLASS_SOURCES = {"MONTH": "months", "WEEKDAY": "weekdays", "UNIT": "units",
                  "SEASON": "seasons", "POD": "parts_of_day", "WINDOW": "windows"}
_CAPITALISED = frozenset({"MONTH", "WEEKDAY", "HOLIDAY"})


def _anchor_index(d: dict, used: set[str]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Map each trigger word (lowercase) to the classes it anchors.  Digit
    classes (DIGIT, YEAR) are recognised by the tokenizer, not listed here."""
    words: dict[str, set[str]] = {}

    def add(cls, phrase):
        w = re.findall(r"[a-z]+", phrase.lower())
        if w:
            last = w[-1]
            for form in (last, last + "s", last[:-1] + "ies"):
                words.setdefault(form, set()).add(cls)
    for cls in used:
        if cls in _CLASS_SOURCES:
            entries = d[_CLASS_SOURCES[cls]]
        elif cls == "PRESENT":
            entries = d["present"]["words"]
        elif cls == "HOLIDAY":
            entries = [n for group in d["holidays"].values() for n in group]
        else:
            entries = d["anchor_words"].get(cls, ())
        for e in entries:
            add(cls, e)
    return {w: frozenset(c) for w, c in words.items()}, _CAPITALISED


def _expand(pattern: str, ph: dict[str, str]) -> str:
    return re.sub(r"\{([A-Z_]+)\}", lambda m: ph[m.group(1)], pattern)


@cache
def load(lang: str = "en") -> Lexicon:
    d = lang_pack.load(lang).temporal
    ph = _placeholders(d)
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
        r"(?<![\w-])(?P<mod>" + _alt(mod_words)[3:-1] + r")\s+$|(?<![\w-])(?P<modh>mid|end|early|late)-$",
        re.IGNORECASE)
    signals = d["signals"]["deadline"] + d["signals"]["other"]
    signal_re = re.compile(r"(?<![\w-])(?P<sig>" + _alt(signals)[3:-1] + r")\s+$", re.IGNORECASE)
    t = d["tense"]
    return Lexicon(
        data=d,
        rules=tuple(rules),
        anchor_words=anchor_words,
        capitalised=capitalised,
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
        future_re=re.compile(r"(?<![A-Za-z’'])" + _alt(t["future"]).replace("'", "['’]")
                             + r"(?![A-Za-z])", re.IGNORECASE),
        tense_past=frozenset(t["past"]),
        tense_present=frozenset(t["present"]),
        not_past=frozenset(t["not_past"]),
        abbreviations=frozenset(t.get("abbreviations", ())),
        not_future=tuple(t.get("not_future", ())),
        irrealis=frozenset(t.get("irrealis", ())),
        irrealis_except=frozenset(t.get("irrealis_except", ())),
        determiners=frozenset(t.get("determiners", ())),
        degree_words=frozenset(t.get("degree_words", ())),
        auxiliaries=frozenset(t.get("auxiliaries", ())),
        past_perfect=frozenset(t.get("past_perfect", ())),
        present_perfect=frozenset(t.get("present_perfect", ())),
        target_signals=frozenset(t.get("target_signals", ())),
        since_fillers=frozenset(t.get("since_fillers", ())),
        ambiguous_months=frozenset(d["ambiguous_months"]["words"]),
        month_openers=frozenset(d["ambiguous_months"]["after"]),
        year_blockers=frozenset(d["year_blockers"]["words"]),
        rate_re=re.compile(
            r"(?<![\w.,])(?:\d[\d,.]*|" + _alt([*d["numbers"], *d["rates"]["amount_words"]])[3:]
            + r"(?:\s+[A-Za-z]+)?\s+$", re.IGNORECASE),
        rate_articles=frozenset(d["rates"]["articles"]),
        quarter_words=tuple(d["period_words"]["quarter"]),
        thousand_words=tuple(d["period_words"]["thousand"]),
    )
