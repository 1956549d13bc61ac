"""Books the bimonthly link meeting between each IRO and their linked team's manager (000 standard 14).

Weekly: a booked meeting whose day has passed is recorded as held; then for each team whose next link
meeting falls due within the look-ahead, the scheduler asks both calendars for busy times (getSchedule in
Graph: findMeetingTimes is delegated-only), finds a slot inside working hours on a working day
(rules.slots), books a Teams meeting in the IRO's calendar with the TM invited (a transaction id makes a
retried booking the same meeting), drafts the agenda and tells both of them in Teams.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from function_app import case_view, drafts, notices
from function_app.messages import FactRecorded, Message, Rejected, ScheduleLinkMeetings
from function_app.once import once
from function_app.services import LONDON, Services
from graph_clients.ports import MeetingRequest
from rules.clocks import team_deadlines
from rules.model import Fact, FactKind, Status, Team
from rules.slots import find_slots

LOOK_AHEAD_WORKING_DAYS = 10
WEEKS_TRIED = 3


def on_schedule(msg: ScheduleLinkMeetings, svc: Services) -> list[Message]:
    out: list[Message] = []
    for team in svc.store.teams():
        if not (team.link_iro and team.tm):
            continue
        out += _held(team, msg.today, svc)
        out += _book_if_due(team, msg.today, svc)
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
    if _booking(team, svc):
        return []  # the next one is booked already
    found = [d for d in team_deadlines(team.team_id, svc.store.facts(team.team_id), svc.policy, svc.cal, today)
             if d.clock == "link_meeting" and d.status in (Status.OPEN, Status.OVERDUE)]
    if not found:
        return []
    due = min(d.due for d in found)
    if due > svc.cal.add_working_days(today, LOOK_AHEAD_WORKING_DAYS):
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
    start_day = max(today + timedelta(days=1), svc.cal.add_working_days(due, -5))
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
        start=slot[0], end=slot[1], body_html="<p>Bimonthly IRO link meeting (IRO practice standard 14).</p>",
        online=True, transaction_id=f"link:{team.team_id}:{due.isoformat()}"))
    day = slot[0].astimezone(LONDON).date()
    svc.store.set_state(f"link-booked:{team.team_id}", json.dumps({"event_id": event.id, "day": day.isoformat()}))
    agenda = drafts.link_meeting_agenda(svc, team, slot[0])
    last = [f.on for f in svc.store.facts(team.team_id, [FactKind.LINK_MEETING_HELD])]
    notices.link_meeting(svc, team, iro, tm, day, event.join_url or agenda["url"], max(last, default=None))
    return {"event_id": event.id, "day": day.isoformat(), "agenda": agenda["name"]}
