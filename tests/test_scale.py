"""The parallel and Dask engines give api.build's table, row for row, and report bad inputs."""
import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline import distributed, partition, scale, windows
from timeline import store as st
from timeline.cli import cli
from timeline.sources import Skipped, iter_inputs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "articles.jsonl"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The seeds, the dev articles (when present) and a file of bad and repeated records."""
    d = tmp_path_factory.mktemp("batch")
    bad = d / "bad.jsonl"
    lines = [
        {"id": "a", "published": "2022-10-20", "text": "Ukraine said on Tuesday it shot down a drone."},
        "not json",
        {"id": "a", "published": "2022-10-21", "text": "Ukraine said on Monday it would cut ties."},
        {"id": "b", "text": "Nothing dates this record."},
        {"id": "c", "published": "2022-10-22", "text": ""},
        {"id": "d", "published": "soon", "text": "The minister resigned on Friday."},
        {"id": "e", "published": "2022-11-03", "text": "Iran admitted in early November "
                                                       "that it sent drones before the war."},
    ]
    bad.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                   encoding="utf-8")
    inputs = [str(SEEDS)] + ([str(NEWS)] if NEWS.is_file() else []) + [str(bad),
                                                                      str(d / "missing.txt")]
    return inputs, timeline.build(inputs)


def _same(r: scale.BuildResult, ref):
    assert r.documents == len(ref.documents)
    assert r.skipped == ref.skipped
    pd.testing.assert_frame_equal(r.mention_table(), ref.mentions)
    pd.testing.assert_frame_equal(r.table(), ref.events)


def test_one_worker_equals_api_build(batch):
    inputs, ref = batch
    assert len(ref.skipped) == 5 and any(d.id == "a-2" for d in ref.documents)
    with scale.run(inputs, workers=1) as r:
        _same(r, ref)


def test_two_workers_equal_one(batch):
    inputs, ref = batch
    # small parts: the repeated id "a" and the bad records fall in different parts
    with scale.run(inputs, workers=2, chunk_docs=2) as r:
        assert len(r.peak_rss_kb) >= 1
        _same(r, ref)


def test_dask_equals_local(batch):
    pytest.importorskip("distributed")
    inputs, ref = batch
    with distributed.run(inputs, workers=2, processes=False, chunk_docs=5) as r:
        _same(r, ref)


def test_windowed_merge_puts_each_mention_in_one_row(batch):
    inputs, _ = batch
    with scale.run(inputs, workers=1, merge_block=40) as a:  # many month windows
        events, mentions = a.table(), a.mention_table()
    members = [x for ms in events["members"] for x in ms.split("; ")]
    assert len(members) == len(set(members))  # no mention in two rows
    left = mentions[~mentions["event_id"].isin(members)]
    assert set(left["role"]) <= {"statement"}  # only lone statements are dropped, as in merge


def test_no_merge_keeps_the_mentions(batch):
    inputs, ref = batch
    with scale.run(inputs, workers=2, chunk_docs=3, merge=False) as r:
        pd.testing.assert_frame_equal(r.table(), ref.mentions)
        assert r.events == r.mentions == len(ref.mentions)


def test_cli_workers_2_writes_the_same_files_as_workers_1(batch, tmp_path):
    inputs, _ = batch
    runner = CliRunner()
    outs = {}
    for n in (1, 2):
        csv, pq = tmp_path / f"{n}.csv", tmp_path / f"{n}.parquet"
        r = runner.invoke(cli, ["build", *inputs, "-o", str(tmp_path / f"{n}.html"),
                                "--table", str(csv), "--table", str(pq), "--workers", str(n),
                                "--chunk-size", "3", "--store", str(tmp_path / f"s{n}")])
        assert r.exit_code == 0, r.output
        assert "skipped" in r.output and "line 2" in r.output  # the bad record, reported
        outs[n] = (csv.read_bytes(), pd.read_parquet(pq))
    assert outs[1][0] == outs[2][0]
    pd.testing.assert_frame_equal(outs[1][1], outs[2][1])
    ref = batch[1]
    from timeline import export
    assert outs[1][0] == export.to_csv(ref.events).encode("utf-8")


def test_cli_engine_dask_and_scheduler_errors(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["build", str(SEEDS), "--engine", "local", "--scheduler",
                            "tcp://127.0.0.1:1", "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and "--scheduler" in r.output


def test_progress_sees_every_document_and_skip(batch):
    inputs, ref = batch
    seen = []
    with scale.run(inputs, workers=2, chunk_docs=3, progress=seen.append):
        pass
    assert sum(isinstance(x, Skipped) for x in seen) == len(ref.skipped)
    assert sorted(x.id for x in seen if not isinstance(x, Skipped)) == \
        sorted(d.id for d in ref.documents)


def test_a_document_the_tagger_fails_on_is_skipped_not_fatal(batch, monkeypatch):
    inputs, _ = batch
    import timeline.pipeline as pipeline
    real = pipeline.document_events

    def flaky(doc):
        if doc.id == "e":
            raise RuntimeError("boom")
        return real(doc)
    monkeypatch.setattr(pipeline, "document_events", flaky)
    ref = timeline.build(inputs)
    with scale.run(inputs, workers=1, chunk_docs=2) as r:  # in process: sees the patch
        assert r.skipped == ref.skipped
        assert any("boom" in s.reason for s in r.skipped)
        pd.testing.assert_frame_equal(r.table(), ref.events)


def test_keep_documents_for_timeml(batch, tmp_path):
    with scale.run([str(SEEDS / "003_28bf6bd65512fe70.txt")], keep_documents=True) as r:
        assert [d.id for d in r.document_list] == ["003_28bf6bd65512fe70"]
    with timeline.build([str(SEEDS / "003_28bf6bd65512fe70.txt")], workers=1,
                        keep_documents=True) as tl:
        out = tl.save(tmp_path / "x.tml")
        assert "<TIMEX3" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ partitions

def _items(parts, opts=partition.ReadOptions()):
    out = []
    for p in parts:
        out += partition.read(p, opts)
    return out


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_parts_read_what_the_readers_read(tmp_path, chunk):
    """Line ranges of JSON lines and record ranges of CSV give iter_inputs' documents."""
    jl = tmp_path / "a.jsonl"
    jl.write_bytes(b"\xef\xbb\xbf" + "\n".join([
        json.dumps({"id": "x", "published": "2022-10-01", "text": "On Monday, it rained."}),
        "", "  ", "[1, 2]",
        json.dumps({"published": "2022-10-02", "text": "Caf\u00e9 \u2028 opened on Friday."}),
        json.dumps({"published": "2022-10-03", "text": "It ended in 2020."}),
    ]).encode("utf-8") + b"\r\n")
    cv = tmp_path / "b.csv"
    cv.write_text('id;published;text;extra\r\n'
                  'r1;2022-10-01;"A quoted\r\nmulti-line text, on Monday.";x\r\n'
                  '\r\n'
                  ';2022-10-02;Short one on Tuesday.;y;overflow\r\n'
                  'r3;2022-10-03\r\n'
                  'r4;2022-10-04;"The ""end"" came in May.";z\r\n', encoding="utf-8")
    legacy = tmp_path / "c.jsonl"  # not UTF-8: read whole by the readers' decoder
    legacy.write_bytes(json.dumps({"id": "l", "published": "2022-10-01",
                                   "text": "Caf\u00e9 on Monday"}, ensure_ascii=False)
                       .encode("cp1252"))
    inputs = [jl, cv, legacy, tmp_path / "nope.csv"]
    parts = list(partition.plan(inputs, chunk))
    kinds = {p.kind for p in parts}
    assert {"lines", "rows", "files", "args"} <= kinds
    assert _items(parts) == list(iter_inputs(inputs))


