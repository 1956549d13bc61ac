"""Cards to Teams and emails: who is told what, through which route (graph_clients.teams builds the cards).

Routes: a person's chat by their UPN; a team's channel by the team's channel key; the IRO service's
channel by the key "iro-service". What a card shows of a child follows the policy's `cards.show`.
"""

from __future__ import annotations

from datetime import date

from function_app import case_view, drafts
from function_app.services import Services
from graph_clients.ports import Attachment, CardRoute, OutgoingMail
from rules.clocks import due_date
from rules.model import Child, Deadline, Fact, FactKind, Person, Status, Team
from rules.resolution import stage_name

SERVICE_CHANNEL = "iro-service"


def _cards():
    from graph_clients.teams import cards  # adaptive-cards-py: only when a card is made

    return cards


def privacy(svc: Services):
    from graph_clients.teams.privacy import Privacy

    return Privacy(show=svc.policy.cards.show)


def post(svc: Services, to: Person | str, card: dict) -> dict:
    upn = to if isinstance(to, str) else to.email
    svc.teams.post(CardRoute(person=upn), card)
    return {"to": upn}


def folder_link(svc: Services, case_ref: str) -> str:
    return svc.folders.folder_url(case_ref)


def _who(svc: Services, c: Child) -> dict:
    return {"privacy": privacy(svc), "display_initials": svc.display_initials.get(c.case_ref)}


def managers(svc: Services) -> list[Person]:
    return case_view.people_in_role(svc, "iro_manager") or [case_view.person(svc, svc.service_mailbox, "iro_manager")]


def review_booked_late(svc: Services, case_ref: str, day: date, due: date) -> dict:
    c = case_view.child(svc, case_ref)
    d = Deadline(case_ref, "review_booking", due, status=Status.OVERDUE, owner_role="iro", source="reg 33; 003")
    sent = []
    for m in [*managers(svc), case_view.person(svc, c.iro, "iro")]:
        card = _cards().breach_alert(d, c, m, svc.today(), folder_link(svc, case_ref),
                                     responsible=case_view.person(svc, c.iro, "iro"),
                                     what=f"Review booked for {day:%d %B %Y}, after its due date", **_who(svc, c))
        sent.append(post(svc, m, card)["to"])
    return {"to": sent}


def decisions_issued(svc: Services, f: Fact) -> dict:
    c = case_view.child(svc, f.case_ref)
    tm = case_view.person(svc, c.tm, "tm")
    review = date.fromisoformat(f.data["review_date"]) if f.data.get("review_date") else f.on
    dispute_by = due_date(svc.policy, svc.cal, "tm_dispute_window", f.on)  # as the draft letter counts it
    card = _cards().decisions_issued(c, tm, review, f.on, dispute_by,
                                     folder_link(svc, f.case_ref), **_who(svc, c))
    return post(svc, tm, card)


def dispute_notice(svc: Services, f: Fact) -> dict:
    """004 s3.1: disputed decisions are notified in writing to the IRO and all attendees."""
    c = case_view.child(svc, f.case_ref)
    to = tuple(dict.fromkeys(p for p in (c.iro, c.sw, c.tm) if p))
    svc.mail.send(OutgoingMail(svc.service_mailbox, to, f"Review decisions disputed {f.case_ref}",
                               f"<p>The team manager has disputed decisions from the review of {f.case_ref}. "
                               "The decisions in dispute are not confirmed; the IRO will arrange to resolve it "
                               "(004 s3.1).</p>"))
    return {"to": list(to)}


def significant_change_prompt(svc: Services, f: Fact) -> dict:
    c = case_view.child(svc, f.case_ref)
    iro = case_view.person(svc, c.iro, "iro")
    kinds = {k.id: k.label for k in svc.policy.significant_changes}
    label = kinds.get(str(f.data.get("change_kind")), "A significant change")
    card = _cards().significant_change_prompt(c, iro, label, f.on, folder_link(svc, f.case_ref),
                                              decide_by=svc.cal.add_working_days(f.on, 5), **_who(svc, c))
    return post(svc, iro, card)


def resolution_card(svc: Services, f: Fact) -> dict:
    c = case_view.child(svc, f.case_ref)
    res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
    stage = _stage_of(f)  # the stage this fact moved to: a later escalation the same day has its own card
    if res is None or stage not in ("stage1", "stage2", "stage3", "ad_qa"):
        return {"skipped": "not at a stage that needs a response"}
    owner = case_view.stage_owner(svc, c, stage)
    category = res.category or 1
    view = _cards().Resolution(res.id, f.case_ref, category, svc.policy.categories[category].label, stage,
                               drafts.concern_text(svc, f.case_ref, res.id), drafts.respond_by(svc, res),
                               raised_on=res.opened_on)
    card = _cards().resolution_escalation(view, c, owner, svc.today(), folder_link(svc, f.case_ref), **_who(svc, c))
    return post(svc, owner, card)


