"""SDK models <-> the ports' value types. Imports msgraph only inside functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from graph_clients.ports import CalendarEvent, MailMessage

# The few Windows zone names Graph may answer with when no Prefer: outlook.timezone was honoured.
WINDOWS_ZONES = {"GMT Standard Time": "Europe/London", "UTC": "UTC", "Coordinated Universal Time": "UTC"}
# Ask Graph for UTC times and plain-text bodies (no HTML to strip, nothing to guess).
PREFER = ('outlook.timezone="UTC"', 'outlook.body-content-type="text"')


def to_graph_time(value: datetime) -> Any:
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone

    if value.tzinfo is None:
        raise ValueError("datetimes sent to Graph must be timezone-aware")
    return DateTimeTimeZone(date_time=value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC")


def from_graph_time(value: Any) -> datetime:
    """A Graph dateTimeTimeZone as an aware UTC datetime (Graph sends 7 fractional digits)."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", (value.date_time or "").rstrip("Z"))
    zone = ZoneInfo(WINDOWS_ZONES.get(value.time_zone or "UTC", value.time_zone or "UTC"))
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def _address(recipient: Any) -> str:
    email = getattr(recipient, "email_address", None)
    return (getattr(email, "address", None) or "").lower()


def event_value(mailbox: str, event: Any) -> CalendarEvent:
    return CalendarEvent(
        id=event.id or "",
        mailbox=mailbox,
        subject=event.subject or "",
        start=from_graph_time(event.start),
        end=from_graph_time(event.end),
        change_key=event.change_key or "",
        is_cancelled=bool(event.is_cancelled),
        categories=tuple(event.categories or ()),
        attendees=tuple(a for a in (_address(x) for x in event.attendees or ()) if a),
        body_text=(event.body.content or "") if event.body else "",
        join_url=(event.online_meeting.join_url or "") if event.online_meeting else "",
    )


def message_value(mailbox: str, msg: Any) -> MailMessage:
    return MailMessage(
        id=msg.id or "",
        mailbox=mailbox,
        sender=_address(msg.from_) if msg.from_ else "",
        to=tuple(a for a in (_address(x) for x in msg.to_recipients or ()) if a),
        subject=msg.subject or "",
        body_text=(msg.body.content or "") if msg.body else "",
        received=msg.received_date_time.astimezone(UTC) if msg.received_date_time else datetime.min.replace(tzinfo=UTC),
        conversation_id=msg.conversation_id or "",
        change_key=msg.change_key or "",
        attachment_names=tuple(a.name or "" for a in msg.attachments or ()),
    )


def request_config(select: list[str] | None = None, query: Any = None, prefer: tuple[str, ...] = PREFER) -> Any:
    """A kiota RequestConfiguration with Prefer headers and (optionally) query parameters."""
    from kiota_abstractions.base_request_configuration import RequestConfiguration

    config = RequestConfiguration(query_parameters=query)
    for value in prefer:
        config.headers.add("Prefer", value)
    return config


def is_removed(item: Any) -> bool:
    return "@removed" in (getattr(item, "additional_data", None) or {})


async def delta_pages(builder: Any, page: Any, what: str) -> tuple[list[Any], str]:
    """Follow @odata.nextLink from the first delta page to the last; its items and its @odata.deltaLink."""
    from rules.errors import GraphError

    items = list(page.value or [])
    while page.odata_next_link:
        page = await builder.with_url(page.odata_next_link).get(request_config())
        items += page.value or []
    if not page.odata_delta_link:
        raise GraphError(f"{what}: the last page carried no @odata.deltaLink")
    return items, page.odata_delta_link
