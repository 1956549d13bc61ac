"""Read the rest of what the IRO wrote in a completed review record (python-docx), beside readback.py's
decisions: progress on previous decisions, who attended, the child's participation (SSDA903 PN0-PN7), how
the child's views were given, and whether the IRO has a concern for the team manager (004 Appendix 3).

    read_record(docx_bytes, review_date) -> RecordRead(.progress, .attendance, .participation, .views,
                                                       .concern, .concern_category, .problems)

Each part is found by its table's header words (doc_templates/build.py writes them; an IRO may move columns
or add rows). What cannot be read is a `FieldProblem` naming the part and, for a table, the row (header =
row 1) and what to do; it never carries the text of the cell, since a record is about a child. A part that
is missing from the document altogether (an older template) is reported once, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from doc_templates.readback import _cell_text, _norm, _open, _tables
from doc_templates.timescale import UnreadableTimescale, resolve_due
from rules.participation import PARTICIPATION

PROGRESS_HEADERS = {"ref": {"no", "ref", "number", "decision no"}, "decision": {"previous decision"},
                    "done": {"done", "done?", "done or not done", "carried out"}, "update": {"progress", "update"}}
ATTENDANCE_HEADERS = {"role": {"role", "relationship"}, "attendance": {"attendance", "attended"}}
PARTICIPATION_HEADERS = {"code": {"code", "ssda903 code"}, "tick": {"tick one", "tick", "ticked"}}
VIEWS_HEADERS = {"how": {"how the views were given", "how"}, "tick": {"tick all that apply", "tick"}}
CONCERN_HEADERS = {"question": {"question"}, "answer": {"answer", "yes or no"}}

#: role words -> the attendee group the SSDA903 and standard 1 care about (anyone else is "professional")
ROLE_GROUPS = {   # first match wins: "Child's advocate" is an advocate, "Child's mother" a parent
    "advocate": ("advocate",),
    "carer": ("carer", "foster", "kinship", "connected person", "key worker", "residential", "guardian"),
    "parent": ("mother", "father", "parent", "mum", "dad", "step", "birth"),
    "child": ("child", "young person", "the young person"),
}
ABSENT = ("did not", "not attend", "apolog", "absent", "declined", "unable", "report only", "sent a report", "no")
PRESENT = ("attend", "present", "joined", "in person", "yes", "part of", "by phone", "online", "teams")
TICKS = {"x", "yes", "y", "tick", "ticked", "✓", "✔", "☒", "■"}
NOT_TICKED = {"", "-", "no", "n", "☐"}
#: how the child's views reached the review: key -> the row label in the template (build.py)
VIEWS = {
    "in_meeting": "Spoke in the meeting",
    "met_iro": "Met the IRO before the review",
    "consultation": "Consultation form or booklet",
    "advocate": "Through an advocate",
    "through_others": "Through a parent, carer or worker",
    "message": "Written, drawn or recorded message",
    "not_known": "The child's views are not known",
}
# The questions as the template prints them: plain words, no seed numbers (a person reads them). Records
# drafted from an earlier template printed the seed numbers; they are still read (EARLIER_QUESTIONS).
CONCERN_QUESTION = "Concern about the care plan to discuss with the team manager"
CATEGORY_QUESTION = "If yes, its category (1 to 13) in the council's dispute resolution procedure"
EARLIER_QUESTIONS = {CONCERN_QUESTION: "Concern about the care plan to discuss with the team manager (004 Appendix 3)",
                     CATEGORY_QUESTION: "If yes, the 004 Appendix 1 category (1 to 13)"}
_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_DECISION_ID = re.compile(r"^\d{4}-\d{2}-\d{2}-\d+$")


@dataclass(frozen=True)
class FieldProblem:
    part: str           # "progress", "attendance", "participation", "views", "concern"
    reason: str         # what is wrong and what to do; never the cell's text
    row: int = 0        # the table row (header = 1); 0 for the part as a whole

    def __str__(self) -> str:
        return f"{self.part}{f' row {self.row}' if self.row else ''}: {self.reason}"


@dataclass(frozen=True)
class Progress:
    row: int
    ref: str            # as written: a decision id (2026-03-14-2) or the decision's number at the last review
    done: bool
    done_on: date | None  # a date written in the Done cell, else None (done by the review)
    update: bool        # whether an update was written


@dataclass
class RecordRead:
    progress: list[Progress] = field(default_factory=list)
    attendance: dict[str, bool] = field(default_factory=dict)   # group -> attended (any of that group)
    participation: str | None = None                             # PN0..PN7
    views: list[str] = field(default_factory=list)               # VIEWS keys
    concern: bool | None = None
    concern_category: int | None = None
    problems: list[FieldProblem] = field(default_factory=list)


def read_record(docx: bytes, review_date: date) -> RecordRead:
    """Everything but the decisions (readback.read_decisions). Raises InputError when the file is not a .docx."""
    rows_by_part = _find_tables(_open(docx))
    read = RecordRead()
    for part, reader in (("progress", _progress), ("attendance", _attendance), ("participation", _participation),
                         ("views", _views), ("concern", _concern)):
        found = rows_by_part.get(part)
        if found is None and part == "progress" and not rows_by_part.get("old progress"):
            continue   # no previous decisions (a first review): the template prints a sentence instead
        if found is None:
            read.problems.append(FieldProblem(part, f"the record has no {part} table with the current columns: "
                                                    "use the council's current review record template"))
            continue
        reader(found[0], found[1], read, review_date)
    return read


def _find_tables(document) -> dict[str, tuple[list[list[str]], dict[str, int]]]:
    wanted = {"progress": (PROGRESS_HEADERS, {"decision", "done"}),
              "attendance": (ATTENDANCE_HEADERS, {"role", "attendance"}),
              "participation": (PARTICIPATION_HEADERS, {"code", "tick"}),
              "views": (VIEWS_HEADERS, {"how", "tick"}),
              "concern": (CONCERN_HEADERS, {"question", "answer"})}
    found: dict[str, tuple[list[list[str]], dict[str, int]]] = {}
    for table in _tables(document.tables):
        rows = [[_cell_text(c) for c in row.cells] for row in table.rows]
        if not rows:
            continue
        header = [_norm(c) for c in rows[0]]
        if "previous decision" in header:
            found.setdefault("old progress", (rows, {}))   # a progress table, perhaps without No. or Done?
        for part, (names, required) in wanted.items():
            columns = {col: i for col, options in names.items()
                       for i, text in enumerate(header) if text in {_norm(o) for o in options}}
            if part not in found and required <= columns.keys():
                found[part] = (rows, columns)
    return found


def _data_rows(rows: list[list[str]]):
    header = [_norm(c) for c in rows[0]]
    for number, cells in enumerate(rows[1:], start=2):
        if any(cells) and [_norm(c) for c in cells] != header:
            yield number, cells


def _get(cells: list[str], columns: dict[str, int], column: str) -> str:
    index = columns.get(column)
    return cells[index] if index is not None and index < len(cells) else ""


def _progress(rows, columns, read: RecordRead, review_date: date) -> None:
    for number, cells in _data_rows(rows):
        ref, done_text, update = (_get(cells, columns, c).strip() for c in ("ref", "done", "update"))
        if not ref:
            read.problems.append(FieldProblem("progress", "no decision number: write the decision's No. from the "
                                                          "previous record, or its id", number))
            continue
        done = _done(done_text)
        if done is None:
            read.problems.append(FieldProblem("progress", "the Done? cell says neither Done nor Not done", number))
            continue
        if not done and not update:
            read.problems.append(FieldProblem("progress", "not done, but no update on what is happening: write the "
                                                          "progress and the new timescale", number))
        read.progress.append(Progress(number, ref, done, _date_in(done_text, review_date) if done else None,
                                      bool(update)))


def _done(text: str) -> bool | None:
    words = _norm(text)
    if not words:
        return None
    if words.startswith(("not done", "no", "not yet", "partly", "partially", "in progress", "ongoing", "started",
                         "carried forward")):
        return False
    if words.startswith(("done", "yes", "completed", "complete", "achieved", "met")):
        return True
    return None


def _date_in(text: str, review_date: date) -> date | None:
    found = _DATE.search(text)
    if found is None:
        return None
    try:
        on = resolve_due(found[0], review_date)
    except UnreadableTimescale:
        return None
    return on if on <= review_date else None   # "done" after the review it is recorded at cannot be right


def _attendance(rows, columns, read: RecordRead, review_date: date) -> None:
    for number, cells in _data_rows(rows):
        role, attendance = _norm(_get(cells, columns, "role")), _norm(_get(cells, columns, "attendance"))
        if not role:
            read.problems.append(FieldProblem("attendance", "no role: say whether this is the child, a parent, a "
                                                            "carer, an advocate or which professional", number))
            continue
        attended = _attended(attendance)
        if attended is None:
            read.problems.append(FieldProblem("attendance", "the Attendance cell does not say whether they attended "
                                                            "(attended, joined on Teams, sent apologies, ...)", number))
            continue
        group = next((g for g, words in ROLE_GROUPS.items() if any(w in role for w in words)), "professional")
        read.attendance[group] = read.attendance.get(group, False) or attended


def _attended(text: str) -> bool | None:
    if not text:
        return None
    words = f" {text} "
    if any(f" {a}" in words for a in ABSENT):
        return False
    if any(p in text for p in PRESENT):
        return True
    return None


def _ticked(text: str) -> bool | None:
    value = _norm(text) or text.strip()
    if value in NOT_TICKED:
        return False
    return True if value in TICKS else None


def _participation(rows, columns, read: RecordRead, review_date: date) -> None:
    ticked: list[str] = []
    for number, cells in _data_rows(rows):
        mark = _ticked(_get(cells, columns, "tick"))
        code = _get(cells, columns, "code").strip().upper()
        if mark is None:
            read.problems.append(FieldProblem("participation", "mark the code with X, or leave the cell empty", number))
        elif mark and code not in PARTICIPATION:
            read.problems.append(FieldProblem("participation", "the ticked row has no SSDA903 code PN0 to PN7", number))
        elif mark:
            ticked.append(code)
    if len(ticked) == 1:
        read.participation = ticked[0]
    elif not ticked:
        read.problems.append(FieldProblem("participation", "no participation code is ticked: tick the one SSDA903 "
                                                           "code (PN0 to PN7) that says how the child took part"))
    else:
        read.problems.append(FieldProblem("participation", "more than one participation code is ticked: the SSDA903 "
                                                           "return takes one; keep the one that fits best"))


def _views(rows, columns, read: RecordRead, review_date: date) -> None:
    labels = {_norm(label): key for key, label in VIEWS.items()}
    for number, cells in _data_rows(rows):
        mark = _ticked(_get(cells, columns, "tick"))
        if mark is None:
            read.problems.append(FieldProblem("views", "mark the way with X, or leave the cell empty", number))
        elif mark and _norm(_get(cells, columns, "how")) not in labels:
            read.problems.append(FieldProblem("views", "a ticked row the template does not have: tick one of the "
                                                       "template's rows and say more in the child's views", number))
        elif mark:
            read.views.append(labels[_norm(_get(cells, columns, "how"))])
    if not read.views and not any(p.part == "views" for p in read.problems):
        read.problems.append(FieldProblem("views", "no way is ticked: tick how the child's views were given "
                                                   "(000 standard 1), or that they are not known"))


def _concern(rows, columns, read: RecordRead, review_date: date) -> None:
    answers = {_norm(_get(cells, columns, "question")): (number, _norm(_get(cells, columns, "answer")))
               for number, cells in _data_rows(rows)}
    number, answer = _answer(answers, CONCERN_QUESTION)
    if not number:
        read.problems.append(FieldProblem("concern", "the concern question is missing from its table: use the "
                                                     "council's current template"))
        return
    if answer.startswith("yes") or answer == "y":
        read.concern = True
    elif answer.startswith("no") or answer == "n":
        read.concern = False
    else:
        read.problems.append(FieldProblem("concern", "answer Yes or No: a concern starts the informal resolution "
                                                     "clock (004 Appendix 3)", number))
        return
    cat_row, category = _answer(answers, CATEGORY_QUESTION)
    if read.concern and category:
        if category.isdigit() and 1 <= int(category) <= 13:
            read.concern_category = int(category)
        else:
            read.problems.append(FieldProblem("concern", "the category is not a number from 1 to 13 (004 "
                                                         "Appendix 1)", cat_row))


def _answer(answers: dict, question: str) -> tuple[int, str]:
    """(row number, answer) of a question as this template or the earlier one printed it; (0, "") if absent."""
    return answers.get(_norm(question)) or answers.get(_norm(EARLIER_QUESTIONS[question]), (0, ""))


def decision_id(ref: str, previous_review: date | None) -> str | None:
    """The recorded decision a progress row means: an id as written, or the number at the previous review."""
    ref = ref.strip().rstrip(".")
    if _DECISION_ID.match(ref):
        return ref
    if ref.isdigit() and previous_review is not None:
        return f"{previous_review.isoformat()}-{int(ref)}"
    return None
