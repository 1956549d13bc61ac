"""000 standard 5: a decision needs a named person and a timescale."""

from __future__ import annotations

from rules.decisions import decision_defects, defects
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
