"""Text fit to be shown: on a terminal, and in JSON that may be printed on one.

A terminal acts on some characters instead of showing them: C0 and C1
controls (ESC and CSI start colour, cursor and title sequences; a newline
forges a line) and bidirectional overrides (they reorder what follows).
Article text is untrusted, so every place that prints it goes through here.
"""
from __future__ import annotations

import json
import re

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# json.dumps escapes C0 and DEL itself; these it leaves raw with ensure_ascii=False
_JSON_RAW = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def terminal(text) -> str:
    """``text`` (a file name, a title, an article's words) with each control
    character written as its escape, ``\\x1b``."""
    return UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                           str(text))


def json_dumps(obj, **kw) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kw)`` with the characters a
    terminal would act on (C1 controls, bidi overrides) and the JavaScript
    line separators written as ``\\uXXXX``: the same JSON value, readable
    text kept as is."""
    text = json.dumps(obj, ensure_ascii=False, **kw)
    # outside strings JSON holds only ASCII, so each hit is inside a string
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
