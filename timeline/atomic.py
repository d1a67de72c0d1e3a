"""Atomic file writes: every output of timeline goes through here.

A file is written aside, in the same folder (so the rename stays on one file
system), flushed and fsynced, then renamed over the target. A failure at any
point (a full disk, a writer that raises halfway) removes the file aside and
leaves the target as it was: the old file, or none. Readers never see a
truncated page or table.

Failures are raised as :class:`WriteError`, an ``OSError`` whose message is one
line naming the target ("cannot write exports/timeline.html: No space left on
device"), for the CLI to print as is.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["WriteError", "atomic_open", "write_bytes", "write_text"]


class WriteError(OSError):
    """Writing an output failed; the target is unchanged (old file or none)."""

    def __init__(self, path: str | Path, cause: BaseException):
        reason = (getattr(cause, "strerror", None) if isinstance(cause, OSError) else None) \
            or str(cause) or type(cause).__name__
        super().__init__(getattr(cause, "errno", None) or 0, f"cannot write {path}: {reason}")
        self.path = Path(path)
        self.filename = str(path)

    def __str__(self) -> str:
        return self.strerror


def _aside(path: Path) -> tuple[int, Path]:
    """A new file next to ``path``, created exclusively, mode as for a plain open()."""
    for n in range(100):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{n}.part")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path}: too many leftover .part files beside it")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. a platform without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", *, encoding: str | None = None
                ) -> Iterator[IO]:
    """Open ``path`` for writing, atomically: the content appears at ``path``
    only when the block ends without an error. ``mode`` is "wb" or "w" (text,
    with ``encoding``, default UTF-8, and no newline translation)."""
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes whole files: mode 'w' or 'wb', not {mode!r}")
    path = Path(path)
    try:
        fd, tmp = _aside(path)
    except OSError as e:
        raise WriteError(path, e) from e
    try:
        if mode == "w":
            f = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="")
        else:
            f = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(e, OSError) and not isinstance(e, WriteError):
            raise WriteError(path, e) from e
        raise
    _fsync_dir(path.parent)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (no newline translation)."""
    return write_bytes(path, text.encode(encoding))
