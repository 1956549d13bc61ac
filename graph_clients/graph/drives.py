"""The case-folder libraries' change feed on Graph: drive delta and the drive-root subscription resource.

SharePoint sends change notifications only for a drive's root (`drives/{id}/root`, changeType `updated`),
and the notification names no item: it is a shoulder tap. After each one the app asks
`/drives/{id}/root/delta` with the delta link it stored for that drive, follows every @odata.nextLink and
stores the final @odata.deltaLink (function_app/handlers/case_folder.py). Facts of the delta feed (Graph's
driveItem delta documentation):
- items come as their current state, in no particular order, and the same item may come more than once:
  the last occurrence wins;
- a deleted item carries the `deleted` facet;
- in SharePoint `parentReference.path` is not filled in by delta (track items by id): the parent folder's
  name is looked up by its id instead, once per folder per round;
- a link Graph no longer accepts is answered 410 Gone (`resyncChangesApplyDifferences` or
  `resyncChangesUploadDifferences`) with a `Location` header holding the nextLink of a fresh enumeration from
  scratch: errors.py turns it into NotFound and the caller starts that fresh enumeration itself (with this
  module's $select; handlers/case_folder.py, delta_links.delta_or_restart). A fresh enumeration lists no
  deleted items, so the handler compares it with the records it had read ("compare the returned items with
  your local state"). The app's reading is idempotent by content, so a resync reads nothing twice.
The library columns (CaseReference, DocumentType, ReviewDate, Status) are read from each changed Word file's
listItem (`$expand=fields`): delta does not return them.

Permissions (application): Sites.Selected with a read grant on the case-folder site for delta and reads;
the subscription itself is documented for Files.ReadWrite.All only (docs/permissions.md says what to do).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from graph_clients.ports import DeltaResult, FolderItem
from rules.errors import NotFound

from .convert import delta_pages, request_config
from .session import GraphSession

# Drive-root subscriptions live at most 42,300 minutes (just under 30 days; Graph's subscription resource).
DRIVE_MAX_SUBSCRIPTION_MINUTES = 42_300
DRIVE_CHANGE = "updated"          # the only changeType a drive root accepts
ITEM_FIELDS = ["id", "name", "eTag", "cTag", "parentReference", "file", "folder", "deleted", "webUrl"]
READ_BACK_SUFFIXES = (".docx",)   # files whose library columns are worth a request


def drive_resource(drive_id: str) -> str:
    return f"drives/{drive_id}/root"


def drive_of(resource: str) -> str:
    """The drive id in 'drives/{id}/root' (any case, leading slash allowed); '' when it is not one."""
    parts = resource.strip("/").split("/")
    if len(parts) == 3 and parts[0].lower() == "drives" and parts[2].lower() == "root":
        return parts[1]
    return ""


class GraphDrives:
    """Implements ports.FolderChanges for SharePoint document libraries."""

    def __init__(self, session: GraphSession) -> None:
        self.session = session

    def changes(self, drive_id: str, delta_link: str | None = None) -> DeltaResult:
        async def call(client: Any) -> tuple[list[Any], str, dict[str, dict], dict[str, str]]:
            from msgraph.generated.drives.item.items.item.delta.delta_request_builder import DeltaRequestBuilder

            builder = client.drives.by_drive_id(drive_id).items.by_drive_item_id("root").delta
            if delta_link:
                page = await builder.with_url(delta_link).get(request_config(prefer=()))
            else:
                query = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(select=ITEM_FIELDS)
                page = await builder.get(request_config(query=query, prefer=()))
            items, link = await delta_pages(builder, page, "drives.delta")
            latest = _last_occurrence(items)
            files = [i for i in latest if i.deleted is None and i.file is not None]
            columns = {i.id: await self._columns(client, drive_id, i.id) for i in files
                       if (i.name or "").lower().endswith(READ_BACK_SUFFIXES)}
            folders = await self._folder_names(client, drive_id, files)
            return latest, link, columns, folders

        latest, link, columns, folders = self.session.run("drives.delta", call)
        changed = tuple(
            FolderItem(drive_id=drive_id, item_id=i.id, name=i.name or "", folder=folders.get(i.id, ""),
                       version=i.e_tag or i.c_tag or "", columns=columns.get(i.id, {}), url=i.web_url or "")
            for i in latest if i.deleted is None and i.file is not None)
        removed = tuple(i.id for i in latest if i.deleted is not None)
        return DeltaResult(changed=changed, removed=removed, delta_link=link)

    async def _columns(self, client: Any, drive_id: str, item_id: str) -> dict[str, Any]:
        from kiota_abstractions.api_error import APIError
        from msgraph.generated.drives.item.items.item.list_item.list_item_request_builder import (
            ListItemRequestBuilder,
        )

        query = ListItemRequestBuilder.ListItemRequestBuilderGetQueryParameters(expand=["fields"])
        try:
            item = await client.drives.by_drive_id(drive_id).items.by_drive_item_id(item_id).list_item.get(
                request_config(query=query, prefer=()))
        except APIError as exc:
            if exc.response_status_code == 404:   # deleted between the delta and this read
                return {}
            raise
        values = dict(item.fields.additional_data) if item and item.fields else {}
        # kiota parses "2026-03-14" into a datetime; the port carries ISO text, as the library shows it
        return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}

    async def _folder_names(self, client: Any, drive_id: str, files: list[Any]) -> dict[str, str]:
        """item id -> its folder's path in the library (delta's path when given, else the parent's name)."""
        names: dict[str, str] = {}
        parents: dict[str, str] = {}
        for item in files:
            ref = item.parent_reference
            path = (ref.path or "") if ref else ""
            if "root:" in path:
                names[item.id] = path.split("root:", 1)[1].strip("/")
                continue
            parent_id = ref.id if ref else None
            if parent_id and parent_id not in parents:
                parent = await client.drives.by_drive_id(drive_id).items.by_drive_item_id(parent_id).get()
                parents[parent_id] = (parent.name or "") if parent else ""
            names[item.id] = parents.get(parent_id or "", "")
        return names

    def read_item(self, drive_id: str, item_id: str) -> bytes:
        async def call(client: Any) -> bytes | None:
            return await client.drives.by_drive_id(drive_id).items.by_drive_item_id(item_id).content.get()

        content = self.session.run("drives.read_item", call)
        if content is None:
            raise NotFound(f"drives.read_item: item {item_id} has no content")
        return content


def _last_occurrence(items: list[Any]) -> list[Any]:
    """One entry per item id, the last one delta gave (Graph: "use the last occurrence you see")."""
    latest: dict[str, Any] = {}
    for item in items:
        latest.pop(item.id, None)
        latest[item.id] = item
    return list(latest.values())
