"""The resolution state machine (004 s4-5, App. 1, App. 3; Handbook 6.2-6.3 in 004 App. 4): every state
against every event, allowed and refused, written out here from the seeds rather than read from the code."""

from __future__ import annotations

import pytest

from rules.errors import CafcassNotDiscussed, TransitionNotAllowed
from rules.model import FactKind
from rules.policy import Policy
from rules.resolution import STATES, Resolution, allowed_events, apply, resolutions, transfer_blocked

from .conftest import CASE, d, fact

K = FactKind
EVENTS = ("to_stage1", "to_stage2", "to_stage3", "escalate_ad_qa", "respond", "meeting", "resolve",
          "good_practice", "discuss_cafcass", "refer_cafcass")
CAFCASS = {"discuss_cafcass": "same", "refer_cafcass": "same"}  # 004 s5.3: at any point, concurrently
# state -> {event: target}; "same" = the state does not change. Sources beside each line.
SPEC: dict[str, dict[str, str]] = {
    "informal": {"to_stage1": "stage1",        # 004 s4: not resolved informally -> TM (stage one)
                 "to_stage2": "stage2", "to_stage3": "stage3",   # Handbook 6.2: bypass any stage
                 "resolve": "resolved", "good_practice": "good_practice", **CAFCASS},  # 004 s3.2, s5
    "stage1": {"to_stage2": "stage2", "to_stage3": "stage3", "escalate_ad_qa": "ad_qa",  # 004 s5; App. 1
               "respond": "same", "meeting": "same", "resolve": "resolved", **CAFCASS},  # 004 s5.1-5.2
    "stage2": {"to_stage3": "stage3", "escalate_ad_qa": "ad_qa", "respond": "same", "meeting": "same",
               "resolve": "resolved", **CAFCASS},
    "stage3": {"escalate_ad_qa": "ad_qa", "respond": "same", "meeting": "same", "resolve": "resolved", **CAFCASS},
    "ad_qa": {"respond": "same", "meeting": "same", "resolve": "resolved", **CAFCASS},  # App. 1
    "resolved": {},
    "good_practice": {},
}
PAIRS = [(s, e) for s in STATES for e in EVENTS]


def at(state: str, discussed: bool = True) -> Resolution:
    return Resolution(
        id="R1", case_ref=CASE, category=4, stage=state, opened_on=d("2026-10-01"),
        stage_started_on=d("2026-10-01"), cafcass_discussed_on=d("2026-10-01") if discussed else None,
    )


def test_the_spec_covers_every_state() -> None:
    assert set(SPEC) == set(STATES)


@pytest.mark.parametrize(("state", "event"), PAIRS)
def test_every_transition(state: str, event: str) -> None:
    expected = SPEC[state].get(event)
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as e:
            apply(at(state), event, d("2026-10-05"))
        assert e.value.state == state and e.value.event == event
        assert set(e.value.allowed) == set(SPEC[state])
        assert (state in str(e.value)) and (event in str(e.value))
        return
    after = apply(at(state), event, d("2026-10-05"))
    target = state if expected == "same" else expected
    assert after.stage == target
    assert after.history[-1].event == event and after.history[-1].from_state == state
    assert after.stage_started_on == (d("2026-10-01") if target == state else d("2026-10-05"))


def test_allowed_events_lists_the_spec() -> None:
    for state in STATES:
        assert set(allowed_events(state)) == set(SPEC[state])
    assert allowed_events("resolved") == ()
    with pytest.raises(ValueError, match="unknown resolution state"):
        allowed_events("stage9")
    with pytest.raises(ValueError, match="unknown resolution state"):
        apply(at("stage9"), "resolve", d("2026-10-05"))


def test_final_state_message_says_so() -> None:
    with pytest.raises(TransitionNotAllowed, match="final state"):
        apply(at("resolved"), "respond", d("2026-10-05"))


@pytest.mark.parametrize("state", ["informal", "stage1", "stage2", "stage3", "ad_qa"])
def test_cafcass_referral_needs_the_prior_discussion(state: str) -> None:
    with pytest.raises(CafcassNotDiscussed) as e:
        apply(at(state, discussed=False), "refer_cafcass", d("2026-10-05"))
    text = str(e.value)
    assert "004 s5.3" in text and "cafcass_discussed" in text and "IRO service manager" in text
    assert "refer_cafcass" not in e.value.allowed
    discussed = apply(at(state, discussed=False), "discuss_cafcass", d("2026-10-05"))
    referred = apply(discussed, "refer_cafcass", d("2026-10-06"))
    assert (referred.stage, referred.cafcass_discussed_on, referred.cafcass_referred_on) == (
        state, d("2026-10-05"), d("2026-10-06"))
    again = apply(apply(referred, "discuss_cafcass", d("2026-10-07")), "refer_cafcass", d("2026-10-08"))
    assert (again.cafcass_discussed_on, again.cafcass_referred_on) == (d("2026-10-05"), d("2026-10-06"))


