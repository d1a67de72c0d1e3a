"""Paths given as URLs (``memory://``, ``s3://``, ``gs://``...): their fsspec file system.

A string that starts with ``PROTOCOL://`` is a URL; anything else (and every
``Path``) is a local path and never comes here. ``file://`` URLs name local
paths: :func:`local_path` turns them into one, so they get the local code and
its guarantees. The other protocols are fsspec's; the packages behind most of
them (s3fs, gcsfs, adlfs...) are the user's to install, and a missing one is
named in the error with the command that installs it.
"""
from __future__ import annotations

import re
from pathlib import Path

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class URLError(ValueError):
    """A URL whose file system cannot be had; the message says why and what to do."""


def is_url(name) -> bool:
    """Whether ``name`` is a URL string (``PROTOCOL://...``)."""
    return isinstance(name, str) and _URL.match(name) is not None


def protocol(url: str) -> str:
    return url.split("://", 1)[0].lower()


def is_remote(name) -> bool:
    """A URL that is not a local ``file://`` one."""
    return is_url(name) and protocol(name) != "file"


def local_path(name):
    """A ``file://`` URL as its local path; anything else unchanged."""
    if is_url(name) and protocol(name) == "file":
        from fsspec.implementations.local import LocalFileSystem
        return Path(LocalFileSystem._strip_protocol(name))
    return name


def filesystem(url: str):
    """(the fsspec file system of ``url``, the path in it); URLError naming the
    protocol when fsspec does not know it or its package is not installed."""
    try:
        import fsspec.core
    except ImportError:  # a declared dependency, but a broken install should say so
        raise URLError("reading URLs needs the fsspec package: pip install fsspec") from None
    name = protocol(url)
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError:
        raise URLError(_missing(name)) from None
    except ValueError as e:
        if "Protocol not known" in str(e):
            raise URLError(f"unknown protocol {name}://: fsspec has no file system of that "
                           "name; give a local path or a URL such as s3://bucket/key") from None
        raise URLError(f"not a usable {name}:// URL: {_first_line(e)}") from None
    except Exception as e:  # a file system's own set-up (credentials, endpoint) failed
        raise URLError(f"cannot open the {name}:// file system "
                       f"({type(e).__name__}: {_first_line(e)})") from None


def _missing(name: str) -> str:
    from fsspec.registry import known_implementations
    package = known_implementations.get(name, {}).get("class", "").split(".")[0]
    if package:
        return (f"{name}:// needs the {package} package, which is not installed: "
                f"pip install {package}")
    return f"{name}:// needs a package that is not installed: see fsspec's documentation"


def why(e: BaseException) -> str:
    """One line saying why a remote read or write failed."""
    if isinstance(e, FileNotFoundError):
        return "no such file or folder"
    if isinstance(e, PermissionError):
        return f"access denied: {_first_line(e)}; check the credentials for it"
    return f"{type(e).__name__}: {_first_line(e)}"


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:300]
