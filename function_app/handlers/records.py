"""A completed review record saved to the case folder: its decisions are read back and tracked.

Each decision becomes a fact with a named person and a due date (000 standard 5); a row without either,
or with a date nobody can read, is reported to the IRO by row, not dropped. Earlier decisions still
undone after their date prompt the IRO to consider a category 4 concern (004 Appendix 1: decisions not
carried out). A decision's fact carries its words, named person and date, so every digest, email and
document names the decision as the IRO wrote it (logs carry the case reference only).
The rest of the record (progress, attendance, participation, views, concern) and its versions:
function_app/record_reading.py. Nothing is sent from here: the record_completed fact's reaction
(handlers/reactions.py) distributes the record and prompts the category 4 concern.
"""

from __future__ import annotations

from function_app import case_view, record_reading
from function_app.bus import uses
from function_app.messages import FactRecorded, Message, RecordSaved, Rejected
from function_app.services import Services
from rules.errors import InputError, NotFound
from rules.model import Fact, FactKind, Status


@uses("cal", "folder_changes", "folders", "policy", "store", "today")
def on_record_saved(msg: RecordSaved, svc: Services) -> list[Message]:
    from doc_templates.readback import read_decisions, still_a_draft  # python-docx: only when a record is read

    carried = [d for d in case_view.case_deadlines(svc, msg.case_ref, msg.review_date)
               if d.clock == "decision" and d.status == Status.OVERDUE]
    next_review = case_view.next_review_due(svc, msg.case_ref, before=svc.today())
    try:
        content = record_reading.content_of(msg, svc)
    except NotFound:
        raise InputError(f"no review record {msg.name} in the case folder of {msg.case_ref}",
                         "save the completed record in the case folder under that name (the draft's name without "
                         "_DRAFT), then send the email again", case_ref=msg.case_ref) from None
    fresh = record_reading.version_of(svc, msg, content)
    again = fresh is None  # these bytes were read already (a duplicate notification, a resync, the email after
    if again:              # the folder, a redelivery after a dead host): gone through again, nothing new is made
        fresh = record_reading.read_again(svc, msg)
        if fresh is None:
            return []
    version, state = fresh
    if not again:
        record_reading.resolve_earlier(svc, msg, version)
    read = read_decisions(content, msg.review_date, svc.cal, next_review)
    out: list[Message] = []
    if still_a_draft(content):  # read anyway: the decisions are tracked, the IRO is asked to finish it
        out.append(Rejected("review record", f"{msg.name} still shows DRAFT marks (title, note, page header or "
                            "a passage beginning with DRAFT)", "complete those passages, delete the DRAFT marks, "
                            "save the record again and set its Status to Final (or send the record-complete email "
                            "again)", msg.case_ref, {"document": msg.name, "version": version},
                            key=f"{msg.name}{record_reading.suffix(version)}:still-draft"))
    decided, decision_ids = record_reading.decision_facts(svc, msg, read, version, state)
    out += decided
    out += record_reading.record_facts(svc, msg, content, version)
    # references only: the reaction (handlers/reactions.py) finds the record again to distribute it
    completed = Fact(FactKind.RECORD_COMPLETED, msg.case_ref, svc.today(), f"{msg.name}:completed",
                     {"document": msg.name, "review_date": msg.review_date.isoformat(), "drive_id": msg.drive_id,
                      "item_id": msg.item_id, "carried": tuple(d.subject for d in carried)})
    out.append(FactRecorded(completed, svc.store.record(completed)))
    if not again:
        record_reading.remember(svc, msg, version, state, decision_ids)
    return out

