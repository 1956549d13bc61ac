"""Read the decisions table of a completed review record back into decision facts (python-docx).

    read_decisions(docx_bytes, review_date, calendar=None) -> DecisionsRead(.decisions, .problems)
    still_a_draft(docx_bytes) -> bool      the document still shows a draft's DRAFT marks

The decisions table is the first table (nested tables included) whose header row names a decision
column, a named-person column and a due column, in any order and among other columns, and no progress
column (that is the table of progress on previous decisions): IROs edit the
record in Word, so columns get moved, rows added and left blank. Each data row becomes a rules.model
Decision with its due date resolved (doc_templates.timescale). Per 000 standard 5 a decision needs a
named person and a timescale: a row without them, or with a due cell that cannot be read, is still
returned as a Decision (with None where it is missing) AND reported as a RowProblem with its row number,
so nothing the IRO wrote is dropped. A cell that still begins with DRAFT (doc_templates.DRAFT_MARK: a draft's
placeholder) counts as not written; a row that is all placeholder, or empty, is a problem and not a decision;
a table with no decision at all is a problem (row 0: the table). A repeated header row (a table split across
pages) is skipped; a row merged across the table is reported, since it may hide a decision.

Row numbers are as the person sees the table: row 1 is the first row under the header.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from doc_templates import DRAFT_MARK
from doc_templates.timescale import UnreadableTimescale, WorkingDays, resolve_due
from rules.errors import InputError
from rules.model import Decision

HEADERS = {  # normalised header text -> column; the bundled templates use the first of each
    "text": {"decision", "decisions", "action", "actions", "what was decided", "what we decided",
             "decision action", "agreed action"},
    "person": {"named person", "person responsible", "responsible person", "responsible", "who",
               "who will do it", "by whom", "lead", "lead person", "owner"},
    "due": {"due by", "due", "due date", "by when", "timescale", "when", "deadline", "target date",
            "date due", "timescale due by"},
    "ref": {"no", "number", "ref", "reference", "id", "item"},
}
#: a table with one of these columns tracks earlier decisions (progress on previous decisions): not this one
PROGRESS = {"progress", "update", "status", "outcome", "done", "progress update"}
STANDARD_5 = "000 standard 5: every decision needs a named person and a timescale"


@dataclass(frozen=True)
class RowProblem:
    row: int            # the row in the decisions table: 1 = the first under the header; 0 = the whole table
    reason: str
    text: str           # the decision cell as given ("" if empty)
    due_text: str = ""  # the due cell as given

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}" if self.row else f"the decisions table: {self.reason}"


@dataclass(frozen=True)
class DecisionsRead:
    decisions: list[Decision] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "decisions": [
                {"decision_id": d.decision_id, "text": d.text, "named_person": d.named_person,
                 "due": d.due.isoformat() if d.due else None, "timescale": d.timescale}
                for d in self.decisions
            ],
            "problems": [{"row": p.row, "reason": p.reason, "text": p.text, "due_text": p.due_text}
                         for p in self.problems],
        }


def read_decisions(docx: bytes, review_date: date, calendar: WorkingDays | None = None,
                   next_review: date | None = None) -> DecisionsRead:
    """The decisions in a completed review record. Raises InputError when the file is not a .docx or has
    no decisions table; everything wrong inside the table is a RowProblem instead. `next_review` (when the
    next review is due) lets "by the next review" resolve to a date."""
    document = _open(docx)
    for table in _tables(document.tables):
        rows = [[_cell_text(c) for c in row.cells] for row in table.rows]
        if rows and (columns := _columns(rows[0])):
            return _read_rows(rows, columns, review_date, calendar, next_review)
    raise InputError("no decisions table found in the document",
                     "the record needs a table with the columns Decision, Named person and Due by")


def still_a_draft(docx: bytes) -> bool:
    """True when the document still carries a draft's marks: a header line, title or paragraph that begins
    with DRAFT (doc_templates.build puts them there; the person deletes them when the document is complete)."""
    document = _open(docx)
    headers = [p for section in document.sections for p in section.header.paragraphs]
    return any(_placeholder(p.text) for p in [*headers, *document.paragraphs] if p.text.strip())


def find_review_date(docx: bytes) -> date | None:
    """The review date written in the record ("Review date" beside a date), if there is one."""
    document = _open(docx)
    for table in _tables(document.tables):
        for row in table.rows:
            cells = [_cell_text(c) for c in row.cells]
            for label, value in zip(cells, cells[1:], strict=False):
                if _norm(label) in {"review date", "date of review", "date of the review"}:
                    try:
                        return resolve_due(value, date(2000, 1, 1))
                    except UnreadableTimescale:
                        return None
    return None


def _open(docx: bytes):
    from docx import Document
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        return Document(io.BytesIO(docx))
    # not a zip, a zip that is not a Word package, or a package whose XML is broken (a save cut short)
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, LxmlError) as exc:
        raise InputError(f"not a Word document (.docx): {type(exc).__name__}",
                         "save the record as a .docx (Word Document) and try again") from None


def _tables(tables) -> Iterator:
    for table in tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from _tables(cell.tables)


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def _columns(header: list[str]) -> dict[str, int] | None:
    """Which cell index holds each column, or None when this is not a decisions table."""
    found: dict[str, int] = {}
    if any(_norm(text) in PROGRESS for text in header):
        return None
    for index, text in enumerate(header):
        name = _norm(text)
        for column, names in HEADERS.items():
            if name in names and column not in found:
                found[column] = index
                break
    return found if {"text", "person", "due"} <= found.keys() else None


def _read_rows(rows: list[list[str]], columns: dict[str, int], review_date: date,
               calendar: WorkingDays | None, next_review: date | None = None) -> DecisionsRead:
    header = [_norm(c) for c in rows[0]]
    read = DecisionsRead()
    for number, cells in enumerate(rows[1:], start=1):
        def get(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        text, person, due_text = get("text"), get("person"), get("due")
        if [_norm(c) for c in cells] == header:
            continue  # the header repeated where the table crosses a page
        if not (text or person or due_text):  # the ref column alone does not make a decision
            read.problems.append(RowProblem(number, "the row is empty: write a decision in it (with a named "
                                            "person and a date), or delete the row", ""))
            continue
        if all(_placeholder(c) for c in (text, person, due_text) if c):
            read.problems.append(RowProblem(number, "the row is still the draft's placeholder: write the decision, "
                                            "its named person and its date over it, or delete the row", "", ""))
            continue
        if len(set(cells)) == 1 and len(cells) > 1:
            read.problems.append(RowProblem(number, "the row is merged across the table: not read as a "
                                            "decision; if it is one, split it into the table's columns", text))
            continue
        read.decisions.append(_decision(number, get("ref"), text, person, due_text, review_date, calendar, read,
                                        next_review))
    if not read.decisions:
        read.problems.append(RowProblem(0, f"no decisions are written in it ({STANDARD_5})", ""))
    return read


def _placeholder(cell: str) -> bool:
    """A cell a draft filled in for the person to replace (it begins with DRAFT)."""
    return cell.lstrip().upper().startswith(DRAFT_MARK)


def _decision(number: int, ref: str, text: str, person: str, due_text: str, review_date: date,
              calendar: WorkingDays | None, read: DecisionsRead, next_review: date | None = None) -> Decision:
    def problem(reason: str) -> None:
        read.problems.append(RowProblem(number, reason, text, due_text))

    drafted = {what for what, cell in (("text", text), ("person", person), ("due", due_text)) if _placeholder(cell)}
    text, person, due_text = ("" if _placeholder(c) else c for c in (text, person, due_text))
    still = "is still the draft's placeholder: write it over the DRAFT text"
    if not text:
        problem(f"the decision {still}" if "text" in drafted else "no decision text")
    if not person:
        problem(f"the named person {still}" if "person" in drafted else f"no named person ({STANDARD_5})")
    due = None
    if not due_text:
        problem(f"the due date {still}" if "due" in drafted else f"no timescale ({STANDARD_5})")
    else:
        try:
            due = resolve_due(due_text, review_date, calendar, next_review)
        except UnreadableTimescale as exc:   # its reason quotes the cell: the reason here names the kind only
            problem(f"the due date cannot be read as a date or a timescale; {exc.what_to_do}")
    if due is not None and due < review_date:
        problem(f"the due date {due.isoformat()} is before the review ({review_date.isoformat()})")
    return Decision(text=text, named_person=person or None, due=due, timescale=due_text or None,
                    decision_id=ref)
