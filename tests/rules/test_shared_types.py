"""The shared types in rules/errors.py and rules/model.py: messages carry what a person needs, no names."""

from __future__ import annotations

import pytest

from rules import errors as E
from rules.model import Deadline, Fact, FactKind, Status

from .conftest import d


def test_error_messages() -> None:
    assert str(E.PolicyError("p.yaml", "clocks.x", "bad", "fix it")) == "p.yaml: clocks.x: bad. Fix: fix it"
    assert "allowed from 'stage1': respond" in str(E.TransitionNotAllowed("stage1", "x", ["respond"]))
    assert str(E.InputError("no ref", "add it", "CLA-1")) == "no ref What to do: add it"
    assert str(E.InputError("no ref")) == "no ref"
    row = E.ImportError_("903.csv", 7, "bad date")
    assert (row.file, row.line) == ("903.csv", 7) and "903.csv:7: bad date" in str(row)
    missing = E.MissingFields("letter.docx", ["b", "a"])
    assert missing.missing == ("a", "b") and "letter.docx" in str(missing)
    graph = E.GraphError("boom", status=500, request_id="r1")
    assert (graph.status, graph.request_id) == (500, "r1")
    assert E.Throttled("slow", retry_after=3.0, status=429).retry_after == 3.0
    denied = E.PermissionDenied("no", permission="Sites.Selected", status=403)
    assert denied.permission == "Sites.Selected" and "Sites.Selected" in str(denied)
    assert str(E.PermissionDenied("no")) == "no"
    for cls in (E.CafcassNotDiscussed, E.NoCaseReference, E.NotFound, E.Unavailable, E.DeliveryError,
                E.StoreError, E.CalendarError, E.TemplateError):
        assert issubclass(cls, E.IROError)


def test_deadline_as_json_and_fact_freezing() -> None:
    x = Deadline("CLA-1", "first_review", d("2027-01-14"), Status.MET, d("2027-01-13"), "iro", "reg 33(2)(a)",
                 d("2026-12-14"), "review-1")
    assert x.as_json() == {
        "case_ref": "CLA-1", "clock": "first_review", "due": "2027-01-14", "status": "met", "met_on": "2027-01-13",
        "owner_role": "iro", "source": "reg 33(2)(a)", "started_on": "2026-12-14", "subject": "review-1",
    }
    bare = Deadline("CLA-1", "x", d("2027-01-14"), Status.OPEN)
    assert bare.as_json()["met_on"] is None and bare.as_json()["started_on"] is None
    f = Fact("review_held", "CLA-1", d("2027-01-14"), "k", {"early": True})
    assert f.kind is FactKind.REVIEW_HELD
    with pytest.raises(TypeError):
        f.data["early"] = False  # type: ignore[index]


def test_fast_built_deadlines_equal_ordinary_ones(policy, cal) -> None:  # type: ignore[no-untyped-def]
    from rules.clocks import deadlines

    found = deadlines("CLA-1", [Fact(FactKind.BECAME_LOOKED_AFTER, "CLA-1", d("2026-12-14"), "k")], policy, cal,
                      d("2026-12-15"), only_open=True)
    (got,) = [x for x in found if x.clock == "first_review"]
    same = Deadline("CLA-1", "first_review", d("2027-01-14"), Status.OPEN, None, "iro", "reg 33(2)(a)",
                    d("2026-12-14"), "review-1")
    assert got == same and hash(got) == hash(same) and repr(got) == repr(same)
    with pytest.raises(AttributeError):
        got.due = d("2027-01-15")  # type: ignore[misc]
