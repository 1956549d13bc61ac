"""store.due: the whole caseload's clocks, serial or split between processes, as JSON."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date

import pytest

import store.due as due
from rules.model import Deadline, Fact, FactKind, Status, Team
from store.imports import import_903, import_roster
from store.imports.synthetic import generate, write, write_roster

AS_OF = date(2026, 1, 1)


@pytest.fixture
def caseload(store, tmp_path):
    ret = generate(45, date(2018, 1, 1), AS_OF, seed=11)
    files = write(ret, tmp_path)
    import_roster(store, write_roster(ret, tmp_path / "roster.csv", lambda n: ("iro@x.example", "", "", "")))
    assert import_903(store, files["header"], files["episodes"], files["reviews"]).errors == []
    store.upsert_team(Team("T1", "North", tm="tm@x.example", link_iro="iro@x.example"))  # no meetings yet
    store.upsert_team(Team("T2", "South", tm="tm2@x.example"))
    store.record(Fact(FactKind.LINK_MEETING_HELD, "T2", date(2025, 6, 2), "link:T2:2025-06-02", {}))
    return store


def test_several_processes_write_exactly_what_one_process_writes(caseload, monkeypatch):
    monkeypatch.setattr(due, "_BLOCK", 7)  # 45 cases + a team: seven blocks
    one, two = io.StringIO(), io.StringIO()
    serial = due.write_json(due.due_deadlines(caseload, AS_OF), one)
    figures = due.write_due_json(caseload, AS_OF, two, workers=2)
    assert two.getvalue() == one.getvalue()
    assert figures.items == serial > 45 and figures.cases == 45 + 2
    items = json.loads(two.getvalue())
    assert {i["case_ref"] for i in items} >= {"C000001", "T1", "T2"}
    assert figures.worker_peak_kb > 0


def test_workers_writing_straight_to_a_file_keep_the_order(caseload, monkeypatch, tmp_path):
    monkeypatch.setattr(due, "_BLOCK", 5)
    one = io.StringIO()
    due.write_json(due.due_deadlines(caseload, AS_OF), one)
    with (tmp_path / "due.json").open("w") as handle:
        handle.write("")  # the stream may already hold buffered text: it must be flushed first
        figures = due.write_due_json(caseload, AS_OF, handle, workers=3)
    assert (tmp_path / "due.json").read_text() == one.getvalue()
    assert figures.items == len(json.loads(one.getvalue()))


def test_overdue_only_keeps_overdue_items(caseload):
    out = io.StringIO()
    due.write_due_json(caseload, AS_OF, out, overdue_only=True, workers=1)
    assert {i["status"] for i in json.loads(out.getvalue())} == {"overdue"}


def test_an_empty_store_is_an_empty_array(store):
    out = io.StringIO()
    assert due.write_due_json(store, AS_OF, out, workers=2).items == 0
    assert json.loads(out.getvalue()) == []


SAMPLES = [
    Deadline("C1", "first_review", date(2025, 2, 3), Status.MET, date(2025, 1, 20), "iro", "reg33 33(1)",
             date(2025, 1, 6), "review-1"),
    Deadline("C1", "second_review", date(2025, 4, 20), Status.OVERDUE),
    Deadline('C"2\\', "x", date(2025, 4, 20), Status.OPEN, subject="é\n"),
]


def test_the_encoder_gives_as_json_s_items():
    items = json.loads(b"[" + due.CaseJSON()(SAMPLES) + b"]")
    assert items == [d.as_json() for d in SAMPLES]


@dataclass(frozen=True)
class _Grown(Deadline):
    def as_json(self):
        return {**super().as_json(), "computed": self.clock.upper()}


def test_the_encoder_falls_back_to_as_json_when_the_fields_do_not_say_everything():
    grown = _Grown("C1", "first_review", date(2025, 2, 3), Status.OPEN)
    mixed = [SAMPLES[0], grown]
    assert json.loads(b"[" + due.CaseJSON()(mixed) + b"]") == [d.as_json() for d in mixed]
