"""What an email to an IRO or the service mailbox means: the policy's mail conventions and a pure classifier.

The seeds describe forms on the child's record (004 s5.1 "the resolution tool on the child's record (within
LCS forms)"), not email; this project carries the same steps by email, with the case reference (and for a
resolution the Appendix 1 category) in the subject. The conventions live in the policy file's `mail:`
section (issue 6: "the convention lives in the policy file"); rules are tried in order, so replies ("RE:")
come before the originals they answer. An email no rule matches is tried against the significant-change
keywords (004 Appendix 2, rules.classify); if that fails too it is `unclassifiable`, which the caller
records and shows to the IRO: nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, field_validator

if TYPE_CHECKING:
    from rules.policy import Policy

Intent = Literal[
    "decisions_sent", "decisions_disputed", "decisions_acknowledged", "resolution_raised", "resolution_response",
    "resolution_resolved", "good_practice", "cafcass_discussed", "cafcass_referred", "significant_change",
    "midway_oversight", "care_plan_available", "decisions_to_child", "permanency_plan", "concern_discussed",
    "record_complete", "review_late_reason", "decision_done", "unclassifiable",
]


class MailRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    subject: str                                   # regex, case-insensitive; named groups become details
    body_any: tuple[str, ...] = ()                 # if given, the body must contain one (lowercase phrases)
    body_numbers: str = ""                         # regex whose first group is a number the body refers to
                                                   # (a disputed decision's): all found become details["numbers"]
    source: str = ""                               # the seed section the step comes from

    @field_validator("subject", "body_numbers")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"not a valid regular expression ({e})") from e
        return v


class MailConventions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[MailRule, ...] = ()               # none: every email is classified by keywords or shown to a person
    interpretation: str = ""


@dataclass(frozen=True)
class MailMeaning:
    intent: Intent
    details: dict[str, str] = field(default_factory=dict)   # named groups that matched (no free text)
    change_kind: str | None = None                          # 004 Appendix 2 id, for significant changes


def classify(subject: str, body: str, policy: Policy) -> MailMeaning:
    """The first rule whose subject (and body phrase, if any) matches; else the Appendix 2 keywords."""
    from rules.classify import classify_significant_change

    lowered = body.lower()
    for rule in policy.mail.rules:
        m = re.search(rule.subject, subject, re.IGNORECASE)
        if not m or (rule.body_any and not any(p in lowered for p in rule.body_any)):
            continue
        details = {k: v for k, v in m.groupdict().items() if v}
        if rule.body_numbers:  # digits only leave the body: never its words
            found = [n for n in re.findall(rule.body_numbers, body, re.IGNORECASE) if str(n).isdigit()]
            if found:
                details["numbers"] = ",".join(dict.fromkeys(str(int(n)) for n in found))
        kind = classify_significant_change(subject, body, policy) if rule.intent == "significant_change" else None
        return MailMeaning(rule.intent, details, kind)
    kind = classify_significant_change(subject, body, policy)
    return MailMeaning("significant_change", {}, kind) if kind else MailMeaning("unclassifiable")
