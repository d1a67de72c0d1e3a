"""Score a merged timeline against a hand-made event gold (TOML).

    python -m timeline.eventeval tests/data/news_gold.toml INPUT... [--statements]

Figures (see tests/data/news_gold.toml for the format):
  coverage         gold mentions found as rows before merging
  date precision   merged rows holding a gold event whose interval lies inside
                   the gold date, over all merged rows holding a gold event
  event recall     gold events with a row dated right
  merge P/R/F1     pairwise: two found gold mentions in one row, against the
                   same gold event
  actors P/R       actors of the rows holding a gold event against its actors
  kind accuracy    rows holding a gold event with the gold kind
  once             gold events whose found mentions sit in exactly one row
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import combinations
from pathlib import Path

import pandas as pd

from .actors import actor_key
from .table import LIST_SEP


@dataclass
class GoldEvent:
    id: str
    start: pd.Timestamp
    end: pd.Timestamp
    kind: str | None
    actors: list[str]
    mentions: list[str]


def _interval(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, end) of an ISO value: 2022, 2022-09, 2022-09-23, 2022-W44."""
    if "-W" in value:
        y, w = value.split("-W")
        start = datetime.fromisocalendar(int(y), int(w), 1)
        return pd.Timestamp(start), pd.Timestamp(start + timedelta(days=7))
    parts = value.split("-")
    if len(parts) == 1:
        return pd.Timestamp(int(value), 1, 1), pd.Timestamp(int(value) + 1, 1, 1)
    if len(parts) == 2:
        s = pd.Timestamp(int(parts[0]), int(parts[1]), 1)
        return s, s + pd.DateOffset(months=1)
    s = pd.Timestamp(date.fromisoformat(value))
    return s, s + pd.Timedelta(days=1)


def load_gold(path: str | Path) -> list[GoldEvent]:
    data = tomllib.loads(Path(path).read_text("utf-8"))
    out = []
    for e in data["event"]:
        if "interval" in e:
            start, end = (pd.Timestamp(x) for x in e["interval"])
        else:
            start, end = _interval(e["date"])
        out.append(GoldEvent(e["id"], start, end, e.get("kind"), e.get("actors", []),
                             e["mentions"]))
    return out


def locate(mentions: pd.DataFrame, locator: str) -> str | None:
    """The event_id of the pre-merge row a gold locator names (None if absent)."""
    reported = locator.endswith(">reported")
    loc = locator.removesuffix(">reported")
    if "@" in loc:
        doc, phrase = loc.split("@", 1)
        nth = 1
        if "#" in phrase:
            phrase, n = phrase.rsplit("#", 1)
            nth = int(n)
    else:
        doc, offset = loc.rsplit(":", 1)
        phrase, nth = None, 0
    docs = sorted({d for d in mentions["doc_id"] if d.startswith(doc)})
    if len(docs) != 1:
        return None
    rows = mentions[mentions["doc_id"] == docs[0]].sort_values(["char_start", "event_id"])
    if phrase is None:  # the statement whose sentence holds the offset
        at = int(offset)
        st = rows[rows["role"] == "statement"]
        first = st["char_start"] - [s.find(t) for s, t in zip(st["sentence"], st["text"])]
        hit = st[(first <= at) & (first + st["sentence"].str.len() > at)]
        return hit["event_id"].iloc[0] if len(hit) else None
    hit = rows[(rows["expression"] == phrase) & (rows["role"] != "reported")]
    if len(hit) < nth:
        return None
    row = hit.iloc[nth - 1]
    if not reported:
        return row["event_id"]
    rep = rows[(rows["role"] == "reported") & (rows["sentence"] == row["sentence"])]
    return rep["event_id"].iloc[0] if len(rep) else None


