"""The append-only fact log: idempotent recording, ordering, streaming by case."""

from __future__ import annotations

from datetime import date

import pytest

from rules.errors import StoreError
from rules.model import Fact, FactKind

K = FactKind


def fact(case: str, kind: FactKind, on: date, key: str | None = None, **data) -> Fact:
    return Fact(kind, case, on, key or f"{kind}:{case}:{on.isoformat()}", data)


def test_recording_the_same_key_twice_is_a_no_op(store):
    first = fact("C1", K.REVIEW_HELD, date(2025, 3, 3), review_code="PN1")
    assert store.record(first) is True
    assert store.record(first) is False
    # Same key, different content: still the first one stands (append-only, first wins).
    assert store.record(fact("C1", K.REVIEW_HELD, date(2025, 3, 4), key=first.key)) is False
    assert store.facts("C1") == [first]


def test_record_many_counts_only_new_facts_and_skips_duplicates_within_a_batch(store):
    a = fact("C1", K.BECAME_LOOKED_AFTER, date(2024, 1, 1), legal_status="C2")
    b = fact("C1", K.REVIEW_HELD, date(2024, 1, 20))
    assert store.record_many([a, b, a]) == 2
    assert store.record_many([a, b, fact("C2", K.BECAME_LOOKED_AFTER, date(2024, 2, 1))]) == 1
    assert store.count_facts() == 3


def test_record_many_spans_several_batches(store):
    many = [fact(f"C{n:05d}", K.REVIEW_HELD, date(2024, 1, 1)) for n in range(12_001)]
    assert store.record_many(iter(many)) == 12_001
    assert store.record_many(many) == 0


def test_data_round_trips_with_dates_as_iso_strings(store):
    store.record(fact("C1", K.DECISION_RECORDED, date(2025, 1, 1), decision_id="d1", due=date(2025, 2, 1)))
    (back,) = store.facts("C1")
    assert dict(back.data) == {"decision_id": "d1", "due": "2025-02-01"}
    assert back.kind is K.DECISION_RECORDED and back.on == date(2025, 1, 1)


def test_data_that_is_not_json_is_refused_before_anything_is_written(store):
    with pytest.raises(StoreError, match="not JSON"):
        store.record(fact("C1", K.GOOD_PRACTICE, date(2025, 1, 1), note=object()))
    assert store.count_facts() == 0


def test_facts_are_ordered_by_case_then_business_date_and_filtered_by_kind(store):
    store.record_many(
        [
            fact("C2", K.REVIEW_HELD, date(2025, 5, 1)),
            fact("C1", K.REVIEW_HELD, date(2025, 6, 1)),
            fact("C1", K.BECAME_LOOKED_AFTER, date(2025, 1, 1)),
            fact("C1", K.DECISIONS_SENT, date(2025, 6, 3)),
        ]
    )
    assert [(f.case_ref, f.on) for f in store.facts()] == [
        ("C1", date(2025, 1, 1)), ("C1", date(2025, 6, 1)), ("C1", date(2025, 6, 3)), ("C2", date(2025, 5, 1))
    ]
    assert [f.kind for f in store.facts("C1", kinds=[K.REVIEW_HELD, K.DECISIONS_SENT])] == [
        K.REVIEW_HELD, K.DECISIONS_SENT
    ]


def test_facts_by_case_streams_each_case_once_with_all_its_facts(store):
    facts = [fact(f"C{n % 7}", K.REVIEW_HELD, date(2020, 1, 1 + n // 7)) for n in range(70)]
    store.record_many(reversed(facts))
    grouped = list(store.facts_by_case())
    assert [ref for ref, _ in grouped] == [f"C{n}" for n in range(7)]
    assert all(len(group) == 10 and {f.case_ref for f in group} == {ref} for ref, group in grouped)
    assert [f.on for f in grouped[0][1]] == sorted(f.on for f in grouped[0][1])


def test_facts_by_case_can_be_limited_to_some_cases(store):
    store.record_many(fact(f"C{n}", K.REVIEW_HELD, date(2020, 1, 1)) for n in range(5))
    assert [ref for ref, _ in store.facts_by_case(["C3", "C1", "C9"])] == ["C1", "C3"]


def test_a_second_store_on_the_same_database_sees_the_facts_and_migrates_nothing(store, store_url):
    from store import open_store

    store.record(fact("C1", K.REVIEW_HELD, date(2025, 1, 1)))
    again = open_store(store_url)
    try:
        assert again.count_facts() == 1
        assert again.record(fact("C1", K.REVIEW_HELD, date(2025, 1, 1))) is False
    finally:
        again.close()


def test_case_refs_and_a_range_of_cases_for_splitting_the_sweep(store):
    store.record_many(fact(f"C{n:02d}", K.REVIEW_HELD, date(2020, 1, 1 + n % 3)) for n in range(12))
    refs = store.case_refs()
    assert refs == [f"C{n:02d}" for n in range(12)]
    assert [ref for ref, _ in store.facts_by_case(between=("C03", "C05"))] == ["C03", "C04", "C05"]


def test_racing_workers_record_a_fact_once(store):
    from concurrent.futures import ThreadPoolExecutor

    same = [fact(f"C{n}", K.REVIEW_HELD, date(2025, 1, 1)) for n in range(20)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda f: store.record(f), same * 6))
    assert sum(results) == 20 and store.count_facts() == 20
