"""Calendar port on Graph: events (get with $select, calendarView window, delta), Teams meetings,
and busy times from getSchedule for the link-meeting slot finder (rules.slots).

Permissions (application): Calendars.Read to read, Calendars.ReadWrite to create/update, getSchedule
Calendars.ReadBasic; scope them to the IRO mailboxes with Exchange RBAC for Applications
(docs/permissions.md). `findMeetingTimes` is delegated-only, hence getSchedule + rules.slots.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from graph_clients.ports import BusyInterval, CalendarEvent, DeltaResult, MeetingRequest
from rules.errors import InputError, NotFound
from rules.slots import find_slots

from .convert import delta_pages, event_value, from_graph_time, is_removed, request_config, to_graph_time
from .session import GraphSession

EVENT_FIELDS = ["id", "subject", "start", "end", "changeKey", "isCancelled", "categories", "attendees", "body",
                "onlineMeeting", "organizer", "isOnlineMeeting"]
LONDON = ZoneInfo("Europe/London")
BUSY = {"busy", "oof", "tentative", "unknown"}   # workingElsewhere and free do not block a slot


def _utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise InputError("a calendar window needs timezone-aware datetimes", "pass datetimes with tzinfo")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GraphCalendar:
    """Implements ports.Calendar and ports.DeltaSource (calendar events)."""

    def __init__(self, session: GraphSession, clock: Callable[[], datetime] | None = None,
                 delta_window: tuple[timedelta, timedelta] = (timedelta(days=31), timedelta(days=400))) -> None:
        """`delta_window`: how far back and ahead of now a fresh calendar delta looks (calendarView
        delta needs a window); reviews are booked up to about a year ahead."""
        self.session = session
        self.clock = clock or (lambda: datetime.now(UTC))
        self.delta_window = delta_window

    # --- reading -----------------------------------------------------------------------------
    def get_event(self, mailbox: str, event_id: str) -> CalendarEvent:
        async def call(client: Any) -> Any:
            from msgraph.generated.users.item.events.item.event_item_request_builder import EventItemRequestBuilder

            query = EventItemRequestBuilder.EventItemRequestBuilderGetQueryParameters(select=EVENT_FIELDS)
            return await client.users.by_user_id(mailbox).events.by_event_id(event_id).get(request_config(query=query))

        return event_value(mailbox, self.session.run("calendar.get_event", call, mailbox))

    def list_events(
        self, mailbox: str, start: datetime, end: datetime, category: str | None = None
    ) -> list[CalendarEvent]:
        """Events overlapping [start, end) (calendarView expands recurrences), all pages; with
        `category`, only events carrying that Outlook category (e.g. the council's review category)."""
        window = (_utc_text(start), _utc_text(end))

        async def call(client: Any) -> list[Any]:
            from msgraph.generated.users.item.calendar_view.calendar_view_request_builder import (
                CalendarViewRequestBuilder,
            )

            builder = client.users.by_user_id(mailbox).calendar_view
            query = CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
                start_date_time=window[0], end_date_time=window[1], select=EVENT_FIELDS)
            page = await builder.get(request_config(query=query))
            found = list(page.value or [])
            while page.odata_next_link:
                page = await builder.with_url(page.odata_next_link).get(request_config())
                found += page.value or []
            return found

        events = [event_value(mailbox, e) for e in self.session.run("calendar.list_events", call, mailbox)]
        return [e for e in events if category is None or category in e.categories]

    def delta(self, mailbox: str, delta_link: str | None = None) -> DeltaResult:
        """Changes since `delta_link` (None: everything in the delta window), across all pages.
        Persist the returned link (delta_links.py); a stale link raises NotFound (start again with None)."""
        now = self.clock()
        window = (_utc_text(now - self.delta_window[0]), _utc_text(now + self.delta_window[1]))

        async def call(client: Any) -> tuple[list[Any], str]:
            from msgraph.generated.users.item.calendar_view.delta.delta_request_builder import DeltaRequestBuilder

            builder = client.users.by_user_id(mailbox).calendar_view.delta
            if delta_link:
                page = await builder.with_url(delta_link).get(request_config())
            else:
                query = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(
                    start_date_time=window[0], end_date_time=window[1])
                page = await builder.get(request_config(query=query))
            return await delta_pages(builder, page, "calendar.delta")

        items, link = self.session.run("calendar.delta", call, mailbox)
        return DeltaResult(
            changed=tuple(event_value(mailbox, e) for e in items if not is_removed(e)),
            removed=tuple(e.id for e in items if is_removed(e)),
            delta_link=link,
        )

    # --- writing -----------------------------------------------------------------------------
    def create_meeting(self, meeting: MeetingRequest) -> CalendarEvent:
        """Create the event in the organiser's calendar; online meetings are Teams meetings and the
        join URL is read back (a second GET when Graph has not filled it in the create response)."""
        body = _event_body(meeting, with_transaction=True)

        async def call(client: Any) -> Any:
            events = client.users.by_user_id(meeting.organizer).events
            created = await events.post(body, request_config())
            if meeting.online and not (created.online_meeting and created.online_meeting.join_url):
                return await _read_back(client, meeting.organizer, created.id)
            return created

        return event_value(meeting.organizer, self.session.run("calendar.create_meeting", call, meeting.organizer))

    def update_meeting(self, event_id: str, meeting: MeetingRequest) -> CalendarEvent:
        """Move or re-word an existing event (PATCH); attendees get Outlook's update."""
        body = _event_body(meeting, with_transaction=False)

        async def call(client: Any) -> Any:
            updated = await client.users.by_user_id(meeting.organizer).events.by_event_id(event_id).patch(
                body, request_config())
            if meeting.online and not (updated.online_meeting and updated.online_meeting.join_url):
                return await _read_back(client, meeting.organizer, event_id)
            return updated

        return event_value(meeting.organizer, self.session.run("calendar.update_meeting", call, meeting.organizer))

    # --- free/busy and slots -----------------------------------------------------------------
    def busy(self, people: tuple[str, ...], start: datetime, end: datetime) -> dict[str, list[BusyInterval]]:
        """Each person's busy/tentative/out-of-office intervals in [start, end) from getSchedule (max 62 days)."""
        if not people:
            raise InputError("busy() needs at least one person", "pass the IRO and the team manager")
        if end - start > timedelta(days=62):
            raise InputError("getSchedule looks at most 62 days ahead", "ask for one week at a time")

        async def call(client: Any) -> Any:
            from msgraph.generated.users.item.calendar.get_schedule.get_schedule_post_request_body import (
                GetSchedulePostRequestBody,
            )

            body = GetSchedulePostRequestBody(schedules=list(people), start_time=to_graph_time(start),
                                              end_time=to_graph_time(end), availability_view_interval=30)
            return await client.users.by_user_id(people[0]).calendar.get_schedule.post(body, request_config())

        answer = self.session.run("calendar.busy", call, people[0])
        found: dict[str, list[BusyInterval]] = {p: [] for p in people}
        for info in answer.value or []:
            if info.error is not None:
                raise NotFound(f"calendar.busy: no free/busy for one of the people ({info.error.response_code})")
            key = next((p for p in people if p.lower() == (info.schedule_id or "").lower()), info.schedule_id)
            found[key] = [
                BusyInterval(from_graph_time(item.start), from_graph_time(item.end))
                for item in info.schedule_items or []
                if item.status is None or str(item.status.value) in BUSY
            ]
        return found

    def find_link_slots(self, people: tuple[str, ...], week_start: date, duration: timedelta,
                        is_working_day: Callable[[date], bool], day_start: time = time(9, 30),
                        day_end: time = time(16, 30), tz: tzinfo = LONDON, limit: int | None = None,
                        ) -> list[tuple[datetime, datetime]]:
        """Slots in the target week when everyone is free, inside working hours, on working days
        (pass WorkingCalendar.is_working_day: bank holidays and closure days excluded)."""
        start = datetime.combine(week_start, time(0), tzinfo=tz)
        busy = self.busy(people, start, start + timedelta(days=7))
        spans = {p: [(b.start, b.end) for b in intervals] for p, intervals in busy.items()}
        return find_slots(spans, week_start, duration, is_working_day, day_start, day_end, tz, limit=limit)


