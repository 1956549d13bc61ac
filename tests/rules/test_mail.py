"""The mail conventions of the default policy (rules/mail.py; the convention lives in the policy file)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rules.mail import MailConventions, MailRule, classify
from rules.policy import load_policy

POLICY = load_policy()

CASES = [  # subject, body, intent, details                                  source
    ("Review decisions CLA-100001 review 2026-03-14", "", "decisions_sent", {"review_date": "2026-03-14"}),  # 004 s3.1
    ("RE: Review decisions CLA-100001 review 2026-03-14", "I dispute decision 2.", "decisions_disputed",
     {"review_date": "2026-03-14", "numbers": "2"}),                                                # 004 s3.1
    ("RE: Review decisions CLA-100001", "I disagree with decision no. 3 and decision 03, and decision 1.",
     "decisions_disputed", {"numbers": "3,1"}),         # the numbers the TM names, once each, in their order
    ("RE: Review decisions CLA-100001", "I dispute these decisions.", "decisions_disputed", {}),
    ("RE: Review decisions CLA-100001", "Thank you.", "decisions_acknowledged", {}),
    ("Resolution CLA-100001 category 4 stage 1", "Concern.", "resolution_raised", {"category": "4", "stage": "1"}),
    ("RE: Resolution CLA-100001 cat 12", "Response.", "resolution_response", {"category": "12"}),  # 004 s5.1
    ("Resolved CLA-100001 resolution R-CLA-100001-2", "", "resolution_resolved", {"resolution_id": "R-CLA-100001-2"}),
    ("Good practice CLA-100001", "", "good_practice", {}),                                       # 004 s3.2
    ("Cafcass discussion CLA-100001", "", "cafcass_discussed", {}),                              # 004 s5.3
    ("Cafcass referral CLA-100001", "", "cafcass_referred", {}),
    ("Midway oversight CLA-100001", "", "midway_oversight", {}),                                 # 000 std 10
    ("Care plan CLA-100001", "", "care_plan_available", {}),                                     # 000 std 4
    ("Decisions for the child CLA-100001", "", "decisions_to_child", {}),                        # 003
    ("Permanency plan CLA-100001", "", "permanency_plan", {}),                                   # 000 std 7
    ("Concern discussed CLA-100001", "", "concern_discussed", {}),                               # 004 s3.1
    ("Record complete CLA-100001 review 2026-03-14", "", "record_complete", {"review_date": "2026-03-14"}),
]


@pytest.mark.parametrize(("subject", "body", "intent", "details"), CASES)
def test_each_convention(subject, body, intent, details):
    meaning = classify(subject, body, POLICY)
    assert (meaning.intent, meaning.details) == (intent, details)


def test_significant_change_subject_gets_its_appendix_2_kind():
    meaning = classify("Significant change CLA-100001", "The child went missing from placement overnight.", POLICY)
    assert meaning.intent == "significant_change" and meaning.change_kind == "missing_or_exploitation"


def test_no_rule_but_appendix_2_words_is_a_significant_change():
    meaning = classify("CLA-100001 update", "He was excluded from school today (fixed-term exclusion).", POLICY)
    assert meaning.intent == "significant_change" and meaning.change_kind


def test_nothing_recognisable_is_unclassifiable():
    assert classify("CLA-100001", "Please call me.", POLICY).intent == "unclassifiable"


def test_a_care_plan_change_is_not_the_care_plan_arriving():
    assert classify("Care plan change CLA-100001", "", POLICY).intent != "care_plan_available"


def test_a_policy_without_mail_rules_still_classifies_by_keywords():
    bare = POLICY.model_copy(update={"mail": MailConventions()})
    assert classify("Review decisions CLA-1", "", bare).intent == "unclassifiable"


def test_a_broken_rule_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        MailRule(intent="good_practice", subject="(unclosed")
