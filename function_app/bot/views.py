"""The state of one question a card asks, read from the facts: what is asked, who may answer, what was answered.

One `Question` per card kind, built by `load(svc, kind, case_ref, subject)`:

    decisions           the TM accepts or disputes a review's decisions (004 s3.1): subject = review date
    resolution          a resolution at a stage: its owner responds or asks for more time; the IRO resolves,
                        escalates or records good practice (004 s5, Appendix 1): subject = resolution id
    significant_change  the IRO convenes an early review or says why none is needed (000 standard 11):
                        subject = the day the change was notified
    decision            a review decision to its named person: done or an update; the IRO confirms or
                        reopens it (000 standard 5): subject = decision id
    breach              the IRO service manager acknowledges a breached timescale: subject = the clock id

`roles_of(person)` says which hats the viewer wears for this question ("tm", "owner", "iro", "named",
"manager"): the verbs in answers.py each name the hat they need. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from function_app import case_view
from function_app.services import LONDON, Services
from graph_clients.teams.answer_cards import View
from graph_clients.teams.layout import decision_facts, fmt, person_label
from rules.citations import for_staff
from rules.decisions import sent_decisions
from rules.errors import InputError
from rules.model import Child, Deadline, Fact, FactKind, Person, Status
from rules.resolution import FINAL
from rules.resolution import Resolution as ResolutionState

KINDS = ("decisions", "resolution", "significant_change", "decision", "breach")
# The facts that answer each kind of question (their data carry `subject_key` = the question's subject).
ANSWER_KINDS = {
    "decisions": (FactKind.DECISIONS_ACCEPTED, FactKind.DECISIONS_DISPUTED),
    "resolution": (FactKind.RESOLUTION_RESPONDED, FactKind.RESOLUTION_TIME_ASKED, FactKind.RESOLUTION_RESOLVED,
                   FactKind.RESOLUTION_ESCALATED, FactKind.GOOD_PRACTICE),
    "significant_change": (FactKind.EARLY_REVIEW_DECIDED,),
    "decision": (FactKind.DECISION_DONE, FactKind.DECISION_UPDATED, FactKind.DECISION_CONFIRMED,
                 FactKind.DECISION_REOPENED),
    "breach": (FactKind.BREACH_ACKNOWLEDGED,),
}
SUBJECT_FIELD = {"decisions": "review_date", "resolution": "resolution_id", "significant_change": "notified_on",
                 "decision": "decision_id", "breach": "clock"}
_PAST = {
    FactKind.DECISIONS_ACCEPTED: "Accepted", FactKind.DECISIONS_DISPUTED: "Disputed",
    FactKind.RESOLUTION_RESPONDED: "Response", FactKind.RESOLUTION_TIME_ASKED: "More time asked",
    FactKind.RESOLUTION_RESOLVED: "Resolved", FactKind.RESOLUTION_ESCALATED: "Escalated",
    FactKind.GOOD_PRACTICE: "Good practice recorded", FactKind.EARLY_REVIEW_DECIDED: "Decided",
    FactKind.DECISION_DONE: "Done", FactKind.DECISION_UPDATED: "Update", FactKind.DECISION_CONFIRMED: "Confirmed",
    FactKind.DECISION_REOPENED: "Reopened", FactKind.BREACH_ACKNOWLEDGED: "Acknowledged",
}


@dataclass
class Question:
    kind: str
    case_ref: str
    subject: str
    child: Child
    today: date
    answers: list[Fact]                       # this question's answer facts, in order
    people: dict[str, set[str]] = field(default_factory=dict)  # role -> emails entitled
    title: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""
    style: str = "accent"
    closed: str = ""                          # set when nobody may answer any more
    window_end: date | None = None            # decisions: the last day to dispute
    cap: date | None = None                   # resolution: the cap's last day (policy resolution.cap_clock)
    cap_words: str = ""                       # the cap as the policy sets it ("20 working days")
    resolution: ResolutionState | None = None
    decision: Fact | None = None
    link: str = ""

    @property
    def version(self) -> int:
        return len(self.answers)

    def roles_of(self, email: str) -> set[str]:
        email = (email or "").lower()
        return {role for role, emails in self.people.items() if email and email in emails}

    def concerned(self) -> set[str]:
        return set().union(*self.people.values()) if self.people else set()

    def view(self, svc: Services, user_ids: tuple[str, ...] = ()) -> View:
        label = _label(svc, self.child)
        shown = tuple((t, label if t == "Case" else v) for t, v in self.facts)
        return View(self.kind, self.case_ref, self.subject, self.version, self.title, label, shown,
                    tuple(_history_line(svc, f) for f in self.answers), for_staff(svc.policy, self.source),
                    self.style, self.link, self.closed, user_ids)


def load(svc: Services, kind: str, case_ref: str, subject: str) -> Question:
    """The question a card asks, from the facts as they are now. Unknown kinds or subjects are InputError."""
    if kind not in KINDS:
        raise InputError(f"card kind '{kind}' is not one the bot answers", "answer on a card the bot sent")
    child = case_view.child(svc, case_ref)
    facts = svc.store.facts(case_ref)
    answers = [f for f in facts if f.kind in ANSWER_KINDS[kind]
               and str(f.data.get(SUBJECT_FIELD[kind]) or f.data.get("about") or "") == subject]
    q = Question(kind, case_ref, subject, child, svc.today(), answers, link=_link(svc, case_ref))
    _LOADERS[kind](svc, q, facts)
    return q


def _decisions(svc: Services, q: Question, facts: list[Fact]) -> None:
    sent = [f for f in facts if f.kind == FactKind.DECISIONS_SENT
            and str(f.data.get("review_date") or f.on.isoformat()) == q.subject]
    if not sent:
        raise InputError(f"no decisions sent for the review of {q.case_ref} on {q.subject}",
                         "answer on the card the decisions came with", case_ref=q.case_ref)
    window = svc.policy.clocks["tm_dispute_window"]
    q.window_end = svc.cal.add_working_days(sent[0].on, window.amount)
    team = svc.store.team(q.child.team) if q.child.team else None
    q.people = {"tm": {e.lower() for e in (q.child.tm, team.tm if team else "") if e}}
    q.title, q.style, q.source = "Review decisions issued", "accent", "004 s3.1; Appendix 3"
    words = decision_facts(sent_decisions(sent, date.fromisoformat(q.subject)), _privacy(svc))
    q.facts = [("Case", ""), ("Review held", fmt(date.fromisoformat(q.subject))), ("Decisions sent", fmt(sent[0].on)),
               *words, ("Dispute by", fmt(q.window_end)), ("Who must act", _who(svc, q.people["tm"], "Team manager"))]
    if any(f.kind in (FactKind.DECISIONS_ACCEPTED, FactKind.DECISIONS_DISPUTED) for f in q.answers):
        q.closed = "The team manager has answered."
    elif q.today > q.window_end:
        q.closed = f"The window to dispute closed on {fmt(q.window_end)}: the decisions stand confirmed."


def _resolution(svc: Services, q: Question, facts: list[Fact]) -> None:
    res = case_view.resolution(svc, q.case_ref, q.subject)
    if res is None:
        raise InputError(f"no resolution {q.subject} on {q.case_ref}", "answer on the card the resolution came with",
                         case_ref=q.case_ref)
    q.resolution = res
    owner = case_view.stage_owner(svc, q.child, res.stage) if res.stage not in FINAL else None
    q.people = {"owner": {owner.email.lower()} if owner and res.stage != "informal" else set(),
                "iro": {q.child.iro.lower()} if q.child.iro else set()}
    cap_clock = svc.policy.clocks[svc.policy.resolution.cap_clock]
    cap = [d for d in case_view.case_deadlines(svc, q.case_ref)
           if d.clock == svc.policy.resolution.cap_clock and d.subject == res.id]
    q.cap = cap[0].due if cap else None
    q.cap_words = cap_clock.span
    q.title, q.style, q.source = f"Resolution {res.id}", "warning", "004 s5; Appendix 1"
    q.facts = [("Case", ""), ("Stage", _stage_label(svc, res.stage)), ("Raised", fmt(res.opened_on))]
    respond_by = case_view.respond_by(svc, res) if res.stage not in FINAL else None
    if respond_by:
        q.facts.append(("Respond by", fmt(respond_by)))
    if q.cap:
        q.facts.append(("Whole process by", f"{fmt(q.cap)} ({q.cap_words})"))
    if owner:
        q.facts.append(("Who must act", f"{person_label(owner)}, {_stage_label(svc, res.stage)}"))
    if res.stage in FINAL:
        q.closed = f"This resolution is closed ({res.stage.replace('_', ' ')})."


def _significant_change(svc: Services, q: Question, facts: list[Fact]) -> None:
    changes = [f for f in facts if f.kind == FactKind.SIGNIFICANT_CHANGE and f.on.isoformat() == q.subject]
    if not changes:
        raise InputError(f"no significant change on {q.case_ref} notified on {q.subject}",
                         "answer on the card the change came with", case_ref=q.case_ref)
    kinds = {k.id: k.label for k in svc.policy.significant_changes}
    q.people = {"iro": {q.child.iro.lower()} if q.child.iro else set()}
    q.title, q.style, q.source = "Significant change: convene a review?", "warning", "000 standard 11"
    q.facts = [("Case", ""), ("Change", kinds.get(str(changes[0].data.get("change_kind")), "A significant change")),
               ("Notified", fmt(changes[0].on)), ("Who must act", _who(svc, q.people["iro"], "IRO"))]
    if q.answers:
        q.closed = "The IRO has decided."


def _decision(svc: Services, q: Question, facts: list[Fact]) -> None:
    recorded = [f for f in facts if f.kind == FactKind.DECISION_RECORDED and f.data.get("decision_id") == q.subject]
    if not recorded:
        raise InputError(f"no decision {q.subject} on {q.case_ref}", "answer on the card the decision came with",
                         case_ref=q.case_ref)
    q.decision = d = recorded[-1]
    named = named_person(svc, q.child, str(d.data.get("named_person") or ""))
    q.people = {"named": {named.email.lower()} if named else set(),
                "iro": {q.child.iro.lower()} if q.child.iro else set()}
    q.title, q.style, q.source = "Review decision", "accent", "000 standard 5"
    q.facts = [("Case", ""), ("Decision", str(d.data.get("text") or _decision_label(q.subject))),
               ("Named person", person_label(named) if named else str(d.data.get("named_person") or "not named")),
               ("Due", fmt(date.fromisoformat(str(d.data["due"])[:10])) if d.data.get("due") else "no date given"),
               ("Status", decision_status(q))]


def _decision_label(decision_id: str) -> str:
    """'2025-02-11-3' -> 'Decision 3 of the review of Tue 11 Feb 2025' (the words stay in the record)."""
    try:
        return f"Decision {int(decision_id[11:])} of the review of {fmt(date.fromisoformat(decision_id[:10]))}"
    except ValueError:
        return decision_id


def decision_status(q: Question) -> str:
    last = next((f.kind for f in reversed(q.answers) if f.kind != FactKind.DECISION_UPDATED), None)
    return {FactKind.DECISION_DONE: "done (the IRO may confirm or reopen it)",
            FactKind.DECISION_CONFIRMED: "done, confirmed by the IRO",
            FactKind.DECISION_REOPENED: "reopened by the IRO"}.get(last, "open")


def _breach(svc: Services, q: Question, facts: list[Fact]) -> None:
    """The breach card tells the truth as the app's clock has it: "Timescale breached" only when the deadline
    is past (overdue, or missed), else "Due <date>"; whose deadline it is (the clock's owner, as the notices
    resolve them) and where it stands now."""
    from function_app.notices.recipients import Roster, breach_answerers, owner
    from function_app.notices.words import person_role
    from graph_clients.teams.layout import due_phrase

    label = svc.policy.clocks[q.subject].label if q.subject in svc.policy.clocks else q.subject.replace("_", " ")
    d = breach_deadline(case_view.case_deadlines(svc, q.case_ref), q.subject)
    managers = breach_answerers(svc.policy, Roster.read(svc), q.child, d) if d is not None else []
    q.people = {"manager": {m.email.lower() for m in managers}}
    q.source = "the clock's own source in the policy"
    q.facts = [("Case", ""), ("What was due", label)]
    if d is None:
        q.title, q.style = label, "default"
        q.facts.append(("Now", "This timescale is not running for this case."))
    else:
        breached = d.status in (Status.OVERDUE, Status.MISSED)
        q.title = "Timescale breached" if breached else f"Due {fmt(d.due)}"
        q.style = "attention" if breached else "accent"
        holder = owner(svc.policy, Roster.read(svc), q.child, d)
        now = {Status.OVERDUE: f"Overdue: {due_phrase(d.due, q.today)}, not done yet",
               Status.MISSED: f"Missed: done late, on {fmt(d.met_on)}" if d.met_on else "Missed: not done in time",
               Status.MET: f"Met on {fmt(d.met_on)}" if d.met_on else "Met",
               Status.OPEN: f"Open: {due_phrase(d.due, q.today)}"}[d.status]
        q.facts += [("Due", fmt(d.due)), ("Whose deadline", person_role(person_label(holder), holder.role)),
                    ("Now", now)]
    told = [person_role(person_label(m), m.role) for m in managers]  # each with their own role
    q.facts.append(("Alert to", "; ".join(told) or "nobody on the roster holds the roles told of this breach"))


def breach_deadline(found: list[Deadline], clock: str) -> Deadline | None:
    """The deadline of `clock` a breach card is about: an overdue one first, then a missed one, then the next
    open one, then the last met."""
    mine = [d for d in found if d.clock == clock]
    for status, latest in ((Status.OVERDUE, False), (Status.MISSED, True), (Status.OPEN, False), (Status.MET, True)):
        some = sorted((d for d in mine if d.status == status), key=lambda d: d.due, reverse=latest)
        if some:
            return some[0]
    return None


_LOADERS = {"decisions": _decisions, "resolution": _resolution, "significant_change": _significant_change,
            "decision": _decision, "breach": _breach}


def named_person(svc: Services, child: Child, named: str) -> Person | None:
    """The roster person a decision names: by address, display name, or a role word for the child's own SW/TM/IRO."""
    text = named.strip().lower()
    if not text:
        return None
    roles = {"social worker": child.sw, "sw": child.sw, "team manager": child.tm, "tm": child.tm, "iro": child.iro}
    if text in roles and roles[text]:
        return case_view.person(svc, roles[text])
    return next((p for p in svc.store.people() if text in (p.display_name.lower(), p.email.lower())), None)


