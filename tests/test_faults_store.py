"""The store and the batch under faults: concurrent builds, a crash while publishing,
readers during rebuilds, damaged stores, special files in input folders, bad --where."""
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import locking, scale
from timeline import store as st
from timeline.cli import cli
from timeline.sources import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def seeds_table():
    with scale.run([SEEDS], workers=1) as r:
        return r.table()


def _build(path, inputs=(SEEDS,)):
    with scale.run(list(inputs), workers=1, store=path) as r:
        return r.events


# ------------------------------------------------------------------ lock

def test_a_second_build_of_a_store_fails_at_once_naming_the_holder(tmp_path):
    path = tmp_path / "S"
    with st.lock(path):
        t = time.monotonic()
        with pytest.raises(st.StoreError, match=r"being built by another process \(held by"):
            _build(path)
        assert time.monotonic() - t < 5
    assert not path.exists() and not list(tmp_path.glob(".S.@*"))  # nothing left behind
    _build(path)  # released: builds
    st.verify(path)


def test_concurrent_builds_in_two_processes(tmp_path, seeds_table):
    """Two CLI builds of one store started together: one builds it, the other stops at
    once with a clear message (or, started after the first finished, rebuilds it)."""
    path = tmp_path / "S"
    cmd = [sys.executable, "-m", "timeline", "build", str(SEEDS), "--store", str(path),
           "-o", str(tmp_path / "{}.html"), "--workers", "1", "-q"]
    procs = []
    for i in range(2):
        c = [a.replace("{}", str(i)) for a in cmd]
        procs.append(subprocess.Popen(c, env=ENV, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert 0 in codes, outs
    for code, (_, err) in zip(codes, outs):
        if code:
            assert "being built by another process" in err and "Traceback" not in err
            assert len(err.strip().splitlines()) == 1
    meta = st.verify(path)
    assert meta["events"] == len(seeds_table)
    pd.testing.assert_frame_equal(st.read(path), seeds_table)


# ------------------------------------------------------------------ publish

class Crash(Exception):
    pass


@pytest.mark.parametrize("step", ["seal", "symlink", "rename", "replace", "after"])
def test_a_crash_while_publishing_leaves_the_old_store_or_the_new(tmp_path, monkeypatch,
                                                                 seeds_table, step):
    path = tmp_path / "S"
    one = [SEEDS / "2022-10-01-drone-attack-kyiv.txt"] if \
        (SEEDS / "2022-10-01-drone-attack-kyiv.txt").exists() else sorted(SEEDS.glob("*.txt"))[:1]
    old_events = _build(path, one)
    targets = {"seal": (st, "seal"), "symlink": (os, "symlink"), "replace": (os, "replace"),
               "after": (st, "_fsync_dir"), "rename": (Path, "rename")}
    mod, name = targets[step]
    real = getattr(mod, name)
    calls = []

    def crash(*a, **k):
        calls.append(a)
        if step == "after" and len(calls) == 1:
            return real(*a, **k)  # the version's fsync; crash after the swap
        raise Crash(step)
    if step == "rename":  # a store folder from before versions: the crash after moving it
        import shutil
        shutil.rmtree(path.parent / os.readlink(path))
        path.unlink()
        built = tmp_path / "legacy"
        _build(built, one)
        shutil.copytree(built.resolve(), path)
        real_rename = Path.rename

        def crash_after(self, target):
            real_rename(self, target)
            raise Crash(step)
        monkeypatch.setattr(Path, "rename", crash_after)
    else:
        monkeypatch.setattr(mod, name, crash)
    with pytest.raises(Crash):
        _build(path)
    monkeypatch.undo()
    got = st.verify(path)["events"]  # readable, complete: old or new
    assert got in (old_events, len(seeds_table))
    assert len(st.read(path)) == got
    _build(path)  # the next build recovers and cleans up
    assert st.verify(path)["events"] == len(seeds_table)
    assert len(list(tmp_path.glob(".S.@*"))) <= 2
    assert not (tmp_path / ".S.next").exists()


def test_a_store_from_before_versions_is_replaced_and_recovered(tmp_path, seeds_table):
    """The old two-rename commit killed between its renames: the next build restores it."""
    path = tmp_path / "S"
    _build(path)
    old = tmp_path / ".S.old"
    (path.parent / os.readlink(path)).rename(old)
    path.unlink()
    assert not path.exists()
    scale.run([SEEDS], workers=1, store=path).close()
    assert st.verify(path)["events"] == len(seeds_table) and not old.exists()


def test_readers_see_old_or_new_during_rebuilds(tmp_path):
    """A reader in another process queries while the store is rebuilt 3 times: no
    failed read, each read whole (its row count one of the builds')."""
    path = tmp_path / "S"
    small = sorted(SEEDS.glob("*.txt"))[:3]
    sizes = {_build(path, small), _build(path)}
    reader = textwrap.dedent(f"""
        import json, time
        from timeline import store as st
        end, out = time.time() + 1e9, []
        import sys
        while True:
            try:
                n = len(st.query({str(path)!r}))
                out.append(n)
            except Exception as e:
                out.append(f"{{type(e).__name__}}: {{e}}")
            print(json.dumps(out), flush=True); out = []
    """)
    p = subprocess.Popen([sys.executable, "-c", reader], env=ENV, stdout=subprocess.PIPE,
                         text=True)
    first = p.stdout.readline()  # the reader is up (imports done) before the rebuilds start:
    try:  # a slow start (a fresh clone compiling its .pyc files) read nothing in time
        for inputs in ([SEEDS], small, [SEEDS]):
            _build(path, inputs)
    finally:
        p.kill()
    reads = [x for line in [first, *p.stdout.read().splitlines()] if line.strip()
             for x in json.loads(line)]
    assert reads, "the reader read nothing"
    assert all(x in sizes for x in reads), [x for x in reads if x not in sizes][:3]


@pytest.mark.parametrize("damage", ["meta", "json", "parquet", "missing"])
def test_a_damaged_store_gives_a_clear_error(tmp_path, damage):
    path = tmp_path / "S"
    _build(path)
    base = path.resolve()
    meta = json.loads((base / st.META).read_text())
    first = base / next(iter(meta["months"].values()))["files"][0]
    if damage == "meta":
        (base / st.META).write_text("{}")
    elif damage == "json":
        (base / st.META).write_text("{not json")
    elif damage == "parquet":
        first.write_bytes(b"PAR1 garbage")
    else:
        first.unlink()
    with pytest.raises(st.StoreError, match="is damaged.*rebuild it"):
        st.read(path)
    with pytest.raises(st.StoreError, match="is damaged"):
        st.query(path)
    r = CliRunner().invoke(cli, ["events", "--store", str(path)])
    assert r.exit_code == 1 and "is damaged" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


# ------------------------------------------------------------------ workers and temp folders

def test_stale_spill_folders_of_dead_runs_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    dead = tmp_path / f"timeline-{p.pid}-abc_123"
    (dead / "spill").mkdir(parents=True)
    mine = tmp_path / f"timeline-{os.getpid()}-keep"
    mine.mkdir()
    other = tmp_path / "timeline-notapid"
    other.mkdir()
    with locking.temp_dir() as t:
        assert Path(t).name.startswith(f"timeline-{os.getpid()}-")
    assert not dead.exists() and mine.exists() and other.exists()


def test_workers_die_with_their_parent(tmp_path):
    """kill -9 of a process whose pool workers ran die_with_parent: the workers end."""
    code = textwrap.dedent("""
        import os, time, multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from timeline import locking
        def pid(_):
            time.sleep(0.05)
            return os.getpid()
        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                                       initializer=locking.die_with_parent)
            print(" ".join(map(str, set(pool.map(pid, range(8))))), flush=True)
            time.sleep(60)
    """)
    script = tmp_path / "pool.py"
    script.write_text(code)
    p = subprocess.Popen([sys.executable, str(script)], env=ENV, stdout=subprocess.PIPE, text=True)
    workers = [int(x) for x in p.stdout.readline().split()]
    assert workers
    p.kill()
    p.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(w) for w in workers):
        time.sleep(0.1)
    assert not any(_running(w) for w in workers)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


# ------------------------------------------------------------------ special files

@pytest.fixture
def special_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    src = next(SEEDS.glob("*.txt"))
    (folder / "a.txt").write_bytes(src.read_bytes())
    if (SEEDS / "manifest.json").exists():
        (folder / "manifest.json").write_bytes((SEEDS / "manifest.json").read_bytes())
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("/dev/urandom", folder / "random.csv")
    os.symlink(folder / "nowhere.txt", folder / "broken.html")
    return folder


def _skips(skipped):
    return {Path(s.input).name: s.reason for s in skipped}


def test_special_files_are_skipped_with_a_reason(special_folder):
    got = read_inputs([special_folder], published=pd.Timestamp("2022-10-01").date())
    skips = _skips(got.skipped)
    assert "FIFO" in skips["pipe.jsonl"] and "character device" in skips["zero.txt"]
    assert "character device" in skips["random.csv"] and "broken" in skips["broken.html"]
    assert len(got.documents) == 1


def test_a_special_file_given_by_name_is_skipped(special_folder):
    got = read_inputs([special_folder / "pipe.jsonl", special_folder / "zero.txt"])
    assert all("not a regular file" in s.reason for s in got.skipped) and len(got.skipped) == 2


def test_the_batch_skips_special_files_without_hanging(special_folder, tmp_path):
    """Both the CLI build (local engine, two workers) and a store: the run ends, names them."""
    cmd = [sys.executable, "-m", "timeline", "build", str(special_folder), "--published",
           "2022-10-01", "--store", str(tmp_path / "S"), "-o", str(tmp_path / "t.html"),
           "--workers", "2", "-q"]
    r = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    for name in ("pipe.jsonl", "zero.txt", "random.csv", "broken.html"):
        assert f"{name}: " in r.stderr
    assert "1 document(s) read" in r.stderr and "4 input(s) skipped" in r.stderr
    st.verify(tmp_path / "S")


def test_an_empty_folder_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(cli, ["build", str(tmp_path / "empty"), "-o", str(tmp_path / "t.html")])
    assert r.exit_code == 1 and "empty" in r.output and "no article files" in r.output


# ------------------------------------------------------------------ --where

BAD_WHERE = [
    "kind ==", "(kind == 'expected'", "kind == 'expected')", "kind > 3", "n_sources == 'two'",
    "start > 3", "deadline == 1", "text.str.contains(3)", "n_sources.str.contains('x')",
    "kind in 'abc'", "nope == 1", "__import__('os').system('true')", "kind == -'x'",
    "kind == 'a'\x00", "lambda: 1", "kind == kind", "1 == 1", "'x'", "kind.upper() == 'X'",
    "start >= 'not a date'", "kind == 'expected' and", "kind = 'expected'",
    " | ".join(["kind == 'x'"] * 10_000), "not " * 5000 + "deadline",
    "~" * 3000 + "deadline", "(" * 500 + "deadline" + ")" * 500,
    " & ".join(["deadline"] * 300), "kind in [" + ", ".join(["'x'"] * 3000) + "]",
]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("w") / "S"
    _build(path)
    return path


@pytest.mark.parametrize("where", BAD_WHERE, ids=[repr(w[:30]) for w in BAD_WHERE])
def test_bad_where_is_one_clear_line(small_store, where):
    r = CliRunner().invoke(cli, ["events", "--store", str(small_store), "--where", where])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.exception
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --where"), r.output[:300]
    assert "Traceback" not in r.output and len(lines[0]) < 600


@pytest.mark.parametrize("where", ["~deadline", "~ (kind == 'expected')", "n_sources >= 2",
                                   "start >= '2022-10-01' & kind != 'expected'",
                                   "not deadline or n_sources > 1.5"])
def test_good_where_still_runs(small_store, where):
    r = CliRunner().invoke(cli, ["events", "--store", str(small_store), "--where", where])
    assert r.exit_code == 0, r.output


def test_from_after_to_is_refused(small_store):
    r = CliRunner().invoke(cli, ["events", "--store", str(small_store), "--from", "2022-11-01",
                                 "--to", "2022-10-01"])
    assert r.exit_code == 2 and "--from 2022-11-01 is after --to 2022-10-01" in r.output
