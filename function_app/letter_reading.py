"""What the decisions letter says when the IRO sends it to the team manager (004 s3.1, Appendix 3).

The IRO completes the draft letter the app put in the case folder and sends it with the "Review decisions
CLA-… review YYYY-MM-DD" email. The decisions in it, each with its words, named person and date, travel
with the decisions-sent fact (`decisions` in its data), so that the TM's notice and card and the dispute
notice say which decisions they are about, weeks before the review record is read back.

The letter is the .docx attached to that email; when none is attached, the letter in the case folder once
it is no longer a draft. A letter still marked DRAFT, or one whose table cannot be read, is a problem for the
IRO (the email still counts as the decisions sent); no letter at all is not: the notice then points to the
email. Like the review record's decision facts, these carry the decision's own words and named person and
nothing else the IRO wrote; logs and problems name the case reference and message id only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from function_app.messages import Rejected
from function_app.services import Services
from graph_clients.ports import MailMessage
from rules.errors import InputError, NotFound

DOCX = ".docx"


def decisions_in_letter(svc: Services, mail: MailMessage, case_ref: str,
                        review: date) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """The letter's decisions as fact data (number, text, named person, due) and any problems with it."""
    from doc_templates.readback import read_decisions, still_a_draft
    from function_app import case_view

    found = _letter(svc, mail, case_ref, review)
    if found is None:
        return [], []
    name, content = found
    problems = []
    try:
        read = read_decisions(content, review, svc.cal, case_view.next_review_due(svc, case_ref, before=svc.today()))
    except InputError as e:  # not a .docx, or no decisions table: its reason names no words of the letter
        return [], [_problem(mail, case_ref, name, "unreadable", f"{e.reason}")]
    if still_a_draft(content):
        problems.append(_problem(mail, case_ref, name, "draft", "it still shows DRAFT marks"))
    rows = [{"number": n, "text": d.text, "named_person": d.named_person or "",
             "due": d.due.isoformat() if d.due else None, "timescale": d.timescale or ""}
            for n, d in enumerate(read.decisions, start=1)]
    return rows, problems


def _letter(svc: Services, mail: MailMessage, case_ref: str, review: date) -> tuple[str, bytes] | None:
    """The attached letter (the first .docx whose name has the case reference, else the only .docx), else the
    completed letter in the case folder."""
    from doc_templates.render import document_name

    if any(n.lower().endswith(DOCX) for n in mail.attachment_names):
        files = [a for a in svc.mail.attachments(mail.mailbox, mail.id) if a.filename.lower().endswith(DOCX)]
        mine = [a for a in files if case_ref.lower() in a.filename.lower()] or files[:1]
        if mine:
            return mine[0].filename, mine[0].content
    name = document_name("review_decisions", case_ref, review)
    try:
        return name, svc.folders.read(case_ref, name)
    except NotFound:  # not completed in the folder (only the draft is there): the email's text is the letter
        return None


def _problem(mail: MailMessage, case_ref: str, name: str, code: str, what: str) -> Rejected:
    return Rejected("decisions letter", f"the decisions letter {name} sent with message {mail.id}: {what}",
                    "complete the letter from the draft in the case folder (every decision with a named person and "
                    "a date, no DRAFT marks) and send it to the team manager again", case_ref,
                    {"message_id": mail.id, "document": name}, key=f"letter:{mail.id}:{code}")
