"""Resolution clocks (004 s5.1-5.2, App. 1, App. 3; Handbook 6.2). Resolution raised Thu 1 Oct 2026."""

from __future__ import annotations

import pytest

from rules.clocks import deadlines
from rules.model import FactKind, Status

from .conftest import CASE, d, fact

K = FactKind


def table(policy, cal, facts, today):  # type: ignore[no-untyped-def]
    return {(x.clock, x.subject): (x.due.isoformat(), x.status, x.met_on.isoformat() if x.met_on else None)
            for x in deadlines(CASE, facts, policy, cal, d(today)) if x.clock.startswith("resolution_")}


RAISED = fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R1", category=4, stage="stage1")


def test_stage1_clocks_while_running(policy, cal) -> None:  # type: ignore[no-untyped-def]
    assert table(policy, cal, [RAISED], "2026-10-02") == {
        ("resolution_stage1_meeting", "R1"): ("2026-10-08", Status.OPEN, None),    # 004 s5.2: 5 days (WD)
        ("resolution_stage1_response", "R1"): ("2026-10-15", Status.OPEN, None),   # 004 s5.1: 10 days (WD)
        ("resolution_total", "R1"): ("2026-10-29", Status.OPEN, None),             # Handbook 6.2: 20 WD
    }


def test_escalation_after_a_missed_response_then_resolved_in_time(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [
        RAISED,
        fact(K.RESOLUTION_MEETING_HELD, "2026-10-09", resolution_id="R1", stage="stage1"),
        fact(K.RESOLUTION_ESCALATED, "2026-10-16", resolution_id="R1", to_stage=2),
        fact(K.RESOLUTION_RESPONDED, "2026-10-22", resolution_id="R1", stage="stage2"),
        fact(K.RESOLUTION_RESOLVED, "2026-10-28", resolution_id="R1"),
    ]
    assert table(policy, cal, facts, "2026-11-02") == {
        ("resolution_stage1_meeting", "R1"): ("2026-10-08", Status.MISSED, "2026-10-09"),
        ("resolution_stage1_response", "R1"): ("2026-10-15", Status.MISSED, None),  # stage ended 16th, unanswered
        ("resolution_stage2_response", "R1"): ("2026-10-23", Status.MET, "2026-10-22"),  # 004 s5.2: HoS 5 WD
        ("resolution_total", "R1"): ("2026-10-29", Status.MET, "2026-10-28"),
    }


def test_a_response_after_the_stage_ended_does_not_count_for_it(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [
        RAISED,
        fact(K.RESOLUTION_ESCALATED, "2026-10-20", resolution_id="R1", to_stage="stage2"),
        fact(K.RESOLUTION_RESPONDED, "2026-10-21", resolution_id="R1"),  # names no stage
    ]
    got = table(policy, cal, facts, "2026-10-21")
    assert got[("resolution_stage1_response", "R1")] == ("2026-10-15", Status.MISSED, None)
    assert got[("resolution_stage2_response", "R1")] == ("2026-10-27", Status.MET, "2026-10-21")


def test_entry_timeline_and_bypass(policy, cal) -> None:  # type: ignore[no-untyped-def]
    own = fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R1", stage="stage1", respond_by="2026-10-09")
    bypass = fact(K.RESOLUTION_ESCALATED, "2026-10-05", resolution_id="R1", to_stage="stage3")
    got = table(policy, cal, [own, bypass], "2026-10-06")
    assert got[("resolution_stage1_response", "R1")] == ("2026-10-09", Status.MET, "2026-10-05")  # ended in time
    assert got[("resolution_stage3_response", "R1")] == ("2026-10-12", Status.OPEN, None)  # 004 s4; reading: 5 WD
    assert got[("resolution_total", "R1")] == ("2026-10-29", Status.OPEN, None)


def test_informal_then_straight_to_stage3(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [
        fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R2"),
        fact(K.RESOLUTION_ESCALATED, "2026-10-02", resolution_id="R2", to_stage="stage3"),
    ]
    got = table(policy, cal, facts, "2026-11-02")
    assert got == {
        ("resolution_stage3_response", "R2"): ("2026-10-09", Status.OVERDUE, None),
        ("resolution_total", "R2"): ("2026-10-30", Status.OVERDUE, None),  # past it: AD QA (004 App. 1)
    }
    assert policy.clocks["resolution_total"].on_breach == ("ad_qa",)


def test_informal_and_good_practice_entries_have_no_formal_clocks(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R3"), fact(K.GOOD_PRACTICE, "2026-10-01")]
    assert table(policy, cal, facts, "2026-11-02") == {}


def test_only_open_skips_settled_resolutions(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [RAISED, fact(K.RESOLUTION_RESOLVED, "2026-10-05", resolution_id="R1")]
    assert deadlines(CASE, facts, policy, cal, d("2026-10-06"), only_open=True) == []
    running = deadlines(CASE, [RAISED], policy, cal, d("2026-10-06"), only_open=True)
    assert {x.clock for x in running} == {"resolution_stage1_meeting", "resolution_stage1_response",
                                         "resolution_total"}


@pytest.mark.parametrize("extra_clock_start", ["resolution_stage1", "resolution_formal"])
def test_a_council_can_add_a_resolution_clock(policy, cal, extra_clock_start) -> None:  # type: ignore[no-untyped-def]
    extra = policy.clocks["resolution_stage1_meeting"].model_copy(
        update={"start": extra_clock_start, "met_by": K.RESOLUTION_MEETING_HELD, "amount": 2})
    custom = policy.model_copy(update={"clocks": {**policy.clocks, "extra": extra}})
    meeting = fact(K.RESOLUTION_MEETING_HELD, "2026-10-02", resolution_id="R1")
    found = [x for x in deadlines(CASE, [RAISED, meeting], custom, cal, d("2026-10-06")) if x.clock == "extra"]
    assert [(x.due, x.status, x.met_on) for x in found] == [(d("2026-10-05"), Status.MET, d("2026-10-02"))]


def test_more_time_granted_moves_the_response_date_within_the_cap(policy, cal) -> None:  # type: ignore[no-untyped-def]
    """The bot's "Ask for more time": the latest date asked while the stage ran becomes its response date,
    never past the whole process's cap (resolution_total); a date asked for another resolution counts not."""
    asked = fact(K.RESOLUTION_TIME_ASKED, "2026-10-05", resolution_id="R1", stage="stage1", until="2026-10-20")
    other = fact(K.RESOLUTION_TIME_ASKED, "2026-10-06", resolution_id="R2", stage="stage1", until="2026-10-27")
    got = table(policy, cal, [RAISED, asked, other], "2026-10-06")
    assert got[("resolution_stage1_response", "R1")] == ("2026-10-20", Status.OPEN, None)
    later = fact(K.RESOLUTION_TIME_ASKED, "2026-10-07", resolution_id="R1", stage="stage 1", until="2026-12-31")
    got = table(policy, cal, [RAISED, asked, later], "2026-10-08")
    assert got[("resolution_stage1_response", "R1")] == ("2026-10-29", Status.OPEN, None)  # the cap
