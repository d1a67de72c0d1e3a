"""Calendar arithmetic on periods: floor, shift, bounds and TIMEX3 values.

A period is identified by its granularity and its first instant.  Weeks are
ISO weeks (Monday first); seasons are northern meteorological seasons with
winter starting in December.  A winter is named by the year of its January
(TIMEX3 "2014-WI" is December 2013 to February 2014), as the annotated corpora do.
"""
from __future__ import annotations

import calendar as _cal
from datetime import date, datetime, timedelta

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_OF_MONTH = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU",
                   9: "FA", 10: "FA", 11: "FA", 12: "WI", 1: "WI", 2: "WI"}
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12,
             "decade": 120, "century": 1200}


def season_start(code: str, year: int) -> datetime:
    """First day of the season ``code`` ("SP", "WI") named with ``year``."""
    month = SEASON_START[code]
    return datetime(year - 1 if month == 12 else year, month, 1)


def as_datetime(d: date | datetime) -> datetime:
    if isinstance(d, datetime):
        return d.replace(tzinfo=None)
    return datetime(d.year, d.month, d.day)


def add_months(d: datetime, n: int) -> datetime:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, _cal.monthrange(year, month)[1])
    return d.replace(year=year, month=month, day=day)


def floor(d: datetime, gran: str) -> datetime:
    """The first instant of the period of granularity ``gran`` containing ``d``."""
    day = datetime(d.year, d.month, d.day)
    if gran == "time":
        return d.replace(second=0, microsecond=0)
    if gran == "day":
        return day
    if gran == "week":
        return day - timedelta(days=day.weekday())
    if gran == "month":
        return day.replace(day=1)
    if gran == "quarter":
        return datetime(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if gran == "half":
        return datetime(d.year, 1 if d.month <= 6 else 7, 1)
    if gran == "season":
        start = SEASON_START[SEASON_OF_MONTH[d.month]]
        year = d.year - 1 if d.month < 3 else d.year
        return datetime(year, start, 1)
    if gran == "year":
        return datetime(d.year, 1, 1)
    if gran == "decade":
        return datetime(d.year - d.year % 10, 1, 1)
    if gran == "century":
        return datetime(d.year - d.year % 100, 1, 1)
    raise ValueError(f"no calendar period for granularity {gran!r}")


def shift(d: datetime, gran: str, n: int) -> datetime:
    """Move ``d`` by ``n`` periods of ``gran``."""
    if gran == "day":
        return d + timedelta(days=n)
    if gran == "week":
        return d + timedelta(weeks=n)
    if gran in MONTHS_IN:
        return add_months(d, n * MONTHS_IN[gran])
    raise ValueError(f"cannot shift by granularity {gran!r}")


def bounds(d: datetime, gran: str) -> tuple[datetime, datetime]:
    """[start, end) of the period of ``gran`` containing ``d``."""
    start = floor(d, gran)
    return start, shift(start, gran, 1)


def timex(start: datetime, gran: str) -> str:
    """TIMEX3 value of the period starting at ``start``."""
    y = start.year
    if gran == "day":
        return start.strftime("%Y-%m-%d")
    if gran == "week":
        iy, iw, _ = start.isocalendar()
        return f"{iy:04d}-W{iw:02d}"
    if gran == "month":
        return start.strftime("%Y-%m")
    if gran == "quarter":
        return f"{y:04d}-Q{(start.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{y:04d}-H{1 if start.month <= 6 else 2}"
    if gran == "season":
        code = SEASON_OF_MONTH[start.month]
        return f"{y + (start.month == 12):04d}-{code}"
    if gran == "year":
        return f"{y:04d}"
    if gran == "decade":
        return f"{y // 10:03d}"
    if gran == "century":
        return f"{y // 100:02d}"
    if gran == "time":
        return start.strftime("%Y-%m-%dT%H:%M")
    raise ValueError(gran)


def fraction(start: datetime, end: datetime, lo: float, hi: float,
             gran: str) -> tuple[datetime, datetime]:
    """The part [lo, hi) of [start, end), rounded to whole days, or to whole hours
    when the span is shorter than a week ("late Wednesday" is that evening, not
    Thursday; "early Tuesday morning" stays inside that morning)."""
    span = end - start
    step = timedelta(days=1) if span >= timedelta(days=7) else timedelta(hours=1)
    steps = span / step
    a = start + step * round(steps * lo)
    b = start + step * round(steps * hi)
    if b <= a:
        b = min(a + step, end) if a < end else a + step
    return a, b


def easter(year: int) -> datetime:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime(year, month, day + 1)


# Years before the common era have no datetime (year 1 is its first).  Inside
# the resolver a BC date is a datetime BC_SHIFT years late: astronomical year a
# (1 BC is 0, 2 BC is -1) is year a + BC_SHIFT, a multiple of 400 years so the
# calendar (leap years, weekdays) is the same.  Such dates anchor "the following
# year" in a history of 490 BC; they leave the resolver as a TIMEX3 value
# ("BC0489") with no interval, since no table date holds them.
BC_SHIFT = 8000
BC_EARLIEST = 3000  # the earliest BC year held this way (later years are AD)


def bc_start(bc_year: int) -> datetime | None:
    """The first instant of the year ``bc_year`` BC, shifted; None beyond BC_EARLIEST."""
    if not 1 <= bc_year <= BC_EARLIEST:
        return None
    return datetime(BC_SHIFT + 1 - bc_year, 1, 1)


def is_bc(d: datetime) -> bool:
    return d.year > BC_SHIFT - BC_EARLIEST


def bc_timex(value: str, gran: str) -> str:
    """The TIMEX3 ``value`` of a shifted BC period as written: "BC0490", "BC0480-04", "BC048"."""
    if gran == "decade":  # named by the BC year it starts at: "the 480s BC"
        return f"BC{(BC_SHIFT + 1 - int(value) * 10) // 10:03d}"
    if gran == "century":  # by the BC year in its middle: "the 9th century BC" is BC08
        return f"BC{(BC_SHIFT - 50 - int(value) * 100) // 100:02d}"
    return f"BC{BC_SHIFT + 1 - int(value[:4]):04d}{value[4:]}"


def outside_calendar(e: Exception) -> bool:
    """``e`` says a date fell outside the years Python's calendar holds (1-9999)
    or a count was too large for date arithmetic, not that the code is wrong."""
    return isinstance(e, OverflowError) or "range" in str(e)  # "year 0 is out of range"
