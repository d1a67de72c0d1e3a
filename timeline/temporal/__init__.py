"""The date resolver: find temporal expressions and anchor them.

    tag(text, published)            -> list[TimeMention]
    resolve_phrase(phrase, anchor)  -> TimeMention | None
"""