@dataclass
class Report:
    gold_mentions: int = 0
    found: int = 0
    rows: int = 0
    dated_right: int = 0
    events: int = 0
    events_right: int = 0
    once: int = 0
    pairs_tp: int = 0
    pairs_fp: int = 0
    pairs_fn: int = 0
    actors_tp: int = 0
    actors_fp: int = 0
    actors_fn: int = 0
    kinds: int = 0
    kinds_right: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def div(a, b):
            return a / b if b else 0.0
        mp, mr = div(self.pairs_tp, self.pairs_tp + self.pairs_fp), \
            div(self.pairs_tp, self.pairs_tp + self.pairs_fn)
        return {
            "coverage": div(self.found, self.gold_mentions),
            "date_precision": div(self.dated_right, self.rows),
            "event_recall": div(self.events_right, self.events),
            "merge_precision": mp, "merge_recall": mr,
            "merge_f1": div(2 * mp * mr, mp + mr),
            "actor_precision": div(self.actors_tp, self.actors_tp + self.actors_fp),
            "actor_recall": div(self.actors_tp, self.actors_tp + self.actors_fn),
            "kind_accuracy": div(self.kinds_right, self.kinds),
            "once": div(self.once, self.events),
        }


def evaluate(merged: pd.DataFrame, mentions: pd.DataFrame, gold: list[GoldEvent]) -> Report:
    rep = Report()
    row_of = {}
    for n, members in enumerate(merged["members"].fillna("")):
        for m in members.split(LIST_SEP):
            row_of[m] = n
    where = {}  # gold mention -> (gold event, merged row)
    for g in gold:
        rep.events += 1
        rows = set()
        for loc in g.mentions:
            rep.gold_mentions += 1
            eid = locate(mentions, loc)
            if eid is None or eid not in row_of:
                rep.errors.append(f"{g.id}: {loc} not found")
                continue
            rep.found += 1
            where[(g.id, loc)] = row_of[eid]
            rows.add(row_of[eid])
        rep.once += len(rows) == 1
        right = False
        for n in sorted(rows):
            r = merged.iloc[n]
            rep.rows += 1
            ok = r["start"] >= g.start and r["end"] <= g.end
            rep.dated_right += ok
            right |= ok
            if not ok:
                rep.errors.append(f"{g.id}: row {r['event_id']} dated {r['start'].date()}.."
                                  f"{r['end'].date()} ({r['expression']!r}), gold "
                                  f"{g.start.date()}..{g.end.date()}")
            if g.kind:
                rep.kinds += 1
                rep.kinds_right += r["kind"] == g.kind
            got = {actor_key(a) for a in str(r["actors"] or "").split(LIST_SEP) if a} \
                if isinstance(r["actors"], str) else set()
            want = {actor_key(a) for a in g.actors}
            rep.actors_tp += len(got & want)
            rep.actors_fp += len(got - want)
            rep.actors_fn += len(want - got)
        rep.events_right += right
        if len(rows) > 1:
            rep.errors.append(f"{g.id}: split over {len(rows)} rows")
    items = sorted(where.items())
    for ((ga, la), ra), ((gb, lb), rb) in combinations(items, 2):
        same_gold, same_row = ga == gb, ra == rb
        if same_gold and same_row:
            rep.pairs_tp += 1
        elif same_row:
            rep.pairs_fp += 1
            rep.errors.append(f"merged {ga} ({la}) with {gb} ({lb})")
        elif same_gold:
            rep.pairs_fn += 1
    return rep


def run(gold_path, inputs, statements: bool = False) -> Report:
    from . import api
    tl = api.build(inputs, statements=statements)
    return evaluate(tl.events, tl.mentions, load_gold(gold_path))


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    statements = "--statements" in argv
    verbose = "-v" in argv
    args = [a for a in argv if a not in ("--statements", "-v")]
    if len(args) < 2:
        print(__doc__)
        return 2
    rep = run(args[0], args[1:], statements)
    for name, value in rep.figures().items():
        print(f"{name:16} {value:.3f}")
    print(f"{'gold events':16} {rep.events}, mentions {rep.gold_mentions} "
          f"(found {rep.found}), rows holding them {rep.rows}")
    if verbose:
        print("\n".join(rep.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
