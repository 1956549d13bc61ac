"""The dispute resolution state machine (004 s4-5, Appendices 1, 3 and 4 = IRO Handbook chapter 6).

States and the events that move between them (`TRANSITIONS`; anything else raises TransitionNotAllowed,
which lists what is allowed):

    informal --to_stage1--> stage1 --to_stage2--> stage2 --to_stage3--> stage3     (004 s4: TM, HoS, SD)
        |  \\--to_stage2 / to_stage3 (bypass, Handbook 6.2; stage1 -> stage3 too)
        |--good_practice--> good_practice                                          (004 s3.2, s5; std 13)
    stage1 | stage2 | stage3 --escalate_ad_qa--> ad_qa    not resolved in timescale (004 App. 1)
    informal | stage1..3 | ad_qa --resolve--> resolved
    respond, meeting: a stage's written response / resolution meeting (004 s5.1-5.2); the stage stays.
    discuss_cafcass, refer_cafcass: a concurrent track, allowed in every open state (004 s5.3; Handbook
    6.3); the referral needs the prior discussion with the IRO service manager and AD QA (004 s5.3).
    resolved and good_practice are final.

`resolutions(case_ref, facts)` replays a case's resolution facts into `Resolution` values. Facts are what
happened and cannot be refused, so a replayed move the machine does not allow is kept in `anomalies` (for a
person to look at) instead of raising; `apply` is what raises, for callers deciding what to do next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from rules.errors import CafcassNotDiscussed, TransitionNotAllowed
from rules.model import Fact, FactKind
from rules.policy import Policy
from rules.roles import AD_QA, FORMAL_STAGES, OTHER_STATES

FORMAL = FORMAL_STAGES                                     # rules.roles: the vocabulary's one home
FINAL = tuple(s for s in OTHER_STATES if s != "informal")  # resolved, good_practice
STATES = ("informal", *FORMAL_STAGES, AD_QA, *FINAL)

_CAFCASS = {"discuss_cafcass": None, "refer_cafcass": None}  # None: the state does not change
_IN_STAGE = {"respond": None, "meeting": None, "escalate_ad_qa": "ad_qa", "resolve": "resolved"}

TRANSITIONS: dict[str, dict[str, str | None]] = {
    "informal": {"to_stage1": "stage1", "to_stage2": "stage2", "to_stage3": "stage3",
                 "resolve": "resolved", "good_practice": "good_practice", **_CAFCASS},
    "stage1": {"to_stage2": "stage2", "to_stage3": "stage3", **_IN_STAGE, **_CAFCASS},
    "stage2": {"to_stage3": "stage3", **_IN_STAGE, **_CAFCASS},
    "stage3": {**_IN_STAGE, **_CAFCASS},
    "ad_qa": {"respond": None, "meeting": None, "resolve": "resolved", **_CAFCASS},
    "resolved": {},
    "good_practice": {},
}


@dataclass(frozen=True, slots=True)
class Step:
    on: date
    event: str
    from_state: str
    to_state: str
    stage: str = ""  # for respond / meeting: the stage answered


@dataclass(frozen=True, slots=True)
class Resolution:
    """One resolution-tool entry (or good-practice entry) on a case. Ids and codes only, no case notes."""

    id: str
    case_ref: str
    category: int | None
    stage: str                      # the current state, one of STATES
    opened_on: date
    stage_started_on: date
    concern_ref: str = ""
    history: tuple[Step, ...] = ()
    cafcass_discussed_on: date | None = None
    cafcass_referred_on: date | None = None
    respond_by: date | None = None  # a timeline set in the entry itself (004 s5.1)
    anomalies: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.stage not in FINAL

    @property
    def formal_started_on(self) -> date | None:
        """The day the entry first entered a formal stage (the 20-working-day cap runs from here)."""
        return next((s.on for s in self.history if s.to_state in FORMAL), None)

    @property
    def closed_on(self) -> date | None:
        return self.stage_started_on if self.stage in FINAL else None

    def stage_spans(self) -> list[tuple[str, date, date | None]]:
        """(state, entered, left or None) for each state the entry has been in, oldest first."""
        spans: list[tuple[str, date, date | None]] = []
        state, since = "informal", self.opened_on
        for s in self.history:
            if s.to_state != s.from_state:
                spans.append((state, since, s.on))
                state, since = s.to_state, s.on
        spans.append((state, since, None))
        return spans


def allowed_events(state: str) -> tuple[str, ...]:
    """The events allowed from `state`, sorted; () for a final state. Unknown states raise ValueError."""
    if state not in TRANSITIONS:
        raise ValueError(f"unknown resolution state '{state}'; states are {', '.join(STATES)}")
    return tuple(sorted(TRANSITIONS[state]))


def apply(resolution: Resolution, event: str, on: date, stage: str = "") -> Resolution:
    """The resolution after `event` on `on`. Raises TransitionNotAllowed (naming the allowed events), or
    CafcassNotDiscussed for a Cafcass referral with no prior discussion on record (004 s5.3)."""
    state = resolution.stage
    allowed = allowed_events(state)  # ValueError for a state that is not one of STATES
    moves = TRANSITIONS[state]
    if event not in moves:
        raise TransitionNotAllowed(state, event, allowed)
    if event == "refer_cafcass" and resolution.cafcass_discussed_on is None:
        raise CafcassNotDiscussed(state, event, tuple(e for e in allowed if e != event))
    target = moves[event] or state
    step = Step(on, event, state, target, stage or (state if event in ("respond", "meeting") else ""))
    changes: dict[str, object] = {"history": (*resolution.history, step)}
    if target != state:
        changes.update(stage=target, stage_started_on=on)
    if event == "discuss_cafcass" and resolution.cafcass_discussed_on is None:
        changes["cafcass_discussed_on"] = on
    if event == "refer_cafcass" and resolution.cafcass_referred_on is None:
        changes["cafcass_referred_on"] = on
    return replace(resolution, **changes)


_ANSWERS = (FactKind.RESOLUTION_RESPONDED, FactKind.RESOLUTION_MEETING_HELD)


def stage_name(value: object) -> str:
    """'stage2', '2', 2, 'Stage 2' -> 'stage2'; 'ad_qa' stays; '' for nothing."""
    text = str(value if value is not None else "").strip().lower().replace(" ", "").replace("_", "")
    if f"stage{text}" in FORMAL_STAGES:
        return f"stage{text}"
    if text in (*FORMAL_STAGES, "informal"):
        return text
    if text in ("adqa", "ad"):
        return AD_QA
    return text


def _event_for(fact: Fact) -> tuple[str, str]:
    """The machine event a fact stands for, and the stage it names (for responses and meetings)."""
    kind, data = fact.kind, fact.data
    if kind == FactKind.RESOLUTION_ESCALATED:
        target = stage_name(data.get("to_stage"))
        return ("escalate_ad_qa" if target == "ad_qa" else f"to_{target}"), ""
    simple = {
        FactKind.RESOLUTION_RESPONDED: "respond",
        FactKind.RESOLUTION_MEETING_HELD: "meeting",
        FactKind.RESOLUTION_RESOLVED: "resolve",
        FactKind.GOOD_PRACTICE: "good_practice",
        FactKind.CAFCASS_DISCUSSED: "discuss_cafcass",
        FactKind.CAFCASS_REFERRED: "refer_cafcass",
    }
    return simple[kind], stage_name(data.get("stage")) if kind in _ANSWERS else ""


# Replay order within one day: opening first, then the Cafcass discussion, answers, moves, closing.
_RANK = {
    FactKind.RESOLUTION_RAISED: 0,
    FactKind.CAFCASS_DISCUSSED: 1,
    FactKind.RESOLUTION_RESPONDED: 2,
    FactKind.RESOLUTION_MEETING_HELD: 2,
    FactKind.RESOLUTION_ESCALATED: 3,
    FactKind.CAFCASS_REFERRED: 4,
    FactKind.RESOLUTION_RESOLVED: 5,
    FactKind.GOOD_PRACTICE: 5,
}
KINDS = tuple(_RANK)


def _category(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _opened(fact: Fact, rid: str, note: str = "") -> Resolution:
    data = fact.data
    respond_by = data.get("respond_by")
    return Resolution(
        id=rid,
        case_ref=fact.case_ref,
        category=_category(data.get("category")),
        stage="informal",
        opened_on=fact.on,
        stage_started_on=fact.on,
        concern_ref=str(data.get("concern_ref") or data.get("concern") or ""),
        respond_by=date.fromisoformat(str(respond_by)[:10]) if respond_by else None,
        anomalies=(note,) if note else (),
    )


def _apply_fact(res: Resolution, event: str, fact: Fact, stage: str) -> Resolution:
    try:
        return apply(res, event, fact.on, stage)
    except TransitionNotAllowed as e:
        return replace(res, anomalies=(*res.anomalies, f"{fact.on.isoformat()} {fact.key}: {e}"))


def resolutions(case_ref: str, facts: Iterable[Fact]) -> list[Resolution]:
    """The case's resolutions replayed from its facts, oldest first; the same whatever the facts' order.
    Facts of other cases are left out."""
    return replay(f for f in facts if f.case_ref == case_ref)


def replay(facts: Iterable[Fact]) -> list[Resolution]:
    """Resolutions replayed from facts already known to be one case's (duplicates by key are dropped)."""
    relevant = {f.key: f for f in facts if f.kind in _RANK}
    ordered = sorted(relevant.values(), key=lambda f: (f.on, _RANK[f.kind], f.key))
    found: dict[str, Resolution] = {}
    for fact in ordered:
        rid = str(fact.data.get("resolution_id") or "")
        if fact.kind == FactKind.GOOD_PRACTICE and rid not in found:
            rid = rid or f"gp-{fact.key}"
            found[rid] = apply(_opened(fact, rid), "good_practice", fact.on)
            continue
        if fact.kind == FactKind.RESOLUTION_RAISED:
            if rid in found:
                continue  # the same entry recorded again under another key
            res = found[rid] = _opened(fact, rid)
            first = stage_name(fact.data.get("stage"))
            if first in FORMAL:
                found[rid] = _apply_fact(res, f"to_{first}", fact, "")
            continue
        if rid not in found:
            found[rid] = _opened(fact, rid, f"{fact.on.isoformat()} {fact.key}: no resolution_raised on record")
        event, stage = _event_for(fact)
        found[rid] = _apply_fact(found[rid], event, fact, stage)
    return sorted(found.values(), key=lambda r: (r.opened_on, r.id))


def transfer_blocked(facts: Sequence[Fact], case_ref: str | None = None, policy: Policy | None = None) -> bool:
    """004 App. 1: a case with an outstanding resolution must not transfer to another team (unless the
    policy's resolution.transfer_blocked_while_open says otherwise)."""
    if policy is not None and not policy.resolution.transfer_blocked_while_open:
        return False
    if case_ref is None:
        case_ref = next((f.case_ref for f in facts), "")
    return any(r.is_open for r in resolutions(case_ref, facts))
