"""The daily roster sync: the council's roster export (IRO_ROSTER_FILE, and optionally IRO_STAFF_FILE and
IRO_TEAMS_FILE, CSVs as in docs/store.md) imported, then what changed turned into facts for the bus.

A child new to the roster starts their period of care through the handlers (the IRO's introduction letter
goes out, once); a child whose team changed gets a `team_transfer` fact (which alerts when a resolution is
open: 004 Appendix 1). Bad rows are recorded as problems by the importer, never dropped.
"""

from __future__ import annotations

from pathlib import Path

from function_app.messages import FactRecorded, Message
from function_app.services import Services
from rules.model import Fact, FactKind


def sync(svc: Services, roster: Path, staff: Path | None = None, teams: Path | None = None) -> list[Message]:
    from store.imports.roster import import_roster, import_staff, import_teams

    before = {c.case_ref: c for c in svc.store.children()}
    if staff:
        import_staff(svc.store, staff)
    if teams:
        import_teams(svc.store, teams)
    import_roster(svc.store, roster)
    out: list[Message] = []
    for child in svc.store.children():
        old = before.get(child.case_ref)
        if old is None:
            out += [FactRecorded(f, False) for f in svc.store.facts(child.case_ref, [FactKind.BECAME_LOOKED_AFTER])]
        elif old.team and child.team != old.team:
            fact = Fact(FactKind.TEAM_TRANSFER, child.case_ref, svc.today(),
                        f"transfer:{child.case_ref}:{old.team}:{child.team}:{svc.today().isoformat()}",
                        {"from_team": old.team, "to_team": child.team})
            out.append(FactRecorded(fact, svc.store.record(fact)))
    return out
