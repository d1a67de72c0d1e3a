"""Inputs and stores named by URL, through fsspec: ``memory://`` (one process's
file system, cleared around every test) and ``file://`` (tmp_path).

Builds read memory:// inputs with ``--workers 1``: a worker process started by
forkserver would not see this process's memory file system (file:// would)."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import fsspec
import pandas as pd
import pytest
from click.testing import CliRunner

import timeline
from timeline import objectstore, store as st
from timeline.api import read
from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "events" / "articles.jsonl"
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.iterdir())  # two .txt and their manifest.json


@pytest.fixture
def mem():
    """The memory file system, empty, with the inputs of these tests under /in."""
    fs = fsspec.filesystem("memory")

    def clear():
        fs.store.clear()
        fs.pseudo_dirs.clear()
        fs.pseudo_dirs.append("")
    clear()
    fs.pipe_file("/in/articles.jsonl", ARTICLES.read_bytes())
    for name in SEED_FILES:
        fs.pipe_file(f"/in/seeds/{name}", (SEEDS / name).read_bytes())
    # passed over in a folder, as in a local one
    fs.pipe_file("/in/seeds/.draft.txt", b"not an article")
    fs.pipe_file("/in/seeds/README.md", b"# notes")
    yield fs
    clear()


def _local_inputs(tmp_path) -> list[str]:
    folder = tmp_path / "local"
    folder.mkdir()
    shutil.copy(ARTICLES, folder / "articles.jsonl")
    shutil.copytree(SEEDS, folder / "seeds")
    return [str(folder / "articles.jsonl"), str(folder / "seeds")]


def _run(*args):
    r = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return r


def _versions(fs, root="/stores/ev") -> list[str]:
    return objectstore.versions(fs, root)


# ------------------------------------------------------------------ build and query

def test_memory_inputs_into_a_memory_store_equal_a_local_build(mem, tmp_path):
    r = _run("build", "memory://in/articles.jsonl", "memory://in/seeds", "--store",
             "memory://stores/ev", "--workers", "1", "-q", "--plotlyjs", "cdn",
             "-o", tmp_path / "remote.html", "--table", tmp_path / "remote.csv")
    assert r.exit_code == 0, r.output
    assert "5 document(s) read" in r.stderr and "store memory://stores/ev" in r.stderr
    local = _local_inputs(tmp_path)
    r = _run("build", *local, "--store", tmp_path / "store", "--workers", "1", "-q",
             "--plotlyjs", "cdn", "-o", tmp_path / "local.html", "--table", tmp_path / "local.csv")
    assert r.exit_code == 0, r.output

    remote, here = st.query("memory://stores/ev"), st.query(tmp_path / "store")
    assert len(here) > 20
    pd.testing.assert_frame_equal(remote, here)
    pd.testing.assert_frame_equal(st.read("memory://stores/ev", mentions=True),
                                  st.read(tmp_path / "store", mentions=True))
    # the csv was written from the remote store, month by month
    assert (tmp_path / "remote.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    a = _run("events", "--store", "memory://stores/ev", "--from", "2022-10-01", "--to",
             "2022-11-30", "--format", "json")
    b = _run("events", "--store", tmp_path / "store", "--from", "2022-10-01", "--to",
             "2022-11-30", "--format", "json")
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout and json.loads(a.stdout)
    info = st.verify("memory://stores/ev")
    assert info["events"] == len(here) and info["documents"] == 5
    pd.testing.assert_frame_equal(st.counts("memory://stores/ev", freq="month"),
                                  st.counts(tmp_path / "store", freq="month"))
    # the layout on object storage: one pointer, one version, the Parquet inside it
    assert mem.exists("/stores/ev/_current.json")
    [vid] = _versions(mem)
    assert mem.exists(f"/stores/ev/_versions/{vid}/_timeline.json")
    assert mem.find(f"/stores/ev/_versions/{vid}/month=2022-10")


def test_the_api_build_and_read_with_memory_urls(mem, tmp_path):
    with timeline.build(["memory://in/articles.jsonl"], workers=1,
                        store="memory://stores/ev") as tl:
        assert tl.store == "memory://stores/ev"
        events = tl.events  # read back from the remote store
    with timeline.build([str(ARTICLES)], workers=1) as local:
        assert len(local.events) > 0
        pd.testing.assert_frame_equal(events, local.events)
    docs, skipped = read(["memory://in/seeds"])
    assert [d.path for d in docs] == [f"memory://in/seeds/{n}" for n in SEED_FILES
                                      if n.endswith(".txt")]
    assert [d.id for d in docs] == [n[:-4] for n in SEED_FILES if n.endswith(".txt")]
    assert all(d.published is not None for d in docs)  # dated by the remote manifest.json
    assert skipped == []


def test_remote_record_locations_name_the_url(mem):
    mem.pipe_file("/in/bad.jsonl", ARTICLES.read_bytes().splitlines(keepends=True)[0]
                  + b"\n{not json\n")
    mem.pipe_file("/in/bad.csv", b"id,published,text\na,2022-10-20,It rained on Monday.\n"
                                 b"b,2022-10-20,\n")
    urls = ["memory://in/bad.jsonl", "memory://in/bad.csv"]
    here = timeline.build(urls)
    engine = timeline.build(urls, workers=1, chunk_docs=1)
    for tl in (here, engine):
        where = [s.input for s in tl.skipped]
        assert where == ["memory://in/bad.jsonl:line 3", "memory://in/bad.csv:row 2"], where
        assert tl.document_count == 2
    engine.close()


# ------------------------------------------------------------------ bad inputs

def test_missing_url_and_unknown_protocol_are_skipped_and_the_rest_is_built(mem, tmp_path):
    r = _run("build", "memory://in/articles.jsonl", "memory://in/nothing.jsonl",
             "nosuchproto://bucket/a.jsonl", "memory://in/seeds", "--store",
             "memory://stores/ev", "--workers", "1", "-q", "--plotlyjs", "cdn",
             "-o", tmp_path / "t.html")
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert "skipped memory://in/nothing.jsonl: no such file or folder" in lines
    assert ("skipped nosuchproto://bucket/a.jsonl: unknown protocol nosuchproto://: fsspec "
            "has no file system of that name; give a local path or a URL such as "
            "s3://bucket/key") in lines
    local = timeline.build(_local_inputs(tmp_path))  # the same articles, read locally
    assert f"5 document(s) read, {len(local.events)} event(s), 2 input(s) skipped" in lines
    assert st.info("memory://stores/ev")["documents"] == 5
    strict = _run("build", "memory://in/articles.jsonl", "memory://in/nothing.jsonl",
                  "--strict", "--workers", "1", "-q", "-o", tmp_path / "s.html")
    assert strict.exit_code == 1 and "--strict" in strict.stderr


def test_a_protocol_whose_package_is_not_installed(mem, monkeypatch):
    from fsspec.registry import known_implementations
    monkeypatch.setitem(known_implementations, "tlnopkg",
                        {"class": "tl_no_such_package.FileSystem", "err": "Install it"})
    tl = timeline.build(["tlnopkg://bucket/a.jsonl", "memory://in/articles.jsonl"])
    assert [(s.input, s.reason) for s in tl.skipped] == [
        ("tlnopkg://bucket/a.jsonl", "tlnopkg:// needs the tl_no_such_package package, which "
                                     "is not installed: pip install tl_no_such_package")]
    assert tl.document_count == 3
    if importlib.util.find_spec("s3fs") is None:  # the case users meet
        [s] = timeline.build(["s3://bucket/a.jsonl", "memory://in/articles.jsonl"]).skipped
        assert s.reason == "s3:// needs the s3fs package, which is not installed: pip install s3fs"
    with pytest.raises(st.StoreError, match="tlnopkg:// needs the tl_no_such_package package"):
        timeline.build(["memory://in/articles.jsonl"], workers=1, store="tlnopkg://b/ev")


# ------------------------------------------------------------------ publishing

def test_a_rebuild_publishes_a_new_version_and_readers_see_whole_versions(mem):
    url = "memory://stores/ev"
    timeline.build(["memory://in/articles.jsonl"], workers=1, store=url).close()
    first = len(st.read(url))
    [v1] = _versions(mem)
    reader = st.iter_frames(url)  # opens v1 at its first month
    rows = len(next(reader))

    timeline.build(["memory://in/seeds"], workers=1, store=url).close()
    second = len(st.read(url))
    v1_, v2 = _versions(mem)
    assert v1_ == v1 and first != second
    assert json.loads(mem.cat_file("/stores/ev/_current.json"))["version"] == v2
    rows += sum(len(df) for df in reader)  # the reader finishes the version it opened
    assert rows == first

    late = st.iter_frames(url)
    next(late)  # opened v2
    timeline.build(["memory://in/articles.jsonl"], workers=1, store=url).close()
    assert _versions(mem)[0] == v2 and v1 not in _versions(mem)  # older than the replaced one
    timeline.build(["memory://in/articles.jsonl"], workers=1, store=url).close()
    assert v2 not in _versions(mem) and len(_versions(mem)) == 2
    with pytest.raises(st.StoreError, match="rebuilt twice while it was read"):
        list(late)  # its version is gone: a clear error, never rows of two versions
    assert len(st.read(url)) == first


def test_a_failed_upload_publishes_nothing(mem, monkeypatch):
    url = "memory://stores/ev"
    timeline.build(["memory://in/articles.jsonl"], workers=1, store=url).close()
    before = st.read(url)
    pointer = mem.cat_file("/stores/ev/_current.json")
    put = type(mem).put

    def half(self, lpaths, rpaths, **kw):  # the connection drops halfway through
        put(self, lpaths[: len(lpaths) // 2], rpaths[: len(rpaths) // 2], **kw)
        raise ConnectionError("connection reset by peer")
    monkeypatch.setattr(type(mem), "put", half)
    with pytest.raises(st.StoreError) as e:
        timeline.build(["memory://in/seeds"], workers=1, store=url)
    assert str(e.value).startswith(f"cannot write the store {url}: ConnectionError: "
                                   "connection reset by peer; readers still see a whole version")
    assert mem.cat_file("/stores/ev/_current.json") == pointer
    assert len(_versions(mem)) == 1  # the half upload removed
    pd.testing.assert_frame_equal(st.read(url), before)


def test_store_urls_that_are_not_stores(mem, tmp_path):
    r = _run("build", "memory://in/articles.jsonl", "--store", "memory://in", "--workers", "1",
             "-q", "-o", tmp_path / "t.html")
    assert r.exit_code == 1
    assert "memory://in exists and is not a timeline store" in r.stderr
    assert mem.exists("/in/articles.jsonl") and not mem.exists("/in/_current.json")
    for where, says in [("memory://nothing", "memory://nothing does not exist: build a store "
                                             "there with timeline build INPUT... --store "
                                             "memory://nothing"),
                        ("memory://in", "memory://in is not a timeline store (no _current.json)"),
                        ("nosuchproto://x", "cannot read the store nosuchproto://x: unknown "
                                            "protocol nosuchproto://")]:
        r = _run("events", "--store", where)
        assert r.exit_code == 1 and says in r.stderr, r.stderr
    mem.pipe_file("/stores/bad/_current.json", b'{"format": "timeline-store-pointer", '
                                               b'"version": "../../in"}')
    with pytest.raises(st.StoreError, match="the store memory://stores/bad is damaged"):
        st.query("memory://stores/bad")


# ------------------------------------------------------------------ file:// and no fallback

def test_file_urls(tmp_path):
    local = _local_inputs(tmp_path)
    urls = [Path(p).as_uri() for p in local]
    store_url = (tmp_path / "store").as_uri()
    with timeline.build(urls, workers=2, chunk_docs=1, store=store_url) as tl:
        assert tl.document_count == 5
    # a file:// store is the local store, with its link and lock
    assert (tmp_path / "store").is_symlink() and (tmp_path / ".store.lock").exists()
    with timeline.build(local, workers=1, store=tmp_path / "plain") as tl:
        pass
    pd.testing.assert_frame_equal(st.query(store_url), st.query(tmp_path / "plain"))
    pd.testing.assert_frame_equal(st.query(tmp_path / "store"), st.query(tmp_path / "plain"))
    # inputs go through fsspec: locations and paths name the URL
    (tmp_path / "local" / "bad.jsonl").write_text("{oops\n", encoding="utf-8")
    docs, skipped = read([urls[1], (tmp_path / "local" / "bad.jsonl").as_uri()])
    assert docs[0].path == f"{urls[1]}/{SEED_FILES[0]}"
    assert [s.input for s in skipped] == [f"{(tmp_path / 'local' / 'bad.jsonl').as_uri()}:line 1"]


def test_memory_urls_never_fall_back_to_a_local_path(mem, tmp_path, monkeypatch):
    # Path("memory://in/articles.jsonl") is the local memory:/in/articles.jsonl: put a
    # decoy there (and a decoy store), so a silent fallback would read them
    monkeypatch.chdir(tmp_path)
    decoy = tmp_path / "memory:" / "in"
    decoy.mkdir(parents=True)
    (decoy / "articles.jsonl").write_text(json.dumps(
        {"id": "decoy", "published": "2001-01-01", "text": "A decoy was read on 2 January 2001."})
        + "\n", encoding="utf-8")
    timeline.build([str(decoy / "articles.jsonl")], workers=1,
                   store=tmp_path / "memory:" / "stores" / "ev").close()
    assert Path("memory://stores/ev").exists()  # the decoy store, at the path a fallback takes
    decoys = sorted(map(str, (tmp_path / "memory:").rglob("*")))
    with pytest.raises(st.StoreError, match="memory://stores/ev does not exist"):
        st.query("memory://stores/ev")
    tl = timeline.build(["memory://in/articles.jsonl"])
    assert sorted(d.id for d in tl.documents) == ["council-budget", "court-case",
                                                  "earnings-report"]
    timeline.build(["memory://in/articles.jsonl"], workers=1, store="memory://stores/ev").close()
    assert "decoy" not in set(st.read("memory://stores/ev")["doc_id"])
    assert set(st.read(tmp_path / "memory:" / "stores" / "ev")["doc_id"]) == {"decoy"}
    assert sorted(map(str, (tmp_path / "memory:").rglob("*"))) == decoys  # nothing written there


def test_a_remote_parquet_input_equals_the_local_file(mem, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    rows[1]["text"] = ""  # one bad row, located by the URL
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "articles.parquet", row_group_size=2)
    mem.pipe_file("/in/articles.parquet", (tmp_path / "articles.parquet").read_bytes())
    with timeline.build(["memory://in/articles.parquet"], workers=1, chunk_docs=1) as remote, \
            timeline.build([str(tmp_path / "articles.parquet")], workers=1, chunk_docs=1) as local:
        assert [s.input for s in remote.skipped] == ["memory://in/articles.parquet:row 2"]
        assert remote.document_count == local.document_count == 2
        pd.testing.assert_frame_equal(remote.events, local.events)


def test_a_listing_or_read_refused_by_the_file_system_is_one_line(mem, monkeypatch):
    def denied(self, path, **kw):
        raise PermissionError(f"Forbidden: {path}")
    monkeypatch.setattr(type(mem), "info", denied)
    tl = timeline.build(["memory://in/articles.jsonl", str(ARTICLES)])
    assert [(s.input, s.reason) for s in tl.skipped] == [
        ("memory://in/articles.jsonl", "cannot be read (access denied: Forbidden: "
                                       "/in/articles.jsonl; check the credentials for it)")]
    assert tl.document_count == 3
