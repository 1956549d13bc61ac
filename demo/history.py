"""The demo council's history and roster as a council would hand them over: CSV files, imported.

Before the year: the roster CSVs (staff, teams, the children in care at the start) and an SSDA903 return
(header, episodes, reviews) are written under `<out>/imports/` and loaded with the store's importers
(store/imports/), as a council's go-live would. During the year: the roster export changes (a child comes
into care, a child moves team) and the daily roster sync (function_app/roster_sync.py) turns the change into
facts through the bus. So the demo constructs no fact itself.

Dates of birth are made up from the case reference (the return requires one; the app never stores it).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from demo.council import Council
from rules.model import Child

STAFF = ("email", "display_name", "role", "fte", "phone")
TEAMS = ("team_id", "name", "tm", "hos", "link_iro", "channel")
CHILDREN = ("case_ref", "looked_after_since", "legal_status", "iro", "sw", "tm", "team", "case_folder",
            "in_proceedings")


def _write(path: Path, header: tuple[str, ...] | list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def _dob(c: Child) -> date:
    years = 2 + int(hashlib.sha256(c.case_ref.encode()).hexdigest(), 16) % 13
    return c.looked_after_since - timedelta(days=365 * years + 40)


class Roster:
    """The council's roster export, as it stands on a day (the demo edits it as the council would)."""

    def __init__(self, council: Council, folder: Path) -> None:
        self.council, self.folder = council, folder
        self.children = {c.case_ref: c for c in council.children}

    def write(self, day: date) -> tuple[Path, Path, Path]:
        staff = [[p.email, p.display_name, p.role, f"{p.fte:g}", p.phone] for p in self.council.people]
        teams = [[t.team_id, t.name, t.tm, t.hos, t.link_iro, t.channel] for t in self.council.teams]
        kids = [[c.case_ref, c.looked_after_since.isoformat(), c.legal_status, c.iro, c.sw, c.tm, c.team,
                 c.case_folder, "yes" if c.in_proceedings else "no"]
                for c in self.children.values() if c.looked_after_since <= day]
        return (_write(self.folder / "roster-children.csv", CHILDREN, kids),
                _write(self.folder / "roster-staff.csv", STAFF, staff),
                _write(self.folder / "roster-teams.csv", TEAMS, teams))

    def move(self, case_ref: str, to_team: str, to_sw: str = "") -> None:
        team = next((t for t in self.council.teams if t.team_id == to_team), None)
        c = self.children[case_ref]
        self.children[case_ref] = replace(c, team=to_team, tm=team.tm if team else c.tm, sw=to_sw or c.sw)


def write_return(council: Council, folder: Path) -> tuple[Path, Path, Path]:
    """The SSDA903 return of the children in care at the start: one open episode each, and their reviews."""
    before = [c for c in council.children if c.looked_after_since < council.start]
    header = [[c.case_ref, _dob(c).strftime("%d/%m/%Y")] for c in before]
    episodes = [[c.case_ref, c.looked_after_since.strftime("%d/%m/%Y"), "S", c.legal_status, "N1", "U1", "", ""]
                for c in before]
    reviews = [[c.case_ref, _dob(c).strftime("%d/%m/%Y"), d.strftime("%d/%m/%Y"), "PN1"]
               for c in before for d in council.prior_reviews.get(c.case_ref, ())]
    return (_write(folder / "ssda903-header.csv", ["CHILD", "DOB"], header),
            _write(folder / "ssda903-episodes.csv", ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "REC", "DEC"],
                   episodes),
            _write(folder / "ssda903-reviews.csv", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], reviews))


def import_history(store, council: Council, folder: Path) -> Roster:
    """Go-live: the roster and the SSDA903 return imported; returns the roster for the year's changes."""
    from store.imports import import_903, import_roster, import_staff, import_teams

    roster = Roster(council, folder)
    children, staff, teams = roster.write(council.start - timedelta(days=1))
    import_staff(store, staff)
    import_teams(store, teams)
    import_roster(store, children)
    import_903(store, *write_return(council, folder))
    return roster