def test_parquet_input_reads_like_jsonl(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    recs = [{"id": f"p{i}", "published": f"2022-10-{i + 1:02d}", "title": None,
             "text": f"Talks resumed on Monday, day {i}."} for i in range(7)]
    recs.append({"id": "bad", "published": "2022-10-09", "title": "t", "text": None})
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "a.parquet", row_group_size=3)
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    with scale.run([tmp_path / "a.parquet"], workers=2, chunk_docs=2) as a, \
            scale.run([tmp_path / "a.jsonl"], workers=1) as b:
        pd.testing.assert_frame_equal(a.table(), b.table())
        assert [s.input for s in a.skipped] == [f"{tmp_path / 'a.parquet'}:row 8"]
    (tmp_path / "n.parquet").write_bytes(b"not parquet")
    with scale.run([tmp_path / "n.parquet"], workers=1) as r:
        assert r.documents == 0 and "Parquet" in r.skipped[0].reason


def test_store_argument_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("x")
    with pytest.raises(st.StoreError, match="not a timeline store"):
        scale.run([SEEDS], store=tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").exists()
    with scale.run([SEEDS], store=tmp_path / "s"):
        pass
    with scale.run([SEEDS / "003_28bf6bd65512fe70.txt"], store=tmp_path / "s") as r:
        assert st.info(tmp_path / "s")["documents"] == r.documents == 1  # replaced


def _by_title(df, statements=False):
    """A stand-in for merge_events: mentions of one title whose starts are at most
    two days apart (in a chain) are one row, listing its members."""
    rows = []
    for _, g in df.sort_values(["start", "event_id"]).groupby("title", sort=False):
        cut = (g["start"].diff() > pd.Timedelta(days=2)).cumsum()
        for _, h in g.groupby(cut):
            row = h.iloc[0].copy()
            row["members"] = "; ".join(sorted(h["event_id"]))
            rows.append(row)
    return pd.DataFrame(rows).reset_index(drop=True)


def _mention_store(root, days, titles):
    from timeline.export import conform
    from timeline.table import empty_table
    df = conform(pd.concat([empty_table(), pd.DataFrame({
        "event_id": [f"e{i:02d}" for i in range(len(days))], "start": pd.to_datetime(days),
        "end": pd.to_datetime(days) + pd.Timedelta(days=1), "title": titles,
        "deadline": False})]))
    df[st.ORDER] = pd.array(range(len(days)), dtype="int64")
    for month, g in df.groupby(st.month_of(df["start"])):
        st.write_month(root / st.MENTIONS, month, g)


def test_month_windows_merge_duplicates_across_a_month_boundary(tmp_path):
    """Each month a window with 10-day halos: a happening reported on 30 September
    and on 1 October is one row, written once; one five weeks later is not joined."""
    days = ["2022-09-29", "2022-09-30", "2022-10-01", "2022-10-02", "2022-11-05", "2022-11-30"]
    _mention_store(tmp_path, days, ["a", "drone", "drone", "b", "drone", "c"])
    m = scale.merge_store(tmp_path, block_rows=1, merge=_by_title)
    assert m["windows"] == 3 and m["remerged"] == 0
    st.seal(tmp_path)
    out = st.read(tmp_path)
    assert list(out["members"]) == ["e00", "e01; e02", "e03", "e04", "e05"]
    assert list(out["title"]) == ["a", "drone", "b", "drone", "c"]


def test_a_chain_no_window_sees_whole_is_merged_again(tmp_path):
    """A chain of reports two days apart from 11 September to 19 October: the
    September window sees it up to 10 October, the October one from 21 September;
    neither sees it whole, so the parent merges it again: the one row of a
    single-window merge, every other row as that merge gives it."""
    chain = pd.date_range("2022-09-11", "2022-10-19", freq="2D").strftime("%Y-%m-%d").tolist()
    days = chain + ["2022-09-02", "2022-09-29", "2022-10-28", "2022-10-29"]
    titles = ["x"] * len(chain) + ["y", "z", "w", "w"]
    _mention_store(tmp_path / "a", days, titles)
    _mention_store(tmp_path / "b", days, titles)
    assert scale.merge_store(tmp_path / "a", block_rows=1, merge=_by_title)["remerged"] == 1
    assert scale.merge_store(tmp_path / "b", block_rows=10**6, merge=_by_title)["windows"] == 1
    for d in ("a", "b"):
        st.seal(tmp_path / d)
    pd.testing.assert_frame_equal(st.read(tmp_path / "a"), st.read(tmp_path / "b"))
    assert len(st.read(tmp_path / "a")) == 4  # the chain, y, z, w


def test_a_chain_bigger_than_a_remerge_is_merged_again_block_by_block(tmp_path):
    """The same chain, when a component may hold at most 5 mentions to be merged
    again whole: each month's part of it is merged again on its own (a row for
    September's reports, one for October's); every mention is in one row."""
    chain = pd.date_range("2022-09-11", "2022-10-19", freq="2D").strftime("%Y-%m-%d").tolist()
    days = chain + ["2022-09-02", "2022-09-29", "2022-10-28", "2022-10-29"]
    _mention_store(tmp_path, days, ["x"] * len(chain) + ["y", "z", "w", "w"])
    m = scale.merge_store(tmp_path, block_rows=1, merge=_by_title, remerge_rows=5)
    assert m["remerged"] == 2 and m["remerged_mentions"] == len(chain)
    st.seal(tmp_path)
    out = st.read(tmp_path)
    members = [x for ms in out["members"] for x in ms.split("; ")]
    assert sorted(members) == [f"e{i:02d}" for i in range(len(days))]
    sept = [f"e{i:02d}" for i, d in enumerate(chain) if d < "2022-10"]
    assert list(out.loc[out["title"] == "x", "members"]) == [
        "; ".join(sept), "; ".join(f"e{i:02d}" for i in range(len(sept), len(chain)))]


def test_windows_agree_across_workers_parts_and_engines(batch):
    """Month windows (a block of at most 40 mentions) merged in worker processes
    or Dask tasks, in parts of any size: the same rows, each mention in one."""
    inputs, _ = batch
    with scale.run(inputs, workers=1, merge_block=40) as a, \
            scale.run(inputs, workers=2, chunk_docs=3, merge_block=40) as b:
        ref = a.table()
        pd.testing.assert_frame_equal(b.table(), ref)
    if importlib.util.find_spec("distributed"):
        with distributed.run(inputs, workers=2, processes=False, chunk_docs=7,
                             merge_block=40) as c:
            pd.testing.assert_frame_equal(c.table(), ref)


def test_halo_covers_the_merge_date_slack():
    """No pair of precisely dated mentions the merge may join is further apart than
    the halo: an undated statement's window (a week back) plus the slack."""
    from timeline import lang as lang_pack
    t = lang_pack.load("en").merge["thresholds"]
    assert windows.halo_days() > t["statement_days"] + 1 + t["slack_days"]
    plan = windows.plan({"2022-09": 5, "2022-10": 5, "2022-12": 5, st.UNDATED: 1}, 1, 10)
    assert [w.months for w in plan] == [(st.UNDATED,), ("2022-09",), ("2022-10",), ("2022-12",)]
    sep, oct_, dec = plan[1:]
    assert oct_.read == ("2022-09", "2022-10") and dec.read == ("2022-12",)
    day = 86_400 * 10**9
    assert oct_.lo == pd.Timestamp("2022-09-21").value and sep.next_lo == oct_.lo
    assert sep.shared(pd.Timestamp("2022-09-25").value) and not sep.shared(
        pd.Timestamp("2022-09-20").value)
    assert dec.prev_hi is None and oct_.next_lo is None  # November is empty: no halo reaches
    assert oct_.hi - oct_.core[1] == 10 * day


@pytest.mark.parametrize("opts", [dict(), dict(published="2022-11-01"), dict(allow_undated=True),
                                  dict(fields={"text": "body", "id": "key"})])
def test_scan_lists_the_ids_that_read_gives(batch, tmp_path, opts):
    """The cheap scan (no text repair) agrees with reading, bad records included."""
    inputs, _ = batch
    recs = [{"key": "k1", "body": "On Monday.", "published": "2022-10-03"},
            {"key": "k2", "body": "  ", "published": "2022-10-03"}, {"body": "On Friday."},
            {"key": "k4", "body": 5, "published": "2022-10-03"}]
    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    o = partition.ReadOptions.of(**opts)
    for p in partition.plan(inputs + [tmp_path / "f.jsonl"], 2):
        assert partition.scan(p, o) == [x.id for x in partition.read(p, o)
                                         if not isinstance(x, Skipped)]


# ------------------------------------------------------------------ one pipeline under the API

def _small(tmp_path):
    """Three dated records, the second one a document the events stage fails on."""
    f = tmp_path / "three.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"id": "ok1", "published": "2022-10-20", "text": "Ukraine said on Tuesday it shot down a drone."},
        {"id": "bad", "published": "2022-10-21", "text": "The minister resigned on Friday."},
        {"id": "ok2", "published": "2022-11-03", "text": "Iran admitted in early November "
                                                         "that it sent drones."},
    ]) + "\n", encoding="utf-8")
    return f


