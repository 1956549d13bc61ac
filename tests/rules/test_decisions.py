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
