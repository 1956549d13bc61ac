"""doc_templates/record_fields.py: the rest of what the IRO wrote, read back by part and row."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from demo.records import fill_in
from doc_templates.record_fields import decision_id, read_record
from doc_templates.render import render
from rules.errors import InputError

EXAMPLE = json.loads((Path(__file__).parents[2] / "doc_templates/examples/review_record.json").read_text())
REVIEW = date.fromisoformat(EXAMPLE["review_date"])


def _record(**fill) -> bytes:
    from docx import Document

    ctx = {**EXAMPLE, "previous_decisions": [
        {"ref": "1", "decision": "Health assessment", "done": "Done 20/02/2026", "progress": "Seen by the GP"},
        {"ref": "2026-01-10-2", "decision": "Life-story work", "done": "Not done", "progress": "Starts in May"}]}
    doc = Document(io.BytesIO(render("review_record", ctx)))
    fill_in(doc, **fill)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table_edit(blob: bytes, header_first: str, edit) -> bytes:  # type: ignore[no-untyped-def]
    from docx import Document

    doc = Document(io.BytesIO(blob))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == header_first)
    edit(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_everything_is_read_from_a_completed_record() -> None:
    read = read_record(_record(participation="PN2", views=("advocate", "consultation"), concern="Yes",
                               category="4"), REVIEW)
    assert read.problems == []
    assert [(p.ref, p.done, p.done_on, p.update) for p in read.progress] == [
        ("1", True, date(2026, 2, 20), True), ("2026-01-10-2", False, None, True)]
    assert read.attendance == {"child": True, "professional": True, "carer": True}   # the SW came, the teacher not
    assert read.participation == "PN2" and read.views == ["consultation", "advocate"]
    assert read.concern is True and read.concern_category == 4


def test_columns_moved_and_blank_rows_added_are_still_read() -> None:
    def move(table) -> None:  # type: ignore[no-untyped-def]
        for row in table.rows:   # swap "Done?" and "Progress"
            a, b = row.cells[4], row.cells[5]
            a_text, b_text = a.text, b.text
            a.text, b.text = b_text, a_text
        table.add_row()
    blob = _table_edit(_record(), "No.", move)
    read = read_record(blob, REVIEW)
    assert [p.done for p in read.progress] == [True, False] and not read.problems


@pytest.mark.parametrize(("fill", "expected"), [
    ({"participation": ()}, "participation: no participation code is ticked"),
    ({"participation": ("PN1", "PN7")}, "participation: more than one"),
    ({"views": ()}, "views: no way is ticked"),
    ({"concern": "Maybe"}, "concern row 2: answer Yes or No"),
    ({"concern": "Yes", "category": "14"}, "concern row 3: the category is not a number from 1 to 13"),
])
def test_an_unreadable_field_is_a_problem_naming_the_part(fill, expected) -> None:  # type: ignore[no-untyped-def]
    problems = [str(p) for p in read_record(_record(**fill), REVIEW).problems]
    assert any(p.startswith(expected) for p in problems), problems
    assert not any("Maybe" in p for p in problems)


def test_a_tick_that_is_not_a_tick_is_a_problem_by_row() -> None:
    blob = _table_edit(_record(), "Code", lambda t: setattr(t.rows[3].cells[2], "text", "perhaps"))
    assert "participation row 4: mark the code with X, or leave the cell empty" in [
        str(p) for p in read_record(blob, REVIEW).problems]


def test_an_older_template_without_the_new_tables_is_told_once_per_part() -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Previous decision", "Named person", "Progress"), strict=True):
        cell.text = text
    out = io.BytesIO()
    doc.save(out)
    parts = [p.part for p in read_record(out.getvalue(), REVIEW).problems]
    assert parts == ["progress", "attendance", "participation", "views", "concern"]


def test_not_a_word_document() -> None:
    with pytest.raises(InputError):
        read_record(b"%PDF-1.7", REVIEW)


def test_decision_ids_from_a_progress_row() -> None:
    assert decision_id("2", date(2026, 1, 10)) == "2026-01-10-2"
    assert decision_id("2026-01-10-3", None) == "2026-01-10-3"
    assert decision_id("2.", date(2026, 1, 10)) == "2026-01-10-2"
    assert decision_id("two", date(2026, 1, 10)) is None and decision_id("2", None) is None


def test_the_template_prints_no_seed_numbers_and_records_of_the_earlier_template_still_read() -> None:
    """A person reads the record: no "(004 Appendix 3)" or "(000 standard 1)" in it. A record drafted from the
    earlier template, whose questions carried those numbers, is still read."""
    import re

    from docx import Document

    from doc_templates.record_fields import CATEGORY_QUESTION, CONCERN_QUESTION, EARLIER_QUESTIONS

    blob = _record(participation="PN2", views=("advocate",), concern="Yes", category="4")
    doc = Document(io.BytesIO(blob))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert not re.search(r"\b00[0-4]\b|standard \d|Appendix \d", text)

    changed = []

    def earlier(table) -> None:  # type: ignore[no-untyped-def]
        for row in table.rows[1:]:
            cell = row.cells[0]
            for new in (CONCERN_QUESTION, CATEGORY_QUESTION):
                if cell.text == new:
                    cell.text = EARLIER_QUESTIONS[new]
                    changed.append(new)

    old = _table_edit(blob, "Question", earlier)
    assert changed == [CONCERN_QUESTION, CATEGORY_QUESTION]
    read = read_record(old, REVIEW)
    assert read.problems == [] and read.concern is True and read.concern_category == 4
