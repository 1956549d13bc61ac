"""The daily roster sync: the council's roster export read from where the council puts it, imported, then
what changed turned into facts for the bus.

Where (app settings IRO_ROSTER_SOURCE and IRO_ROSTER_LOCATION; docs/deploy.md):

- `sharepoint`: location `DRIVE-ID:/folder/in/library`, read with Graph (`GET /drives/{id}/root:/{path}:/content`);
  needs Sites.Selected with a read grant on that site.
- `blob`: location `https://ACCOUNT.blob.core.windows.net/CONTAINER[/prefix]`, read with azure-storage-blob as the
  managed identity; needs Storage Blob Data Reader on the container (infra/ creates `roster-export`).
- `folder`: a local path (the embedded default, a developer).

The export is the files in `FILES` (CSVs as in docs/store.md): `roster.csv` is required, `staff.csv` and
`teams.csv` are read when present. A child new to the roster starts their period of care through the
handlers (the IRO's introduction letter goes out, once); a child whose team changed gets a `team_transfer`
fact (which alerts when a resolution is open: 004 Appendix 1). Bad rows are recorded as problems by the
importer, never dropped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Protocol

from function_app.messages import FactRecorded, Message
from function_app.services import Services
from rules.errors import InputError, NotFound
from rules.model import Fact, FactKind

ROSTER, STAFF, TEAMS = FILES = ("roster.csv", "staff.csv", "teams.csv")


class RosterSource(Protocol):
    where: str                              # for messages: the source and location, never file content

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None when it is not there."""


class FolderSource:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.where = f"folder {self.folder}"

    def read(self, name: str) -> bytes | None:
        path = self.folder / name
        return path.read_bytes() if path.is_file() else None


class SharePointSource:
    """A folder in a SharePoint document library, read through the app's GraphSession."""

    def __init__(self, session: Any, location: str) -> None:
        drive, _, folder = location.partition(":")
        if not drive or not folder.startswith("/"):
            raise InputError(f"IRO_ROSTER_LOCATION={location!r} is not DRIVE-ID:/folder",
                             "give the library's drive id, a colon and the folder, e.g. b!Xy..:/Roster export")
        self.session, self.drive, self.folder = session, drive, folder.strip("/")
        self.where = f"sharepoint {location}"

    def read(self, name: str) -> bytes | None:
        path = f"{self.folder}/{name}".strip("/")

        async def call(client: Any) -> bytes:
            return await client.drives.by_drive_id(self.drive).items.by_drive_item_id(f"root:/{path}:").content.get()

        try:
            return self.session.run("roster.read", call)
        except NotFound:
            return None


class BlobSource:
    """Blobs under a prefix in a container (azure-storage-blob; the managed identity needs Storage Blob Data
    Reader on the container). `container` is a ContainerClient or anything with get_blob_client(name)."""

    def __init__(self, container: Any, prefix: str = "", where: str = "blob") -> None:
        self.container, self.prefix, self.where = container, prefix.strip("/"), where

    @classmethod
    def from_url(cls, url: str, credential: Any) -> BlobSource:
        from urllib.parse import urlsplit

        from azure.storage.blob import ContainerClient

        parts = urlsplit(url)
        container, _, prefix = parts.path.strip("/").partition("/")
        if parts.scheme != "https" or not container:
            raise InputError(f"IRO_ROSTER_LOCATION={url!r} is not https://ACCOUNT.blob.core.windows.net/CONTAINER",
                             "give the container's URL, optionally with a folder prefix after it")
        client = ContainerClient(f"{parts.scheme}://{parts.netloc}", container, credential=credential)
        return cls(client, prefix, f"blob {url}")

    def read(self, name: str) -> bytes | None:
        from azure.core.exceptions import ResourceNotFoundError

        blob = f"{self.prefix}/{name}".strip("/")
        try:
            return self.container.get_blob_client(blob).download_blob().readall()
        except ResourceNotFoundError:
            return None


def source_for(svc: Services) -> RosterSource | None:
    """The source the settings name (None: no sync; the roster is kept with `iro import-roster`)."""
    settings = svc.settings
    if settings is None or not settings.roster_source:
        return None
    if settings.roster_source == "folder":
        return FolderSource(settings.roster_location)
    if settings.roster_source == "sharepoint":
        if svc.graph is None:
            raise InputError("IRO_ROSTER_SOURCE=sharepoint needs IRO_MODE=graph", "use folder in local mode")
        return SharePointSource(svc.graph.session, settings.roster_location)
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    graph = settings.graph
    credential = (ManagedIdentityCredential(client_id=graph.client_id or None) if graph.use_managed_identity
                  else DefaultAzureCredential())
    return BlobSource.from_url(settings.roster_location, credential)


def sync_from(svc: Services, source: RosterSource) -> list[Message]:
    """Fetch the export from `source` into a private temporary folder, then `sync` it."""
    with tempfile.TemporaryDirectory(prefix="iro-roster-") as tmp:
        paths: dict[str, Path | None] = {}
        for name in FILES:
            data = source.read(name)
            if data is not None:
                (Path(tmp) / name).write_bytes(data)
            paths[name] = Path(tmp) / name if data is not None else None
        if paths[ROSTER] is None:
            raise InputError(f"roster sync: {ROSTER} is not in {source.where}",
                             "check the council's export ran, and IRO_ROSTER_LOCATION")
        return sync(svc, paths[ROSTER], paths[STAFF], paths[TEAMS])


def sync(svc: Services, roster: Path, staff: Path | None = None, teams: Path | None = None) -> list[Message]:
    from store.imports.roster import import_roster, import_staff, import_teams

    before = {c.case_ref: c for c in svc.store.children()}
    if staff:
        import_staff(svc.store, staff)
    if teams:
        import_teams(svc.store, teams)
    import_roster(svc.store, roster)
    out: list[Message] = []
    for child in svc.store.children():
        old = before.get(child.case_ref)
        if old is None:
            out += [FactRecorded(f, False) for f in svc.store.facts(child.case_ref, [FactKind.BECAME_LOOKED_AFTER])]
        elif old.team and child.team != old.team:
            fact = Fact(FactKind.TEAM_TRANSFER, child.case_ref, svc.today(),
                        f"transfer:{child.case_ref}:{old.team}:{child.team}:{svc.today().isoformat()}",
                        {"from_team": old.team, "to_team": child.team})
            out.append(FactRecorded(fact, svc.store.record(fact)))
    return out
