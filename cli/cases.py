"""`iro` commands for cases: imports, the policy check, the problems list, and `iro due`.

    iro import-roster FILE [--staff F] [--teams F]
    iro import-903 --header F --episodes F --reviews F
    iro policy check FILE
    iro due --as-of YYYY-MM-DD [--case REF] [--iro EMAIL] [--team ID] [--overdue [--since DAY]] [--json]
    iro problems [--open] [--case REF] [--json] [--policy FILE]
    iro problems resolve ID --note TEXT [--by WHO]

Every command takes --db URL (else IRO_DB_URL, else ./iro.sqlite). Only the imports create a store; every
other command refuses one that does not exist, naming it (exit 2), and a case reference, IRO or team the
store does not know is an error naming it (exit 2), never an empty table. Text that people typed (problem
reasons, notes, file names) is printed literally (cli.console: markup off), never read as markup. Heavy imports
(SQLAlchemy, the rules) happen inside the commands so `iro --help` stays quick.
"""

from __future__ import annotations

import json
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


def _open(db: str | None, create: bool = False) -> Store:
    """The store at --db; only the imports may `create` one (a mistyped path must not become an empty store)."""
    from rules.errors import StoreError
    from store import open_store

    try:
        return open_store(db, create=create)
    except StoreError as exc:
        err.print(str(exc), style="red")
        raise typer.Exit(2) from None


def _refuse(message: str) -> None:
    err.print(str(message), style="red")
    raise typer.Exit(2)


def _canonical_case(ref: str, policy) -> str:
    """The case reference as the council writes it ("cla100044" -> "CLA-100044"), or as typed (a team id)."""
    from rules.references import find_case_ref

    found = find_case_ref(ref, policy)
    return found if found and policy.pattern("case_ref").fullmatch(ref.strip()) else ref


def _check_case(store: Store, ref: str) -> None:
    """A case reference (or link team id) the store knows: on the roster, or with facts or problems."""
    if store.child(ref) or store.team(ref) or ref in store.case_refs() or store.problems(False, case_ref=ref):
        return
    _refuse(f"no case or team '{ref}' in the store: check the reference (case references look like those "
            "in `iro due --as-of YYYY-MM-DD`), or import the roster that has it")


def _check_iro(store: Store, email: str) -> None:
    person = store.person(email)
    if person is None:
        _refuse(f"no IRO '{email}' on the roster: check the address, or import the staff list "
                "(`iro import-roster ... --staff FILE`)")
    if person.role != "iro" and not store.children(iro=email):
        _refuse(f"'{email}' is on the roster as '{person.role or 'no role'}', not as an IRO: give an IRO's address")


def _check_team(store: Store, team_id: str) -> None:
    if store.team(team_id) is None:
        known = ", ".join(t.team_id for t in store.teams()) or "none yet"
        _refuse(f"no team '{team_id}' on the roster (teams: {known}): check the id, or import the teams "
                "(`iro import-roster ... --teams FILE`)")


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
        err.print(str(exc), style="red")
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

    store = _open(db, create=True)

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

    store = _open(db, create=True)
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
        err.print(str(exc), style="red")
        raise typer.Exit(1) from None
    table = Table(title=f"{policy.council}: {len(policy.clocks)} clocks")
    wide = out.width >= 110  # "met by" and reminders only where they fit
    names = ["clock", "starts at", "runs for", "owner", "source"] + (["met by", "reminders"] if wide else [])
    for name in names:
        table.add_column(name, no_wrap=name in ("clock", "runs for"))
    for clock_id, c in policy.clocks.items():
        cells = [clock_id, c.start, ("-" if c.amount < 0 else "") + c.span, c.owner_role, c.source.cite]
        extra = [str(c.met_by or ""), ", ".join(str(r) for r in c.reminders)] if wide else []
        table.add_row(*cells, *extra)
    out.print(table)
    out.print(f"{file}: valid.")


def _write_table(groups: Iterable[tuple[str, list[Deadline]]], as_of: date, policy, since: date | None = None) -> None:
    from rules.citations import for_staff

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
            table.add_row(*cells, *((d.owner_role, for_staff(policy, d.source)) if wide else ()))
    out.print(table)
    out.print(f"{table.row_count} clocks.")
    if since is not None:
        out.print(f"Overdue clocks due before go-live ({since.isoformat()}) are history and not listed; "
                  "--since YYYY-MM-DD lists them from another day.")


