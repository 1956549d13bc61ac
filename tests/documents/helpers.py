"""Helpers for the Word documents tests: example contexts, a weekday calendar, text out of a .docx."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "doc_templates" / "examples"


def example(kind: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{kind}.json").read_text(encoding="utf-8"))


def docx_text(blob: bytes) -> str:
    """Every paragraph and table cell (nested too), headers and footers: what a reader sees as text."""
    from docx import Document

    doc = Document(io.BytesIO(blob))
    lines = [p.text for p in doc.paragraphs]

    def tables(ts):
        for t in ts:
            for row in t.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(doc.tables)
    for section in doc.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


class WeekdayCalendar:
    """A fake WorkingCalendar: Monday to Friday, no holidays; the start day is day 0."""

    def add_working_days(self, start: date, n: int) -> date:
        d = start
        while n > 0:
            d += timedelta(days=1)
            if d.weekday() < 5:
                n -= 1
        return d


def edit_template(src: Path, dst: Path, old: str, new: str) -> None:
    """Copy a template, replacing `old` by `new` in its runs (as a council editing it in Word would)."""
    from docx import Document

    doc = Document(str(src))
    found = 0

    def paragraphs(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)

    for paragraph in paragraphs(doc):
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                found += 1
    assert found, f"{old!r} is not in {src.name}"
    doc.save(str(dst))


#: What each kind's document must show, from its example context (doc_templates/examples).
KEY_FIELDS = {
    "review_decisions": ["CLA-100234", "Maya", "2nd review, held on 14 March 2026", "Grace Okafor",
                         "Complete the updated PEP with the school & the virtual school.", "11 April 2026",
                         "within 5 working days", "by 25 March 2026", "Tom Fletcher", "Example Council",
                         "priya.shah@council.example"],
    "child_decisions": ["Dear Maya", "extra help with maths", "11 April 2026", "01632 960101",
                        "advocacy@council.example", "14 September 2026"],
    "review_record": ["Interim care order (s38)", "until I'm grown up", "Long-term fostering",
                      "Arrange life-story work.", "Not done: carried forward", "29 May 2026", "2 December 2025",
                      "priya.shah@council.example", "Latest PEP: 10 February 2026"],
    "resolution_entry": ["RES-2026-031", "10. Education: PEP not up to date", "Stage 1: Team Manager",
                         "<maths support>", "31 March 2026", "Resolution meeting held", "Open: not yet resolved."],
    "midway_oversight": ["IRO midway oversight", "RES-2026-058", "Book the matching panel date", "26 June 2026",
                         "Drift in permanency planning"],
    "consultation_form": ["Dear Maya", "Your review is on 10 September 2026 at 4pm", "3 September 2026",
                          "How do you feel about where you live?"],
    "introduction_letter": ["My promise to you", "Respect you and your family.", "30 December 2025",
                            "01632 960101", "Priya Shah"],
    "link_meeting_agenda": ["North Children in Care Team 2", "RES-2026-031", "Overdue", "CLA-100502",
                            "PEPs are late where the school has changed", "28 April 2026 at 10:00"],
}
