"""The key dates of a story, each with a sentence or two: timeline summarisation (TLS).

Input: what the pipeline already produced, the merged event table (one row
per happening, with all its sources) and the mention table (one row per dated
clause, before merging).  Nothing is read or tagged again.

Dates.  Every day that a day-precise mention points at, or on which an article
was published, is a candidate.  Its importance mixes, on a log scale:

- ``pub``: how many articles were published that day;
- ``ref``: how many articles refer to that day (a date many articles refer to
  is a key date even when few were published on it), each article counted
  once, with the weight of its strongest mention's kind (what happened counts
  more than what was expected) and its role (a dated happening more than an
  undated statement placed at its article's publication);
- ``later``: how many of them were published days later (recency of reports:
  a day still recalled afterwards outlived its news cycle);
- ``top``: how many articles report the day's biggest single happening (the
  merged row with the most articles);
- ``absolute``: how many articles name the day by its calendar date ("April
  20, 2010") rather than relative to their own date ("yesterday"): writers
  spell a date out when it matters beyond the day's news.

The L best days are taken greedily; a day next to one already taken loses a
share (``spread``) of its score, since the day after a happening mostly
reports it again.

Sentences.  The candidates of a day are the sentences of its mentions, whole
and as written.  Readable ones only (long enough, not too long, ending as a
sentence ends, not a question); the same sentence from two articles counts
once.  What reads as a report of what happened weighs more than quoted
speech, the first or second person, page furniture or what was expected.
Each is scored by its similarity to the day's centroid (tf-idf over the
content words; stop words from the language pack) and by how many articles
report its merged row; the K best that do not repeat one another (cosine
below ``redundancy``) are the day's summary.

The weights are in ``assets/summary.json``: the counts' weights and the
centroid's by grid search on the Timeline17 development timelines
(``benchmarks/tls.py --fit``, which also reports each topic scored with the
weights best on the other); the report-vs-quote weights (``quote``,
``personal``, ``furniture``, ``expected_sentence``) set by hand and kept
because each helps on both dev topics.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from .merge import cosine  # the bag-of-words cosine merging uses

from . import lang as lang_pack
from . import shown
from .table import LIST_SEP

FEATURES = ("pub", "ref", "later", "top", "absolute")  # each weighted by params["w_<name>"]
COLUMNS = ("date", "sentence", "event_id", "sources", "doc_id", "url")
_DAY = pd.Timedelta(days=1)
_TOKEN = re.compile(r"\w+")
_FINAL = re.compile(r"[.!][\"”’'»)\]]*\s*$|[.!]\s*(?:''|``)\s*$")
_QUESTION = re.compile(r"\?[\"”’'»)\]]*\s*$|\?\s*''\s*$")
_PRECISE = ("day", "time")
# page furniture that reads like a sentence: a dateline or time stamp opening it
# ("Friday , April 30 , 2010 ; 2:30 PM A huge ..."), fields split by bars
# ("Posted by : x | May 27 , 2010 4:38 PM | ...")
_STAMP = re.compile(r"^.{0,40}?\b\d{1,2}:\d{2}\b")
_FIELDS = re.compile(r"\s\|\s")


@cache
def default_params() -> dict:
    """The fitted weights (``assets/summary.json``)."""
    raw = resources.files("timeline").joinpath("assets", "summary.json").read_text("utf-8")
    return dict(json.loads(raw)["params"])


@cache
def _stop(lang: str) -> frozenset[str]:
    pack = lang_pack.load(lang)
    words = set(pack.merge["words"]["stop"])
    words.update(pack.events.get("summary", {}).get("stop", ()))
    return frozenset(w.lower() for w in words)


def _ts(value) -> pd.Timestamp | None:
    if value is None:
        return None
    return pd.Timestamp(value).normalize()


def _mention_frame(events: pd.DataFrame, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """The mention rows with the merged row (``row``) each belongs to."""
    if mentions is None or not len(mentions):
        m = events.copy()
        m["row"] = m["event_id"]
        return m
    owner = {}
    for eid, members in zip(events["event_id"], events["members"]):
        for member in (members.split(LIST_SEP) if isinstance(members, str) else [eid]):
            owner[member] = eid
    m = mentions.copy()
    m["row"] = [owner.get(e) for e in m["event_id"]]
    return m


def _docs_per_row(events: pd.DataFrame) -> dict[str, int]:
    return {eid: (len(set(ids.split(LIST_SEP))) if isinstance(ids, str) else 1)
            for eid, ids in zip(events["event_id"], events["doc_ids"])}


def day_features(events: pd.DataFrame, mentions: pd.DataFrame | None = None,
                 params: dict | None = None) -> pd.DataFrame:
    """One row per candidate day (index: the day) with its features and ``score``."""
    p = {**default_params(), **(params or {})}
    m = _mention_frame(events, mentions)
    pub = m.dropna(subset=["published"]).drop_duplicates("doc_id")
    pub_days = pub["published"].dt.normalize().value_counts()

    dated = m[m["start"].notna() & m["granularity"].isin(_PRECISE).fillna(False).astype(bool)]
    day = dated["start"].dt.normalize()
    kind_w = dated["kind"].map({"happened": 1.0, "ongoing": p["ongoing"],
                                "expected": p["expected"]}).fillna(1.0).astype(float)
    role_w = np.where(dated["role"].astype(object) == "statement", p["statement"], 1.0)
    w = pd.DataFrame({"day": day, "doc": dated["doc_id"].astype(object),
                      "w": kind_w.to_numpy() * role_w,
                      "later": (dated["published"].dt.normalize() - day) > _DAY * p["later_days"],
                      "row": dated["row"].astype(object),
                      "absolute": (dated["anchor"].astype(object) == "absolute").to_numpy()})
    per_doc = w.groupby(["day", "doc"], sort=True).agg(w=("w", "max"), later=("later", "max"))
    ref = per_doc["w"].groupby(level="day").sum()
    later = per_doc["later"].groupby(level="day").sum().astype(float)
    absolute = w[w["absolute"]].groupby("day")["doc"].nunique().astype(float)
    docs_of = _docs_per_row(events)
    w["row_docs"] = w["row"].map(docs_of).fillna(1).astype(float)
    top = w.groupby("day")["row_docs"].max()

    days = sorted(set(ref.index) | set(pub_days.index))
    f = pd.DataFrame(index=pd.DatetimeIndex(days, name="date"))
    f["pub"] = pub_days.reindex(f.index).fillna(0).astype(float)
    f["ref"] = ref.reindex(f.index).fillna(0).astype(float)
    f["later"] = later.reindex(f.index).fillna(0).astype(float)
    f["top"] = top.reindex(f.index).fillna(0).astype(float)
    f["absolute"] = absolute.reindex(f.index).fillna(0).astype(float)
    f["score"] = sum(p[f"w_{name}"] * np.log1p(f[name]) for name in FEATURES)
    return f


def key_dates(events: pd.DataFrame, mentions: pd.DataFrame | None = None, *, dates: int = 10,
              start=None, end=None, params: dict | None = None) -> list[pd.Timestamp]:
    """The ``dates`` most important days (inside ``start``..``end``, both inclusive), ascending."""
    return sorted(ranked_dates(events, mentions, dates=dates, start=start, end=end, params=params))


def ranked_dates(events: pd.DataFrame, mentions: pd.DataFrame | None = None, *, dates: int = 10,
                 start=None, end=None, params: dict | None = None) -> list[pd.Timestamp]:
    """The same days as :func:`key_dates`, most important first."""
    p = {**default_params(), **(params or {})}
    f = day_features(events, mentions, p)
    lo, hi = _ts(start), _ts(end)
    if lo is not None:
        f = f[f.index >= lo]
    if hi is not None:
        f = f[f.index <= hi]
    f = f[f["score"] > 0]
    return _greedy(f["score"], dates, p["spread"], int(p["window"]), ranked=True)


def key_event_ids(events: pd.DataFrame, mentions: pd.DataFrame | None = None, *,
                  dates: int = 10, start=None, end=None,
                  params: dict | None = None) -> list[str]:
    """The event ids of the story's key happenings, most important first: for
    each of the ``dates`` key days, the day-precise row of ``events`` that most
    articles report (ties: the row listed first).  A key day with no such row
    (chosen for what was published on it) has none.  For labelling a page's
    key events; the rows are the table's own."""
    days = ranked_dates(events, mentions, dates=dates, start=start, end=end, params=params)
    if not days or not len(events):
        return []
    precise = events["start"].notna() & events["granularity"].isin(_PRECISE).fillna(False).astype(bool)
    rows = events[precise]
    docs = _docs_per_row(rows)
    best: dict[pd.Timestamp, tuple[int, str]] = {}
    for eid, day in zip(rows["event_id"], rows["start"].dt.normalize()):
        if day not in best or docs[eid] > best[day][0]:
            best[day] = (docs[eid], eid)
    return [str(best[d][1]) for d in days if d in best]


