"""Contexts from domain objects (rules.model), rendered."""

from __future__ import annotations

from datetime import date

import pytest

from doc_templates import builders
from doc_templates.contexts import Attendee, ReviewDecisions
from doc_templates.readback import read_decisions
from doc_templates.render import render
from rules.errors import MissingFields, UnknownPerson
from rules.model import Child, Deadline, Decision, Person, Status, Team
from tests.documents.helpers import docx_text

PEOPLE = {p.email: p for p in (
    Person("priya.shah@council.example", "Priya Shah", "iro", phone="01632 960101"),
    Person("grace.okafor@council.example", "Grace Okafor", "sw"),
    Person("tom.fletcher@council.example", "Tom Fletcher", "tm"),
    Person("hana.ali@council.example", "Hana Ali", "hos"),
)}
CHILD = Child("CLA-100234", date(2025, 12, 2), "C2", iro="priya.shah@council.example",
              sw="grace.okafor@council.example", tm="tom.fletcher@council.example", team="north-2")
REVIEW = date(2026, 3, 14)
DECISIONS = [
    Decision("Update the PEP.", "Grace Okafor", date(2026, 4, 11), "within 4 weeks", "D1"),
    Decision("Book the health assessment.", "Ann Hughes", date(2026, 3, 28), None, "D2"),
]


def test_review_decisions_from_the_domain_render_and_read_back() -> None:
    deadline = Deadline("CLA-100234", "tm_dispute", date(2026, 3, 25), Status.OPEN)
    context = builders.review_decisions(
        CHILD, PEOPLE, child_name="Maya", review_date=REVIEW, review_number=2, decisions=DECISIONS,
        attendees=["grace.okafor@council.example", Attendee(name="Ann Hughes", role="Foster carer")],
        dispute_by=deadline, on=date(2026, 3, 18), dispute_window="4 working days")
    assert isinstance(context, ReviewDecisions)
    assert context.iro.phone == "01632 960101" and context.team_manager.role == "Team manager"  # rules.roles
    blob = render("review_decisions", context)
    assert "by 25 March 2026" in docx_text(blob) and "4 working days" in docx_text(blob)  # the policy's window
    read = read_decisions(blob, REVIEW)
    assert [(d.decision_id, d.text, d.named_person, d.due) for d in read.decisions] == [
        (d.decision_id, d.text, d.named_person, d.due) for d in DECISIONS]


def test_a_decision_with_no_named_person_cannot_be_sent() -> None:
    bad = [*DECISIONS, Decision("Arrange family time.", None, date(2026, 4, 1))]
    with pytest.raises(MissingFields) as caught:
        builders.review_decisions(CHILD, PEOPLE, child_name="Maya", review_date=REVIEW, review_number=2,
                                  decisions=bad, attendees=[], dispute_by=date(2026, 3, 25), on=REVIEW,
                                  dispute_window="5 working days")
    assert caught.value.template == "review_decisions.docx"
    assert caught.value.missing == ("decisions[2].named_person",)


def test_someone_missing_from_the_roster_is_named_by_role_and_case() -> None:
    child = Child("CLA-100999", date(2025, 1, 1), iro="nobody@council.example")
    with pytest.raises(UnknownPerson) as caught:
        builders.introduction_letter(child, PEOPLE, child_name="Sam", on=date(2025, 1, 3))
    assert caught.value.case_ref == "CLA-100999" and "IRO" in caught.value.reason


def test_every_builder_gives_a_context_its_template_renders() -> None:
    on = date(2026, 3, 18)
    contexts = [
        builders.child_decisions(CHILD, PEOPLE, child_name="Maya", review_date=REVIEW, decisions=DECISIONS, on=on,
                                 in_child_words={"D1": "Grace will plan your school help."}),
        builders.review_record(CHILD, PEOPLE, child_name="Maya", review_date=REVIEW, review_number=2,
                               decisions=DECISIONS, attendees=["grace.okafor@council.example"], on=on,
                               previous=[(DECISIONS[0], "Done")], narrative={"health": "Well."}),
        builders.resolution_entry(CHILD, PEOPLE, child_name="Maya", resolution_id="RES-1", category=9,
                                  stage="Stage 2: Head of Service", category_label="Drift in permanency planning",
                                  concern="No permanency plan by the second review.", respond_by=date(2026, 3, 25),
                                  respond_to="hana.ali@council.example", raised_on=on, on=on,
                                  history=[(on, "Escalated to stage 2.")]),
        builders.midway_oversight(CHILD, PEOPLE, child_name="Maya", last_review_date=REVIEW, on=date(2026, 6, 1),
                                  decisions_progress=[(DECISIONS[1], "Started")], actions=DECISIONS[:1]),
        builders.consultation_form(CHILD, PEOPLE, child_name="Maya", audience="carer", recipient_name="Ann Hughes",
                                   review_date=date(2026, 9, 10), return_by=date(2026, 9, 3), on=on),
        builders.introduction_letter(CHILD, PEOPLE, child_name="Maya", on=date(2025, 12, 5),
                                     first_review=date(2025, 12, 30)),
        builders.link_meeting_agenda(
            Team("north-2", "North 2", "tom.fletcher@council.example", link_iro="priya.shah@council.example"),
            PEOPLE, meeting_date=date(2026, 4, 28), on=date(2026, 4, 20),
            open_resolutions=[{"case_ref": "CLA-100234", "resolution_id": "RES-1", "category": 10,
                               "stage": "Stage 1: Team Manager", "category_label": "Education: PEP not up to date",
                               "respond_by": date(2026, 3, 31)},
                              {"case_ref": "CLA-100871", "resolution_id": "RES-2", "category": 7,
                               "stage": "Stage 2: Head of Service",
                               "category_label": "Health assessments out of timescale",
                               "respond_by": date(2026, 5, 1)}],
            overdue_decisions=[("CLA-100502", DECISIONS[0])], themes=["Late PEPs"], every="2 months",
            team_meeting_every="3 months"),
    ]
    texts = {type(c).__name__: docx_text(render(kind, c)) for kind, c in zip(
        ["child_decisions", "review_record", "resolution_entry", "midway_oversight", "consultation_form",
         "introduction_letter", "link_meeting_agenda"], contexts, strict=True)}
    assert "Grace will plan your school help." in texts["ChildDecisions"]
    assert builders.DRAFT in texts["ReviewRecord"] and "Well." in texts["ReviewRecord"]
    assert "9. Drift in permanency planning" in texts["ResolutionEntry"]
    assert "Stage 2: Head of Service" in texts["ResolutionEntry"] and "Hana Ali" in texts["ResolutionEntry"]
    assert "Started" in texts["MidwayOversight"]
    assert "as Maya's carer" in texts["ConsultationForm"]
    assert "30 December 2025" in texts["IntroductionLetter"]
    agenda = contexts[-1]
    assert [r.overdue for r in agenda.open_resolutions] == [True, False]
    assert agenda.case_ref == "north-2"
