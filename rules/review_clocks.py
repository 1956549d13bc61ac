"""Review clocks: the review chain of each period of care, and the clocks that hang off each review.

Sources: reg 33 and 003 s10 (the chain), 004 s3.1 and App. 3 (after a review), 000 standards 4, 5, 7, 10
and 002 code of practice 2.1-2.2 (lead times before a review, decisions, permanency, midway oversight).

The chain (docs/domain.md s2), per period of care (became_looked_after .. ceased_looked_after):
- the 1st review is due `first_review` after the day the child became looked after (20 working days);
- the 2nd is due `second_review` after the 1st was *held* (3 months), each later one `later_review` after the
  previous one was held (6 months). Every review held counts, so an early review (standard 11) restarts the
  chain from its date;
- a review held on or before its due date is in time (met), one held after it is late (missed, met_on = the
  day held); a review that fell due while the child was looked after but never happened (the period ended
  after the due date) is missed; if the period ended on or before the due date no review was owed;
- a new period of care restarts everything: its reviews are numbered from 1 again, and `subject` says
  "review-N" in the first period and "period-P/review-N" in later ones.
Reviews held outside every period of care are ignored.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import Any, NamedTuple

from rules.clock_math import Run, shift
from rules.decisions import counted_dones
from rules.facts import CaseFacts, data_date
from rules.model import Fact, FactKind
from rules.policy import Clock, Policy

_DAY = timedelta(days=1)


class Period(NamedTuple):
    number: int
    start: date
    end: date | None  # the day the child ceased to be looked after; None while looked after

    @property
    def prefix(self) -> str:
        return "" if self.number == 1 else f"period-{self.number}/"

    def owes(self, due: date, met: date | None) -> bool:
        """A clock that falls due after the period ended is not owed (unless it was met anyway)."""
        return met is not None or self.end is None or self.end > due


class HeldReview(NamedTuple):  # a NamedTuple: built once per review of every case, so cheap to build
    subject: str
    on: date
    data: Any              # the review_held fact's data (early, concern, formal_concern, event_id ...)
    next_on: date | None   # the day the next review in the period was held
    next_due: date         # the day the next review falls due


def periods(facts: CaseFacts) -> list[Period]:
    """Periods of care, oldest first. A second 'became looked after' while one period is open is ignored
    (a re-recorded start); a 'ceased' with no open period is ignored; on one day, ceasing comes first."""
    events = [(f.on, 1) for f in facts.of(FactKind.BECAME_LOOKED_AFTER)]
    events += [(f.on, 0) for f in facts.of(FactKind.CEASED_LOOKED_AFTER)]
    events.sort()
    found: list[Period] = []
    start: date | None = None
    for on, became in events:
        if became and start is None:
            start = on
        elif not became and start is not None:
            found.append(Period(len(found) + 1, start, on))
            start = None
    if start is not None:
        found.append(Period(len(found) + 1, start, None))
    return found


def _held_in(facts: CaseFacts, period: Period) -> list[Fact]:
    """Reviews held in the period (end day included), one per event id and one per day (first by key)."""
    kept: list[Fact] = []
    seen_events: set[Any] = set()
    last_day: date | None = None
    held = facts.of(FactKind.REVIEW_HELD)
    for f in held[bisect_left(facts.dates(FactKind.REVIEW_HELD), period.start):]:
        if period.end is not None and f.on > period.end:
            break
        event = f.data.get("event_id")
        if f.on == last_day or (event is not None and event in seen_events):
            continue
        seen_events.add(event)
        last_day = f.on
        kept.append(f)
    return kept


def _chain_clock(policy: Policy, n: int) -> tuple[str, Clock]:
    clock_id = "first_review" if n == 1 else "second_review" if n == 2 else "later_review"
    return clock_id, policy.clocks[clock_id]


def review_chain(run: Run, period: Period) -> list[HeldReview]:
    """Emit the period's review deadlines; return the reviews held, for the clocks that hang off them."""
    clock_id, clock = _chain_clock(run.policy, 1)
    started, due = period.start, shift(run.cal, period.start, clock)
    held = _held_in(run.case, period)
    reviews: list[HeldReview] = []
    for n, fact in enumerate(held, start=1):
        subject = f"{period.prefix}review-{n}"
        if not run.only_open:  # a review held is met or missed: settled
            run.emit(clock_id, clock, due, fact.on, False, started, subject)
        clock_id, clock = _chain_clock(run.policy, n + 1)
        started, due = fact.on, shift(run.cal, fact.on, clock)
        reviews.append(HeldReview(subject, fact.on, fact.data, held[n].on if n < len(held) else None, due))
    if period.owes(due, None):
        run.emit(clock_id, clock, due, None, period.end is not None, started,
                 f"{period.prefix}review-{len(held) + 1}")
    return reviews


