"""sync_roster: a new child starts their care through the handlers; a team change is a transfer."""

from __future__ import annotations

from datetime import date

import pytest

from function_app import runtime
from function_app.settings import AppSettings
from rules.errors import InputError
from rules.model import FactKind
from tests.app.world import CASE, IRO, MANAGER, SW, TM, World

HEADER = "case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n"


def test_new_child_gets_the_introduction_and_a_team_change_is_a_transfer(world: World, tmp_path, monkeypatch):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 4 stage 1", "Concern.")  # open resolution on CASE
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + f"{CASE},2026-01-05,C2,{IRO},{SW},{TM},T2,\n"
                      f"CLA-100777,2026-02-27,V2,{IRO},{SW},{TM},T1,\n"
                      "not-a-ref,yesterday,,,,,,\n")
    world.svc.settings = AppSettings.from_env({"IRO_ROSTER_SOURCE": "folder", "IRO_ROSTER_LOCATION": str(tmp_path)})
    runtime.sync_roster(bus=world.bus)
    assert world.svc.store.facts("CLA-100777", [FactKind.IRO_INTRODUCED])
    assert any("introduction-letter" in n for n in world.documents("CLA-100777"))
    assert [f.data["to_team"] for f in world.facts(FactKind.TEAM_TRANSFER)] == ["T2"]
    assert world.heard(MANAGER)["transfer_blocked"] == {"digest"}  # with a resolution open (004 App. 1)
    assert any("not-a-ref" in p.reason or "line 4" in p.source or "roster" in p.source for p in world.problems())
    sent = len(world.svc.mail.sent)
    runtime.sync_roster(bus=world.bus)  # the same file again changes nothing
    assert len(world.svc.mail.sent) == sent and len(world.facts(FactKind.TEAM_TRANSFER)) == 1


def test_without_a_roster_source_nothing_happens(world: World):
    world.svc.settings = AppSettings.from_env({})
    assert runtime.sync_roster(bus=world.bus) == 0


def test_a_source_without_the_roster_file_is_an_error_naming_where(world: World, tmp_path):
    world.svc.settings = AppSettings.from_env({"IRO_ROSTER_SOURCE": "folder", "IRO_ROSTER_LOCATION": str(tmp_path)})
    with pytest.raises(InputError, match="roster.csv is not in folder"):
        runtime.sync_roster(bus=world.bus)