def _event_body(meeting: MeetingRequest, with_transaction: bool) -> Any:
    from msgraph.generated.models.attendee import Attendee
    from msgraph.generated.models.attendee_type import AttendeeType
    from msgraph.generated.models.body_type import BodyType
    from msgraph.generated.models.email_address import EmailAddress
    from msgraph.generated.models.event import Event
    from msgraph.generated.models.item_body import ItemBody
    from msgraph.generated.models.online_meeting_provider_type import OnlineMeetingProviderType

    if meeting.end <= meeting.start:
        raise InputError("a meeting must end after it starts", "check the slot's start and end")
    event = Event(
        subject=meeting.subject,
        body=ItemBody(content_type=BodyType.Html, content=meeting.body_html),
        start=to_graph_time(meeting.start),
        end=to_graph_time(meeting.end),
        attendees=[Attendee(email_address=EmailAddress(address=a), type=AttendeeType.Required)
                   for a in meeting.attendees],
        is_online_meeting=meeting.online,
    )
    if meeting.online:
        event.online_meeting_provider = OnlineMeetingProviderType.TeamsForBusiness
    if with_transaction and meeting.transaction_id:
        event.transaction_id = meeting.transaction_id
    return event


async def _read_back(client: Any, mailbox: str, event_id: str) -> Any:
    from msgraph.generated.users.item.events.item.event_item_request_builder import EventItemRequestBuilder

    query = EventItemRequestBuilder.EventItemRequestBuilderGetQueryParameters(select=EVENT_FIELDS)
    return await client.users.by_user_id(mailbox).events.by_event_id(event_id).get(request_config(query=query))
