"""Documents the app drafts into a child's case folder (doc_templates renders them).

Drafts are for the IRO to complete: what the system knows (people, dates, earlier decisions, the
resolution log) is filled in; what only the IRO can write is left as a marked placeholder. The child's
name is not on the roster, so drafts name the child by initials where known; the IRO adds the name in
Word. File names carry the case reference and document type only (doc_templates.render.document_name).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from function_app import case_view
from function_app.services import Services
from graph_clients.ports import DocumentMeta, StoredDocument
from rules.model import Child, Fact, FactKind, Person

TO_COMPLETE = "To be completed by the IRO."


def save(svc: Services, kind: str, case_ref: str, on: date, context: Mapping[str, Any],
         review_date: date | None = None, status: str = "draft", suffix: str = "") -> dict:
    from doc_templates.render import document_name, render  # docxtpl: only when a document is made

    content = render(kind, {"case_ref": case_ref, "document_date": on, **context}, branding=svc.branding)
    name = document_name(kind, case_ref, on)
    if suffix:  # several documents of one kind on one day (three consultation forms, two resolutions)
        name = name.removesuffix(".docx") + f"_{suffix}.docx"
    stored: StoredDocument = svc.folders.save(DocumentMeta(case_ref, kind, review_date, status), name, content)
    return {"name": stored.name, "url": stored.url}


def contact(p: Person) -> dict:
    return {"name": p.display_name or p.email, "role": p.role, "email": p.email}


def child_label(svc: Services, c: Child) -> str:
    return svc.display_initials.get(c.case_ref) or "the child"


def _placeholder_decision(on: date) -> dict:
    return {"ref": "1", "text": "Write each decision here, with a named person and a date (standard 5).",
            "named_person": "(named person)", "due_by": on, "timescale": "(timescale)"}


def _team(svc: Services, c: Child) -> tuple[Person, Person, Person]:
    return (case_view.person(svc, c.iro, "iro"), case_view.person(svc, c.sw, "sw"),
            case_view.person(svc, c.tm, "tm"))


def _attendees(*people: Person) -> list[dict]:
    return [{"name": p.display_name or p.email, "role": p.role} for p in people]


def _review_number(svc: Services, case_ref: str, on: date) -> int:
    held = {f.data.get("event_id") or f.key for f in svc.store.facts(case_ref, [FactKind.REVIEW_HELD])
            if f.on < on}
    return len(held) + 1


def _earlier_decisions(svc: Services, case_ref: str) -> list[dict]:
    done = {f.data.get("decision_id") for f in svc.store.facts(case_ref, [FactKind.DECISION_DONE])}
    return [{"decision": f.data.get("decision_id", "decision"), "named_person": f.data.get("named_person") or "",
             "due_by": date.fromisoformat(f.data["due"]) if f.data.get("due") else None,
             "progress": "Done" if f.data.get("decision_id") in done else "Not done yet"}
            for f in svc.store.facts(case_ref, [FactKind.DECISION_RECORDED])][-12:]


def review_record_draft(svc: Services, case_ref: str, day: date) -> dict:
    c = case_view.child(svc, case_ref)
    iro, sw, tm = _team(svc, c)
    context = {
        "child_name": child_label(svc, c), "review_date": day, "review_number": _review_number(svc, case_ref, day),
        "legal_status": c.legal_status, "looked_after_since": c.looked_after_since,
        "iro": contact(iro), "social_worker": contact(sw), "team_manager": contact(tm),
        "attendees": _attendees(iro, sw, tm), "child_views": TO_COMPLETE, "participation": TO_COMPLETE,
        "placement": TO_COMPLETE, "health": TO_COMPLETE, "education": TO_COMPLETE, "family_time": TO_COMPLETE,
        "permanency_plan": TO_COMPLETE, "previous_decisions": _earlier_decisions(svc, case_ref),
        "decisions": [_placeholder_decision(day)],
    }
    return save(svc, "review_record", case_ref, day, context, review_date=day)


def decision_drafts(svc: Services, case_ref: str, day: date) -> dict:
    c = case_view.child(svc, case_ref)
    iro, sw, tm = _team(svc, c)
    window = svc.policy.clocks["tm_dispute_window"]
    sent_by = svc.cal.add_working_days(day, svc.policy.clocks["decisions_to_tm"].amount)
    common = {"child_name": child_label(svc, c), "review_date": day, "iro": contact(iro)}
    decisions = save(svc, "review_decisions", case_ref, day, {
        **common, "review_number": _review_number(svc, case_ref, day), "team_manager": contact(tm),
        "social_worker": contact(sw), "attendees": _attendees(iro, sw, tm), "decisions": [_placeholder_decision(day)],
        "dispute_window": f"{window.amount} working days",
        "dispute_by": svc.cal.add_working_days(sent_by, window.amount),
    }, review_date=day)
    for_child = save(svc, "child_decisions", case_ref, day, {
        **common, "decisions": [{"what": "What we agreed, in words you understand.", "who": "(who)", "by_when": day}],
    }, review_date=day)
    return {"decisions": decisions["name"], "child": for_child["name"]}


def resolution_entry(svc: Services, f: Fact) -> dict:
    """The resolution tool entry, re-rendered with the whole log after every step (004 s5.1)."""
    c = case_view.child(svc, f.case_ref)
    res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
    if res is None:
        return {"skipped": "no such resolution"}
    stage = res.stage if res.stage in ("stage1", "stage2", "stage3", "ad_qa") else "stage1"
    owner = case_view.stage_owner(svc, c, stage)
    category = res.category or 1
    context = {
        "resolution_id": res.id, "child_name": child_label(svc, c), "category_number": category,
        "category_label": svc.policy.categories[category].label, "stage": stage_label(svc, res.stage),
        "raised_on": res.opened_on, "raised_by": contact(case_view.person(svc, c.iro, "iro")),
        "concern": concern_text(svc, f.case_ref, res.id), "respond_to": contact(owner),
        "respond_by": respond_by(svc, res), "history": [{"on": s.on, "what": _step_text(s)} for s in res.history],
        "outcome": {"resolved": "Resolved", "good_practice": "Good practice recorded"}.get(res.stage, ""),
    }
    return save(svc, "resolution_entry", f.case_ref, res.opened_on, context, suffix=res.id)


def stage_label(svc: Services, stage: str) -> str:
    if stage in svc.policy.resolution.stages:
        s = svc.policy.resolution.stages[stage]
        return s.label
    return {"ad_qa": "Assistant Director (Quality Assurance)", "informal": "Informal"}.get(stage, stage)


def respond_by(svc: Services, res) -> date:
    """The current stage's response date from the clocks (the deadline whose subject is this resolution)."""
    due = [d.due for d in case_view.case_deadlines(svc, res.case_ref)
           if d.subject == res.id and d.status.value in ("open", "overdue")]
    return min(due, default=res.respond_by or res.stage_started_on)


