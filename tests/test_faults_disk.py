"""``--store`` on a full disk (issue 18, item 8 for the store): the build fails with
one line naming the store, the published store is left exactly as it was (or,
for a new store, none is written), and no version folder is left behind.

Two ways: a real small tmpfs (needs root to mount; skipped otherwise) filled
up before the rebuild, and, everywhere, an OSError(ENOSPC) injected at the
store's Parquet writer.
"""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import store as st
from timeline.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _build(store: Path, out: Path, *extra: str):
    return CliRunner().invoke(cli, ["build", str(SEEDS), "-q", "-o", str(out / "p.html"),
                                    "--store", str(store), *extra])


def _leftovers(store: Path) -> list[str]:
    """Version folders beside the store other than the one it links to."""
    current = os.readlink(store) if store.is_symlink() else None
    return sorted(p.name for p in store.parent.iterdir()
                  if p.name.startswith(f".{store.name}.@") and p.name != current)


def _check_failed(r, store: Path, old: pd.DataFrame | None):
    assert r.exit_code == 1 and "Traceback" not in r.output
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith(f"Error: cannot write the store {store}: No space left on device")
    assert sum(line.startswith("Error") for line in lines) == 1
    if old is None:
        assert "no store was written" in lines[-1] and not os.path.lexists(store)
    else:
        assert "unchanged" in lines[-1]
        pd.testing.assert_frame_equal(st.read(store), old)
        st.verify(store)
    assert _leftovers(store) == []


@pytest.fixture
def tmpfs(tmp_path):
    """A 2 MB tmpfs: room for a store of the seeds (~0.3 MB), then filled up."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _fill(disk: Path, leave: int) -> None:
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "fill").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_leaves_the_old_store_and_says_so(tmpfs, tmp_path, workers):
    store = tmpfs / "S"
    assert _build(store, tmp_path).exit_code == 0
    old = st.read(store)
    _fill(tmpfs, 40 * 1024)  # a few months' files fit, not the store
    r = _build(store, tmp_path, "--workers", workers)
    _check_failed(r, store, old)
    (tmpfs / "fill").unlink()  # space again: the next build succeeds
    assert _build(store, tmp_path).exit_code == 0
    assert len(_leftovers(store)) == 1  # the previous version, kept for its readers


def test_a_full_disk_writes_no_new_store(tmpfs, tmp_path):
    _fill(tmpfs, 40 * 1024)
    store = tmpfs / "new"
    _check_failed(_build(store, tmp_path, "--workers", "1"), store, None)


@pytest.fixture
def enospc(monkeypatch):
    """``arm()``: from then on the store's Parquet writer fails as on a full disk
    after its first month; returns the count of writers opened."""
    real = st.pq.ParquetWriter
    calls = {"n": 0}

    def writer(*a, **k):
        calls["n"] += 1
        if calls["n"] > 1:  # the first month is written, the second fails
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*a, **k)

    def arm():
        monkeypatch.setattr(st.pq, "ParquetWriter", writer)
        return calls
    return arm


def test_an_injected_enospc_leaves_the_old_store(tmp_path, enospc):
    store = tmp_path / "S"
    assert _build(store, tmp_path).exit_code == 0
    old = st.read(store)
    calls = enospc()
    r = _build(store, tmp_path, "--workers", "1")  # in this process: the patch holds
    assert calls["n"] == 2
    _check_failed(r, store, old)


def test_an_injected_enospc_writes_no_new_store(tmp_path, enospc):
    enospc()
    store = tmp_path / "new"
    _check_failed(_build(store, tmp_path, "--workers", "1"), store, None)


def test_a_failed_seal_or_publish_leaves_the_old_store(tmp_path, monkeypatch):
    """The last writes of a build: ``_timeline.json``, then the link."""
    store = tmp_path / "S"
    assert _build(store, tmp_path).exit_code == 0
    old = st.read(store)
    for target in ("seal", "symlink"):
        with monkeypatch.context() as m:
            def full(*a, **k):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            if target == "seal":
                m.setattr(st, "seal", full)
            else:
                m.setattr(st.os, "symlink", full)
            _check_failed(_build(store, tmp_path, "--workers", "1"), store, old)
