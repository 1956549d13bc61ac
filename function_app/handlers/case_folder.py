"""Something changed in a case-folder library: find what, and read back the records completed there.

A drive-root notification names no item (graph_clients/graph/drives.py), so every one, and the daily
catch-up, runs the library's delta from the link stored for it. For each file in the round:
- a review record (its DocumentType column, or a file name like the drafts') that is complete as the policy
  says (rules/case_folder.py: Status set to Final, or no DRAFT mark) is read back: handlers/records.py, the
  same reading the "Record complete" email triggers, idempotent by the file's content;
- any other file, or a draft being edited, is left alone;
- a completed record that was deleted becomes a problem for the IRO (what was read from it stays): delta's
  `deleted` facet says so, and after a 410 resync (a fresh enumeration, which lists no deleted items) a record
  read before that the enumeration no longer lists.
The new delta link is stored only after the round's records were read and everything they set in motion was
handled (messages.DeltaAdvanced, handled last), so a crash repeats the round (the reading goes through the same
bytes again, once-only by key) rather than losing a record or its reactions. A file that cannot be read is a
problem for a person, keyed by its version, and does not hold up the rest of the library.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from function_app.bus import uses
from function_app.handlers import records
from function_app.messages import DeltaAdvanced, DriveChanged, Message, RecordSaved, Rejected
from function_app.services import Services
from graph_clients.ports import FolderItem
from rules.errors import InputError, NotFound
from rules.references import find_case_ref

# <case ref>_review-record_<YYYY-MM-DD>[ anything, e.g. a DRAFT mark].docx (doc_templates.render.document_name)
RECORD_NAME = re.compile(r"^(?P<case>[A-Za-z0-9-]+)_review-record_(?P<date>\d{4}-\d{2}-\d{2})\b.*\.docx$", re.I)
WHAT_TO_DO_UNREADABLE = ("open the file in Word: save it as a Word document (.docx) from the review record "
                         "template, then set Status to Final again")


@uses("cal", "folder_changes", "folders", "policy", "store", "today")
def on_drive_changed(msg: DriveChanged, svc: Services) -> list[Message]:
    feed = svc.folder_changes
    if feed is None:
        return [Rejected("case folder", f"a change in library {msg.drive_id} but no change feed is configured",
                         "set IRO_MODE=graph with IRO_DRIVE_ID (docs/graph.md)", payload={"drive": msg.drive_id})]
    key = f"delta:drive:{msg.drive_id}"
    link = svc.store.get_state(key) or None
    resync = False
    try:
        result = feed.changes(msg.drive_id, link)
    except NotFound:
        if link is None:
            raise
        # 410 Gone (resyncChangesApplyDifferences): its Location starts a fresh enumeration from scratch; this is
        # the same enumeration (with the app's $select). Reading is idempotent by content, so nothing doubles.
        result, resync = feed.changes(msg.drive_id, None), True
    removed = list(result.removed)
    if resync:   # a fresh enumeration names no deleted item: a record read before and not listed now is gone
        listed = {item.item_id for item in result.changed}
        removed += [item_id for item_id in _read_items(svc, msg.drive_id) if item_id not in listed]
    out: list[Message] = []
    for item in result.changed:
        out += _changed(svc, item)
    for item_id in removed:
        out += _removed(svc, msg.drive_id, item_id)
    return [*out, DeltaAdvanced(msg.drive_id, result.delta_link)]  # stored after all the round set in motion


@uses("store")
def on_delta_advanced(msg: DeltaAdvanced, svc: Services) -> None:
    svc.store.set_state(f"delta:drive:{msg.drive_id}", msg.delta_link)
    svc.store.set_state(f"catch-up:drive:{msg.drive_id}", "")   # caught up (function_app/subscriptions.py marks it)


def _changed(svc: Services, item: FolderItem) -> list[Message]:
    rules = svc.policy.case_folder
    found = RECORD_NAME.match(item.name)
    doc_type = str(item.columns.get("DocumentType") or "")
    if not (doc_type == rules.record_doc_type or (not doc_type and found)):
        return []
    if not rules.complete(item.columns.get(rules.status_column), item.name):
        return []   # a draft being written: read when it is complete
    case_ref = _case_ref(svc, item, found)
    review = _review_date(item, found)
    if case_ref is None or review is None:
        return [Rejected("case folder", f"a completed review record in library {item.drive_id} names no case "
                         "reference or review date", "name it as the draft was named (case reference, "
                         "review-record, review date) or fill in the CaseReference and ReviewDate columns",
                         case_ref, {"drive": item.drive_id, "item": item.item_id},
                         key=f"folder:{item.drive_id}:{item.item_id}:{item.version}:unnamed")]
    # Facts, keys and problems name the record as the app names it (case reference, kind, date), whatever the
    # file is called: a name typed in SharePoint may hold a child's name.
    from doc_templates.render import document_name  # docxtpl: only when a record is read

    name = document_name("review_record", case_ref, review)
    try:
        out = records.on_record_saved(RecordSaved(case_ref, name, review, item.drive_id, item.item_id), svc)
    except InputError as exc:   # not a .docx, no decisions table, ...: tell a person, go on with the library
        return [Rejected("case folder", f"{name}: {exc.reason}", exc.what_to_do or WHAT_TO_DO_UNREADABLE,
                         case_ref, {"drive": item.drive_id, "item": item.item_id, "document": name},
                         key=f"folder:{item.drive_id}:{item.item_id}:{item.version}:unreadable")]
    svc.store.set_state(_item_key(item.drive_id, item.item_id), json.dumps({"case_ref": case_ref, "name": name}))
    _remember_items(svc, item.drive_id, _read_items(svc, item.drive_id) | {item.item_id})
    return out


def _removed(svc: Services, drive_id: str, item_id: str) -> list[Message]:
    known = svc.store.get_state(_item_key(drive_id, item_id))
    if not known:
        return []   # not a record the app read (a draft, another document): nothing to say
    info = json.loads(known)
    svc.store.set_state(_item_key(drive_id, item_id), "")
    _remember_items(svc, drive_id, _read_items(svc, drive_id) - {item_id})
    return [Rejected("case folder", f"the completed review record {info['name']} was deleted from the case folder; "
                     "what was read from it (decisions, progress, attendance) stays on record",
                     "if it was deleted by mistake, restore it from the site's recycle bin; if it was replaced, "
                     "set the replacement's Status to Final", info["case_ref"],
                     {"drive": drive_id, "item": item_id, "document": info["name"]},
                     key=f"folder-deleted:{drive_id}:{item_id}")]


def _item_key(drive_id: str, item_id: str) -> str:
    return f"folder-item:{drive_id}:{item_id}"


def _read_items(svc: Services, drive_id: str) -> set[str]:
    """The library's items the app read a completed record from (what a resync compares against)."""
    return set(json.loads(svc.store.get_state(f"folder-items:{drive_id}") or "[]"))


def _remember_items(svc: Services, drive_id: str, items: set[str]) -> None:
    svc.store.set_state(f"folder-items:{drive_id}", json.dumps(sorted(items)))


def _case_ref(svc: Services, item: FolderItem, found: re.Match[str] | None) -> str | None:
    for text in (str(item.columns.get("CaseReference") or ""), found["case"] if found else "", item.name,
                 item.folder.rsplit("/", 1)[-1]):
        ref = find_case_ref(text, svc.policy) if text else None
        if ref:
            return ref
    return None


def _review_date(item: FolderItem, found: re.Match[str] | None) -> date | None:
    value = item.columns.get("ReviewDate")
    if isinstance(value, datetime):
        return value.date()
    for text in (str(value or "")[:10], found["date"] if found else ""):
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return None
