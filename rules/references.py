"""Finding the council's references in Outlook subjects and emails, with the policy's patterns.

- `find_case_ref`: the case reference (default Buckinghamshire pattern: "CLA-100234", "CLA 100234",
  "cla100234" and the older "LAC-100234" all give "CLA-100234", via `case_reference_format`).
- `parse_resolution_subject`: the IRO's email that raises a resolution, e.g. "Resolution CLA-100234 cat 4"
  -> ("CLA-100234", 4); the category must be one of the policy's (004 App. 1: 1..13).
- `review_subject`: whether a calendar event is a CLA review, and whether it is marked early.
"""

from __future__ import annotations

from typing import NamedTuple

from rules.policy import Policy


def _canonical(match_text: str, groups: dict[str, str | None], policy: Policy) -> str:
    if policy.case_reference_format:
        return policy.case_reference_format.format(**{k: (v or "").upper() for k, v in groups.items()})
    return match_text.upper()


def find_case_ref(text: str, policy: Policy) -> str | None:
    """The first case reference in `text`, in the council's canonical form; None if there is none."""
    m = policy.pattern("case_ref").search(text or "")
    return _canonical(m.group(0), m.groupdict(), policy) if m else None


class ResolutionSubject(NamedTuple):
    case_ref: str
    category: int


def parse_resolution_subject(subject: str, policy: Policy) -> ResolutionSubject | None:
    """(case_ref, category) from a resolution email's subject; None if it is not one, or the category is
    not one of the policy's categories."""
    m = policy.pattern("resolution_subject").search(subject or "")
    if not m:
        return None
    case_ref = find_case_ref(m.group("case_ref"), policy)
    category = int(m.group("category"))
    if case_ref is None or category not in policy.categories:
        return None
    return ResolutionSubject(case_ref, category)


class ReviewSubject(NamedTuple):
    early: bool


def review_subject(subject: str, policy: Policy) -> ReviewSubject | None:
    """ReviewSubject(early=...) if a calendar event's subject marks it as a CLA review, else None."""
    m = policy.pattern("review_subject").search(subject or "")
    return ReviewSubject(early=bool(m.group("early"))) if m else None
