"""Each person's daily digest: what is due for them soon, what of theirs is overdue, the breaches they are
told of (whose deadline, in what role), and the news waiting for them (docs/notifications.md).

The daily sweep hands over every open and overdue deadline after go-live. A deadline is a line of its
owner's digest from its clock's first `reminders` day (or once it is due within the digest horizon) until
it is met; after its due date, a line of the owner's digest and of each on_breach role's. Items overdue
longer than `list_overdue_working_days` are counted, with a link, not listed. A full digest goes out on
the policy's digest weekdays; on other working days a person gets one only when there is news for them:
a reminder day reached, a deadline newly overdue, or a notice waiting. One digest per person per day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date

from function_app.notices import deliver
from function_app.notices.recipients import Roster, audience, breach_answerers, owner
from function_app.notices.words import decisions_of, person_role, what_is_due
from function_app.once import once
from function_app.services import Services
from graph_clients.ports import OutgoingMail
from graph_clients.teams.layout import item_id
from rules.clocks import reminder_dates
from rules.model import Deadline, Fact, FactKind, Person, Status

APP_MEETS = ("consultation",)  # clocks the app meets itself (it sends the forms): nobody needs telling
LAST = "digest-last"  # state: email -> the day of the person's last digest


@dataclass
class Pile:
    person: Person
    due: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    told: list = field(default_factory=list)
    summarised: int = 0
    news: bool = False


def daily(svc: Services, found: list[Deadline], facts_of: dict[str, list[Fact]], today: date) -> dict:
    """Send today's digests (once per person per day); returns how many went out."""
    from graph_clients.teams import digest as cards

    policy, cal = svc.policy, svc.cal
    roster = Roster.read(svc)
    dig = policy.notifications.digest
    horizon = cal.add_working_days(today, dig.horizon_working_days)
    listed_from = cal.add_working_days(today, -dig.list_overdue_working_days)
    piles: dict[str, Pile] = {}
    last = _last_digests(svc)
    remind = policy.notifications.channels("reminder")
    breach = policy.notifications.channels("breach")

    def pile(p: Person) -> Pile:
        return piles.setdefault(p.email.lower(), Pile(p))

    decisions: dict[str, dict[str, Fact]] = {}
    for d in found:
        if d.clock in APP_MEETS:
            continue
        child = roster.children.get(d.case_ref)
        if d.clock == "decision" and d.case_ref not in decisions:
            decisions[d.case_ref] = decisions_of([f for f in facts_of.get(d.case_ref, [])
                                                  if f.kind == FactKind.DECISION_RECORDED])
        fact = decisions.get(d.case_ref, {}).get(d.subject) if d.clock == "decision" else None
        named = str(fact.data.get("named_person") or "") if fact else ""
        who = owner(policy, roster, child, d, named)
        clock = policy.clocks.get(d.clock)
        line = cards.Line(d.case_ref, what_is_due(clock.label if clock else d.clock, d, decisions.get(d.case_ref, {})),
                          d.due, person_role(who.display_name, who.role or d.owner_role),
                          svc.folders.folder_url(d.case_ref) if child else "", svc.display_initials.get(d.case_ref),
                          item_id("late" if d.status == Status.OVERDUE else "due", d.case_ref, d.clock, d.subject,
                                  d.due), ("decision", d.subject) if d.clock == "decision" and fact else ())
        since = last.get(who.email.lower())
        if d.status == Status.OPEN:
            days = reminder_dates(d, policy, cal)
            if remind.get("owner") == "digest" and (d.due <= horizon or (days and days[0] <= today)):
                p = pile(who)
                p.due.append(line)
                p.news |= any(x <= today and (since is None or x > since) for x in days)
            continue
        if d.status != Status.OVERDUE:
            continue
        old = d.due < listed_from
        newly = since is None or d.due >= since
        answerers = {m.email.lower() for m in breach_answerers(svc.policy, roster, child, d)}
        for person, channel in _breach_people(svc, roster, child, d, who, breach):
            if channel != "digest":
                continue
            p = pile(person)
            if old:
                p.summarised += 1
            elif person.email.lower() == who.email.lower():
                p.overdue.append(line)
            else:  # a manager told of a breach answers it: Acknowledge, with a note, on the breach card
                p.told.append(replace(line, answer=("breach", d.clock)) if person.email.lower() in answerers
                              else line)
            p.news |= newly and not old
    noted = _noted(svc)
    for email in noted:
        pile(roster.person(email))
    sent = 0
    for email, p in sorted(piles.items()):
        notes = deliver.pending_notes(svc, email) if email in noted else []
        content = p.due or p.overdue or p.told or notes or p.summarised
        if not content or not (today.weekday() in dig.weekdays or p.news or notes):
            continue
        if once(svc, f"digest:{email}:{today.isoformat()}", "digest", "",
                lambda p=p, notes=notes: _send(svc, p, notes, today)):
            sent += 1
    return {"digests": sent}