def from_start(run: Run, period: Period) -> None:
    """Clocks other than the first review that start when the child became looked after (e.g. the IRO's
    introduction, 000 standard 3): met by their fact at any time in the period up to its end."""
    closed = period.end is not None
    if run.settled(closed):
        return
    hi = period.end + _DAY if period.end else None
    for cid, clock in run.clocks("became_looked_after"):
        if cid == "first_review":
            continue
        due = shift(run.cal, period.start, clock)
        met = run.case.first_between(clock.met_by, period.start, hi) if clock.met_by else None
        if period.owes(due, met):
            run.emit(cid, clock, due, met, closed, period.start, f"{period.prefix}period")


def after_review(run: Run, reviews: list[HeldReview]) -> None:
    """Clocks that start at each review (004 s3.1, App. 3): met by the first fact of their kind on or after
    the review day and before the next review; closed (missed if not met) once the next review is held.
    A clock with `when` runs only after reviews whose data has that key truthy (e.g. `concern`), or whose
    completed record says so (record_read facts for that review; the latest version read wins)."""
    emit, due_and_met = run.emit, run.due_and_met
    at_review, at_sent = run.clocks("review_held"), run.clocks("decisions_sent")
    any_sent = at_sent and run.case.has(FactKind.DECISIONS_SENT)
    for r in reviews:
        closed = r.next_on is not None
        if run.settled(closed):
            continue
        for cid, clock in at_review:
            if clock.when and not (r.data.get(clock.when) or _record_says(run.case, r.on, clock.when)):
                continue
            due, met = due_and_met(clock, r.on, r.on, r.next_on)
            emit(cid, clock, due, met, closed, r.on, r.subject)
        sent = run.case.first_between(FactKind.DECISIONS_SENT, r.on, r.next_on) if any_sent else None
        if sent is None:
            continue
        for cid, clock in at_sent:
            due, met = due_and_met(clock, sent, sent, r.next_on)
            emit(cid, clock, due, met, closed, sent, r.subject)


def _record_says(case: CaseFacts, review_on: date, flag: str) -> bool:
    """Whether the latest reading of the review's completed record has `flag` truthy (e.g. a concern)."""
    if not case.has(FactKind.RECORD_READ):
        return False
    day = review_on.isoformat()
    reads = [f for f in case.of(FactKind.RECORD_READ) if f.data.get("review_date") == day]
    latest = sorted(reads, key=lambda f: int(f.data.get("version") or 1))[-1:]   # the latest version read
    return bool(latest and latest[0].data.get(flag))


