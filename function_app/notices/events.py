"""Notices about things that happened on a case: each builds its words once and sends them through
`deliver.send`, where the policy picks each person's one channel (docs/notifications.md).

Reminders before deadlines and breaches after them are not here: they are lines of each person's daily
digest (notices/digests.py). Emails carry documents (consultation forms, the review record, the
introduction letter) or reach people outside Teams; their bodies are in notices/mails.py.
"""

from __future__ import annotations

from datetime import date

from function_app import case_view, drafts
from function_app.notices import mails
from function_app.notices.deliver import Notice, send
from function_app.notices.recipients import Roster, audience, missing_roles, stage_owner
from function_app.notices.words import day, disputed, late_reason_email, listed, person_role
from function_app.services import Services
from rules.clocks import due_date
from rules.decisions import sent_decisions
from rules.model import Child, Fact, FactKind, Person, Team
from rules.resolution import stage_name
from rules.roles import AD_QA, RESPONDING_STAGES, cafcass_discuss_with, stage_label, stage_owner_role


def _cards():
    from graph_clients.teams import cards  # adaptive-cards-py: only when a card is made

    return cards


def privacy(svc: Services):
    from graph_clients.teams.privacy import Privacy

    return Privacy.of(svc.policy)


def _who(svc: Services, c: Child) -> dict:
    return {"privacy": privacy(svc), "display_initials": svc.display_initials.get(c.case_ref)}


def _people(svc: Services, kind: str, c: Child | None, roster: Roster, **about) -> dict[str, list[Person]]:
    return {who: audience(svc.policy, roster, who, c, **about) for who in svc.policy.notifications.channels(kind)}


def review_booked_late(svc: Services, case_ref: str, on: date, due: date, key: str) -> dict:
    c, roster = case_view.child(svc, case_ref), Roster.read(svc)
    iro = roster.person(c.iro, "iro")
    n = Notice("review_booked_late", key, case_ref, f"Review booked for {day(on)}, after it was due on {day(due)}: "
               "record the reason for the annual report: " + late_reason_email(svc.policy, svc.service_mailbox,
                                                                               case_ref, on),
               None, person_role(iro.display_name, "iro"), svc.folders.folder_url(case_ref))
    return send(svc, n, _people(svc, n.kind, c, roster))


def decisions_issued(svc: Services, f: Fact) -> dict:
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    tm = roster.person(c.tm, "tm")
    review = date.fromisoformat(f.data["review_date"]) if f.data.get("review_date") else f.on
    dispute_by = due_date(svc.policy, svc.cal, "tm_dispute_window", f.on)  # as the draft letter counts it
    link = svc.folders.folder_url(f.case_ref)
    decisions = sent_decisions([f], review)
    n = Notice("decisions_issued", f.key, f.case_ref, f"Decisions of the review of {day(review)} sent to you: "
               f"{listed(decisions)}. Accept them, or dispute any by {day(dispute_by)}; if not disputed they stand "
               "confirmed", dispute_by, person_role(tm.display_name, "tm"), link, ("decisions", review.isoformat()))
    return send(svc, n, _people(svc, n.kind, c, roster), card=lambda p: _cards().decisions_issued(
        c, p, review, f.on, dispute_by, link, decisions, **_who(svc, c)))


def dispute_notice(svc: Services, f: Fact) -> dict:
    """004 s3.1: disputed decisions are notified in writing to the IRO and all attendees, naming them."""
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    tm = roster.person(c.tm, "tm")
    review = date.fromisoformat(f.data["review_date"]) if f.data.get("review_date") else None
    sent = sent_decisions(svc.store.facts(f.case_ref, [FactKind.DECISIONS_SENT]), review) if review else []
    which = disputed(sent, str(f.data.get("numbers") or ""))
    held = f"the review of {day(review)}" if review else "the latest review"
    n = Notice("decisions_disputed", f.key, f.case_ref, f"{tm.display_name} (team manager) disputes decisions of "
               f"{held}: {which}. They are not confirmed until the IRO resolves it", None,
               person_role(roster.person(c.iro, "iro").display_name, "iro"), svc.folders.folder_url(f.case_ref))
    return send(svc, n, _people(svc, n.kind, c, roster), mail=lambda p: mails.dispute(svc, c, p, tm, review, which))


