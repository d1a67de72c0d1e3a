"""Inputs named by URL (``memory://``, ``s3://``, ``file://``...): listed and read through fsspec.

A :class:`RemotePath` offers the readers what they use of a ``Path`` (name,
stem, suffix, parent, ``/``, ``read_bytes``, ``open``, ``is_file``), so every
reader works on it unchanged; its ``str`` is the URL, which is what locations
(``memory://in/a.jsonl:line 3``) and document paths then name. A folder is a
prefix: :func:`walk` lists it with the local rules (hidden names, manifests,
READMEs and other extensions passed over). Every failure of the file system
(a missing bucket, access denied, a network error) is an ``OSError`` whose
``strerror`` says why, as the readers expect of a local file.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .. import urls


@dataclass(frozen=True)
class RemotePath:
    url: str  # as the user wrote it (children: joined with "/"), for every message
    path: str  # the file system's own path
    fs: object = field(compare=False, repr=False)

    def __str__(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def parent(self) -> RemotePath:
        head, _, _ = self.url.rstrip("/").rpartition("/")
        if head.endswith(":/"):  # memory://a.jsonl: the parent is memory://
            head += "/"
        return RemotePath(head, posixpath.dirname(self.path.rstrip("/")), self.fs)

    def __truediv__(self, name: str) -> RemotePath:
        return RemotePath(f"{self.url.rstrip('/')}/{name}",
                          f"{self.path.rstrip('/')}/{name}", self.fs)

    def relative_to(self, root: RemotePath) -> PurePosixPath:
        return PurePosixPath(posixpath.relpath(self.path, root.path))

    def kind(self) -> str | None:
        """"file", "directory", or None when there is nothing at the URL; OSError
        (with the reason) when the file system cannot tell."""
        try:
            return self.fs.info(self.path).get("type")
        except FileNotFoundError:
            return None
        except Exception as e:
            raise _failed(e) from None

    def is_file(self) -> bool:
        try:
            return self.kind() == "file"
        except OSError:
            return False

    def is_dir(self) -> bool:
        try:
            return self.kind() == "directory"
        except OSError:
            return False

    def read_bytes(self) -> bytes:
        try:
            return self.fs.cat_file(self.path)
        except Exception as e:
            raise _failed(e) from None

    def open(self, mode: str = "rb"):
        try:
            return self.fs.open(self.path, mode)
        except Exception as e:
            raise _failed(e) from None


def _failed(e: BaseException) -> OSError:
    return OSError(getattr(e, "errno", None) or 0, urls.why(e))


def locate(url: str) -> RemotePath:
    """The RemotePath of ``url``, not yet looked up; URLError for a protocol that
    cannot be used (unknown, or its package not installed)."""
    fs, path = urls.filesystem(url)
    return RemotePath(url, path, fs)


def walk(root: RemotePath, skipped: list | None = None,
         suffixes: tuple[str, ...] = ()) -> list[RemotePath]:
    """The article files under the prefix ``root``, in the local folders' order (path
    parts sorted), without hidden, metadata or README files. A listing that fails,
    or finds no article, is added to ``skipped`` (as :class:`Skipped` pairs)."""
    try:
        listing = root.fs.find(root.path, detail=True)
    except Exception as e:
        if skipped is not None:
            skipped.append((str(root), f"cannot be listed ({urls.why(e)})"))
        return []
    found = []
    for path, meta in listing.items():
        if meta.get("type", "file") != "file":
            continue
        rel = posixpath.relpath(path, root.path).split("/")
        low = rel[-1].lower()
        if (any(p.startswith(".") for p in rel) or low == "manifest.json"
                or low.startswith("readme") or PurePosixPath(low).suffix not in suffixes):
            continue
        found.append((rel, RemotePath(f"{root.url.rstrip('/')}/{'/'.join(rel)}", path, root.fs)))
    if not found and skipped is not None:
        skipped.append((str(root), "no article files in this folder: timeline reads "
                                   f"{', '.join(suffixes)}"))
    return [p for _, p in sorted(found, key=lambda x: x[0])]
