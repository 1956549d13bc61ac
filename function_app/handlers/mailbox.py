"""A message arrived in an IRO's inbox or the service mailbox: what does it mean for which case?

The policy's mail conventions (rules/mail.py) classify it; the sender must be on the roster (an unknown
sender's mail about a child is shown to the IRO, not acted on). Unclassifiable mail is recorded as a
problem and surfaced to the IRO with the message id, so a person reads it; nothing is dropped.
Facts carry ids and codes only: the email's text stays in the mailbox.
"""

from __future__ import annotations

from datetime import date

from function_app.messages import FactRecorded, MailArrived, Message, RecordSaved
from function_app.services import LONDON, Services
from graph_clients.ports import MailMessage
from rules.errors import InputError, NoCaseReference, Unclassifiable, UnknownPerson
from rules.mail import MailMeaning, classify
from rules.model import Fact, FactKind
from rules.references import find_case_ref

_FACTS = {
    "decisions_sent": FactKind.DECISIONS_SENT,
    "decisions_disputed": FactKind.DECISIONS_DISPUTED,
    "resolution_raised": FactKind.RESOLUTION_RAISED,
    "resolution_response": FactKind.RESOLUTION_RESPONDED,
    "resolution_resolved": FactKind.RESOLUTION_RESOLVED,
    "good_practice": FactKind.GOOD_PRACTICE,
    "cafcass_discussed": FactKind.CAFCASS_DISCUSSED,
    "cafcass_referred": FactKind.CAFCASS_REFERRED,
    "significant_change": FactKind.SIGNIFICANT_CHANGE,
    "midway_oversight": FactKind.MIDWAY_OVERSIGHT,
    "care_plan_available": FactKind.CARE_PLAN_AVAILABLE,
    "decisions_to_child": FactKind.DECISIONS_TO_CHILD,
    "permanency_plan": FactKind.PERMANENCY_PLAN,
    "concern_discussed": FactKind.CONCERN_DISCUSSED,
    "review_late_reason": FactKind.REVIEW_LATE_REASON,  # the annual report's reasons (002 Handbook 7.11)
}


def on_mail_arrived(msg: MailArrived, svc: Services) -> list[Message]:
    mail = svc.mail.get_message(msg.mailbox, msg.message_id)
    case_ref = find_case_ref(mail.subject, svc.policy) or find_case_ref(mail.body_text, svc.policy)
    if case_ref is None:
        raise NoCaseReference(f"message {mail.id} in {msg.mailbox} names no case reference",
                              "reply asking for the child's case reference, or forward it with one in the subject")
    sender = svc.store.person(mail.sender.lower())
    if sender is None:
        raise UnknownPerson(f"message {mail.id} about {case_ref} is from an address not on the roster",
                            "check the sender; add them to the roster if they work with the child",
                            case_ref=case_ref)
    meaning = classify(mail.subject, mail.body_text, svc.policy)
    if meaning.intent == "decisions_acknowledged":
        return []
    if meaning.intent == "unclassifiable":
        raise Unclassifiable(f"message {mail.id} in {msg.mailbox} about {case_ref} matches no mail convention",
                             "read it in the mailbox and record what it is; see docs/operations.md for the subjects",
                             case_ref=case_ref)
    if meaning.intent == "record_complete":
        return [_record_saved(mail, case_ref, meaning)]
    if meaning.intent == "review_late_reason":
        _check_late_reason(mail, case_ref, meaning, svc)
    fact = _fact(mail, case_ref, meaning, sender.role, svc)
    return [FactRecorded(fact, svc.store.record(fact))]


def _check_late_reason(mail: MailMessage, case_ref: str, meaning: MailMeaning, svc: Services) -> None:
    """A late review's reason must be one of the policy's codes, or the annual report cannot count it."""
    codes = svc.policy.report.late_reasons
    if "reason" in meaning.details:
        meaning.details["reason"] = meaning.details["reason"].lower()
    if meaning.details.get("reason") not in codes:
        raise InputError(f"message {mail.id} gives no known reason for the late review of {case_ref}",
                         "write the subject as 'Late review CLA-… review YYYY-MM-DD reason CODE', CODE one of "
                         + ", ".join(codes), case_ref=case_ref)


def _record_saved(mail: MailMessage, case_ref: str, meaning: MailMeaning) -> RecordSaved:
    """The IRO says the record in the case folder is complete: read it back (handlers/records.py)."""
    from doc_templates.render import document_name

    if "review_date" not in meaning.details:
        raise InputError(f"message {mail.id} says a record of {case_ref} is complete but gives no review date",
                         "write the subject as 'Record complete CLA-… review YYYY-MM-DD'", case_ref=case_ref)
    review = date.fromisoformat(meaning.details["review_date"])
    return RecordSaved(case_ref, document_name("review_record", case_ref, review), review)


def _fact(mail: MailMessage, case_ref: str, meaning: MailMeaning, role: str, svc: Services) -> Fact:
    on = mail.received.astimezone(LONDON).date()
    data: dict = {"message_id": mail.id, "from_role": role, **meaning.details}
    if meaning.change_kind:
        data["change_kind"] = meaning.change_kind
    if meaning.intent.startswith("resolution") or meaning.intent.startswith("cafcass"):
        data.setdefault("resolution_id", _resolution_id(case_ref, meaning, mail.id, svc))
    if "review_date" in data:
        data["review_date"] = date.fromisoformat(data["review_date"]).isoformat()
    return Fact(_FACTS[meaning.intent], case_ref, on, f"mail:{mail.id}:{meaning.intent}", data)


def _resolution_id(case_ref: str, meaning: MailMeaning, message_id: str, svc: Services) -> str:
    """A new resolution gets the next number for the case (the same one when the message is redelivered);
    replies and Cafcass steps refer to the case's latest resolution."""
    raised = sorted(svc.store.facts(case_ref, [FactKind.RESOLUTION_RAISED]), key=lambda f: (f.on, f.key))
    if meaning.intent != "resolution_raised":
        return raised[-1].data["resolution_id"] if raised else f"R-{case_ref}-0"
    same = [f.data["resolution_id"] for f in raised if f.data.get("message_id") == message_id]
    return same[0] if same else f"R-{case_ref}-{len(raised) + 1}"
