"""A council's procedure as data: the pydantic model of a policy file, and `load_policy`.

Every timescale the software enforces is a `Clock` in the policy file, never a literal in code; each one says
when it starts (`start`), how long it runs (`amount` + an explicit `unit`), who owns it, when to remind,
who hears about a breach, the seed document and section it comes from, and, where the seed is ambiguous
("within three days"), the reading chosen (`interpretation`). The default is Buckinghamshire's
(rules/policies/buckinghamshire.yaml); another council is a new file, not new code.

A broken file raises `PolicyError(file, field, problem, fix)`. Reading the file is the only I/O in rules/,
and it lives in `rules.policy_file`; `parse_policy(text, file)` takes the text for callers that have it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from rules.case_folder import CaseFolderConventions
from rules.errors import PolicyError
from rules.mail import MailConventions
from rules.model import FactKind
from rules.roles import ROLES

DEFAULT_POLICY = Path(__file__).resolve().parent / "policies" / "buckinghamshire.yaml"

Role = Literal[ROLES]  # type: ignore[valid-type]  # rules/roles.py: the one list of roster roles
Unit = Literal["working_days", "calendar_days", "months"]

# What a clock may start from. The clock engine (rules.clocks) knows how to find each anchor in a case's facts.
Anchor = Literal[
    "became_looked_after",    # the day the period of care began
    "previous_review",        # the day the previous review in the period was held (review chain)
    "review_held",            # each review held (after-review clocks: decisions, record, ...)
    "decisions_sent",         # each time decisions were sent to the TM (the TM's dispute window)
    "review_booked",          # each booked review's date (lead times before it: negative amounts)
    "second_review",          # the 2nd review: the day it was held, or its due date if not yet held
    "midway_point",           # halfway between a review and the next review's due date
    "decision_recorded",      # a review decision's own due date (000 standard 5)
    "resolution_stage1",      # the day a resolution entered stage 1 (TM)
    "resolution_stage2",      # ... stage 2 (HoS)
    "resolution_stage3",      # ... stage 3 (Service Director)
    "resolution_formal",      # the day a resolution first entered any formal stage (the overall cap)
    "previous_link_meeting",  # team clocks: the last TM-IRO link meeting
    "previous_team_meeting",  # team clocks: the last team meeting the IRO attended
]

# The clock ids the code refers to by name; a policy must define every one (it may add more).
REQUIRED_CLOCKS: dict[str, tuple[str, ...]] = {
    "first_review": ("became_looked_after",),
    "second_review": ("previous_review",),
    "later_review": ("previous_review",),
    "concern_discussion": ("review_held",),
    "decisions_to_tm": ("review_held",),
    "tm_dispute_window": ("decisions_sent",),
    "record_completed": ("review_held",),
    "record_distributed": ("review_held",),
    "midway_oversight": ("midway_point",),
    "permanency_plan": ("second_review",),
    "consultation": ("review_booked",),
    "care_plan_available": ("review_booked",),
    "decision": ("decision_recorded",),
    "resolution_entry": ("review_held",),
    "resolution_stage1_meeting": ("resolution_stage1",),
    "resolution_stage1_response": ("resolution_stage1",),
    "resolution_stage2_response": ("resolution_stage2",),
    "resolution_stage3_response": ("resolution_stage3",),
    "resolution_total": ("resolution_formal",),
    "link_meeting": ("previous_link_meeting",),
    "team_meeting": ("previous_team_meeting",),
}

# A sanity bound on a clock's length, not a timescale (no council's procedure comes near it): ten years in
# each unit. A longer clock is a typing slip (an extra digit) and would run past the working calendar's years
# (rules.calendar), failing every sweep instead of failing here, where the file and line are named.
MAX_CLOCK_AMOUNT: dict[str, int] = {"calendar_days": 3653, "working_days": 2610, "months": 120}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Where a rule comes from: a seed document (see seeds/README.md) and its section."""

    doc: Literal["000", "001", "002", "003", "004", "reg33", "council"]
    section: str = Field(min_length=1)
    quote: str = ""

    @cached_property
    def cite(self) -> str:
        """Short citation for a Deadline and a card, e.g. "004 s3.1", "reg 33(2)(a)"."""
        return f"{'reg' if self.doc == 'reg33' else self.doc} {self.section}"


