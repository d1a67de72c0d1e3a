"""Batches through the CLI (CliRunner) and the API: bad inputs, undated
documents, every export written and read back, byte-identical reruns,
progress and summaries, and the done-when checks on real inputs."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli
from timeline.export import read_table
from timeline.progress import Progress, estimate_total
from timeline.sources import NO_DATE, Skipped
from timeline.sources.timeml import read_timeml
from timeline.table import COLUMNS

from test_export import validate_timelinejs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PAGE = ROOT / "tests" / "data" / "pages" / "flood-barrier.html"
NEWS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news" / "articles.jsonl"
needs_news = pytest.mark.skipif(not NEWS.exists(), reason="../shared/corpora/news not present")

T = pd.Timestamp


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def summary(result) -> str:
    """The last stderr line of a run."""
    return result.stderr.strip().splitlines()[-1]


# ---------------------------------------------------------------- a bad batch

@pytest.fixture
def batch(tmp_path):
    """Good documents mixed with every kind of bad input; returns (inputs, bad)
    where ``bad`` maps each bad input as reported to the start of its reason."""
    d = tmp_path / "in"
    good_txt = write(d / "council.txt", "---\npublished: 2023-10-12\nsource: Test Post\n"
                     "title: Library to close\n---\n"
                     "The council voted on Tuesday to close the old library.\n")
    records = write(d / "wire.jsonl", "\n".join([
        '{"id": "w1", "published": "2023-10-11", "source": "Wire", "title": "Port reopens", '
        '"text": "The port reopened on Monday after the strike ended."}',
        '{"id": "w2", "published": "2023-10-11", "text": "Broken line',
        '{"id": "w3", "published": "11/10/2023", "text": "Ambiguous date here."}',
        '{"id": "w4", "published": "2023-10-10", "source": "Wire", "title": "Budget talks", '
        '"text": "Ministers will meet again next month to agree the budget."}',
    ]) + "\n")
    binary = write(d / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    empty = write(d / "empty.md", b"")
    undated = write(d / "undated.txt", "The mayor resigned on Friday.\n")
    missing = d / "missing.html"
    inputs = [good_txt, records, binary, empty, undated, missing, PAGE]
    bad = {
        f"{records}:line 2": "not valid JSON",
        f"{records}:line 3": "'11/10/2023'",
        str(binary): "not a text file",
        str(empty): "empty file",
        str(undated): "no publication date",
        str(missing): "no such file or folder",
    }
    return inputs, bad


GOOD_IDS = ["council", "w1", "w4", "flood-barrier"]


def test_bad_batch_through_the_api(batch):
    inputs, bad = batch
    tl = timeline.build(inputs)
    assert [d.id for d in tl.documents] == GOOD_IDS
    reasons = {s.input: s.reason for s in tl.skipped}
    assert set(reasons) == set(bad)
    for where, start in bad.items():
        assert start in reasons[where]
    assert reasons[str(inputs[4])] == NO_DATE
    # every good document gave its events
    assert set(tl.events["doc_id"]) == set(GOOD_IDS)
    council = tl.events[tl.events["doc_id"] == "council"].iloc[0]
    assert council["start"] == T("2023-10-10") and council["source"] == "Test Post"


def test_bad_batch_through_the_cli_exits_0_and_names_each_bad_input(run, batch, tmp_path):
    inputs, bad = batch
    out = tmp_path / "out" / "t.html"
    r = run("build", *inputs, "-o", out, "--table", tmp_path / "out" / "t.csv")
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    for where, start in bad.items():
        line = next(l for l in lines if l.startswith(f"skipped {where}: "))
        assert start in line
    n_events = len(read_table(tmp_path / "out" / "t.csv"))
    assert summary(r) == f"4 document(s) read, {n_events} event(s), 6 input(s) skipped"
    assert out.exists() and r.stdout == ""
    # the undated document: say how to date it or keep it
    assert any("--allow-undated" in l for l in lines)


@pytest.mark.parametrize("command", ["build", "events", "tag"])
def test_strict_makes_any_skip_an_error(run, batch, tmp_path, command):
    inputs, bad = batch
    extra = ["-o", tmp_path / "t.html"] if command == "build" else []
    r = run(command, *inputs, *extra)
    assert r.exit_code == 0, r.output
    r = run(command, *inputs, *extra, "--strict")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == "Error: 6 input(s) skipped and --strict is set"
    assert sum(l.startswith("skipped ") for l in r.stderr.splitlines()) == len(bad)
    ok = run(command, SEEDS, *extra, "--strict")
    assert ok.exit_code == 0


def test_nothing_readable_is_an_error(run, tmp_path):
    r = run("events", tmp_path / "nope.txt", write(tmp_path / "e.txt", b""))
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == "Error: no document could be read (see the lines above)"


def test_a_document_that_breaks_the_tagger_is_skipped_not_fatal(monkeypatch, batch):
    from timeline import pipeline
    real = pipeline.document_events

    def flaky(doc):
        if doc.id == "w1":
            raise IndexError("boom")
        return real(doc)
    monkeypatch.setattr(pipeline, "document_events", flaky)
    tl = timeline.build(batch[0])
    assert [d.id for d in tl.documents] == ["council", "w4", "flood-barrier"]
    broken = [s for s in tl.skipped if "document w1" in s.input]
    assert len(broken) == 1 and "IndexError: boom" in broken[0].reason
    assert "w1" not in set(tl.events["doc_id"])


# ---------------------------------------------------------------- summaries and progress

def test_every_command_ends_with_a_summary_line(run, tmp_path):
    r = run("build", SEEDS, "-o", tmp_path / "t.html")
    n = len(timeline.build([SEEDS]).events)
    assert summary(r) == f"2 document(s) read, {n} event(s), 0 input(s) skipped"
    r = run("events", SEEDS, "--format", "json")
    assert len(json.loads(r.stdout)) == n
    assert summary(r) == f"2 document(s) read, {n} event(s), 0 input(s) skipped"
    r = run("events", SEEDS, "--from", "2022-09-01", "--to", "2022-09-30")
    assert summary(r).startswith("2 document(s) read, 2 event(s) in range (of ")
    r = run("tag", SEEDS)
    mentions = sum(len(json.loads(l)["mentions"]) for l in r.stdout.splitlines())
    assert summary(r) == f"2 document(s) read, {mentions} temporal expression(s), 0 input(s) skipped"


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, tmp_path):
    r = run("build", SEEDS, "-o", tmp_path / "t.html")
    assert "\r" not in r.stderr and "[#" not in r.stderr


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_draws_on_a_terminal_after_the_delay_and_erases_itself():
    term, clock = FakeTerminal(), Clock()
    bar = Progress(4, file=term, delay=0.5, interval=0.1, clock=clock)
    bar.update(timeline.model.Document(id="a", text="x"))
    assert term.getvalue() == ""  # short runs stay silent
    clock.now = 0.6
    bar.update(Skipped("bad.txt", "empty file"))
    frame = term.getvalue()
    assert frame.startswith("\r[") and "50%" in frame and "2/4: 1 document, 1 skipped" in frame
    clock.now = 0.65
    bar.update(timeline.model.Document(id="c", text="x"))
    assert term.getvalue() == frame  # at most ten frames a second
    bar.close()
    assert term.getvalue().endswith("\r" + " " * (len(frame) - 1) + "\r")


def test_progress_is_silent_off_a_terminal_or_when_disabled():
    for bar in (Progress(3, file=io.StringIO(), delay=0),
                Progress(3, file=FakeTerminal(), enabled=False, delay=0)):
        for _ in range(3):
            bar.update(timeline.model.Document(id="a", text="x"))
        bar.close()
        assert bar.file.getvalue() == ""


def test_progress_line_without_a_total_and_overshoot():
    bar = Progress(None, enabled=False)
    bar.update(timeline.model.Document(id="doc-1", text="x"))
    assert bar.line() == "1 document  doc-1"
    bar = Progress(1, enabled=False)
    for i in range(3):
        bar.update(timeline.model.Document(id=f"d{i}", text="x"))
    assert "100%" in bar.line() and "3/3" in bar.line()
    assert len(bar.line(width=20)) == 20


def test_estimate_total(batch, tmp_path):
    inputs, _ = batch
    # council, 4 json lines, photo, empty, undated, missing, page
    assert estimate_total(inputs) == 10
    assert estimate_total([SEEDS]) == 2
    write(tmp_path / "t.csv", 'id,text\n1,"two\nlines"\n2,plain\n')
    assert estimate_total(tmp_path / "t.csv") == 2


# ---------------------------------------------------------------- undated documents

UNDATED = ("---\ntitle: Talks and a resignation\n---\n"
           "Two days later the talks resumed in Geneva after a long pause.\n"
           "On 3 March 2023 the foreign minister resigned from the government.\n"
           "Two days later, parliament voted on the new budget.\n")


def test_undated_document_with_allow_undated(tmp_path):
    f = write(tmp_path / "story.txt", UNDATED)
    assert timeline.build(f).skipped == [Skipped(str(f), NO_DATE)]
    tl = timeline.build(f, allow_undated=True)
    assert tl.skipped == [] and tl.documents[0].published is None
    ev = tl.events
    dated = ev[ev["start"].notna()]
    assert dated["start"].tolist() == [T("2023-03-03"), T("2023-03-05")]
    assert dated["anchor"].tolist() == ["absolute", "previous"]
    # the relative expression before any date: kept, unanchored, last
    last = ev.iloc[-1]
    assert pd.isna(last["start"]) and pd.isna(last["end"]) and pd.isna(last["granularity"])
    assert last["anchor"] == "none" and last["expression"] == "Two days later"
    assert "talks resumed" in last["text"] and pd.isna(last["published"])


def test_undated_rows_through_the_cli_and_exports(run, tmp_path):
    f = write(tmp_path / "story.txt", UNDATED)
    r = run("events", f, "--allow-undated")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert [l.split()[0] for l in lines] == ["2023-03-03", "2023-03-05", "undated"]
    r = run("events", f, "--allow-undated", "--from", "2023-01-01")
    assert [l.split()[0] for l in r.stdout.splitlines()] == ["2023-03-03", "2023-03-05"]
    out = tmp_path / "o"
    r = run("build", f, "--allow-undated", "-o", out / "t.html", "--table", out / "t.csv",
            "--table", out / "t.ics", "--table", out / "t.timelinejs.json")
    assert r.exit_code == 0, r.output
    table = read_table(out / "t.csv")
    assert table["start"].isna().tolist() == [False, False, True]
    # calendars and TimelineJS hold dated events only; the page lists the rest
    cal = icalendar.Calendar.from_ical((out / "t.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 2
    assert len(json.loads((out / "t.timelinejs.json").read_text("utf-8"))["events"]) == 2
    assert "1 undated" in (out / "t.html").read_text("utf-8")


def page_without_its_date(keep_related_dates: bool = False) -> str:
    """The fixture page without its meta dates, JSON-LD and byline <time>."""
    html = PAGE.read_text("utf-8")
    html = re.sub(r'<meta property="article:(published|modified)_time"[^>]*>\n', "", html)
    html = re.sub(r'<script type="application/ld\+json">.*?</script>\n', "", html, flags=re.S)
    own = r'<time datetime="2023-10-12[^>]*>.*?</time>' if keep_related_dates else r"<time[^>]*>.*?</time>"
    return re.sub(own, "", html)


def test_undated_html_page(tmp_path):
    f = write(tmp_path / "nodate.html", page_without_its_date())
    tl = timeline.build(f)
    assert tl.documents == [] and tl.skipped[0].reason == NO_DATE
    tl = timeline.build(f, allow_undated=True)
    ev = tl.events
    # absolute dates still count ...
    assert T("2021-03-01") in set(ev["start"]) and T("2026-01-01") in set(ev["start"])
    # ... and what needs the publication date stays unanchored
    tuesday = ev[ev["expression"] == "on Tuesday"].iloc[0]
    assert pd.isna(tuesday["start"]) and tuesday["anchor"] == "none"
    assert ev["start"].notna().cumprod().diff().fillna(0).le(0).all()  # NaT rows last


def test_related_links_do_not_date_an_undated_page(tmp_path):
    f = write(tmp_path / "nodate.html", page_without_its_date(keep_related_dates=True))
    tl = timeline.build(f)
    assert tl.documents == [] and tl.skipped[0].reason == NO_DATE


def test_the_byline_time_dates_a_page_without_meta_dates(tmp_path):
    html = re.sub(r'<meta property="article:(published|modified)_time"[^>]*>\n', "",
                  PAGE.read_text("utf-8"))
    html = re.sub(r'<script type="application/ld\+json">.*?</script>\n', "", html, flags=re.S)
    tl = timeline.build(write(tmp_path / "byline.html", html))
    assert str(tl.documents[0].published) == "2023-10-12"


# ---------------------------------------------------------------- every export

EXPORTS = ["csv", "json", "parquet", "md", "timelinejs.json", "ics", "tml", "html"]


def build_all(run, inputs, out: Path, *extra):
    r = run("build", *inputs, "-o", out / "page.html", *extra,
            *[a for ext in EXPORTS for a in ("--table", out / f"t.{ext}")])
    assert r.exit_code == 0, r.output
    return {ext: (out / f"t.{ext}").read_bytes() for ext in EXPORTS} | {
        "page": (out / "page.html").read_bytes()}


def test_every_format_from_the_cli_reads_back(run, tmp_path):
    build_all(run, [PAGE], tmp_path)
    tl = timeline.build(PAGE)
    ev = tl.events
    for ext in ("csv", "json", "parquet"):
        pd.testing.assert_frame_equal(read_table(tmp_path / f"t.{ext}"), ev)
    md = (tmp_path / "t.md").read_text("utf-8")
    assert md.count("\n| ") == len(ev) + 1  # header row and one row per event
    assert "| 19 Sep 2023 | A full test closure took place |" in md  # as the page says it
    doc = json.loads((tmp_path / "t.timelinejs.json").read_text("utf-8"))
    validate_timelinejs(doc)
    assert len(doc["events"]) == ev["start"].notna().sum()
    cal = icalendar.Calendar.from_ical((tmp_path / "t.ics").read_bytes())
    vevents = cal.walk("VEVENT")
    assert len(vevents) == ev["start"].notna().sum()
    starts = {str(e.get("summary")): e.decoded("dtstart") for e in vevents}
    assert starts["A full test closure took place"] == pd.Timestamp("2023-09-19").date()
    tml, gold = read_timeml(tmp_path / "t.tml")
    assert tml.text == tl.documents[0].text and tml.published == tl.documents[0].published
    assert [g.value for g in gold] == [m.value for m in timeline.tag(tml.text, tml.published)]
    for name in ("t.html", "page.html"):
        page = (tmp_path / name).read_text("utf-8")
        assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert (tmp_path / "t.html").read_bytes() == (tmp_path / "page.html").read_bytes()


def test_same_inputs_give_byte_identical_exports(run, tmp_path):
    first = build_all(run, [PAGE], tmp_path / "a", "--title", "Wend")
    second = build_all(run, [PAGE], tmp_path / "b", "--title", "Wend")
    for name in first:
        assert first[name] == second[name], name


def test_byte_identical_across_processes(tmp_path):
    """Another interpreter with another hash seed writes the same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        args = [sys.executable, "-m", "timeline", "build", str(SEEDS), "-q", "-o",
                str(out / "page.html")]
        for ext in ("csv", "json", "parquet", "md", "timelinejs.json", "ics"):
            args += ["--table", str(out / f"t.{ext}")]
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
        assert r.returncode == 0, r.stderr
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0].keys() == outs[1].keys() and len(outs[0]) == 7
    for name in outs[0]:
        assert outs[0][name] == outs[1][name], name


