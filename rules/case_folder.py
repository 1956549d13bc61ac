"""How a council's people mark a review record complete in the child's case folder: policy data.

The app drafts the record into the case folder (function_app/drafts.py) with the library column Status set
to Draft and a DRAFT mark in its name and heading. The IRO completes it in Word and then either sets
Status to Final, or saves the finished record under the name without the DRAFT mark, as the council
chooses (`complete_when`). The library's change feed (drive delta) shows the app each save; a record that
is complete by this rule is read back (function_app/handlers/case_folder.py). The email "Record complete
CLA-... review DATE" (rules/mail.py) stays as a fallback for a library the app cannot watch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CaseFolderConventions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    complete_when: Literal["status_final", "no_draft_mark", "either"] = "status_final"
    status_column: str = Field("Status", min_length=1)       # the library column the IRO sets
    final_values: tuple[str, ...] = ("Final",)               # compared case-insensitively
    draft_mark: str = Field("DRAFT", min_length=1)           # a file name carrying this word is a draft
    record_doc_type: str = "review_record"                   # DocumentType column of the review record
    interpretation: str = ""

    def is_final(self, status: object) -> bool:
        return str(status or "").strip().lower() in {v.lower() for v in self.final_values}

    def has_draft_mark(self, name: str) -> bool:
        """The mark as a word of the file name (`..._DRAFT.docx`, `DRAFT - ...`), any case."""
        words = name.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").split()
        return self.draft_mark.lower() in (w.lower() for w in words)

    def complete(self, status: object, name: str) -> bool:
        """Whether a review record with this Status value and file name is the completed record."""
        by_status = self.is_final(status)
        by_name = not self.has_draft_mark(name) and not _is_draft_status(status)
        return {"status_final": by_status, "no_draft_mark": by_name, "either": by_status or by_name}[
            self.complete_when]


def _is_draft_status(status: object) -> bool:
    """A file still marked Draft in the library is not complete, whatever its name."""
    return str(status or "").strip().lower() == "draft"
