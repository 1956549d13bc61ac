"""Books the bimonthly link meeting between each IRO and their linked team's manager (000 standard 14).

Weekly: a booked meeting whose day has passed is recorded as held; then for each team whose next link
meeting falls due within the look-ahead, the scheduler asks both calendars for busy times (getSchedule in
Graph: findMeetingTimes is delegated-only), finds a slot inside working hours on a working day
(rules.slots), books a Teams meeting in the IRO's calendar with the TM invited (a transaction id makes a
retried booking the same meeting), drafts the agenda and tells both of them in Teams.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime, time, timedelta

from function_app import case_view, drafts
from function_app.bus import uses
from function_app.messages import FactRecorded, Message, Rejected, ScheduleLinkMeetings
from function_app.notices import events
from function_app.once import isolated, once
from function_app.services import LONDON, Services
from graph_clients.ports import MeetingRequest
from rules.citations import for_staff
from rules.clocks import team_deadlines
from rules.model import Fact, FactKind, Status, Team
from rules.slots import find_slots

WEEKS_TRIED = 3  # how far the slot search looks, not a timescale: past it, a person books by hand


@uses("branding", "cal", "done_actions", "folders", "mail", "now", "outlook", "policy", "service_mailbox",
      "store", "teams", "today")
def on_schedule(msg: ScheduleLinkMeetings, svc: Services) -> list[Message]:
    out: list[Message] = []
    for team in svc.store.teams():
        if not (team.link_iro and team.tm):
            continue
        # isolated: one team's failure is retried (an action) or recorded, and the others are still booked
        isolated(svc, "the link-meeting scheduler", team.team_id,
                 lambda t=team: out.extend([*_held(t, msg.today, svc), *_book_if_due(t, msg.today, svc)]))
    return out


def _held(team: Team, today: date, svc: Services) -> list[Message]:
    booked = _booking(team, svc)
    if not booked or date.fromisoformat(booked["day"]) >= today:
        return []
    fact = Fact(FactKind.LINK_MEETING_HELD, team.team_id, date.fromisoformat(booked["day"]),
                f"link:{booked['event_id']}:held", {"iro": team.link_iro, "tm": team.tm})
    new = svc.store.record(fact)
    svc.store.set_state(f"link-booked:{team.team_id}", "")
    return [FactRecorded(fact, new)]


def _booking(team: Team, svc: Services) -> dict | None:
    raw = svc.store.get_state(f"link-booked:{team.team_id}")
    return json.loads(raw) if raw else None


def _book_if_due(team: Team, today: date, svc: Services) -> list[Message]:
    found = [d for d in team_deadlines(team.team_id, svc.store.facts(team.team_id), svc.policy, svc.cal, today)
             if d.clock == "link_meeting" and d.status in (Status.OPEN, Status.OVERDUE)]
    if not found:
        return []
    due = min(d.due for d in found)
    booked = svc.store.action(f"link:{team.team_id}:{due}")
    if _booking(team, svc) and not (booked and not booked.done):
        return []  # the next one is booked already (an unfinished booking goes on: its agenda, its cards)
    if due > svc.cal.add_working_days(today, svc.policy.link_meetings.look_ahead_working_days):
        return []
    slot = _first_slot(team, today, due, svc)
    if slot is None:
        return [Rejected("link meetings", f"no common free slot for team {team.team_id}'s link meeting "
                         f"in the {WEEKS_TRIED} weeks from {today}", "book it by hand in Outlook", None,
                         {"team": team.team_id}, key=f"link-noslot:{team.team_id}:{due}")]
    once(svc, f"link:{team.team_id}:{due}", "meeting", team.team_id, lambda: _book(team, slot, due, svc))
    return []


def _first_slot(team: Team, today: date, due: date, svc: Services) -> tuple[datetime, datetime] | None:
    lm = svc.policy.link_meetings
    start_day = max(today + timedelta(days=1), svc.cal.add_working_days(due, -lm.earliest_working_days_before_due))
    week = start_day - timedelta(days=start_day.weekday())
    for _ in range(WEEKS_TRIED):
        lo = datetime.combine(week, time(0), LONDON)
        busy = svc.outlook.busy((team.link_iro, team.tm), lo, lo + timedelta(days=7))
        slots = find_slots({p: [(b.start, b.end) for b in bs] for p, bs in busy.items()}, week,
                           timedelta(minutes=lm.duration_minutes),
                           lambda d: svc.cal.is_working_day(d) and d >= start_day,
                           time.fromisoformat(lm.working_hours_start), time.fromisoformat(lm.working_hours_end),
                           LONDON, limit=1)
        if slots:
            return slots[0]
        week += timedelta(days=7)
    return None


def _book(team: Team, slot: tuple[datetime, datetime], due: date, svc: Services) -> dict:
    iro, tm = case_view.person(svc, team.link_iro, "iro"), case_view.person(svc, team.tm, "tm")
    event = svc.outlook.create_meeting(MeetingRequest(
        organizer=iro.email, attendees=(tm.email,), subject=f"IRO link meeting: {team.name}",
        start=slot[0], end=slot[1], body_html=_body(svc.policy),
        online=True, transaction_id=f"link:{team.team_id}:{due.isoformat()}"))
    # the meeting as booked: a retried booking returns the first attempt's event (same transaction id), whose
    # slot may differ from the one found this time (the calendar now shows the meeting itself as busy)
    day = event.start.astimezone(LONDON).date()
    svc.store.set_state(f"link-booked:{team.team_id}", json.dumps({"event_id": event.id, "day": day.isoformat()}))
    agenda = drafts.link_meeting_agenda(svc, team, event.start)
    last = [f.on for f in svc.store.facts(team.team_id, [FactKind.LINK_MEETING_HELD])]
    events.link_meeting(svc, team, iro, tm, due, event.join_url or agenda["url"], max(last, default=None), day)
    return {"event_id": event.id, "day": day.isoformat(), "agenda": agenda["name"]}


def _body(policy) -> str:
    """The invitation's text: how often the policy says the link IRO and the TM meet, and where that is set."""
    return (f"<p>IRO link meeting, held every {policy.link_meetings.interval} "
            f"({html.escape(for_staff(policy, policy.link_meetings.source.cite))}).</p>")