def _greedy(score: pd.Series, n: int, spread: float, window: int = 1,
            ranked: bool = False) -> list[pd.Timestamp]:
    """Take the best day, damp the days within ``window`` days of it by ``spread``,
    repeat (ties: the earlier day); ascending, or in the order taken if ``ranked``."""
    if n <= 0 or not len(score):
        return []
    days = score.index.to_numpy(dtype="datetime64[D]").astype(np.int64)
    s = score.to_numpy(dtype=float).copy()
    taken: list[int] = []
    for _ in range(min(n, len(s))):
        i = int(np.argmax(s))  # first maximum: the earliest of equal days
        if s[i] == -np.inf:
            break
        taken.append(i)
        s[i] = -np.inf
        near = (np.abs(days - days[i]) <= window) & (s != -np.inf)
        s[near] *= (1 - spread)
    return list(score.index[taken]) if ranked else sorted(score.index[taken])


def _readable(sentence: str, p: dict) -> bool:
    words = len(sentence.split())
    return (p["min_words"] <= words <= p["max_words"] and bool(_FINAL.search(sentence))
            and not _QUESTION.search(sentence) and "\n" not in sentence.strip()
            and not _STAMP.search(sentence) and not _FIELDS.search(sentence)
            and sentence.count("“") == sentence.count("”"))  # not a piece of a quote


