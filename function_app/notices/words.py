"""The words notices use for what happened: decisions with their text and named person, dates, roles.

Emails and digests say the same thing in the same words; a decision is never "Decision 2025-04-04-3" to
staff but "Arrange a dental check (Cara Penhallow, by 12 May 2025)". The decision's words travel with its
fact (`decision_recorded` data `text`); logs still carry only case references.
"""

from __future__ import annotations

from datetime import date

from rules.decisions import in_words
from rules.model import Deadline, Decision, Fact, FactKind
from rules.roles import role_label


def day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "no date recorded"


def person_role(name: str, role: str) -> str:
    return f"{name}, {role_label(role)}" if role else name


def decisions_of(facts: list[Fact]) -> dict[str, Fact]:
    """decision id -> its latest decision_recorded fact."""
    return {str(f.data.get("decision_id")): f for f in facts if f.kind == FactKind.DECISION_RECORDED}


def decision_words(fact: Fact | Decision | None, decision_id: str = "") -> str:
    """"Arrange a dental check (Cara Penhallow, by 12 May 2025)"; what is known when the words are not."""
    if fact is None:
        return f"a review decision ({decision_id})" if decision_id else "a review decision"
    if isinstance(fact, Fact):
        due = fact.data.get("due")
        fact = Decision(str(fact.data.get("text") or ""), str(fact.data.get("named_person") or "") or None,
                        date.fromisoformat(str(due)[:10]) if due else None, None, str(fact.data.get("decision_id")))
    return in_words(fact, day)


def listed(decisions: list[Decision]) -> str:
    """"1. Arrange a dental check (Cara Penhallow, by 12 May 2025); 2. …", or where the words are."""
    if not decisions:
        return "the decisions are in the IRO's email and the letter in the case folder"
    return "; ".join(f"{n}. {decision_words(d)}" for n, d in enumerate(decisions, start=1))


def disputed(decisions: list[Decision], numbers: str) -> str:
    """The decisions a dispute names ("2. Arrange … (…)"), from the numbers in the TM's email (rules/mail.py
    body_numbers) and the words of the letter; what is known when either is missing."""
    named = sorted({int(n) for n in numbers.split(",") if n.isdigit()})
    if not named:
        return "the team manager's email says which decisions and why"
    return "; ".join(f"{n}. {decision_words(decisions[n - 1])}" if 0 < n <= len(decisions) else f"decision {n}"
                     for n in named)


def what_is_due(label: str, d: Deadline, decisions: dict[str, Fact]) -> str:
    """A deadline as a line of a digest: the clock's label, or the decision in words."""
    if d.clock == "decision":
        return "Carry out: " + decision_words(decisions.get(d.subject), d.subject)
    return label


LATE_REASON_SUBJECT = "Late review {case_ref} review {on:%Y-%m-%d} reason CODE"


def late_reason_email(policy, service_mailbox: str, case_ref: str, on: date) -> str:
    """How an IRO records why a review is out of time (002 Handbook 7.11), word for word: the email's subject
    (rules/mail.py's review_late_reason convention), where to send it, and the council's codes."""
    codes = ", ".join(policy.report.late_reasons) or "(the council has set no codes: ask the service manager)"
    return (f"email '{LATE_REASON_SUBJECT.format(case_ref=case_ref, on=on)}' to the service mailbox "
            f"({service_mailbox}), CODE one of {codes}")