def significant_change_prompt(svc: Services, f: Fact) -> dict:
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    kinds = {k.id: k.label for k in svc.policy.significant_changes}
    label = kinds.get(str(f.data.get("change_kind")), "A significant change")
    decide_by = svc.cal.add_working_days(f.on, svc.policy.lead_times.significant_change_decision.working_days)
    link = svc.folders.folder_url(f.case_ref)
    n = Notice("significant_change", f.key, f.case_ref, f"{label}: decide whether to convene an early review",
               decide_by, person_role(roster.person(c.iro).display_name, "iro"), link)
    return send(svc, n, _people(svc, n.kind, c, roster), card=lambda p: _cards().significant_change_prompt(
        c, p, label, f.on, link, decide_by=decide_by, **_who(svc, c)))


def resolution_stage(svc: Services, f: Fact) -> dict:
    """A resolution reaching a stage: its owner must respond (a card); the IRO and the service hear of it."""
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
    at = stage_name(f.data.get("to_stage") or f.data.get("stage") or "1")  # the stage this fact moved to
    if res is None or at not in RESPONDING_STAGES:
        return {"skipped": "not at a stage that needs a response"}
    owner = stage_owner(svc.policy, roster, c, at) or roster.person("", stage_owner_role(svc.policy, at))
    category = res.category or 1
    respond_by = case_view.respond_by(svc, res, at)
    label = stage_label(svc.policy, at)
    link = svc.folders.folder_url(f.case_ref)
    by = f"respond by {day(respond_by)}" if respond_by else "respond as soon as possible"
    cafcass = at == AD_QA or at == "stage3"
    n = Notice("resolution_stage", f.key, f.case_ref, f"Resolution {res.id} ({svc.policy.categories[category].label})"
               f" at {label}: {owner.display_name} to {by}", respond_by,
               person_role(owner.display_name, owner.role), link)
    view = _cards().Resolution(res.id, f.case_ref, category, svc.policy.categories[category].label, at,
                               drafts.concern_text(svc, f.case_ref, res.id), respond_by, raised_on=res.opened_on,
                               stage_label=label, respond_within=case_view.response_words(svc, at),
                               cafcass=cafcass, owner_role=stage_owner_role(svc.policy, at),
                               cafcass_with=cafcass_discuss_with(svc.policy))
    people = _people(svc, n.kind, c, roster, stage=at)
    return send(svc, n, people, card=lambda p: _cards().resolution_escalation(
        view, c, p, svc.today(), link, **_who(svc, c)))


def cafcass_prompt(svc: Services, f: Fact) -> dict:
    """004 s5.3; Handbook 6.3: at the senior stages the IRO considers Cafcass, after discussing it with the
    roles of the policy's resolution.cafcass_discuss_with. Whoever got this resolution's stage card today has
    the prompt on it."""
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    rid = str(f.data.get("resolution_id", ""))
    at = stage_name(f.data.get("to_stage"))
    holder = stage_owner(svc.policy, roster, c, at) if at in RESPONDING_STAGES else None
    stage_holder = holder.email.lower() if holder else ""
    people = {k: [p for p in v if p.email.lower() != stage_holder]
              for k, v in _people(svc, "cafcass_prompt", c, roster).items()}
    iro = roster.person(c.iro, "iro")
    n = Notice("cafcass_prompt", f"cafcass-prompt:{rid}", f.case_ref, f"Resolution {rid} has reached the senior "
               f"stages unresolved: consider a Cafcass referral, after discussing it with "
               f"{cafcass_discuss_with(svc.policy)}", None, person_role(iro.display_name, "iro"),
               svc.folders.folder_url(f.case_ref))
    return send(svc, n, people, card=lambda p: _cards().cafcass_prompt(c, p, rid, svc.folders.folder_url(
        f.case_ref), [roster.person(x.email) for x in people.get("cafcass_discuss_with", [])], **_who(svc, c),
        discuss_with_roles=cafcass_discuss_with(svc.policy)),
        mail=lambda p: mails.cafcass(svc, c, p, rid))


def transfer_blocked(svc: Services, f: Fact) -> dict:
    c, roster = case_view.child(svc, f.case_ref), Roster.read(svc)
    tm = roster.person(c.tm, "tm")
    n = Notice("transfer_blocked", f"{f.key}:blocked", f.case_ref, "Moved team with a resolution still open: "
               "resolve it or move the case back (a case with an open resolution must not transfer)", None,
               person_role(tm.display_name, "tm"), svc.folders.folder_url(f.case_ref))
    return send(svc, n, _people(svc, n.kind, c, roster))


