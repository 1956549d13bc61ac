"""`iro` commands for Word documents (doc_templates; docs/documents.md).

    iro templates check [DIR]                                  a council's edited templates vs each kind's context
    iro render KIND --context FILE.json [--out FILE.docx] [--branding FILE] [--templates DIR]
    iro decisions FILE.docx [--review-date YYYY-MM-DD] [--json]

Exit status: 0 fine; 1 problems found (listed); 2 the input could not be used at all. `iro decisions` exits 0
only when the table holds decisions and every one has a named person and a date: a draft's placeholder row,
an empty row or an empty table is a problem. Rows are numbered as the IRO sees them (1 = the first decision).
docxtpl and python-docx are imported inside the commands so `iro --help` stays quick.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from cli.console import err, out

_FILE = {"exists": True, "dir_okay": False, "readable": True}

templates_app = typer.Typer(help="Word templates: check a council's edited copies.", no_args_is_help=True)


@templates_app.command("check")
def check_cmd(
    directory: Path | None = typer.Argument(None, file_okay=False, help="Folder of templates (default: bundled)."),
) -> None:
    """Check each kind's template for tags its context does not have (misspelt or removed fields)."""
    from doc_templates.check import check_templates
    from doc_templates.render import TEMPLATE_DIR
    from rules.errors import TemplateError

    folder = directory or TEMPLATE_DIR
    try:
        problems = check_templates(folder)
    except TemplateError as exc:
        err.print(f"{exc}", style="red")
        raise typer.Exit(2) from None
    if not problems:
        out.print(f"All templates in {folder} match their contexts.")
        return
    table = Table("template", "problem", "names", title=f"Template problems in {folder}")
    for p in problems:
        table.add_row(p.template, p.problem, ", ".join(p.names))
    err.print(table)
    err.print("Correct the tags in Word (see docs/documents.md for each kind's fields) and check again.")
    raise typer.Exit(1)


def render_cmd(
    kind: str = typer.Argument(..., help="review_decisions, child_decisions, review_record, resolution_entry, "
                               "midway_oversight, consultation_form, introduction_letter, link_meeting_agenda"),
    context: Path = typer.Option(..., "--context", **_FILE, help="JSON context (doc_templates/examples/KIND.json)."),
    out_file: Path | None = typer.Option(None, "--out", dir_okay=False,
                                         help="Output .docx (default: CASE-REF_kind_DATE.docx here)."),
    branding: Path | None = typer.Option(None, "--branding", **_FILE, help="Council branding YAML/JSON."),
    templates: Path | None = typer.Option(None, "--templates", file_okay=False, help="Folder of council templates."),
) -> None:
    """Render one document from a JSON context."""
    from doc_templates.branding import load_branding
    from doc_templates.render import document_name, render
    from rules.errors import IROError

    try:
        data = json.loads(context.read_text(encoding="utf-8"))
    except ValueError as exc:
        err.print(f"{context}: not valid JSON ({exc})", style="red")
        raise typer.Exit(2) from None
    try:
        blob = render(kind, data, branding=load_branding(branding), template_dir=templates)
        target = out_file or Path(document_name(kind, data["case_ref"], date.fromisoformat(data["document_date"])))
    except IROError as exc:
        err.print(f"{exc}", style="red")
        raise typer.Exit(1) from None
    try:
        target.write_bytes(blob)
    except OSError as exc:
        err.print(f"cannot write {target}: {exc.strerror}", style="red")
        raise typer.Exit(2) from None
    out.print(f"Wrote {target} ({len(blob):,} bytes).")


def decisions_cmd(
    file: Path = typer.Argument(..., **_FILE, help="A completed review record (.docx)."),
    review_date: str | None = typer.Option(None, "--review-date", help="YYYY-MM-DD (default: read from the record)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Print the decisions in a review record's decisions table and the problems found (000 standard 5)."""
    from doc_templates.readback import find_review_date, read_decisions
    from rules.calendar import WorkingCalendar
    from rules.errors import InputError, IROError
    from rules.policy import load_policy

    try:
        given = date.fromisoformat(review_date) if review_date else None
    except ValueError:
        err.print(f"--review-date '{review_date}' is not a date: use YYYY-MM-DD", style="red")
        raise typer.Exit(2) from None
    blob = file.read_bytes()
    try:
        held = given or find_review_date(blob)
        if held is None:
            raise InputError("the record gives no review date", "pass --review-date YYYY-MM-DD")
        read = read_decisions(blob, held, calendar=WorkingCalendar())
    except IROError as exc:
        err.print(f"{file.name}: {exc}", style="red")
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps({"review_date": held.isoformat()} | read.as_json(), indent=2))
    else:
        _print_decisions(read, held, load_policy())
    if read.problems:
        raise typer.Exit(1)


def _print_decisions(read, held: date, policy) -> None:
    from rules.citations import for_staff, in_text

    table = Table("no.", "decision", "named person", "due", "as written", title=f"Decisions (review {held})")
    for d in read.decisions:
        table.add_row(d.decision_id, d.text, d.named_person or "-", d.due.isoformat() if d.due else "-",
                      d.timescale or "")
    out.print(table)
    if read.problems:
        problems = Table("row", "problem", "decision as written",
                         title=f"Problems ({for_staff(policy, '000 standard 5')})")
        for p in read.problems:
            problems.add_row(str(p.row) if p.row else "table", in_text(policy, p.reason), p.text)
        out.print(problems)
        out.print(f"{len(read.problems)} problems: correct the decisions table in Word and check again.")
    else:
        out.print(f"No problems: all {len(read.decisions)} decisions have a named person and a due date.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `iro` app."""
    app.add_typer(templates_app, name="templates")
    app.command("render")(render_cmd)
    app.command("decisions")(decisions_cmd)
