"""The CLI through click's CliRunner: every command, its errors, its help."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = str(ROOT / "seeds")
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(run, command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert "Example:" in r.output and f"timeline {command}" in r.output


def test_resolve_json(run):
    r = run("resolve", "next Tuesday", "--anchor", "2022-11-03", "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert set(d) == {"text", "phrase", "value", "type", "mod", "start", "end", "granularity",
                      "anchor", "rule", "unread"}
    assert d["unread"] == []
    assert (d["value"], d["start"], d["end"], d["granularity"]) == (
        "2022-11-08", "2022-11-08", "2022-11-09", "day")


def test_resolve_tense_option(run):
    past = json.loads(run("resolve", "Tuesday", "--anchor", "2022-11-03", "--tense", "past",
                          "--format", "json").output)
    future = json.loads(run("resolve", "Tuesday", "--anchor", "2022-11-03", "--tense", "future",
                            "--format", "json").output)
    assert (past["value"], future["value"]) == ("2022-11-01", "2022-11-08")


def test_resolve_text_and_deadline(run):
    r = run("resolve", "before the end of this year", "--anchor", "2022-11-03")
    assert r.exit_code == 0
    assert "2022" in r.output and "mod=END" in r.output and "[2022-11-03, 2023-01-01)" in r.output


def test_resolve_names_the_words_it_did_not_read(run):
    r = run("resolve", "blah next blah Tuesday", "--published", "2022-11-03")
    assert r.exit_code == 0  # the answer, for part of the phrase, and a warning
    assert "'Tuesday' -> " in r.stdout
    assert "not understood in 'blah next blah Tuesday': 'blah next blah'" in r.stderr
    strict = run("resolve", "blah next blah Tuesday", "--anchor", "2022-11-03", "--strict")
    assert strict.exit_code == 1
    whole = run("resolve", "a week from today", "--anchor", "2022-11-03", "--strict")
    assert whole.exit_code == 0 and whole.stderr == ""
    assert whole.stdout.startswith("'a week from today' -> 2022-11-10 (DATE)")


def test_resolve_nothing_exits_1(run):
    r = run("resolve", "May I help?", "--anchor", "2022-11-03")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == ["Error: no temporal expression in 'May I help?'"]


def test_resolve_bad_anchor(run):
    r = run("resolve", "today", "--anchor", "2022-13-45")
    assert r.exit_code == 2 and "not a date" in r.output


def test_build_writes_html_and_tables(run, tmp_path):
    out, csv, pq = tmp_path / "t.html", tmp_path / "t.csv", tmp_path / "t.parquet"
    r = run("build", SEEDS, "-o", out, "--table", csv, "--table", pq, "--title", "Drones")
    assert r.exit_code == 0, r.output
    n = len(timeline.build([SEEDS]).events)  # the summary counts the table's rows
    assert f"2 document(s) read, {n} event(s), 0 input(s) skipped" in r.output
    assert out.read_text("utf-8").count("<html") == 1
    assert csv.read_text("utf-8").startswith("event_id,start,end")
    assert pq.stat().st_size > 0


def test_build_chart_density_on_request(run, tmp_path):
    dense, marks = tmp_path / "d.html", tmp_path / "m.html"
    assert run("build", SEEDS, "-o", dense, "--chart", "density").exit_code == 0
    assert run("build", SEEDS, "-o", marks).exit_code == 0  # auto: 16 events are marks
    assert '"drill":' in dense.read_text("utf-8") and "Bars count events per" in \
        dense.read_text("utf-8")
    assert '"drill":' not in marks.read_text("utf-8")


def test_build_without_date_reports_the_skip(run, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("The minister resigned on Tuesday.", "utf-8")
    r = run("build", f, "-o", tmp_path / "x.html")
    assert r.exit_code == 1
    assert "skipped" in r.output and "--published" in r.output
    r = run("build", f, "--published", "2022-11-03", "-o", tmp_path / "x.html")
    assert r.exit_code == 0 and "1 event(s)" in r.output


def test_tag_json_one_document(run):
    r = run("tag", str(ROOT / "seeds" / "003_28bf6bd65512fe70.txt"))
    assert r.exit_code == 0
    items = json.loads(r.stdout)  # stderr: the summary line
    tuesday = next(i for i in items if i["text"] == "Tuesday")
    assert tuesday["value"] == "2022-11-01"
    assert tuesday["interval"] == {"start": "2022-11-01", "end": "2022-11-02", "granularity": "day"}
    assert set(tuesday) == {"start", "end", "text", "type", "value", "mod", "anchor", "rule", "interval"}


def test_tag_out_dir_timeml(run, tmp_path):
    r = run("tag", SEEDS, "--format", "timeml", "--out-dir", tmp_path)
    assert r.exit_code == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["000_28ca36ce2e4e94c5.tml", "003_28bf6bd65512fe70.tml"]
    assert '<TIMEX3 tid="t' in (tmp_path / files[1]).read_text("utf-8")


def test_tag_only_tags_and_reports_a_document_it_fails_on(run, tmp_path, monkeypatch):
    from timeline import api, pipeline
    calls = []
    real = pipeline.document_mentions

    def tag(doc):
        calls.append(doc.text[:20])
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        return real(doc)
    monkeypatch.setattr(pipeline, "document_mentions", tag)
    monkeypatch.setattr(api, "build", lambda *a, **k: pytest.fail("built a timeline"))
    (tmp_path / "a.txt").write_text("The council met on Monday.", "utf-8")
    (tmp_path / "b.txt").write_text("BOOM on Tuesday.", "utf-8")
    r = run("tag", tmp_path, "--published", "2022-11-03")
    assert r.exit_code == 0 and len(calls) == 2  # each document tagged once
    assert "b.txt" in r.stderr and "failed while dating its text" in r.stderr
    assert json.loads(r.stdout.splitlines()[0])["mentions"][0]["text"] == "Monday"
    assert r.stderr.strip().endswith("2 document(s) read, 1 temporal expression(s), "
                                     "1 input(s) skipped")


@pytest.mark.skipif(not TBAQ.exists(), reason="../shared/corpora not present")
def test_tag_reads_timeml_with_its_dct(run):
    import re
    tml = sorted((TBAQ / "TimeBank").glob("*.tml"))[0]
    dct = re.search(r'<TIMEX3[^>]*value="([^"]+)"[^>]*functionInDocument="CREATION_TIME"',
                    tml.read_text(encoding="utf-8")).group(1)
    r = run("tag", tml)
    assert r.exit_code == 0
    mentions = json.loads(r.stdout)
    (doc,), _ = timeline.api.read(tml)
    # what the API finds in the text dated by the file's DCT, and no other date
    assert mentions == [m.to_json() for m in timeline.tag(doc.text, dct)]
    assert [m for m in mentions if m["anchor"] == "publication"]  # the DCT was used
    assert mentions != [m.to_json() for m in timeline.tag(doc.text, "2000-06-15")]


def test_events_range_filter(run):
    r = run("events", SEEDS, "--from", "2022-09-01", "--to", "2022-09-30", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert {row["timex"] for row in rows} == {"2022-09"}
    assert len(rows) == 2


def test_events_table_format(run):
    r = run("events", SEEDS, "--to", "2018-12-31")
    assert r.exit_code == 0
    lines = [l for l in r.output.splitlines() if l.strip()]
    assert lines[0].startswith("2015-01-01") and lines[1].startswith("2018-01-01")


def test_eval_on_fixture(run):
    r = run("eval", ROOT / "tests" / "data" / "timeml", "--json")
    assert r.exit_code == 0
    assert "relaxed_f1" in r.output or "relaxed" in r.output


def test_module_entry_point():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "timeline", "resolve", "yesterday", "--anchor",
                        "2022-11-03"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "2022-11-02" in r.stdout
