"""The emails the app sends, one function each: subject with the case reference, a body in plain sentences.

Every body says what it is about, what the reader should do and by when, and where the rule comes from in
the council's own document titles (rules.citations). Subjects carry case references, never names.
"""

from __future__ import annotations

from datetime import date
from html import escape

from function_app.notices.words import day
from function_app.services import Services
from graph_clients.ports import Attachment, OutgoingMail
from rules.citations import for_staff
from rules.model import Child, Person
from rules.roles import cafcass_discuss_with


def _body(svc: Services, greeting: Person, paragraphs: list[str], cite: str) -> str:
    name = escape(greeting.display_name.split(" ")[0] if greeting.display_name and "@" not in
                  greeting.display_name else "colleague")
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<p>Dear {name},</p>{text}<p style='color:#666;font-size:small'>Source: "
            f"{escape(for_staff(svc.policy, cite))}</p><p>IRO service</p>")


def _mail(svc: Services, to: Person, subject: str, body: str, kind: str, case_ref: str,
          attachments: tuple[Attachment, ...] = ()) -> OutgoingMail:
    return OutgoingMail(svc.service_mailbox, (to.email,), subject, body, attachments=attachments, kind=kind,
                        case_ref=case_ref)


def _attach(svc: Services, case_ref: str, names: list[str]) -> tuple[Attachment, ...]:
    return tuple(Attachment(n, svc.folders.read(case_ref, n)) for n in names)


def dispute(svc: Services, c: Child, to: Person, tm: Person, review: date | None, which: str) -> OutgoingMail:
    """`which`: the disputed decisions in words (notices/words.disputed)."""
    held = f"the review of {c.case_ref} held on {day(review)}" if review else f"the latest review of {c.case_ref}"
    return _mail(svc, to, f"Review decisions disputed {c.case_ref}", _body(svc, to, [
        f"{tm.display_name}, the team manager, has disputed decisions from {held}.", f"Disputed: {which}.",
        "The disputed decisions are not confirmed. The IRO will arrange to resolve the dispute."], "004 s3.1"),
        "decisions_disputed", c.case_ref)


def cafcass(svc: Services, c: Child, to: Person, resolution_id: str) -> OutgoingMail:
    return _mail(svc, to, f"Consider a Cafcass referral {c.case_ref}", _body(svc, to, [
        f"Resolution {resolution_id} for {c.case_ref} has reached the senior stages without being resolved.",
        "If the child's plan is still at risk, consider a referral to Cafcass. First discuss it with "
        f"{cafcass_discuss_with(svc.policy)}."], "004 s5.3"), "cafcass_prompt", c.case_ref)


def consultation(svc: Services, c: Child, to: Person, forms: list[str], review_day: date) -> OutgoingMail:
    back_by = svc.cal.add_working_days(review_day, -svc.policy.lead_times.consultation_return.working_days)
    return _mail(svc, to, f"Consultation forms for the review of {c.case_ref} on {review_day:%d %b %Y}",
                 _body(svc, to, [
                     f"The review of {c.case_ref} is on {day(review_day)}. The consultation forms for the child, "
                     "the parents and the carers are attached.",
                     f"Please share them, and ask for them back by {day(back_by)} so that the IRO can read them "
                     "before the review."], "002 code of practice 2.1-2.2; 003"),
                 "consultation_forms", c.case_ref, _attach(svc, c.case_ref, forms))


def category4(svc: Services, c: Child, to: Person, overdue: list[str]) -> OutgoingMail:
    items = "; ".join(overdue)
    return _mail(svc, to, f"Decisions carried forward undone {c.case_ref}", _body(svc, to, [
        f"These decisions from earlier reviews of {c.case_ref} are past their date and not recorded as done: "
        f"{items}.", "Consider raising a category 4 concern (decisions not carried out)."], "004 App. 1"),
        "category4", c.case_ref)


def record(svc: Services, c: Child, to: Person, name: str, content: bytes | None = None) -> OutgoingMail:
    return _mail(svc, to, f"Review record {c.case_ref}", _body(svc, to, [
        f"The record of the latest review of {c.case_ref} is attached.",
        "Please share it with those who should have it, in the way agreed at the review."], "004 s3.1"),
        "record_distributed", c.case_ref,
        (Attachment(name, content),) if content is not None else _attach(svc, c.case_ref, [name]))


def introduction(svc: Services, c: Child, to: Person, name: str) -> OutgoingMail:
    return _mail(svc, to, f"Introducing the IRO {c.case_ref}", _body(svc, to, [
        f"The IRO's introduction letter for {c.case_ref} is attached, with the pledge to children.",
        "Please give it to the child and talk it through with them."], "000 standard 3; 002"),
        "introduction", c.case_ref, _attach(svc, c.case_ref, [name]))
