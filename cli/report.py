"""`iro report`: the IRO service's annual report (002, Handbook 7.11) and the escalations dashboard.

    iro report annual --from YYYY-MM-DD --to YYYY-MM-DD [--compare-from D --compare-to D] [--db URL]
                      [--policy FILE] [--branding FILE] [--templates DIR] [--out FILE.docx] [--json]
    iro report escalations --out DIR [--as-of YYYY-MM-DD] [--db URL] [--policy FILE] [--branding FILE] [--card]

Figures are defined in docs/report.md. `--json` prints the published figures (suppressed as the report
shows them) as one JSON object on stdout. Exit codes: 0 done, 1 bad input (dates, a template problem),
2 the store or the policy cannot be read.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import typer

from cli.cases import DB, _open
from cli.console import err

report_app = typer.Typer(help="The annual report and the escalations dashboard.", no_args_is_help=True)
POLICY = typer.Option(None, "--policy", help="Policy YAML (default: the bundled Buckinghamshire policy).")
BRANDING = typer.Option(None, "--branding", help="The council's name and logo (YAML/JSON; default: Example Council).")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"{option} '{value}' is not a date; write it as YYYY-MM-DD", style="red")
        raise typer.Exit(1) from None


def _setup(db: str | None, policy_file: Path | None, branding_file: Path | None):
    from doc_templates.branding import load_branding
    from rules.calendar import WorkingCalendar
    from rules.errors import PolicyError
    from rules.policy import load_policy

    try:
        policy, branding = load_policy(policy_file), load_branding(branding_file)
    except PolicyError as exc:
        err.print(str(exc), style="red")
        raise typer.Exit(2) from None
    return _open(db), policy, WorkingCalendar.for_policy(policy), branding


def _period(start: date | None, end: date | None, what: str):
    from reports.figures import Period

    if start is None or end is None:
        err.print(f"give both {what}", style="red")
        raise typer.Exit(1)
    try:
        return Period(start, end)
    except ValueError as exc:
        err.print(str(exc), style="red")
        raise typer.Exit(1) from None


@report_app.command("annual")
def annual(
    start: str = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last day of the period (YYYY-MM-DD), included."),
    compare_from: str | None = typer.Option(None, "--compare-from", help="First day of the period to compare with."),
    compare_to: str | None = typer.Option(None, "--compare-to", help="Last day of the period to compare with."),
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="Write the Word report here (.docx)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object on stdout."),
    templates: Path | None = typer.Option(None, "--templates", file_okay=False, help="Folder of edited templates."),
    db: str | None = DB,
    policy_file: Path | None = POLICY,
    branding_file: Path | None = BRANDING,
) -> None:
    """The IRO service's annual report for the corporate parenting board (IRO Handbook 7.11)."""
    from reports.annual import render_report, report_context, report_json
    from reports.figures import annual_figures
    from rules.errors import TemplateError

    if out is None and not as_json:
        err.print("say where the report goes (--out FILE.docx), or ask for --json", style="red")
        raise typer.Exit(1)
    period = _period(_day(start, "--from"), _day(end, "--to"), "--from and --to")
    previous = None
    if compare_from or compare_to:
        previous = _period(_day(compare_from, "--compare-from"), _day(compare_to, "--compare-to"),
                           "--compare-from and --compare-to")
    store, policy, cal, branding = _setup(db, policy_file, branding_file)
    people = store.people()
    figures = annual_figures(store, period, policy, cal)
    before = annual_figures(store, previous, policy, cal) if previous else None
    if out is not None:
        context, drawn = report_context(figures, policy, people, before)
        try:
            blob = render_report(context, drawn, branding=branding, template_dir=templates)
        except TemplateError as exc:
            err.print(str(exc), style="red")
            raise typer.Exit(1) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
        err.print(f"Annual report written to {out}")
    if as_json:
        data = report_json(figures, policy, people, before, branding.name)
        sys.stdout.write(json.dumps(data, indent=1) + "\n")


@report_app.command("escalations")
def escalations(
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder for escalations.html (and the card)."),
    as_of: str | None = typer.Option(None, "--as-of", help="The day to report (default: today)."),
    card: bool = typer.Option(False, "--card", help="Also write the weekly card as escalations-card.json."),
    db: str | None = DB,
    policy_file: Path | None = POLICY,
    branding_file: Path | None = BRANDING,
) -> None:
    """The open resolutions by stage, age against the cap, team and category, with who must act (HTML)."""
    from function_app.escalations import PAGE
    from reports.escalations import dashboard_html, headline, open_resolutions, stage_names

    today = _day(as_of, "--as-of") or datetime.now(UTC).date()  # the command's clock is the machine's
    store, policy, cal, branding = _setup(db, policy_file, branding_file)
    cap = policy.clocks[policy.resolution.cap_clock]
    rows = open_resolutions(store, policy, cal, today)
    head = headline(rows, today, max(cap.reminders, default=0))
    out.mkdir(parents=True, exist_ok=True)
    page = out / PAGE
    page.write_text(dashboard_html(rows, head, policy, branding.name), encoding="utf-8")
    if card:
        from graph_clients.teams.escalations import escalations_card

        (out / "escalations-card.json").write_text(
            json.dumps(escalations_card(head, page.resolve().as_uri(), stage_names(policy)), indent=1),
            encoding="utf-8")
    err.print(f"{head.open} open resolutions ({head.past_cap} past the cap): {page}")
