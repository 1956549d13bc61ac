"""Case folders on the local disk: the embedded default's stand-in for the SharePoint library.

Same port as the Graph adapter (graph_clients/ports.py: CaseFolders). Metadata columns are kept in a
`.metadata.json` beside the documents, as SharePoint keeps them on the list item. Saving a name that
exists replaces it (the Graph adapter's conflictBehavior "replace"), so a retried action never doubles.

The change feed (ports.FolderChanges, as Graph's drive delta): `changes(LOCAL_DRIVE, link)` compares the
folders now with the snapshot the link names (kept under `.delta/`, the last few only) and returns the
files added or changed (content or columns) and the ones removed. A person may drop a file in by hand, so
the folders are scanned, not trusted to have been written through `save`. A link whose snapshot is gone
raises NotFound, like Graph's 410 Gone (resync): start again with None.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

from graph_clients.ports import DeltaResult, DocumentMeta, FolderItem, StoredDocument
from rules.errors import InputError, NotFound

LOCAL_DRIVE = "local"          # the one "library" of the embedded default
KEEP_SNAPSHOTS = 3             # a crashed round can repeat with the previous link
#: sidecar field -> the SharePoint column name the Graph adapter writes (graph_clients/graph/case_folders.py)
COLUMNS = {"case_ref": "CaseReference", "doc_type": "DocumentType", "review_date": "ReviewDate", "status": "Status"}

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # case refs and document names: no paths, no spaces


def _safe(part: str, what: str) -> str:
    if not _SAFE.match(part or ""):
        raise InputError(f"{what} {part!r} is not a safe file name",
                         "use the council's case reference and the document naming in doc_templates")
    return part


class LocalCaseFolders:
    def __init__(self, root: Path, pattern: str = "{case_ref}") -> None:
        self.root = Path(root)
        self.pattern = pattern

    def _folder(self, case_ref: str) -> Path:
        return self.root / self.pattern.format(case_ref=_safe(case_ref, "case reference"))

    def ensure_folder(self, case_ref: str) -> str:
        folder = self._folder(case_ref)
        folder.mkdir(parents=True, exist_ok=True)
        return folder.resolve().as_uri()

    def folder_url(self, case_ref: str) -> str:
        return self.ensure_folder(case_ref)

    def save(self, meta: DocumentMeta, name: str, content: bytes) -> StoredDocument:
        self.ensure_folder(meta.case_ref)
        path = self._folder(meta.case_ref) / _safe(name, "document name")
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(content)
        tmp.replace(path)  # atomic: a reader never sees half a document
        self._write_meta(meta, name)
        return StoredDocument(meta.case_ref, name, path.resolve().as_uri(), item_id=name)

    def read(self, case_ref: str, name: str) -> bytes:
        path = self._folder(case_ref) / _safe(name, "document name")
        if not path.is_file():
            raise NotFound(f"no document {name} in the case folder of {case_ref}", status=404)
        return path.read_bytes()

    def list(self, case_ref: str) -> list[str]:
        folder = self._folder(case_ref)
        return sorted(p.name for p in folder.glob("*.docx")) if folder.is_dir() else []

    def metadata(self, case_ref: str) -> dict[str, dict]:
        path = self._folder(case_ref) / ".metadata.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    # --- the change feed (ports.FolderChanges) -----------------------------------------------------------
    def changes(self, drive_id: str, delta_link: str | None = None) -> DeltaResult:
        _check_drive(drive_id)
        before = self._snapshot(delta_link) if delta_link else {}
        now = self._scan()
        changed = tuple(item for key, item in sorted(now.items())
                        if key not in before or before[key] != item.version)
        removed = tuple(sorted(key for key in before if key not in now))
        link = self._keep({key: item.version for key, item in now.items()})
        return DeltaResult(changed=changed, removed=removed, delta_link=link)

    def read_item(self, drive_id: str, item_id: str) -> bytes:
        _check_drive(drive_id)
        case_ref, _, name = item_id.partition("/")
        return self.read(case_ref, name)

    def set_status(self, case_ref: str, name: str, status: str) -> None:
        """A person sets the file's Status column (e.g. to Final), as in the SharePoint library."""
        columns = self.metadata(case_ref)
        if name not in columns:
            raise NotFound(f"no document {name} in the case folder of {case_ref}", status=404)
        columns[name]["status"] = status
        (self._folder(case_ref) / ".metadata.json").write_text(json.dumps(columns, indent=1, sort_keys=True))

    def _scan(self) -> dict[str, FolderItem]:
        found: dict[str, FolderItem] = {}
        if not self.root.is_dir():
            return found
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            meta = self.metadata(folder.name)
            for path in sorted(folder.glob("*.docx")):
                row = meta.get(path.name, {})
                columns = {COLUMNS[k]: v for k, v in row.items() if k in COLUMNS and v is not None}
                digest = hashlib.sha256(path.read_bytes() + json.dumps(columns, sort_keys=True).encode())
                key = f"{folder.name}/{path.name}"
                found[key] = FolderItem(LOCAL_DRIVE, key, path.name, folder.name, digest.hexdigest()[:20], columns,
                                        path.resolve().as_uri())
        return found

    def _snapshot(self, link: str) -> dict[str, str]:
        path = self.root / ".delta" / f"{_safe(link, 'delta link')}.json"
        if not path.is_file():
            raise NotFound(f"local delta link {link} is no longer known: start a fresh round", status=410)
        return json.loads(path.read_text())

    def _keep(self, versions: dict[str, str]) -> str:
        folder = self.root / ".delta"
        folder.mkdir(parents=True, exist_ok=True)
        kept = sorted(folder.glob("local-*.json"), key=lambda p: int(p.stem.split("-")[1]))
        number = int(kept[-1].stem.split("-")[1]) + 1 if kept else 1
        link = f"local-{number}"
        (folder / f"{link}.json").write_text(json.dumps(versions, sort_keys=True))
        for old in kept[:-(KEEP_SNAPSHOTS - 1)]:
            old.unlink(missing_ok=True)
        return link

    def _write_meta(self, meta: DocumentMeta, name: str) -> None:
        columns = self.metadata(meta.case_ref)
        row = asdict(meta)
        row["review_date"] = meta.review_date.isoformat() if meta.review_date else None
        columns[name] = row
        (self._folder(meta.case_ref) / ".metadata.json").write_text(json.dumps(columns, indent=1, sort_keys=True))


def _check_drive(drive_id: str) -> None:
    if drive_id != LOCAL_DRIVE:
        raise NotFound(f"no library {drive_id!r} on the local disk (the embedded default has '{LOCAL_DRIVE}')")