def consultation(svc: Services, case_ref: str, key: str, review_day: date, due: date) -> dict:
    """Consultation forms for the child, parents and carers, to the social worker to share (003)."""
    c, roster = case_view.child(svc, case_ref), Roster.read(svc)
    forms = drafts.consultation_forms(svc, case_ref, review_day, svc.today())["forms"]
    n = Notice("consultation_forms", key, case_ref, f"Consultation forms for the review on {day(review_day)}",
               due, person_role(roster.person(c.sw).display_name, "sw"))
    return send(svc, n, _people(svc, n.kind, c, roster), mail=lambda p: mails.consultation(svc, c, p, forms,
                                                                                          review_day))


def category4_prompt(svc: Services, case_ref: str, key: str, overdue: list[str]) -> dict:
    """004 Appendix 1 category 4 (decisions not carried out): a suggestion to the IRO, who decides."""
    c, roster = case_view.child(svc, case_ref), Roster.read(svc)
    n = Notice("category4", key, case_ref, f"{len(overdue)} earlier decision(s) past their date and not done: "
               + "; ".join(overdue) + ". Consider a category 4 concern (decisions not carried out)", None,
               person_role(roster.person(c.iro).display_name, "iro"), svc.folders.folder_url(case_ref))
    return send(svc, n, _people(svc, n.kind, c, roster),
                mail=lambda p: mails.category4(svc, c, p, overdue))


def distribute_record(svc: Services, case_ref: str, name: str, content: bytes | None = None) -> dict:
    """004 s3.1: the review report distributed to the relevant parties. `content`: the record as read (the
    library's change feed finds it by item id, wherever it was saved)."""
    c, roster = case_view.child(svc, case_ref), Roster.read(svc)
    n = Notice("record_distributed", f"{name}:distributed", case_ref, "The record of the review is complete "
               "and has gone to the social worker to share", None, "", svc.folders.folder_url(case_ref))
    told = send(svc, n, _people(svc, n.kind, c, roster), mail=lambda p: mails.record(svc, c, p, name, content))
    return _with_missing(svc, roster, c, n.kind, told)


def introduction(svc: Services, case_ref: str, name: str, key: str) -> dict:
    """000 standard 3; 002: the IRO's introduction with the NAIRO pledge, via the child's social worker."""
    c, roster = case_view.child(svc, case_ref), Roster.read(svc)
    n = Notice("introduction", key, case_ref, "The IRO's introduction letter, to give to the child", None,
               person_role(roster.person(c.sw).display_name, "sw"))
    told = send(svc, n, _people(svc, n.kind, c, roster), mail=lambda p: mails.introduction(svc, c, p, name))
    return _with_missing(svc, roster, c, n.kind, told)


def _with_missing(svc: Services, roster: Roster, c: Child, kind: str, told: dict) -> dict:
    """`told`, plus `missing`: the policy's audience roles the roster has nobody for on this child (the
    caller raises a problem naming them when nobody received the document)."""
    missing = missing_roles(svc.policy, roster, c, kind)
    return {**told, "missing": missing} if missing else told


def link_meeting(svc: Services, team: Team, iro: Person, tm: Person, due: date, link: str,
                 last_held: date | None, on: date) -> dict:
    roster = Roster.read(svc)
    last = f"the last was on {day(last_held)}" if last_held else "no earlier meeting is recorded"
    n = Notice("link_meeting", f"link:{team.team_id}:{due.isoformat()}", team.team_id,
               f"Link meeting of {iro.display_name} (link IRO) and {tm.display_name} (team manager) booked for "
               f"{day(on)}, due by {day(due)}; {last}", due, "", link)
    people = {who: audience(svc.policy, roster, who, None, team=team)
              for who in svc.policy.notifications.channels("link_meeting")}
    return send(svc, n, people, card=lambda p: _cards().link_meeting_notice(team, iro, tm, due, svc.today(), link,
                                                                            last_held=last_held,
                                                                            every=svc.policy.link_meetings.interval))


def breach_cards(svc: Services, d, child: Child | None, responsible: Person, people: list[Person]) -> None:
    """When the policy makes a breach a card of its own: one per person, once, the day after the due date."""
    if child is None:
        return
    ident = f"breach:{d.case_ref}:{d.clock}:{d.subject}:{d.due.isoformat()}"
    clock = svc.policy.clocks.get(d.clock)
    n = Notice("breach", ident, d.case_ref, clock.label if clock else d.clock, d.due,
               person_role(responsible.display_name, responsible.role or d.owner_role),
               svc.folders.folder_url(d.case_ref))
    send(svc, n, {"owner": people}, card=lambda p: _cards().breach_alert(
        d, child, p, svc.today(), n.link, responsible=responsible, what=n.what, **_who(svc, child)))