def _stage_of(f: Fact) -> str:
    return stage_name(f.data.get("to_stage") or f.data.get("stage") or "1")


def transfer_alert(svc: Services, f: Fact) -> dict:
    c = case_view.child(svc, f.case_ref)
    d = Deadline(f.case_ref, "transfer_blocked", f.on, status=Status.OVERDUE, owner_role="tm", source="004 App. 1")
    sent = []
    for m in managers(svc):
        card = _cards().breach_alert(d, c, m, svc.today(), folder_link(svc, f.case_ref),
                                     what="Team transfer with a resolution still open", **_who(svc, c))
        sent.append(post(svc, m, card)["to"])
    return {"to": sent}


def breach(svc: Services, d: Deadline) -> dict:
    """A missed deadline: the clock's on_breach roles are told, once (the policy decides who; the service
    sees every breach in its channel digest). A clock with no on_breach roles alerts the service manager."""
    c = case_view.child(svc, d.case_ref)
    clock = svc.policy.clocks.get(d.clock)
    roles = tuple(getattr(clock, "on_breach", ()) or ())
    people = {} if roles else {p.email: p for p in managers(svc)}
    for role in roles:
        p = _role_person(svc, c, role)
        people.setdefault(p.email, p)
    responsible = _role_person(svc, c, d.owner_role or "iro")
    for p in people.values():
        post(svc, p, _cards().breach_alert(d, c, p, svc.today(), folder_link(svc, d.case_ref),
                                           responsible=responsible, **_who(svc, c)))
    return {"to": sorted(people)}


def _role_person(svc: Services, c: Child, role: str) -> Person:
    direct = {"iro": c.iro, "sw": c.sw, "tm": c.tm}
    if role in direct and direct[role]:
        return case_view.person(svc, direct[role], role)
    if role in ("stage1", "stage2", "stage3", "hos"):
        return case_view.stage_owner(svc, c, "stage2" if role == "hos" else role)
    found = case_view.people_in_role(svc, role)
    return found[0] if found else case_view.person(svc, svc.service_mailbox, role)


def reminder(svc: Services, d: Deadline) -> dict:
    """Before a deadline. The IRO's own deadlines are in the channel digest, grouped by IRO; others who must
    act (the social worker, the TM, a named person) get an email; the midway point gets a draft record."""
    c = case_view.child(svc, d.case_ref)
    if d.clock == "midway_oversight" and d.started_on:
        once_key = f"midway-draft:{d.case_ref}:{d.subject}:{d.due.isoformat()}"
        from function_app.once import once

        once(svc, once_key, "document", d.case_ref, lambda: drafts.midway_oversight(svc, d.case_ref, d.started_on,
                                                                                    svc.today()))
        return {"draft": once_key}
    role = d.owner_role or "iro"
    if d.clock == "decision":
        named = _named_person(svc, d)
        if named is not None:  # standard 5: the person the decision names is reminded
            return _mail_to(svc, c, named, d, "Reminder: a review decision is due", [])
    if role == "iro":
        return {"digest": True}
    label = svc.policy.clocks[d.clock].label if d.clock in svc.policy.clocks else "Reminder"
    return _mail_owner(svc, c, role, d, f"Reminder: {label}", [])


def consultation(svc: Services, d: Deadline) -> dict:
    """Consultation forms for the child, parents and carers, to the social worker to share (003)."""
    c = case_view.child(svc, d.case_ref)
    forms = drafts.consultation_forms(svc, d.case_ref, _review_day(svc, d), svc.today())
    return _mail_owner(svc, c, "sw", d, "Consultation forms for the review", forms["forms"])


def _review_day(svc: Services, d: Deadline) -> date:
    event = d.subject.removeprefix("event-")
    start = svc.store.get_state(f"event-start:{event}")
    return case_view.day_of(start) if start else d.due


def _named_person(svc: Services, d: Deadline) -> Person | None:
    """The roster person a decision names (by display name or address), if the roster knows them."""
    recorded = [f for f in svc.store.facts(d.case_ref, [FactKind.DECISION_RECORDED])
                if f.data.get("decision_id") == d.subject and f.data.get("named_person")]
    if not recorded:
        return None
    named = str(recorded[-1].data["named_person"]).strip().lower()
    return next((p for p in svc.store.people() if named in (p.display_name.lower(), p.email.lower())), None)


def _mail_owner(svc: Services, c: Child, role: str, d: Deadline, title: str, names: list[str]) -> dict:
    return _mail_to(svc, c, _role_person(svc, c, role), d, title, names)


def _mail_to(svc: Services, c: Child, to: Person, d: Deadline, title: str, names: list[str]) -> dict:
    attachments = tuple(Attachment(n, svc.folders.read(c.case_ref, n)) for n in names)
    svc.mail.send(OutgoingMail(svc.service_mailbox, (to.email,), f"{title} {c.case_ref} due {d.due:%d %b %Y}",
                               f"<p>{title} for {c.case_ref} is due by {d.due:%d %B %Y} ({d.source}).</p>",
                               attachments=attachments))
    return {"to": to.email, "attachments": names}