def _privacy(svc: Services):
    from graph_clients.teams.privacy import Privacy

    return Privacy.of(svc.policy)


def _label(svc: Services, child: Child) -> str:
    return _privacy(svc).child_label(child.case_ref, svc.display_initials.get(child.case_ref))


def _link(svc: Services, case_ref: str) -> str:
    try:
        return svc.folders.folder_url(case_ref)
    except Exception:  # noqa: BLE001 - a card without its link still answers
        return ""


def _who(svc: Services, emails: set[str], role: str) -> str:
    names = sorted(person_label(case_view.person(svc, e)) for e in emails)
    return f"{', '.join(names)}, {role}" if names else f"{role} (not on the roster)"


def _stage_label(svc: Services, stage: str) -> str:
    from rules.roles import stage_label

    return stage_label(svc.policy, stage)


def _history_line(svc: Services, f: Fact) -> str:
    who = person_label(case_view.person(svc, str(f.data.get("by") or ""))) if f.data.get("by") else "someone"
    at = str(f.data.get("at") or "")
    when = _when(at) if at else fmt(f.on)
    what = _PAST.get(f.kind, f.kind.value)
    if f.kind == FactKind.EARLY_REVIEW_DECIDED:
        what = "Early review convened" if f.data.get("convene") else "No review needed"
    if f.kind == FactKind.RESOLUTION_ESCALATED and f.data.get("to_stage"):
        what = f"Escalated to {_stage_label(svc, str(f.data['to_stage']))}"
    detail = f.data.get("text") or f.data.get("reason") or f.data.get("note") or ""
    if f.kind == FactKind.RESOLUTION_TIME_ASKED and f.data.get("until"):
        detail = f"until {fmt(date.fromisoformat(str(f.data['until'])))}"
    via = "" if f.data.get("via") == "teams" else f" ({f.data.get('via') or 'by email'})"
    return f"{what} by {who}, {when}{via}" + (f": {detail}" if detail else "")


def _when(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone(LONDON)
    return f"{fmt(moment.date())} {moment:%H:%M}"
