"""A part of a short period ("late Wednesday", "early Tuesday morning") stays
inside that period: fractions of spans under a week round to hours, not days."""
from datetime import datetime

import pytest

from timeline.temporal import resolve_phrase

THURSDAY = datetime(2025, 8, 14)


@pytest.mark.parametrize("phrase, start, end", [
    ("late Wednesday", datetime(2025, 8, 13, 16), datetime(2025, 8, 14)),
    ("early Tuesday", datetime(2025, 8, 12), datetime(2025, 8, 12, 8)),
    ("early Tuesday morning", datetime(2025, 8, 12, 6), datetime(2025, 8, 12, 8)),
    ("late 2024", datetime(2024, 9, 1), datetime(2025, 1, 1)),  # long spans: whole days
])
def test_part_of_period_stays_inside(phrase, start, end):
    m = resolve_phrase(phrase, THURSDAY)
    assert (m.interval.start, m.interval.end) == (start, end)


@pytest.mark.parametrize("text, value", [
    ("The fire doubled to 8,000 acres overnight, officials said Friday.", "2025-08-14TNI"),
    ("Rain is expected overnight.", "2025-08-15TNI"),  # ahead: the coming night
    ("On Tuesday the rebels attacked. They retreated overnight.", "2025-08-12TNI"),  # day named
])
def test_overnight_in_a_past_report_is_the_night_just_ended(text, value):
    from timeline import tag
    night = [m for m in tag(text, "2025-08-15") if m.text == "overnight"]
    assert [m.value for m in night] == [value]
