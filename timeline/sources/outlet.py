"""The outlet of a record that names none: its site name, else its URL's host.

Most real feeds (JSON lines exports, scraped records) carry a URL but no
``source`` field, which left the page's Source column and the hover cards
without an outlet. The host is what a reader would name the outlet by
("keyt.com"); a record's ``site_name`` (the page's own name, og:site_name)
is better when present. Never a guess from the text.
"""
from __future__ import annotations

from urllib.parse import urlsplit

# host prefixes that name a server or an edition, not the outlet
_PREFIXES = ("www.", "www2.", "m.", "amp.", "mobile.", "edition.")


def host_outlet(url) -> str | None:
    """``https://www.reuters.com/world/...`` -> ``reuters.com``; None without an http(s) host."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.rstrip(".")
    for prefix in _PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    return host or None


def outlet(source, url, site_name=None) -> str | None:
    """The record's own ``source`` when given, else its site name, else its URL's host."""
    for value in (source, site_name):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return host_outlet(url)
