"""Free slots for a link meeting: pure search over people's busy times (no I/O, no clock).

Why here and not in Graph: `findMeetingTimes` is delegated-only, so an unattended app asks Graph's
`getSchedule` (application permission) for everyone's busy times and searches for slots itself.
The link meetings are the IRO's two-monthly meeting with the linked team's manager (000 standard 14).

A slot is offered only when
- every person is free for the whole slot (a busy interval that merely touches the slot is fine),
- the day is a working day by `is_working_day` (the caller passes the council's WorkingCalendar,
  which excludes weekends, England and Wales bank holidays and council closure days),
- the slot lies inside working hours `day_start`-`day_end` of that day in `tz` (Europe/London),
- the day is in the target week: `week_start` and the six days after it (the start day counts).

All arithmetic is done in UTC, so a slot on the day the clocks change is still `duration` long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from rules.errors import CalendarError

Interval = tuple[datetime, datetime]

WEEK = 7


def find_slots(
    busy: Mapping[str, Iterable[Interval]],
    week_start: date,
    duration: timedelta,
    is_working_day: Callable[[date], bool],
    day_start: time,
    day_end: time,
    tz: tzinfo,
    step: timedelta = timedelta(minutes=30),
    limit: int | None = None,
) -> list[Interval]:
    """Every slot of `duration` in the target week when nobody in `busy` is busy, earliest first.

    Candidate starts are `day_start`, then every `step` after it. Returned datetimes are in `tz`.
    `limit` stops after that many slots. Busy datetimes must be timezone-aware.
    """
    _check(duration, step, day_start, day_end, limit)
    taken = _merged_busy(busy)
    slots: list[Interval] = []
    for offset in range(WEEK):
        day = week_start + timedelta(days=offset)
        if not is_working_day(day):
            continue
        for start, end in _day_candidates(day, duration, step, day_start, day_end, tz):
            if not _overlaps(taken, start, end):
                slots.append((start.astimezone(tz), end.astimezone(tz)))
                if limit is not None and len(slots) >= limit:
                    return slots
    return slots


def _check(duration: timedelta, step: timedelta, day_start: time, day_end: time, limit: int | None) -> None:
    if duration <= timedelta(0):
        raise CalendarError(f"meeting duration must be positive, got {duration}; pass e.g. timedelta(hours=1)")
    if step <= timedelta(0):
        raise CalendarError(f"slot step must be positive, got {step}; pass e.g. timedelta(minutes=30)")
    if day_start >= day_end:
        raise CalendarError(f"working hours {day_start}-{day_end} are empty; day_start must be before day_end")
    if limit is not None and limit < 1:
        raise CalendarError(f"limit must be at least 1 or None, got {limit}")


def _merged_busy(busy: Mapping[str, Iterable[Interval]]) -> list[Interval]:
    """Everyone's busy intervals in UTC, sorted; whose they are no longer matters."""
    merged: list[Interval] = []
    for person, intervals in busy.items():
        for start, end in intervals:
            if start.tzinfo is None or end.tzinfo is None:
                raise CalendarError(f"busy time of {person} has no time zone; pass timezone-aware datetimes")
            if end < start:
                raise CalendarError(f"busy time of {person} ends ({end}) before it starts ({start})")
            merged.append((start.astimezone(UTC), end.astimezone(UTC)))
    return sorted(merged)


def _day_candidates(
    day: date, duration: timedelta, step: timedelta, day_start: time, day_end: time, tz: tzinfo
) -> Iterable[Interval]:
    opens = datetime.combine(day, day_start, tzinfo=tz).astimezone(UTC)
    closes = datetime.combine(day, day_end, tzinfo=tz).astimezone(UTC)
    start = opens
    while start + duration <= closes:
        yield start, start + duration
        start += step


def _overlaps(taken: list[Interval], start: datetime, end: datetime) -> bool:
    return any(b_start < end and b_end > start for b_start, b_end in taken)