def midway(run: Run, period: Period, reviews: list[HeldReview]) -> None:
    """000 standard 10: oversight recorded between reviews, due at the midpoint (rounded down) between a
    review and the next review's due date; met by oversight after the review day and before the next review.
    Not owed when the next review was held on or before the midpoint."""
    clocks = run.clocks("midway_point")
    for r in reviews:
        closed = r.next_on is not None
        if run.settled(closed):
            continue
        midpoint = r.on + timedelta(days=(r.next_due - r.on).days // 2)
        if r.next_on is not None and r.next_on <= midpoint:
            continue  # the next review came first (held early): that review is the oversight, none is owed
        for cid, clock in clocks:
            due, met = run.due_and_met(clock, midpoint, r.on, r.next_on, after=True)
            if period.owes(due, met):
                run.emit(cid, clock, due, met, closed, r.on, r.subject)


def by_second_review(run: Run, period: Period, reviews: list[HeldReview]) -> None:
    """004 s3.1, 000 standard 7: due on the day of the 2nd review (held, else due; before the 1st review is
    held, the latest day the 2nd could fall due). Met by the fact at any time in the period up to then."""
    closed = period.end is not None
    if run.settled(closed):
        return
    if len(reviews) >= 2:
        anchor = reviews[1].on
    elif reviews:
        anchor = reviews[0].next_due
    else:
        first_due = shift(run.cal, period.start, run.policy.clocks["first_review"])
        anchor = shift(run.cal, first_due, run.policy.clocks["second_review"])
    hi = period.end + _DAY if period.end else None
    for cid, clock in run.clocks("second_review"):
        due = shift(run.cal, anchor, clock)
        met = run.case.first_between(clock.met_by, period.start, hi) if clock.met_by else None
        if period.owes(due, met):
            run.emit(cid, clock, due, met, closed, period.start, f"{period.prefix}review-2")


def bookings(facts: CaseFacts) -> dict[str, date]:
    """Booked reviews not cancelled: event id -> the review's day (as held, else as last booked or moved)."""
    cancelled = {str(f.data.get("event_id")) for f in facts.of(FactKind.REVIEW_CANCELLED)}
    booked: dict[str, date] = {}
    for f in facts.of(FactKind.REVIEW_BOOKED):
        event = str(f.data.get("event_id"))
        if event not in cancelled and event not in booked:
            booked[event] = data_date(f, "start")
    for f in facts.of(FactKind.REVIEW_MOVED):  # the latest move wins (facts are sorted by date, key)
        event = str(f.data.get("event_id"))
        if event in booked:
            booked[event] = data_date(f, "start")
    for f in facts.of(FactKind.REVIEW_HELD):
        event = str(f.data.get("event_id"))
        if event in booked:
            booked[event] = f.on
    return booked


_bookings = bookings  # the name function_app/case_view.py imported first


def before_review(run: Run) -> None:
    """Lead times before each booked review (002 code 2.1-2.2; 000 standard 4): due `amount` (negative)
    before the review's day, met by the fact after the previous review held and on or before the review's
    day; closed once the review's day has passed. Subject: "event-<event_id>"."""
    if not run.case.of(FactKind.REVIEW_BOOKED):
        return
    booked = bookings(run.case)
    held = run.case.dates(FactKind.REVIEW_HELD)
    for event, day in sorted(booked.items(), key=lambda item: (item[1], item[0])):
        closed = day < run.today
        if run.settled(closed):
            continue
        i = bisect_left(held, day)  # held[i - 1] is the last review held before this one
        lo = held[i - 1] + _DAY if i else date.min
        for cid, clock in run.clocks("review_booked"):
            met = run.case.first_between(clock.met_by, lo, day + _DAY) if clock.met_by else None
            run.emit(cid, clock, shift(run.cal, day, clock), met, closed, None, f"event-{event}")


def decision_clocks(run: Run) -> None:
    """000 standard 5: each recorded decision is due on its own date (the latest record of it wins) and
    met by decision_done with the same decision_id. A decision without an id or a due date gets no clock:
    that is the defect standard 5 names, reported by `rules.decisions.defects`. A later record of the
    decision without a due date (the IRO took the date out, or removed the row: `withdrawn`) ends its clock."""
    if not run.case.of(FactKind.DECISION_RECORDED):
        return
    latest: dict[str, Fact] = {}
    for f in run.case.of(FactKind.DECISION_RECORDED):
        if f.data.get("decision_id"):
            latest[str(f.data["decision_id"])] = f
    latest = {k: f for k, f in latest.items() if f.data.get("due") and not f.data.get("withdrawn")}
    reopened: dict[str, date] = {}
    for f in run.case.of(FactKind.DECISION_REOPENED):  # the IRO reopened it: earlier "done"s no longer count
        reopened[str(f.data.get("decision_id"))] = max(f.on, reopened.get(str(f.data.get("decision_id")), f.on))
    done: dict[str, date] = {}
    for f in counted_dones([*run.case.of(FactKind.DECISION_PROGRESS), *run.case.of(FactKind.DECISION_DONE)]):
        decision_id = str(f.data.get("decision_id"))
        if f.on > reopened.get(decision_id, date.min):
            done.setdefault(decision_id, f.on)
    for cid, clock in run.clocks("decision_recorded"):
        for decision_id, f in sorted(latest.items()):
            met = done.get(decision_id)
            if not run.settled(met is not None):
                run.emit(cid, clock, shift(run.cal, data_date(f, "due"), clock), met, False, f.on, decision_id)
