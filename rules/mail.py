"""What an email to an IRO or the service mailbox means: the mail conventions, as data, and a pure classifier.

The seeds describe forms on the child's record (004 s5.1 "the resolution tool on the child's record (within
LCS forms)"), not email; this project carries the same steps by email, with the case reference and the
Appendix 1 category in the subject (issue 6: "the convention lives in the policy file"). A council changes
the subjects in its policy's `mail` section. Replies ("RE:", "AW:", "FW:") are matched before originals.
An email that matches no rule is tried against the significant-change keywords (004 Appendix 2); if that
fails too it is `unclassifiable`, which the caller records and shows to the IRO (nothing is dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Intent = Literal[
    "decisions_sent", "decisions_disputed", "decisions_acknowledged", "resolution_raised", "resolution_response",
    "resolution_resolved", "good_practice", "cafcass_discussed", "cafcass_referred", "significant_change",
    "midway_oversight", "care_plan_available", "decisions_to_child", "permanency_plan", "concern_discussed",
    "unclassifiable",
]

_REPLY = r"^\s*(?:(?:re|aw|fw|fwd)\s*:\s*)+"


class MailRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    subject: str                                   # regex, case-insensitive; named groups become details
    body_any: tuple[str, ...] = ()                 # if given, the body must contain one (lowercase phrases)
    note: str = ""

    @field_validator("subject")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"not a valid regular expression ({e})") from e
        return v


def _default_rules() -> tuple[MailRule, ...]:
    review = r"review decisions\b(?:.*?\breview\s+(?P<review_date>\d{4}-\d{2}-\d{2}))?"
    resolution = (r"resolution\b(?:.*?\bcat(?:egory)?\.?\s*(?P<category>1[0-3]|[1-9])\b)?"
                  r"(?:.*?\bstage\s*(?P<stage>[123]))?")
    return (
        MailRule(intent="decisions_disputed", subject=_REPLY + review,
                 body_any=("dispute", "disagree", "do not agree", "challenge"),
                 note="004 s3.1: the TM may dispute the decisions in writing within 5 working days"),
        MailRule(intent="decisions_acknowledged", subject=_REPLY + review,
                 note="a reply that does not dispute: recorded, the window runs on"),
        MailRule(intent="decisions_sent", subject=r"^\s*" + review,
                 note="004 s3.1: decisions sent to the TM within 5 working days of the review"),
        MailRule(intent="resolution_response", subject=_REPLY + resolution,
                 note="004 s5.1-5.2: the stage owner's written response"),
        MailRule(intent="resolution_raised", subject=r"^\s*" + resolution,
                 note="004 s5.1: resolution tool entry within 3 days of the review or midpoint update"),
        MailRule(intent="resolution_resolved", subject=r"^\s*resolved\b(?:.*?(?P<resolution_id>R-[\w-]+))?"),
        MailRule(intent="good_practice", subject=r"^\s*good practice\b", note="004 s3.2, s5; 000 standard 13"),
        MailRule(intent="cafcass_discussed", subject=r"^\s*cafcass discussion\b",
                 note="004 s5.3: discussed with the IRO service manager and the AD (QA) before a referral"),
        MailRule(intent="cafcass_referred", subject=r"^\s*cafcass referral\b", note="004 s5.3; Handbook 6.3"),
        MailRule(intent="significant_change", subject=r"^\s*significant change\b", note="004 Appendix 2"),
        MailRule(intent="midway_oversight", subject=r"^\s*midway oversight\b",
                 note="000 standard 10; 004 s3.2: the IRO's midway oversight, recorded"),
        MailRule(intent="care_plan_available", subject=r"^\s*care plan\b(?!.*\bchange)",
                 note="000 standard 4: care plan and recent assessment shared before the review"),
        MailRule(intent="decisions_to_child", subject=r"^\s*decisions for the child\b",
                 note="003; code of practice 3.4: decisions sent to the child in words they understand"),
        MailRule(intent="permanency_plan", subject=r"^\s*permanency plan\b",
                 note="000 standard 7; 004 s3.1: permanency plan by the second review"),
        MailRule(intent="concern_discussed", subject=r"^\s*concern discussed\b",
                 note="004 s3.1: informal concern discussed with the TM within 3 working days"),
    )


class MailConventions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[MailRule, ...] = Field(default_factory=_default_rules)
    source: str = "project convention carrying 004 s3.1, s5.1-5.3 and Appendix 2 by email (see rules/mail.py)"


@dataclass(frozen=True)
class MailMeaning:
    intent: Intent
    details: dict[str, str] = field(default_factory=dict)   # named groups that matched (no free text)
    change_kind: str | None = None                          # 004 Appendix 2 id, for significant changes


def classify(subject: str, body: str, conventions: MailConventions,
             change_keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> MailMeaning:
    """The first rule whose subject (and body phrase, if any) matches; else keyword classification.

    `change_keywords` is ((appendix-2 id, lowercase phrases), ...) from the policy's significant_changes.
    """
    lowered = body.lower()
    for rule in conventions.rules:
        m = re.search(rule.subject, subject, re.IGNORECASE)
        if not m or (rule.body_any and not any(p in lowered for p in rule.body_any)):
            continue
        details = {k: v for k, v in m.groupdict().items() if v}
        kind = change_kind(subject, body, change_keywords) if rule.intent == "significant_change" else None
        return MailMeaning(rule.intent, details, kind)
    kind = change_kind(subject, body, change_keywords)
    return MailMeaning("significant_change", {}, kind) if kind else MailMeaning("unclassifiable")


def change_kind(subject: str, body: str, change_keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The Appendix 2 kind whose phrases occur most often in the email (ties: the policy's order)."""
    text = f"{subject}\n{body}".lower()
    best, best_hits = None, 0
    for kind_id, phrases in change_keywords:
        hits = sum(text.count(p) for p in phrases)
        if hits > best_hits:
            best, best_hits = kind_id, hits
    return best
