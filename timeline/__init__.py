"""timeline: turn news articles into an ordered, sourced, interactive timeline.

    import timeline
    tl = timeline.build(["seeds/"])
    tl.events            # pandas DataFrame, one row per dated event
    tl.to_html("timeline.html")
    timeline.resolve("next Tuesday", "2022-11-03").value   # '2022-11-08'
"""
from .api import Timeline, build, read_phrase, resolve, tag

__all__ = ["Timeline", "build", "read_phrase", "resolve", "tag"]
__version__ = "0.1.0"
