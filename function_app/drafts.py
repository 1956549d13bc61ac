"""Documents the app drafts into a child's case folder: doc_templates.builders makes each context from the
domain, doc_templates.render the .docx; this module says what the app knows at each moment and saves it.

Drafts are for the IRO to complete: what the system knows (people, dates, earlier decisions, the resolution
log) is filled in; what only the IRO can write is marked as a draft. The child's name is not on the roster,
so drafts name the child by initials where known; the IRO adds the name in Word. File names carry the case
reference and document type only (doc_templates.render.document_name).
"""

from __future__ import annotations

from datetime import date, datetime

from function_app import case_view
from function_app.services import LONDON, Services
from graph_clients.ports import DocumentMeta
from rules.model import Decision, Fact, FactKind, Person, Team
from rules.resolution import Resolution

PLACEHOLDER = Decision("Write each decision here, with a named person and a date (standard 5).",
                       "(named person)", None, "(timescale)")
STEP_WORDS = {"to_stage1": "Raised at stage 1 (team manager)", "to_stage2": "Escalated to stage 2 (head of service)",
              "to_stage3": "Escalated to stage 3 (service director)", "escalate_ad_qa": "Escalated to the AD (QA)",
              "respond": "Written response received", "meeting": "Resolution meeting held", "resolve": "Resolved",
              "good_practice": "Good practice recorded", "discuss_cafcass": "Cafcass referral discussed",
              "refer_cafcass": "Referred to Cafcass"}


def _builders():
    from doc_templates import builders  # docxtpl and pydantic contexts: only when a document is made

    return builders


def save(svc: Services, kind: str, context, review_date: date | None = None, suffix: str = "") -> dict:
    from doc_templates.render import document_name, render

    content = render(kind, context, branding=svc.branding)
    name = document_name(kind, context.case_ref, context.document_date)
    if suffix:  # several documents of one kind on one day (three consultation forms, two resolutions)
        name = name.removesuffix(".docx") + f"_{suffix}.docx"
    stored = svc.folders.save(DocumentMeta(context.case_ref, kind, review_date), name, content)
    return {"name": stored.name, "url": stored.url}


def _people(svc: Services) -> dict[str, Person]:
    return {p.email: p for p in svc.store.people()}


def child_label(svc: Services, case_ref: str) -> str:
    return svc.display_initials.get(case_ref) or "the child"


def _placeholder(day: date) -> Decision:
    return Decision(PLACEHOLDER.text, PLACEHOLDER.named_person, day, PLACEHOLDER.timescale, "1")


def _review_number(svc: Services, case_ref: str, on: date) -> int:
    held = {f.data.get("event_id") or f.key for f in svc.store.facts(case_ref, [FactKind.REVIEW_HELD]) if f.on < on}
    return len(held) + 1


def _earlier_decisions(svc: Services, case_ref: str) -> list[tuple[Decision, str]]:
    """Decisions read back from earlier records, with their progress (facts keep ids, not the words)."""
    done = {f.data.get("decision_id") for f in svc.store.facts(case_ref, [FactKind.DECISION_DONE])}
    out = []
    for f in svc.store.facts(case_ref, [FactKind.DECISION_RECORDED])[-12:]:
        due = date.fromisoformat(f.data["due"]) if f.data.get("due") else None
        decision = Decision(f"Decision {f.data.get('decision_id')} (see {f.data.get('record', 'the record')})",
                            f.data.get("named_person"), due)
        out.append((decision, "Done" if f.data.get("decision_id") in done else "Not done yet"))
    return out


def review_record_draft(svc: Services, case_ref: str, day: date) -> dict:
    c = case_view.child(svc, case_ref)
    ctx = _builders().review_record(
        c, _people(svc), child_name=child_label(svc, case_ref), review_date=day,
        review_number=_review_number(svc, case_ref, day), decisions=[_placeholder(day)],
        attendees=[e for e in (c.iro, c.sw, c.tm) if e], on=day, previous=_earlier_decisions(svc, case_ref))
    return save(svc, "review_record", ctx, review_date=day)


def decision_drafts(svc: Services, case_ref: str, day: date) -> dict:
    c = case_view.child(svc, case_ref)
    b, people, name = _builders(), _people(svc), child_label(svc, case_ref)
    window = svc.policy.clocks["tm_dispute_window"].amount
    sent_by = svc.cal.add_working_days(day, svc.policy.clocks["decisions_to_tm"].amount)
    decisions = save(svc, "review_decisions", b.review_decisions(
        c, people, child_name=name, review_date=day, review_number=_review_number(svc, case_ref, day),
        decisions=[_placeholder(day)], attendees=[e for e in (c.iro, c.sw, c.tm) if e],
        dispute_by=svc.cal.add_working_days(sent_by, window), on=day, dispute_window=f"{window} working days"),
        review_date=day)
    child = save(svc, "child_decisions", b.child_decisions(
        c, people, child_name=name, review_date=day, decisions=[_placeholder(day)], on=day,
        in_child_words={"1": "What we agreed, in words you understand."}), review_date=day)
    return {"decisions": decisions["name"], "child": child["name"]}


