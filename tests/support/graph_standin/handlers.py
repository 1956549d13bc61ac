"""Graph behaviour of the stand-in: calendar, mail, SharePoint drive, subscriptions, in memory.

Every request body is parsed into the SDK model the endpoint documents (a contract problem is a
400 with an OData error AND a recorded violation); every response is serialised from SDK models.
Paging: collections and delta answer `page_size` items per page with @odata.nextLink, the last
delta page carries @odata.deltaLink. Times are stored and answered in UTC (what the adapters
ask for with Prefer: outlook.timezone="UTC"). Only what the adapters use is implemented; an unknown
endpoint is itself a violation.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from msgraph.generated.drives.item.items.item.create_upload_session.create_upload_session_post_request_body import (
    CreateUploadSessionPostRequestBody,
)
from msgraph.generated.drives.item.items.item.delta.delta_get_response import DeltaGetResponse as DriveDelta
from msgraph.generated.models.attachment import Attachment
from msgraph.generated.models.attachment_collection_response import AttachmentCollectionResponse
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.deleted import Deleted
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.event import Event
from msgraph.generated.models.event_collection_response import EventCollectionResponse
from msgraph.generated.models.field_value_set import FieldValueSet
from msgraph.generated.models.file import File
from msgraph.generated.models.file_attachment import FileAttachment
from msgraph.generated.models.folder import Folder
from msgraph.generated.models.free_busy_error import FreeBusyError
from msgraph.generated.models.free_busy_status import FreeBusyStatus
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.item_reference import ItemReference
from msgraph.generated.models.list_item import ListItem
from msgraph.generated.models.message import Message
from msgraph.generated.models.online_meeting_info import OnlineMeetingInfo
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.models.schedule_information import ScheduleInformation
from msgraph.generated.models.schedule_item import ScheduleItem
from msgraph.generated.models.subscription import Subscription
from msgraph.generated.models.subscription_collection_response import SubscriptionCollectionResponse
from msgraph.generated.models.upload_session import UploadSession
from msgraph.generated.users.item.calendar.get_schedule.get_schedule_post_request_body import (
    GetSchedulePostRequestBody,
)
from msgraph.generated.users.item.calendar.get_schedule.get_schedule_post_response import GetSchedulePostResponse
from msgraph.generated.users.item.calendar_view.delta.delta_get_response import DeltaGetResponse as EventDelta
from msgraph.generated.users.item.mail_folders.item.messages.delta.delta_get_response import (
    DeltaGetResponse as MessageDelta,
)
from msgraph.generated.users.item.messages.item.reply.reply_post_request_body import ReplyPostRequestBody
from msgraph.generated.users.item.send_mail.send_mail_post_request_body import SendMailPostRequestBody

from .contract import parse, serialise, to_dict
from .server import GraphHTTPError, Recorded, Reply, StandInServer

FRAGMENT = 320 * 1024          # upload-session fragments must be multiples of 320 KiB (but the last)
OUTLOOK_MAX_MINUTES = 10_080   # Outlook subscriptions: at most 10,080 minutes
DRIVE_MAX_MINUTES = 42_300     # drive-root subscriptions: at most 42,300 minutes (under 30 days)
WINDOWS_ZONES = {"GMT Standard Time": "Europe/London", "UTC": "UTC"}
V = "/v1.0"
U = V + r"/users/([^/]+)"
ITEM = V + r"/drives/([^/]+)/items/([^/:]+(?::/[^:]*:)?|[^/]+)"


def graph_time(value: datetime) -> DateTimeTimeZone:
    return DateTimeTimeZone(date_time=value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"), time_zone="UTC")


def from_graph_time(value: DateTimeTimeZone | None) -> datetime:
    if value is None or not value.date_time:
        raise GraphHTTPError(400, "ErrorInvalidRequest", "start and end need dateTime and timeZone")
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.date_time.rstrip("Z"))
    zone = ZoneInfo(WINDOWS_ZONES.get(value.time_zone or "UTC", value.time_zone or "UTC"))
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def query_time(text: str | None, name: str) -> datetime:
    if not text:
        raise GraphHTTPError(400, "ErrorInvalidParameter", f"This request requires a time window specified by {name}.")
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Versioned:
    """A mailbox collection with a change counter, so delta can answer 'what changed since N'."""

    items: dict[str, Any] = field(default_factory=dict)
    version: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def put(self, item_id: str, item: Any) -> None:
        self.counter += 1
        self.items[item_id], self.version[item_id] = item, self.counter
        self.removed.pop(item_id, None)

    def remove(self, item_id: str) -> None:
        self.counter += 1
        self.items.pop(item_id, None)
        self.version.pop(item_id, None)
        self.removed[item_id] = self.counter


@dataclass
class UploadState:
    parent_id: str
    name: str
    conflict: str
    received: bytearray = field(default_factory=bytearray)
    size: int | None = None
    expires: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(hours=1))


class GraphStandIn(StandInServer):
    """In-memory Graph. `now` is the clock subscriptions are checked against (settable in tests)."""

    def __init__(self, page_size: int = 10, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.page_size = page_size
        self.join_url_in_create_response = True   # False: like Graph at times, filled in only on a later GET
        self.now = now or (lambda: datetime.now(UTC))
        self.users: set[str] = set()
        self.events: dict[str, Versioned] = {}
        self.messages: dict[str, Versioned] = {}
        self.folders_of: dict[str, str] = {}          # message id -> folder name
        self.attachments: dict[str, list[Attachment]] = {}  # message id -> its attachments
        self.sent: list[tuple[str, Message]] = []      # (mailbox, message) from sendMail
        self.replies: list[tuple[str, str, str]] = []  # (mailbox, message id, comment)
        self.drive_id = "drive-cases"
        self.columns = {"CaseReference", "DocumentType", "ReviewDate", "Status", "Title"}
        self.drive: dict[str, dict[str, Any]] = {"root": {"item": DriveItem(id="root", name="root", folder=Folder()),
                                                          "parent": None, "content": b"", "fields": {},
                                                          "list_item_id": "1"}}
        self.uploads: dict[str, UploadState] = {}
        self.drive_log = Versioned()                  # drive item id -> change counter, for drive delta
        self.drive_delta_reversed = False             # True: each delta round lists its items last-changed first
        self.drive_delta_repeat = False               # True: each delta round lists its first item twice
        self.subscriptions: dict[str, Subscription] = {}
        self._pages: dict[str, tuple[list[Any], str]] = {}
        self._delta_windows: dict[str, tuple[datetime, datetime] | None] = {}
        self._ids = itertools.count(1)
        self._routes()

    # --- seeding (tests) ---------------------------------------------------------------------
    def add_user(self, *upns: str) -> None:
        for upn in upns:
            self.users.add(upn.lower())
            self.events.setdefault(upn.lower(), Versioned())
            self.messages.setdefault(upn.lower(), Versioned())

    def seed_event(self, upn: str, subject: str, start: datetime, end: datetime, **fields: Any) -> Event:
        event = Event(subject=subject, start=graph_time(start), end=graph_time(end), **fields)
        return self._store_event(upn.lower(), event)

    def delete_event(self, upn: str, event_id: str) -> None:
        with self.lock:
            self.events[upn.lower()].remove(event_id)

    def seed_message(self, upn: str, subject: str, body: str = "", sender: str = "sw@council.example",
                     folder: str = "inbox", attachments: list[tuple[str, bytes, str] | Attachment] | None = None,
                     **fields: Any) -> Message:
        """`attachments`: files as (name, bytes, content type), or SDK attachment models as they are (e.g. an
        ItemAttachment, a ReferenceAttachment: Graph lists those next to the files)."""
        files = [a if isinstance(a, Attachment) else self._file(*a) for a in attachments or ()]
        for item in files:
            item.id = item.id or self._id("AAMkATT")
        if files:
            fields.setdefault("has_attachments", True)
        msg = Message(
            id=self._id("AAMkMSG"), subject=subject, body=ItemBody(content=body, content_type=None),
            from_=Recipient(email_address=EmailAddress(address=sender)),
            to_recipients=[Recipient(email_address=EmailAddress(address=upn))],
            received_date_time=self.now(), conversation_id=self._id("CONV"), change_key=self._id("CK"), **fields,
        )
        with self.lock:
            self.messages[upn.lower()].put(msg.id, msg)
            self.folders_of[msg.id] = folder
            self.attachments[msg.id] = files
        return msg

    def _file(self, name: str, content: bytes, content_type: str) -> FileAttachment:
        return FileAttachment(odata_type="#microsoft.graph.fileAttachment", name=name, content_type=content_type,
                              size=len(content), is_inline=False, last_modified_date_time=self.now(),
                              content_bytes=content)

    def remove_subscription(self, sub_id: str) -> None:
        """Graph dropped it (the app then gets a subscriptionRemoved lifecycle notification)."""
        with self.lock:
            self.subscriptions.pop(sub_id, None)

    def item_by_path(self, path: str) -> dict[str, Any] | None:
        return self._walk("root", path)

    def put_file(self, folder_path: str, name: str, content: bytes, columns: dict[str, Any] | None = None) -> str:
        """A person saves `name` in the library folder (created if missing) and sets its columns; the item id."""
        parent = "root"
        for segment in [p for p in folder_path.split("/") if p]:
            node = self._walk(parent, segment)
            parent = node["item"].id if node else self._put_child(parent, segment, "fail", True).id
        item = self._put_child(parent, name, "replace", False, content)
        if columns:
            self.set_columns(item.id, columns)
        return item.id

    def set_columns(self, item_id: str, columns: dict[str, Any]) -> None:
        """A person edits the file's library columns (e.g. Status -> Final): a new eTag, a drive change."""
        with self.lock:
            node = self.drive[item_id]
            node["fields"].update(columns)
            node["item"].e_tag = uuid.uuid4().hex
            self.drive_log.put(item_id, node["item"])

    def delete_item(self, item_id: str) -> None:
        """A person deletes the file (it goes to the site's recycle bin): delta reports it with `deleted`."""
        with self.lock:
            self.drive.pop(item_id, None)
            self.drive_log.remove(item_id)

    def forget_delta_tokens(self) -> None:
        """Graph lost the sync state: every stored delta link is now answered 410 Gone (resync, with Location)."""
        with self.lock:
            self._delta_windows.clear()

    def drive_notification(self, sub_id: str) -> dict[str, Any]:
        """The change notification Graph posts for a drive-root subscription: a shoulder tap naming the
        subscribed resource, changeType updated, and no resourceData (no item id): the app must run delta."""
        sub = self.subscriptions[sub_id]
        expires = sub.expiration_date_time.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return {"value": [{"subscriptionId": sub.id, "clientState": sub.client_state, "changeType": "updated",
                           "resource": sub.resource, "subscriptionExpirationDateTime": expires,
                           "tenantId": "00000000-0000-0000-0000-000000000001", "resourceData": None}]}

    # --- helpers -----------------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def _user(self, raw: str) -> str:
        upn = unquote(raw).lower()
        if upn not in self.users:
            raise GraphHTTPError(404, "ErrorInvalidUser", f"The requested user '{upn}' is invalid.")
        return upn

    def _body(self, rec: Recorded, model: type, open_type: bool = False) -> Any:
        obj, problems = parse(rec.body, model, open_type)
        if problems:
            for problem in problems:
                self.violation(f"{rec.method} {unquote(rec.path)}: {problem}")
            raise GraphHTTPError(400, "RequestBodyRead", "; ".join(problems))
        return obj

    def _reply(self, obj: Any, rec: Recorded | None = None, status: int = 200) -> Reply:
        select = (rec.query.get("$select") or rec.query.get("%24select")) if rec else None
        if not select:
            return Reply(status, serialise(obj))
        keep = {s.strip() for s in select.split(",")} | {"id", "@odata.etag", "@odata.type"}
        data = {k: v for k, v in to_dict(obj).items() if k in keep}
        return Reply(status, json.dumps(data).encode())

    def _page(self, rec: Recorded, entries: list[Any], response: Any, final_link: str | None) -> Reply:
        """One page of `entries`; the rest is kept behind a $skiptoken."""
        size = self.page_size
        prefer = re.search(r"odata\.maxpagesize=(\d+)", rec.headers.get("prefer", ""))
        if prefer:
            size = int(prefer.group(1))
        first, rest = entries[:size], entries[size:]
        response.value = first
        if rest:
            token = uuid.uuid4().hex
            with self.lock:
                self._pages[token] = (rest, final_link or "")
            response.odata_next_link = f"{self.origin}{rec.path}?$skiptoken={token}"
        elif final_link:
            response.odata_delta_link = final_link
        return self._reply(response)

    def _continue(self, rec: Recorded, response: Any) -> Reply | None:
        token = rec.query.get("$skiptoken")
        if token is None:
            return None
        with self.lock:
            entries, final_link = self._pages.pop(token, (None, ""))
        if entries is None:
            raise GraphHTTPError(400, "InvalidSkipToken", "The skip token is not valid.")
        return self._page(rec, entries, response, final_link or None)

    # --- routes ------------------------------------------------------------------------------
    def _routes(self) -> None:
        r = self.route
        r("GET", U + r"/events/([^/]+)", self.get_event)
        r("PATCH", U + r"/events/([^/]+)", self.update_event)
        r("POST", U + r"/events", self.create_event)
        r("GET", U + r"/(?:calendar/)?calendarView", self.calendar_view)
        r("GET", U + r"/(?:calendar/)?calendarView/delta(?:\(\))?", self.events_delta)
        r("POST", U + r"/calendar/getSchedule", self.get_schedule)
        r("GET", U + r"/messages/([^/]+)", self.get_message)   # anchored ($): no .../attachments
        r("GET", U + r"/messages/([^/]+)/attachments", self.list_attachments)
        r("GET", U + r"/mailFolders/([^/]+)/messages/delta(?:\(\))?", self.messages_delta)
        r("POST", U + r"/sendMail", self.send_mail)
        r("GET", U + r"/mailFolders/([^/]+)/messages", self.list_folder_messages)
        r("POST", U + r"/messages/([^/]+)/reply", self.reply)
        r("GET", ITEM, self.get_item)
        r("POST", ITEM + r"/children", self.create_child)
        r("PUT", ITEM + r"/content", self.put_content)
        r("GET", ITEM + r"/content", self.get_content)
        r("POST", ITEM + r"/createUploadSession", self.create_upload_session)
        r("GET", ITEM + r"/listItem", self.get_list_item)
        r("GET", V + r"/drives/([^/]+)/(?:items/)?root/delta(?:\(\))?", self.drive_delta)
        r("PATCH", V + r"/drives/([^/]+)/list/items/([^/]+)/fields", self.patch_fields)
        r("PUT", r"/upload/([^/]+)", self.upload_fragment)
        r("GET", r"/upload/([^/]+)", self.upload_status)
        r("DELETE", r"/upload/([^/]+)", self.upload_cancel)
        r("GET", r"/download/([^/]+)", self.download)
        r("POST", V + r"/subscriptions", self.create_subscription)
        r("GET", V + r"/subscriptions", self.list_subscriptions)
        r("PATCH", V + r"/subscriptions/([^/]+)", self.renew_subscription)
        r("DELETE", V + r"/subscriptions/([^/]+)", self.delete_subscription)

    # --- calendar ----------------------------------------------------------------------------
    def _event(self, upn: str, raw_id: str) -> Event:
        event = self.events[upn].items.get(unquote(raw_id))
        if event is None:
            raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return event

    def _store_event(self, upn: str, event: Event) -> Event:
        with self.lock:
            event.id = event.id or self._id("AAMkEVT")
            event.change_key = self._id("CK")
            event.organizer = event.organizer or Recipient(email_address=EmailAddress(address=upn))
            if event.is_online_meeting and event.online_meeting is None:
                event.online_meeting = OnlineMeetingInfo(
                    join_url=f"https://teams.microsoft.com/l/meetup-join/{uuid.uuid4().hex}")
            event.start, event.end = graph_time(from_graph_time(event.start)), graph_time(from_graph_time(event.end))
            self.events[upn].put(event.id, event)
        return event

    def get_event(self, rec: Recorded, m: re.Match[str]) -> Reply:
        return self._reply(self._event(self._user(m[1]), m[2]), rec)

    def create_event(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn, event = self._user(m[1]), self._body(rec, Event)
        if event.subject is None or event.start is None or event.end is None:
            raise GraphHTTPError(400, "ErrorInvalidRequest", "subject, start and end are required")
        if event.transaction_id:  # Graph's idempotency for retried creations
            for existing in self.events[upn].items.values():
                if existing.transaction_id == event.transaction_id:
                    return self._reply(existing, status=201)
        stored = self._store_event(upn, event)
        if not self.join_url_in_create_response:
            data = {k: v for k, v in to_dict(stored).items() if k != "onlineMeeting"}
            return Reply(201, json.dumps(data).encode())
        return self._reply(stored, status=201)

    def update_event(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn = self._user(m[1])
        current, patch = self._event(upn, m[2]), self._body(rec, Event)
        merged = Event(**{**{k: v for k, v in vars(current).items() if k in Event.__dataclass_fields__},
                          **{k: v for k, v in vars(patch).items()
                             if k in Event.__dataclass_fields__ and v is not None and k != "odata_type"}})
        merged.additional_data, merged.online_meeting = {}, current.online_meeting
        return self._reply(self._store_event(upn, merged))

    def _in_window(self, event: Event, start: datetime, end: datetime) -> bool:
        return from_graph_time(event.start) < end and from_graph_time(event.end) > start

    def calendar_view(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn = self._user(m[1])
        page = self._continue(rec, EventCollectionResponse())
        if page:
            return page
        start, end = query_time(rec.query.get("startDateTime"), "startDateTime"), query_time(
            rec.query.get("endDateTime"), "endDateTime")
        found = sorted((e for e in self.events[upn].items.values() if self._in_window(e, start, end)),
                       key=lambda e: from_graph_time(e.start))
        return self._page(rec, found, EventCollectionResponse(), None)

    def events_delta(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn = self._user(m[1])
        page = self._continue(rec, EventDelta())
        if page:
            return page
        token = rec.query.get("$deltatoken")
        if token is None:
            window = (query_time(rec.query.get("startDateTime"), "startDateTime"),
                      query_time(rec.query.get("endDateTime"), "endDateTime"))
        else:
            window = self._delta_windows.get(token)
        if window is None:
            raise GraphHTTPError(410, "SyncStateNotFound", "The sync state is not valid; start a new sync.")
        entries = self._changes(self.events[upn], int(token.split("-")[0]) if token else 0,
                                lambda e: self._in_window(e, *window), Event)
        new_token = f"{self.events[upn].counter}-{uuid.uuid4().hex[:8]}"
        self._delta_windows[new_token] = window
        return self._page(rec, entries, EventDelta(), f"{self.origin}{rec.path}?$deltatoken={new_token}")

    def _changes(self, coll: Versioned, since: int, keep: Callable[[Any], bool], model: type) -> list[Any]:
        with self.lock:
            changed = [item for item_id, item in coll.items.items() if coll.version[item_id] > since and keep(item)]
            gone = [model(id=item_id, additional_data={"@removed": {"reason": "deleted"}})
                    for item_id, v in coll.removed.items() if v > since and since > 0]
        return changed + gone

    def get_schedule(self, rec: Recorded, m: re.Match[str]) -> Reply:
        self._user(m[1])
        body = self._body(rec, GetSchedulePostRequestBody)
        start, end = from_graph_time(body.start_time), from_graph_time(body.end_time)
        if end - start > timedelta(days=62):
            raise GraphHTTPError(400, "ErrorInvalidTimeInterval", "The time window may not exceed 62 days.")
        infos = []
        for address in body.schedules or []:
            upn = address.lower()
            if upn not in self.users:
                infos.append(ScheduleInformation(schedule_id=address, error=FreeBusyError(
                    message="mailbox not found", response_code="ErrorMailRecipientNotFound")))
                continue
            items = [
                ScheduleItem(start=e.start, end=e.end, status=e.show_as or FreeBusyStatus.Busy, is_private=False)
                for e in self.events.get(upn, Versioned()).items.values()
                if self._in_window(e, start, end) and not e.is_cancelled and e.show_as != FreeBusyStatus.Free
            ]
            infos.append(ScheduleInformation(schedule_id=address, schedule_items=items, availability_view=""))
        return self._reply(GetSchedulePostResponse(value=infos))

    # --- mail --------------------------------------------------------------------------------
    def get_message(self, rec: Recorded, m: re.Match[str]) -> Reply:
        msg = self.messages[self._user(m[1])].items.get(unquote(m[2]))
        if msg is None:
            raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return self._reply(msg, rec)

    def list_attachments(self, rec: Recorded, m: re.Match[str]) -> Reply:
        """List attachments (message): fileAttachments with contentBytes (base64) next to any item or reference
        attachments, paged like any collection."""
        upn, msg_id = self._user(m[1]), unquote(m[2])
        if msg_id not in self.messages[upn].items:
            raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        page = self._continue(rec, AttachmentCollectionResponse())
        if page:
            return page
        return self._page(rec, list(self.attachments.get(msg_id, ())), AttachmentCollectionResponse(), None)

    def messages_delta(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn, folder = self._user(m[1]), unquote(m[2]).lower()
        page = self._continue(rec, MessageDelta())
        if page:
            return page
        token = rec.query.get("$deltatoken")
        if token is not None and token not in self._delta_windows:
            raise GraphHTTPError(410, "SyncStateNotFound", "The sync state is not valid; start a new sync.")
        entries = self._changes(self.messages[upn], int(token.split("-")[0]) if token else 0,
                                lambda msg: self.folders_of.get(msg.id) == folder, Message)
        new_token = f"{self.messages[upn].counter}-{uuid.uuid4().hex[:8]}"
        self._delta_windows[new_token] = None
        return self._page(rec, entries, MessageDelta(), f"{self.origin}{rec.path}?$deltatoken={new_token}")

    def send_mail(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn, body = self._user(m[1]), self._body(rec, SendMailPostRequestBody)
        if body.message is None or not body.message.to_recipients:
            raise GraphHTTPError(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
        with self.lock:
            self.sent.append((upn, body.message))
        return Reply(202)

    def list_folder_messages(self, rec: Recorded, m: re.Match[str]) -> Reply:
        """Sent Items filtered by one of our extended properties (id and value), as Exchange answers it: the only
        folder query the app makes (graph_clients/graph/mail.py `already_sent`)."""
        from msgraph.generated.models.message_collection_response import MessageCollectionResponse

        upn, folder = self._user(m[1]), unquote(m[2]).lower()
        where = re.fullmatch(r"singleValueExtendedProperties/Any\(ep: ep/id eq '((?:[^']|'')*)' and "
                             r"ep/value eq '((?:[^']|'')*)'\)", rec.query.get("$filter", ""))
        if folder != "sentitems" or where is None:
            raise GraphHTTPError(400, "ErrorInvalidUrlQueryFilter", "The stand-in answers Sent Items by property.")
        prop, value = (g.replace("''", "'") for g in where.groups())
        with self.lock:
            found = [msg for who, msg in self.sent if who == upn and any(
                ep.id == prop and ep.value == value for ep in msg.single_value_extended_properties or ())]
        return self._reply(MessageCollectionResponse(value=[Message(id=f"sent-{i}") for i, _ in enumerate(found)]))

    def reply(self, rec: Recorded, m: re.Match[str]) -> Reply:
        upn, msg_id = self._user(m[1]), unquote(m[2])
        body = self._body(rec, ReplyPostRequestBody)
        if msg_id not in self.messages[upn].items:
            raise GraphHTTPError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        with self.lock:
            self.replies.append((upn, msg_id, body.comment or ""))
        return Reply(202)

    # --- drive -------------------------------------------------------------------------------
    def _walk(self, start: str, path: str) -> dict[str, Any] | None:
        node = self.drive.get(start)
        for name in [p for p in path.split("/") if p]:
            if node is None:
                return None
            node = next((n for n in self.drive.values()
                         if n["parent"] == node["item"].id and n["item"].name.lower() == name.lower()), None)
        return node

    def _ref(self, m: re.Match[str]) -> tuple[dict[str, Any] | None, str | None, str]:
        """(existing node or None, parent id, leaf name) for an item reference 'id' or 'id:/path:'."""
        if unquote(m[1]) != self.drive_id:
            raise GraphHTTPError(404, "itemNotFound", "The drive does not exist.")
        ref = unquote(m[2])
        if ":" not in ref:
            return self.drive.get(ref), None, ""
        base, _, path = ref.partition(":")
        path = path.strip(":").strip("/")
        parent_path, _, leaf = path.rpartition("/")
        parent = self._walk(base, parent_path)
        return self._walk(base, path), parent["item"].id if parent else None, leaf

    def _node(self, m: re.Match[str]) -> dict[str, Any]:
        node, _, _ = self._ref(m)
        if node is None:
            raise GraphHTTPError(404, "itemNotFound", "The resource could not be found.")
        return node

    def get_item(self, rec: Recorded, m: re.Match[str]) -> Reply:
        return self._reply(self._node(m)["item"], rec)

    def _put_child(self, parent_id: str, name: str, conflict: str, folder: bool, content: bytes = b"") -> DriveItem:
        with self.lock:
            existing = next((n for n in self.drive.values()
                             if n["parent"] == parent_id and n["item"].name.lower() == name.lower()), None)
            if existing and conflict == "fail":
                raise GraphHTTPError(409, "nameAlreadyExists", "The specified item name already exists.")
            if existing and conflict == "rename":
                stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
                name, existing = f"{stem} 1{dot}{ext}", None
            item_id = existing["item"].id if existing else self._id("01ITEM")
            item = DriveItem(id=item_id, name=name, size=len(content), e_tag=uuid.uuid4().hex,
                             web_url=f"https://council.sharepoint.com/sites/cases/{item_id}",
                             folder=Folder(child_count=0) if folder else None,
                             file=None if folder else File(mime_type="application/octet-stream"))
            fields = existing["fields"] if existing else {}
            list_item_id = existing["list_item_id"] if existing else str(len(self.drive) + 1)
            self.drive[item_id] = {"item": item, "parent": parent_id, "content": content, "fields": fields,
                                   "list_item_id": list_item_id}
            self.drive_log.put(item_id, item)
            return item

    def create_child(self, rec: Recorded, m: re.Match[str]) -> Reply:
        parent = self._node(m)
        body = self._body(rec, DriveItem)
        conflict = body.additional_data.get("@microsoft.graph.conflictBehavior", "fail")
        if not body.name or body.folder is None:
            raise GraphHTTPError(400, "invalidRequest", "name and folder are required to create a folder")
        return self._reply(self._put_child(parent["item"].id, body.name, conflict, True), status=201)

    def put_content(self, rec: Recorded, m: re.Match[str]) -> Reply:
        node, parent_id, leaf = self._ref(m)
        if rec.headers.get("content-type") != "application/octet-stream":
            self.violation(f"PUT content sent as {rec.headers.get('content-type')!r}, not application/octet-stream")
        if len(rec.body) > 250 * 1024 * 1024:
            raise GraphHTTPError(413, "requestTooLarge", "Use an upload session above 250 MB.")
        conflict = rec.query.get("@microsoft.graph.conflictBehavior", "replace")
        if node is not None and not leaf:
            parent_id, leaf = node["parent"], node["item"].name
        if parent_id is None:
            raise GraphHTTPError(404, "itemNotFound", "The parent folder does not exist.")
        created = node is None
        item = self._put_child(parent_id, leaf, conflict, False, rec.body)
        return self._reply(item, status=201 if created else 200)

    def get_content(self, rec: Recorded, m: re.Match[str]) -> Reply:
        node = self._node(m)
        return Reply(302, headers={"Location": f"http://localhost:{self.port}/download/{node['item'].id}"})

    def download(self, rec: Recorded, m: re.Match[str]) -> Reply:
        if "authorization" in rec.headers:
            self.violation("download URL is pre-authenticated: no Authorization header may be sent to it")
        node = self.drive.get(m[1])
        if node is None:
            raise GraphHTTPError(404, "itemNotFound", "gone")
        return Reply(200, node["content"], "application/octet-stream")

    def create_upload_session(self, rec: Recorded, m: re.Match[str]) -> Reply:
        node, parent_id, leaf = self._ref(m)
        body = self._body(rec, CreateUploadSessionPostRequestBody)
        item_props = body.item.additional_data if body.item else {}
        conflict = item_props.get("@microsoft.graph.conflictBehavior", "replace")
        if parent_id is None:
            raise GraphHTTPError(404, "itemNotFound", "The parent folder does not exist.")
        if node is not None and conflict == "fail":
            raise GraphHTTPError(409, "nameAlreadyExists", "The specified item name already exists.")
        sid = uuid.uuid4().hex
        state = UploadState(parent_id, leaf, conflict)
        with self.lock:
            self.uploads[sid] = state
        # A different host name than the API: the upload URL is pre-authenticated (no token sent).
        session = UploadSession(upload_url=f"http://localhost:{self.port}/upload/{sid}",
                                expiration_date_time=state.expires, next_expected_ranges=["0-"])
        return self._reply(session)

    def _session(self, sid: str) -> UploadState:
        state = self.uploads.get(sid)
        if state is None:
            raise GraphHTTPError(404, "itemNotFound", "The upload session was not found.")
        return state

    def upload_status(self, rec: Recorded, m: re.Match[str]) -> Reply:
        state = self._session(m[1])
        return self._reply(UploadSession(expiration_date_time=state.expires,
                                         next_expected_ranges=[f"{len(state.received)}-"]))

    def upload_cancel(self, rec: Recorded, m: re.Match[str]) -> Reply:
        with self.lock:
            self.uploads.pop(m[1], None)
        return Reply(204)

    def upload_fragment(self, rec: Recorded, m: re.Match[str]) -> Reply:
        state = self._session(m[1])
        if "authorization" in rec.headers:
            self.violation("upload URL is pre-authenticated: no Authorization header may be sent to it")
        rng = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", rec.headers.get("content-range", ""))
        if rng is None:
            self.violation("upload fragment without a valid Content-Range")
            raise GraphHTTPError(400, "invalidRange", "Content-Range is required")
        first, last, total = (int(x) for x in rng.groups())
        if first != len(state.received) or last - first + 1 != len(rec.body):
            raise GraphHTTPError(416, "invalidRange", f"expected a fragment starting at {len(state.received)}")
        if last + 1 < total and len(rec.body) % FRAGMENT:
            self.violation(f"fragment of {len(rec.body)} bytes is not a multiple of 320 KiB")
            raise GraphHTTPError(400, "invalidRange", "fragments must be multiples of 320 KiB")
        with self.lock:
            state.received += rec.body
            state.size = total
        if len(state.received) < total:
            return self._reply(UploadSession(expiration_date_time=state.expires,
                                             next_expected_ranges=[f"{len(state.received)}-"]), status=202)
        node = self._walk(state.parent_id, state.name)
        item = self._put_child(state.parent_id, state.name, state.conflict, False, bytes(state.received))
        with self.lock:
            self.uploads.pop(m[1], None)
        return self._reply(item, status=201 if node is None else 200)

    def get_list_item(self, rec: Recorded, m: re.Match[str]) -> Reply:
        node = self._node(m)
        expand = rec.query.get("$expand") or rec.query.get("%24expand") or ""
        fields = FieldValueSet(additional_data=dict(node["fields"])) if "fields" in expand else None
        return self._reply(ListItem(id=node["list_item_id"], fields=fields), rec)

    def drive_delta(self, rec: Recorded, m: re.Match[str]) -> Reply:
        """Drive delta: current state of every item changed since the token (files and folders, parents
        by id only: SharePoint leaves parentReference.path empty in delta), deleted ones with the
        `deleted` facet; an unknown token is 410 Gone, resyncChangesApplyDifferences, with a Location header
        (a fresh enumeration from scratch: current items only, no deleted ones), as Graph documents."""
        if unquote(m[1]) != self.drive_id:
            raise GraphHTTPError(404, "itemNotFound", "The drive does not exist.")
        page = self._continue(rec, DriveDelta())
        if page:
            return page
        token = rec.query.get("token") or rec.query.get("$deltatoken")
        if token is not None and token not in self._delta_windows:
            # Graph's driveItem delta: 410 Gone with resyncChangesApplyDifferences (or ...UploadDifferences) and
            # a Location header holding a nextLink that starts a fresh enumeration from scratch
            raise GraphHTTPError(410, "resyncChangesApplyDifferences", "Resync required: replace local items "
                                 "with the server's version.", {"Location": f"{self.origin}{rec.path}"})
        since = int(token.split("-")[0]) if token else 0
        with self.lock:
            changed = sorted((i for i, v in self.drive_log.version.items() if v > since and i != "root"),
                             key=lambda i: self.drive_log.version[i])
            entries = [self._delta_entry(self.drive[i]) for i in changed if i in self.drive]
            entries += [DriveItem(id=i, deleted=Deleted(state="deleted"))
                        for i, v in self.drive_log.removed.items() if v > since and since > 0]
            new_token = f"{self.drive_log.counter}-{uuid.uuid4().hex[:8]}"
            self._delta_windows[new_token] = None
        if self.drive_delta_reversed:
            entries.reverse()
        if self.drive_delta_repeat and entries:
            entries.append(entries[0])
        return self._page(rec, entries, DriveDelta(), f"{self.origin}{rec.path}?token={new_token}")

    def _delta_entry(self, node: dict[str, Any]) -> DriveItem:
        item = node["item"]
        return DriveItem(id=item.id, name=item.name, e_tag=item.e_tag, web_url=item.web_url, file=item.file,
                         folder=item.folder, size=item.size,
                         parent_reference=ItemReference(id=node["parent"], drive_id=self.drive_id))

    def patch_fields(self, rec: Recorded, m: re.Match[str]) -> Reply:
        node = next((n for n in self.drive.values() if n.get("list_item_id") == unquote(m[2])), None)
        if node is None or unquote(m[1]) != self.drive_id:
            raise GraphHTTPError(404, "itemNotFound", "The list item does not exist.")
        body = self._body(rec, FieldValueSet, open_type=True)   # FieldValueSet is an open type: columns
        unknown = sorted(set(body.additional_data) - self.columns)
        if unknown:
            self.violation(f"PATCH list item fields: no such column {unknown} in the library")
            raise GraphHTTPError(400, "invalidRequest", f"Field(s) {unknown} not recognized")
        with self.lock:   # stored as sent (kiota would turn "2026-03-23" into a datetime)
            node["fields"].update({k: v for k, v in json.loads(rec.body).items() if k in body.additional_data})
            node["item"].e_tag = uuid.uuid4().hex   # a column change is a new version of the item
            self.drive_log.put(node["item"].id, node["item"])
        return self._reply(FieldValueSet(additional_data=dict(node["fields"])))

    # --- subscriptions -----------------------------------------------------------------------
    def _check_expiry(self, expires: datetime | None, limit: int = OUTLOOK_MAX_MINUTES) -> None:
        now = self.now()
        if expires is None or expires <= now:
            raise GraphHTTPError(400, "ExtensionError", "expirationDateTime must be in the future")
        if expires > now + timedelta(minutes=limit):
            raise GraphHTTPError(400, "ExtensionError",
                                 f"Subscription expiration can only be {limit} minutes in the future.")

    def _limit(self, resource: str) -> int:
        return DRIVE_MAX_MINUTES if resource.lstrip("/").lower().startswith("drives/") else OUTLOOK_MAX_MINUTES

    def create_subscription(self, rec: Recorded, m: re.Match[str]) -> Reply:
        sub = self._body(rec, Subscription)
        for name in ("change_type", "notification_url", "resource", "expiration_date_time"):
            if not getattr(sub, name):
                raise GraphHTTPError(400, "InvalidRequest", f"{name} is required")
        if not sub.notification_url.startswith("https://"):
            raise GraphHTTPError(400, "InvalidRequest", "notificationUrl must be https")
        if sub.client_state and len(sub.client_state) > 128:
            raise GraphHTTPError(400, "InvalidRequest", "clientState is at most 128 characters")
        drive = re.match(r"/?drives/([^/]+)/root$", sub.resource)
        user = re.match(r"/?users/([^/]+)/(events|messages|mailFolders\('?\w+'?\)/messages)$", sub.resource)
        if drive is not None:
            if unquote(drive[1]) != self.drive_id:
                raise GraphHTTPError(404, "itemNotFound", "The drive does not exist.")
            if sub.change_type != "updated":   # a drive root supports only `updated`
                raise GraphHTTPError(400, "InvalidRequest", "changeType must be 'updated' for a drive root")
        elif re.match(r"/?drives/", sub.resource):   # only the root of a business drive can be subscribed
            raise GraphHTTPError(400, "InvalidRequest", f"resource '{sub.resource}' is not supported.")
        elif user is None:
            raise GraphHTTPError(400, "InvalidRequest", f"unsupported resource {sub.resource}")
        else:
            self._user(user[1])
        self._check_expiry(sub.expiration_date_time, self._limit(sub.resource))
        sub.id, sub.application_id = str(uuid.uuid4()), "00000000-app"
        with self.lock:
            self.subscriptions[sub.id] = sub
        return self._reply(sub, status=201)

    def list_subscriptions(self, rec: Recorded, m: re.Match[str]) -> Reply:
        page = self._continue(rec, SubscriptionCollectionResponse())
        if page:
            return page
        return self._page(rec, list(self.subscriptions.values()), SubscriptionCollectionResponse(), None)

    def renew_subscription(self, rec: Recorded, m: re.Match[str]) -> Reply:
        sub = self.subscriptions.get(unquote(m[1]))
        if sub is None:
            raise GraphHTTPError(404, "ResourceNotFound", "The object was not found.")
        patch = self._body(rec, Subscription)
        self._check_expiry(patch.expiration_date_time, self._limit(sub.resource or ""))
        with self.lock:
            sub.expiration_date_time = patch.expiration_date_time
        return self._reply(sub)

    def delete_subscription(self, rec: Recorded, m: re.Match[str]) -> Reply:
        with self.lock:
            gone = self.subscriptions.pop(unquote(m[1]), None)
        if gone is None:
            raise GraphHTTPError(404, "ResourceNotFound", "The object was not found.")
        return Reply(204)
