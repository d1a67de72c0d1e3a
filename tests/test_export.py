"""Writers for the event table: every format, read-back, determinism."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.export import (
    FORMATS, format_for, read_table, to_csv, to_ics, to_json, to_markdown,
    to_timelinejs, write_table,
)
from timeline.table import COLUMNS, empty_table

T = pd.Timestamp
ROOT = Path(__file__).resolve().parents[1]
NASTY = 'He said "no" | <script>alert(1)</script> & left — Zelenskyy, Київ'


def row(event_id, start, end, granularity, title, **kw):
    base = {c: None for c in COLUMNS}
    base.update(event_id=event_id, start=start and T(start), end=end and T(end),
                granularity=granularity, title=title, deadline=False,
                timex="X", timex_type="DATE", expression=f"expr {event_id}",
                anchor="publication", rule="r", text=f"text {event_id}",
                sentence=f"sentence {event_id}", kind="happened", doc_id="d1",
                doc_title="Doc one", source="Reuters", url="https://example.org/a?b=1",
                published=T("2022-11-03"), char_start=10, char_end=20)
    base.update(kw)
    return base


def make_table() -> pd.DataFrame:
    rows = [
        row("year", "2018-01-01", "2019-01-01", "year", "In 2018"),
        row("month", "2022-09-01", "2022-10-01", "month", "September"),
        row("quarter", "2022-07-01", "2022-10-01", "quarter", "Q3"),
        row("fuzzy", "2022-10-20", "2022-11-03", "fuzzy", "Recent weeks", mod="APPROX",
            timex="PAST_REF"),
        row("day", "2022-11-01", "2022-11-02", "day", NASTY, text=NASTY, expression="on Tuesday",
            source="Kyiv Independent | Київ"),
        row("time", "2022-11-03 15:30", "2022-11-03 15:31", "time", "At 3:30pm", url=None,
            source=None, char_start=None, char_end=None),
        row("deadline", "2022-11-03", "2023-01-01", "year", "By year end", deadline=True,
            kind="expected", published=None),
        row("nat", None, None, None, "Unanchored", timex="P3M", timex_type="DURATION",
            url="javascript:alert(1)"),
    ]
    return pd.DataFrame(rows).astype(COLUMNS)


@pytest.fixture
def table():
    return make_table()


# ---------------------------------------------------------------- dispatch

@pytest.mark.parametrize("name, fmt", [
    ("a.csv", "csv"), ("a.json", "json"), ("a.parquet", "parquet"), ("A.MD", "markdown"),
    ("a.timelinejs.json", "timelinejs"), ("a.ics", "ics"), ("a.html", "html"),
    ("a.htm", "html"), ("a.tml", "timeml"),
])
def test_format_for_extension(name, fmt):
    assert format_for(name) == fmt


def test_format_for_explicit_and_unknown():
    assert format_for("out.txt", "markdown") == "markdown"
    assert format_for("out.txt", "md") == "markdown"
    assert format_for("x.json", "timelinejs") == "timelinejs"
    names = "csv, html, ics, image, json, markdown, parquet, timelinejs, timeml"
    with pytest.raises(ValueError, match=names):
        format_for("out.txt", "docx")
    with pytest.raises(ValueError, match="timelinejs"):
        format_for("out.txt")
    assert set(FORMATS.values()) == {"csv", "json", "parquet", "markdown", "timelinejs",
                                     "ics", "html", "timeml", "image"}


def test_write_table_refuses_formats_written_elsewhere(table, tmp_path):
    with pytest.raises(ValueError, match="render"):
        write_table(table, tmp_path / "a.html")


# ---------------------------------------------------------------- all formats

WRITTEN = ["t.csv", "t.json", "t.parquet", "t.md", "t.timelinejs.json", "t.ics"]


@pytest.mark.parametrize("name", WRITTEN)
def test_second_write_is_byte_identical(table, tmp_path, name):
    a = write_table(table, tmp_path / f"a-{name}", title="T")
    b = write_table(make_table(), tmp_path / f"b-{name}", title="T")
    assert a.read_bytes() == b.read_bytes()
    assert a.stat().st_size > 0


@pytest.mark.parametrize("name", WRITTEN)
def test_empty_table_writes(tmp_path, name):
    """No rows is still a valid file of its format: a header, [], an empty calendar."""
    path = write_table(empty_table(), tmp_path / name, title="T")
    data = path.read_bytes()
    if name.endswith(".csv"):
        assert data.decode("utf-8") == ",".join(COLUMNS) + "\r\n"
    elif name.endswith(".timelinejs.json"):
        doc = json.loads(data)
        assert doc["events"] == [] and doc["title"]["text"]["text"] == "No dated events."
    elif name.endswith(".json"):
        assert json.loads(data) == []
    elif name.endswith(".parquet"):
        pd.testing.assert_frame_equal(read_table(path), empty_table())
    elif name.endswith(".md"):
        assert data.decode("utf-8").splitlines() == [
            "# T", "", "| Date | Title | Kind | Source | Expression |",
            "| --- | --- | --- | --- | --- |"]
    else:
        cal = icalendar.Calendar.from_ical(data)
        assert cal.walk("VEVENT") == [] and str(cal["x-wr-calname"]) == "T"


@pytest.mark.parametrize("name", ["t.csv", "t.json", "t.parquet"])
def test_round_trip(table, tmp_path, name):
    back = read_table(write_table(table, tmp_path / name))
    pd.testing.assert_frame_equal(back, table)


@pytest.mark.parametrize("name", ["t.csv", "t.json", "t.parquet"])
def test_round_trip_empty(tmp_path, name):
    back = read_table(write_table(empty_table(), tmp_path / name))
    pd.testing.assert_frame_equal(back, empty_table())


def test_write_table_accepts_loose_dtypes(tmp_path):
    """A table built by hand (object columns, missing columns) is written in the schema."""
    loose = pd.DataFrame({"event_id": ["x"], "start": [datetime(2022, 9, 1)],
                          "end": [datetime(2022, 10, 1)], "granularity": ["month"],
                          "title": ["September"]})
    back = read_table(write_table(loose, tmp_path / "t.parquet"))
    assert list(back.columns) == list(COLUMNS)
    assert back.dtypes.astype(str).to_dict() == {c: str(pd.Series(dtype=t).dtype)
                                                 for c, t in COLUMNS.items()}
    assert not back.loc[0, "deadline"] and back.loc[0, "start"] == T("2022-09-01")


# ---------------------------------------------------------------- csv / json

def test_csv_dates_and_missing(table):
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert list(rows[0]) == list(COLUMNS)
    by_id = {r["event_id"]: r for r in rows}
    assert by_id["month"]["start"] == "2022-09-01"
    assert by_id["time"]["start"] == "2022-11-03T15:30:00"
    assert by_id["nat"]["start"] == "" and by_id["time"]["char_start"] == ""
    assert by_id["day"]["text"] == NASTY


def test_json_records(table):
    text = to_json(table)
    assert "Київ" in text  # ensure_ascii=False
    recs = json.loads(text)
    assert isinstance(recs, list) and list(recs[0]) == list(COLUMNS)
    by_id = {r["event_id"]: r for r in recs}
    assert by_id["month"]["start"] == "2022-09-01" and by_id["month"]["end"] == "2022-10-01"
    assert by_id["time"]["start"] == "2022-11-03T15:30:00"
    assert by_id["nat"]["start"] is None and by_id["time"]["char_start"] is None
    assert by_id["deadline"]["deadline"] is True and by_id["month"]["char_start"] == 10


def test_csv_keeps_words_pandas_would_read_as_missing(tmp_path):
    t = make_table()
    t.loc[0, "title"] = "NA"
    t.loc[1, "title"] = "None"
    back = read_table(write_table(t, tmp_path / "t.csv"))
    assert list(back["title"][:2]) == ["NA", "None"]


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1),
       st.sampled_from(["t.csv", "t.json", "t.parquet"]))
def test_any_text_round_trips(tmp_path_factory, text, name):
    t = make_table()
    t.loc[0, "text"] = text
    t.loc[1, "title"] = text
    back = read_table(write_table(t, tmp_path_factory.mktemp("rt") / name))
    pd.testing.assert_frame_equal(back, t)


# ---------------------------------------------------------------- markdown

def test_markdown(table):
    md = to_markdown(table)
    lines = md.splitlines()
    assert lines[0] == "| Date | Title | Kind | Source | Expression |"
    assert len(lines) == 2 + len(table)
    # every body line has exactly 5 cells once escaped pipes are discounted
    for line in lines[2:]:
        assert line.replace("\\|", "").count("|") == 6, line
    assert "<script>" not in md and "&lt;script&gt;" in md
    by_title = {ln.split(" | ")[1]: ln for ln in lines[2:]}
    assert by_title["September"].startswith("| September 2022 |")
    # the page's words (datewords.date_in_words)
    assert by_title["In 2018"].startswith("| the year 2018 |")
    assert by_title["Q3"].startswith("| Q3 2022 |")
    assert by_title["Recent weeks"].startswith("| about 20 Oct – 2 Nov 2022 (recent weeks) |")
    assert by_title["At 3:30pm"].startswith("| 3 Nov 2022, 15:30 |")
    assert by_title["By year end"].startswith("| by 31 Dec 2022 |")
    assert by_title["Unanchored"].startswith("| undated |")
    assert "javascript:" not in md
    assert "[Reuters](https://example.org/a?b=1)" in md
    odd = make_table().head(1)
    odd.loc[0, "source"] = "A [b] c"
    odd.loc[0, "url"] = "https://x.org/p (1)|[2]"
    assert "[A \\[b\\] c](https://x.org/p%20%281%29%7C%5B2%5D)" in to_markdown(odd)


# ---------------------------------------------------------------- TimelineJS

DATE_PARTS = ("year", "month", "day", "hour", "minute", "second", "millisecond")
RANGES = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59),
          "second": (0, 59)}


def check_date(d):
    assert isinstance(d, dict) and "year" in d, d
    assert set(d) <= set(DATE_PARTS) | {"display_date", "format"}, d
    present = [p for p in DATE_PARTS if p in d]
    # parts are a prefix: no day without month, no minute without hour
    assert present == list(DATE_PARTS[: len(present)]), d
    for p in present:
        assert isinstance(d[p], (str, int)) and str(d[p]).lstrip("-").isdigit(), (p, d)
        lo, hi = RANGES.get(p, (-10**6, 10**6))
        assert lo <= int(d[p]) <= hi, (p, d)


def check_text(t):
    assert isinstance(t, dict) and set(t) <= {"headline", "text"}
    assert all(isinstance(v, str) for v in t.values())


def validate_timelinejs(doc):
    """The TimelineJS3 JSON format (timeline.knightlab.com/docs/json-format.html)."""
    assert set(doc) <= {"events", "title", "eras", "scale"}
    assert isinstance(doc["events"], list)
    if "title" in doc:
        assert "text" in doc["title"] or "media" in doc["title"]
        check_text(doc["title"].get("text", {}))
    ids = []
    for ev in doc["events"]:
        assert set(ev) <= {"start_date", "end_date", "text", "media", "group", "display_date",
                           "background", "autolink", "unique_id"}, ev
        check_date(ev["start_date"])
        if "end_date" in ev:
            check_date(ev["end_date"])
            key = lambda d: tuple(int(d.get(p, 1 if p in ("month", "day") else 0))  # noqa: E731
                                  for p in DATE_PARTS)
            assert key(ev["end_date"]) > key(ev["start_date"]), ev
        if "text" in ev:
            check_text(ev["text"])
        for k in ("group", "display_date", "unique_id"):
            assert isinstance(ev.get(k, ""), str)
        ids.append(ev.get("unique_id"))
    ids = [i for i in ids if i]
    assert len(ids) == len(set(ids)), "unique_id must be unique"


def test_timelinejs(table, tmp_path):
    doc = to_timelinejs(table, title="War <b>news</b>")
    validate_timelinejs(doc)
    # the file is the same document
    assert json.loads(write_table(table, tmp_path / "t.timelinejs.json", title="War <b>news</b>")
                      .read_text("utf-8")) == doc
    assert doc["title"]["text"]["headline"] == "War &lt;b&gt;news&lt;/b&gt;"
    ev = {e["unique_id"]: e for e in doc["events"]}
    assert "nat" not in ev and len(ev) == len(table) - 1
    assert ev["month"]["start_date"] == {"year": "2022", "month": "9"}
    assert "end_date" not in ev["month"] and ev["month"]["display_date"] == "September 2022"
    assert ev["year"]["start_date"] == {"year": "2018"} and "end_date" not in ev["year"]
    assert ev["day"]["start_date"] == {"year": "2022", "month": "11", "day": "1"}
    assert "end_date" not in ev["day"]
    # end exclusive -> inclusive last unit
    assert ev["quarter"]["end_date"] == {"year": "2022", "month": "9"}
    assert ev["fuzzy"]["start_date"] == {"year": "2022", "month": "10", "day": "20"}
    assert ev["fuzzy"]["end_date"] == {"year": "2022", "month": "11", "day": "2"}
    assert ev["time"]["start_date"] == {"year": "2022", "month": "11", "day": "3",
                                        "hour": "15", "minute": "30"}
    assert "end_date" not in ev["time"]
    assert ev["deadline"]["end_date"] == {"year": "2022", "month": "12", "day": "31"}
    assert ev["month"]["group"] == "Reuters" and ev["time"]["group"] == "happened"
    nasty = ev["day"]["text"]
    assert "<script>" not in nasty["headline"] + nasty["text"]
    assert nasty["headline"].startswith("He said &quot;no&quot; | &lt;script&gt;")
    assert "Київ" in nasty["text"]


def test_timelinejs_unique_ids_and_empty(table):
    doubled = pd.concat([table, table], ignore_index=True)
    validate_timelinejs(to_timelinejs(doubled))
    doc = to_timelinejs(empty_table())
    validate_timelinejs(doc)
    assert doc["events"] == []


# ---------------------------------------------------------------- iCalendar

def test_ics(table, tmp_path):
    data = write_table(table, tmp_path / "t.ics", title="War news").read_bytes()
    assert data == to_ics(make_table(), title="War news")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and str(cal["x-wr-calname"]) == "War news"
    evs = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(evs) == len(table) - 1 and "nat@timeline" not in evs

    def span(uid):
        e = evs[f"{uid}@timeline"]
        return e.decoded("dtstart"), e.decoded("dtend")

    assert span("month") == (date(2022, 9, 1), date(2022, 10, 1))
    assert span("day") == (date(2022, 11, 1), date(2022, 11, 2))
    assert span("year") == (date(2018, 1, 1), date(2019, 1, 1))
    assert span("time") == (datetime(2022, 11, 3, 15, 30), datetime(2022, 11, 3, 15, 31))
    assert b"DTSTART;VALUE=DATE:20220901" in data

    month = evs["month@timeline"]
    assert str(month["summary"]) == "September"
    assert str(month["url"]) == "https://example.org/a?b=1"
    assert "Reuters" in str(month["description"]) and "expr month" in str(month["description"])
    assert month.decoded("dtstamp").replace(tzinfo=None) == datetime(2022, 11, 3)
    # no publication date: DTSTAMP falls back to the start, not the clock
    assert evs["deadline@timeline"].decoded("dtstamp").replace(tzinfo=None) == datetime(2022, 11, 3)
    day = evs["day@timeline"]
    assert str(day["summary"]) == NASTY and NASTY in str(day["description"])
    assert "url" not in evs["time@timeline"]


def test_ics_lines_are_folded(table):
    long = make_table()
    long.loc[1, "text"] = "Київ " * 100
    data = to_ics(long)
    lines = data.split(b"\r\n")
    assert sum(line.startswith(b" ") for line in lines) >= 5  # the long text was folded
    for line in lines:
        assert len(line) <= 75, line


@pytest.mark.parametrize("start, end, granularity, expected", [
    # the page's words (datewords.date_in_words)
    ("2020-01-01", "2030-01-01", "decade", "the 2020s"),
    ("2022-12-01", "2023-02-01", "season", "winter 2022"),
    ("2022-10-31", "2022-11-07", "week", "the week of 31 Oct 2022"),
    ("2022-11-03 15:00", "2022-11-03 16:00", "time", "3 Nov 2022, 15:00–16:00"),
    ("2022-11-03 15:00", "2022-11-03 17:00", "time", "3 Nov 2022, 15:00–17:00"),
    ("2022-11-03", "2022-11-04", "time", "3 Nov 2022"),
    ("2022-11-03", None, "day", "3 Nov 2022"),
])
def test_display_date(start, end, granularity, expected):
    from timeline.export import display_date
    r = row("x", start, end, granularity, "t")
    assert display_date(r) == expected
    doc = to_timelinejs(pd.DataFrame([r]).astype(COLUMNS))
    validate_timelinejs(doc)
    assert doc["events"][0]["display_date"] == expected


# ---------------------------------------------------------------- atomic writes

class _Full:
    """A file that takes ``budget`` bytes, then fails like a full disk, midway
    through the write that crosses it (that part is written first)."""

    def __init__(self, f, budget):
        self._f, self._left = f, budget

    def write(self, data):
        if len(data) > self._left:
            self._f.write(data[: self._left])
            self._left = 0
            raise OSError(28, "No space left on device")
        self._left -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def disk_full(monkeypatch):
    """Every atomic write fails after 100 bytes; returns the folder's leftovers check."""
    import os

    from timeline import atomic
    real = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: _Full(real(*a, **k), 100))

    def leftovers(folder):
        return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))
    return leftovers


