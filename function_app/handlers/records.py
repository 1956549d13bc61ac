"""A completed review record saved to the case folder: its decisions are read back and tracked.

Each decision becomes a fact with a named person and a due date (000 standard 5); a row without either,
or with a date nobody can read, is reported to the IRO by row, not dropped. Earlier decisions still
undone after their date prompt the IRO to consider a category 4 concern (004 Appendix 1: decisions not
carried out). Facts keep the decision's id and date, not its text (the text stays in the record).
"""

from __future__ import annotations

from function_app import case_view, notices
from function_app.messages import FactRecorded, Message, RecordSaved, Rejected
from function_app.once import once
from function_app.services import Services
from rules.errors import InputError, NotFound
from rules.model import Fact, FactKind, Status


def on_record_saved(msg: RecordSaved, svc: Services) -> list[Message]:
    from doc_templates.readback import read_decisions, still_a_draft  # python-docx: only when a record is read

    carried = [d for d in case_view.case_deadlines(svc, msg.case_ref, msg.review_date)
               if d.clock == "decision" and d.status == Status.OVERDUE]
    next_review = case_view.next_review_due(svc, msg.case_ref, before=svc.today())
    try:
        content = svc.folders.read(msg.case_ref, msg.name)
    except NotFound:
        raise InputError(f"no review record {msg.name} in the case folder of {msg.case_ref}",
                         "save the completed record in the case folder under that name (the draft's name without "
                         "_DRAFT), then send the email again", case_ref=msg.case_ref) from None
    read = read_decisions(content, msg.review_date, svc.cal, next_review)
    out: list[Message] = []
    if still_a_draft(content):  # read anyway: the decisions are tracked, the IRO is asked to finish it
        out.append(Rejected("review record", f"{msg.name} still shows DRAFT marks (title, note, page header or "
                            "a passage beginning with DRAFT)", "complete those passages, delete the DRAFT marks, "
                            "save the record again and send the record-complete email again", msg.case_ref,
                            {"document": msg.name}, key=f"{msg.name}:still-draft"))
    for n, decision in enumerate(read.decisions, start=1):
        decision_id = f"{msg.review_date.isoformat()}-{n}"
        data = {"decision_id": decision_id, "named_person": decision.named_person,
                "due": decision.due.isoformat() if decision.due else None, "record": msg.name}
        fact = Fact(FactKind.DECISION_RECORDED, msg.case_ref, msg.review_date, f"{msg.name}:{decision_id}", data)
        out.append(FactRecorded(fact, svc.store.record(fact)))
    for p in read.problems:
        out.append(Rejected("review record", f"{msg.name} {p}",
                            "standard 5: give every decision a named person and a timescale, then save the "
                            "record again", msg.case_ref, {"document": msg.name, "row": p.row},
                            key=f"{msg.name}:row{p.row}:{p.reason}"))
    completed = Fact(FactKind.RECORD_COMPLETED, msg.case_ref, svc.today(), f"{msg.name}:completed",
                     {"document": msg.name, "review_date": msg.review_date.isoformat()})
    out.append(FactRecorded(completed, svc.store.record(completed)))
    once(svc, f"{msg.name}:distributed", "mail", msg.case_ref, lambda: notices.distribute_record(svc, msg.case_ref,
                                                                                             msg.name))
    distributed = Fact(FactKind.RECORD_DISTRIBUTED, msg.case_ref, svc.today(), f"{msg.name}:distributed",
                       {"document": msg.name, "review_date": msg.review_date.isoformat()})
    out.append(FactRecorded(distributed, svc.store.record(distributed)))
    if carried:
        once(svc, f"{msg.name}:category4", "mail", msg.case_ref,
             lambda: notices.category4_prompt(svc, msg.case_ref, len(carried)))
    return out
