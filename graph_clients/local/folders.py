"""Case folders on the local disk: the embedded default's stand-in for the SharePoint library.

Same port as the Graph adapter (graph_clients/ports.py: CaseFolders). Metadata columns are kept in a
`.metadata.json` beside the documents, as SharePoint keeps them on the list item. Saving a name that
exists replaces it (the Graph adapter's conflictBehavior "replace"), so a retried action never doubles.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

from graph_clients.ports import DocumentMeta, StoredDocument
from rules.errors import InputError, NotFound

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

    def _write_meta(self, meta: DocumentMeta, name: str) -> None:
        columns = self.metadata(meta.case_ref)
        row = asdict(meta)
        row["review_date"] = meta.review_date.isoformat() if meta.review_date else None
        columns[name] = row
        (self._folder(meta.case_ref) / ".metadata.json").write_text(json.dumps(columns, indent=1, sort_keys=True))
