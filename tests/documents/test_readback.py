"""Reading the decisions table of a completed review record back (000 standard 5)."""

from __future__ import annotations

import io
import string
from datetime import date, timedelta

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doc_templates.readback import find_review_date, read_decisions
from doc_templates.render import render
from rules.errors import InputError
from rules.model import Decision
from tests.documents.helpers import WeekdayCalendar, example

REVIEW = date(2026, 3, 14)


def record(header: list[str], rows: list[list[str]], *, before: int = 0, merge_row: int | None = None) -> bytes:
    """A review record as an IRO might leave it: `before` other tables first, then the decisions table."""
    doc = Document()
    doc.add_paragraph("Record of the looked after review")
    for _ in range(before):
        other = doc.add_table(rows=2, cols=2)
        other.cell(0, 0).text, other.cell(0, 1).text = "Review date", "14 March 2026"
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row, texts in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    if merge_row is not None:
        cells = table.rows[merge_row].cells
        cells[0].merge(cells[-1]).text = "Decisions carried forward from the last review"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def facts(read) -> list[tuple]:
    return [(d.decision_id, d.text, d.named_person, d.due) for d in read.decisions]


def test_a_rendered_review_record_reads_back_to_the_same_decisions() -> None:
    context = example("review_record")
    read = read_decisions(render("review_record", context), REVIEW)
    assert read.problems == []
    assert facts(read) == [(d["ref"], d["text"], d["named_person"], date.fromisoformat(d["due_by"]))
                           for d in context["decisions"]]


def test_the_decisions_letter_reads_back_too() -> None:
    read = read_decisions(render("review_decisions", example("review_decisions")), REVIEW)
    assert [d.due for d in read.decisions] == [date(2026, 4, 11), date(2026, 3, 28), date(2026, 5, 29)]


_text = st.text(string.ascii_letters + string.digits + " &<>'\".,()-/", min_size=1, max_size=60).map(str.strip)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_text.filter(bool), _text.filter(bool), st.integers(0, 400)), min_size=1, max_size=8))
def test_any_decisions_round_trip(rows) -> None:
    decisions = [{"ref": str(i), "text": t, "named_person": p, "due_by": (REVIEW + timedelta(days=n)).isoformat()}
                 for i, (t, p, n) in enumerate(rows, start=1)]
    read = read_decisions(render("review_record", example("review_record") | {"decisions": decisions}), REVIEW)
    assert read.problems == []
    assert facts(read) == [(d["ref"], d["text"], d["named_person"], date.fromisoformat(d["due_by"]))
                           for d in decisions]


def test_reordered_and_extra_columns_and_repeated_headers_are_tolerated_empty_rows_reported() -> None:
    header = ["Due by", "Notes", "Named person", "No.", "Decision"]
    blob = record(header, [
        ["within 4 weeks", "agreed by all", "Grace Okafor", "1", "Update the PEP."],
        ["", "", "", "", ""],
        ["", "", "", "2", ""],            # a numbered row nobody filled in
        header,                           # the header repeated on the next page
        ["by 31/03/2026", "", "Ann Hughes", "3", "Book the health assessment."],
        ["  ", "\n", "", "", ""],
    ], before=2)
    read = read_decisions(blob, REVIEW)
    # rows as the IRO counts them under the header: 2, 3 and 6 are empty (a number alone is no decision)
    assert [(p.row, "empty" in p.reason) for p in read.problems] == [(2, True), (3, True), (6, True)]
    assert facts(read) == [("1", "Update the PEP.", "Grace Okafor", date(2026, 4, 11)),
                           ("3", "Book the health assessment.", "Ann Hughes", date(2026, 3, 31))]
    assert read.decisions[0].timescale == "within 4 weeks"


def test_other_header_words_are_understood() -> None:
    blob = record(["Action", "Who", "By when"], [["Visit Maya.", "Grace Okafor", "2 weeks"]])
    assert facts(read_decisions(blob, REVIEW)) == [("", "Visit Maya.", "Grace Okafor", date(2026, 3, 28))]


