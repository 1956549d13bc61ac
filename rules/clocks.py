"""Every clock of a case, derived from its facts: pure functions, facts in, deadlines out, `today` a parameter.

`deadlines(case_ref, facts, policy, cal, today)` returns every deadline of the case, past and present, each
with its verdict as of `today` (met / missed / open / overdue: see rules.clock_math). Which clocks exist, how
long they run and who owns them is the policy's business (rules/policies/*.yaml); how each kind of clock finds
its start and its end in the facts is in rules.review_clocks and rules.resolution_clocks.

Facts may arrive unsorted and repeated: the answer does not depend on their order (rules.facts). Facts dated
after `today` are ignored. Counting rule: the start day is day 0 (rules.calendar).

Deadline.subject says what a deadline is about: "review-N" (or "period-P/review-N" in a later period of care)
for review and after-review clocks; "period" (or "period-P/period") for clocks that run from the day the child
became looked after (the IRO's introduction); "event-<id>" for lead times before a booked review; the
decision_id for decisions; the resolution_id for resolution clocks; "meeting-N" for the team clocks.

`only_open=True` returns just the OPEN and OVERDUE deadlines and skips the work of settling old ones: use it
for a sweep over every case (measured in docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rules import review_clocks as rc
from rules.calendar import WorkingCalendar
from rules.clock_math import Run, shift
from rules.facts import CaseFacts
from rules.model import Deadline, Fact, FactKind
from rules.policy import Policy
from rules.resolution_clocks import resolution_deadlines


def _order(d: Deadline) -> tuple[date, str, str]:
    return d.due, d.clock, d.subject


def deadlines(
    case_ref: str,
    facts: Sequence[Fact],
    policy: Policy,
    cal: WorkingCalendar,
    today: date,
    *,
    only_open: bool = False,
) -> list[Deadline]:
    """Every deadline of one case as of `today`, sorted by due date, then clock id, then subject."""
    run = Run(CaseFacts(case_ref, facts, today), policy, cal, only_open)
    for period in rc.periods(run.case):
        reviews = rc.review_chain(run, period)
        rc.from_start(run, period)
        rc.after_review(run, reviews)
        rc.midway(run, period, reviews)
        rc.by_second_review(run, period, reviews)
    rc.before_review(run)
    rc.decision_clocks(run)
    resolution_deadlines(run)
    run.out.sort(key=_order)
    return run.out


_TEAM_CLOCKS = (
    ("link_meeting", FactKind.LINK_MEETING_HELD),
    ("team_meeting", FactKind.TEAM_MEETING_ATTENDED),
)


def team_deadlines(
    team_id: str, facts: Sequence[Fact], policy: Policy, cal: WorkingCalendar, today: date,
    *, only_open: bool = False,
) -> list[Deadline]:
    """The link role's clocks for one team (000 standard 14): a TM-IRO link meeting every 2 months and the
    IRO at the team meeting every 3, each counted from the last one held. Each meeting held meets the clock
    that was running (in time or late) and the next runs from its date; "meeting-N" is the N-th meeting.
    A team with no meeting on record has its first one due today."""
    run = Run(CaseFacts(team_id, facts, today), policy, cal, only_open)
    for clock_id, kind in _TEAM_CLOCKS:
        clock = policy.clocks[clock_id]
        started: date | None = None
        due = today
        held = sorted(set(run.case.dates(kind)))
        for n, on in enumerate(held, start=1):
            if started is not None:
                run.emit(clock_id, clock, due, on, False, started, f"meeting-{n}")
            started, due = on, shift(cal, on, clock)
        run.emit(clock_id, clock, due, None, False, started, f"meeting-{len(held) + 1}")
    run.out.sort(key=_order)
    return run.out


def reminder_dates(deadline: Deadline, policy: Policy, cal: WorkingCalendar) -> tuple[date, ...]:
    """The days a reminder of `deadline` is due: each of its clock's `reminders` lead times, in working days
    before the due date (latest lead first, so the dates ascend). () for a clock the policy no longer has."""
    clock = policy.clocks.get(deadline.clock)
    if clock is None:
        return ()
    return tuple(sorted({cal.add_working_days(deadline.due, -lead) for lead in clock.reminders}))


def due_date(policy: Policy, cal: WorkingCalendar, clock_id: str, start: date) -> date:
    """When the policy's clock `clock_id` falls due if it starts on `start`: the date the clocks give it
    (rules.clock_math.shift). Cards and documents that state a deadline before its clock exists (a letter's
    dispute date) use this, so they agree with each other and with `iro due`."""
    return shift(cal, start, policy.clocks[clock_id])
