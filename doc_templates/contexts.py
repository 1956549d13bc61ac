"""The typed context of each document kind: exactly the fields its template may use.

One pydantic model per kind (`MODELS`). Every template also receives `council` (the `Branding` fields
name, service, email, phone, address) and `logo` (the council's logo as an image); see `render`.
Dates are `datetime.date`; a template prints them as "14 March 2026". Text fields may hold line breaks
(they become line breaks in Word). Unknown keys are refused (`extra="forbid"`), so a misspelt key in a
JSON context is named rather than silently ignored.

A child's name appears only inside a document's own context (the letter is written to or about them),
never in a file name, an error message or a log: `validate_context` reports field paths, not values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from doc_templates import Kind
from rules.errors import MissingFields, TemplateError

Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Contact(_Model):
    """A person as a document names them, with the contact details the reader needs (000 standard 3)."""

    name: Text
    role: str = ""
    email: str = ""
    phone: str = ""


class Attendee(_Model):
    name: Text
    role: str = ""
    attendance: str = "attended"     # e.g. "attended", "joined on Teams", "sent apologies", "sent a report"


class DecisionRow(_Model):
    """One review decision: what, who and by when (000 standard 5: a decision needs all three; a document
    that is not a draft is refused without them, see `validate_context`). A draft's placeholder row has
    DRAFT_MARK texts instead (doc_templates.builders.PLACEHOLDER_DECISION) and no date."""

    ref: str = ""                    # the decision's number or id, printed in the "No." column
    text: Text
    named_person: str = ""
    due_by: date | None = None
    timescale: str = ""              # as the IRO wrote it, e.g. "within 4 weeks" (printed when there is no date)

    _none_is_empty = field_validator("named_person", "timescale", mode="before")(lambda v: v or "")


class ChildDecisionRow(_Model):
    """A decision in words the child understands (003; NAIRO code of practice 3.4)."""

    what: Text
    who: str = ""
    by_when: date | None = None
    when: str = ""                   # printed when there is no date (a draft's placeholder)

    _none_is_empty = field_validator("who", "when", mode="before")(lambda v: v or "")


class ProgressRow(_Model):
    """Progress on an earlier decision (000 standard 10; 004 Appendix 1 category 4 when not done)."""

    ref: str = ""                    # the decision's id (e.g. 2026-03-14-2) or No. at the previous review
    decision: Text
    named_person: str = ""
    due_by: date | None = None
    done: str = ""                   # "Done" or "Not done", as the IRO writes it (read back: record_fields)
    progress: Text                   # e.g. "Started", "Not done: carried forward"


class HistoryEntry(_Model):
    on: date
    what: Text                       # e.g. "Stage 1 response received from the team manager"


class OpenResolution(_Model):
    case_ref: Text
    resolution_id: Text
    category: Text                   # number and label, e.g. "10 Education: PEP not up to date"
    stage: Text
    respond_by: date
    overdue: bool = False


class OverdueDecision(_Model):
    case_ref: Text
    decision: Text
    named_person: str = ""
    due_by: date


class DocumentContext(_Model):
    """Fields every document has. `case_ref` names the file; for a link-meeting agenda it is the team id."""

    case_ref: Text
    document_date: date
    draft: bool = False              # True: marked DRAFT (title, banner, every page's header, the file name)


class ReviewDecisions(DocumentContext):
    """Decisions to the team manager and everyone who attended, within 5 working days (004 s3.1)."""

    child_name: Text
    review_date: date
    review_number: int = Field(ge=1)
    iro: Contact
    team_manager: Contact
    social_worker: Contact | None = None
    attendees: list[Attendee]
    decisions: list[DecisionRow] = Field(min_length=1)
    dispute_window: Text                      # the policy's tm_dispute_window, "5 working days" (004 s3.1)
    dispute_by: date                          # end of the TM's window: after it the decisions are confirmed
    next_review: date | None = None


class ChildDecisions(DocumentContext):
    child_name: Text
    review_date: date
    iro: Contact
    decisions: list[ChildDecisionRow] = Field(min_length=1)
    next_review: date | None = None
    advocacy: Contact | None = None           # the advocacy service, if the council offers one (code 3.1)


class ReviewRecord(DocumentContext):
    """The IRO's record of the review (000 standards 1-5, 7, 9; 003 "what the review discusses")."""

    child_name: Text
    review_date: date
    review_number: int = Field(ge=1)
    venue: str = ""
    legal_status: str = ""
    looked_after_since: date
    iro: Contact
    social_worker: Contact
    team_manager: Contact
    attendees: list[Attendee]
    child_views: Text                         # standard 1
    participation: Text                       # how the child took part
    placement: Text                           # standard 2
    health: Text
    education: Text
    pep_date: date | None = None              # date of the latest PEP (004 Appendix 1 category 10)
    family_time: Text
    permanency_plan: Text                     # standard 7: identified by the second review
    previous_decisions: list[ProgressRow] = []
    decisions: list[DecisionRow] = Field(min_length=1)
    next_review: date | None = None