@pytest.fixture
def breaks_on_bad(monkeypatch):
    """The tagger, and so the events stage, raises for the document "bad" (in this process)."""
    from timeline import pipeline
    real = pipeline.document_mentions

    def flaky(doc):
        if doc.id == "bad":
            raise RuntimeError("boom")
        return real(doc)
    monkeypatch.setattr(pipeline, "document_mentions", flaky)


def _named(skipped, where):
    assert [type(s) for s in skipped] == [Skipped], skipped
    assert skipped[0].input == f"{where} (document bad)"
    assert skipped[0].reason == ("failed while dating its text (RuntimeError: boom); "
                                 "please report it with this document")


def test_one_failure_policy_in_every_path(tmp_path, breaks_on_bad):
    from timeline import api
    f = _small(tmp_path)
    here = timeline.build(f)  # in process
    _named(here.skipped, f)
    assert [d.id for d in here.documents] == ["ok1", "ok2"]
    assert "bad" not in set(here.events["doc_id"]) and len(here.events)
    seen = []
    with timeline.build(f, workers=1, progress=seen.append) as local:  # the local engine
        _named(local.skipped, f)
        assert local.summary() == here.summary() == \
            f"2 document(s) read, {len(here.events)} event(s), 1 input(s) skipped"
        pd.testing.assert_frame_equal(local.events, here.events)
    assert [getattr(x, "id", None) for x in seen] == [None, "ok1", "ok2"]
    pytest.importorskip("distributed")
    with distributed.run(f, workers=1, processes=False) as r:  # Dask in threads: sees the patch
        _named(r.skipped, f)
        pd.testing.assert_frame_equal(r.table(), here.events)
    # timeline tag: the same Skipped (not a str), reported and counted
    got = dict((d.id, m) for d, m in api.tag_documents(api.read(f)[0]))
    _named([got["bad"]], f)
    assert isinstance(got["ok1"], list) and got["ok1"]
    r = CliRunner().invoke(cli, ["tag", str(f)])
    assert r.exit_code == 0
    assert f"skipped {f} (document bad): failed while dating its text (RuntimeError: boom)" \
        in r.stderr
    assert r.stderr.strip().splitlines()[-1].endswith(" 1 input(s) skipped")


