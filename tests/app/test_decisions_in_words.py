"""Decisions in words (issue 11, deliverable 2): the letter the IRO sends the TM is read, and its decisions, each
with its named person and date, are what the TM's notice, the bot's card and the dispute notice name."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from doc_templates.render import document_name, render
from function_app.bot.views import load
from function_app.notices.deliver import pending_notes
from graph_clients.ports import Attachment
from rules.model import Decision, FactKind
from tests.app.world import CASE, IRO, SW, TM, World

REVIEW = date(2026, 1, 28)
SUBJECT = f"Review decisions {CASE} review {REVIEW.isoformat()}"
DECISIONS = [Decision("Arrange a dental check", "Ben Worker", date(2026, 3, 2)),
             Decision("Plan family time with the grandparents", "Cara Manager", date(2026, 4, 1)),
             Decision("Find a school place", "", None, timescale="within 4 weeks")]


def letter(world: World, decisions=DECISIONS) -> bytes:
    """The decisions letter as the IRO completes it in Word: the app's template, no DRAFT marks."""
    from docx import Document

    from doc_templates.builders import review_decisions

    people = {p.email: p for p in world.svc.store.people()}
    rows = [Decision(d.text, d.named_person or "-", d.due or REVIEW, None) for d in decisions]
    ctx = review_decisions(world.svc.store.child(CASE), people, child_name="A.B.", review_date=REVIEW,
                           review_number=1, decisions=rows, attendees=[IRO, SW], dispute_by=date(2026, 2, 9),
                           on=date(2026, 2, 2), dispute_window="5 working days")
    doc = Document(io.BytesIO(render("review_decisions", ctx)))
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Due by")
    for n, d in enumerate(decisions, start=1):  # as the IRO writes them: no person, a timescale in words
        table.rows[n].cells[-2].text = d.named_person or ""
        table.rows[n].cells[-1].text = d.timescale or d.due.strftime("%d/%m/%Y")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def attached(content: bytes) -> tuple[Attachment, ...]:
    return (Attachment(document_name("review_decisions", CASE, REVIEW), content),)


@pytest.fixture
def sent(world: World) -> World:
    world.book("evt-1", datetime(2026, 1, 28, 10, tzinfo=UTC))
    world.sweep(date(2026, 1, 29))  # held: the draft letter is in the case folder
    world.clock.set(date(2026, 2, 2))
    return world


def test_the_letter_attached_is_read_and_the_tm_told_each_decision_in_words(sent: World):
    sent.email(IRO, SUBJECT, "Decisions attached.", attachments=attached(letter(sent)))
    [fact] = sent.facts(FactKind.DECISIONS_SENT)
    assert [(r["number"], r["text"], r["named_person"], r["due"]) for r in fact.data["decisions"]] == [
        (1, "Arrange a dental check", "Ben Worker", "2026-03-02"),
        (2, "Plan family time with the grandparents", "Cara Manager", "2026-04-01"),
        (3, "Find a school place", "", "2026-02-25")]  # "within 4 weeks" of the review, as the record reads it
    [note] = [n for n in pending_notes(sent.svc, TM) if n["kind"] == "decisions_issued"]
    assert ("1. Arrange a dental check (Ben Worker, by 2 March 2026); 2. Plan family time with the grandparents "
            "(Cara Manager, by 1 April 2026); 3. Find a school place (no named person, by 25 February 2026)") \
        in note["what"]
    assert sent.problems() == []


def test_the_bot_card_and_a_card_of_its_own_list_the_decisions(sent: World):
    sent.channels("decisions_issued", tm="card")
    sent.email(IRO, SUBJECT, attachments=attached(letter(sent)))
    [card] = [c for r, c in sent.teams.posted if r.person == TM]
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["Decisions"] == "3 (1 without a named person or timescale)"
    assert facts["Decision 1"] == "Arrange a dental check (Ben Worker, by Mon 2 Mar 2026)"
    assert facts["Decision 3"] == "Find a school place (no named person, by Wed 25 Feb 2026)"
    shown = dict(load(sent.svc, "decisions", CASE, REVIEW.isoformat()).facts)
    assert shown["Decision 2"] == "Plan family time with the grandparents (Cara Manager, by Wed 1 Apr 2026)"
    assert shown["Decisions"] == facts["Decisions"]  # the card the bot shows says what the card sent said


