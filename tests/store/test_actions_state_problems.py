"""The action log (exactly-once side effects), problems and key/value state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rules.errors import StoreError


def test_only_the_first_claim_wins_and_completion_is_recorded(store):
    claim = store.claim_action("doc:C1:review-1", "decision_letter", "C1", {"review": "r1"})
    assert claim and claim.attempt == 1
    assert store.claim_action("doc:C1:review-1", "decision_letter", "C1", {"review": "r1"}) is None
    assert store.complete_action("doc:C1:review-1", {"url": "https://example/doc"}, claim.token) is True
    done = store.action("doc:C1:review-1")
    assert done.done and done.result == {"url": "https://example/doc"} and done.detail == {"review": "r1"}
    assert done.completed_at > done.claimed_at
    assert store.claim_action("doc:C1:review-1", "decision_letter", "C1", {}) is None


def test_a_released_claim_is_retaken_at_once_and_a_live_one_is_not(store):
    first = store.claim_action("a", "card", "C1", {})
    t0 = store.action("a").claimed_at
    assert store.claim_action("a", "card", "C1", {}, stale_before=t0) is None  # live: not before its lease
    assert store.release_action("a", first.token, "ConnectionError") is True
    assert store.action("a").error == "ConnectionError" and store.action("a").token is None
    second = store.claim_action("a", "card", "C1", {})
    assert second and second.attempt == 2 and second.token != first.token
    assert store.release_action("a", first.token, "late") is False  # an old attempt cannot release the new one


def test_a_stale_claim_is_retaken_with_its_effect_journal(store):
    first = store.claim_action("a", "mail", "C1", {})
    store.action_effect("a", first.token, 1, done=True)
    store.action_effect("a", first.token, 2, done=False)  # then the host died
    later = store.action("a").claimed_at + timedelta(seconds=1)
    retake = store.claim_action("a", "mail", "C1", {}, stale_before=later)
    assert retake and (retake.attempt, retake.effects, retake.in_flight) == (2, 1, 2)
    assert store.action_effect("a", first.token, 3, done=True) is False  # the dead attempt's token is void
    assert store.complete_action("a", {}, first.token) is False  # done, but not by the attempt that asked
    assert store.action("a").done


def test_pending_actions_free_to_retry(store):
    a = store.claim_action("a", "card", "C1", {})
    store.claim_action("b", "card", "C1", {})
    store.release_action("a", a.token, "Timeout")
    assert [r.key for r in store.pending_actions(stale_before=store.action("b").claimed_at)] == ["a"]
    assert [r.key for r in store.pending_actions()] == ["a", "b"]


@pytest.mark.postgres
@pytest.mark.parametrize("released", [False, True])
def test_two_workers_retaking_one_claim_on_postgres_exactly_one_wins(pg_url, released):
    """Two engines (two workers), many rounds, each racing to retake the same stale or released claim."""
    import threading

    from store import open_store

    stores = [open_store(pg_url), open_store(pg_url)]
    try:
        for round_ in range(40):
            key = f"race-{round_}"
            first = stores[0].claim_action(key, "card", "C1", {})
            if released:
                stores[0].release_action(key, first.token, "ConnectionError")
            t0 = stores[0].action(key).claimed_at
            now, stale_before = t0 + timedelta(minutes=10), t0 + timedelta(minutes=5)  # 5 min lease: stale
            barrier, won = threading.Barrier(2), []

            def race(s, key=key, now=now, stale_before=stale_before, barrier=barrier, won=won):
                barrier.wait()
                claim = s.claim_action(key, "card", "C1", {}, now=now, stale_before=stale_before)
                if claim:
                    won.append(claim.token)

            threads = [threading.Thread(target=race, args=(s,)) for s in stores]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            assert len(won) == 1, round_
            assert stores[1].action(key).attempt == 2
    finally:
        for s in stores:
            s.close()


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