def test_format_option_overrides_the_extension(run, tmp_path):
    r = run("build", PAGE, "-o", tmp_path / "p.html", "--table", tmp_path / "events.json",
            "--format", "timelinejs")
    assert r.exit_code == 0, r.output
    validate_timelinejs(json.loads((tmp_path / "events.json").read_text("utf-8")))
    r = run("build", PAGE, "-o", tmp_path / "p.html", "--table", tmp_path / "events.txt",
            "--format", "MD")
    assert r.exit_code == 0 and (tmp_path / "events.txt").read_text("utf-8").startswith("| Date")


def test_format_problems_are_reported_before_anything_is_written(run, tmp_path):
    r = run("build", PAGE, "-o", tmp_path / "p.html", "--format", "csv")
    assert r.exit_code == 2 and "--table" in r.output
    r = run("build", PAGE, "-o", tmp_path / "p.html", "--format", "docx", "--table", tmp_path / "x")
    assert r.exit_code == 2
    r = run("build", PAGE, "-o", tmp_path / "p.html", "--table", tmp_path / "x.docx")
    assert r.exit_code == 1 and "cannot tell the format" in r.stderr
    r = run("build", SEEDS, "-o", tmp_path / "p.html", "--table", tmp_path / "all.tml")
    assert r.exit_code == 1 and "--out-dir" in r.stderr
    assert not (tmp_path / "p.html").exists()


