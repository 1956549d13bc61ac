"""Properties of `deadlines` over generated case histories: the answer does not depend on the order or
repetition of facts (at-least-once, unordered delivery: docs/architecture.md flow 2), only_open is exactly the
open and overdue part of the full answer, and every verdict agrees with its own dates."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.clocks import deadlines, team_deadlines
from rules.model import Fact, FactKind, Status

K = FactKind
CASE = "CLA-100234"
START = date(2024, 1, 1)
SIMPLE = [K.REVIEW_HELD, K.DECISIONS_SENT, K.DECISIONS_DISPUTED, K.CONCERN_DISCUSSED, K.RECORD_COMPLETED,
          K.RECORD_DISTRIBUTED, K.MIDWAY_OVERSIGHT, K.PERMANENCY_PLAN, K.CONSULTATION_SENT, K.CARE_PLAN_AVAILABLE,
          K.BECAME_LOOKED_AFTER, K.CEASED_LOOKED_AFTER, K.LINK_MEETING_HELD, K.TEAM_MEETING_ATTENDED]
RES = [K.RESOLUTION_RAISED, K.RESOLUTION_RESPONDED, K.RESOLUTION_MEETING_HELD, K.RESOLUTION_ESCALATED,
       K.RESOLUTION_RESOLVED, K.GOOD_PRACTICE, K.CAFCASS_DISCUSSED, K.CAFCASS_REFERRED]


@st.composite
def histories(draw: st.DrawFn) -> list[Fact]:
    facts = [Fact(K.BECAME_LOOKED_AFTER, CASE, START, "start")]
    n = draw(st.integers(0, 40))
    for i in range(n):
        kind = draw(st.sampled_from(SIMPLE + RES + [K.REVIEW_BOOKED, K.REVIEW_MOVED, K.REVIEW_CANCELLED,
                                                     K.DECISION_RECORDED, K.DECISION_DONE]))
        on = START + timedelta(days=draw(st.integers(0, 900)))
        data: dict[str, object] = {}
        if kind == K.REVIEW_HELD:
            data = {"event_id": f"e{draw(st.integers(0, 5))}", "concern": draw(st.booleans()),
                    "formal_concern": draw(st.booleans())}
        elif kind in (K.REVIEW_BOOKED, K.REVIEW_MOVED, K.REVIEW_CANCELLED):
            start = on + timedelta(days=draw(st.integers(0, 60)))
            data = {"event_id": f"e{draw(st.integers(0, 5))}", "start": start.isoformat()}
        elif kind in (K.DECISION_RECORDED, K.DECISION_DONE):
            data = {"decision_id": f"D{draw(st.integers(0, 3))}",
                    "due": (on + timedelta(days=draw(st.integers(0, 60)))).isoformat()}
        elif kind in RES:
            data = {"resolution_id": f"R{draw(st.integers(0, 2))}", "category": 4,
                    "stage": draw(st.sampled_from(["", "stage1", "stage2", "3"])),
                    "to_stage": draw(st.sampled_from(["stage1", "stage2", "stage3", "ad_qa"]))}
        facts.append(Fact(kind, CASE, on, f"f{i}", data))
    return facts


def _key(x):  # type: ignore[no-untyped-def]
    return x.due, x.clock, x.subject


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(facts=histories(), seed=st.integers(0, 10_000), today=st.integers(0, 1000))
def test_order_and_repetition_do_not_matter(policy, cal, facts, seed, today) -> None:  # type: ignore[no-untyped-def]
    day = START + timedelta(days=today)
    rng = random.Random(seed)
    shuffled = facts + rng.sample(facts, len(facts) // 2)
    rng.shuffle(shuffled)
    assert deadlines(CASE, shuffled, policy, cal, day) == deadlines(CASE, facts, policy, cal, day)
    assert team_deadlines(CASE, shuffled, policy, cal, day) == team_deadlines(CASE, facts, policy, cal, day)


@common
@given(facts=histories(), today=st.integers(0, 1000))
def test_only_open_is_the_open_part(policy, cal, facts, today) -> None:  # type: ignore[no-untyped-def]
    day = START + timedelta(days=today)
    full = deadlines(CASE, facts, policy, cal, day)
    wanted = [x for x in full if x.status in (Status.OPEN, Status.OVERDUE)]
    assert deadlines(CASE, facts, policy, cal, day, only_open=True) == wanted
    team = [x for x in team_deadlines(CASE, facts, policy, cal, day) if x.status in (Status.OPEN, Status.OVERDUE)]
    assert team_deadlines(CASE, facts, policy, cal, day, only_open=True) == team


@common
@given(facts=histories(), today=st.integers(0, 1000))
def test_every_verdict_agrees_with_its_dates(policy, cal, facts, today) -> None:  # type: ignore[no-untyped-def]
    day = START + timedelta(days=today)
    found = deadlines(CASE, facts, policy, cal, day)
    assert found == sorted(found, key=_key)
    assert len({(x.clock, x.subject) for x in found}) == len(found)
    for x in found:
        assert x.clock in policy.clocks and x.source and x.owner_role
        if x.status is Status.MET:
            assert x.met_on is not None and x.met_on <= x.due
        elif x.status is Status.MISSED:
            assert x.met_on is None or x.met_on > x.due
        elif x.status is Status.OPEN:
            assert x.met_on is None and x.due >= day
        else:
            assert x.met_on is None and x.due < day
