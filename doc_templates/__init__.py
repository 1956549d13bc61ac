"""Word documents: council-editable .docx templates (docxtpl), rendered from typed contexts, read back.

    kinds        the document kinds (this module: light, no docxtpl/python-docx import, safe on the webhook path)
    contexts     one pydantic model per kind: the fields each template may use
    builders     contexts from domain objects (rules.model Child, Person, Team, Decision, Deadline)
    branding     the council's name, logo and service contact details, from configuration
    render       render(kind, context) -> .docx bytes; document_name(kind, case_ref, on)
    check        check_templates(dir): a council's edited templates against each kind's context
    timescale    "within 4 weeks", "by 31/03/2026" -> a due date (000 standard 5)
    readback     read_decisions(docx, review_date): the decisions table of a completed review record

The heavy libraries (docxtpl, python-docx, jinja2) are imported only inside those modules.
"""

from __future__ import annotations

from enum import StrEnum

#: Begins every passage of a draft that a person must replace, and marks a draft's title, header and file name.
#: doc_templates.readback treats a decision cell that begins with it as not written yet.
DRAFT_MARK = "DRAFT"


class Kind(StrEnum):
    """A document kind. The value names the template file (`templates/<value>.docx`) and the document."""

    REVIEW_DECISIONS = "review_decisions"          # to the TM and attendees (004 s3.1)
    CHILD_DECISIONS = "child_decisions"            # to the child, in words they understand (003; code 3.4)
    REVIEW_RECORD = "review_record"                # the IRO's report of the review (000 standards 3, 5, 9)
    RESOLUTION_ENTRY = "resolution_entry"          # the resolution tool entry (004 s5, Appendix 1)
    MIDWAY_OVERSIGHT = "midway_oversight"          # between reviews (000 standard 10; code 6.3)
    CONSULTATION_FORM = "consultation_form"        # before the review (003; code 2.1-2.2)
    INTRODUCTION_LETTER = "introduction_letter"    # with the NAIRO pledge (002; 000 standard 3)
    LINK_MEETING_AGENDA = "link_meeting_agenda"    # IRO and team manager (000 standard 14)


REVIEW_DECISIONS = Kind.REVIEW_DECISIONS
CHILD_DECISIONS = Kind.CHILD_DECISIONS
REVIEW_RECORD = Kind.REVIEW_RECORD
RESOLUTION_ENTRY = Kind.RESOLUTION_ENTRY
MIDWAY_OVERSIGHT = Kind.MIDWAY_OVERSIGHT
CONSULTATION_FORM = Kind.CONSULTATION_FORM
INTRODUCTION_LETTER = Kind.INTRODUCTION_LETTER
LINK_MEETING_AGENDA = Kind.LINK_MEETING_AGENDA

#: Every kind, in the order issue 3 lists them.
kinds: tuple[Kind, ...] = tuple(Kind)

#: The kinds the app drafts for a person to complete (function_app.drafts): their templates must show `draft`.
DRAFTED: frozenset[Kind] = frozenset({Kind.REVIEW_RECORD, Kind.REVIEW_DECISIONS, Kind.CHILD_DECISIONS,
                                      Kind.MIDWAY_OVERSIGHT, Kind.LINK_MEETING_AGENDA})

__all__ = [
    "CHILD_DECISIONS",
    "DRAFTED",
    "DRAFT_MARK",
    "CONSULTATION_FORM",
    "INTRODUCTION_LETTER",
    "LINK_MEETING_AGENDA",
    "MIDWAY_OVERSIGHT",
    "RESOLUTION_ENTRY",
    "REVIEW_DECISIONS",
    "REVIEW_RECORD",
    "Kind",
    "kinds",
]
