"""000 standard 5: "All care plans and decisions to have a timescale attached that meets the child's needs
and a named person to implement them." A decision missing either is a defect the software flags."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from rules.model import Decision, Fact, FactKind


def decision_defects(decision: Decision) -> tuple[str, ...]:
    """What standard 5 finds missing in one decision: () when it has both a named person and a timescale."""
    missing = []
    if not (decision.named_person or "").strip():
        missing.append("named_person")
    if decision.due is None and not (decision.timescale or "").strip():
        missing.append("timescale")
    return tuple(missing)


def in_words(decision: Decision, day: Callable[[date], str]) -> str:
    """"Arrange a dental check (Cara Penhallow, by 12 May 2025)": a decision as staff read it, never its id;
    `day` writes the date as the message does. A missing part is said, not hidden (standard 5)."""
    text = " ".join(decision.text.split()) or (f"a review decision ({decision.decision_id})" if decision.decision_id
                                               else "a review decision")
    who = " ".join((decision.named_person or "").split()) or "no named person"
    if decision.due:
        return f"{text} ({who}, by {day(decision.due)})"
    scale = " ".join((decision.timescale or "").split())
    return f"{text} ({who}, {scale or 'no timescale'})"


def sent_decisions(facts: Iterable[Fact], review_date: date) -> list[Decision]:
    """The decisions sent to the TM after the review of `review_date`, in the words of the letter
    (function_app/letter_reading.py): the latest decisions_sent fact for that review that carries any.
    Numbered as in the letter; `decision_id` is the review record's id for the same row."""
    sent = sorted((f for f in facts if f.kind == FactKind.DECISIONS_SENT and f.data.get("decisions")
                   and str(f.data.get("review_date") or f.on.isoformat()) == review_date.isoformat()),
                  key=lambda f: (f.on, f.key))
    if not sent:
        return []
    return [Decision(str(row.get("text") or ""), str(row.get("named_person") or "") or None,
                     date.fromisoformat(row["due"]) if row.get("due") else None,
                     str(row.get("timescale") or "") or None, f"{review_date.isoformat()}-{row.get('number')}")
            for row in sent[-1].data["decisions"]]


def defects(facts: Iterable[Fact]) -> dict[str, tuple[str, ...]]:
    """decision_id -> what is missing, for every recorded decision lacking a named person or a due date
    (the latest record of each decision counts; one without a decision_id is keyed by its fact key)."""
    latest: dict[str, Fact] = {}
    for f in sorted((f for f in facts if f.kind == FactKind.DECISION_RECORDED), key=lambda f: (f.on, f.key)):
        latest[str(f.data.get("decision_id") or f.key)] = f
    found: dict[str, tuple[str, ...]] = {}
    for decision_id, f in latest.items():
        if f.data.get("withdrawn"):   # removed from the record in a later version: nothing to carry out
            continue
        missing = tuple(name for name in ("named_person", "due") if not str(f.data.get(name) or "").strip())
        if missing:
            found[decision_id] = missing
    return found


def counted_dones(facts: Iterable[Fact]) -> list[Fact]:
    """The decision_done facts that count. A done read from a review record's progress table (data `record`,
    `version`) counts only while the latest version read of that record still says it: an IRO who corrects
    Done to Not done and saves the record again takes the done back, and a done repeated by each new version
    counts once (the latest). Dones from elsewhere (Teams, an email) always count."""
    facts = list(facts)
    latest: dict[tuple[str, str], int] = {}   # (record, decision_id) -> latest version with a progress row for it
    for f in facts:
        if f.kind == FactKind.DECISION_PROGRESS and f.data.get("record"):
            key = (str(f.data["record"]), str(f.data.get("decision_id")))
            latest[key] = max(latest.get(key, 0), int(f.data.get("version") or 1))
    out = []
    for f in facts:
        if f.kind != FactKind.DECISION_DONE:
            continue
        record = f.data.get("record")
        if record and int(f.data.get("version") or 1) < latest.get((str(record), str(f.data.get("decision_id"))), 0):
            continue   # a later version of the same record says otherwise (or says it again: that one counts)
        out.append(f)
    return out
