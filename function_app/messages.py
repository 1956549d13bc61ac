"""The messages the bus carries: commands from outside (Graph, timers) and events from the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.model import Fact


@dataclass(frozen=True)
class CalendarChanged:
    """An event in an IRO's calendar was created, updated or deleted."""

    mailbox: str
    event_id: str
    change_type: str = "updated"


@dataclass(frozen=True)
class MailArrived:
    """A message arrived in an IRO's inbox or the service mailbox."""

    mailbox: str
    message_id: str


@dataclass(frozen=True)
class Lifecycle:
    subscription_id: str
    event: str              # reauthorizationRequired | subscriptionRemoved | missed


@dataclass(frozen=True)
class Rejected:
    """Input that could not be used: recorded as a problem for a person, never dropped."""

    source: str
    reason: str
    what_to_do: str = ""
    case_ref: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    key: str = ""           # when set, the problem is recorded once however often the input recurs


@dataclass(frozen=True)
class RecordSaved:
    """A completed review record was saved to a child's case folder: read its decisions back."""

    case_ref: str
    name: str
    review_date: date


@dataclass(frozen=True)
class Sweep:
    """The daily sweep for one day: reminders, escalations, breach alerts, digests."""

    today: date
    case_refs: tuple[str, ...] | None = None  # None: every case


@dataclass(frozen=True)
class ScheduleLinkMeetings:
    today: date


@dataclass(frozen=True)
class FactRecorded:
    """Emitted for every fact a handler records, new or already known: reactions are idempotent by
    action key, so a redelivered message finishes the actions a crash interrupted (never doubles them)."""

    fact: Fact
    new: bool


@dataclass(frozen=True)
class CardAnswered:
    """Someone answered a card in Teams (function_app/bot/answers.py built the fact, key from the activity)."""

    fact: Fact


Message = (CalendarChanged | MailArrived | Lifecycle | Rejected | RecordSaved | Sweep | ScheduleLinkMeetings
           | FactRecorded | CardAnswered)
