"""The action log (exactly-once side effects), problems and key/value state."""

from __future__ import annotations

import pytest

from rules.errors import StoreError


def test_only_the_first_claim_wins_and_completion_is_recorded(store):
    assert store.claim_action("doc:C1:review-1", "decision_letter", "C1", {"review": "r1"}) is True
    assert store.claim_action("doc:C1:review-1", "decision_letter", "C1", {"review": "r1"}) is False
    store.complete_action("doc:C1:review-1", {"url": "https://example/doc"})
    done = store.action("doc:C1:review-1")
    assert done.done and done.result == {"url": "https://example/doc"} and done.detail == {"review": "r1"}
    assert done.completed_at > done.claimed_at
    assert store.claim_action("doc:C1:review-1", "decision_letter", "C1", {}) is False


def test_claimed_but_never_completed_actions_are_pending_for_a_retry(store):
    store.claim_action("a", "card", "C1", {})
    store.claim_action("b", "mail", "C2", {})
    store.complete_action("a", {})
    assert [a.key for a in store.pending_actions()] == ["b"]
    assert store.action("missing") is None


def test_completing_an_unclaimed_action_is_an_error_not_silence(store):
    with pytest.raises(StoreError, match="claim_action"):
        store.complete_action("never-claimed", {})


def test_problems_are_listed_until_resolved_and_repeats_fold_into_one(store):
    first = store.record_problem("ssda903 episodes.csv:4", "DEC before DECOM", "fix the row", "C7", {"line": 4})
    again = store.record_problem("ssda903 episodes.csv:4", "DEC before DECOM", "fix the row", "C7", {"line": 4})
    other = store.record_problem("webhook", "no case reference", "add it to the subject", None, {})
    assert again == first and other != first
    assert [(p.id, p.case_ref) for p in store.problems()] == [(first, "C7"), (other, None)]
    store.resolve_problem(first)
    assert [p.id for p in store.problems()] == [other]
    assert store.problems(open_only=False)[0].resolved_at is not None
    # After a fix, the same problem coming back is a new problem, not the resolved one.
    assert store.record_problem("ssda903 episodes.csv:4", "DEC before DECOM", "fix the row", "C7", {"line": 4}) > other


def test_resolving_an_unknown_problem_says_so(store):
    with pytest.raises(StoreError, match="no problem with id 999"):
        store.resolve_problem(999)


def test_state_is_a_small_key_value_map(store):
    assert store.get_state("delta:iro@x") is None
    store.set_state("delta:iro@x", "link-1")
    store.set_state("delta:iro@x", "link-2")
    assert store.get_state("delta:iro@x") == "link-2"


def test_a_resolved_problem_records_who_when_and_what_was_done(store):
    pid = store.record_problem("review record", "row 2: no named person", "name one", "C7", {"row": 2})
    done = store.resolve_problem(pid, by="iro.a@council.example", note="Named the SW [/b] in row 2")
    assert done.resolved_by == "iro.a@council.example" and done.resolution_note == "Named the SW [/b] in row 2"
    assert done.resolved_at is not None and store.problems(open_only=False, case_ref="C7") == [done]
    assert store.problems(case_ref="C7") == [] and store.problems(open_only=False, case_ref="C8") == []
    with pytest.raises(StoreError, match=f"problem {pid} was already resolved on .* by iro.a@council.example"):
        store.resolve_problem(pid, by="someone.else@council.example", note="again")
    assert store.problem(pid).resolution_note == "Named the SW [/b] in row 2"