class Clock(_Frozen):
    """One statutory or local timescale. Negative `amount` means before the anchor (lead times)."""

    label: str = Field(min_length=1)
    start: Anchor
    amount: int
    unit: Unit
    met_by: FactKind | None = None       # the fact that satisfies the clock (None: the clock's own rule)
    when: str | None = None              # only for start facts whose data has this key truthy
    window: bool = False                 # True: the period may pass without the fact (e.g. TM dispute window)
    owner_role: Role
    reminders: tuple[Annotated[int, Field(ge=0)], ...] = ()  # working days before the due date
    on_breach: tuple[Role, ...] = ()     # who is told when it is missed, in escalation order
    source: Source
    interpretation: str | None = None    # the reading chosen where the seed is ambiguous

    @property
    def span(self) -> str:
        """The clock's length as a sentence says it: "20 working days", "3 months", "1 month"."""
        n, unit = abs(self.amount), self.unit.replace("_", " ")
        return f"{n} {unit[:-1] if n == 1 else unit}"

    @model_validator(mode="after")
    def _bounded(self) -> Clock:
        most = MAX_CLOCK_AMOUNT[self.unit]
        if abs(self.amount) > most:
            raise ValueError(f"amount {self.amount} {self.unit} is longer than ten years (at most {most} either "
                             "way); check for a typing slip")
        return self


class ClosureDay(_Frozen):
    date: date
    reason: str = Field(min_length=1)


class Category(_Frozen):
    label: str = Field(min_length=1)
    source: Source