class ResolutionEntry(DocumentContext):
    """An entry in the resolution tool (004 s5, s5.1-5.2, Appendix 1)."""

    resolution_id: Text
    child_name: Text
    category_number: int = Field(ge=1, le=13)  # 004 Appendix 1
    category_label: Text
    stage: Text                                # e.g. "Stage 1: Team Manager"
    raised_on: date
    raised_by: Contact
    concern: Text
    respond_to: Contact
    respond_by: date
    history: list[HistoryEntry] = []
    outcome: str = ""                          # empty while open


class MidwayOversight(DocumentContext):
    """IRO midway oversight between reviews (000 standard 10; code of practice 6.3; 004 s3.2)."""

    child_name: Text
    iro: Contact
    last_review_date: date
    next_review: date | None = None
    decisions_progress: list[ProgressRow] = []
    care_plan_progress: Text
    child_contact: Text                        # when the IRO or SW last saw or heard from the child
    concerns: str = ""
    actions: list[DecisionRow] = []
    resolution_raised: str = ""                # the resolution id, if one was raised


class ConsultationForm(DocumentContext):
    """Pre-review consultation for the child, a parent or a carer (003; code of practice 2.1-2.2)."""

    audience: Literal["child", "parent", "carer"]
    recipient_name: Text
    child_name: Text
    review_date: date
    review_time: str = ""
    venue: str = ""
    return_by: date
    iro: Contact
    social_worker: Contact | None = None


class IntroductionLetter(DocumentContext):
    """The IRO's introduction, with the NAIRO pledge, at the start of care (002; 000 standard 3)."""

    child_name: Text
    iro: Contact
    first_review: date | None = None


class LinkMeetingAgenda(DocumentContext):
    """Agenda for the IRO and team manager link meeting (000 standard 14). Children by case ref only."""

    team_name: Text
    team_manager: Contact
    iro: Contact
    meeting_date: date
    meeting_time: str = ""
    venue: str = ""
    last_meeting: date | None = None
    link_every: Text                  # "2 months": the policy's link-meeting interval (LinkMeetings.interval)
    team_meeting_every: Text          # "3 months": how often the IRO joins the team meeting
    open_resolutions: list[OpenResolution] = []
    overdue_decisions: list[OverdueDecision] = []
    themes: list[str] = []
    good_practice: list[str] = []


MODELS: dict[Kind, type[DocumentContext]] = {
    Kind.REVIEW_DECISIONS: ReviewDecisions,
    Kind.CHILD_DECISIONS: ChildDecisions,
    Kind.REVIEW_RECORD: ReviewRecord,
    Kind.RESOLUTION_ENTRY: ResolutionEntry,
    Kind.MIDWAY_OVERSIGHT: MidwayOversight,
    Kind.CONSULTATION_FORM: ConsultationForm,
    Kind.INTRODUCTION_LETTER: IntroductionLetter,
    Kind.LINK_MEETING_AGENDA: LinkMeetingAgenda,
}


def as_kind(kind: str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise TemplateError(f"unknown document kind '{kind}'; the kinds are {known}") from None


def template_file(kind: str) -> str:
    return f"{as_kind(kind).value}.docx"


def validate_context(kind: str, context: DocumentContext | Mapping[str, Any]) -> DocumentContext:
    """The context as its kind's model. Missing fields raise MissingFields (template and field paths);
    other bad values raise TemplateError naming each field and the problem, never the value given."""
    model = MODELS[as_kind(kind)]
    if isinstance(context, BaseModel) and not isinstance(context, model):
        context = context.model_dump()
    try:
        valid = context if isinstance(context, model) else model.model_validate(context)
    except ValidationError as exc:
        raise _explain(template_file(kind), exc) from None
    if not valid.draft and (missing := _incomplete_decisions(valid)):
        raise MissingFields(template_file(kind), missing)
    return valid


#: Per kind, its lists of decisions and the fields each needs unless the document is a draft (000 standard 5).
_DECISION_LISTS = {"decisions": ("named_person", "due_by"), "actions": ("named_person", "due_by")}
_CHILD_FIELDS = ("who", "by_when")


def _incomplete_decisions(model: DocumentContext) -> list[str]:
    missing = []
    for name, needed in _DECISION_LISTS.items():
        for i, row in enumerate(getattr(model, name, None) or ()):
            needs = _CHILD_FIELDS if isinstance(row, ChildDecisionRow) else needed
            missing += [f"{name}[{i}].{f}" for f in needs if not getattr(row, f)]
    return missing


def _explain(template: str, exc: ValidationError) -> TemplateError:
    errors = exc.errors(include_url=False)  # inputs are looked at (None = missing), never printed
    missing = [_path(e["loc"]) for e in errors if e["type"] == "missing" or e.get("input", "") is None]
    if missing and len(missing) == len(errors):
        return MissingFields(template, missing)
    problems = "; ".join(f"{_path(e['loc'])}: {e['msg']}" for e in errors)
    return TemplateError(f"template '{template}': the context is not valid: {problems}")


def _path(loc: tuple[int | str, ...]) -> str:
    """("decisions", 2, "named_person") -> "decisions[2].named_person" (0-based, as in the JSON)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
