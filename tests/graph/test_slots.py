"""rules.slots.find_slots: the pure link-meeting slot search (rules/ is held to 100% branch coverage)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.errors import CalendarError
from rules.slots import find_slots

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 3, 23)  # the week the clocks go forward (Sunday 29 March 2026)
HOUR = timedelta(hours=1)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LONDON)


def slots(busy=None, **kw):
    args = dict(
        busy=busy or {}, week_start=MONDAY, duration=HOUR, is_working_day=weekdays,
        day_start=time(9), day_end=time(17), tz=LONDON,
    )
    args.update(kw)
    return find_slots(**args)


def test_free_week_offers_every_half_hour_inside_working_hours_on_working_days_only():
    found = slots()
    assert len(found) == 5 * 15  # 09:00..16:00 starts, every 30 minutes, Monday to Friday
    assert found[0] == (at(MONDAY, 9), at(MONDAY, 10))
    assert found[-1] == (at(MONDAY + timedelta(days=4), 16), at(MONDAY + timedelta(days=4), 17))
    assert all(start.weekday() < 5 for start, _ in found)


def test_both_people_must_be_free_and_touching_busy_time_is_fine():
    busy = {
        "iro@council.example": [(at(MONDAY, 9), at(MONDAY, 12))],
        "tm@council.example": [(at(MONDAY, 13).astimezone(UTC), at(MONDAY, 14).astimezone(UTC))],
    }
    monday = [s for s in slots(busy) if s[0].date() == MONDAY]
    assert monday[0] == (at(MONDAY, 12), at(MONDAY, 13))  # ends exactly when the TM's meeting starts
    assert (at(MONDAY, 12, 30), at(MONDAY, 13, 30)) not in monday
    assert monday[1] == (at(MONDAY, 14), at(MONDAY, 15))


def test_bank_holiday_or_closure_day_is_never_offered():
    closed = {MONDAY + timedelta(days=2)}  # e.g. a council closure day on the Wednesday
    found = slots(is_working_day=lambda d: weekdays(d) and d not in closed)
    assert {s[0].date() for s in found} == {MONDAY + timedelta(days=n) for n in (0, 1, 3, 4)}


def test_week_after_clock_change_keeps_london_working_hours_and_full_duration():
    next_monday = MONDAY + timedelta(days=7)  # BST (UTC+1) from here
    found = slots(week_start=next_monday, limit=1)
    start, end = found[0]
    assert start.astimezone(UTC).hour == 8 and end - start == HOUR


def test_limit_stops_early_and_longer_meeting_shortens_the_day():
    assert len(slots(limit=3)) == 3
    assert len(slots(duration=timedelta(hours=8), step=HOUR)) == 5


def test_a_day_busy_all_day_offers_nothing_that_day():
    busy = {"tm@council.example": [(at(MONDAY, 0), at(MONDAY, 23))]}
    assert all(s[0].date() != MONDAY for s in slots(busy))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"duration": timedelta(0)}, "duration must be positive"),
        ({"step": timedelta(0)}, "step must be positive"),
        ({"day_start": time(17), "day_end": time(9)}, "are empty"),
        ({"limit": 0}, "limit must be at least 1"),
        ({"busy": {"iro@x": [(datetime(2026, 3, 23, 9), at(MONDAY, 10))]}}, "has no time zone"),
        ({"busy": {"iro@x": [(at(MONDAY, 10), datetime(2026, 3, 23, 11))]}}, "has no time zone"),
        ({"busy": {"iro@x": [(at(MONDAY, 11), at(MONDAY, 10))]}}, "ends"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(kw, message):
    with pytest.raises(CalendarError, match=message):
        slots(**kw)