def test_a_decision_on_a_card_is_cut_to_what_the_privacy_setting_allows(sent: World):
    long = [Decision("Arrange " + "a very long plan " * 40, "Ben Worker", date(2026, 3, 2))]
    sent.email(IRO, SUBJECT, attachments=attached(letter(sent, long)))
    value = dict(load(sent.svc, "decisions", CASE, REVIEW.isoformat()).facts)["Decision 1"]
    assert len(value) <= 400 and value.endswith("…")


def test_without_an_attachment_the_completed_letter_in_the_case_folder_is_read(sent: World):
    from graph_clients.ports import DocumentMeta

    sent.svc.folders.save(DocumentMeta(CASE, "review_decisions", REVIEW, "final"),
                          document_name("review_decisions", CASE, REVIEW), letter(sent))
    sent.email(IRO, SUBJECT, "The letter is in the case folder.")
    [fact] = sent.facts(FactKind.DECISIONS_SENT)
    assert [r["text"] for r in fact.data["decisions"]][:1] == ["Arrange a dental check"]


def test_no_letter_anywhere_points_to_the_email_and_is_no_problem(sent: World):
    sent.email(IRO, SUBJECT, "1. Arrange a dental check.")
    [fact] = sent.facts(FactKind.DECISIONS_SENT)
    assert fact.data["decisions"] == [] and sent.problems() == []
    [note] = [n for n in pending_notes(sent.svc, TM) if n["kind"] == "decisions_issued"]
    assert "the decisions are in the IRO's email" in note["what"]


def test_a_draft_letter_sent_is_read_and_the_iro_asked_to_finish_it(sent: World):
    [draft] = [n for n in sent.documents() if "review-decisions" in n]
    sent.email(IRO, SUBJECT, attachments=(Attachment(draft, sent.svc.folders.read(CASE, draft)),))
    assert len(sent.facts(FactKind.DECISIONS_SENT)) == 1  # the decisions were sent: the window runs
    [problem] = sent.problems()
    assert problem.source == "decisions letter" and "still shows DRAFT marks" in problem.reason
    assert "Arrange" not in problem.reason and problem.case_ref == CASE


def test_an_unreadable_letter_is_a_problem_that_names_no_words(sent: World):
    sent.email(IRO, SUBJECT, attachments=attached(b"not a word document"))
    [fact] = sent.facts(FactKind.DECISIONS_SENT)
    assert fact.data["decisions"] == []
    [problem] = sent.problems()
    assert problem.source == "decisions letter" and "not a Word document (.docx)" in problem.reason
    assert "msg-1" in problem.reason and problem.payload["message_id"] == "msg-1"
    assert problem.what_to_do.startswith("complete the letter")


def test_the_dispute_notice_names_the_review_and_the_disputed_decision_in_words(sent: World):
    sent.email(IRO, SUBJECT, attachments=attached(letter(sent)))
    sent.email(TM, "RE: " + SUBJECT, "I dispute decision 2: the grandparents live abroad.")
    [fact] = sent.facts(FactKind.DECISIONS_DISPUTED)
    assert fact.data["numbers"] == "2"  # the number only: the TM's reasons stay in their email
    mails = [m for m in sent.svc.mail.sent if m.subject.startswith("Review decisions disputed")]
    assert sorted(m.to for m in mails) == [(IRO,), (SW,)]
    body = mails[0].body_html
    assert f"the review of {CASE} held on 28 January 2026" in body
    assert "Disputed: 2. Plan family time with the grandparents (Cara Manager, by 1 April 2026)." in body
    assert "abroad" not in body


def test_a_dispute_naming_no_decision_points_to_the_tms_email(sent: World):
    sent.email(IRO, SUBJECT, attachments=attached(letter(sent)))
    sent.email(TM, "RE: " + SUBJECT, "I dispute these decisions.")
    [mail] = [m for m in sent.svc.mail.sent if m.subject.startswith("Review decisions disputed") and IRO in m.to]
    assert "Disputed: the team manager&#x27;s email says which decisions and why." in mail.body_html