# ---------------------------------------------------------------- done when

def events_by_day(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        if row["start"]:
            out.setdefault(row["start"][:10], []).append(row)
    return out


def reported_by(rows: list[dict]) -> set[str]:
    """The articles behind ``rows`` (a merged row lists all of them in doc_ids)."""
    ids = set()
    for r in rows:
        ids.add(r["doc_id"])
        ids.update(x for x in (r.get("doc_ids") or "").split("; ") if x)
    return ids


def says(rows: list[dict], *words: str) -> bool:
    return any(all(w.lower() in r["sentence"].lower() for w in words) for r in rows)


@needs_news
def test_real_news_corpus_with_no_flags(run, tmp_path):
    with CliRunner().isolated_filesystem(temp_dir=tmp_path):
        r = CliRunner().invoke(cli, ["build", str(NEWS)], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        page = Path("exports/timeline.html").read_text("utf-8")
    assert page.count("<html") == 1
    assert summary(r).startswith("28 document(s) read, ")
    assert summary(r).endswith(", 0 input(s) skipped")
    rows = json.loads(run("events", NEWS, "--format", "json").stdout)
    day = events_by_day(rows)
    # Ukraine's decision of 2022-09-23 to downgrade relations with Iran
    assert says(day["2022-09-23"], "Zelensk", "downgrade")
    assert {"interfax-ua-ambassador-accreditation",
            "overtdefense-ukraine-downgrades-ties"} <= reported_by(day["2022-09-23"])
    # Kuleba's proposal to break off relations, Tuesday 2022-10-18
    assert says(day["2022-10-18"], "Kuleba", "relations")
    assert "urdupoint-sputnik-kuleba-break-relations" in reported_by(day["2022-10-18"])
    # EU sanctions: agreed by ambassadors on Wednesday 2022-10-19, adopted on the 20th
    assert says(day["2022-10-19"], "ambassadors", "sanctions")
    assert "eurointegration-eu-ambassadors-approve-sanctions" in reported_by(day["2022-10-19"])
    assert "thenational-iran-new-eu-sanctions-drones" in reported_by(day["2022-10-20"])
    # the White House briefing on Iranians in Crimea, 2022-10-20
    assert says(day["2022-10-20"], "Crimea")
    # Iran's admission, Saturday 2022-11-05
    assert says(day["2022-11-05"], "acknowledged", "drones")
    assert "eastcoastdaily-iran-claims-drones-before-war" in reported_by(day["2022-11-05"])
    # the Treasury sanctions article: the drones were sent "last month"
    aug = [r for r in day["2022-08-01"] if r["doc_id"] == "keyt-treasury-sanctions-iranian-firms"]
    assert aug and {r["timex"] for r in aug} == {"2022-08"}
    assert all(r["published"] for r in rows)  # every article dated by its record


def test_saved_html_article_with_no_flags(run, tmp_path):
    with CliRunner().isolated_filesystem(temp_dir=tmp_path):
        r = CliRunner().invoke(cli, ["build", str(PAGE)], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert Path("exports/timeline.html").exists()
    assert summary(r).startswith("1 document(s) read, ")
    rows = json.loads(run("events", PAGE, "--format", "json").stdout)
    assert {r["doc_title"] for r in rows} == {"Tidal flood barrier on the Wend closes for the first time"}
    assert {r["source"] for r in rows} == {"The Northern Ledger"}
    assert {r["published"] for r in rows} == {"2023-10-12"}  # datePublished, not dateModified
    assert {r["url"] for r in rows} == {
        "https://www.northernledger.example/news/environment/wend-flood-barrier-first-closure"}
    got = {(r["expression"], r["start"], r["end"], r["granularity"], r["kind"]) for r in rows}
    assert {
        ("on Tuesday", "2023-10-10", "2023-10-11", "day", "happened"),
        ("in March 2021", "2021-03-01", "2021-04-01", "month", "happened"),
        ("in August", "2023-08-01", "2023-09-01", "month", "happened"),
        ("on 19 September", "2023-09-19", "2023-09-20", "day", "happened"),
        ("last year", "2022-01-01", "2023-01-01", "year", "happened"),
        ("next month", "2023-11-01", "2023-12-01", "month", "expected"),
        ("in 2026", "2026-01-01", "2027-01-01", "year", "expected"),
    } <= got
    tuesday = next(r for r in rows if r["expression"] == "on Tuesday")
    assert "closed for the first time" in tuesday["sentence"]
    # nothing from the page around the article: related links, comments, footer
    starts = {r["start"] for r in rows}
    assert not starts & {"2022-06-08", "2023-09-03", "2023-12-05", "2013-12-06"}
    assert not any("Subscribe" in r["sentence"] or "cookies" in r["sentence"] for r in rows)


def test_saved_html_article_deadline_is_this_year():
    ev = timeline.build(PAGE).events
    row = ev[ev["expression"] == "before the end of the year"].iloc[0]
    assert (row["start"], row["end"], row["kind"]) == (T("2023-10-12"), T("2024-01-01"), "expected")
