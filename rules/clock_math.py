"""What every clock does: move a date by a policy amount, and judge a deadline as of `today` (Run.emit).

Verdicts (rules.model.Status):
- MET      the fact happened on or before the due date (met_on = its date); for a `window` clock (the TM's
           dispute window) also a window that closed without the fact (met_on = the due date: the decisions
           stood confirmed that day).
- MISSED   the fact happened after the due date (met_on = its date), or never did and no longer can
           (`closed`: the next review took place, the booked review's day passed, the stage ended, the
           period of care ended after the due date).
- OPEN     not yet done, due date today or later.
- OVERDUE  not yet done, due date passed, still possible.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import date, timedelta

from rules.calendar import WorkingCalendar, add_months
from rules.facts import CaseFacts
from rules.model import Deadline, Status
from rules.policy import Clock, Policy

_MET, _MISSED, _OPEN, _OVERDUE = Status.MET, Status.MISSED, Status.OPEN, Status.OVERDUE
_SET = ("case_ref", "clock", "due", "status", "met_on", "owner_role", "source", "started_on", "subject")
# Defaults of any fields added to Deadline later (additively), so that emit() below stays right.
_EXTRA = {f.name: f.default for f in fields(Deadline) if f.name not in _SET and f.default is not MISSING}
_new = object.__new__
_setattr = object.__setattr__


def shift(cal: WorkingCalendar, d: date, clock: Clock) -> date:
    """`d` moved by the clock's amount in its unit (the start day is day 0). A due date that a
    calendar-day or month clock puts on a weekend stays there: the limit is the limit."""
    unit = clock.unit
    if unit == "working_days":
        return cal.add_working_days(d, clock.amount)
    if unit == "months":
        return add_months(d, clock.amount)
    return d + timedelta(days=clock.amount)


class Run:
    """One computation: the case's facts, the policy, the calendar, and the deadlines found so far.

    only_open=True keeps just the OPEN and OVERDUE deadlines, and lets the clocks skip work whose answer
    can only be met or missed (`settled`): what a daily sweep over every case needs.
    """

    __slots__ = ("case", "policy", "cal", "today", "out", "only_open", "groups")

    def __init__(self, case: CaseFacts, policy: Policy, cal: WorkingCalendar, only_open: bool) -> None:
        self.case, self.policy, self.cal, self.only_open = case, policy, cal, only_open
        self.today = case.today
        self.out: list[Deadline] = []
        self.groups = policy.clock_groups()

    def clocks(self, anchor: str) -> tuple[tuple[str, Clock], ...]:
        return self.groups.get(anchor, ())

    def due_and_met(
        self, clock: Clock, start: date, lo: date, hi: date | None, *, after: bool = False
    ) -> tuple[date, date | None]:
        """The clock's due date from `start`, and the first fact of its `met_by` kind in [lo, hi) (or (lo, hi)
        with after=True); both inlined here because this is the clocks' innermost loop."""
        due = self.cal.add_working_days(start, clock.amount) if clock.unit == "working_days" else shift(
            self.cal, start, clock)
        kind = clock.met_by
        if kind is None or not self.case.has(kind):
            return due, None
        return due, self.case.first_between(kind, lo, hi, after=after)

    def settled(self, closed: bool) -> bool:
        """True when a clock that is `closed` need not be computed at all (only open ones are wanted)."""
        return closed and self.only_open

    def emit(
        self, clock_id: str, clock: Clock, due: date, met_on: date | None, closed: bool,
        started_on: date | None, subject: str,
    ) -> None:
        """Judge one deadline (as `verdict` does, inlined: this runs millions of times) and keep it."""
        if met_on is not None:
            status = _MET if met_on <= due else _MISSED
        elif clock.window and (closed or self.today > due):
            status, met_on = _MET, due
        elif closed:
            status = _MISSED
        else:
            status = _OPEN if self.today <= due else _OVERDUE
        if self.only_open and (status is _MET or status is _MISSED):
            return
        # Built without the frozen dataclass's nine object.__setattr__ calls (3x faster); the result is
        # the same as Deadline(...): equal, hashable, frozen.
        d = _new(Deadline)
        _setattr(d, "__dict__", {
            "case_ref": self.case.case_ref, "clock": clock_id, "due": due, "status": status, "met_on": met_on,
            "owner_role": clock.owner_role, "source": clock.source.cite, "started_on": started_on,
            "subject": subject, **_EXTRA,
        })
        self.out.append(d)
