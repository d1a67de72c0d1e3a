"""Hostile and broken inputs at reading (issue 18, items 2 and 11): each bad
document or record is refused and named, every other one is read, and the
in-process build and the engine (byte ranges of a file, several workers)
agree on what was read and what was skipped.

Classes, not single strings: publication dates outside the table's years in
every input format; a NUL byte in record files; CSV quotes never closed, in
the middle or at the end; ids that map to one output file; control and
bidirectional characters in file names, titles and texts on the terminal.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline.cli import cli

GOOD = "The council approved the budget on Monday."


def _both(inputs, **kw):
    """(documents ids, skipped (input, reason)) of the in-process build and of the
    engine with two workers and one-document parts; asserted equal."""
    out = []
    for engine in ({}, {"workers": 2, "chunk_docs": 1}):
        tl = timeline.build(inputs, **kw, **engine)
        with tl if engine else _nothing():
            ids = sorted(tl.mentions["doc_id"].dropna().unique())
            out.append((ids, [(s.input, s.reason) for s in tl.skipped]))
    assert out[0] == out[1]
    return out[0]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


# ------------------------------------------------- dates outside the table's years

OUTSIDE = ["1500-06-01", "0001-01-01", "1677-12-31", "2262-01-01", "9999-12-31"]
INSIDE = ["1678-01-01", "2261-12-31"]


def _dated(folder: Path, kind: str, day: str) -> Path:
    """One article dated ``day`` in the input format ``kind``."""
    if kind == "jsonl":
        p = folder / "feed.jsonl"
        p.write_text(json.dumps({"id": "old", "text": GOOD, "published": day}) + "\n"
                     + json.dumps({"id": "ok", "text": GOOD, "published": "2022-11-03"}) + "\n",
                     "utf-8")
    elif kind == "csv":
        p = folder / "feed.csv"
        p.write_text(f"id,published,text\nold,{day},{GOOD}\nok,2022-11-03,{GOOD}\n", "utf-8")
    elif kind == "txt":
        p = folder / "old.txt"
        p.write_text(f"---\npublished: {day}\n---\n{GOOD}\n", "utf-8")
    elif kind == "html":
        p = folder / "old.html"
        p.write_text(f'<html><head><title>Budget</title><meta property="article:published_time" '
                     f'content="{day}T09:00:00"></head><body><article><h1>Budget</h1><p>{GOOD} '
                     "The vote was close, the council said in a statement on Tuesday.</p>"
                     "</article></body></html>", "utf-8")
    else:
        p = folder / "old.tml"
        p.write_text(f'<?xml version="1.0"?>\n<TimeML><DCT><TIMEX3 tid="t0" type="DATE" '
                     f'value="{day}" functionInDocument="CREATION_TIME">{day}</TIMEX3></DCT>'
                     f"<TEXT>{GOOD}</TEXT></TimeML>\n", "utf-8")
    return p


@pytest.mark.parametrize("kind", ["jsonl", "csv", "txt", "html", "tml"])
@pytest.mark.parametrize("day", OUTSIDE)
def test_a_publication_date_outside_the_tables_years_is_refused_and_named(tmp_path, kind, day):
    path = _dated(tmp_path, kind, day)
    other = tmp_path / "other.txt"
    other.write_text(f"---\npublished: 2022-11-03\n---\n{GOOD}\n", "utf-8")
    ids, skipped = _both([path, other])
    assert len(skipped) == 1
    where, reason = skipped[0]
    assert where.startswith(str(path))  # the file, or its line / row
    if kind == "html" and day < "1000":  # htmldate reads no year before 1000: undated, named
        assert "no publication date" in reason
    else:
        assert day in reason and "1678-2261" in reason
    assert "other" in ids  # the rest of the batch is read


@pytest.mark.parametrize("kind", ["jsonl", "csv", "txt", "html", "tml"])
@pytest.mark.parametrize("day", INSIDE)
def test_the_first_and_last_years_the_table_holds_are_read(tmp_path, kind, day):
    path = _dated(tmp_path, kind, day)
    tl = timeline.build([path])
    assert not tl.skipped
    assert {str(d.published)[:10] for d in tl.documents} >= {day}
    assert tl.events["published"].notna().all()  # no NaT publication column any more


def test_published_option_outside_the_years_is_refused_at_once(tmp_path):
    f = tmp_path / "undated.txt"
    f.write_text(GOOD, "utf-8")
    r = CliRunner().invoke(cli, ["events", str(f), "--published", "2300-01-01"])
    assert r.exit_code == 2 and "--published 2300-01-01 is outside the years" in r.stderr
    tl = timeline.build([f], published="2300-01-01")  # the API: refused per document
    assert [s.input for s in tl.skipped] == [str(f)] and not tl.documents


# ------------------------------------------------------------------- NUL bytes

@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl"])
@pytest.mark.parametrize("where", ["text", "title", "id"])
def test_a_nul_byte_in_one_cell_drops_the_byte_not_the_file(tmp_path, kind, where):
    cells = {"id": "b", "title": "Vote", "text": "The vote was on Tuesday."}
    cells[where] = cells[where][:2] + "\x00" + cells[where][2:]
    rows = [{"id": "a", "title": "Budget", "text": GOOD}, cells,
            {"id": "c", "title": "Fair", "text": "The fair opened on Friday."}]
    p = tmp_path / f"feed.{kind}"
    if kind == "jsonl":  # a raw NUL byte, as a corrupted dump has it (not the \u0000 escape)
        body = "\n".join(json.dumps({**r, "published": "2022-11-03"}).replace("\\u0000", "\x00")
                         for r in rows)
    else:
        sep = "\t" if kind == "tsv" else ","
        body = "\n".join([sep.join(["id", "title", "published", "text"])] +
                         [sep.join([r["id"], r["title"], "2022-11-03", r["text"]]) for r in rows])
    p.write_bytes(body.encode("utf-8") + b"\n")
    assert p.read_bytes().count(b"\x00") == 1
    ids, skipped = _both([p])
    assert skipped == []
    assert ids == ["a", "b", "c"]
    tl = timeline.build([p])
    assert not any("\x00" in (d.text + (d.title or "") + d.id) for d in tl.documents)


def test_a_record_file_full_of_nul_bytes_is_still_binary(tmp_path):
    p = tmp_path / "feed.csv"
    p.write_bytes("id,text\na,The vote was on Tuesday.\n".encode("utf-16-le"))  # no BOM
    tl = timeline.build([p, _dated(tmp_path, "txt", "2022-11-03")])
    assert [s.input for s in tl.skipped] == [str(p)]
    assert "not a text file" in tl.skipped[0].reason


# --------------------------------------------------------- CSV quotes never closed

def _csv(tmp_path, rows: list[str], name="feed.csv") -> Path:
    p = tmp_path / name
    p.write_text("id,published,text\n" + "\n".join(rows) + "\n", "utf-8")
    return p


@pytest.mark.parametrize("broken", [0, 1, 2])
def test_a_quote_never_closed_is_named_and_the_records_after_it_are_read(tmp_path, broken):
    rows = [f'{c},2022-11-03,The {w} met on Monday.' for c, w in
            zip("abcd", ["council", "board", "court", "club"])]
    rows[broken] = rows[broken].replace("The", '"The', 1)  # opens a quote, never closes it
    p = _csv(tmp_path, rows)
    ids, skipped = _both([p])
    assert [(w, "never closed" in r) for w, r in skipped] == [(f"{p}:row {broken + 1}", True)]
    assert ids == [c for i, c in enumerate("abcd") if i != broken]


@pytest.mark.parametrize("tail", [["", "It was the second meeting"],
                                  ["It met, as planned, on Friday", "", "Then on Monday"]])
def test_a_file_cut_inside_a_quoted_text_is_reported(tmp_path, tail):
    """A truncated dump: the last record's multi-line text has no closing quote; its
    paragraphs are not read as records (they would be documents under --published)."""
    p = _csv(tmp_path, ['a,2022-11-03,The council met on Monday.',
                        'b,2022-11-03,"The board met on Tuesday.', *tail])
    ids, skipped = _both([p], published="2022-11-03")
    assert ids == ["a"]
    assert len(skipped) == 1 and skipped[0][0] == f"{p}:row 2"
    assert "never closed" in skipped[0][1] and "are not read" in skipped[0][1]


def test_quoted_multi_line_texts_are_not_broken_records(tmp_path):
    p = _csv(tmp_path, ['a,2022-11-03,"The council met on Monday.\n\nIt said ""yes"" on Friday."',
                        'b,2022-11-03,"The board met, on Tuesday."'])
    ids, skipped = _both([p])
    assert skipped == [] and ids == ["a", "b"]


# ------------------------------------------------- tag --out-dir: one file per document

def test_ids_that_map_to_one_file_name_never_overwrite_each_other(tmp_path):
    ids = ["a/b", "a_b", "a:b", "A_B", "../../escape", "x" * 400, "x" * 401, 'q?"<>|*']
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "published": "2022-11-03",
                                        "text": f"Meeting {n} was on Monday."}) + "\n"
                            for n, i in enumerate(ids)), "utf-8")
    out = tmp_path / "tagged"
    r = CliRunner().invoke(cli, ["tag", str(feed), "-q", "--out-dir", str(out)])
    assert r.exit_code == 0, r.output
    files = sorted(out.iterdir())
    assert len(files) == len(ids)  # one each, all inside the folder
    assert all(p.parent == out and len(p.name.encode()) <= 255 for p in files)
    assert not (tmp_path / "escape.json").exists()
    texts = {json.loads(p.read_text("utf-8"))[0]["text"] for p in files}
    assert texts == {"Monday"}  # each file a document's mentions ...
    names = {p.name.casefold() for p in files}
    assert len(names) == len(files)  # ... distinct even on a case-insensitive disk
    notes = [line for line in r.stderr.splitlines() if "written to" in line]
    assert len(notes) == 3 and all("holds a/b" in n for n in notes)  # a_b, a:b, A_B


# ------------------------------------------------ escape sequences on the terminal

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = ["\x1b[2J\x1b[31m", "\x1b]0;owned\x07", "\x9b31m", "\u202etxt.exe", "line\nforged"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_control_characters_are_printed_escaped(tmp_path, bad):
    """In a file name (skipped lines, errors) and in titles and sources (the events
    table, explain): never raw on the terminal."""
    name = tmp_path / f"evil{bad}.txt"
    name.write_text("", "utf-8")  # empty: skipped, so its name is printed
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "x", "published": "2022-11-03", "source": f"Wire{bad}",
                                "text": f"The council{bad} met on Monday."}) + "\n", "utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["events", str(name), str(feed), "-q"])
    assert r.exit_code == 0, r.output
    r2 = runner.invoke(cli, ["build", str(name), "-q", "-o", str(tmp_path / "p.html")])
    assert r2.exit_code == 1
    eid = timeline.build([feed]).events["event_id"].iloc[0]
    r3 = runner.invoke(cli, ["explain", eid, str(feed)])
    assert r3.exit_code == 0, r3.output
    for out in (r.output, r2.output, r3.output):
        assert not RAW.search(out), RAW.search(out)
        assert not any(line.startswith("forged") for line in out.splitlines())
    escaped = bad.encode("unicode_escape").decode("ascii")
    assert f"evil{escaped}.txt" in r.stderr and f"evil{escaped}.txt" in r2.stderr
    assert f"Wire{escaped}" in r.stdout and f"Wire{escaped}" in r3.stdout


@pytest.mark.parametrize("bad", HOSTILE)
def test_json_printed_or_written_has_no_raw_control_characters(tmp_path, bad):
    """JSON escapes C0 itself; C1 (CSI, U+009B) and bidi overrides it leaves raw.
    Every JSON the tool prints or writes (tag, explain --format json, the json
    table, summarize) writes them as \\uXXXX, and reads back to the same text."""
    feed = tmp_path / "feed.jsonl"
    text = f"The council{bad} met on Monday. The mayor{bad} resigned on Tuesday."
    feed.write_text(json.dumps({"id": "x", "published": "2022-11-03", "source": f"Wire{bad}",
                                "title": f"Council{bad}", "text": text}) + "\n", "utf-8")
    runner = CliRunner()
    tagged = runner.invoke(cli, ["tag", str(feed), "-q"])
    eid = timeline.build([feed]).events["event_id"].iloc[0]
    explained = runner.invoke(cli, ["explain", eid, str(feed), "--format", "json"])
    table = tmp_path / "t.json"
    built = runner.invoke(cli, ["build", str(feed), "-q", "-o", str(tmp_path / "p.html"),
                                "--table", str(table)])
    summary = runner.invoke(cli, ["summarize", str(feed), "--dates", "2", "--format", "json"])
    outs = [tagged, explained, built, summary]
    assert all(r.exit_code == 0 for r in outs), [r.output for r in outs]
    texts = [tagged.stdout, explained.stdout, table.read_text("utf-8"), summary.stdout]
    for out in texts:
        assert not RAW.search(out), (out, RAW.search(out))
    rows = json.loads(table.read_text("utf-8"))
    assert any(bad in str(v) for row in rows for v in row.values())  # the text is kept
    assert json.loads(explained.stdout)["event"]["sources"]