class SignificantChange(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    keywords: tuple[str, ...] = Field(min_length=1)
    source: Source

    @field_validator("keywords")
    @classmethod
    def _lowercase(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for k in v:
            if not k.strip() or k != k.lower() or k != " ".join(k.split()):
                raise ValueError(f"keyword {k!r} must be lowercase, non-empty, single-spaced")
        return v


class Caseload(_Frozen):
    min_per_fte: int = Field(gt=0)
    max_per_fte: int = Field(gt=0)
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> Caseload:
        if self.min_per_fte > self.max_per_fte:
            raise ValueError("min_per_fte is larger than max_per_fte")
        return self


class Cards(_Frozen):
    show: Literal["case_ref", "initials", "full_name"] = "initials"


class SourceDoc(_Frozen):
    """A document the policy cites, as staff know it (shown instead of its seed number)."""

    title: str = Field(min_length=1)


class LeadTime(_Frozen):
    """A timescale that is not a clock of its own (a date a card or a form states)."""

    working_days: int = Field(ge=0)
    source: Source
    interpretation: str | None = None


class LeadTimes(_Frozen):
    significant_change_decision: LeadTime   # the IRO decides on an early review within this (000 standard 11)
    consultation_return: LeadTime           # consultation forms returned this long before the review (002)


Channel = Literal["card", "email", "digest"]
Audience = Literal[("owner", "on_breach", "stage_owner", "cafcass_discuss_with", "link_iro",  # type: ignore[misc]
                    *ROLES)]
NoticeKind = Literal["reminder", "breach", "resolution_stage", "cafcass_prompt", "significant_change",
                     "decision_recorded", "decisions_issued", "decisions_disputed", "consultation_forms",
                     "record_distributed", "introduction", "category4", "review_booked_late", "transfer_blocked",
                     "link_meeting", "escalations"]
# The channels each notice can take: documents travel by email; a deadline's reminder and breach are lines of
# the owner's digest or a card of their own.
CHANNELS: dict[str, tuple[str, ...]] = {
    "reminder": ("digest",), "breach": ("digest", "card"),
    "consultation_forms": ("email",), "record_distributed": ("email", "digest"), "introduction": ("email",),
}


class Digest(_Frozen):
    channel: Literal["card", "email"] = "card"
    weekdays: tuple[Annotated[int, Field(ge=0, le=6)], ...] = (0, 1, 2, 3, 4)
    horizon_working_days: int = Field(default=10, ge=0)
    list_overdue_working_days: int = Field(default=20, ge=0)


class Notifications(_Frozen):
    """Who hears what, on which one channel, and when (docs/notifications.md)."""

    digest: Digest = Digest()
    notices: dict[NoticeKind, dict[Audience, Channel]]

    @field_validator("notices")
    @classmethod
    def _channels(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for kind, audience in v.items():
            allowed = CHANNELS.get(kind, ("card", "email", "digest"))
            for who, channel in audience.items():
                if channel not in allowed:
                    raise ValueError(f"{kind}.{who}: '{channel}' is not a channel for this notice "
                                     f"(use {' or '.join(allowed)})")
        return v

    def channels(self, kind: str) -> dict[str, str]:
        """audience -> channel for one notice kind ({} when the policy sends it to nobody)."""
        return dict(self.notices.get(kind, {}))  # type: ignore[call-overload]


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


class LinkMeetings(_Frozen):
    tm_every_months: int = Field(gt=0)
    look_ahead_working_days: int = Field(ge=0)           # book when the meeting is due within this
    earliest_working_days_before_due: int = Field(ge=0)  # no slot earlier than this before it is due
    team_meeting_every_months: int = Field(gt=0)
    duration_minutes: int = Field(gt=0, le=480)
    working_hours_start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    working_hours_end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    source: Source

    @property
    def interval(self) -> str:
        """How often the link IRO and the TM meet, as a sentence says it: "2 months", or "month"."""
        return _months(self.tm_every_months)

    @property
    def team_meeting_interval(self) -> str:
        """How often the link IRO joins the team meeting, as a sentence says it: "3 months"."""
        return _months(self.team_meeting_every_months)

    @model_validator(mode="after")
    def _hours(self) -> LinkMeetings:
        if self.working_hours_start >= self.working_hours_end:
            raise ValueError("working_hours_start must be before working_hours_end")
        return self


class Stage(_Frozen):
    owner_role: Role
    label: str = Field(min_length=1)
    response_clock: str
    source: Source


class ResolutionConfig(_Frozen):
    """004 s4-5, Appendices 1 and 3; Handbook 6.2-6.3 (004 Appendix 4)."""

    stages: dict[Literal["stage1", "stage2", "stage3"], Stage]
    cap_clock: str                       # the whole formal process (20 working days)
    breach_role: Role                    # unresolved in timescale -> AD QA (004 App. 1)
    cafcass_discuss_with: tuple[Role, ...]  # 004 s5.3: before a Cafcass referral
    transfer_blocked_while_open: bool = True  # 004 App. 1
    source: Source

    @field_validator("stages")
    @classmethod
    def _all_stages(cls, v: dict[str, Stage]) -> dict[str, Stage]:
        missing = {"stage1", "stage2", "stage3"} - set(v)
        if missing:
            raise ValueError(f"missing {', '.join(sorted(missing))}")
        return v


# ---- the annual report and the escalations dashboard (issue 14; reports/) ----------------------------

class ReportConfig(_Frozen):
    """How the annual report (002, Handbook 7.11) and the escalations dashboard publish their figures."""

    suppress_below: int = Field(default=5, ge=0)   # a count from 1 to suppress_below - 1 shows as "<N"
    suppress_zero: bool = False                    # True: a 0 is shown as "<N" too
    staff_labels: Literal["letters", "names"] = "letters"  # IROs as "IRO A", "IRO B" ... or by display name
    late_reasons: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], str] = {}  # code -> label
    source: Source = Source(doc="council", section="annual report publication")


def _regex(v: str, groups: tuple[str, ...] = ()) -> str:
    try:
        compiled = re.compile(v)
    except re.error as e:
        raise ValueError(f"not a valid regular expression ({e})") from e
    missing = [g for g in groups if g not in compiled.groupindex]
    if missing:
        raise ValueError("needs the named group(s) " + ", ".join(f"(?P<{g}>...)" for g in missing))
    return v


class _At(ValueError):
    """A check across the whole policy that names the field it is about (for the error's field and line)."""

    def __init__(self, loc: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class Policy(_Frozen):
    """A council's IRO procedure. Frozen: share one instance across threads and calls."""

    schema_version: Literal[1] = 1
    council: str = Field(min_length=1)
    closure_days: tuple[ClosureDay, ...] = ()
    clocks: dict[str, Clock]
    categories: dict[Annotated[int, Field(ge=1)], Category]
    significant_changes: tuple[SignificantChange, ...]
    caseload: Caseload
    case_reference_pattern: str
    case_reference_format: str = ""  # e.g. "CLA-{number}" from named groups; "" keeps the match, uppercased
    review_subject_pattern: str
    sources: dict[Literal["000", "001", "002", "003", "004", "reg33", "council"], SourceDoc]
    cards: Cards = Cards()
    lead_times: LeadTimes
    notifications: Notifications
    link_meetings: LinkMeetings
    resolution: ResolutionConfig
    mail: MailConventions = MailConventions()  # rules/mail.py: how emails carry the procedure's steps
    case_folder: CaseFolderConventions = CaseFolderConventions()  # rules/case_folder.py: a completed record
    report: ReportConfig = ReportConfig()      # issue 14: the annual report's publication rules (reports/)

    # Caches, rebuilt when the field they come from is not the same object (model_copy(update=...) shares
    # private attributes with the original and skips model_post_init).
    _patterns: tuple[tuple[str, str], dict[str, re.Pattern[str]]] | None = PrivateAttr(default=None)
    _by_anchor: tuple[object, dict[str, tuple[tuple[str, Clock], ...]]] | None = PrivateAttr(default=None)

    @field_validator("case_reference_pattern")
    @classmethod
    def _case_ref(cls, v: str) -> str:
        return _regex(v)

    @field_validator("review_subject_pattern")
    @classmethod
    def _review_subject(cls, v: str) -> str:
        return _regex(v, ("early",))

    @field_validator("clocks")
    @classmethod
    def _required_clocks(cls, v: dict[str, Clock]) -> dict[str, Clock]:
        for clock_id, anchors in REQUIRED_CLOCKS.items():
            if clock_id not in v:
                raise ValueError(f"clock '{clock_id}' is missing")
            if v[clock_id].start not in anchors:
                raise ValueError(f"clock '{clock_id}' must start at {' or '.join(anchors)}")
        return v

    @model_validator(mode="after")
    def _cross_checks(self) -> Policy:
        if set(self.categories) != set(range(1, len(self.categories) + 1)):
            raise _At(("categories",), "categories must be numbered 1..N without gaps")
        ids = [k.id for k in self.significant_changes]
        if len(ids) != len(set(ids)):
            raise _At(("significant_changes",), "significant_changes ids must be unique")
        refs = [s.response_clock for s in self.resolution.stages.values()] + [self.resolution.cap_clock]
        for ref in refs:
            if ref not in self.clocks:
                raise _At(("resolution",), f"resolution refers to clock '{ref}', which is not in clocks")
        for clock_id, months in (("link_meeting", self.link_meetings.tm_every_months),
                                 ("team_meeting", self.link_meetings.team_meeting_every_months)):
            clock = self.clocks[clock_id]
            if (clock.amount, clock.unit) != (months, "months"):
                raise _At(("clocks", clock_id),
                          f"clocks.{clock_id} must be {months} months to agree with link_meetings")
        try:
            self.case_reference_format.format(**dict.fromkeys(re.compile(self.case_reference_pattern).groupindex, "0"))
        except (IndexError, KeyError) as e:
            raise _At(("case_reference_format",), f"case_reference_format names {e}, which case_reference_pattern "
                     "lacks") from e
        except (AttributeError, TypeError) as e:  # "{number.x}": str.format reaches into the value
            raise _At(("case_reference_format",), "case_reference_format may only name the pattern's groups, "
                     "as {name}") from e
        return self

    def pattern(self, name: str) -> re.Pattern[str]:
        """The compiled regex: 'case_ref' or 'review_subject' (compiled once)."""
        source = (self.case_reference_pattern, self.review_subject_pattern)
        if self._patterns is None or self._patterns[0] != source:
            self._patterns = (source, dict(zip(("case_ref", "review_subject"),
                                               map(re.compile, source), strict=True)))
        return self._patterns[1][name]

    def clock_groups(self) -> dict[str, tuple[tuple[str, Clock], ...]]:
        """anchor -> ((clock id, clock), ...) in file order, grouped once per policy. Read through
        __pydantic_private__ directly: pydantic's private-attribute __getattr__ costs microseconds, and
        this runs once per case."""
        cached = self.__pydantic_private__.get("_by_anchor")
        if cached is None or cached[0] is not self.clocks:
            grouped: dict[str, tuple[tuple[str, Clock], ...]] = {}
            for clock_id, clock in self.clocks.items():
                grouped[clock.start] = (*grouped.get(clock.start, ()), (clock_id, clock))
            cached = self._by_anchor = (self.clocks, grouped)
        return cached[1]

    def clocks_from(self, anchor: str) -> tuple[tuple[str, Clock], ...]:
        """(clock id, clock) for every clock that starts at `anchor`, in file order."""
        return self.clock_groups().get(anchor, ())


_FIXES = {
    "missing": "add the field (see rules/policies/buckinghamshire.yaml for an example)",
    "extra_forbidden": "remove the field or correct its spelling (see docs/rules.md for the fields)",
    "literal_error": "use one of the values listed",
    "enum": "use one of the values listed",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "string_pattern_mismatch": "write a value matching the pattern shown",
    "greater_than": "use a larger number",
    "greater_than_equal": "use a larger number",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


def policy_from_data(data: Any, file: str, text: str | None = None) -> Policy:
    """Validate already-parsed YAML data; errors name the file, the dotted field (with its line, given the
    YAML `text`), the problem and the fix."""
    if not isinstance(data, dict):
        raise PolicyError(file, "(top level)", "the file is not a mapping of fields", "start from the default policy")
    try:
        return Policy.model_validate(data)
    except ValidationError as e:
        unknown = [_field_path(err["loc"]) + _line(text, err["loc"]) for err in e.errors()
                   if err["type"] == "extra_forbidden"]
        if unknown:  # name every unknown field at once: a misspelt field does nothing, so none may hide
            raise PolicyError(file, ", ".join(unknown), f"unknown field{'s' if len(unknown) > 1 else ''}: no code "
                              "reads it", _FIXES["extra_forbidden"]) from None
        first = e.errors()[0]
        at = (first.get("ctx") or {}).get("error")
        if not first["loc"] and isinstance(at, _At):  # a check across fields names the field it is about
            first = {**first, "loc": at.loc}
        more = e.error_count() - 1
        problem = first["msg"] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
        fix = _FIXES.get(first["type"], "correct the value (see docs/rules.md and the default policy)")
        raise PolicyError(file, _field_path(first["loc"]) + _line(text, first["loc"]), problem, fix) from None


def _line(text: str | None, loc: tuple[Any, ...]) -> str:
    """' (line N)' for the YAML node at `loc`, given the file's text; '' without it."""
    if text is None:
        return ""
    from rules.policy_file import line_of

    line = line_of(text, loc)
    return f" (line {line})" if line else ""


def parse_policy(text: str, file: str = "<text>") -> Policy:
    """Parse policy YAML text (PyYAML safe_load). Syntax errors name the line and column."""
    from rules.policy_file import parse_yaml

    return policy_from_data(parse_yaml(text, file), file, text)


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy file; None means the bundled Buckinghamshire default."""
    from rules.policy_file import read_text

    target = Path(path) if path is not None else DEFAULT_POLICY
    return parse_policy(read_text(target), str(target))
