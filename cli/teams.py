"""`iro teams`: the Teams app package, and a local bot server for the Microsoft 365 Agents Playground."""

from __future__ import annotations

from pathlib import Path

import typer

teams = typer.Typer(help="The Teams app: package it for the admin centre, or serve the bot locally.",
                    no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(teams, name="teams")


@teams.command("serve")
def serve(port: int = typer.Option(3978, help="Port for http://127.0.0.1:PORT/api/messages."),
          root: Path = typer.Option(Path("out/local"), help="The embedded default's folder (store, outboxes)."),
          ) -> None:
    """Serve the bot's endpoint locally (the same Functions trigger) for the Agents Playground:
    `npx agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams`."""
    import logging
    import os

    from function_app.bot.devserver import server

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ["IRO_LOCAL_ROOT"] = str(root)  # the --root option is the embedded default's folder
    srv = server(port=port)
    typer.echo(f"Bot listening on http://127.0.0.1:{srv.server_port}/api/messages (Ctrl-C stops it)")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


@teams.command("package")
def package(out: Path = typer.Option(Path("app.zip"), help="Where to write the app package (.zip)."),
            app_id: str = typer.Option(..., envvar="IRO_TEAMS_APP_ID", help="The Teams app id (a GUID)."),
            bot_id: str = typer.Option(..., envvar="IRO_BOT_APP_ID", help="The bot's Entra app id (a GUID)."),
            domain: str = typer.Option(..., envvar="IRO_APP_DOMAIN",
                                       help="The Function App's host name, e.g. iro-council.azurewebsites.net."),
            version: str = typer.Option("1.0.0", help="The app's version (x.y.z); raise it for each upload."),
            council: str = typer.Option("the council", help="Who publishes it, as users see it.")) -> None:
    """Write the Teams app package (manifest, icons) for Teams admin centre > Manage apps > Upload."""
    from rules.errors import InputError
    from teams_app.package import write_package

    try:
        path = write_package(out, app_id=app_id, bot_id=bot_id, domain=domain, version=version, council=council)
    except InputError as exc:
        typer.echo(f"error: {exc.reason}. {exc.what_to_do}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Wrote {path}: upload it in Teams admin centre > Teams apps > Manage apps (docs/teams.md)")