def test_defects_are_reported_by_row_and_never_dropped() -> None:
    blob = record(["Decision", "Named person", "Due by"], [
        ["Update the PEP.", "", "within 4 weeks"],            # row 1: no named person
        ["Book the dental check.", "Ann Hughes", ""],          # row 2: no timescale
        ["Life-story work.", "Grace Okafor", "ongoing"],       # row 3: not a timescale
        ["Panel date.", "Tom Fletcher", "31/02/2026"],         # row 4: no such date
        ["", "Tom Fletcher", "2 weeks"],                       # row 5: no decision text
        ["Late already.", "Grace Okafor", "1/3/2026"],         # row 6: before the review
        ["Fine.", "Grace Okafor", "within 10 working days"],   # row 7: needs the calendar (given)
    ])
    read = read_decisions(blob, REVIEW, calendar=WeekdayCalendar())
    assert len(read.decisions) == 7
    by_row = {p.row: p for p in read.problems}
    assert sorted(by_row) == [1, 2, 3, 4, 5, 6]
    assert "named person" in by_row[1].reason and by_row[1].text == "Update the PEP."
    assert "no timescale" in by_row[2].reason
    # the cell's words are kept in due_text for the IRO's own view, never in the reason (it reaches problems)
    assert "cannot be read as a date" in by_row[3].reason and by_row[3].due_text == "ongoing"
    assert "ongoing" not in by_row[3].reason
    assert "cannot be read as a date" in by_row[4].reason and "31/02" not in by_row[4].reason
    assert "no decision text" in by_row[5].reason
    assert "before the review" in by_row[6].reason
    assert read.decisions[0] == Decision("Update the PEP.", None, date(2026, 4, 11), "within 4 weeks", "")
    assert read.decisions[2].due is None and read.decisions[2].timescale == "ongoing"
    assert read.decisions[6].due == date(2026, 3, 27)


def test_a_row_merged_across_the_table_is_reported_not_read() -> None:
    blob = record(["Decision", "Named person", "Due by"],
                  [["Update the PEP.", "Grace Okafor", "2 weeks"], ["", "", ""]], merge_row=2)
    read = read_decisions(blob, REVIEW)
    assert len(read.decisions) == 1
    (problem,) = read.problems
    assert problem.row == 2 and "merged" in problem.reason


def test_progress_on_previous_decisions_is_not_taken_for_the_decisions() -> None:
    blob = record(["Decision", "Named person", "Due by", "Progress"], [["Old.", "Grace Okafor", "1/1/2026", "Done"]])
    with pytest.raises(InputError, match="no decisions table"):
        read_decisions(blob, REVIEW)


def test_a_file_that_is_not_a_docx_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a Word document"):
        read_decisions(b"%PDF-1.7 not a docx", REVIEW)


def test_the_review_date_is_found_in_the_record() -> None:
    assert find_review_date(render("review_record", example("review_record"))) == REVIEW
    assert find_review_date(record(["Decision", "Named person", "Due by"], [])) is None


def test_a_drafts_placeholder_row_and_placeholder_cells_are_problems_not_decisions() -> None:
    blob = record(["No.", "Decision", "Named person", "Due by"], [
        ["1", "DRAFT: write each decision here", "DRAFT: named person", "DRAFT: date"],  # untouched
        ["2", "Book the dental check.", "DRAFT: named person", "2 weeks"],              # one cell left
    ])
    read = read_decisions(blob, REVIEW)
    assert [(p.row, "placeholder" in p.reason) for p in read.problems] == [(1, True), (2, True)]
    assert "named person" in read.problems[1].reason
    assert facts(read) == [("2", "Book the dental check.", None, date(2026, 3, 28))]


def test_a_table_with_no_decision_is_a_problem() -> None:
    read = read_decisions(record(["Decision", "Named person", "Due by"], []), REVIEW)
    assert read.decisions == [] and [p.row for p in read.problems] == [0]
    assert str(read.problems[0]).startswith("the decisions table: no decisions")


def test_a_document_still_showing_its_draft_marks_is_known_as_a_draft() -> None:
    from doc_templates.readback import still_a_draft

    context = example("review_record")
    assert not still_a_draft(render("review_record", context))
    assert still_a_draft(render("review_record", context | {"draft": True}))
