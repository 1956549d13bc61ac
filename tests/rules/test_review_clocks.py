"""Review clocks, table by table. Each row cites its source; due dates were counted by hand on a calendar
(start day = day 0, England bank holidays with substitute days)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.clocks import deadlines
from rules.errors import InputError
from rules.model import Deadline, FactKind, Status

from .conftest import CASE, d, fact

K = FactKind


def run(policy, cal, facts, today: str, **kw) -> dict[tuple[str, str], Deadline]:  # type: ignore[no-untyped-def]
    found = deadlines(CASE, facts, policy, cal, d(today), **kw)
    table = {(x.clock, x.subject): x for x in found}
    assert len(table) == len(found), "two deadlines share a clock and subject"
    return table


# --- the review chain (reg 33; 003 s10) -------------------------------------------------------------------

CHAIN_ROWS = [
    # (why, source, facts as (kind, date, data), today, expected {(clock, subject): (due, status, met_on)})
    (
        "1st review over Christmas: 14 Dec 2026 + 20 WD skips 25, 28 Dec and 1 Jan",
        "reg 33(2)(a)",
        [(K.BECAME_LOOKED_AFTER, "2026-12-14", {})],
        "2027-01-10",
        {("first_review", "review-1"): ("2027-01-14", Status.OPEN, None)},
    ),
    (
        "1st review overdue the day after",
        "reg 33(2)(a)",
        [(K.BECAME_LOOKED_AFTER, "2026-12-14", {})],
        "2027-01-15",
        {("first_review", "review-1"): ("2027-01-14", Status.OVERDUE, None)},
    ),
    (
        "held on the due date is in time; the 2nd is 3 months on",
        "reg 33(2)(a)-(b); 003 s10",
        [(K.BECAME_LOOKED_AFTER, "2026-12-14", {}), (K.REVIEW_HELD, "2027-01-14", {})],
        "2027-01-20",
        {
            ("first_review", "review-1"): ("2027-01-14", Status.MET, "2027-01-14"),
            ("second_review", "review-2"): ("2027-04-14", Status.OPEN, None),
        },
    ),
    (
        "held a day late is late (missed, with the day held)",
        "reg 33(2)(a)",
        [(K.BECAME_LOOKED_AFTER, "2026-12-14", {}), (K.REVIEW_HELD, "2027-01-15", {})],
        "2027-01-20",
        {
            ("first_review", "review-1"): ("2027-01-14", Status.MISSED, "2027-01-15"),
            ("second_review", "review-2"): ("2027-04-15", Status.OPEN, None),
        },
    ),
    (
        "31 August + 3 months = 30 November; then + 6 months = 30 May",
        "003 s10; reg 33(2)(b)-(c)",
        [
            (K.BECAME_LOOKED_AFTER, "2027-08-02", {}),  # + 20 WD skips the summer bank holiday (30 Aug 2027)
            (K.REVIEW_HELD, "2027-08-31", {}),
            (K.REVIEW_HELD, "2027-11-30", {}),
        ],
        "2027-12-01",
        {
            ("first_review", "review-1"): ("2027-08-31", Status.MET, "2027-08-31"),
            ("second_review", "review-2"): ("2027-11-30", Status.MET, "2027-11-30"),
            ("later_review", "review-3"): ("2028-05-30", Status.OPEN, None),
        },
    ),
    (
        "29 February: 1st review due 29 Feb 2028, 2nd 29 May, 3rd 6 months after the 2nd",
        "reg 33(2); 003 s10",
        [
            (K.BECAME_LOOKED_AFTER, "2028-02-01", {}),
            (K.REVIEW_HELD, "2028-02-29", {}),
            (K.REVIEW_HELD, "2028-05-26", {}),
        ],
        "2028-06-01",
        {
            ("first_review", "review-1"): ("2028-02-29", Status.MET, "2028-02-29"),
            ("second_review", "review-2"): ("2028-05-29", Status.MET, "2028-05-26"),
            ("later_review", "review-3"): ("2028-11-26", Status.OPEN, None),
        },
    ),
    (
        "31 August + 6 months lands on 29 February in a leap year",
        "003 s10; reg 33(2)(c)",
        [
            (K.BECAME_LOOKED_AFTER, "2027-05-04", {}),
            (K.REVIEW_HELD, "2027-05-28", {}),
            (K.REVIEW_HELD, "2027-08-31", {}),
        ],
        "2027-09-01",
        {
            ("first_review", "review-1"): ("2027-06-02", Status.MET, "2027-05-28"),  # skips 31 May 2027
            ("second_review", "review-2"): ("2027-08-28", Status.MISSED, "2027-08-31"),
            ("later_review", "review-3"): ("2028-02-29", Status.OPEN, None),
        },
    ),
    (
        "an early review restarts the chain from its date (and counts as the next review)",
        "000 standard 11; reg 33",
        [
            (K.BECAME_LOOKED_AFTER, "2026-01-05", {}),
            (K.REVIEW_HELD, "2026-01-28", {}),
            (K.REVIEW_HELD, "2026-03-10", {"early": True}),
        ],
        "2026-06-01",
        {
            ("first_review", "review-1"): ("2026-02-02", Status.MET, "2026-01-28"),
            ("second_review", "review-2"): ("2026-04-28", Status.MET, "2026-03-10"),
            ("later_review", "review-3"): ("2026-09-10", Status.OPEN, None),
        },
    ),
    (
        "a review that fell due while looked after but never happened is missed",
        "reg 33; docs/domain.md s2",
        [(K.BECAME_LOOKED_AFTER, "2026-01-05", {}), (K.CEASED_LOOKED_AFTER, "2026-02-10", {})],
        "2026-06-01",
        {("first_review", "review-1"): ("2026-02-02", Status.MISSED, None)},
    ),
    (
        "a period that ended on the due date owed no review",
        "reg 33",
        [(K.BECAME_LOOKED_AFTER, "2026-01-05", {}), (K.CEASED_LOOKED_AFTER, "2026-02-02", {})],
        "2026-06-01",
        {},
    ),
    (
        "a new period of care restarts everything (numbered from 1, prefixed)",
        "reg 33",
        [
            (K.BECAME_LOOKED_AFTER, "2026-01-05", {}),
            (K.REVIEW_HELD, "2026-01-28", {}),
            (K.CEASED_LOOKED_AFTER, "2026-03-01", {}),
            (K.BECAME_LOOKED_AFTER, "2026-06-01", {}),
        ],
        "2026-06-10",
        {
            ("first_review", "review-1"): ("2026-02-02", Status.MET, "2026-01-28"),
            ("first_review", "period-2/review-1"): ("2026-06-29", Status.OPEN, None),
        },
    ),
    (
        "reviews outside any period, facts after today, and re-recorded starts are ignored",
        "reg 33",
        [
            (K.REVIEW_HELD, "2025-12-01", {}),
            (K.CEASED_LOOKED_AFTER, "2025-12-02", {}),
            (K.BECAME_LOOKED_AFTER, "2026-01-05", {}),
            (K.BECAME_LOOKED_AFTER, "2026-01-06", {}),
            (K.REVIEW_HELD, "2026-01-09", {"event_id": "a"}),
            (K.REVIEW_HELD, "2026-01-09", {"event_id": "b"}),   # a second record the same day
            (K.REVIEW_HELD, "2026-01-12", {"event_id": "a"}),   # the same event again
            (K.REVIEW_HELD, "2026-07-01", {}),                  # after today
        ],
        "2026-02-01",
        {
            ("first_review", "review-1"): ("2026-02-02", Status.MET, "2026-01-09"),
            ("second_review", "review-2"): ("2026-04-09", Status.OPEN, None),
        },
    ),
]


@pytest.mark.parametrize(
    ("why", "source", "rows", "today", "expected"), CHAIN_ROWS, ids=[r[0][:60] for r in CHAIN_ROWS]
)
def test_review_chain(policy, cal, why, source, rows, today, expected) -> None:  # type: ignore[no-untyped-def]
    table = run(policy, cal, [fact(k, on, **data) for k, on, data in rows], today)
    chain = {key: x for key, x in table.items() if key[0] in ("first_review", "second_review", "later_review")}
    got = {key: (x.due.isoformat(), x.status, x.met_on.isoformat() if x.met_on else None) for key, x in chain.items()}
    assert got == expected, f"{why} ({source})"
    for x in chain.values():
        assert x.source and x.owner_role == "iro"


def test_review_deadline_carries_its_start_and_source(policy, cal) -> None:  # type: ignore[no-untyped-def]
    table = run(policy, cal, [fact(K.BECAME_LOOKED_AFTER, "2026-12-14")], "2027-01-01")
    first = table[("first_review", "review-1")]
    assert first.started_on == d("2026-12-14")
    assert first.source == "reg 33(2)(a)"
    assert first.case_ref == CASE


def test_introduction_runs_from_the_start_of_each_period(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [
        fact(K.BECAME_LOOKED_AFTER, "2026-12-14"),                 # + 15 WD over Christmas = 7 Jan 2027
        fact(K.IRO_INTRODUCED, "2027-01-08"),
        fact(K.CEASED_LOOKED_AFTER, "2027-02-01"),
        fact(K.BECAME_LOOKED_AFTER, "2027-03-01"),                 # + 15 WD = 22 Mar 2027, never sent
        fact(K.CEASED_LOOKED_AFTER, "2027-04-01"),
        fact(K.BECAME_LOOKED_AFTER, "2027-05-04"),                 # ended before it fell due: not owed
        fact(K.CEASED_LOOKED_AFTER, "2027-05-10"),
    ]
    table = run(policy, cal, rows, "2027-06-01")
    assert _row(table[("iro_introduction", "period")]) == ("2027-01-07", Status.MISSED, "2027-01-08")
    assert _row(table[("iro_introduction", "period-2/period")]) == ("2027-03-22", Status.MISSED, None)
    assert ("iro_introduction", "period-3/period") not in table
    assert table[("iro_introduction", "period")].source == "000 standard 3"


# --- after a review (004 s3.1, App. 3) ----------------------------------------------------------------------

BASE = [(K.BECAME_LOOKED_AFTER, "2027-02-01", {}), (K.REVIEW_HELD, "2027-03-22", {"concern": True})]


def _after(policy, cal, extra, today):  # type: ignore[no-untyped-def]
    facts = [fact(k, on, **data) for k, on, data in BASE + extra]
    return run(policy, cal, facts, today)


def _row(x: Deadline) -> tuple[str, Status, str | None]:
    return x.due.isoformat(), x.status, x.met_on.isoformat() if x.met_on else None


AFTER_ROWS = [
    # review Mon 22 Mar 2027; Good Friday 26 Mar and Easter Monday 29 Mar 2027 are not working days
    ("concern_discussion", "004 App. 3: 3 WD", [(K.CONCERN_DISCUSSED, "2027-03-25", {})],
     ("2027-03-25", Status.MET, "2027-03-25")),
    ("decisions_to_tm", "004 s3.1: 5 WD across Easter", [(K.DECISIONS_SENT, "2027-03-31", {})],
     ("2027-03-31", Status.MET, "2027-03-31")),
    ("decisions_to_tm", "004 s3.1: a day late", [(K.DECISIONS_SENT, "2027-04-01", {})],
     ("2027-03-31", Status.MISSED, "2027-04-01")),
    ("record_completed", "004 s3.1: 15 WD", [(K.RECORD_COMPLETED, "2027-04-15", {})],
     ("2027-04-14", Status.MISSED, "2027-04-15")),
    ("record_distributed", "004 s3.1: 20 WD, not done", [], ("2027-04-21", Status.OVERDUE, None)),
    ("decisions_to_child", "003 s10 'soon after' read as 5 WD", [(K.DECISIONS_TO_CHILD, "2027-03-30", {})],
     ("2027-03-31", Status.MET, "2027-03-30")),
    ("tm_dispute_window", "004 s3.1: 5 WD from the day sent (Thu 25 Mar), no dispute: confirmed",
     [(K.DECISIONS_SENT, "2027-03-25", {})], ("2027-04-05", Status.MET, "2027-04-05")),
    ("tm_dispute_window", "004 App. 3: disputed on the last day",
     [(K.DECISIONS_SENT, "2027-03-25", {}), (K.DECISIONS_DISPUTED, "2027-04-05", {})],
     ("2027-04-05", Status.MET, "2027-04-05")),
    ("tm_dispute_window", "004 App. 3: disputed too late (decisions already confirmed)",
     [(K.DECISIONS_SENT, "2027-03-25", {}), (K.DECISIONS_DISPUTED, "2027-04-06", {})],
     ("2027-04-05", Status.MISSED, "2027-04-06")),
    ("record_distributed", "closed by the next review without the fact: missed",
     [(K.REVIEW_HELD, "2027-04-20", {})], ("2027-04-21", Status.MISSED, None)),
]


@pytest.mark.parametrize(("clock", "source", "extra", "expected"), AFTER_ROWS, ids=[r[1] for r in AFTER_ROWS])
def test_after_review(policy, cal, clock, source, extra, expected) -> None:  # type: ignore[no-untyped-def]
    table = _after(policy, cal, extra, "2027-04-30")
    assert _row(table[(clock, "review-1")]) == expected, source


def test_after_review_while_running(policy, cal) -> None:  # type: ignore[no-untyped-def]
    table = _after(policy, cal, [(K.DECISIONS_SENT, "2027-03-25", {})], "2027-04-01")
    assert table[("tm_dispute_window", "review-1")].status is Status.OPEN
    assert table[("tm_dispute_window", "review-1")].started_on == d("2027-03-25")
    assert table[("record_completed", "review-1")].status is Status.OPEN
    assert table[("tm_dispute_window", "review-1")].owner_role == "tm"


def test_conditional_clocks_need_their_flag(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [fact(K.BECAME_LOOKED_AFTER, "2027-02-01"), fact(K.REVIEW_HELD, "2027-03-22")]
    table = run(policy, cal, facts, "2027-03-23")
    assert ("concern_discussion", "review-1") not in table
    assert ("resolution_entry", "review-1") not in table
    assert ("tm_dispute_window", "review-1") not in table  # no decisions sent yet
    flagged = [fact(K.BECAME_LOOKED_AFTER, "2027-02-01"), fact(K.REVIEW_HELD, "2027-03-22", formal_concern=True)]
    entry = run(policy, cal, flagged, "2027-03-23")[("resolution_entry", "review-1")]
    assert _row(entry) == ("2027-03-25", Status.OPEN, None)  # 004 s5.1: "three days" read as working days


# --- midway oversight (000 standard 10) and permanency (004 s3.1; 000 standard 7) ---------------------------

FIRST = [(K.BECAME_LOOKED_AFTER, "2026-01-05", {}), (K.REVIEW_HELD, "2026-01-28", {})]


@pytest.mark.parametrize(
    ("extra", "today", "expected"),
    [
        ([], "2026-03-01", ("2026-03-14", Status.OPEN, None)),  # 28 Jan + 90 days // 2 = 14 Mar
        ([], "2026-03-15", ("2026-03-14", Status.OVERDUE, None)),
        ([(K.MIDWAY_OVERSIGHT, "2026-03-01", {})], "2026-03-15", ("2026-03-14", Status.MET, "2026-03-01")),
        ([(K.MIDWAY_OVERSIGHT, "2026-01-28", {})], "2026-03-01", ("2026-03-14", Status.OPEN, None)),  # review day
        ([(K.MIDWAY_OVERSIGHT, "2026-04-01", {})], "2026-04-02", ("2026-03-14", Status.MISSED, "2026-04-01")),
        ([(K.REVIEW_HELD, "2026-04-20", {})], "2026-04-21", ("2026-03-14", Status.MISSED, None)),
    ],
)
def test_midway_oversight(policy, cal, extra, today, expected) -> None:  # type: ignore[no-untyped-def]
    table = run(policy, cal, [fact(k, on, **data) for k, on, data in FIRST + extra], today)
    assert _row(table[("midway_oversight", "review-1")]) == expected


def test_midway_not_owed_when_the_next_review_comes_first(policy, cal) -> None:  # type: ignore[no-untyped-def]
    early = [fact(K.REVIEW_HELD, "2026-03-10")]  # held early (a significant change), before the 14 March midpoint
    table = run(policy, cal, [fact(k, on, **data) for k, on, data in FIRST] + early, "2026-04-01")
    assert ("midway_oversight", "review-1") not in table and ("midway_oversight", "review-2") in table


def test_midway_not_owed_after_the_period_ends(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [fact(k, on, **data) for k, on, data in FIRST] + [fact(K.CEASED_LOOKED_AFTER, "2026-02-20")]
    assert ("midway_oversight", "review-1") not in run(policy, cal, facts, "2026-06-01")


@pytest.mark.parametrize(
    ("rows", "today", "expected"),
    [
        # before the 1st review: the latest the 2nd could fall due (2 Feb + 3 months)
        ([(K.BECAME_LOOKED_AFTER, "2026-01-05", {})], "2026-01-10", ("2026-05-02", Status.OPEN, None)),
        (FIRST, "2026-02-01", ("2026-04-28", Status.OPEN, None)),
        (FIRST + [(K.REVIEW_HELD, "2026-03-10", {})], "2026-03-11", ("2026-03-10", Status.OVERDUE, None)),
        (FIRST + [(K.PERMANENCY_PLAN, "2026-03-01", {})], "2026-03-11", ("2026-04-28", Status.MET, "2026-03-01")),
        (FIRST + [(K.CEASED_LOOKED_AFTER, "2026-05-01", {})], "2026-06-01", ("2026-04-28", Status.MISSED, None)),
    ],
)
def test_permanency_plan_by_the_second_review(policy, cal, rows, today, expected) -> None:  # type: ignore[no-untyped-def]
    table = run(policy, cal, [fact(k, on, **data) for k, on, data in rows], today)
    assert _row(table[("permanency_plan", "review-2")]) == expected


def test_permanency_not_owed_when_the_period_ended_first(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [fact(k, on, **data) for k, on, data in FIRST] + [fact(K.CEASED_LOOKED_AFTER, "2026-03-01")]
    assert ("permanency_plan", "review-2") not in run(policy, cal, facts, "2026-06-01")


# --- lead times before a booked review (002 code 2.1-2.2; 000 standard 4) ------------------------------------

BOOKED = [(K.BECAME_LOOKED_AFTER, "2026-01-05", {}), (K.REVIEW_HELD, "2026-01-28", {})]


@pytest.mark.parametrize(
    ("extra", "today", "consultation", "care_plan"),
    [
        # Mon 20 Apr 2026 - 10 WD skips Easter Monday 6 Apr and Good Friday 3 Apr
        ([], "2026-03-30", ("2026-04-02", Status.OPEN, None), ("2026-04-15", Status.OPEN, None)),
        ([(K.CONSULTATION_SENT, "2026-04-01", {}), (K.CARE_PLAN_AVAILABLE, "2026-04-16", {})], "2026-04-17",
         ("2026-04-02", Status.MET, "2026-04-01"), ("2026-04-15", Status.MISSED, "2026-04-16")),
        ([(K.REVIEW_MOVED, "2026-04-01", {"event_id": "ev1", "start": "2026-04-27T10:00:00"})], "2026-04-14",
         ("2026-04-13", Status.OVERDUE, None), ("2026-04-22", Status.OPEN, None)),
        # held a day after the booked day: the lead times count back from the day it was held
        ([(K.REVIEW_HELD, "2026-04-21", {"event_id": "ev1"})], "2026-04-22",
         ("2026-04-07", Status.MISSED, None), ("2026-04-16", Status.MISSED, None)),
        ([(K.CONSULTATION_SENT, "2026-01-20", {})], "2026-03-30",  # before the previous review: not this one's
         ("2026-04-02", Status.OPEN, None), ("2026-04-15", Status.OPEN, None)),
    ],
)
def test_lead_times_before_a_booked_review(policy, cal, extra, today, consultation, care_plan) -> None:  # type: ignore[no-untyped-def]
    rows = BOOKED + [(K.REVIEW_BOOKED, "2026-03-02", {"event_id": "ev1", "start": "2026-04-20T10:00:00"})] + extra
    table = run(policy, cal, [fact(k, on, **data) for k, on, data in rows], today)
    assert _row(table[("consultation", "event-ev1")]) == consultation
    assert _row(table[("care_plan_available", "event-ev1")]) == care_plan


def test_a_cancelled_booking_has_no_lead_times(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [
        fact(K.REVIEW_BOOKED, "2026-03-02", event_id="ev1", start="2026-04-20"),
        fact(K.REVIEW_CANCELLED, "2026-03-03", event_id="ev1"),
        fact(K.REVIEW_MOVED, "2026-03-04", event_id="ev1", start="2026-04-27"),
        fact(K.REVIEW_MOVED, "2026-03-04", event_id="unknown", start="2026-04-27"),
        fact(K.REVIEW_HELD, "2026-03-05", event_id="other"),
    ]
    assert not [x for x in deadlines(CASE, rows, policy, cal, d("2026-03-10")) if x.subject.startswith("event-")]


def test_a_booking_with_no_date_is_refused_clearly(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [fact(K.REVIEW_BOOKED, "2026-03-02", key="b1", event_id="ev1", start="next tuesday")]
    with pytest.raises(InputError, match="b1") as e:
        deadlines(CASE, rows, policy, cal, d("2026-03-10"))
    assert "data.start" in e.value.what_to_do and e.value.case_ref == CASE


def test_booking_dates_may_be_date_or_datetime_objects(policy, cal) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    rows = [
        fact(K.REVIEW_BOOKED, "2026-03-02", event_id="a", start=date(2026, 4, 20)),
        fact(K.REVIEW_BOOKED, "2026-03-02", event_id="b", start=datetime(2026, 4, 27, 10, 0)),
    ]
    table = run(policy, cal, rows, "2026-03-10")
    assert table[("consultation", "event-a")].due == d("2026-04-02")
    assert table[("consultation", "event-b")].due == d("2026-04-13")


# --- decisions (000 standard 5) -------------------------------------------------------------------------------

def test_decision_clocks(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [
        fact(K.DECISION_RECORDED, "2026-03-01", decision_id="D1", due="2026-04-01"),
        fact(K.DECISION_RECORDED, "2026-03-01", decision_id="D2", due="2026-03-20"),
        fact(K.DECISION_RECORDED, "2026-03-05", decision_id="D2", due="2026-03-27"),  # amended: latest wins
        fact(K.DECISION_RECORDED, "2026-03-01", decision_id="D3"),  # no due date: a defect, no clock
        fact(K.DECISION_DONE, "2026-03-30", decision_id="D1"),
        fact(K.DECISION_DONE, "2026-03-31", decision_id="D1"),
    ]
    table = run(policy, cal, rows, "2026-04-02")
    assert _row(table[("decision", "D1")]) == ("2026-04-01", Status.MET, "2026-03-30")
    assert _row(table[("decision", "D2")]) == ("2026-03-27", Status.OVERDUE, None)
    assert ("decision", "D3") not in table
    assert run(policy, cal, rows, "2026-04-02", only_open=True).keys() == {("decision", "D2")}


def test_a_reopened_decision_is_open_again_until_done_later(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [
        fact(K.DECISION_RECORDED, "2026-03-01", decision_id="D1", due="2026-04-01"),
        fact(K.DECISION_DONE, "2026-03-20", decision_id="D1"),
        fact(K.DECISION_REOPENED, "2026-03-23", decision_id="D1"),  # the IRO: not done after all
    ]
    assert _row(run(policy, cal, rows, "2026-04-02")[("decision", "D1")]) == ("2026-04-01", Status.OVERDUE, None)
    rows.append(fact(K.DECISION_DONE, "2026-03-25", decision_id="D1"))
    assert _row(run(policy, cal, rows, "2026-04-02")[("decision", "D1")]) == ("2026-04-01", Status.MET, "2026-03-25")


def test_reminder_dates(policy, cal) -> None:  # type: ignore[no-untyped-def]
    from rules.clocks import reminder_dates

    table = run(policy, cal, [fact(K.BECAME_LOOKED_AFTER, "2026-12-14")], "2026-12-15")
    first = table[("first_review", "review-1")]  # due Thu 14 Jan 2027; reminders 10, 5 and 2 WD before
    assert reminder_dates(first, policy, cal) == (d("2026-12-30"), d("2027-01-07"), d("2027-01-12"))
    gone = Deadline(CASE, "retired_clock", d("2027-01-14"), Status.OPEN)
    assert reminder_dates(gone, policy, cal) == ()


def test_only_open_on_a_two_period_history(policy, cal) -> None:  # type: ignore[no-untyped-def]
    """A fixed history that walks every 'settled, skip it' path (the property tests do the same at random)."""
    rows = [
        fact(K.BECAME_LOOKED_AFTER, "2025-01-06"),
        fact(K.REVIEW_HELD, "2025-01-30", event_id="a"),
        fact(K.DECISIONS_SENT, "2025-02-03"),
        fact(K.REVIEW_BOOKED, "2025-03-01", event_id="b", start="2025-04-28"),
        fact(K.REVIEW_HELD, "2025-04-28", event_id="b"),
        fact(K.CEASED_LOOKED_AFTER, "2025-06-30"),
        fact(K.BECAME_LOOKED_AFTER, "2025-09-01"),
        fact(K.REVIEW_HELD, "2025-09-25", event_id="c"),
        fact(K.REVIEW_BOOKED, "2025-10-01", event_id="d", start="2025-12-15"),
    ]
    full = deadlines(CASE, rows, policy, cal, d("2025-11-03"))
    only = deadlines(CASE, rows, policy, cal, d("2025-11-03"), only_open=True)
    assert only == [x for x in full if x.status in (Status.OPEN, Status.OVERDUE)]
    # review-2's record is still owed after the period ended; its midway point fell after the end: not owed
    assert {x.subject for x in only} == {"review-2", "period-2/period", "period-2/review-1", "period-2/review-2",
                                         "event-d"}
    assert ("midway_oversight", "review-2") not in {(x.clock, x.subject) for x in full}
    assert {x.status for x in full} >= {Status.MET, Status.MISSED, Status.OPEN, Status.OVERDUE}


def test_a_concern_in_the_completed_record_starts_the_informal_resolution_clock(policy, cal) -> None:  # type: ignore[no-untyped-def]
    base = [fact(K.BECAME_LOOKED_AFTER, "2027-02-01"), fact(K.REVIEW_HELD, "2027-03-22")]
    read = [fact(K.RECORD_READ, "2027-03-24", "r.docx:read", review_date="2027-03-22", concern=True)]
    other = [fact(K.RECORD_READ, "2027-03-24", "o.docx:read", review_date="2027-01-10", concern=True)]
    assert ("concern_discussion", "review-1") not in run(policy, cal, base + other, "2027-03-24")
    table = run(policy, cal, base + read, "2027-03-24")
    assert _row(table[("concern_discussion", "review-1")]) == ("2027-03-25", Status.OPEN, None)  # 3 WD, Easter
    retracted = [fact(K.RECORD_READ, "2027-03-24", "r.docx@v002:read", review_date="2027-03-22", concern=False)]
    assert ("concern_discussion", "review-1") not in run(policy, cal, base + read + retracted, "2027-03-24")


def test_a_later_record_without_the_decision_ends_its_clock(policy, cal) -> None:  # type: ignore[no-untyped-def]
    rows = [fact(K.DECISION_RECORDED, "2026-03-01", "r:D1", decision_id="D1", due="2026-04-01"),
            fact(K.DECISION_RECORDED, "2026-03-01", "r@v002:D1", decision_id="D1", withdrawn=True),
            fact(K.DECISION_RECORDED, "2026-03-01", "no-id", due="2026-04-01")]      # no id: no clock either
    assert not [k for k in run(policy, cal, rows, "2026-04-02") if k[0] == "decision"]
    assert ("decision", "D1") in run(policy, cal, rows[:1], "2026-04-02")
