"""Process hygiene for builds: an exclusive lock per store, workers that die with
their parent, and temporary folders that do not outlive a killed run.

- :class:`Lock`: ``flock`` on a file beside the store (``.S.lock``), taken
  without waiting: a second build of the same store fails at once and names
  the process that holds it. The lock file stays (removing it would race);
  the kernel drops the lock when its holder dies, even by ``kill -9``.
- :func:`die_with_parent`: for a worker process (a pool initializer): Linux's
  ``PR_SET_PDEATHSIG`` kills it when its parent dies, elsewhere a thread
  watches the parent. :func:`watch_parent` is the thread alone (Dask workers,
  whose parent thread is not the one that stays).
- :func:`temp_dir`: a ``TemporaryDirectory`` named ``timeline-<pid>-...``;
  first removes such folders left by processes that no longer run.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

PREFIX = "timeline-"
_STALE = re.compile(rf"{PREFIX}(\d+)-[A-Za-z0-9_]+$")


class Busy(OSError):
    """The lock is held by another build."""


class Lock:
    """An exclusive, non-blocking lock on ``path`` (a file created if missing)."""

    _held: set[str] = set()  # flock does not exclude two threads of one process reliably
    _guard = threading.Lock()

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.fd: int | None = None

    def acquire(self) -> Lock:
        import fcntl
        key = os.path.abspath(self.path)
        with self._guard:
            if key in self._held:
                raise Busy(f"held by this process (pid {os.getpid()})")
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read(fd)
                os.close(fd)
                raise Busy(f"held by {holder or 'another process'}") from None
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                     .encode())
            self.fd = fd
            self._held.add(key)
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        import fcntl
        with self._guard:
            self._held.discard(os.path.abspath(self.path))
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc):
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


# ------------------------------------------------------------------ workers

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Make this (worker) process end when its parent does."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    watch_parent()


def watch_parent(interval: float = 0.5) -> None:
    """A daemon thread that ends this process once its parent is gone."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, name="timeline-watch-parent", daemon=True).start()


# ------------------------------------------------------------------ temporary folders

def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def clean_stale(folder: str | Path | None = None) -> list[Path]:
    """Remove ``timeline-<pid>-*`` folders of processes that no longer run; returns them."""
    folder = Path(folder or tempfile.gettempdir())
    gone = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return gone
    for p in entries:
        m = _STALE.match(p.name)
        if m and int(m.group(1)) != os.getpid() and not alive(int(m.group(1))):
            try:
                if p.is_dir() and not p.is_symlink() and p.stat().st_uid == os.getuid():
                    shutil.rmtree(p, ignore_errors=True)
                    gone.append(p)
            except OSError:
                pass
    return gone


def temp_dir() -> tempfile.TemporaryDirectory:
    """A temporary folder for this run, after removing those of dead runs."""
    clean_stale()
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-")
