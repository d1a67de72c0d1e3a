"""The event store: Parquet by month, date queries, --where, counts, and the CLI over it."""
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

from timeline import export, scale
from timeline import store as st
from timeline.cli import cli
from timeline.table import filter_range

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT / "seeds"] + [p for p in [ROOT.parent / "shared" / "corpora" / "news" /
                                         "articles.jsonl"] if p.is_file()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("s") / "store"
    with scale.run(INPUTS, workers=1, store=path) as r:
        yield path, r.table(), r.mention_table()


def test_layout_and_metadata(built):
    path, table, mentions = built
    meta = st.info(path)
    assert meta["events"] == len(table) and meta["mentions"]["events"] == len(mentions)
    assert meta["merged"] is True
    for month, m in meta["months"].items():
        assert all(f.startswith(f"month={month}/") for f in m["files"])
        rows = table[st.month_of(table["start"]) == month]
        assert m["events"] == len(rows)
        assert pd.Timestamp(m["start"]) == rows["start"].min()
    pd.testing.assert_frame_equal(st.read(path), table)


@pytest.mark.parametrize("start,end", [(None, None), (date(2022, 10, 1), date(2022, 10, 31)),
                                       (date(2022, 10, 20), date(2022, 10, 20)),
                                       (None, date(2022, 9, 30)), (date(2022, 12, 1), None),
                                       (date(1990, 1, 1), date(1990, 1, 2))])
def test_date_queries_equal_filter_range(built, start, end):
    path, table, mentions = built
    pd.testing.assert_frame_equal(st.query(path, start, end), filter_range(table, start, end))
    pd.testing.assert_frame_equal(st.query(path, start, end, mentions=True),
                                  filter_range(mentions, start, end))


def test_queries_open_only_the_months_that_can_match(built):
    path, table, _ = built
    months = st.info(path)["months"]
    lo, hi = pd.Timestamp("2022-10-01"), pd.Timestamp("2022-11-01")
    files = st._selected(months, lo, hi)
    assert files and len(files) < sum(len(m["files"]) for m in months.values())
    long = table[(table["start"] < lo) & (table["end"] > lo)]  # started earlier, still running
    assert all(any(f.startswith(f"month={m}/") for f in files)
               for m in st.month_of(long["start"]))


WHERE = {
    "kind == 'expected'": lambda d: d["kind"] == "expected",
    "'expected' == kind": lambda d: d["kind"] == "expected",
    "kind in ['expected', 'ongoing'] and not deadline": lambda d: d["kind"].isin(
        ["expected", "ongoing"]) & ~d["deadline"],
    "granularity != 'day' or n_sources >= 2": lambda d: (d["granularity"] != "day")
    | (d["n_sources"] >= 2),
    "start >= '2022-10-20' & ~(kind == 'happened')": lambda d: (
        d["start"] >= pd.Timestamp("2022-10-20")) & (d["kind"] != "happened"),
    "attribution == None": lambda d: d["attribution"].isna(),
    "attribution != None": lambda d: d["attribution"].notna(),
    "text.str.contains('Iran')": lambda d: d["text"].str.contains("Iran", regex=False),
    "deadline": lambda d: d["deadline"],
    "2 <= n_sources < 4": lambda d: (d["n_sources"] >= 2) & (d["n_sources"] < 4),
}


@pytest.mark.parametrize("where", list(WHERE))
def test_where(built, where):
    path, table, _ = built
    sel = table[WHERE[where](table).fillna(False).astype(bool)].reset_index(drop=True)
    got = st.query(path, where=where)
    pd.testing.assert_frame_equal(got, sel)
    pd.testing.assert_frame_equal(st.filter_frame(table, where), sel)


@pytest.mark.parametrize("where,message", [
    ("kind = 'x'", "not an expression"), ("kindx == 1", "unknown column 'kindx'"),
    ("event_order > 1", "unknown column"), ("kind == title", "expected a literal"),
    ("__import__('os')", "unsupported call"), ("kind in 'abc'", "needs a list"),
    ("start > 'someday'", "not a date"), ("kind", "cannot use"),
])
def test_where_errors_are_clear(built, where, message):
    with pytest.raises(st.StoreError, match=message):
        st.query(built[0], where=where)


def test_counts_by_day_and_week(built):
    path, table, _ = built
    dated = table[table["start"].notna()]
    day = st.counts(path, "day", "kind")
    assert list(day.columns) == ["period", "kind", "count"] and day["count"].sum() == len(dated)
    exp = dated.groupby([dated["start"].dt.floor("D"), "kind"]).size()
    assert dict(zip(zip(day["period"], day["kind"]), day["count"])) == exp.to_dict()
    week = st.counts(path, "week", "source", start=date(2022, 10, 1), end=date(2022, 10, 31))
    assert (week["period"].dt.day_of_week == 0).all()  # weeks start on Monday
    assert week["count"].sum() == len(filter_range(table, date(2022, 10, 1), date(2022, 10, 31)))
    with pytest.raises(st.StoreError):
        st.counts(path, "hour")


def test_streamed_tables_equal_whole_writes(built, tmp_path):
    path, table, _ = built
    scale.write_streamed(st.iter_frames(path), tmp_path / "a.csv", "csv")
    assert (tmp_path / "a.csv").read_bytes() == export.to_csv(table).encode("utf-8")
    scale.write_streamed(st.iter_frames(path), tmp_path / "a.parquet", "parquet")
    pd.testing.assert_frame_equal(export.read_table(tmp_path / "a.parquet"),
                                  export.read_table(export.write_table(table, tmp_path / "b.parquet")))


def test_not_a_store(tmp_path):
    with pytest.raises(st.StoreError, match="not a timeline store"):
        st.query(tmp_path)


# ------------------------------------------------------------------ CLI

def test_cli_events_from_the_store(built):
    path, table, _ = built
    run = CliRunner().invoke
    r = run(cli, ["events", "--store", str(path), "--from", "2022-10-01", "--to", "2022-10-31",
                  "--where", "kind == 'expected'", "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    sel = filter_range(table, date(2022, 10, 1), date(2022, 10, 31))
    assert [g["event_id"] for g in got] == list(sel[sel["kind"] == "expected"]["event_id"])
    assert f"selected (of {len(table)})" in r.stderr


def test_cli_events_needs_input_or_store(built, tmp_path):
    run = CliRunner().invoke
    r = run(cli, ["events"])
    assert r.exit_code == 2 and "--store DIR" in r.output
    r = run(cli, ["events", str(ROOT / "seeds"), "--store", str(built[0])])
    assert r.exit_code == 2 and "not both" in r.output
    r = run(cli, ["events", "--store", str(tmp_path)])
    assert r.exit_code == 1 and "not a timeline store" in r.output
    r = run(cli, ["events", "--store", str(built[0]), "--where", "kind ="])
    assert r.exit_code == 1 and "Error: --where" in r.output


def test_cli_where_on_inputs(tmp_path):
    r = CliRunner().invoke(cli, ["events", str(ROOT / "seeds"), "--where", "kind == 'expected'",
                                 "--format", "csv"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(pd.io.common.StringIO(r.stdout))
    assert len(df) and set(df["kind"]) == {"expected"}


def test_a_store_written_by_hand_is_queryable(tmp_path):
    """Any writer that follows the layout works: months as hive folders, sealed."""
    from timeline.table import empty_table
    df = export.conform(pd.concat([empty_table(), pd.DataFrame({
        "event_id": ["x", "y"], "start": pd.to_datetime(["2021-01-05", "2021-02-01"]),
        "end": pd.to_datetime(["2021-01-06", "2021-03-01"]), "kind": ["happened", "expected"],
        "deadline": [False, True], "event_order": [1, 2]})]))
    df["event_order"] = pd.array([1, 2], dtype="int64")
    for month, g in df.groupby(st.month_of(df["start"])):
        st.write_month(tmp_path, month, g)
    st.seal(tmp_path)
    assert list(st.query(tmp_path, date(2021, 2, 15), None)["event_id"]) == ["y"]
    assert pa.types.is_timestamp(st._dataset(tmp_path, st.info(tmp_path)["months"]["2021-01"]
                                             ["files"]).schema.field("start").type)