def due(
    as_of: str = typer.Option(..., "--as-of", help="The day to judge the clocks on (YYYY-MM-DD)."),
    case: str | None = typer.Option(None, "--case", help="Only this case reference (or link team id)."),
    iro: str | None = typer.Option(None, "--iro", help="Only this IRO's children and link teams (e-mail)."),
    team: str | None = typer.Option(None, "--team", help="Only this team's children and its link clocks (team id)."),
    overdue: bool = typer.Option(False, "--overdue", help="Only clocks still running past their due date, due on "
                                 "or after go-live (IRO_ALERTS_FROM, else the day the store's first fact was "
                                 "recorded)."),
    since: str | None = typer.Option(None, "--since", help="With --overdue: from this day (YYYY-MM-DD) instead "
                                     "of go-live."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array instead of a table."),
    policy_file: Path | None = typer.Option(None, "--policy", **_FILE, help="Policy file (default: bundled)."),
    workers: int = typer.Option(0, "--workers", min=0, help="Processes for the whole caseload (0: one per CPU)."),
    db: str | None = DB,
) -> None:
    """List every clock of every case, past and present: met, missed, open or overdue."""
    from rules.errors import IROError
    from store.due import due_deadlines, write_due_json, write_json

    day, from_day = _day("--as-of", as_of), _day("--since", since) if since else None
    if since is not None and not overdue:
        _refuse("--since only narrows --overdue: add --overdue, or leave --since out")
    if case is not None and (iro is not None or team is not None):
        _refuse("--case names one case: leave out --iro and --team, or drop --case to list theirs")
    policy = _policy_or_exit(policy_file)
    store = _open(db)
    if case is not None:
        case = _canonical_case(case, policy)
        _check_case(store, case)
    if iro is not None:
        _check_iro(store, iro)
    if team is not None:
        _check_team(store, team)
    go_live = (from_day or _go_live(store)) if overdue else None
    try:
        if as_json and case is None and iro is None and team is None:
            write_due_json(store, day, sys.stdout, policy=policy, overdue_only=overdue, overdue_from=go_live,
                           workers=workers)
            return
        groups = due_deadlines(store, day, policy=policy, case_ref=case, iro=iro, team=team, overdue_only=overdue,
                               overdue_from=go_live)
        if as_json:
            write_json(groups, sys.stdout)
        else:
            _write_table(groups, day, policy, go_live)
    except IROError as exc:  # e.g. a fact dated outside the working-day calendar: name it, stop
        err.print(str(exc), style="red")
        raise typer.Exit(1) from None


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"{option} '{text}' is not a date; write it as YYYY-MM-DD", style="red")
        raise typer.Exit(2) from None


def _go_live(store: Store) -> date | None:
    """The go-live day as the app keeps it (function_app/go_live.py: IRO_ALERTS_FROM, else its first sweep's
    day), else the day the store's first fact was recorded (the history a council imports before it starts)."""
    from function_app.go_live import recorded
    from function_app.settings import AppSettings
    from rules.errors import IROError

    try:
        alerts_from = AppSettings.from_env().alerts_from
    except IROError as exc:  # a malformed setting (PolicyError): named, with the fix
        err.print(str(exc), style="red")
        raise typer.Exit(2) from None
    return recorded(store, alerts_from) or store.first_recorded_on()


def _policy_or_exit(policy_file: Path | None):
    """The council's policy (the bundled one without --policy); a broken file is printed, exit 1."""
    from rules.errors import PolicyError
    from rules.policy import load_policy

    try:
        return load_policy(policy_file)
    except PolicyError as exc:
        err.print(str(exc), style="red")
        raise typer.Exit(1) from None


problems_app = typer.Typer(help="Problems: bad input a person must see and fix, listed until resolved.",
                           invoke_without_command=True)


@problems_app.callback()
def problems_cmd(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only problems not yet resolved."),
    case: str | None = typer.Option(None, "--case", help="Only this case's problems (case reference)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array instead of a table."),
    policy_file: Path | None = typer.Option(None, "--policy", **_FILE, help="Policy file whose document titles "
                                            "the citations are shown in (default: bundled)."),
    db: str | None = DB,
) -> None:
    """List recorded problems (bad input a person must fix), oldest first; `resolve` marks one done."""
    from rules.citations import in_text

    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    policy = _policy_or_exit(policy_file)
    store = _open(db)
    if case is not None:
        case = _canonical_case(case, policy)
        _check_case(store, case)
    found = store.problems(open_only=open_only, case_ref=case)
    if as_json:  # in the council's words, as the table is
        words = [p.as_json() | {"reason": in_text(policy, p.reason), "what_to_do": in_text(policy, p.what_to_do)}
                 for p in found]
        print(json.dumps(words, indent=2, ensure_ascii=False))
        return
    table = Table(title="Problems")
    for name in ("id", "source", "case", "reason", "what to do", "raised", "resolved"):
        table.add_column(name, overflow="fold")  # what people wrote is never cut short with an ellipsis
    for p in found:
        resolved = f"{p.resolved_at:%Y-%m-%d} {p.resolved_by}: {p.resolution_note}".strip() if p.resolved_at else ""
        table.add_row(str(p.id), p.source, p.case_ref or "", in_text(policy, p.reason), in_text(policy, p.what_to_do),
                      f"{p.raised_at:%Y-%m-%d %H:%M}", resolved)
    out.print(table)
    still = sum(p.resolved_at is None for p in found)
    out.print(f"{len(found)} problems, {still} open." + (" Mark one done: iro problems resolve ID --note TEXT"
                                                        if still else ""))


@problems_app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    problem_id: int = typer.Argument(..., metavar="ID", help="The problem's id, as `iro problems` lists it."),
    note: str = typer.Option(..., "--note", help="What was done about it (kept as typed)."),
    by: str | None = typer.Option(None, "--by", help="Who resolved it (default: your user name)."),
    db: str | None = DB,
) -> None:
    """Mark a problem resolved: when (the store's clock), by whom, and what was done."""
    import getpass

    from rules.errors import StoreError

    if not note.strip():
        _refuse("--note is empty: say what was done about the problem")
    if len(note) > 2000:
        _refuse(f"--note is {len(note)} characters; keep it under 2000 (the details belong in the case record)")
    store = _open(db or ctx.obj)
    try:
        done = store.resolve_problem(problem_id, by=by or getpass.getuser(), note=note)
    except StoreError as exc:  # no such problem, or already resolved (when, by whom)
        err.print(str(exc), style="red")
        raise typer.Exit(1) from None
    out.print(f"Problem {done.id} resolved on {done.resolved_at:%Y-%m-%d %H:%M} by {done.resolved_by}: "
              f"{done.resolution_note}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `iro` app."""
    app.command("import-roster")(import_roster_cmd)
    app.command("import-903")(import_903_cmd)
    app.command("due")(due)
    app.add_typer(problems_app, name="problems")
    app.add_typer(policy_app, name="policy")