def test_build_with_two_workers_equals_one(batch):
    inputs, ref = batch
    with timeline.build(inputs, workers=1, chunk_docs=3) as one, \
            timeline.build(inputs, workers=2, chunk_docs=3) as two:
        assert isinstance(one, timeline.api.EngineTimeline)
        assert one.summary() == two.summary() == ref.summary()
        assert one.skipped == two.skipped == ref.skipped
        pd.testing.assert_frame_equal(one.events, two.events)
        pd.testing.assert_frame_equal(one.mentions, two.mentions)
        pd.testing.assert_frame_equal(two.events, ref.events)


def test_build_engine_options(tmp_path):
    f = str(SEEDS / "003_28bf6bd65512fe70.txt")
    with pytest.raises(ValueError, match="unknown engine"):
        timeline.build(f, engine="spark")
    store = tmp_path / "events"
    with timeline.build(f, store=store) as tl:  # a store: the local engine, kept
        assert tl.store == store and st.info(store)["events"] == tl.event_count
        here = timeline.build(f)
        streamed = tl.save(tmp_path / "t.csv")  # month by month from the store
        assert streamed.read_bytes() == here.save(tmp_path / "u.csv").read_bytes()
        pd.testing.assert_frame_equal(tl.events, here.events)
    assert store.is_dir()
    unmerged = timeline.build(f, merge=False)
    assert len(unmerged.events) == len(unmerged.mentions)


