"""Timescales as IROs write them, resolved against the review date (000 standard 5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doc_templates.timescale import UnreadableTimescale, resolve_due
from tests.documents.helpers import WeekdayCalendar

REVIEW = date(2026, 3, 14)  # a Saturday


@pytest.mark.parametrize(("text", "due"), [
    ("within 4 weeks", date(2026, 4, 11)),
    ("Within 4 weeks.", date(2026, 4, 11)),
    ("2 weeks", date(2026, 3, 28)),
    ("within two weeks", date(2026, 3, 28)),
    ("in a fortnight", date(2026, 3, 28)),
    ("3 days", date(2026, 3, 17)),
    ("within 3 weeks of the review", date(2026, 4, 4)),
    ("within one month", date(2026, 4, 14)),
    ("6 months", date(2026, 9, 14)),
    ("by 31/03/2026", date(2026, 3, 31)),
    ("31/3/26", date(2026, 3, 31)),
    ("31.03.2026", date(2026, 3, 31)),
    ("31 March 2026", date(2026, 3, 31)),
    ("by 12th April", date(2026, 4, 12)),
    ("2026-04-11", date(2026, 4, 11)),
    ("1 March", date(2027, 3, 1)),  # no year: the next 1 March after the review
    ("end of April", date(2026, 4, 30)),
    ("by the end of February 2027", date(2027, 2, 28)),
    ("within 4 weeks (by 11/04/2026)", date(2026, 4, 11)),
    ("4/5/2026", date(2026, 5, 4)),  # UK order: day first
    ("29 February", date(2028, 2, 29)),  # the next one there is
])
def test_timescales_and_dates_resolve(text, due) -> None:
    assert resolve_due(text, REVIEW) == due


def test_working_days_use_the_calendar_and_count_from_day_0() -> None:
    assert resolve_due("within 10 working days", REVIEW, WeekdayCalendar()) == date(2026, 3, 27)
    assert resolve_due("5 working days", date(2026, 3, 13), WeekdayCalendar()) == date(2026, 3, 20)


def test_working_days_without_a_calendar_are_refused_not_guessed() -> None:
    with pytest.raises(UnreadableTimescale, match="calendar"):
        resolve_due("within 10 working days", REVIEW)


@pytest.mark.parametrize(("text", "why"), [
    ("ongoing", "not a timescale"),
    ("Next review", "not a date"),
    ("ASAP", "not a timescale"),
    ("", "no timescale"),
    ("   ", "no timescale"),
    ("Friday", "cannot read"),
    ("March 2026", "no day of the month"),
    ("31/02/2026", "cannot read"),
    ("2026-02-30", "not a real date"),
    ("within several weeks", "number"),
    ("end of Smarch", "not a month"),
])
def test_what_is_not_a_timescale_is_refused_with_a_reason(text, why) -> None:
    with pytest.raises(UnreadableTimescale, match=why) as caught:
        resolve_due(text, REVIEW)
    assert caught.value.what_to_do


@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.integers(1, 52))
def test_weeks_are_seven_days_from_any_review(review, n) -> None:
    assert resolve_due(f"within {n} weeks", review) == review + timedelta(weeks=n)


@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.dates(date(2000, 1, 1), date(2060, 12, 31)))
def test_any_written_date_reads_back_in_every_form(review, due) -> None:
    for text in (due.strftime("%d/%m/%Y"), f"{due.day} {due:%B %Y}", f"by {due:%d.%m.%Y}", due.isoformat()):
        assert resolve_due(text, review) == due, text
