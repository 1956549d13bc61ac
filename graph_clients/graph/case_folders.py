"""CaseFolders port on SharePoint (a document library, i.e. a drive): the child's folder, uploads
and the metadata columns on the file's list item.

- Folder path from settings (IRO_CASE_FOLDER_PATTERN, e.g. "Children/{case_ref}"), created segment
  by segment with conflictBehavior "fail" (a 409 from a parallel worker just means "already there").
- Files up to IRO_UPLOAD_THRESHOLD_BYTES go in one PUT .../content; larger ones through an upload
  session in fragments that are multiples of 320 KiB. kiota's RetryHandler never retries an
  application/octet-stream body, so fragments have their own retry: after a 429/5xx or a dropped
  connection, ask the session for nextExpectedRanges and resume from there. (msgraph_core's
  LargeFileUploadTask logs and swallows fragment errors, so it is not used.)
- Conflict behaviour on upload: "replace" (a re-rendered draft replaces the draft), "rename" or "fail".
- Columns: CaseReference, DocumentType, ReviewDate, Status (names configurable in COLUMNS).
Permission: Sites.Selected with a write grant on the case-folder site only.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote

from graph_clients.ports import DocumentMeta, StoredDocument
from rules.errors import InputError, NotFound

from .convert import request_config
from .errors import TRANSIENT
from .session import GraphSession
from .settings import ENV, GraphSettings

FRAGMENT = 320 * 1024                      # Graph requires fragments in multiples of 320 KiB
CHUNK = 10 * FRAGMENT                      # 3.2 MiB per request (Graph advises 5-10 MiB at most)
CONFLICTS = ("replace", "rename", "fail")
COLUMNS = {"case_ref": "CaseReference", "doc_type": "DocumentType", "review_date": "ReviewDate", "status": "Status"}
BAD_NAME = re.compile(r'["*:<>?/\\|#%]|^\s|\s$|^\.|\.$')   # characters SharePoint refuses in names


class GraphCaseFolders:
    """Implements ports.CaseFolders on the library `settings.drive_id`."""

    def __init__(self, session: GraphSession, settings: GraphSettings, conflict: str = "replace",
                 chunk_size: int = CHUNK, fragment_retries: int = 4, fragment_backoff: float = 1.0) -> None:
        if not settings.drive_id:
            raise InputError(f"{ENV['drive_id']} is not set", "set it to the case-folder library's drive id")
        if conflict not in CONFLICTS:
            raise InputError(f"conflict behaviour {conflict!r} is not one of {CONFLICTS}", "use 'replace'")
        if chunk_size % FRAGMENT:
            raise InputError(f"chunk size {chunk_size} is not a multiple of 320 KiB", f"use a multiple of {FRAGMENT}")
        self.session, self.settings, self.conflict = session, settings, conflict
        self.chunk_size, self.fragment_retries, self.fragment_backoff = chunk_size, fragment_retries, fragment_backoff
        self._folders: dict[str, str] = {}
        self._urls: dict[str, str] = {}

    def _drive(self, client: Any) -> Any:
        return client.drives.by_drive_id(self.settings.drive_id)

    # --- folders -----------------------------------------------------------------------------
    def ensure_folder(self, case_ref: str) -> str:
        """The drive item id of the child's folder, created (with any missing parents) if absent."""
        _check_name(case_ref, "case reference")
        path = self.settings.folder_path(case_ref)
        if path not in self._folders:
            self._folders[path] = self.session.run("case_folders.ensure_folder", lambda c: self._ensure(c, path))
        return self._folders[path]

    async def _ensure(self, client: Any, path: str) -> str:
        from kiota_abstractions.api_error import APIError

        parent, walked = "root", ""
        for segment in path.split("/"):
            walked = f"{walked}/{segment}".strip("/")
            try:
                item = await self._drive(client).items.by_drive_item_id(f"root:/{walked}:").get()
            except APIError as exc:
                if exc.response_status_code != 404:
                    raise
                item = await self._create_folder(client, parent, segment, walked)
            parent = item.id
        self._urls[path] = item.web_url or ""
        return parent

    def folder_url(self, case_ref: str) -> str:
        """The folder's webUrl, for links on cards and in emails (created first if absent)."""
        self.ensure_folder(case_ref)
        return self._urls.get(self.settings.folder_path(case_ref), "")

    async def _create_folder(self, client: Any, parent: str, name: str, walked: str) -> Any:
        from kiota_abstractions.api_error import APIError
        from msgraph.generated.models.drive_item import DriveItem
        from msgraph.generated.models.folder import Folder

        body = DriveItem(name=name, folder=Folder(), additional_data={"@microsoft.graph.conflictBehavior": "fail"})
        try:
            return await self._drive(client).items.by_drive_item_id(parent).children.post(body)
        except APIError as exc:
            if exc.response_status_code != 409:   # 409: another worker created it a moment ago
                raise
            return await self._drive(client).items.by_drive_item_id(f"root:/{walked}:").get()

    # --- files -------------------------------------------------------------------------------
    def save(self, meta: DocumentMeta, name: str, content: bytes) -> StoredDocument:
        """Upload `content` as `name` in the case folder, then set the metadata columns."""
        _check_name(name, "file name")
        folder = self.ensure_folder(meta.case_ref)
        if len(content) <= self.settings.upload_threshold:
            item = self.session.run("case_folders.save", lambda c: self._simple_put(c, folder, name, content))
        else:
            item = self.session.run("case_folders.save", lambda c: self._session_upload(c, folder, name, content),
                                    timeout=max(self.settings.request_timeout, 600))
        self.set_metadata(item.id, meta)
        return StoredDocument(case_ref=meta.case_ref, name=item.name or name, url=item.web_url or "", item_id=item.id)

    def read(self, case_ref: str, name: str) -> bytes:
        _check_name(name, "file name")
        path = f"{self.settings.folder_path(case_ref)}/{name}"

        async def call(client: Any) -> bytes:
            return await self._drive(client).items.by_drive_item_id(f"root:/{path}:").content.get()

        content = self.session.run("case_folders.read", call)
        if content is None:
            raise NotFound(f"case_folders.read: {case_ref}/{name} has no content")
        return content

    def set_metadata(self, item_id: str, meta: DocumentMeta) -> None:
        """Write the library columns on the file's list item: find the drive item's listItem id, then
        PATCH drives/{drive}/list/items/{id}/fields (the SDK's route to a library's list item)."""
        values: dict[str, Any] = {COLUMNS["case_ref"]: meta.case_ref, COLUMNS["doc_type"]: meta.doc_type,
                                  COLUMNS["status"]: meta.status}
        if meta.review_date is not None:
            values[COLUMNS["review_date"]] = meta.review_date.isoformat()

        async def call(client: Any) -> None:
            from msgraph.generated.drives.item.items.item.list_item.list_item_request_builder import (
                ListItemRequestBuilder,
            )
            from msgraph.generated.models.field_value_set import FieldValueSet

            query = ListItemRequestBuilder.ListItemRequestBuilderGetQueryParameters(select=["id"])
            list_item = await self._drive(client).items.by_drive_item_id(item_id).list_item.get(
                request_config(query=query, prefer=()))
            await self._drive(client).list_.items.by_list_item_id(list_item.id).fields.patch(
                FieldValueSet(additional_data=values))

        self.session.run("case_folders.set_metadata", call)

    async def _simple_put(self, client: Any, folder: str, name: str, content: bytes) -> Any:
        base = self.session.settings.graph_base_url.rstrip("/")
        url = (f"{base}/drives/{quote(self.settings.drive_id, safe='')}/items/{quote(folder, safe='')}:/"
               f"{quote(name)}:/content?@microsoft.graph.conflictBehavior={self.conflict}")
        failures = 0
        while True:
            try:
                return await self._drive(client).items.by_drive_item_id(folder).content.with_url(url).put(content)
            except Exception as exc:  # the whole PUT is idempotent; RetryHandler skips octet-stream bodies
                failures += 1
                if not _retryable(exc) or failures > self.fragment_retries:
                    raise
                await asyncio.sleep(_retry_after(exc) or self.fragment_backoff * failures)

    async def _session_upload(self, client: Any, folder: str, name: str, content: bytes) -> Any:
        from msgraph.generated.drives.item.items.item.create_upload_session.create_upload_session_post_request_body import (  # noqa: E501
            CreateUploadSessionPostRequestBody,
        )
        from msgraph.generated.models.drive_item_uploadable_properties import DriveItemUploadableProperties

        props = DriveItemUploadableProperties(additional_data={"@microsoft.graph.conflictBehavior": self.conflict})
        session = await self._drive(client).items.by_drive_item_id(f"{folder}:/{name}:").create_upload_session.post(
            CreateUploadSessionPostRequestBody(item=props))
        return await self._upload_fragments(session.upload_url, content)

    async def _upload_fragments(self, upload_url: str, content: bytes) -> Any:
        from msgraph.generated.models.drive_item import DriveItem
        from msgraph.generated.models.upload_session import UploadSession

        offset, failures = 0, 0
        while True:
            end = min(offset + self.chunk_size, len(content))
            last = end == len(content)
            try:
                model = DriveItem if last else UploadSession
                answer = await self._send_fragment(upload_url, content, offset, end, model)
            except Exception as exc:  # 429/5xx/connection: ask where to resume (RetryHandler will not retry)
                failures += 1
                if not _retryable(exc) or failures > self.fragment_retries:
                    raise
                await asyncio.sleep(_retry_after(exc) or self.fragment_backoff * failures)
                offset = await self._resume_offset(upload_url)
                continue
            if last:
                return answer
            offset = int((answer.next_expected_ranges or [str(end)])[0].split("-")[0])

    async def _send_fragment(self, url: str, content: bytes, start: int, end: int, model: type) -> Any:
        from kiota_abstractions.method import Method
        from kiota_abstractions.request_information import RequestInformation
        from msgraph.generated.models.o_data_errors.o_data_error import ODataError

        info = RequestInformation(Method.PUT)
        info.url = url  # pre-authenticated: the token provider sends no token to its host
        info.headers.try_add("Content-Range", f"bytes {start}-{end - 1}/{len(content)}")
        info.set_stream_content(content[start:end], "application/octet-stream")
        errors = {"XXX": ODataError.create_from_discriminator_value}
        return await self.session.request_adapter.send_async(info, model, errors)

    async def _resume_offset(self, url: str) -> int:
        from kiota_abstractions.method import Method
        from kiota_abstractions.request_information import RequestInformation
        from msgraph.generated.models.o_data_errors.o_data_error import ODataError
        from msgraph.generated.models.upload_session import UploadSession

        info = RequestInformation(Method.GET)
        info.url = url
        status = await self.session.request_adapter.send_async(
            info, UploadSession, {"XXX": ODataError.create_from_discriminator_value})
        return int((status.next_expected_ranges or ["0-"])[0].split("-")[0])


def _check_name(name: str, what: str) -> None:
    if not name or BAD_NAME.search(name):
        raise InputError(f"{what} {name!r} has characters SharePoint refuses (\" * : < > ? / \\ | # %)",
                         "use the case reference and document type only, e.g. 'AB123-review_decisions.docx'")


def _retryable(exc: Exception) -> bool:
    """429, 5xx, or no HTTP answer at all (connection dropped, timeout)."""
    import httpx
    from kiota_abstractions.api_error import APIError

    if isinstance(exc, APIError):
        return exc.response_status_code == 429 or exc.response_status_code in TRANSIENT
    return isinstance(exc, httpx.TransportError)


def _retry_after(exc: Exception) -> float | None:
    headers = {k.lower(): v for k, v in (getattr(exc, "response_headers", None) or {}).items()}
    try:
        return float(headers["retry-after"])
    except (KeyError, ValueError):
        return None