# --- replay from facts ---------------------------------------------------------------------------------------

def test_replay_builds_the_resolution() -> None:
    facts = [
        fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R1", category=4, stage="stage1",
             concern_ref="note-17", respond_by="2026-10-09"),
        fact(K.RESOLUTION_MEETING_HELD, "2026-10-05", resolution_id="R1", stage="stage1"),
        fact(K.RESOLUTION_RESPONDED, "2026-10-09", resolution_id="R1", stage=1),
        fact(K.RESOLUTION_ESCALATED, "2026-10-16", resolution_id="R1", to_stage="Stage 2"),
        fact(K.CAFCASS_DISCUSSED, "2026-10-17", resolution_id="R1"),
        fact(K.CAFCASS_REFERRED, "2026-10-18", resolution_id="R1"),
        fact(K.RESOLUTION_ESCALATED, "2026-10-20", resolution_id="R1", to_stage="ad_qa"),
        fact(K.RESOLUTION_RESOLVED, "2026-10-28", resolution_id="R1", outcome="agreed"),
        fact(K.RESOLUTION_RAISED, "2026-10-02", case="CLA-999", resolution_id="X"),  # another case
    ]
    (res,) = resolutions(CASE, list(reversed(facts)))
    assert (res.id, res.category, res.concern_ref, res.respond_by) == ("R1", 4, "note-17", d("2026-10-09"))
    assert res.stage == "resolved" and not res.is_open and res.closed_on == d("2026-10-28")
    assert res.formal_started_on == d("2026-10-01")
    assert res.cafcass_referred_on == d("2026-10-18")
    assert [s for s, _, _ in res.stage_spans()] == ["informal", "stage1", "stage2", "ad_qa", "resolved"]
    assert res.stage_spans()[1] == ("stage1", d("2026-10-01"), d("2026-10-16"))
    assert [s.stage for s in res.history if s.event in ("respond", "meeting")] == ["stage1", "stage1"]
    assert res.anomalies == ()


def test_replay_keeps_what_it_cannot_apply_as_anomalies() -> None:
    facts = [
        fact(K.RESOLUTION_RAISED, "2026-10-01", key="r", resolution_id="R1", category="not a number"),
        fact(K.RESOLUTION_RAISED, "2026-10-01", key="r-again", resolution_id="R1", category=2),
        fact(K.CAFCASS_REFERRED, "2026-10-02", key="c", resolution_id="R1"),       # no discussion first
        fact(K.RESOLUTION_ESCALATED, "2026-10-03", key="e", resolution_id="R1", to_stage="stage2"),
        fact(K.RESOLUTION_ESCALATED, "2026-10-04", key="e1", resolution_id="R1", to_stage="stage1"),  # backwards
        fact(K.RESOLUTION_RESPONDED, "2026-10-05", key="x", resolution_id="R9", stage="2"),  # never raised
    ]
    r1, r9 = resolutions(CASE, facts)
    assert r1.category is None and r1.stage == "stage2"
    assert len(r1.anomalies) == 2 and "c:" in r1.anomalies[0] and "e1:" in r1.anomalies[1]
    assert r9.id == "R9" and "no resolution_raised on record" in r9.anomalies[0]
    assert r9.stage == "informal"  # a response in 'informal' is itself refused and noted
    assert len(r9.anomalies) == 2


def test_good_practice_entries() -> None:
    facts = [
        fact(K.GOOD_PRACTICE, "2026-10-01", key="gp1", note_ref="n1"),           # a stand-alone entry
        fact(K.RESOLUTION_RAISED, "2026-10-02", resolution_id="R2"),
        fact(K.GOOD_PRACTICE, "2026-10-03", resolution_id="R2"),                  # the concern ends as good practice
        fact(K.GOOD_PRACTICE, "2026-10-04", resolution_id="R3"),                  # new entry with its own id
    ]
    found = {r.id: r for r in resolutions(CASE, facts)}
    assert set(found) == {"gp-gp1", "R2", "R3"}
    assert all(r.stage == "good_practice" and not r.is_open for r in found.values())
    assert found["R2"].formal_started_on is None


def test_transfer_blocked_while_a_resolution_is_open(policy: Policy) -> None:
    raised = fact(K.RESOLUTION_RAISED, "2026-10-01", resolution_id="R1", stage="stage1")
    assert transfer_blocked([raised]) is True                                    # 004 App. 1
    assert transfer_blocked([raised], CASE, policy) is True
    done = fact(K.RESOLUTION_RESOLVED, "2026-10-05", resolution_id="R1")
    assert transfer_blocked([raised, done]) is False
    assert transfer_blocked([]) is False
    lenient = policy.model_copy(
        update={"resolution": policy.resolution.model_copy(update={"transfer_blocked_while_open": False})})
    assert transfer_blocked([raised], policy=lenient) is False
