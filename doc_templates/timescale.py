"""A decision's timescale as an IRO writes it, resolved to a due date (000 standard 5).

    resolve_due("within 4 weeks", review_date)        -> review_date + 28 days
    resolve_due("10 working days", d, calendar)       -> calendar.add_working_days(d, 10)
    resolve_due("by 31/03/2026", d)                   -> 31 March 2026 (UK order: day first)
    resolve_due("end of April", d)                    -> 30 April of the review's year (or the next)
    resolve_due("ongoing", d)                         -> UnreadableTimescale: not a timescale

Periods count from the review date, which is day 0 (the convention of rules.calendar): "within 2 weeks"
of Saturday 14 March is Saturday 28 March. Months are calendar months, clamped to the month's end
(dateutil's relativedelta). Working days need the council's calendar (rules.calendar.WorkingCalendar: bank
holidays and closure days), so they are refused when none is given rather than guessed.
Explicit dates are read by dateutil with dayfirst=True; a date without a year takes the review's year,
or the next year when that would fall before the review.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from datetime import date, datetime
from typing import Protocol

from dateutil import parser as dateparser
from dateutil.relativedelta import relativedelta

from rules.errors import InputError


class WorkingDays(Protocol):
    """What this module needs of rules.calendar.WorkingCalendar."""

    def add_working_days(self, start: date, n: int) -> date: ...


class UnreadableTimescale(InputError):
    """The due cell cannot be resolved to a date; `reason` says why and is safe to show."""


NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_PERIOD = re.compile(
    r"^(?:within|in|no later than|not later than)?\s*(?:the\s+next\s+)?(?P<n>\d+|[a-z]+)\s+"
    r"(?P<unit>working days?|business days?|calendar days?|days?|weeks?|fortnights?|months?)"
    r"(?:\s+(?:of|from|after)\s+(?:the\s+)?(?:review|meeting)(?:\s+date)?)?$"
)
_FORTNIGHT = re.compile(r"^(?:within|in)\s+a\s+fortnight$")
_END_OF = re.compile(r"^(?:by\s+)?(?:the\s+)?end\s+of\s+(?P<month>[a-z]+)(?:\s+(?P<year>\d{4}))?$")
_BY = re.compile(r"^(?:by|before|on or before|no later than|not later than|due|on)\s+")
_VAGUE = {
    "ongoing": "'ongoing' is not a timescale",
    "on going": "'on going' is not a timescale",
    "asap": "'asap' is not a timescale",
    "as soon as possible": "'as soon as possible' is not a timescale",
    "immediately": "'immediately' is not a date: give one",
    "tbc": "'tbc' is not a timescale",
    "tba": "'tba' is not a timescale",
    "n/a": "'n/a' is not a timescale",
}
#: "by the next review" is a timescale IROs write; it resolves only when the caller knows when that review is due
_NEXT_REVIEW = re.compile(r"^(?:by|before|at|for|in time for)?\s*(?:the\s+)?next\s+(?:cla\s+|lac\s+)?review$")
MONTHS = {m.lower(): i for i, m in enumerate(_stdcal.month_name) if m} | {
    m.lower(): i for i, m in enumerate(_stdcal.month_abbr) if m}
FIX = "write a date (31/03/2026) or a period from the review (within 4 weeks)"


def resolve_due(text: str | None, review_date: date, calendar: WorkingDays | None = None,
                next_review: date | None = None) -> date:
    """The due date `text` gives, counted from `review_date`. Raises UnreadableTimescale with the reason.

    "by the next review" resolves to `next_review` (the date the rules say that review is due) when the
    caller gives it, and is refused otherwise: it is not a date on its own."""
    cleaned = " ".join((text or "").lower().replace("\u2019", "'").split()).strip(" .;,")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):  # ISO: year first, whatever dayfirst says
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            raise UnreadableTimescale(f"'{cleaned}' is not a real date", FIX) from None
    if not cleaned:
        raise UnreadableTimescale("no timescale", FIX)
    if cleaned in _VAGUE:
        raise UnreadableTimescale(_VAGUE[cleaned], FIX)
    if _NEXT_REVIEW.match(cleaned):
        if next_review is None:
            raise UnreadableTimescale(f"'{cleaned}' is not a date: give the date the review is due", FIX)
        return next_review
    if _FORTNIGHT.match(cleaned):
        return _add(review_date, 1, "fortnight", calendar)
    period = _PERIOD.match(cleaned)
    if period:
        return _add(review_date, _number(period["n"], cleaned), period["unit"], calendar)
    end = _END_OF.match(cleaned)
    if end:
        return _end_of(end["month"], end["year"], review_date, cleaned)
    return _explicit(_BY.sub("", cleaned), review_date, cleaned)


def _number(word: str, cleaned: str) -> int:
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    raise UnreadableTimescale(f"cannot read the number in '{cleaned}'", FIX)


def _add(start: date, n: int, unit: str, calendar: WorkingDays | None) -> date:
    unit = unit.rstrip("s")
    if unit in ("working day", "business day"):
        if calendar is None:
            raise UnreadableTimescale("working days need the council's calendar", "give a date instead")
        return calendar.add_working_days(start, n)
    if unit in ("day", "calendar day"):
        return start + relativedelta(days=n)
    if unit == "week":
        return start + relativedelta(weeks=n)
    if unit == "fortnight":
        return start + relativedelta(weeks=2 * n)
    return start + relativedelta(months=n)


def _end_of(month: str, year: str | None, review_date: date, cleaned: str) -> date:
    number = MONTHS.get(month)
    if number is None:
        raise UnreadableTimescale(f"'{month}' in '{cleaned}' is not a month", FIX)
    y = int(year) if year else review_date.year
    due = date(y, number, _stdcal.monthrange(y, number)[1])
    if not year and due < review_date:
        due = date(y + 1, number, _stdcal.monthrange(y + 1, number)[1])
    return due


_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}(?:\s+\d{4})?\b"
)


def _explicit(text: str, review_date: date, cleaned: str) -> date:
    """A written date; failing that, the one date inside longer text ("within 4 weeks (by 11/04/2026)")."""
    try:
        return _parse_date(text, review_date, cleaned)
    except UnreadableTimescale:
        found = [m for m in _DATE_IN_TEXT.findall(text) if m.split()[-1] in MONTHS or not m[-1].isalpha()]
        if len(found) != 1:
            raise
        return _parse_date(found[0], review_date, cleaned)


def _parse_date(text: str, review_date: date, cleaned: str) -> date:
    """dateutil fills what the text leaves out from a default: parsing with two different defaults shows
    whether a day and a year were written (both defaults are leap years, so 29 February survives)."""
    if not re.search(r"\d", text):  # dateutil would happily turn "friday" into some Friday
        raise UnreadableTimescale(f"cannot read '{cleaned}' as a date or a timescale", FIX)
    try:
        one = dateparser.parse(text, dayfirst=True, default=datetime(2000, 1, 1))
        two = dateparser.parse(text, dayfirst=True, default=datetime(2004, 1, 2))
    except (ValueError, OverflowError):
        raise UnreadableTimescale(f"cannot read '{cleaned}' as a date or a timescale", FIX) from None
    if one.day != two.day:
        raise UnreadableTimescale(f"'{cleaned}' has no day of the month", FIX)
    if one.year == two.year:
        return one.date()
    for year in range(review_date.year, review_date.year + 5):  # no year written: the next such day
        try:
            due = date(year, one.month, one.day)
        except ValueError:  # 29 February outside a leap year
            continue
        if due >= review_date:
            return due
    raise UnreadableTimescale(f"cannot read '{cleaned}' as a date", FIX)