OLD = b"the old file\n"


@pytest.mark.parametrize("name", WRITTEN)
@pytest.mark.parametrize("old", [True, False])
def test_a_failed_write_leaves_the_old_file_or_none(table, tmp_path, disk_full, name, old):
    from timeline.atomic import WriteError
    path = tmp_path / name
    if old:
        path.write_bytes(OLD)
    with pytest.raises(WriteError) as e:
        write_table(table, path)
    assert str(e.value) == f"cannot write {path}: No space left on device"
    assert (path.read_bytes() == OLD) if old else not path.exists()
    assert disk_full(tmp_path) == []


@pytest.mark.parametrize("old", [True, False])
def test_a_failed_page_leaves_the_old_page_or_none(table, tmp_path, disk_full, old):
    from timeline.atomic import WriteError
    from timeline.render import to_html
    path = tmp_path / "t.html"
    if old:
        path.write_bytes(OLD)
    with pytest.raises(WriteError, match=f"cannot write {path}: No space left"):
        to_html(table, path, include_plotlyjs=False)
    assert (path.read_bytes() == OLD) if old else not path.exists()
    assert disk_full(tmp_path) == []


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_failed_streamed_table_leaves_the_old_file(table, tmp_path, disk_full, kind):
    from timeline.atomic import WriteError
    from timeline.scale import write_streamed
    path = tmp_path / f"t.{kind}"
    path.write_bytes(OLD)
    with pytest.raises(WriteError, match="No space left"):
        write_streamed([table.iloc[:4], table.iloc[4:]], path, kind)
    assert path.read_bytes() == OLD and disk_full(tmp_path) == []


