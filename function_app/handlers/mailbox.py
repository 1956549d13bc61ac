"""A message arrived in an IRO's inbox or the service mailbox: what does it mean for which case?

The policy's mail conventions (rules/mail.py) classify it; the sender must be on the roster (an unknown
sender's mail about a child is shown to the IRO, not acted on). Unclassifiable mail is recorded as a
problem and surfaced to the IRO with the message id, so a person reads it; nothing is dropped.
Facts carry ids and codes only: the email's text stays in the mailbox. The one exception is the decisions
letter sent with the decisions: its decisions' words and named persons travel with the fact
(function_app/letter_reading.py), as the review record's do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from function_app.bus import uses
from function_app.messages import FactRecorded, MailArrived, Message, RecordSaved
from function_app.services import LONDON, Services
from graph_clients.ports import MailMessage
from rules.errors import InputError, NoCaseReference, NotFound, Unclassifiable, UnknownPerson
from rules.mail import MailMeaning, classify
from rules.model import Fact, FactKind, Person
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
    "decision_done": FactKind.DECISION_DONE,  # the email fallback of the Teams card's Done (000 standard 5)
}


def _decision_of(mail: MailMessage, case_ref: str, meaning: MailMeaning, sender: Person, svc: Services) -> None:
    """'Decision done CLA-… review YYYY-MM-DD no N': a decision on record, told by its named person or the IRO.
    Sets `decision_id` in the details (the Teams card records the same fact, function_app/bot/answers.py)."""
    from function_app.notices.recipients import Roster

    review, number = meaning.details.pop("review_date", None), meaning.details.pop("number", None)
    how = "write the subject as 'Decision done CLA-… review YYYY-MM-DD no N' (N: the decision's number in the record)"
    if not review or not number:
        raise InputError(f"message {mail.id} says a decision of {case_ref} is done but not which", how,
                         case_ref=case_ref)
    try:
        decision_id = f"{date.fromisoformat(review).isoformat()}-{int(number)}"
    except ValueError:
        raise InputError(f"message {mail.id} gives a review date that does not exist", how, case_ref=case_ref) from None
    recorded = [f for f in svc.store.facts(case_ref, [FactKind.DECISION_RECORDED])
                if f.data.get("decision_id") == decision_id]
    if not recorded:
        raise InputError(f"message {mail.id} names decision {number} of the review of {case_ref} on {review}, "
                         "which is not on record", how + "; check the number in the review record",
                         case_ref=case_ref)
    named = Roster.read(svc).find(str(recorded[-1].data.get("named_person") or ""))
    child = svc.store.child(case_ref)
    allowed = {p.lower() for p in (named.email if named else "", child.iro if child else "") if p}
    if sender.email.lower() not in allowed:
        raise InputError(f"message {mail.id} about decision {number} of {case_ref} is not from the person it names "
                         "or the child's IRO", "ask the named person or the IRO to send it", case_ref=case_ref)
    meaning.details["decision_id"] = decision_id


@uses("cal", "folders", "mail", "policy", "service_mailbox", "store", "today")
def on_mail_arrived(msg: MailArrived, svc: Services) -> list[Message]:
    try:
        mail = svc.mail.get_message(msg.mailbox, msg.message_id)
    except NotFound:  # moved or deleted before we read it: Graph answers 404, and no retry will find it
        raise InputError(f"message {msg.message_id} in {msg.mailbox} was moved or deleted before it could be read",
                         "if it was about a child, find it in the mailbox and forward it to the service mailbox "
                         "again") from None
    case_ref = find_case_ref(mail.subject, svc.policy) or find_case_ref(mail.body_text, svc.policy)
    if case_ref is None:
        raise NoCaseReference(f"message {mail.id} in {msg.mailbox} names no case reference",
                              "reply asking for the child's case reference, or forward it with one in the subject")
    if svc.store.child(case_ref) is None:
        raise UnknownPerson(f"message {mail.id} names case {case_ref}, which is not on the roster",
                            "correct the case reference and send it again, or add the child to the roster",
                            case_ref=case_ref)
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
    if meaning.intent == "decision_done":
        _decision_of(mail, case_ref, meaning, sender, svc)
    fact = _fact(mail, case_ref, meaning, sender.role, svc)
    problems: list[Message] = []
    if fact.kind == FactKind.DECISIONS_SENT:
        fact, problems = _with_letter(fact, mail, svc)
    return [FactRecorded(fact, svc.store.record(fact)), *problems]


def _with_letter(fact: Fact, mail: MailMessage, svc: Services) -> tuple[Fact, list[Message]]:
    """The decisions sent, in the words of the letter (004 s3.1): the TM's notice lists them."""
    from function_app.letter_reading import decisions_in_letter

    review = date.fromisoformat(fact.data["review_date"]) if fact.data.get("review_date") else fact.on
    decisions, problems = decisions_in_letter(svc, mail, fact.case_ref, review)
    return replace(fact, data={**fact.data, "decisions": decisions}), list(problems)


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
    review = _day(meaning.details["review_date"], mail, case_ref)
    return RecordSaved(case_ref, document_name("review_record", case_ref, review), review)


def _day(text: str, mail: MailMessage, case_ref: str) -> date:
    """A date from a subject (the policy's patterns match digits only); one that cannot exist is a problem."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        shown = text if text.replace("-", "").isdigit() and len(text) <= 10 else "(not a date)"
        raise InputError(f"message {mail.id} about {case_ref} gives the review date {shown}, which is not a real "
                         "date", "send it again with the review's date as YYYY-MM-DD (e.g. 2026-02-27)",
                         case_ref=case_ref) from None


def _fact(mail: MailMessage, case_ref: str, meaning: MailMeaning, role: str, svc: Services) -> Fact:
    on = mail.received.astimezone(LONDON).date()
    data: dict = {"message_id": mail.id, "from_role": role, **meaning.details}
    if meaning.change_kind:
        data["change_kind"] = meaning.change_kind
    if meaning.intent.startswith("resolution") or meaning.intent.startswith("cafcass"):
        data.setdefault("resolution_id", _resolution_id(case_ref, meaning, mail.id, svc))
    if "review_date" in data:
        data["review_date"] = _day(data["review_date"], mail, case_ref).isoformat()
    return Fact(_FACTS[meaning.intent], case_ref, on, f"mail:{mail.id}:{meaning.intent}", data)


def _resolution_id(case_ref: str, meaning: MailMeaning, message_id: str, svc: Services) -> str:
    """A new resolution gets the next number for the case (the same one when the message is redelivered);
    replies and Cafcass steps refer to the case's latest resolution."""
    raised = sorted(svc.store.facts(case_ref, [FactKind.RESOLUTION_RAISED]), key=lambda f: (f.on, f.key))
    if meaning.intent != "resolution_raised":
        return raised[-1].data["resolution_id"] if raised else f"R-{case_ref}-0"
    same = [f.data["resolution_id"] for f in raised if f.data.get("message_id") == message_id]
    return same[0] if same else f"R-{case_ref}-{len(raised) + 1}"
