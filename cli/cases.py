"""`iro` commands for cases: imports, the policy check, the problems list, and `iro due`.

    iro import-roster FILE [--staff F] [--teams F]
    iro import-903 --header F --episodes F --reviews F
    iro policy check FILE
    iro due --as-of YYYY-MM-DD [--case REF] [--iro EMAIL] [--overdue] [--json] [--policy FILE]
    iro problems [--all]

Every command takes --db URL (else IRO_DB_URL, else ./iro.sqlite). Heavy imports (SQLAlchemy, the
rules) happen inside the commands so `iro --help` stays quick.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rules.model import Deadline
    from store import Store
    from store.imports import ImportReport

from cli.console import err, out

DB = typer.Option(None, "--db", help="Store URL (sqlite:///FILE or postgresql+psycopg://...); default IRO_DB_URL.")
_FILE = {"exists": True, "dir_okay": False, "readable": True}


def _open(db: str | None) -> Store:
    from rules.errors import StoreError
    from store import open_store

    try:
        return open_store(db)
    except StoreError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from None


def _show_report(report: ImportReport) -> None:
    out.print(
        f"{report.rows} rows read; {report.new_facts} facts recorded, {report.known_facts} already recorded; "
        f"{report.roster} roster entries written; {report.rejected} rows rejected.",
        soft_wrap=True,  # one line, however narrow the terminal: scripts read it
    )
    if report.errors:
        err.print("Rejected rows (also recorded as problems: `iro problems`):")
        for e in report.errors:  # file:line: reason, one a line, never truncated: editors and grep read it
            case = f" [case {e.case_ref}]" if e.case_ref else ""
            err.print(f"  {e.reason}{case}", soft_wrap=True, markup=False, highlight=False)
        err.print("Correct these rows and import the file again; the rows already loaded will not be duplicated.")
        raise typer.Exit(1)


def _run_import(action) -> None:
    from rules.errors import InputError

    try:
        report = action()
    except InputError as exc:  # a whole file unusable: missing, empty, or missing columns
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    _show_report(report)


def import_roster_cmd(
    file: Path = typer.Argument(..., **_FILE, help="Children CSV: " + "case_ref,looked_after_since,legal_status,"
                                "iro,sw,tm,team,case_folder[,in_proceedings]"),
    staff: Path | None = typer.Option(None, **_FILE, help="Staff CSV: email,display_name,role[,fte,phone]"),
    teams: Path | None = typer.Option(None, **_FILE, help="Teams CSV: team_id,name,tm[,hos,link_iro,channel]"),
    db: str | None = DB,
) -> None:
    """Load the roster: children (and optionally staff and teams). Re-importing updates, never duplicates."""
    from store.imports import ImportReport, import_roster, import_staff, import_teams

    store = _open(db)

    def run() -> ImportReport:
        report = ImportReport()
        if staff:
            report.add(import_staff(store, staff))
        if teams:
            report.add(import_teams(store, teams))
        report.add(import_roster(store, file))
        return report

    _run_import(run)


def import_903_cmd(
    header: Path = typer.Option(..., **_FILE, help="SSDA903 header CSV (CHILD, DOB)"),
    episodes: Path = typer.Option(..., **_FILE, help="SSDA903 episodes CSV (CHILD, DECOM, RNE, LS, ..., REC, DEC)"),
    reviews: Path = typer.Option(..., **_FILE, help="SSDA903 reviews CSV (CHILD, DOB, REVIEW, REVIEW_CODE)"),
    db: str | None = DB,
) -> None:
    """Load a DfE SSDA903 return. Importing the same files twice changes nothing."""
    from store.imports import import_903

    store = _open(db)
    _run_import(lambda: import_903(store, header, episodes, reviews))


policy_app = typer.Typer(help="Council policy files.", no_args_is_help=True)


@policy_app.command("check")
def policy_check(file: Path = typer.Argument(..., help="Policy YAML file")) -> None:
    """Validate a policy file and print its clocks; a broken file prints the problem and exits 1."""
    from rules.errors import PolicyError
    from rules.policy import load_policy

    try:
        policy = load_policy(file)
    except PolicyError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    table = Table(title=f"{policy.council}: {len(policy.clocks)} clocks")
    wide = out.width >= 110  # "met by" and reminders only where they fit
    names = ["clock", "starts at", "runs for", "owner", "source"] + (["met by", "reminders"] if wide else [])
    for name in names:
        table.add_column(name, no_wrap=name in ("clock", "runs for"))
    for clock_id, c in policy.clocks.items():
        cells = [clock_id, c.start, f"{c.amount} {c.unit.replace('_', ' ')}", c.owner_role, c.source.cite]
        extra = [str(c.met_by or ""), ", ".join(str(r) for r in c.reminders)] if wide else []
        table.add_row(*cells, *extra)
    out.print(table)
    out.print(f"{file}: valid.")


def _write_table(groups: Iterable[tuple[str, list[Deadline]]], as_of: date) -> None:
    colours = {"met": "green", "missed": "red", "open": "cyan", "overdue": "bold red"}
    table = Table(title=f"Clocks as of {as_of}")
    for name in ("case", "clock", "due", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("met on", no_wrap=True)
    table.add_column("about")
    wide = out.width >= 110 or not out.is_terminal  # owner and source where they fit; a pipe takes every column
    if wide:
        table.add_column("owner")
        table.add_column("source")
    for _ref, found in groups:
        for d in found:
            status = str(d.status)
            cells = [d.case_ref, d.clock, d.due.isoformat(), Text(status, style=colours[status]),
                     d.met_on.isoformat() if d.met_on else "", d.subject]
            table.add_row(*cells, *((d.owner_role, d.source) if wide else ()))
    out.print(table)
    out.print(f"{table.row_count} clocks.")


def due(
    as_of: str = typer.Option(..., "--as-of", help="The day to judge the clocks on (YYYY-MM-DD)."),
    case: str | None = typer.Option(None, "--case", help="Only this case reference (or link team id)."),
    iro: str | None = typer.Option(None, "--iro", help="Only this IRO's children and link teams (e-mail)."),
    overdue: bool = typer.Option(False, "--overdue", help="Only clocks still running past their due date."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array instead of a table."),
    policy_file: Path | None = typer.Option(None, "--policy", **_FILE, help="Policy file (default: bundled)."),
    workers: int = typer.Option(0, "--workers", min=0, help="Processes for the whole caseload (0: one per CPU)."),
    db: str | None = DB,
) -> None:
    """List every clock of every case, past and present: met, missed, open or overdue."""
    from rules.errors import IROError, PolicyError
    from rules.policy import load_policy
    from store.due import due_deadlines, write_due_json, write_json

    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        err.print(f"--as-of '{as_of}' is not a date; write it as YYYY-MM-DD", style="red", markup=False)
        raise typer.Exit(2) from None
    try:
        policy = load_policy(policy_file)
    except PolicyError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    store = _open(db)
    try:
        if as_json and case is None and iro is None:
            write_due_json(store, day, sys.stdout, policy=policy, overdue_only=overdue, workers=workers)
            return
        groups = due_deadlines(store, day, policy=policy, case_ref=case, iro=iro, overdue_only=overdue)
        if as_json:
            write_json(groups, sys.stdout)
        else:
            _write_table(groups, day)
    except IROError as exc:  # e.g. a fact dated outside the working-day calendar: name it, stop
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None


def problems_cmd(
    all_: bool = typer.Option(False, "--all", help="Include resolved problems."),
    db: str | None = DB,
) -> None:
    """List recorded problems (bad input a person must fix)."""
    found = _open(db).problems(open_only=not all_)
    table = Table("id", "source", "case", "reason", "what to do", "raised", "resolved", title="Problems")
    for p in found:
        table.add_row(
            str(p.id), p.source, p.case_ref or "", p.reason, p.what_to_do,
            f"{p.raised_at:%Y-%m-%d %H:%M}", f"{p.resolved_at:%Y-%m-%d}" if p.resolved_at else "",
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `iro` app."""
    app.command("import-roster")(import_roster_cmd)
    app.command("import-903")(import_903_cmd)
    app.command("due")(due)
    app.command("problems")(problems_cmd)
    app.add_typer(policy_app, name="policy")