def _breach_people(svc, roster, child, d, who, channels) -> list[tuple[Person, str]]:
    out: dict[str, tuple[Person, str]] = {}
    for aud, channel in channels.items():
        people = [who] if aud == "owner" else audience(svc.policy, roster, aud, child, deadline=d)
        for p in people:
            out.setdefault(p.email.lower(), (p, channel))
    if any(ch == "card" for _, ch in out.values()):
        from function_app.notices.events import breach_cards

        breach_cards(svc, d, child, who, [p for p, ch in out.values() if ch == "card"])
    return list(out.values())


def _send(svc: Services, p: Pile, notes: list[dict], today: date) -> dict:
    from graph_clients.teams import digest as cards
    from graph_clients.teams.privacy import Privacy

    dig = svc.policy.notifications.digest
    news = tuple(cards.Line(n["case_ref"], n["what"], date.fromisoformat(n["by"]) if n.get("by") else None,
                            n.get("who", ""), n.get("link", ""), svc.display_initials.get(n["case_ref"]),
                            answer=tuple(n.get("answer") or ()))
                 for n in sorted(notes, key=lambda n: (n["case_ref"], n.get("key", ""))))  # not in arrival order
    sections = [cards.Section("Overdue: yours to do", tuple(p.overdue), late_style=True),
                cards.Section("Due soon", tuple(p.due)),
                cards.Section("Overdue: others' deadlines you are told of", tuple(p.told), late_style=True),
                cards.Section("News", news)]
    card = cards.personal(p.person, sections, today, cards.DigestLinks(full_list=svc.tracker_url),
                          Privacy.of(svc.policy), p.summarised, dig.list_overdue_working_days)
    if dig.channel == "email":
        deliver.send_mail(svc, OutgoingMail(svc.service_mailbox, (p.person.email,),
                                            f"Your IRO digest {today:%d %b %Y}", _as_html(card), kind="digest"))
    else:
        deliver.post(svc, p.person, card, "digest")
    deliver.clear_notes(svc, p.person.email, len(notes))
    last = svc.store.get_state(LAST)
    svc.store.set_state(LAST, json.dumps({**(json.loads(last) if last else {}), p.person.email.lower():
                                          today.isoformat()}))
    return {"to": p.person.email, "due": len(p.due), "overdue": len(p.overdue), "told": len(p.told),
            "news": len(notes), "summarised": p.summarised}


def _as_html(card: dict) -> str:
    from html import escape

    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                texts.append(f"<p>{escape(str(node.get('text', '')))}</p>")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    return "".join(texts)


def _last_digests(svc: Services) -> dict[str, date]:
    raw = svc.store.get_state(LAST)
    return {k: date.fromisoformat(v) for k, v in (json.loads(raw) if raw else {}).items()}


def _noted(svc: Services) -> list[str]:
    raw = svc.store.get_state(deliver.NOTED)
    return sorted(json.loads(raw)) if raw else []
