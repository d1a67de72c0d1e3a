"""The event store on object storage (``--store s3://bucket/events``, ``memory://``, ...).

Object stores have no atomic rename and no lock, so a store there is a set of
versions under its prefix and a pointer naming the published one::

    URL/_current.json                    {"format": ..., "version": "<id>"}
    URL/_versions/<id>/_timeline.json    one version, laid out as a local store
    URL/_versions/<id>/month=2022-10/part-0.parquet

A build writes its store into a local staging folder with the local code
(``scale.Build``); :func:`publish` then uploads that version under a new id
and writes the pointer last. The pointer is one small object written by one
PUT, which object stores show whole or not at all: a reader sees the old
version or the new one. :func:`open_version` reads the pointer once, and the
reader then reads only that version (pyarrow on the fsspec file system), as a
local reader keeps the version folder it opened. After the pointer is written,
the versions older than the one it replaced are deleted: the replaced one
stays until the next publish, for readers that opened it.

No lock: two builds of one URL at once both publish, and the last pointer
wins (fsspec offers no conditional write that every object store honours).
Errors are the file system's own (URLError, OSError); ``store`` words them.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import urls

POINTER = "_current.json"
VERSIONS = "_versions"
FORMAT = "timeline-store-pointer"
_ID = re.compile(r"[0-9a-f]+-\d+")  # what version_id() names


@dataclass(frozen=True)
class Version:
    """The version of a remote store a reader opened; equal when the same version."""

    url: str  # the store, for messages
    id: str
    fs: object = field(compare=False, repr=False)
    base: str = field(compare=False, default="")  # the version's folder in ``fs``

    def __truediv__(self, name: str) -> str:
        """The file system path of a file of this version (what pyarrow opens)."""
        return f"{self.base}/{name}"

    def read_text(self, name: str) -> str:
        return self.fs.cat_file(self / name).decode("utf-8")

    @cached_property
    def arrow(self):
        """The version's file system as pyarrow's (reads go through fsspec)."""
        from pyarrow.fs import FSSpecHandler, PyFileSystem
        return PyFileSystem(FSSpecHandler(self.fs))


def version_id() -> str:
    """A new version's id, as local and remote stores name them: <time_ns hex>-<pid>
    (ids sort in the order they were named)."""
    return f"{time.time_ns():x}-{os.getpid()}"


def open_version(url: str) -> Version:
    """The version the pointer of the store at ``url`` names; FileNotFoundError when
    there is no pointer, ValueError when it is not one."""
    fs, root = urls.filesystem(url)
    vid = _pointed(fs, root)
    if vid is None:
        raise FileNotFoundError(f"{url}/{POINTER}")
    return Version(url, vid, fs, f"{root}/{VERSIONS}/{vid}")


def _pointed(fs, root: str) -> str | None:
    """The version id in the pointer; None without one; ValueError for a bad one."""
    try:
        data = fs.cat_file(f"{root}/{POINTER}")
    except FileNotFoundError:
        return None
    pointer = json.loads(data)
    if not isinstance(pointer, dict) or pointer.get("format") != FORMAT:
        raise ValueError(f"{POINTER} is not a timeline store pointer")
    vid = pointer.get("version")
    # the pointer names a folder to read: nothing but an id of ours
    if not isinstance(vid, str) or not _ID.fullmatch(vid):
        raise ValueError(f"{POINTER} does not name a version")
    return vid


def state(url: str) -> str:
    """"store" (it has a pointer), "empty" (nothing there, or only versions never
    published) or "other" (objects that are not a store's)."""
    fs, root = urls.filesystem(url)
    try:
        names = {p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(root, detail=False)}
    except FileNotFoundError:
        return "empty"
    if POINTER in names:
        return "store"
    return "empty" if names <= {VERSIONS} else "other"


def publish(local: Path, url: str) -> str:
    """Upload the sealed version folder ``local`` to the store at ``url`` and make it
    the published one; returns its id. The pointer is written only after every file."""
    fs, root = urls.filesystem(url)
    try:
        previous = _pointed(fs, root)
    except ValueError:  # a damaged pointer: this publish replaces it
        previous = None
    # named when the upload starts, not when the build did: ids then sort in
    # publish order, which the clean-up below relies on
    vid = version_id()
    base = f"{root}/{VERSIONS}/{vid}"
    files = sorted(p for p in local.rglob("*") if p.is_file())
    try:
        fs.put([str(p) for p in files], [f"{base}/{p.relative_to(local).as_posix()}" for p in files])
    except BaseException:
        _remove(fs, base)  # nothing points to it: readers never saw it
        raise
    pointer = {"format": FORMAT, "version": vid}
    fs.pipe_file(f"{root}/{POINTER}", (json.dumps(pointer) + "\n").encode("utf-8"))
    if previous is not None:
        for old in versions(fs, root):
            if _order(old) < _order(previous):
                _remove(fs, f"{root}/{VERSIONS}/{old}")
    return vid


def versions(fs, root: str) -> list[str]:
    """The version ids under the store's prefix, oldest first."""
    try:
        names = [p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(f"{root}/{VERSIONS}",
                                                                   detail=False)]
    except FileNotFoundError:
        return []
    return sorted((n for n in names if _ID.fullmatch(n)), key=_order)


def _order(vid: str) -> tuple[int, int]:
    t, pid = vid.split("-")
    return int(t, 16), int(pid)


def _remove(fs, path: str) -> None:
    try:
        fs.rm(path, recursive=True)
    except Exception:  # what is left is removed by the next publish (or by hand)
        pass