def test_a_failed_timeml_leaves_the_old_file(tmp_path, disk_full):
    import timeline
    from timeline.atomic import WriteError
    tl = timeline.build([ROOT / "seeds" / "003_28bf6bd65512fe70.txt"])
    path = tmp_path / "t.tml"
    path.write_bytes(OLD)
    with pytest.raises(WriteError, match="No space left"):
        tl.save(path)
    assert path.read_bytes() == OLD and disk_full(tmp_path) == []


def test_a_writer_that_raises_leaves_no_file(table, tmp_path, monkeypatch):
    """Not only a full disk: any error inside the block (here the writer's own)."""
    from timeline import atomic
    path = tmp_path / "t.csv"
    path.write_bytes(OLD)
    with pytest.raises(RuntimeError):
        with atomic.atomic_open(path) as f:
            f.write(b"half a tab")
            raise RuntimeError("the writer broke")
    assert path.read_bytes() == OLD and [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    atomic.write_text(path, "new")
    assert path.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_cli_reports_a_failed_write_in_one_line(tmp_path, disk_full):
    from click.testing import CliRunner

    from timeline.cli import cli
    page, tab = tmp_path / "t.html", tmp_path / "t.csv"
    page.write_bytes(OLD)
    tab.write_bytes(OLD)
    r = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "-q", "-o", str(page),
                                 "--table", str(tab)])
    assert r.exit_code == 1
    assert r.output.strip().splitlines()[-1] == f"Error: cannot write {page}: No space left on device"
    assert "Traceback" not in r.output
    assert page.read_bytes() == OLD and tab.read_bytes() == OLD and disk_full(tmp_path) == []
    out = tmp_path / "tagged"
    r = CliRunner().invoke(cli, ["tag", str(ROOT / "seeds"), "-q", "--out-dir", str(out)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip().splitlines()[-1].startswith(f"Error: cannot write {out}/")
    assert list(out.iterdir()) == []


def _tmpfs(folder, size):
    import subprocess
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                      capture_output=True).returncode:
        pytest.skip("needs to mount a small tmpfs (root): the monkeypatched tests cover it")


def test_a_really_full_disk(tmp_path):
    """A 64 KB tmpfs: the page (MBs) cannot fit, the old page stays, one line."""
    import os
    import subprocess
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    from click.testing import CliRunner

    from timeline.cli import cli
    disk = tmp_path / "disk"
    _tmpfs(disk, "64k")
    try:
        page, tab = disk / "t.html", tmp_path / "t.csv"
        page.write_bytes(OLD)
        r = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "-q", "-o", str(page),
                                     "--table", str(tab)])
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert r.output.strip().splitlines()[-1] == (
            f"Error: cannot write {page}: No space left on device")
        assert page.read_bytes() == OLD and sorted(os.listdir(disk)) == ["t.html"]
        assert not tab.exists()  # stopped at the first failure
        (disk / "fill").write_bytes(b"x" * (60 * 1024))  # leave ~4 KB: a CSV starts, then fails
        r = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "-q",
                                     "-o", str(tmp_path / "ok.html"), "--table", str(disk / "t.csv")])
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert r.output.strip().splitlines()[-1] == (
            f"Error: cannot write {disk / 't.csv'}: No space left on device")
        assert sorted(os.listdir(disk)) == ["fill", "t.html"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)
