"""TempEval-3 Task A scoring of TIMEX3 output against TimeML gold.

Spans are aligned one to one, largest overlap first. Strict: identical span;
relaxed: overlapping. Value/type accuracy is over relaxed pairs and value/type
F1 = relaxed F1 x accuracy. Counts are summed over documents (micro average).
Works on anything with ``start``, ``end``, ``text``, ``type``, ``value``.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Callable, Iterable, Sequence

from timeline.sources.timeml import read_timeml

CONTEXT = 40  # characters of context either side of an error


def align(pred: Sequence, gold: Sequence) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs of overlapping spans, by gold order.

    Greedy by largest character overlap; ties go to an identical span, then to
    the earliest gold, then the earliest prediction.
    """
    order = sorted(range(len(gold)), key=lambda j: gold[j].start)
    starts = [gold[j].start for j in order]
    longest = max((g.end - g.start for g in gold), default=0)
    candidates = []
    for i, p in enumerate(pred):
        # Only golds starting in (p.start - longest, p.end) can overlap p.
        lo = bisect.bisect_right(starts, p.start - longest)
        for k in range(lo, bisect.bisect_left(starts, p.end)):
            g = gold[order[k]]
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if overlap > 0:
                exact = p.start == g.start and p.end == g.end
                candidates.append((-overlap, not exact, g.start, p.start, order[k], i))
    candidates.sort()
    used_p, used_g, pairs = set(), set(), []
    for *_, j, i in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    pairs.sort(key=lambda ij: (gold[ij[1]].start, ij[1]))
    return pairs


def _pct(num: int, den: int) -> float | None:
    return 100.0 * num / den if den else None


@dataclass(frozen=True)
class Scores:
    """Counts, and figures in percent (None when undefined, e.g. nothing predicted)."""

    pred: int = 0
    gold: int = 0
    strict: int = 0  # aligned pairs with identical spans
    relaxed: int = 0  # aligned pairs
    value: int = 0  # aligned pairs with identical value
    type: int = 0  # aligned pairs with identical type

    def __add__(self, other: Scores) -> Scores:
        return Scores(*(a + b for a, b in zip(self._counts(), other._counts())))

    def _counts(self) -> tuple[int, ...]:
        return self.pred, self.gold, self.strict, self.relaxed, self.value, self.type

    # F1 as 2m/(pred+gold): the harmonic mean of P and R, defined even when one is 0.
    def _f1(self, matched: int) -> float | None:
        return _pct(2 * matched, self.pred + self.gold)

    strict_precision = property(lambda s: _pct(s.strict, s.pred))
    strict_recall = property(lambda s: _pct(s.strict, s.gold))
    strict_f1 = property(lambda s: s._f1(s.strict))
    relaxed_precision = property(lambda s: _pct(s.relaxed, s.pred))
    relaxed_recall = property(lambda s: _pct(s.relaxed, s.gold))
    relaxed_f1 = property(lambda s: s._f1(s.relaxed))
    value_accuracy = property(lambda s: _pct(s.value, s.relaxed))
    value_f1 = property(lambda s: s._f1(s.value))  # == relaxed F1 x value accuracy
    type_accuracy = property(lambda s: _pct(s.type, s.relaxed))
    type_f1 = property(lambda s: s._f1(s.type))

    FIGURES = ("strict_precision", "strict_recall", "strict_f1", "relaxed_precision",
               "relaxed_recall", "relaxed_f1", "value_accuracy", "value_f1",
               "type_accuracy", "type_f1")

    def to_json(self) -> dict:
        counts = dict(zip(("pred", "gold", "strict", "relaxed", "value", "type"), self._counts()))
        return counts | {f: _round(getattr(self, f)) for f in self.FIGURES}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def score_document(pred: Sequence, gold: Sequence) -> Scores:
    pairs = align(pred, gold)
    return Scores(
        pred=len(pred), gold=len(gold), relaxed=len(pairs),
        strict=sum(pred[i].start == gold[j].start and pred[i].end == gold[j].end for i, j in pairs),
        value=sum(pred[i].value == gold[j].value for i, j in pairs),
        type=sum(pred[i].type == gold[j].type for i, j in pairs),
    )


def score(docs: Iterable[tuple[Sequence, Sequence]]) -> Scores:
    """Micro-averaged scores over (predicted, gold) lists, one pair per document."""
    return sum((score_document(p, g) for p, g in docs), Scores())


# --- errors -----------------------------------------------------------------

