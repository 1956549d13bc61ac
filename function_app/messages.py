"""The messages the bus carries: commands from outside (Graph, timers) and events from the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

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
class DriveChanged:
    """Something changed in a case-folder library (a drive-root notification names no item, or the daily
    catch-up): run the drive's delta from its stored link (handlers/case_folder.py)."""

    drive_id: str


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
    drive_id: str = ""      # set when the library's change feed noticed it (else: the email convention)
    item_id: str = ""


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
class DeltaAdvanced:
    """A library's delta round is done: its new link is stored only now, after everything the round's records
    set in motion was handled (the bus handles a `last` message when nothing else is left), so a host that dies
    on the way repeats the round on the redelivery instead of losing what the records should have caused."""

    drive_id: str
    delta_link: str
    last: ClassVar[bool] = True


@dataclass(frozen=True)
class CardAnswered:
    """Someone answered a card in Teams (function_app/bot/answers.py built the fact, key from the activity)."""

    fact: Fact


# What a person reading a problem is told it came from (iro problems, summary.html): one name per input.
SOURCE_NAMES: dict[type, str] = {
    CalendarChanged: "calendar event", MailArrived: "email", DriveChanged: "case folder", Lifecycle: "subscription",
    RecordSaved: "review record", Sweep: "daily sweep", ScheduleLinkMeetings: "link meetings",
    FactRecorded: "follow-up", CardAnswered: "Teams answer",
}

Message = (CalendarChanged | MailArrived | DriveChanged | Lifecycle | Rejected | RecordSaved | Sweep
           | ScheduleLinkMeetings | FactRecorded | CardAnswered | DeltaAdvanced)


def origin_of(msg: Message) -> dict[str, Any] | None:
    """What an action records of the message that caused it, so function_app/once.redrive can handle it again.
    References, ids and dates only (a Fact by its key: the fact is in the store)."""
    if isinstance(msg, FactRecorded):
        return {"fact": msg.fact.key, "case": msg.fact.case_ref}
    if isinstance(msg, Sweep):
        return {"sweep": msg.today.isoformat(), "cases": list(msg.case_refs) if msg.case_refs is not None else None}
    if isinstance(msg, RecordSaved):
        return {"record": msg.name, "case": msg.case_ref, "review_date": msg.review_date.isoformat(),
                "drive": msg.drive_id, "item": msg.item_id}
    if isinstance(msg, DriveChanged):
        return {"drive_changed": msg.drive_id}
    if isinstance(msg, ScheduleLinkMeetings):
        return {"link_meetings": msg.today.isoformat()}
    if isinstance(msg, CalendarChanged):
        return {"calendar": msg.mailbox, "event": msg.event_id, "change": msg.change_type}
    if isinstance(msg, MailArrived):
        return {"mail": msg.mailbox, "message": msg.message_id}
    if isinstance(msg, Rejected):
        return {"rejected": [msg.source, msg.reason, msg.what_to_do, msg.case_ref], "payload": msg.payload,
                "key": msg.key}
    return None


def from_origin(origin: Any, store: Any) -> Message | None:
    """The message `origin_of` described (None if it cannot be rebuilt)."""
    if not isinstance(origin, dict):
        return None
    if "fact" in origin:
        fact = next((f for f in store.facts(origin.get("case")) if f.key == origin["fact"]), None)
        return FactRecorded(fact, False) if fact else None
    if "sweep" in origin:
        cases = origin.get("cases")
        return Sweep(date.fromisoformat(origin["sweep"]), tuple(cases) if cases is not None else None)
    if "record" in origin:
        return RecordSaved(origin["case"], origin["record"], date.fromisoformat(origin["review_date"]),
                           origin.get("drive", ""), origin.get("item", ""))
    if "drive_changed" in origin:
        return DriveChanged(origin["drive_changed"])
    if "link_meetings" in origin:
        return ScheduleLinkMeetings(date.fromisoformat(origin["link_meetings"]))
    if "calendar" in origin:
        return CalendarChanged(origin["calendar"], origin["event"], origin.get("change", "updated"))
    if "mail" in origin:
        return MailArrived(origin["mail"], origin["message"])
    if "rejected" in origin:
        source, reason, what_to_do, case_ref = origin["rejected"]
        return Rejected(source, reason, what_to_do, case_ref, dict(origin.get("payload") or {}), origin.get("key", ""))
    return None
