"""A notice for a child reaches that child's own social worker / IRO, never another child's (issue 11).

When the roster has nobody in the role for the child, nothing is sent, no fact claims it was
(record_distributed, iro_introduced), and a problem names the case, the missing role and the fix.
"""

from __future__ import annotations

from datetime import date

from function_app.handlers.reactions import REACTIONS
from function_app.notices.recipients import Roster, audience, role_holder
from rules.model import Child, Fact, FactKind
from tests.app.test_link_meetings_and_records import _completed_record
from tests.app.world import CASE, IRO, SW, TM, World

OTHER = "CLA-100002"


def _without_sw(world: World, case_ref: str = CASE) -> None:
    from dataclasses import replace

    world.svc.store.upsert_child(replace(world.svc.store.child(case_ref), sw=""))


def test_role_holder_is_the_childs_own_or_nobody(world: World):
    _without_sw(world)
    world.svc.store.upsert_child(Child(OTHER, date(2026, 1, 5), "C2", "", SW, TM, "T1", ""))
    roster = Roster.read(world.svc)
    assert role_holder(roster, roster.children[CASE], "sw") is None       # not the other child's SW
    assert role_holder(roster, roster.children[OTHER], "iro") is None     # not CASE's IRO
    assert role_holder(roster, roster.children[OTHER], "sw").email == SW
    assert role_holder(roster, roster.children[CASE], "iro").email == IRO
    assert audience(world.svc.policy, roster, "sw", roster.children[CASE]) == []


def test_a_record_with_no_social_worker_is_not_claimed_as_distributed(world: World):
    _without_sw(world)
    _completed_record(world, date(2026, 1, 28))
    world.clock.set(date(2026, 2, 10))
    world.email(IRO, f"Record complete {CASE} review 2026-01-28", "In the case folder.")
    assert world.facts(FactKind.RECORD_COMPLETED)
    assert not world.facts(FactKind.RECORD_DISTRIBUTED)
    assert not [m for m in world.svc.mail.sent if SW in m.to]              # the roster's other SW got nothing
    [problem] = [p for p in world.problems() if "not distributed" in p.reason]
    assert problem.case_ref == CASE and "social worker" in problem.reason
    assert "update the roster" in problem.what_to_do


def test_an_introduction_with_no_social_worker_is_not_claimed_as_sent(world: World):
    world.svc.store.upsert_child(Child(OTHER, date(2026, 2, 2), "C2", IRO, "", TM, "T1", f"Children/{OTHER}"))
    f = Fact(FactKind.BECAME_LOOKED_AFTER, OTHER, date(2026, 2, 2), f"la:{OTHER}", {"legal_status": "C2"})
    world.svc.store.record(f)
    world.clock.set(date(2026, 2, 2))
    out = REACTIONS[FactKind.BECAME_LOOKED_AFTER](f, world.svc)
    assert not world.svc.store.facts(OTHER, [FactKind.IRO_INTRODUCED])
    assert not [m for m in world.svc.mail.sent if SW in m.to]
    [problem] = out
    assert problem.case_ref == OTHER and "social worker" in problem.reason
    assert "update the roster" in problem.what_to_do
