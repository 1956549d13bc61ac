"""Keys of any length are stored and deduplicated (store/keys.py): a 10 KB id must not poison a message on
PostgreSQL's VARCHAR(400), and two long keys differing only at their end stay two."""

from __future__ import annotations

from datetime import date

from rules.model import Fact, FactKind
from store import Store
from store.keys import KEY_WIDTH, bounded_key
from store.records import ConversationRef

LONG = "Users/x/Events/" + "A" * 10_000


def test_long_fact_keys_are_stored_once_and_stay_distinct(store: Store):
    fact = Fact(FactKind.REVIEW_BOOKED, "CLA-1", date(2026, 3, 2), LONG + ":booked", {"event_id": "e"})
    other = Fact(FactKind.REVIEW_BOOKED, "CLA-1", date(2026, 3, 2), LONG + ":moved", {"event_id": "e"})
    assert store.record(fact) and not store.record(fact)  # the same long key twice: one fact
    assert store.record(other)                             # differs only past the prefix: another
    assert {len(f.key) for f in store.facts("CLA-1")} == {KEY_WIDTH}


def test_long_action_state_and_conversation_keys(store: Store):
    claim = store.claim_action(LONG, "card", "CLA-1", {})
    assert claim is not None and store.claim_action(LONG, "card", "CLA-1", {}) is None
    assert store.complete_action(LONG, {"ok": True}, claim.token) and store.action(LONG).done
    store.set_state(LONG, "v1")
    store.set_state(LONG, "v2")
    assert store.get_state(LONG) == "v2"
    ref = ConversationRef(key=LONG, upn="a@council.example", user_id="29:a", aad_object_id="", conversation_id="c",
                          service_url="https://smba.example/")
    store.save_conversation(ref)
    assert store.conversation(LONG).conversation_id == "c"


def test_bounded_key_keeps_short_keys_and_hashes_long_ones():
    assert bounded_key("short") == "short"
    assert bounded_key("x" * KEY_WIDTH) == "x" * KEY_WIDTH
    long = bounded_key("y" * (KEY_WIDTH + 1))
    assert len(long) == KEY_WIDTH and "#sha256:" in long and long == bounded_key("y" * (KEY_WIDTH + 1))