_HEAVY = """
import sys
from click.testing import CliRunner
import timeline.cli
runner = CliRunner()
for args in RUNS:
    r = runner.invoke(timeline.cli.cli, args)
    assert r.exit_code == 0, r.output
    assert r.output.strip(), args
print(sorted({m.split(".")[0] for m in sys.modules} & {"pandas", "numpy", "pyarrow", "scipy"}))
"""


def test_tag_and_resolve_import_no_table_library(tmp_path):
    """`timeline tag` and `timeline resolve` load no pandas, numpy, pyarrow or scipy
    (half a second of a resolve call): the table stack loads with the first table."""
    import subprocess
    import sys
    lines = tmp_path / "two.jsonl"
    lines.write_text(json.dumps({"id": "a", "published": "2022-10-20", "text":
                                 "Ukraine said on Tuesday it shot down a drone."}) + "\n"
                     + json.dumps({"id": "b", "published": "2022-10-21", "text":
                                   "The minister resigned last week."}) + "\n", encoding="utf-8")
    runs = [["resolve", "next Tuesday", "--anchor", "2022-11-03"],
            ["resolve", "before the end of this year", "--anchor", "2022-11-03", "--format", "json"],
            ["tag", str(SEEDS / "003_28bf6bd65512fe70.txt")], ["tag", str(lines)]]
    r = subprocess.run([sys.executable, "-c", _HEAVY.replace("RUNS", repr(runs))], capture_output=True,
                       text=True, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_parts_rarity_adds_up_to_the_whole_inputs(batch):
    """Word rarity counted part by part (disjoint articles) is the whole input's,
    so each merge window weighs words as one merge of everything would."""
    from timeline import merge
    _, ref = batch
    df = ref.mentions
    docs = sorted(set(df["doc_id"]))
    halves = [df[df["doc_id"].isin(docs[::2])], df[df["doc_id"].isin(docs[1::2])]]
    parts = merge.rarity(halves[0]) + merge.rarity(halves[1])
    assert parts == merge.rarity(df) and parts.docs == len(docs)
    # a window (one month) weighs each of its words by the whole input's counts
    month = df[df["start"].dt.strftime("%Y-%m") == "2022-10"].reset_index(drop=True)
    assert 0 < len(month) < len(df)
    ms_all, ms_month = merge._mentions(df.reset_index(drop=True), "en"), merge._mentions(month, "en")
    whole = merge._idf(ms_all, list(df["doc_id"]))
    window = merge._idf(ms_month, list(month["doc_id"]), parts)
    assert window == {w: whole[w] for w in window}
    assert window != merge._idf(ms_month, list(month["doc_id"]))  # its own counts differ


def test_every_window_merges_with_the_whole_inputs_rarity(batch, monkeypatch):
    inputs, ref = batch
    seen = []
    real = scale.windows.merge_frame

    def spy(window, merge, statements, counts=None):
        seen.append(counts)
        return real(window, merge, statements, counts)
    monkeypatch.setattr(scale.windows, "merge_frame", spy)
    from timeline import merge
    with scale.run(inputs, workers=1, chunk_docs=5, merge_block=40):
        pass
    assert len(seen) > 3 and all(c == merge.rarity(ref.mentions) for c in seen)