def concern_text(svc: Services, case_ref: str, resolution_id: str) -> str:
    """The concern as the IRO wrote it, read from the raising email (facts keep no free text)."""
    raised = [f for f in svc.store.facts(case_ref, [FactKind.RESOLUTION_RAISED])
              if f.data.get("resolution_id") == resolution_id]
    if not raised or not raised[0].data.get("message_id"):
        return "See the IRO's email raising this resolution."
    try:
        msg = svc.mail.get_message(svc.service_mailbox, raised[0].data["message_id"])
    except Exception:  # the mailbox copy may have moved; the entry still renders
        return "See the IRO's email raising this resolution."
    return msg.body_text.strip() or "See the IRO's email raising this resolution."


def _step_text(step) -> str:
    words = {"to_stage1": "Raised at stage 1 (team manager)", "to_stage2": "Escalated to stage 2 (head of service)",
             "to_stage3": "Escalated to stage 3 (service director)", "escalate_ad_qa": "Escalated to the AD (QA)",
             "respond": "Written response received", "meeting": "Resolution meeting held", "resolve": "Resolved",
             "good_practice": "Good practice recorded", "discuss_cafcass": "Cafcass referral discussed",
             "refer_cafcass": "Referred to Cafcass"}
    return words.get(step.event, step.event)


def introduction_letter(svc: Services, case_ref: str, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    first = svc.cal.add_working_days(c.looked_after_since, svc.policy.clocks["first_review"].amount)
    context = {"child_name": child_label(svc, c), "iro": contact(case_view.person(svc, c.iro, "iro")),
               "first_review": first}
    return save(svc, "introduction_letter", case_ref, on, context)


def consultation_forms(svc: Services, case_ref: str, review_day: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    iro, sw, _ = _team(svc, c)
    names = []
    for audience, recipient in (("child", child_label(svc, c)), ("parent", "Parent"), ("carer", "Carer")):
        names.append(save(svc, "consultation_form", case_ref, on, {
            "audience": audience, "recipient_name": recipient, "child_name": child_label(svc, c),
            "review_date": review_day, "return_by": svc.cal.add_working_days(review_day, -2),
            "iro": contact(iro), "social_worker": contact(sw)}, review_date=review_day, suffix=audience)["name"])
    return {"forms": names}


def midway_oversight(svc: Services, case_ref: str, last_review: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    context = {"child_name": child_label(svc, c), "iro": contact(case_view.person(svc, c.iro, "iro")),
               "last_review_date": last_review, "care_plan_progress": TO_COMPLETE, "child_contact": TO_COMPLETE,
               "decisions_progress": [{k: v for k, v in row.items()} for row in _earlier_decisions(svc, case_ref)]}
    return save(svc, "midway_oversight", case_ref, on, context)


def link_meeting_agenda(svc: Services, team, iro: Person, tm: Person, start) -> dict:
    """000 standard 14: open resolutions and overdue decisions of the team's children, by case reference."""
    from function_app.services import LONDON

    today = svc.today()
    open_res, overdue = [], []
    for c in svc.store.children():
        if c.team != team.team_id:
            continue
        for r in case_view.case_resolutions(svc, c.case_ref):
            if r.stage in ("stage1", "stage2", "stage3", "ad_qa"):
                label = svc.policy.categories[r.category or 1].label
                due = respond_by(svc, r)
                open_res.append({"case_ref": c.case_ref, "resolution_id": r.id, "category": f"{r.category} {label}",
                                 "stage": stage_label(svc, r.stage), "respond_by": due, "overdue": due < today})
        for d in case_view.case_deadlines(svc, c.case_ref):
            if d.clock == "decision" and d.status.value == "overdue":
                overdue.append({"case_ref": c.case_ref, "decision": d.subject, "due_by": d.due})
    local = start.astimezone(LONDON)
    context = {"team_name": team.name, "team_manager": contact(tm), "iro": contact(iro), "meeting_date": local.date(),
               "meeting_time": local.strftime("%H:%M"), "venue": "Microsoft Teams",
               "open_resolutions": open_res, "overdue_decisions": overdue}
    return save(svc, "link_meeting_agenda", f"LINK-{team.team_id}", today, context)
