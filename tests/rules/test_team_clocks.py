"""Link role clocks (000 standard 14): TM-IRO link meeting every 2 months, team meeting every 3."""

from __future__ import annotations

from rules.clocks import team_deadlines
from rules.model import FactKind, Status

from .conftest import d, fact

K = FactKind
TEAM = "team-north"


def rows(policy, cal, facts, today, **kw):  # type: ignore[no-untyped-def]
    return [(x.clock, x.subject, x.due.isoformat(), x.status, x.met_on.isoformat() if x.met_on else None)
            for x in team_deadlines(TEAM, facts, policy, cal, d(today), **kw)]


def test_a_team_with_no_meetings_has_both_due_today(policy, cal) -> None:  # type: ignore[no-untyped-def]
    assert rows(policy, cal, [], "2026-11-23") == [
        ("link_meeting", "meeting-1", "2026-11-23", Status.OPEN, None),
        ("team_meeting", "meeting-1", "2026-11-23", Status.OPEN, None),
    ]


def test_meetings_chain_from_the_last_one_held(policy, cal) -> None:  # type: ignore[no-untyped-def]
    facts = [
        fact(K.LINK_MEETING_HELD, "2026-08-31", case=TEAM),   # 31 Aug + 2 months = 31 Oct
        fact(K.LINK_MEETING_HELD, "2026-11-02", case=TEAM),   # late
        fact(K.LINK_MEETING_HELD, "2026-11-02", case=TEAM),   # recorded twice (two keys, same day)
        fact(K.TEAM_MEETING_ATTENDED, "2026-08-31", case=TEAM),  # 31 Aug + 3 months = 30 Nov
    ]
    assert rows(policy, cal, facts, "2026-11-23") == [
        ("link_meeting", "meeting-2", "2026-10-31", Status.MISSED, "2026-11-02"),
        ("team_meeting", "meeting-2", "2026-11-30", Status.OPEN, None),
        ("link_meeting", "meeting-3", "2027-01-02", Status.OPEN, None),
    ]
    assert rows(policy, cal, facts, "2026-12-01", only_open=True) == [
        ("team_meeting", "meeting-2", "2026-11-30", Status.OVERDUE, None),
        ("link_meeting", "meeting-3", "2027-01-02", Status.OPEN, None),
    ]
