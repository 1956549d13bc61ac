"""Significant-change classification (004 App. 2) by the policy's keywords."""

from __future__ import annotations

import pytest

from rules.classify import classify_significant_change

ROWS = [
    ("Placement breakdown CLA-100234", "Carer gave notice.", "placement_change"),
    ("Update", "She was excluded from school today.", "school_exclusion"),
    ("Update", "Admitted to A&E last night", "health_event"),
    ("Update", "A strategy meeting under s.47 was held", "safeguarding"),
    ("Update", "Reported missing overnight, returned 9am", "missing_or_exploitation"),
    ("New social worker from Monday", "", "social_worker_change"),
    ("Adoption panel", "The panel decision was to approve.", "permanency_panel"),
    ("Family time", "Contact arrangements with mum changed", "family_time_change"),
    ("He was charged", "Referred to the youth offending service", "offending"),
    # subject words count double: one in the subject beats one in the body
    ("Complaint", "He went to hospital", "complaint"),
    # phrases match across line breaks and extra spaces, case-blind
    ("Update", "the CHANGE OF\n   care plan is proposed", "care_plan_change"),
    # whole words only: "discharged" is not "charged", "non-exclusionary" is not "exclusion"
    ("Update", "discharged yesterday; non-exclusionary", None),
    ("Hello", "Just checking in about the weekend.", None),
    ("", "", None),
]


@pytest.mark.parametrize(("subject", "body", "expected"), ROWS, ids=[r[2] or f"none-{i}" for i, r in enumerate(ROWS)])
def test_classify(policy, subject, body, expected) -> None:  # type: ignore[no-untyped-def]
    assert classify_significant_change(subject, body, policy) == expected


def test_ties_go_to_the_earlier_kind(policy) -> None:  # type: ignore[no-untyped-def]
    # one body hit each: care_plan_change is listed before complaint
    assert classify_significant_change("Update", "complaint about the change of plan", policy) == "care_plan_change"


def test_none_text_and_a_changed_policy(policy) -> None:  # type: ignore[no-untyped-def]
    assert classify_significant_change(None, None, policy) is None  # type: ignore[arg-type]
    first = policy.significant_changes[0].model_copy(update={"keywords": ("purple elephant",)})
    other = policy.model_copy(update={"significant_changes": (first, *policy.significant_changes[1:])})
    assert classify_significant_change("a purple  elephant", "", other) == "care_plan_change"
    assert classify_significant_change("a purple elephant", "", policy) is None
