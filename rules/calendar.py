"""Working days for England: bank holidays (the `holidays` library) plus council closure days.

Counting rule, used by every clock in this project: **the start day is day 0**. Adding 1 working day to a
Friday gives the next Monday (if Monday is a working day); adding 20 working days to the day a child became
looked after gives the day the first review is due (reg 33; docs/domain.md s2). The start day need not itself be
a working day: adding 1 to a Saturday also gives the Monday.

Bank holidays are England and Wales's, from `holidays.country_holidays("GB", subdiv="ENG")` with
substitute ("observed") days included: Boxing Day 2026 is a Saturday, so Monday 28 December 2026 is a bank
holiday. Council closure days come from the policy file (`closure_days`).

Why a table and not a loop: the clocks run once per case for every case in the council (84,000 children in
the national benchmark), so each call must be O(1). The calendar precomputes, for every day in its year
range, how many working days fall on or before it (`_count`) and the ordinal of every working day (`_days`).
`add_working_days` and `working_days_between` are then two list look-ups.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import holidays

from rules.errors import CalendarError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from rules.policy import Policy

FIRST_YEAR = 1990
LAST_YEAR = 2070
_BUILT: dict[tuple[frozenset[date], int, int], WorkingCalendar] = {}


def add_months(d: date, n: int) -> date:
    """`d` plus `n` calendar months, the same day number clamped to the month's end.

    31 August + 3 months = 30 November; 29 February 2028 + 12 months = 28 February 2029. This is what
    dateutil's `relativedelta(months=n)` does (the property tests check it against relativedelta); it is
    written out here because it runs millions of times and relativedelta costs ~10x more.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    day = d.day
    if day > 28:
        day = min(day, _stdcal.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


class WorkingCalendar:
    """Working days = Monday to Friday, minus England's bank holidays, minus the council's closure days.

    Dates outside `first_year`..`last_year` raise CalendarError (say which range to widen).
    """

    def __init__(
        self,
        closures: Iterable[date] = (),
        *,
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        if first_year > last_year:
            raise CalendarError(f"first_year {first_year} is after last_year {last_year}; swap them")
        self.first_year, self.last_year = first_year, last_year
        self.bank_holidays = holidays.country_holidays(
            "GB", subdiv="ENG", years=range(first_year, last_year + 1), observed=True
        )
        self._first = date(first_year, 1, 1)
        self._last = date(last_year, 12, 31)
        self.closures = frozenset(closures)
        for day in self.closures:
            if not isinstance(day, date) or not self._first <= day <= self._last:
                raise CalendarError(
                    f"closure day {day!r} is not a date within {first_year}-{last_year}; "
                    "correct closure_days in the policy file"
                )
        self._base = self._first.toordinal()
        closed = {d.toordinal() for d in self.bank_holidays} | {d.toordinal() for d in self.closures}
        count, days, running = [], [], 0
        for ordinal in range(self._base, self._last.toordinal() + 1):
            # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 >= 5 is Saturday or Sunday
            if (ordinal - 1) % 7 < 5 and ordinal not in closed:
                running += 1
                days.append(ordinal)
            count.append(running)
        self._count: list[int] = count  # working days on or before base + i
        self._days: list[date] = [date.fromordinal(o) for o in days]  # the working days, ascending
        self._size = len(count)

    @classmethod
    def for_policy(cls, policy: Policy, **kw: int) -> WorkingCalendar:
        """The calendar a council's clocks run on: bank holidays plus the policy's closure days.

        Built once per distinct (closure days, year range) and shared: building one takes ~0.1 s, and a
        calendar never changes after it is built."""
        closures = frozenset(c.date for c in policy.closure_days)
        key = (closures, kw.get("first_year", FIRST_YEAR), kw.get("last_year", LAST_YEAR))
        found = _BUILT.get(key)
        if found is None:
            found = _BUILT[key] = cls(closures, **kw)
        return found

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if i < 0 or i >= self._size:
            raise CalendarError(
                f"{d.isoformat()} is outside the working-day calendar ({self.first_year}-{self.last_year}); "
                "build WorkingCalendar with a wider first_year/last_year"
            )
        return i

    def is_working_day(self, d: date) -> bool:
        i = self._index(d)
        return self._count[i] != (self._count[i - 1] if i else 0)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n > 0) or before it (n < 0); `start` is day 0.

        n == 0 returns `start` unchanged, even on a non-working day.
        """
        i = start.toordinal() - self._base  # _index() inlined: this runs millions of times
        if i < 0 or i >= self._size:
            self._index(start)  # raises the CalendarError
        if n == 0:
            return start
        count = self._count
        if n > 0:
            j = count[i] + n - 1  # index into _days of the n-th working day after start
        else:
            before = count[i] - (count[i] != (count[i - 1] if i else 0))  # working days before start
            j = before + n
        if j < 0 or j >= len(self._days):
            raise CalendarError(
                f"{n} working days from {start.isoformat()} leaves the calendar "
                f"({self.first_year}-{self.last_year}); build WorkingCalendar with a wider range"
            )
        return self._days[j]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days from `a` to `b`, counting `a` as day 0: the n with add_working_days(a, n) == b.

        For b >= a: the working days in (a, b]. For b < a: minus the working days in [b, a). So for any
        working day b, add_working_days(a, working_days_between(a, b)) == b.
        """
        i, j = self._index(a), self._index(b)
        if j >= i:
            return self._count[j] - self._count[i]
        # working days in [b, a) = (working days < a) - (working days < b)
        below_a = self._count[i] - (1 if self.is_working_day(a) else 0)
        below_b = self._count[j] - (1 if self.is_working_day(b) else 0)
        return -(below_a - below_b)

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    @staticmethod
    def add_months(d: date, n: int) -> date:
        """Calendar months, clamped to the month's end (see the module function)."""
        return add_months(d, n)

    @staticmethod
    def add_calendar_days(d: date, n: int) -> date:
        return d + timedelta(days=n)
