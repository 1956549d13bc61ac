"""000 standard 5: "All care plans and decisions to have a timescale attached that meets the child's needs
and a named person to implement them." A decision missing either is a defect the software flags."""

from __future__ import annotations

from collections.abc import Iterable

from rules.model import Decision, Fact, FactKind


def decision_defects(decision: Decision) -> tuple[str, ...]:
    """What standard 5 finds missing in one decision: () when it has both a named person and a timescale."""
    missing = []
    if not (decision.named_person or "").strip():
        missing.append("named_person")
    if decision.due is None and not (decision.timescale or "").strip():
        missing.append("timescale")
    return tuple(missing)


def defects(facts: Iterable[Fact]) -> dict[str, tuple[str, ...]]:
    """decision_id -> what is missing, for every recorded decision lacking a named person or a due date
    (the latest record of each decision counts; one without a decision_id is keyed by its fact key)."""
    latest: dict[str, Fact] = {}
    for f in sorted((f for f in facts if f.kind == FactKind.DECISION_RECORDED), key=lambda f: (f.on, f.key)):
        latest[str(f.data.get("decision_id") or f.key)] = f
    found: dict[str, tuple[str, ...]] = {}
    for decision_id, f in latest.items():
        missing = tuple(name for name in ("named_person", "due") if not str(f.data.get(name) or "").strip())
        if missing:
            found[decision_id] = missing
    return found
