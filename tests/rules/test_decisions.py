"""000 standard 5: a decision needs a named person and a timescale."""

from __future__ import annotations

from rules.decisions import decision_defects, defects, in_words, sent_decisions
from rules.model import Decision, FactKind

from .conftest import d, fact


def test_decision_defects() -> None:
    assert decision_defects(Decision("Arrange dentist", "sw@council.example", d("2026-12-01"))) == ()
    assert decision_defects(Decision("Arrange dentist", None, None, timescale="within 4 weeks")) == ("named_person",)
    assert decision_defects(Decision("Arrange dentist", " ", None)) == ("named_person", "timescale")


def test_defects_from_facts() -> None:
    facts = [
        fact(FactKind.DECISION_RECORDED, "2026-03-01", decision_id="D1", named_person="sw", due="2026-04-01"),
        fact(FactKind.DECISION_RECORDED, "2026-03-01", decision_id="D2", named_person="sw"),
        fact(FactKind.DECISION_RECORDED, "2026-03-02", decision_id="D3", named_person="sw"),
        fact(FactKind.DECISION_RECORDED, "2026-03-05", decision_id="D3", named_person="sw", due="2026-04-01"),
        fact(FactKind.DECISION_RECORDED, "2026-03-01", key="no-id"),
        fact(FactKind.DECISION_DONE, "2026-03-01", decision_id="D2"),
    ]
    assert defects(facts) == {"D2": ("due",), "no-id": ("named_person", "due")}


def test_a_withdrawn_decision_is_no_defect() -> None:
    facts = [fact(FactKind.DECISION_RECORDED, "2026-03-01", "r:D1", decision_id="D1"),
             fact(FactKind.DECISION_RECORDED, "2026-03-01", "r@v002:D1", decision_id="D1", withdrawn=True)]
    assert defects(facts) == {}


def test_counted_dones_follow_the_latest_version_of_each_record() -> None:
    """A done read from version 1 of a record is taken back when version 2's progress row says otherwise;
    a done repeated by each version counts once (the latest); a done from Teams or email always counts."""
    from rules.decisions import counted_dones

    progress = FactKind.DECISION_PROGRESS
    done = FactKind.DECISION_DONE
    facts = [
        fact(progress, "2026-05-01", record="R", version=1, decision_id="D1"),
        fact(done, "2026-05-01", "v1:D1", record="R", version=1, decision_id="D1"),
        fact(progress, "2026-05-08", record="R", version=2, decision_id="D1"),   # v2 says Not done
        fact(progress, "2026-05-01", record="R", version=1, decision_id="D2"),
        fact(done, "2026-05-01", "v1:D2", record="R", version=1, decision_id="D2"),
        fact(progress, "2026-05-08", record="R", version=2, decision_id="D2"),
        fact(done, "2026-05-08", "v2:D2", record="R", version=2, decision_id="D2"),
        fact(done, "2026-05-09", "teams:D3", decision_id="D3"),
        fact(progress, "2026-05-09", decision_id="D4"),                          # not from a record: no version
    ]
    assert [f.key for f in counted_dones(facts)] == ["v2:D2", "teams:D3"]


def test_a_decision_in_words_never_by_its_id() -> None:
    day = str  # the message's own date format: here ISO
    assert in_words(Decision(" Arrange  a dental check ", "Cara Penhallow", d("2025-05-12")), day) == \
        "Arrange a dental check (Cara Penhallow, by 2025-05-12)"
    assert in_words(Decision("Visit", None, None, timescale="within 4 weeks"), day) == \
        "Visit (no named person, within 4 weeks)"
    assert in_words(Decision("", "Jo", None, decision_id="2025-02-11-3"), day) == \
        "a review decision (2025-02-11-3) (Jo, no timescale)"
    assert in_words(Decision("", "", None), day) == "a review decision (no named person, no timescale)"


def test_the_decisions_sent_are_the_latest_letter_read_for_that_review() -> None:
    row = {"number": 1, "text": "Arrange a dental check", "named_person": "Cara", "due": "2026-04-01",
           "timescale": ""}
    facts = [
        fact(FactKind.DECISIONS_SENT, "2026-03-05", "m1", review_date="2026-03-02", decisions=[row]),
        fact(FactKind.DECISIONS_SENT, "2026-03-06", "m2", review_date="2026-03-02",
             decisions=[row, {"number": 2, "text": "Visit", "named_person": "", "due": None, "timescale": "soon"}]),
        fact(FactKind.DECISIONS_SENT, "2026-03-09", "m3", review_date="2026-03-02", decisions=[]),  # no letter
        fact(FactKind.DECISIONS_SENT, "2026-03-20", "m4", decisions=[row]),  # another review (dated by sending)
        fact(FactKind.DECISION_RECORDED, "2026-03-02", "r", decisions=[row]),
    ]
    assert sent_decisions(facts, d("2026-03-02")) == [
        Decision("Arrange a dental check", "Cara", d("2026-04-01"), None, "2026-03-02-1"),
        Decision("Visit", None, None, "soon", "2026-03-02-2")]
    assert [x.decision_id for x in sent_decisions(facts, d("2026-03-20"))] == ["2026-03-20-1"]
    assert sent_decisions(facts, d("2026-01-01")) == []
