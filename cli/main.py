"""The `iro` command. Each area adds its commands in its own module's `register(app)`.

Heavy imports (docxtpl, SQLAlchemy models, msgraph) happen inside the commands, so `iro --help` is quick.
"""

from __future__ import annotations

import typer

from cli import cases, demo, doctor, documents, report, teams

app = typer.Typer(
    name="iro",
    help="Automation for Independent Reviewing Officers: clocks, documents, Outlook and Teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # tracebacks must never print case data
    rich_markup_mode=None,  # help and usage errors as plain text: people's input is never read as markup
)

for module in (cases, documents, demo, doctor, report, teams):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
