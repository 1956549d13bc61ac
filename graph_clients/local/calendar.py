"""Calendars for the embedded default: events in memory, meetings the app books written as .ics files.

Same port as the Graph adapter (graph_clients/ports.py: Calendar). The demo plays Outlook by putting
events here and sending the change notification Graph would send.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent
from icalendar import vCalAddress

from graph_clients.ports import BusyInterval, CalendarEvent, MeetingRequest
from rules.errors import NotFound


class LocalCalendar:
    """`now` is the app's clock: each .ics file's DTSTAMP is when the app wrote it."""

    def __init__(self, outbox: Path, now: Callable[[], datetime]) -> None:
        self.outbox = Path(outbox)
        self.now = now
        self.events: dict[tuple[str, str], CalendarEvent] = {}

    def put_event(self, event: CalendarEvent) -> None:
        self.events[(event.mailbox.lower(), event.id)] = event

    def get_event(self, mailbox: str, event_id: str) -> CalendarEvent:
        try:
            return self.events[(mailbox.lower(), event_id)]
        except KeyError:
            raise NotFound(f"no event {event_id} in the calendar of {mailbox}", status=404) from None

    def create_meeting(self, meeting: MeetingRequest) -> CalendarEvent:
        # transaction_id makes creation idempotent, as Graph's transactionId does
        key = meeting.transaction_id or f"{meeting.organizer}|{meeting.subject}|{meeting.start.isoformat()}"
        event_id = "local-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        existing = self.events.get((meeting.organizer.lower(), event_id))
        if existing:
            return existing
        event = CalendarEvent(
            id=event_id, mailbox=meeting.organizer, subject=meeting.subject, start=meeting.start,
            end=meeting.end, attendees=meeting.attendees, body_text=meeting.body_html,
            join_url=f"https://teams.example/l/meetup-join/{event_id}" if meeting.online else "",
        )
        for person in (meeting.organizer, *meeting.attendees):
            self.put_event(replace(event, mailbox=person))
        self._write_ics(event)
        return event

    def busy(self, people: tuple[str, ...], start: datetime, end: datetime) -> dict[str, list[BusyInterval]]:
        out: dict[str, list[BusyInterval]] = {p: [] for p in people}
        for (mailbox, _), ev in self.events.items():
            for person in people:
                if person.lower() == mailbox and not ev.is_cancelled and ev.start < end and ev.end > start:
                    out[person].append(BusyInterval(ev.start, ev.end))
        for intervals in out.values():
            intervals.sort(key=lambda b: b.start)
        return out

    def _write_ics(self, event: CalendarEvent) -> None:
        cal = ICalendar()
        cal.add("prodid", "-//IRO automation//local calendar//EN")
        cal.add("version", "2.0")
        ie = IEvent()
        ie.add("uid", f"{event.id}@iro.local")
        ie.add("summary", event.subject)
        ie.add("dtstart", event.start)
        ie.add("dtend", event.end)
        ie.add("dtstamp", self.now())
        ie["organizer"] = vCalAddress(f"mailto:{event.mailbox}")
        for a in event.attendees:
            ie.add("attendee", vCalAddress(f"mailto:{a}"))
        if event.join_url:
            ie.add("location", "Microsoft Teams meeting")
            ie.add("url", event.join_url)
        cal.add_component(ie)
        self.outbox.mkdir(parents=True, exist_ok=True)
        day = event.start.strftime("%Y-%m-%d")
        (self.outbox / f"{day}-{event.id}.ics").write_bytes(cal.to_ical())
