"""Ports: the small interfaces the application services use to act in Microsoft 365.

Each port has a Graph adapter (graph_clients/graph/, msgraph-sdk) and a local adapter
(graph_clients/local/, graph_clients/teams/outbox.py) for the embedded default and the demo.
Ports are synchronous: Functions runs sync functions on worker threads, and the Graph adapters run
the async SDK on their own event-loop thread. This module imports nothing heavy (the webhook path
may import it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable


# --- values that cross the ports -------------------------------------------------------------
@dataclass(frozen=True)
class DocumentMeta:
    """Metadata columns on the SharePoint list item (and the local sidecar)."""

    case_ref: str
    doc_type: str                  # e.g. "review_decisions", "review_record", "resolution_entry"
    review_date: date | None = None
    status: str = "draft"          # "draft", "final"


@dataclass(frozen=True)
class StoredDocument:
    case_ref: str
    name: str                      # file name: case reference + document type, never a child's name
    url: str                       # webUrl (SharePoint) or file:// (local)
    item_id: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class OutgoingMail:
    sender: str                    # mailbox the app sends as (service mailbox or the IRO)
    to: tuple[str, ...]
    subject: str                   # case reference, never a name
    body_html: str
    cc: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    kind: str = ""                 # the notice it carries (policy notifications.notices), for the outbox index
    case_ref: str = ""             # the case it is about ("" for none)
    idempotency_key: str = ""      # ours, set by function_app/once.py: Sent Items is asked for it on a retry


@dataclass(frozen=True)
class MailMessage:
    id: str
    mailbox: str
    sender: str
    to: tuple[str, ...]
    subject: str
    body_text: str
    received: datetime
    conversation_id: str = ""
    change_key: str = ""
    attachment_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarEvent:
    id: str
    mailbox: str                   # whose calendar
    subject: str
    start: datetime                # UTC
    end: datetime
    change_key: str = ""
    is_cancelled: bool = False
    categories: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    body_text: str = ""
    join_url: str = ""


@dataclass(frozen=True)
class MeetingRequest:
    organizer: str
    attendees: tuple[str, ...]
    subject: str
    start: datetime
    end: datetime
    body_html: str = ""
    online: bool = True            # Teams meeting: isOnlineMeeting + teamsForBusiness
    transaction_id: str = ""       # Graph's idempotency for event creation


@dataclass(frozen=True)
class BusyInterval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CardRoute:
    """Where a card goes: a Teams channel (by the routing key in settings) or a person (UPN)."""

    channel: str = ""
    person: str = ""


@dataclass(frozen=True)
class Subscription:
    id: str
    resource: str
    change_type: str
    expires: datetime
    client_state: str = ""
    notification_url: str = ""
    lifecycle_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- the ports -------------------------------------------------------------------------------
@runtime_checkable
class CaseFolders(Protocol):
    def ensure_folder(self, case_ref: str) -> str: ...      # an id for the adapter's own use
    def folder_url(self, case_ref: str) -> str: ...         # a link a person can open (SharePoint webUrl)
    def save(self, meta: DocumentMeta, name: str, content: bytes) -> StoredDocument: ...
    def read(self, case_ref: str, name: str) -> bytes: ...


@runtime_checkable
class Mail(Protocol):
    def get_message(self, mailbox: str, message_id: str) -> MailMessage: ...
    def attachments(self, mailbox: str, message_id: str) -> tuple[Attachment, ...]: ...  # its files, with bytes
    def send(self, mail: OutgoingMail) -> None: ...
    def already_sent(self, sender: str, idempotency_key: str) -> bool: ...  # in the sender's Sent Items?
    def reply(self, mailbox: str, message_id: str, body_html: str) -> None: ...


@runtime_checkable
class Calendar(Protocol):
    def get_event(self, mailbox: str, event_id: str) -> CalendarEvent: ...
    def create_meeting(self, meeting: MeetingRequest) -> CalendarEvent: ...
    def busy(self, people: tuple[str, ...], start: datetime, end: datetime) -> dict[str, list[BusyInterval]]: ...


@runtime_checkable
class TeamsCards(Protocol):
    def post(self, route: CardRoute, card: dict[str, Any]) -> None: ...


@runtime_checkable
class Subscriptions(Protocol):
    def list(self) -> list[Subscription]: ...
    def create(self, resource: str, change_type: str, expires: datetime) -> Subscription: ...
    def renew(self, subscription_id: str, expires: datetime) -> Subscription: ...
    def delete(self, subscription_id: str) -> None: ...


# --- additive (issue 4): delta reconciliation ------------------------------------------------
@dataclass(frozen=True)
class DeltaResult:
    """One delta round: what changed since the last delta link, and the link to persist for next time."""

    changed: tuple[Any, ...]       # CalendarEvent or MailMessage (current state)
    removed: tuple[str, ...]       # ids deleted since the previous link
    delta_link: str                # persist it; pass it back on the next call


@runtime_checkable
class DeltaSource(Protocol):
    def delta(self, mailbox: str, delta_link: str | None = None) -> DeltaResult: ...


# --- additive (issue 13): the case folder's change feed ------------------------------------------
@dataclass(frozen=True)
class FolderItem:
    """A file in a case-folder library as a drive delta reports it (current state; folders are left out).

    `version` changes whenever the file's content or its library columns change (SharePoint's eTag; the local
    adapter's content and sidecar digest). `columns` are the library's metadata columns (CaseReference,
    DocumentType, ReviewDate, Status) as the library holds them."""

    drive_id: str
    item_id: str
    name: str
    folder: str                    # path of the parent folder inside the library, e.g. "Children/CLA-100234"
    version: str
    columns: dict[str, Any] = field(default_factory=dict)
    url: str = ""


@runtime_checkable
class FolderChanges(Protocol):
    """A library's change feed (Graph: /drives/{id}/root/delta). `changes` returns a DeltaResult whose
    `changed` are FolderItems and whose `removed` are item ids; a link the source no longer knows raises
    NotFound (Graph's 410 Gone, resync): start again with None."""

    def changes(self, drive_id: str, delta_link: str | None = None) -> DeltaResult: ...
    def read_item(self, drive_id: str, item_id: str) -> bytes: ...
