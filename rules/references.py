"""Finding the council's references in Outlook subjects and emails, with the policy's patterns.

- `find_case_ref`: the case reference (default Buckinghamshire pattern: "CLA-100234", "CLA 100234",
  "cla100234" and the older "LAC-100234" all give "CLA-100234", via `case_reference_format`).
(An email that raises a resolution is recognised by the policy's mail conventions: rules/mail.py.)
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


class ReviewSubject(NamedTuple):
    early: bool


def review_subject(subject: str, policy: Policy) -> ReviewSubject | None:
    """ReviewSubject(early=...) if a calendar event's subject marks it as a CLA review, else None."""
    m = policy.pattern("review_subject").search(subject or "")
    return ReviewSubject(early=bool(m.group("early"))) if m else None
