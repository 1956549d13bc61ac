"""`iro demo`: the main job on the embedded defaults (no Azure, no tenant); see demo/replay.py."""

from __future__ import annotations

import logging
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    out: Path = typer.Option(Path("out/demo"), help="Folder for everything the demo produces (emptied first)."),
    seed: int = typer.Option(7, help="Same seed, same council, same output."),
    children: int = typer.Option(60, min=24, help="Looked-after children in the synthetic council."),
) -> None:
    """Replay twelve months of a synthetic council through the app, then show what it produced."""
    from rich.progress import BarColumn, Progress, TextColumn
    from rich.table import Table

    from demo import replay
    from demo.summary import summarise, write_html
    from reports.outputs import ANNUAL

    logging.getLogger("iro").setLevel(logging.ERROR)  # problems are in the summary, not on the console
    from cli.console import out as console

    console.print(f"IRO automation demo: {children} children, seed {seed}, output in {out}/", style="bold")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[day]}"),
                  console=console, transient=False) as progress:
        task = progress.add_task("replaying Outlook events, emails and daily sweeps", total=365, day="")
        result = replay.run(out, seed, children,
                            progress=lambda day, n: progress.update(task, advance=1, day=day.isoformat()))
    result.svc.teams.write_page()
    _year_report(result, out)
    summary = summarise(result, out)
    page = write_html(summary, result, out)
    for title, rows in summary.items():
        if not isinstance(rows, dict):
            rows = {"total": rows}
        t = Table(title=title, show_header=False, title_justify="left")
        for k, v in rows.items():
            t.add_row(str(k), str(v))
        console.print(t)
    console.print("\nOpen:", style="bold")
    for label, path in (("summary", page), ("Teams cards", out / "teams-outbox" / "index.html"),
                        ("case folders", out / "case-folders"), ("emails", out / "mail-outbox"),
                        ("meetings", out / "calendar-outbox"), ("store (SQLite)", out / "iro.sqlite"),
                        ("annual report", out / "report" / ANNUAL),
                        ("escalations", out / "report" / "escalations.html")):
        console.print(f"  {label:15} {path.resolve()}")


def _year_report(result, out: Path) -> None:
    """The year's annual report and escalations dashboard (issue 14) in out/report/, linked from summary.html."""
    from datetime import timedelta

    from reports.figures import Period
    from reports.outputs import write_year

    svc, council = result.svc, result.council
    last = council.end - timedelta(days=1)
    before = Period(council.start.replace(year=council.start.year - 1), council.start - timedelta(days=1))
    write_year(svc.store, svc.policy, svc.cal, Period(council.start, last), before, out / "report", last, svc.branding)
