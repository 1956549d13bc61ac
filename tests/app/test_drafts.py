"""Drafts that are true (issue 11 item 4): every drafted document says DRAFT (title, every page, file name) and
holds only what is known: the next review's due date, earlier decisions in their words with their named
persons, who was invited (not who attended), the IRO's contact details, the dispute date the TM's card shows."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

from doc_templates.readback import read_decisions
from doc_templates.render import final_name
from graph_clients.ports import CalendarEvent
from graph_clients.teams.layout import fmt
from rules.model import FactKind, Person
from tests.app.world import CASE, IRO, SW, TM, World
from tests.documents.helpers import docx_text

FIRST = datetime(2026, 1, 28, 10, tzinfo=UTC)   # the first review, on time (due 2 February)
PARENT = "parent.x@example.org"                   # invited, not on the roster


def _read(world: World, name: str) -> bytes:
    return world.svc.folders.read(CASE, name)


def _named(world: World, fragment: str) -> str:
    [name] = [n for n in world.documents() if fragment in n]
    return name


def _book(world: World, event_id: str, start: datetime, attendees: tuple[str, ...] = ()) -> None:
    world.svc.outlook.put_event(CalendarEvent(event_id, IRO, f"CLA review {CASE}", start, start + timedelta(hours=1),
                                              change_key="c1", attendees=attendees))
    world.notify(f"Users/{IRO}/Events/{event_id}")


def _header(blob: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for s in Document(io.BytesIO(blob)).sections for p in s.header.paragraphs)


def test_the_record_drafted_at_booking_is_marked_and_holds_only_what_is_known(world: World):
    world.svc.store.upsert_person(Person(IRO, "Ada Iro", "iro", phone="01632 960123"))
    _book(world, "evt-1", FIRST, attendees=(SW, TM, PARENT))
    name = _named(world, "review-record")
    assert name == f"{CASE}_review-record_2026-01-28_DRAFT.docx" and final_name(name).endswith("2026-01-28.docx")
    blob = _read(world, name)
    text = docx_text(blob)
    assert "DRAFT" in _header(blob)
    assert "DRAFT: Record of the looked after review" in text
    # the second review is due 3 months after the first is held (policy second_review), if held on the day
    assert re.search(r"Next review by\s+28 April 2026", text)
    # who was invited, from the Outlook event: nobody is said to have attended
    assert "\nattended\n" not in text and "Who was invited" in text and "Who attended" not in text
    assert text.count("Invited (DRAFT") == 3 and PARENT in text and "Chair" in text
    assert "on 28 January 2026." not in text and "on DRAFT: the date you complete it" in text
    assert "01632 960123" in text and "iro.a@council.example" in text
    assert "This is the first review" in text


def test_the_decisions_letter_and_childs_version_are_drafts_whose_dispute_date_is_the_cards(world: World):
    _book(world, "evt-1", FIRST)
    world.sweep(date(2026, 1, 29))                 # the morning after: held, so the letters are drafted
    letter = _named(world, "review-decisions")
    child = _named(world, "child-decisions")
    assert letter.endswith("_DRAFT.docx") and child.endswith("_DRAFT.docx")
    text, child_text = docx_text(_read(world, letter)), docx_text(_read(world, child))
    assert "DRAFT: Review decisions" in text and "DRAFT: What we decided at your review" in child_text
    # the placeholder rows say what they are, carry no date, and are not decisions when read back
    assert "DRAFT: write each decision here" in text and "DRAFT: each decision in words" in child_text
    assert "28 January 2026\n" not in text.split("Decisions")[-1].split("If you")[0]
    assert "The next review will be held by 28 April 2026" in text and "28 April 2026" in child_text
    # the IRO sends the decisions the day the letter is dated: the TM's card gives the letter's dispute date
    [by] = re.findall(r"that is by (\d+ \w+ \d{4})", text)
    world.channels("decisions_issued", tm="card")  # the default policy makes it a digest line (same date)
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28", on=datetime(2026, 1, 29, 11, tzinfo=UTC))
    [card] = [c for r, c in world.teams.posted if r.person == TM and "dispute by" in str(c)]
    assert fmt(datetime.strptime(by, "%d %B %Y").date()) in str(card)


def test_a_later_draft_carries_earlier_decisions_in_their_words_with_their_named_persons(world: World):
    _book(world, "evt-1", FIRST)
    draft = _named(world, "review-record")
    completed = _complete(_read(world, draft), [("Arrange the health assessment", "Ben Worker", "within 4 weeks"),
                                                ("Hold the PEP meeting", "Cara Manager", "by 13/03/2026")])
    world.svc.folders.save(_meta(), final_name(draft), completed)
    world.clock.set(date(2026, 2, 10))
    world.email(IRO, f"Record complete {CASE} review 2026-01-28")
    assert len(world.facts(FactKind.DECISION_RECORDED)) == 2
    world.svc.store.record(_done("2026-01-28-1", date(2026, 2, 20)))
    world.clock.set(date(2026, 4, 1))
    _book(world, "evt-2", datetime(2026, 4, 20, 10, tzinfo=UTC))
    text = docx_text(_read(world, _named(world, "review-record_2026-04-20")))
    assert "Arrange the health assessment\nBen Worker" in text and "Recorded as done on 20 February 2026" in text
    # the progress table's No. (the decision's id) and Done? columns are read back (doc_templates/record_fields.py)
    assert "2026-01-28-2\nHold the PEP meeting\nCara Manager\n13 March 2026\n\nNot recorded as done" in text
    assert "25 February 2026\nDone\nRecorded as done on 20 February 2026" in text
    assert "2nd review" in text and "Decision 2026-01-28" not in text
    # the next review after a second one is due 6 months later (policy later_review)
    assert re.search(r"Next review by\s+20 October 2026", text)


def test_a_draft_record_read_back_as_it_is_is_refused(world: World):
    _book(world, "evt-1", FIRST)
    read = read_decisions(_read(world, _named(world, "review-record")), date(2026, 1, 28))
    assert read.problems and read.problems[0].row == 1
    assert "draft" in read.problems[0].reason.lower()


def _meta():
    from graph_clients.ports import DocumentMeta

    return DocumentMeta(CASE, "review_record", date(2026, 1, 28), "final")


def _done(decision_id: str, on: date):
    from rules.model import Fact

    return Fact(FactKind.DECISION_DONE, CASE, on, f"done:{decision_id}", {"decision_id": decision_id})


def _complete(blob: bytes, rows: list[tuple[str, str, str]]) -> bytes:
    """What the IRO does in Word: write the decisions over the placeholder row (adding rows)."""
    from docx import Document

    doc = Document(io.BytesIO(blob))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Due by")
    for n, (text, person, due) in enumerate(rows, start=1):
        cells = table.rows[n].cells if n < len(table.rows) else table.add_row().cells
        for cell, value in zip(cells, (str(n), text, person, due), strict=True):
            cell.text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _recorded_first_review(world: World) -> None:
    _book(world, "evt-1", FIRST)
    draft = _named(world, "review-record")
    completed = _complete(_read(world, draft), [("Arrange the health assessment", "Ben Worker", "within 4 weeks")])
    world.svc.folders.save(_meta(), final_name(draft), completed)
    world.clock.set(date(2026, 2, 10))
    world.email(IRO, f"Record complete {CASE} review 2026-01-28")


def test_the_link_meeting_agenda_is_a_draft_with_the_last_meeting_on_record_and_decisions_in_words(world: World):
    from function_app import drafts
    from rules.model import Fact

    _recorded_first_review(world)                  # due 25 February, never done: overdue in March
    team = world.svc.store.team("T1")
    world.clock.set(date(2026, 3, 2))
    first = drafts.link_meeting_agenda(world.svc, team, datetime(2026, 3, 10, 10, tzinfo=UTC))
    assert first["name"].endswith("_DRAFT.docx")
    text = docx_text(world.svc.folders.read("T1", first["name"]))
    assert "none recorded" not in text and re.search(r"Last link meeting\n\n", text)  # nothing known: nothing said
    assert "Arrange the health assessment\nBen Worker" in text and "Decision 2026-01-28" not in text
    world.svc.store.record(Fact(FactKind.LINK_MEETING_HELD, "T1", date(2026, 1, 12), "link:T1:1", {}))
    world.clock.set(date(2026, 3, 3))
    later = drafts.link_meeting_agenda(world.svc, team, datetime(2026, 3, 11, 10, tzinfo=UTC))
    assert "Last link meeting\n12 January 2026" in docx_text(world.svc.folders.read("T1", later["name"]))


def test_the_midway_draft_asserts_no_concerns_and_gives_the_next_review(world: World):
    from function_app import drafts

    _recorded_first_review(world)
    world.clock.set(date(2026, 3, 13))
    made = drafts.midway_oversight(world.svc, CASE, date(2026, 1, 28), date(2026, 3, 13))
    text = docx_text(_read(world, made["name"]))
    assert made["name"].endswith("_DRAFT.docx") and "DRAFT: IRO midway oversight" in text
    assert "No concerns" not in text and "No new actions" not in text and "DRAFT: any concerns" in text
    assert re.search(r"Next review by\s+28 April 2026", text)
    # drafted before the oversight happens: its day is left for the IRO, not filled with the drafting day
    assert re.search(r"Date of oversight\s+DRAFT: the day you carry it out", text) and "13 March 2026" not in text
    assert "Arrange the health assessment\nBen Worker" in text and "Not recorded as done: overdue" in text


def test_a_record_completed_with_its_draft_marks_left_in_is_a_problem_for_the_iro(world: World):
    _book(world, "evt-1", FIRST)
    draft = _named(world, "review-record")
    completed = _complete(_read(world, draft), [("Arrange the health assessment", "Ben Worker", "within 4 weeks")])
    world.svc.folders.save(_meta(), final_name(draft), completed)  # renamed, but the DRAFT marks are still there
    world.clock.set(date(2026, 2, 10))
    world.email(IRO, f"Record complete {CASE} review 2026-01-28")
    assert len(world.facts(FactKind.DECISION_RECORDED)) == 1  # the decisions are tracked all the same
    [problem] = [p for p in world.problems() if "DRAFT marks" in p.reason]
    assert problem.case_ref == CASE and "delete the DRAFT marks" in problem.what_to_do


def test_drafts_carry_the_mark_the_councils_completion_rule_looks_for(world: World):
    """A council that marks drafts "WIP" and counts a record complete when the mark is gone (`no_draft_mark`):
    the app's own drafts carry "WIP", so none of them is read back as a completed record."""
    from function_app import drafts

    cf = world.svc.policy.case_folder.model_copy(update={"draft_mark": "WIP", "complete_when": "no_draft_mark"})
    world.svc.policy = world.svc.policy.model_copy(update={"case_folder": cf})
    _recorded_first_review(world)
    world.clock.set(date(2026, 3, 13))
    made = drafts.midway_oversight(world.svc, CASE, date(2026, 1, 28), date(2026, 3, 13))
    assert made["name"].endswith("_WIP.docx") and not cf.complete(None, made["name"])
    assert cf.complete(None, made["name"].replace("_WIP.docx", ".docx"))  # saved without the mark: complete
