"""The domain's nouns, shared by every layer: facts in, deadlines out.

Plain frozen dataclasses, no I/O. A *fact* is something that happened on a child's case (a review
held, decisions sent, a resolution raised); a *deadline* is derived from facts by the clocks in
`rules.clocks` and is never stored as the truth. Only case references appear here and in logs; a
child's name, where a document needs it, travels in the document's own context, never in a fact key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class FactKind(StrEnum):
    """What can happen on a case. The value is the stored name: never rename one, add new ones."""

    # period of care (SSDA903 episodes / roster)
    BECAME_LOOKED_AFTER = "became_looked_after"      # data: legal_status
    CEASED_LOOKED_AFTER = "ceased_looked_after"
    # reviews (Outlook calendar events in the IRO's calendar)
    REVIEW_BOOKED = "review_booked"                  # data: event_id, start (ISO), early (bool)
    REVIEW_MOVED = "review_moved"                    # data: event_id, start
    REVIEW_CANCELLED = "review_cancelled"            # data: event_id
    REVIEW_HELD = "review_held"                      # data: event_id, early (bool), review_code
    REVIEW_LATE_REASON = "review_late_reason"        # data: reason (policy report.late_reasons code), review_date
    CONSULTATION_SENT = "consultation_sent"
    CARE_PLAN_AVAILABLE = "care_plan_available"
    CONCERN_DISCUSSED = "concern_discussed"          # informal concern discussed with the TM
    DECISIONS_SENT = "decisions_sent"                # IRO decisions sent to the TM
    DECISIONS_DISPUTED = "decisions_disputed"        # TM disputes within the window
    DECISIONS_ACCEPTED = "decisions_accepted"        # TM accepts the decisions (Teams card); data: review_date, by
    DECISIONS_TO_CHILD = "decisions_to_child"        # decisions sent to child and family (003; code 3.4)
    IRO_INTRODUCED = "iro_introduced"                # introduction letter + NAIRO pledge sent (000 std 3; 002)
    DECISION_RECORDED = "decision_recorded"          # data: decision_id, text, named_person, due
    DECISION_DONE = "decision_done"                  # data: decision_id
    DECISION_UPDATED = "decision_updated"            # named person's progress note; data: decision_id, text, by
    DECISION_CONFIRMED = "decision_confirmed"        # IRO confirms a decision done; data: decision_id, by
    DECISION_REOPENED = "decision_reopened"          # IRO reopens it: a done on or before this day no longer counts
    RECORD_COMPLETED = "record_completed"
    RECORD_READ = "record_read"                      # data: document, version, review_date, attended, absent,
                                                     #   participation (PN0-PN7), views, concern, read_on;
                                                     #   dated by the review it records (issue 13)
    DECISION_PROGRESS = "decision_progress"          # data: decision_id, done (bool), update (bool): the
                                                     #   record's progress table; done also records decision_done
    RECORD_DISTRIBUTED = "record_distributed"
    MIDWAY_OVERSIGHT = "midway_oversight"
    PERMANENCY_PLAN = "permanency_plan"              # permanency plan identified
    # monitoring
    SIGNIFICANT_CHANGE = "significant_change"        # data: change_kind (Appendix 2 id) or None
    EARLY_REVIEW_DECIDED = "early_review_decided"    # IRO on a change (000 std 11); data: notified_on, convene, reason
    BREACH_ACKNOWLEDGED = "breach_acknowledged"      # manager acknowledges a breach; data: clock, subject, note, by
    TEAM_TRANSFER = "team_transfer"                  # data: from_team, to_team
    # dispute resolution (004 s4-5)
    RESOLUTION_RAISED = "resolution_raised"          # data: resolution_id, category, stage, concern
    RESOLUTION_RESPONDED = "resolution_responded"    # data: resolution_id, stage
    RESOLUTION_ESCALATED = "resolution_escalated"    # data: resolution_id, to_stage
    RESOLUTION_TIME_ASKED = "resolution_time_asked"  # stage owner asks for more time; data: resolution_id, stage, until
    RESOLUTION_RESOLVED = "resolution_resolved"      # data: resolution_id, outcome
    RESOLUTION_MEETING_HELD = "resolution_meeting_held"  # data: resolution_id, stage (004 s5.2)
    GOOD_PRACTICE = "good_practice"                  # data: resolution_id or None, note_ref
    CAFCASS_DISCUSSED = "cafcass_discussed"          # data: resolution_id, with (roles)
    CAFCASS_REFERRED = "cafcass_referred"            # data: resolution_id
    # the service (000 standard 14)
    LINK_MEETING_HELD = "link_meeting_held"          # case_ref is the team id; data: iro, tm
    TEAM_MEETING_ATTENDED = "team_meeting_attended"  # case_ref is the team id; data: iro


def _frozen(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Fact:
    """Something that happened on a case, on a business date.

    `key` makes recording idempotent (for Graph: resource id + change key + kind); recording the same
    key twice is a no-op. `data` holds references and codes only, never free text about the child.
    """

    kind: FactKind
    case_ref: str
    on: date
    key: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FactKind(self.kind))
        object.__setattr__(self, "data", _frozen(self.data))


class Status(StrEnum):
    MET = "met"            # done on or before the due date (met_on says when)
    MISSED = "missed"      # done late, or never done and no longer possible
    OPEN = "open"          # still running, due date not passed
    OVERDUE = "overdue"    # still running, due date passed


@dataclass(frozen=True)
class Deadline:
    """One clock's verdict for one case (or team, for link meetings) as of a given day."""

    case_ref: str
    clock: str                  # the policy's clock id, e.g. "first_review", "decisions_to_tm"
    due: date
    status: Status
    met_on: date | None = None
    owner_role: str = ""        # "iro", "tm", "hos", "service_director", "ad_qa", "sw"
    source: str = ""            # citation, e.g. "004 s3.1"
    started_on: date | None = None
    subject: str = ""           # which review / resolution / decision this is about (an id, no names)

    def as_json(self) -> dict[str, Any]:
        return {
            "case_ref": self.case_ref,
            "clock": self.clock,
            "due": self.due.isoformat(),
            "status": str(self.status),
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "owner_role": self.owner_role,
            "source": self.source,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class Decision:
    """An action from a review (000 standard 5: a named person and a timescale, else a defect)."""

    text: str
    named_person: str | None
    due: date | None
    timescale: str | None = None  # as written, e.g. "within 4 weeks"
    decision_id: str = ""


@dataclass(frozen=True)
class Person:
    email: str                    # user principal name; the key everywhere
    display_name: str = ""
    role: str = ""                # "iro", "sw", "tm", "hos", "service_director", "ad_qa", "iro_manager"
    fte: float = 1.0              # IROs: full-time equivalent, for the caseload band
    phone: str = ""               # shown on documents as contact details (000 standard 3)


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    tm: str                       # email
    hos: str = ""                 # email
    link_iro: str = ""            # email (000 standard 14)
    channel: str = ""             # Teams channel key for the digest


@dataclass(frozen=True)
class Child:
    """A looked-after child as the roster knows it: references and people, never a name."""

    case_ref: str
    looked_after_since: date
    legal_status: str = ""
    iro: str = ""
    sw: str = ""
    tm: str = ""
    team: str = ""
    case_folder: str = ""
    in_proceedings: bool = False