def link_meeting(svc: Services, team: Team, iro: Person, tm: Person, due: date, link: str,
                 last_held: date | None) -> dict:
    card = _cards().link_meeting_notice(team, iro, tm, due, svc.today(), link, last_held=last_held)
    return {"to": [post(svc, iro, card)["to"], post(svc, tm, card)["to"]]}


def digests(svc: Services, found: list[Deadline], today: date) -> None:
    """One digest per team channel and one for the service, once a day."""
    from function_app.once import once

    horizon = svc.cal.add_working_days(today, svc.digest_horizon_days)
    due = [d for d in found if d.status.value == "overdue" or (d.status.value == "open" and d.due <= horizon)]
    children = {c.case_ref: c for c in svc.store.children()}
    by_team: dict[str, list[Deadline]] = {}
    for d in due:
        team = children[d.case_ref].team if d.case_ref in children else ""
        by_team.setdefault(team, []).append(d)
    people = {p.email: p for p in svc.store.people()}
    targets = [(t.channel or f"team-{t.team_id}", t.name, by_team.get(t.team_id, [])) for t in svc.store.teams()]
    targets.append((SERVICE_CHANNEL, "IRO service", due))
    for channel, title, items in targets:
        once(svc, f"digest:{channel}:{today.isoformat()}", "digest", "", lambda c=channel, t=title, i=items:
             _digest(svc, c, t, i, children, people, today))


def _digest(svc, channel, title, items, children, people, today) -> dict:
    cards = _cards()
    rows = [cards.DigestItem(d, iro=children[d.case_ref].iro if d.case_ref in children else "",
                             link=folder_link(svc, d.case_ref), display_initials=svc.display_initials.get(d.case_ref))
            for d in items]
    card = cards.digest(f"{title}: due and overdue", rows, today, svc.digest_horizon_days, privacy(svc),
                        cards.DigestLinks(full_list=svc.tracker_url), people)
    svc.teams.post(CardRoute(channel=channel), card)
    return {"channel": channel, "items": len(rows)}


def category4_prompt(svc: Services, case_ref: str, overdue: int) -> dict:
    """004 Appendix 1 category 4 (decisions not carried out): a suggestion to the IRO, who decides."""
    c = case_view.child(svc, case_ref)
    svc.mail.send(OutgoingMail(svc.service_mailbox, (c.iro,), f"Decisions carried forward undone {case_ref}",
                               f"<p>{overdue} decision(s) from earlier reviews of {case_ref} are past their date "
                               "and not recorded as done. Consider raising a category 4 concern (decisions not "
                               "carried out, 004 Appendix 1).</p>"))
    return {"to": c.iro, "overdue": overdue}


def distribute_record(svc: Services, case_ref: str, name: str) -> dict:
    """004 s3.1: the review report distributed to the relevant parties (SW and TM; the IRO in copy)."""
    c = case_view.child(svc, case_ref)
    to = tuple(dict.fromkeys(p for p in (c.sw, c.tm) if p))
    svc.mail.send(OutgoingMail(svc.service_mailbox, to, f"Review record {case_ref}",
                               f"<p>The record of the review of {case_ref} is attached. Please share it with "
                               "those who should have it, in the way agreed at the review.</p>",
                               cc=(c.iro,) if c.iro else (), attachments=(Attachment(name, svc.folders.read(
                                   case_ref, name)),)))
    return {"to": list(to)}


def introduction(svc: Services, case_ref: str, name: str) -> dict:
    """000 standard 3; 002: the IRO's introduction with the NAIRO pledge, via the child's social worker."""
    c = case_view.child(svc, case_ref)
    svc.mail.send(OutgoingMail(svc.service_mailbox, (c.sw,), f"Introducing the IRO {case_ref}",
                               f"<p>Please give {case_ref}'s IRO introduction letter (attached) to the child, "
                               "and talk it through with them.</p>", cc=(c.iro,),
                               attachments=(Attachment(name, svc.folders.read(case_ref, name)),)))
    return {"to": c.sw}


def cafcass_prompt(svc: Services, case_ref: str, resolution_id: str) -> dict:
    """004 s5.3; Handbook 6.3: the IRO may refer to Cafcass at any point; at stage 3 they are reminded, with
    the discussion the referral needs first."""
    c = case_view.child(svc, case_ref)
    svc.mail.send(OutgoingMail(svc.service_mailbox, (c.iro,), f"Consider a Cafcass referral {case_ref}",
                               f"<p>Resolution {resolution_id} for {case_ref} has reached the senior stages without "
                               "being resolved. If the child's plan is still at risk, consider a referral to "
                               "Cafcass; first discuss it with the IRO service manager and the Assistant Director "
                               "(Quality Assurance) (004 s5.3).</p>"))
    return {"to": c.iro}
