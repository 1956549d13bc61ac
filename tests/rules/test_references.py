"""Case references and subject patterns (the policy's regexes)."""

from __future__ import annotations

import pytest

from rules.references import find_case_ref, review_subject


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CLA review CLA-100234", "CLA-100234"),
        ("re: cla 100234 decisions", "CLA-100234"),
        ("LAC-100234", "CLA-100234"),        # the older prefix, same reference
        ("cla100234", "CLA-100234"),
        ("CLA-123", None),                   # too short
        ("XCLA-100234", None),               # not at a word boundary
        ("", None),
        (None, None),
    ],
)
def test_find_case_ref(policy, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert find_case_ref(text, policy) == expected


def test_without_a_format_the_match_is_kept(policy) -> None:  # type: ignore[no-untyped-def]
    other = policy.model_copy(update={"case_reference_format": ""})
    assert find_case_ref("about lac-1234 today", other) == "LAC-1234"


@pytest.mark.parametrize(
    ("subject", "early"),
    [("CLA review CLA-100234", False), ("LAC Review (early) - CLA-100234", True), ("Early cla review", True),
     ("Team lunch", None), ("CLA-100234 visit", None), ("", None)],
)
def test_review_subject(policy, subject, early) -> None:  # type: ignore[no-untyped-def]
    got = review_subject(subject, policy)
    assert (got.early if got else None) == early
