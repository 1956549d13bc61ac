"""The role and stage vocabulary (rules/roles.py) and citations in the council's words (rules/citations.py)."""

from __future__ import annotations

import pytest

from rules.citations import categories_source, for_staff
from rules.roles import ROLE_LABELS, ROLES, role_label, stage_label, stage_owner_role


def test_every_role_has_a_label_and_unknown_ones_read_as_written() -> None:
    assert set(ROLE_LABELS) == set(ROLES)
    assert role_label("tm") == "Team manager" and role_label("virtual_head") == "Virtual head" and role_label("") == ""


def test_stage_owners_and_labels_come_from_the_policy(policy) -> None:  # type: ignore[no-untyped-def]
    assert [stage_owner_role(policy, s) for s in ("stage1", "stage2", "stage3", "ad_qa", "informal")] == [
        "tm", "hos", "service_director", "ad_qa", "iro_manager"]
    assert stage_label(policy, "stage2") == "Stage 2: Head of Service"
    assert stage_label(policy, "stage2", numbered=False) == "Head of Service"
    assert stage_label(policy, "ad_qa") == "Assistant Director (Quality Assurance)"
    assert stage_label(policy, "resolved") == "Resolved" and stage_label(policy, "odd") == "odd"
    other = policy.resolution.model_copy(update={"breach_role": "iro_manager"})
    renamed = policy.model_copy(update={"resolution": other})
    assert stage_owner_role(renamed, "ad_qa") == "iro_manager"


@pytest.mark.parametrize(
    ("cite", "words"),
    [
        ("004 s3.1", "IRO Dispute Resolution Policy and Procedure, section 3.1"),
        ("004 s4-5, App. 1", "IRO Dispute Resolution Policy and Procedure, sections 4-5, Appendix 1"),
        ("000 standard 10", "IRO Practice Standards, standard 10"),
        ("reg 33(2)(a)", "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33(2)(a)"),
        ("reg", "Care Planning, Placement and Case Review (England) Regulations 2010"),
        ("003", "Looked after children: Independent Reviewing Officers (council web page)"),
        ("004 s3.1; Appendix 3", "IRO Dispute Resolution Policy and Procedure, section 3.1; Appendix 3"),
        ("004 s5.3; Handbook 6.3", "IRO Dispute Resolution Policy and Procedure, section 5.3; Handbook 6.3"),
        ("policy; ", "policy"),
        ("", ""),
    ],
)
def test_citations_use_the_councils_titles(policy, cite, words) -> None:  # type: ignore[no-untyped-def]
    assert for_staff(policy, cite) == words


def test_a_document_without_a_title_keeps_its_citation(policy) -> None:  # type: ignore[no-untyped-def]
    fewer = policy.model_copy(update={"sources": {k: v for k, v in policy.sources.items() if k != "004"}})
    assert for_staff(fewer, "004 s3.1") == "004, section 3.1"


def test_each_notice_names_one_channel_per_audience(policy) -> None:  # type: ignore[no-untyped-def]
    n = policy.notifications
    assert n.channels("breach") == {"owner": "digest", "on_breach": "digest"}
    assert n.channels("resolution_stage")["stage_owner"] == "card"
    quiet = n.model_copy(update={"notices": {k: v for k, v in n.notices.items() if k != "category4"}})
    assert quiet.channels("category4") == {}  # a notice the policy sends to nobody
    assert n.digest.horizon_working_days == 10 and n.digest.list_overdue_working_days == 20


def test_roles_in_sentences_and_whom_a_cafcass_referral_is_discussed_with(policy) -> None:  # type: ignore[no-untyped-def]
    from rules.roles import cafcass_discuss_with, role_in_text

    assert role_in_text("tm") == "team manager"
    assert role_in_text("iro") == "IRO"  # an acronym keeps its capitals
    words = cafcass_discuss_with(policy)
    assert words.startswith("the ") and " and " in words
    one = policy.model_copy(update={"resolution": policy.resolution.model_copy(
        update={"cafcass_discuss_with": ("iro_manager",)})})
    assert " and " not in cafcass_discuss_with(one)
    none = policy.model_copy(update={"resolution": policy.resolution.model_copy(update={"cafcass_discuss_with": ()})})
    assert cafcass_discuss_with(none) == "the IRO service"


def test_citations_inside_a_sentence_are_the_councils_words(policy) -> None:  # type: ignore[no-untyped-def]
    from rules.citations import in_text

    said = in_text(policy, "no named person (000 standard 5)")
    assert "000 standard" not in said and said.startswith("no named person (")
    assert in_text(policy, "") == ""


def test_the_dispute_categories_cite_their_appendix_by_the_councils_title(policy) -> None:  # type: ignore[no-untyped-def]
    assert categories_source(policy) == "IRO Dispute Resolution Policy and Procedure, Appendix 1"