@dataclass(frozen=True)
class EvalError:
    """One remaining error: ``kind`` is value | type | miss | spurious."""

    doc_id: str
    kind: str
    category: str  # the error-kind label counted in the summary
    start: int  # of the gold span, or of the prediction for spurious
    end: int
    text: str
    context: str  # ~40 characters either side, the span in [[ ]]
    gold: object | None = None
    pred: object | None = None

    def to_json(self) -> dict:
        def timex(t):
            return None if t is None else {"start": t.start, "end": t.end, "text": t.text,
                                           "type": t.type, "value": t.value,
                                           "mod": getattr(t, "mod", None)}
        return {"doc_id": self.doc_id, "kind": self.kind, "category": self.category,
                "start": self.start, "end": self.end, "text": self.text,
                "context": self.context, "gold": timex(self.gold), "pred": timex(self.pred)}


def find_errors(doc_id: str, text: str, pred: Sequence, gold: Sequence) -> list[EvalError]:
    """Value and type mismatches, misses and spurious predictions, in text order."""
    pairs = align(pred, gold)
    out = []

    def err(kind, category, span, g=None, p=None):
        out.append(EvalError(doc_id, kind, category, span.start, span.end, span.text,
                             context(text, span.start, span.end), g, p))

    for i, j in pairs:
        p, g = pred[i], gold[j]
        if p.value != g.value:
            err("value", value_error_kind(g.value, p.value), g, g, p)
        if p.type != g.type:
            err("type", f"type: gold {g.type} pred {p.type}", g, g, p)
    matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, g in enumerate(gold):
        if j not in matched_g:
            err("miss", f"miss {g.type}", g, g=g)
    for i, p in enumerate(pred):
        if i not in matched_p:
            err("spurious", f"spurious {p.type}", p, p=p)
    out.sort(key=lambda e: (e.start, e.end))
    return out


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The span in [[ ]] with ``width`` characters either side, on one line."""
    left, span, right = text[max(0, start - width):start], text[start:end], text[end:end + width]
    return _WS.sub(" ", f"{left}[[{span}]]{right}")


_WS = re.compile(r"\s+")


_GRANULARITY = [  # (pattern over the value with digits and X, label), first match wins
    (r"(PAST|PRESENT|FUTURE)_REF", None),
    (r"P.*", "duration"),
    (r".*T(MO|AF|EV|NI|DT)", "part of day"),
    (r".*T[\dX].*", "time"),
    (r"[\dX]{4}-W[\dX]{1,2}-[\dX]", "day"),
    (r"[\dX]{4}-[\dX]{2}-[\dX]{2}", "day"),
    (r"[\dX]{4}-W[\dX]{1,2}-WE", "weekend"),
    (r"[\dX]{4}-W[\dX]{1,2}", "week"),
    (r"[\dX]{4}-[\dX]{2}", "month"),
    (r"[\dX]{4}-Q[\dX]", "quarter"),
    (r"[\dX]{4}-H[\dX]", "half"),
    (r"[\dX]{4}-(SP|SU|FA|WI)", "season"),
    (r"[\dX]{4}", "year"),
    (r"[\dX]{3}", "decade"),
    (r"[\dX]{2}", "century"),
]
_DURATION_UNITS = {"Y": "years", "M": "months", "W": "weeks", "D": "days", "Q": "quarters",
                   "E": "decades", "C": "centuries", "L": "millennia", "H": "hours",
                   "TM": "minutes", "S": "seconds"}


def value_granularity(value: str) -> str:
    """A coarse label for a TIMEX3 value: "day", "week", "duration months", "PAST_REF", ..."""
    for pattern, label in _GRANULARITY:
        if re.fullmatch(pattern, value):
            if label is None:
                return value
            if label == "duration":
                m = re.fullmatch(r"P(T?)[\dX.]*([A-Z])", value)
                if not m:
                    return "duration"
                unit = "TM" if m.group(1) and m.group(2) == "M" else m.group(2)
                return f"duration {_DURATION_UNITS.get(unit, unit)}"
            return label
    return "other"


def value_error_kind(gold: str, pred: str) -> str:
    """Group a value mismatch so that frequent kinds of error add up."""
    gg, pg = value_granularity(gold), value_granularity(pred)
    if gg.endswith("_REF") or pg.endswith("_REF"):
        return f"value: gold {gg} pred {pg}"
    if gg != pg:
        return f"value: granularity differs (gold {gg}, pred {pg})"
    if "X" in gold and "X" not in pred:
        return f"value: gold underspecified {gg}, pred anchored"
    if "X" in pred and "X" not in gold:
        return f"value: pred underspecified {gg}, gold anchored"
    if not gg.startswith("duration") and len(gold) == len(pred):
        # Same shape and the strings compare in time order: say which way it is off.
        return f"value: wrong {gg} (pred {'later' if pred > gold else 'earlier'})"
    return f"value: wrong {gg}"


# --- evaluating files -------------------------------------------------------

@dataclass
class DocReport:
    doc_id: str
    path: str
    scores: Scores


@dataclass
class Report:
    scores: Scores
    documents: int
    per_doc: list[DocReport] | None = None
    errors: list[EvalError] | None = None
    error_kinds: list[tuple[str, int]] | None = None  # most frequent first
    paths: list[str] = field(default_factory=list)


def tml_files(paths: Iterable[str | PathLike]) -> list[Path]:
    """The .tml files named, and those under folders (recursively, sorted)."""
    files, seen = [], set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.rglob("*.tml"))
        elif p.is_file():
            found = [p]
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
        for f in found:
            if f.resolve() not in seen:
                seen.add(f.resolve())
                files.append(f)
    if not files:
        raise ValueError(f"no .tml files in {', '.join(map(str, paths))}")
    return files


def evaluate_paths(paths: Iterable[str | PathLike], tagger: Callable | None = None,
                   per_doc: bool = False, errors: bool = False) -> Report:
    """Tag each TimeML document's text with its DCT and score against its gold.

    ``tagger(text, published) -> list[TimeMention]`` defaults to
    ``timeline.temporal.tag``.
    """
    paths = list(paths)
    files = tml_files(paths)
    if tagger is None:
        from timeline.temporal import tag as tagger  # lazy: scoring alone needs no tagger
    total, docs, errs = Scores(), [], []
    for f in files:
        doc, gold = read_timeml(f)
        pred = list(tagger(doc.text, doc.published))
        s = score_document(pred, gold)
        total += s
        if per_doc:
            docs.append(DocReport(doc.id, str(f), s))
        if errors:
            errs.extend(find_errors(doc.id, doc.text, pred, gold))
    kinds = None
    if errors:
        counts = Counter(e.category for e in errs)
        kinds = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Report(total, len(files), docs if per_doc else None, errs if errors else None,
                  kinds, [str(p) for p in paths])


# --- output -----------------------------------------------------------------

def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def _row(label: str, *figures, note: str = "") -> str:
    return f"{label:9}" + "".join(f"{_fmt(x):>7}" for x in figures) + (f"   ({note})" * bool(note))


def format_report(report: Report) -> str:
    s = report.scores
    lines = [
        f"{report.documents} documents, {s.gold} gold TIMEX3, {s.pred} predicted",
        "",
        f"{'':9}{'P':>7}{'R':>7}{'F1':>7}",
        _row("strict", s.strict_precision, s.strict_recall, s.strict_f1,
             note=f"{s.strict} identical spans"),
        _row("relaxed", s.relaxed_precision, s.relaxed_recall, s.relaxed_f1,
             note=f"{s.relaxed} overlapping"),
        "",
        f"{'':9}{'acc':>7}{'F1':>7}",
        _row("value", s.value_accuracy, s.value_f1, note=f"{s.value} identical values"),
        _row("type", s.type_accuracy, s.type_f1, note=f"{s.type} identical types"),
    ]
    if report.per_doc is not None:
        width = max([8] + [len(d.doc_id) for d in report.per_doc])
        lines += ["", f"{'document':<{width}} {'gold':>5} {'pred':>5} {'strict':>7} "
                      f"{'relaxed':>7} {'value':>7} {'type':>7}"]
        for d in report.per_doc:
            ds = d.scores
            lines.append(f"{d.doc_id:<{width}} {ds.gold:>5} {ds.pred:>5} {_fmt(ds.strict_f1):>7} "
                         f"{_fmt(ds.relaxed_f1):>7} {_fmt(ds.value_f1):>7} {_fmt(ds.type_f1):>7}")
        lines.append("(F1 per document)")
    if report.errors is not None:
        lines += ["", f"errors ({len(report.errors)})"]
        for e in report.errors:
            lines.append(f"{e.doc_id}  {_describe(e)}\n    {e.context}")
    if report.error_kinds is not None:
        lines += ["", "error kinds, most frequent first"]
        lines += [f"{n:>6}  {kind}" for kind, n in report.error_kinds]
    return "\n".join(lines)


def _describe(e: EvalError) -> str:
    if e.kind == "miss":
        return f"miss {e.gold.type} {e.gold.text!r} = {e.gold.value}"
    if e.kind == "spurious":
        return f"spurious {e.pred.type} {e.pred.text!r} = {e.pred.value}"
    attr = e.kind  # value | type
    return (f"{attr}: gold {e.gold.text!r} {getattr(e.gold, attr)}, "
            f"pred {e.pred.text!r} {getattr(e.pred, attr)}")


def report_to_json(report: Report) -> dict:
    out = {"documents": report.documents, "paths": report.paths,
           "scores": report.scores.to_json()}
    if report.per_doc is not None:
        out["per_doc"] = [{"doc_id": d.doc_id, "path": d.path, **d.scores.to_json()}
                          for d in report.per_doc]
    if report.errors is not None:
        out["errors"] = [e.to_json() for e in report.errors]
    if report.error_kinds is not None:
        out["error_kinds"] = [{"kind": k, "count": n} for k, n in report.error_kinds]
    return out
