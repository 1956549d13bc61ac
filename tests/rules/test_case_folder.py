"""rules/case_folder.py: when a review record in the case folder is the completed one (policy data)."""

from __future__ import annotations

import pytest

from rules.case_folder import CaseFolderConventions
from rules.participation import PARTICIPATION

NAME = "CLA-100234_review-record_2026-03-14.docx"
DRAFT_NAME = "CLA-100234_review-record_2026-03-14_DRAFT.docx"


@pytest.mark.parametrize(("mode", "status", "name", "complete"), [
    ("status_final", "Final", DRAFT_NAME, True),      # the draft's file, Status set to Final
    ("status_final", "final", NAME, True),
    ("status_final", "Draft", NAME, False),
    ("status_final", None, NAME, False),
    ("no_draft_mark", None, NAME, True),              # the draft replaced by a file without the mark
    ("no_draft_mark", "", "DRAFT - CLA-100234 record.docx", False),
    ("no_draft_mark", "Draft", NAME, False),          # still marked Draft in the library
    ("either", "Final", DRAFT_NAME, True),
    ("either", None, NAME, True),
    ("either", None, DRAFT_NAME, False),
])
def test_complete_as_the_policy_says(mode, status, name, complete) -> None:  # type: ignore[no-untyped-def]
    assert CaseFolderConventions(complete_when=mode).complete(status, name) is complete


def test_the_mark_is_a_word_of_the_name_not_any_substring() -> None:
    rules = CaseFolderConventions()
    assert rules.has_draft_mark("x_draft.docx") and not rules.has_draft_mark("CLA-1_drafting-notes-2.docx")
    assert CaseFolderConventions(final_values=("Final", "Approved")).is_final(" approved ")


def test_participation_codes_are_the_ssda903_eight() -> None:
    assert list(PARTICIPATION) == [f"PN{n}" for n in range(8)]