@cache
def _voice_words(lang: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], tuple[str, ...]]:
    part = lang_pack.load(lang).events.get("summary", {})
    return (tuple(part.get("quote_openers", ())), frozenset(part.get("personal", ())),
            frozenset(part.get("furniture", ())), tuple(part.get("bullets", ())))


def _voice(sentence: str, words: tuple[str, ...], p: dict, lang: str) -> float:
    """How much a sentence reads as a report: quoted speech, the first and
    second person (comments, blogs, interviews) and page furniture weigh less
    (word lists: the language pack's events.toml [summary])."""
    quotes, personal, furniture, bullets = _voice_words(lang)
    text = sentence.lstrip()
    w = 1.0
    if quotes and text.startswith(quotes):
        w *= p["quote"]
    if any(t in personal for t in words):
        w *= p["personal"]
    if (words and words[0] in furniture) or (bullets and text.startswith(bullets)):
        w *= p["furniture"]
    return w


def _norm(sentence: str) -> str:
    return " ".join(sentence.lower().split())


def summarize(events: pd.DataFrame, mentions: pd.DataFrame | None = None, *, dates: int = 10,
              sentences: int = 2, start=None, end=None, lang: str = "en",
              params: dict | None = None) -> pd.DataFrame:
    """The key dates with ``sentences`` sentences each: one row per sentence,
    columns date, sentence, event_id (its merged row), sources (that row's
    outlets), doc_id and url (the article the sentence is from), by date."""
    p = {**default_params(), **(params or {})}
    days = key_dates(events, mentions, dates=dates, start=start, end=end, params=p)
    if not days or sentences <= 0:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else "string")
                             for c in COLUMNS})
    whole = _mention_frame(events, mentions)
    m = whole[whole["start"].notna() & whole["granularity"].isin(_PRECISE).fillna(False)
              .astype(bool) & whole["sentence"].notna()]
    m = m.assign(day=m["start"].dt.normalize())
    m = m[m["day"].isin(days)]
    docs_of = _docs_per_row(events)
    rows = events.set_index("event_id")
    stop = _stop(lang)

    @cache
    def toks_all(text: str) -> tuple[str, ...]:
        return tuple(_TOKEN.findall(text.lower()))

    @cache
    def tokens(text: str) -> Counter:
        return Counter(t for t in _TOKEN.findall(text.lower()) if t not in stop and not t.isdigit())

    # idf over every candidate sentence of the chosen days
    cands: dict[pd.Timestamp, list[dict]] = defaultdict(list)
    seen: dict[pd.Timestamp, dict[str, dict]] = defaultdict(dict)
    df = Counter()
    m = m.sort_values(["day", "published", "doc_id", "char_start"], kind="stable")
    cols = {c: m[c].astype(object).where(m[c].notna(), None).tolist()
            for c in ("day", "sentence", "row", "event_id", "doc_id", "url", "role",
                      "published", "char_start", "kind")}
    for day, sentence, row, eid, doc, url, role, published, char_start, kind in zip(*cols.values()):
        sent = str(sentence).strip()
        key = _norm(sent)
        c = seen[day].get(key)
        fresh = max(0, (published.normalize() - day).days) if published is not None else 0
        pos = int(char_start) if char_start is not None else 0
        if c is not None:  # the same sentence from another article
            c["support"] += 1
            c["fresh"] = max(c["fresh"], fresh)
            c["pos"] = min(c["pos"], pos)
            continue
        toks = tokens(sent)
        c = {"sentence": sent, "row": row if isinstance(row, str) else eid,
             "doc_id": doc, "url": url, "tokens": toks, "support": 1,
             "readable": _readable(sent, p),
             "weight": (p["statement_sentence"] if role == "statement" else 1.0)
             * (p["expected_sentence"] if kind == "expected" else 1.0)
             * _voice(sent, toks_all(sent), p, lang),
             "fresh": fresh, "pos": pos, "words": len(sent.split())}
        seen[day][key] = c
        cands[day].append(c)
        df.update(toks.keys())
    n = max(1, sum(len(v) for v in cands.values()))
    idf = {t: math.log((1 + n) / (1 + k)) + 1 for t, k in df.items()}
    idf_max = math.log(1 + n) + 1

    def unit(toks: Counter) -> dict[str, float]:
        v = {t: k * idf.get(t, idf_max) for t, k in toks.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    # the sentences published each day, for the news-of-the-day centroid
    published_on: dict[pd.Timestamp, list[str]] = defaultdict(list)
    if p["w_news"]:
        have = whole[whole["published"].notna() & whole["sentence"].notna()]
        for day, sent in zip(have["published"].dt.normalize(), have["sentence"].astype(str)):
            published_on[day].append(sent)

    out = []
    for d in days:
        pool = [c for c in cands.get(d, []) if c["readable"]] or cands.get(d, [])
        if not pool:
            continue
        for c in pool:
            c["vec"] = unit(c["tokens"])
        centroid = Counter()
        for c in pool:
            for t, x in c["vec"].items():
                centroid[t] += x * c["weight"] * c["support"]
        if p["w_news"]:  # what the articles of that day and the next were about
            cn = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
            centroid = Counter({t: x / cn for t, x in centroid.items()})
            news = Counter()
            near = dict.fromkeys(s for k in range(int(p["news_days"]) + 1)
                                 for s in published_on.get(d + _DAY * k, ()))
            for sent in near:
                for t, x in unit(tokens(sent)).items():
                    news[t] += x
            nn = math.sqrt(sum(x * x for x in news.values())) or 1.0
            for t, x in news.items():
                centroid[t] += p["w_news"] * x / nn
        cn = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
        for c in pool:
            cos = sum(x * centroid[t] for t, x in c["vec"].items()) / cn
            c["score"] = c["weight"] * (
                cos + p["w_support"] * math.log(docs_of.get(c["row"], 1) + c["support"])
                + p["w_fresh"] * math.log1p(c["fresh"]) - p["w_pos"] * math.log1p(c["pos"] / 100)
                + p["w_len"] * math.log(max(c["words"], 1)))
        picked = []
        for c in sorted(pool, key=lambda c: -c["score"]):
            if len(picked) >= sentences:
                break
            if any(cosine(c["vec"], o["vec"]) > p["redundancy"] for o in picked):
                continue
            picked.append(c)
        for c in picked:
            src = rows["sources"].get(c["row"]) if c["row"] in rows.index else None
            out.append({"date": d, "sentence": c["sentence"], "event_id": c["row"],
                        "sources": src if isinstance(src, str) else str(c["doc_id"]),
                        "doc_id": c["doc_id"], "url": c["url"]})
    res = pd.DataFrame(out, columns=list(COLUMNS))
    res["date"] = pd.to_datetime(res["date"]).astype("datetime64[ns]")
    for col in COLUMNS[1:]:
        res[col] = res[col].astype("string")
    return res.reset_index(drop=True)


# ---------------------------------------------------------------- output

def to_dict(summary: pd.DataFrame) -> dict[str, list[str]]:
    """``{"YYYY-MM-DD": [sentence, ...]}``, dates ascending."""
    out: dict[str, list[str]] = {}
    for d, s in zip(summary["date"], summary["sentence"]):
        out.setdefault(pd.Timestamp(d).date().isoformat(), []).append(str(s))
    return dict(sorted(out.items()))


def to_json(summary: pd.DataFrame) -> str:
    return shown.json_dumps(to_dict(summary), indent=2)


def _day_words(d) -> str:
    d = pd.Timestamp(d)
    return f"{d.date().isoformat()}"


def to_markdown(summary: pd.DataFrame, title: str | None = None) -> str:
    lines = [f"# {title}", ""] if title else []
    for d, part in summary.groupby("date", sort=True):
        lines += [f"## {_day_words(d)}", ""]
        for r in part.itertuples():
            src = _md_source(r.sources, r.url)
            lines.append(f"- {r.sentence} ({src})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_source(sources, url) -> str:
    sources = "" if pd.isna(sources) else str(sources)
    if isinstance(url, str) and url and not pd.isna(url) and url.startswith(("http://", "https://")):
        return f"[{sources}]({url})"
    return sources


def to_html(summary: pd.DataFrame, title: str | None = None) -> str:
    from html import escape
    body = [f"<h1>{escape(title)}</h1>"] if title else []
    for d, part in summary.groupby("date", sort=True):
        iso = _day_words(d)
        body.append(f'<section class="tl-key-date"><h2><time datetime="{iso}">{iso}</time></h2><ul>')
        for r in part.itertuples():
            src = "" if pd.isna(r.sources) else escape(str(r.sources))
            url = r.url if isinstance(r.url, str) and not pd.isna(r.url) else ""
            if url.startswith(("http://", "https://")):
                src = f'<a href="{escape(url)}">{src}</a>'
            body.append(f'<li><span class="tl-key-sentence">{escape(str(r.sentence))}</span> '
                        f'<span class="tl-key-sources">({src})</span></li>')
        body.append("</ul></section>")
    head = escape(title or "Key dates")
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{head}</title>\n</head>\n<body>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")
