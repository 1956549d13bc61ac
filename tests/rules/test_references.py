"""Case references and subject patterns (the policy's regexes)."""

from __future__ import annotations

import pytest

from rules.references import ResolutionSubject, find_case_ref, parse_resolution_subject, review_subject


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
    ("subject", "expected"),
    [
        ("Resolution CLA-100234 cat 4", ResolutionSubject("CLA-100234", 4)),
        ("RE: resolution - cla 100234 - category 12", ResolutionSubject("CLA-100234", 12)),
        ("Resolution CLA-100234 cat. 13", ResolutionSubject("CLA-100234", 13)),
        ("Resolution CLA-100234 cat 14", None),    # 14 is not an Appendix 1 category
        ("Resolution CLA-100234", None),
        ("CLA-100234 cat 4", None),
        ("", None),
    ],
)
def test_resolution_subject(policy, subject, expected) -> None:  # type: ignore[no-untyped-def]
    assert parse_resolution_subject(subject, policy) == expected


def test_resolution_subject_with_a_category_outside_a_smaller_list(policy) -> None:  # type: ignore[no-untyped-def]
    fewer = policy.model_copy(update={"categories": {k: v for k, v in policy.categories.items() if k <= 3}})
    assert parse_resolution_subject("Resolution CLA-100234 cat 4", fewer) is None


def test_resolution_subject_whose_reference_the_case_pattern_rejects(policy) -> None:  # type: ignore[no-untyped-def]
    strict = policy.model_copy(update={"case_reference_pattern": r"\bCLA-(?P<number>\d{6})\b"})
    assert parse_resolution_subject("Resolution LAC 1234 cat 4", strict) is None


@pytest.mark.parametrize(
    ("subject", "early"),
    [("CLA review CLA-100234", False), ("LAC Review (early) - CLA-100234", True), ("Early cla review", True),
     ("Team lunch", None), ("CLA-100234 visit", None), ("", None)],
)
def test_review_subject(policy, subject, early) -> None:  # type: ignore[no-untyped-def]
    got = review_subject(subject, policy)
    assert (got.early if got else None) == early
