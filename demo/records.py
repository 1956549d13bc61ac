"""The IRO's completed review record, as the demo's IROs leave it: rendered from the bundled template, then
the decisions table edited the way people edit it in Word (timescales in their own words, and the odd
row without a named person or a timescale, which the app must flag: 000 standard 5)."""

from __future__ import annotations

import io

from demo.council import Council
from demo.world import RecordSaved
from function_app.services import Services


def completed_record(svc: Services, council: Council, h: RecordSaved) -> tuple[str, bytes]:
    from docx import Document

    from doc_templates.render import document_name, render

    child = svc.store.child(h.case_ref)
    people = {p.email: p for p in council.people}

    def contact(email: str) -> dict:
        p = people.get(email)
        return {"name": p.display_name if p else email, "role": p.role if p else "", "email": email}

    rows = [{"ref": str(n), "text": r.text, "named_person": r.named_person or "-", "due_by": h.review_date}
            for n, r in enumerate(h.decisions, start=1)]
    context = {
        "case_ref": h.case_ref, "document_date": h.at.date(), "child_name": council.display_initials[h.case_ref],
        "review_date": h.review_date, "review_number": 1, "legal_status": child.legal_status,
        "looked_after_since": child.looked_after_since, "iro": contact(child.iro), "social_worker": contact(child.sw),
        "team_manager": contact(child.tm), "attendees": [{"name": contact(e)["name"]} for e in (child.iro, child.sw)],
        "child_views": "Shared through their advocate.", "participation": "Attended part of the meeting.",
        "placement": "Settled.", "health": "Up to date.", "education": "Attending school.", "family_time":
        "As planned.", "permanency_plan": "Long-term foster care.", "decisions": rows,
    }
    doc = Document(io.BytesIO(render("review_record", context, branding=svc.branding)))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Due by")
    for n, r in enumerate(h.decisions, start=1):
        cells = table.rows[n].cells
        cells[-2].text = r.named_person or ""
        cells[-1].text = r.timescale or ""
    out = io.BytesIO()
    doc.save(out)
    return document_name("review_record", h.case_ref, h.review_date), out.getvalue()
