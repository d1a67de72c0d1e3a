"""How consistent is a TimeML gold with itself, where the tagger's values differ from it?

    python benchmarks/gold_consistency.py ../shared/corpora/tbaq

For every gold TIMEX3 the "form" of its value (type, granularity, underspecified
or not: "DATE:week", "DATE:week:X", "DURATION:duration weeks") is counted per
lower-cased phrase. Then, over the tagger's value mismatches, prints how many
are instances where the gold deviates from the form it gives that phrase most
often while the tagger's value has that majority form ("last week" is a week
eleven times in TimeBank/AQUAINT, XXXX-WXX seven, a month three), and how many
are day values exactly a week from the tagger's (documents whose weekdays sit a
week off their creation time). Both are mismatches that no consistent rule
about English can remove; the script also prints how many more right values a
value F1 target needs.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from datetime import date

from timeline.evaluate import evaluate_paths, tml_files, value_granularity
from timeline.sources.timeml import read_timeml


def _form(t) -> str:
    return f"{t.type}:{value_granularity(t.value)}" + (":X" if "X" in t.value else "")


def _phrase(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().strip())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--target", type=float, default=88.0, help="value F1 target (percent)")
    args = ap.parse_args(argv)
    forms = defaultdict(Counter)
    for f in tml_files(args.gold):
        for g in read_timeml(f)[1]:
            forms[_phrase(g.text)][_form(g)] += 1
    rep = evaluate_paths(args.gold, errors=True)
    s = rep.scores
    mismatches = [e for e in rep.errors if e.kind == "value"]
    off = week = 0
    for e in mismatches:
        counts = forms[_phrase(e.gold.text)]
        major = counts.most_common(1)[0][0]
        if sum(counts.values()) > 1 and _form(e.gold) != major and _form(e.pred) == major:
            off += 1
        try:
            a, b = date.fromisoformat(e.gold.value[:10]), date.fromisoformat(e.pred.value[:10])
            week += len(e.gold.value) == 10 and abs((a - b).days) == 7
        except ValueError:
            pass
    need = args.target / 100 * (s.pred + s.gold) / 2
    print(f"value mismatches (spans matched, values differ): {len(mismatches)}")
    print(f"  gold off its own majority form for the phrase, tagger on it: {off}")
    print(f"  day values exactly a week apart: {week}")
    print(f"right values {s.value}; value F1 {args.target:g} needs {need:.0f} "
          f"({max(0, need - s.value):.0f} more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
