"""What the IRO wrote stays in the record: a due cell the app cannot read becomes a problem by row and kind,
and none of the cell's words reach a problem's reason, its key, a fact or anything else in the store."""

from __future__ import annotations

import io
import sqlite3
from datetime import date

from tests.app.test_case_folder import REVIEW, TWO, final, record
from tests.app.world import World

SECRET = "when Maya Quill's mum moves to Zennor"


def _with_due_cell(content: bytes, row: int, text: str) -> bytes:
    from docx import Document

    doc = Document(io.BytesIO(content))
    [table] = [t for t in doc.tables if "due by" in [c.text.strip().lower() for c in t.rows[0].cells]]
    column = [c.text.strip().lower() for c in table.rows[0].cells].index("due by")
    table.rows[row].cells[column].text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_an_unreadable_due_cell_is_a_problem_by_row_without_its_words(world: World, tmp_path):
    world.clock.set(date(2026, 2, 5))
    final(world, REVIEW, _with_due_cell(record(REVIEW, TWO), 1, SECRET))
    [problem] = [p for p in world.problems() if "due date" in p.reason]
    assert "row 1" in problem.reason and problem.payload["row"] == 1
    dump = "\n".join(sqlite3.connect(tmp_path / "iro.sqlite").iterdump()).lower()
    for word in ("maya", "quill", "zennor", "mum moves"):
        assert word not in problem.reason.lower() and word not in dump, word
