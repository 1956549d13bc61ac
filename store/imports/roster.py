"""The council's roster CSVs: children (required), and optionally staff and teams.

children CSV (one row per looked-after child; dates yyyy-mm-dd or dd/mm/yyyy):
    case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder[,in_proceedings]
staff CSV (IROs, SWs, TMs, HoS...; fte for the IRO caseload band, Handbook 7.15 in 002):
    email,display_name,role[,fte,phone]
teams CSV (each IRO's link team, 000 standard 14):
    team_id,name,tm[,hos,link_iro,channel]

Each child row is upserted into the roster and records BECAME_LOOKED_AFTER on looked_after_since,
with the same key the SSDA903 import uses (became_looked_after:CASE:DATE), so a child in both
sources starts one clock, not two.
"""

from __future__ import annotations

from pathlib import Path

from rules.model import Child, Fact, FactKind, Person, Team
from rules.roles import ROLES as ROSTER_ROLES
from store.imports.csvfile import BadRow, case_ref, check_width, email, fits, parse_date, read_rows, reject
from store.imports.report import ImportReport
from store.store import Store

IMPORTER = "roster"
CHILD_COLUMNS = ["case_ref", "looked_after_since", "legal_status", "iro", "sw", "tm", "team", "case_folder"]
STAFF_COLUMNS = ["email", "display_name", "role"]
TEAM_COLUMNS = ["team_id", "name", "tm"]
ROLES = set(ROSTER_ROLES)  # rules/roles.py: the one list
_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False, "": False}


def import_roster(store: Store, path: Path) -> ImportReport:
    path, report, seen = Path(path), ImportReport(), set()
    rows: list[tuple[Child, Fact]] = []
    for line, row in read_rows(path, CHILD_COLUMNS, upper=False):
        report.rows += 1
        try:
            child = _child(row)
            if child.case_ref in seen:
                raise BadRow("case_ref appears twice in the file; keep one row per child", child.case_ref)
            seen.add(child.case_ref)
        except BadRow as bad:
            reject(store, report.errors, path, line, bad, IMPORTER)
            continue
        report.roster += 1
        rows.append((child, Fact(
            FactKind.BECAME_LOOKED_AFTER,
            child.case_ref,
            child.looked_after_since,
            f"became_looked_after:{child.case_ref}:{child.looked_after_since.isoformat()}",
            {"legal_status": child.legal_status} if child.legal_status else {},
        )))
    report.new_facts = store.upsert_children(rows)  # each child with its fact, or neither
    report.known_facts = len(rows) - report.new_facts
    return report


def _child(row: dict[str, str]) -> Child:
    check_width(row)
    ref = case_ref(row["case_ref"], "case_ref")
    try:
        flag = row.get("in_proceedings", "").lower()
        if flag not in _YES:
            raise BadRow("in_proceedings is not yes or no")
        return Child(
            case_ref=ref,
            looked_after_since=parse_date(row["looked_after_since"], "looked_after_since"),
            legal_status=fits(row["legal_status"].upper(), "legal_status", 32),
            iro=email(row["iro"], "iro", required=True),
            sw=email(row["sw"], "sw"),
            tm=email(row["tm"], "tm"),
            team=fits(row["team"], "team", 64),
            case_folder=row["case_folder"],
            in_proceedings=_YES[flag],
        )
    except BadRow as bad:
        raise BadRow(bad.reason, ref) from None


def import_staff(store: Store, path: Path) -> ImportReport:
    path, report = Path(path), ImportReport()
    for line, row in read_rows(path, STAFF_COLUMNS, upper=False):
        report.rows += 1
        try:
            check_width(row)
            role = row["role"].lower()
            if role not in ROLES:
                raise BadRow(f"role is not one of {', '.join(sorted(ROLES))}")
            person = Person(
                email(row["email"], "email", required=True), fits(row["display_name"], "display_name", 200), role,
                _fte(row), phone=fits(row.get("phone", ""), "phone", 40),
            )
        except BadRow as bad:
            reject(store, report.errors, path, line, bad, IMPORTER)
            continue
        store.upsert_person(person)
        report.roster += 1
    return report


def _fte(row: dict[str, str]) -> float:
    text = row.get("fte", "") or "1"
    try:
        fte = float(text)
    except ValueError:
        raise BadRow("fte is not a number (1 = full time, 0.5 = half time)") from None
    if not 0 < fte <= 1.5:
        raise BadRow(f"fte {fte} is outside 0 to 1.5")
    return fte


def import_teams(store: Store, path: Path) -> ImportReport:
    path, report = Path(path), ImportReport()
    for line, row in read_rows(path, TEAM_COLUMNS, upper=False):
        report.rows += 1
        try:
            check_width(row)
            team = Team(
                team_id=case_ref(row["team_id"], "team_id"),
                name=fits(row["name"], "name", 200) or row["team_id"],
                tm=email(row["tm"], "tm", required=True),
                hos=email(row.get("hos", ""), "hos"),
                link_iro=email(row.get("link_iro", ""), "link_iro"),
                channel=fits(row.get("channel", ""), "channel", 200),
            )
        except BadRow as bad:
            reject(store, report.errors, path, line, bad, IMPORTER)
            continue
        store.upsert_team(team)
        report.roster += 1
    return report
