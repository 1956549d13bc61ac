"""Working days: table tests on the awkward dates, and property tests against an independent count.

The independent computation walks day by day with `holidays` asked directly (not via the calendar's
tables) and dateutil's relativedelta for months.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar, add_months
from rules.errors import CalendarError

from .conftest import d

BANK = holidays.country_holidays("GB", subdiv="ENG", years=range(2018, 2036), observed=True)


def naive_working(day: date, closures: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in BANK and day not in closures


def naive_add(start: date, n: int, closures: frozenset[date] = frozenset()) -> date:
    step = 1 if n > 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        if naive_working(day, closures):
            left -= 1
    return day


# (what, start, n, expected): each row cites where the holiday comes from (Banking and Financial
# Dealings Act 1971 Sch. 1 and the royal proclamations, as the `holidays` library encodes them).
ADD_ROWS = [
    ("Friday + 1 is Monday", "2026-11-20", 1, "2026-11-23"),
    ("Saturday + 1 is Monday (start day is day 0, even off a working day)", "2026-11-21", 1, "2026-11-23"),
    ("n = 0 returns the start day", "2026-11-21", 0, "2026-11-21"),
    ("Christmas: 24 Dec 2026 + 1 skips 25, Sat, Sun and 28 Dec (Boxing Day observed)", "2026-12-24", 1, "2026-12-29"),
    ("Christmas to New Year: 23 Dec 2026 + 5 skips 25 Dec, 28 Dec and 1 Jan", "2026-12-23", 5, "2027-01-04"),
    ("2027: Christmas Saturday -> Mon 27, Boxing Day Sunday -> Tue 28 Dec", "2027-12-24", 1, "2027-12-29"),
    ("Easter 2027: Good Friday 26 Mar and Easter Monday 29 Mar", "2027-03-25", 1, "2027-03-30"),
    ("Easter 2026: Good Friday 3 Apr, Easter Monday 6 Apr", "2026-04-02", 2, "2026-04-08"),
    ("early May bank holiday 2026 (Mon 4 May)", "2026-05-01", 1, "2026-05-05"),
    ("summer bank holiday 2026 is Mon 31 Aug", "2026-08-28", 1, "2026-09-01"),
    ("negative: Tue 29 Dec 2026 - 1 is Thu 24 Dec", "2026-12-29", -1, "2026-12-24"),
    ("negative from a holiday: 28 Dec 2026 - 1 is 24 Dec", "2026-12-28", -1, "2026-12-24"),
    ("negative from a Sunday: - 1 is the Friday", "2026-11-22", -1, "2026-11-20"),
    ("29 Feb 2028 (Tuesday) + 3", "2028-02-29", 3, "2028-03-03"),
]


@pytest.mark.parametrize(("what", "start", "n", "expected"), ADD_ROWS, ids=[r[0] for r in ADD_ROWS])
def test_add_working_days_table(cal: WorkingCalendar, what: str, start: str, n: int, expected: str) -> None:
    assert cal.add_working_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-12-28", False),  # Boxing Day 2026 is a Saturday: substitute Monday 28 Dec (the check)
        ("2026-12-25", False),
        ("2027-01-01", False),
        ("2026-12-29", True),
        ("2027-12-27", False),  # Christmas 2027 Saturday -> Monday 27
        ("2027-12-28", False),  # Boxing Day 2027 Sunday -> Tuesday 28
        ("2027-03-26", False),  # Good Friday 2027
        ("2027-03-29", False),  # Easter Monday 2027
        ("2026-11-21", False),  # Saturday
        ("2026-11-23", True),
    ],
)
def test_is_working_day(cal: WorkingCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        ("2026-12-24", "2026-12-29", 1),
        ("2026-12-14", "2027-01-14", 20),   # the first-review row in test_review_clocks
        ("2026-11-20", "2026-11-20", 0),
        ("2026-12-29", "2026-12-24", -1),
    ],
)
def test_working_days_between_table(cal: WorkingCalendar, a: str, b: str, n: int) -> None:
    assert cal.working_days_between(d(a), d(b)) == n


def test_between_backwards_over_a_weekend(cal: WorkingCalendar) -> None:
    # [Sat 21, Mon 23) holds no working day, and Sat 21 is not one: 0 steps back
    assert cal.working_days_between(d("2026-11-23"), d("2026-11-21")) == 0
    assert cal.working_days_between(d("2026-11-23"), d("2026-11-20")) == -1
    # from a non-working day back to a working day
    assert cal.working_days_between(d("2026-11-22"), d("2026-11-20")) == -1


MONTH_ROWS = [
    ("31 August + 3 months clamps to 30 November", "2027-08-31", 3, "2027-11-30"),
    ("31 August + 6 months into a leap February", "2027-08-31", 6, "2028-02-29"),
    ("31 August + 6 months into a common February", "2026-08-31", 6, "2027-02-28"),
    ("29 February + 3 months keeps the 29th", "2028-02-29", 3, "2028-05-29"),
    ("29 February + 12 months clamps to 28 February", "2028-02-29", 12, "2029-02-28"),
    ("30 November + 3 months clamps to end of February", "2027-11-30", 3, "2028-02-29"),
    ("across the year end", "2026-10-15", 6, "2027-04-15"),
    ("negative months", "2027-03-31", -1, "2027-02-28"),
]


@pytest.mark.parametrize(("what", "start", "n", "expected"), MONTH_ROWS, ids=[r[0] for r in MONTH_ROWS])
def test_add_months_table(what: str, start: str, n: int, expected: str) -> None:
    assert add_months(d(start), n) == d(expected)
    assert WorkingCalendar.add_months(d(start), n) == d(expected)


def test_calendar_days_helper() -> None:
    assert WorkingCalendar.add_calendar_days(d("2028-02-28"), 1) == d("2028-02-29")


def test_closure_days_are_not_working_days() -> None:
    cal = WorkingCalendar([d("2026-12-29"), d("2026-12-30")])
    assert not cal.is_working_day(d("2026-12-29"))
    assert cal.add_working_days(d("2026-12-24"), 1) == d("2026-12-31")
    assert cal.next_working_day(d("2026-12-29")) == d("2026-12-31")
    assert cal.next_working_day(d("2026-12-31")) == d("2026-12-31")


def test_errors_name_the_problem() -> None:
    with pytest.raises(CalendarError, match="swap them"):
        WorkingCalendar(first_year=2030, last_year=2020)
    with pytest.raises(CalendarError, match="closure_days"):
        WorkingCalendar([d("1900-01-01")])
    with pytest.raises(CalendarError, match="closure_days"):
        WorkingCalendar(["2026-12-29"])  # type: ignore[list-item]
    small = WorkingCalendar(first_year=2026, last_year=2026)
    with pytest.raises(CalendarError, match="outside the working-day calendar"):
        small.is_working_day(d("2027-01-04"))
    with pytest.raises(CalendarError, match="outside the working-day calendar"):
        small.add_working_days(d("2027-01-04"), 1)
    with pytest.raises(CalendarError, match="leaves the calendar"):
        small.add_working_days(d("2026-12-30"), 5)
    with pytest.raises(CalendarError, match="leaves the calendar"):
        small.add_working_days(d("2026-01-05"), -5)


def test_for_policy_takes_the_closure_days(policy) -> None:  # type: ignore[no-untyped-def]
    from rules.policy import ClosureDay

    custom = policy.model_copy(update={"closure_days": (ClosureDay(date=d("2026-12-29"), reason="closure"),)})
    cal = WorkingCalendar.for_policy(custom, first_year=2025, last_year=2027)
    assert not cal.is_working_day(d("2026-12-29"))
    assert WorkingCalendar.for_policy(custom, first_year=2025, last_year=2027) is cal  # built once
    assert WorkingCalendar.for_policy(policy, first_year=2025, last_year=2027).is_working_day(d("2026-12-29"))


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2034, 12, 31))
CLOSURES = frozenset({date(2026, 12, 29), date(2026, 12, 30), date(2027, 4, 1)})


@pytest.fixture(scope="module")
def closed_cal() -> WorkingCalendar:
    return WorkingCalendar(CLOSURES)


@settings(max_examples=300, deadline=None)
@given(start=days, n=st.integers(min_value=-60, max_value=60))
def test_add_matches_a_day_by_day_count(closed_cal: WorkingCalendar, start: date, n: int) -> None:
    assert closed_cal.add_working_days(start, n) == naive_add(start, n, CLOSURES)


@settings(max_examples=300, deadline=None)
@given(a=days, b=days)
def test_between_matches_a_day_by_day_count(closed_cal: WorkingCalendar, a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    span = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    if b >= a:  # working days in (a, b]
        expected = sum(naive_working(x, CLOSURES) for x in span if x > a)
    else:  # minus the working days in [b, a)
        expected = -sum(naive_working(x, CLOSURES) for x in span if x < a)
    assert closed_cal.working_days_between(a, b) == expected


@settings(max_examples=300, deadline=None)
@given(a=days, n=st.integers(min_value=-200, max_value=200))
def test_between_inverts_add(closed_cal: WorkingCalendar, a: date, n: int) -> None:
    assert closed_cal.working_days_between(a, closed_cal.add_working_days(a, n)) == n


@settings(max_examples=300, deadline=None)
@given(day=days)
def test_is_working_day_matches_holidays(closed_cal: WorkingCalendar, day: date) -> None:
    assert closed_cal.is_working_day(day) == naive_working(day, CLOSURES)


@settings(max_examples=500, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)), n=st.integers(-240, 240))
def test_add_months_matches_relativedelta(day: date, n: int) -> None:
    assert add_months(day, n) == day + relativedelta(months=n)