def resolution_entry(svc: Services, f: Fact) -> dict:
    """The resolution tool entry, re-rendered with the whole log after every step (004 s5.1)."""
    res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
    if res is None:
        return {"skipped": "no such resolution"}
    c = case_view.child(svc, f.case_ref)
    stage = res.stage if res.stage in ("stage1", "stage2", "stage3", "ad_qa") else "stage1"
    category = res.category or 1
    ctx = _builders().resolution_entry(
        c, _people(svc), child_name=child_label(svc, f.case_ref), resolution_id=res.id, category=category,
        stage=stage_label(svc, res.stage), concern=concern_text(svc, f.case_ref, res.id),
        respond_by=respond_by(svc, res), respond_to=case_view.stage_owner(svc, c, stage), raised_on=res.opened_on,
        on=res.opened_on, category_label=svc.policy.categories[category].label,
        history=[(s.on, STEP_WORDS.get(s.event, s.event)) for s in res.history],
        outcome={"resolved": "Resolved", "good_practice": "Good practice recorded"}.get(res.stage))
    return save(svc, "resolution_entry", ctx, suffix=res.id)


def stage_label(svc: Services, stage: str) -> str:
    if stage in svc.policy.resolution.stages:
        return svc.policy.resolution.stages[stage].label
    return {"ad_qa": "Assistant Director (Quality Assurance)", "informal": "Informal"}.get(stage, stage)


def respond_by(svc: Services, res: Resolution) -> date:
    """The current stage's response date from the clocks (the deadline whose subject is this resolution)."""
    due = [d.due for d in case_view.case_deadlines(svc, res.case_ref)
           if d.subject == res.id and d.status.value in ("open", "overdue")]
    return min(due, default=res.respond_by or res.stage_started_on)


def concern_text(svc: Services, case_ref: str, resolution_id: str) -> str:
    """The concern as the IRO wrote it, read from the raising email (facts keep no free text)."""
    fallback = "See the IRO's email raising this resolution."
    raised = [f for f in svc.store.facts(case_ref, [FactKind.RESOLUTION_RAISED])
              if f.data.get("resolution_id") == resolution_id and f.data.get("message_id")]
    if not raised:
        return fallback
    from rules.errors import GraphError

    try:
        msg = svc.mail.get_message(svc.service_mailbox, raised[0].data["message_id"])
    except GraphError:  # the message may have been moved or deleted; the entry still renders
        return fallback
    return msg.body_text.strip() or fallback


def introduction_letter(svc: Services, case_ref: str, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    first = svc.cal.add_working_days(c.looked_after_since, svc.policy.clocks["first_review"].amount)
    return save(svc, "introduction_letter", _builders().introduction_letter(
        c, _people(svc), child_name=child_label(svc, case_ref), on=on, first_review=first))


def consultation_forms(svc: Services, case_ref: str, review_day: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    b, people, name = _builders(), _people(svc), child_label(svc, case_ref)
    names = []
    for audience, recipient in (("child", name), ("parent", "Parent"), ("carer", "Carer")):
        ctx = b.consultation_form(c, people, child_name=name, audience=audience, recipient_name=recipient,
                                  review_date=review_day, return_by=svc.cal.add_working_days(review_day, -2), on=on)
        names.append(save(svc, "consultation_form", ctx, review_date=review_day, suffix=audience)["name"])
    return {"forms": names}


def midway_oversight(svc: Services, case_ref: str, last_review: date, on: date) -> dict:
    c = case_view.child(svc, case_ref)
    return save(svc, "midway_oversight", _builders().midway_oversight(
        c, _people(svc), child_name=child_label(svc, case_ref), last_review_date=last_review, on=on,
        decisions_progress=_earlier_decisions(svc, case_ref)))


def link_meeting_agenda(svc: Services, team: Team, start: datetime) -> dict:
    """000 standard 14: open resolutions and overdue decisions of the team's children, by case reference."""
    today, open_res, overdue = svc.today(), [], []
    for c in svc.store.children():
        if c.team != team.team_id:
            continue
        for r in case_view.case_resolutions(svc, c.case_ref):
            if r.stage in ("stage1", "stage2", "stage3", "ad_qa"):
                open_res.append({"case_ref": c.case_ref, "resolution_id": r.id, "category": r.category or 1,
                                 "category_label": svc.policy.categories[r.category or 1].label,
                                 "stage": stage_label(svc, r.stage), "respond_by": respond_by(svc, r)})
        for d in case_view.case_deadlines(svc, c.case_ref):
            if d.clock == "decision" and d.status.value == "overdue":
                overdue.append((c.case_ref, Decision(f"Decision {d.subject}", None, d.due)))
    local = start.astimezone(LONDON)
    ctx = _builders().link_meeting_agenda(team, _people(svc), meeting_date=local.date(), on=today,
                                          open_resolutions=open_res, overdue_decisions=overdue,
                                          meeting_time=local.strftime("%H:%M"), venue="Microsoft Teams")
    return save(svc, "link_meeting_agenda", ctx)
