"""The IRO's completed review record, as the demo's IROs leave it: rendered from the bundled template, then
the decisions table edited the way people edit it in Word (timescales in their own words, and the odd
row without a named person or a timescale, which the app must flag: 000 standard 5), and the participation
code, the ways the child's views were given and the concern question ticked and answered (`fill_in`)."""

from __future__ import annotations

import io
from datetime import date

from demo.council import Council
from demo.world import DecisionRow, RecordSaved
from function_app.services import Services
from graph_clients.ports import Attachment


def completed_record(svc: Services, council: Council, h: RecordSaved) -> tuple[str, bytes]:
    from docx import Document

    from doc_templates.render import document_name, render

    child = svc.store.child(h.case_ref)
    people = {p.email: p for p in council.people}

    def contact(email: str) -> dict:
        p = people.get(email)
        return {"name": p.display_name if p else email, "role": p.role if p else "", "email": email}

    in_person = sum(map(ord, h.case_ref)) % 3 != 0       # the others brief an advocate (PN5)
    rows = [{"ref": str(n), "text": r.text, "named_person": r.named_person or "-", "due_by": h.review_date}
            for n, r in enumerate(h.decisions, start=1)]
    context = {
        "case_ref": h.case_ref, "document_date": h.at.date(), "child_name": council.display_initials[h.case_ref],
        "review_date": h.review_date, "review_number": 1, "legal_status": child.legal_status,
        "looked_after_since": child.looked_after_since, "iro": contact(child.iro), "social_worker": contact(child.sw),
        "team_manager": contact(child.tm), "attendees": [
            {"name": council.display_initials[h.case_ref], "role": "Child",
             "attendance": "attended" if in_person else "did not attend; briefed an advocate"},
            {"name": "The foster carer", "role": "Foster carer"},
            {"name": contact(child.iro)["name"], "role": "Independent Reviewing Officer"},
            {"name": contact(child.sw)["name"], "role": "Social worker"}]
        + ([] if in_person else [{"name": "The child's advocate", "role": "Advocate"}]),
        "child_views": "Shared in the meeting and in the consultation form." if in_person else
        "Shared through their advocate.", "participation": "Attended and spoke for themselves." if in_person else
        "Briefed their advocate, who spoke for them.",
        "placement": "Settled.", "health": "Up to date.", "education": "Attending school.", "family_time":
        "As planned.", "permanency_plan": "Long-term foster care.", "decisions": rows,
        "previous_decisions": _progress(svc, h),
    }
    doc = Document(io.BytesIO(render("review_record", context, branding=svc.branding)))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Due by")
    for n, r in enumerate(h.decisions, start=1):
        cells = table.rows[n].cells
        cells[-2].text = r.named_person or ""
        cells[-1].text = r.timescale or ""
    fill_in(doc, participation="PN1" if in_person else "PN5",
            views=("in_meeting", "consultation") if in_person else ("advocate",))
    out = io.BytesIO()
    doc.save(out)
    return document_name("review_record", h.case_ref, h.review_date), out.getvalue()


def decisions_letter(svc: Services, council: Council, case_ref: str, review: date, rows: tuple[DecisionRow, ...],
                     on: date) -> Attachment:
    """The decisions letter the IRO sends the TM (004 s3.1): the letter completed in Word, its decisions table as
    the review record's will be (the same rows, timescales in the IRO's words, the odd row lacking one)."""
    from docx import Document

    from doc_templates.render import document_name, render
    from rules.clocks import due_date

    child = svc.store.child(case_ref) or council.child(case_ref)  # the roster now (a transfer changes the TM)
    people = {p.email: p for p in council.people}

    def contact(email: str) -> dict:
        p = people.get(email)
        return {"name": p.display_name if p else email, "role": p.role if p else "", "email": email}

    window = svc.policy.clocks["tm_dispute_window"]
    context = {
        "case_ref": case_ref, "document_date": on, "child_name": council.display_initials[case_ref],
        "review_date": review, "review_number": 1, "iro": contact(child.iro), "team_manager": contact(child.tm),
        "social_worker": contact(child.sw) if child.sw else None,
        "attendees": [{"name": contact(e)["name"], "role": r, "attendance": "attended"}
                      for e, r in ((child.iro, "Independent Reviewing Officer"), (child.sw, "Social worker")) if e],
        "decisions": [{"ref": str(n), "text": r.text, "named_person": r.named_person or "-", "due_by": review}
                      for n, r in enumerate(rows, start=1)],
        "dispute_window": window.span, "dispute_by": due_date(svc.policy, svc.cal, "tm_dispute_window", on),
    }
    doc = Document(io.BytesIO(render("review_decisions", context, branding=svc.branding)))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Due by")
    for n, r in enumerate(rows, start=1):
        cells = table.rows[n].cells
        cells[-2].text = r.named_person or ""
        cells[-1].text = r.timescale or ""
    out = io.BytesIO()
    doc.save(out)
    return Attachment(document_name("review_decisions", case_ref, review), out.getvalue())


def _progress(svc: Services, h: RecordSaved) -> list[dict]:
    """The previous review's decisions as the IRO reports on them: done or not done, with an update."""
    from rules.model import FactKind

    facts = svc.store.facts(h.case_ref, [FactKind.DECISION_RECORDED, FactKind.DECISION_DONE])
    earlier = sorted({f.on for f in facts if f.kind == FactKind.DECISION_RECORDED and f.on < h.review_date})
    if not earlier:
        return []
    done = {f.data.get("decision_id") for f in facts if f.kind == FactKind.DECISION_DONE}
    ids = sorted({f.data["decision_id"] for f in facts if f.kind == FactKind.DECISION_RECORDED
                  and f.on == earlier[-1] and not f.data.get("withdrawn")}, key=lambda i: int(i.rsplit("-", 1)[1]))
    return [{"ref": i.rsplit("-", 1)[1], "decision": f"Decision {i.rsplit('-', 1)[1]} of the last review",
             "done": "Done" if i in done else "Not done",
             "progress": "Completed." if i in done else "Under way; new date agreed at this review."} for i in ids]


def fill_in(doc, *, participation: str | tuple[str, ...] = "PN1", views: tuple[str, ...] = ("in_meeting",),
            concern: str = "No", category: str = "") -> None:
    """Tick and answer the record's participation, views and concern tables as an IRO does in Word
    (`doc` is a python-docx Document of a rendered review record; tests pass odd values on purpose)."""
    from doc_templates.record_fields import CATEGORY_QUESTION, CONCERN_QUESTION, VIEWS

    codes = (participation,) if isinstance(participation, str) else participation
    labels = {VIEWS[v] for v in views}
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            cells = row.cells
            if header[-1] == "Tick one":
                cells[-1].text = "X" if cells[0].text in codes else ""
            elif header[-1] == "Tick all that apply":
                cells[-1].text = "X" if cells[0].text in labels else ""
            elif header == ["Question", "Answer"] and cells[0].text in (CONCERN_QUESTION, CATEGORY_QUESTION):
                cells[-1].text = concern if cells[0].text == CONCERN_QUESTION else category
