"""`iro doctor`: the preflight a council's administrator runs, locally or against Azure, before go-live and
whenever something stops working. Exit 0 only when every check passes.

    iro doctor                                  # the environment as the app would see it
    iro doctor --settings local.settings.json   # a Functions settings file (the environment overrides it)
    iro doctor --json                           # one object per check, for a pipeline
    iro doctor --remote "https://<app>/api/preflight?code=<master key>"
                                                # the same checks run inside the Function App, as its
                                                # managed identity (function_app/preflight.py): the way to
                                                # test the app's permissions rather than your own

Checks, in order (docs/deploy.md says what to do for each failure):
  settings       every setting well-formed (function_app/settings.py); in graph mode the ones Graph, the
                 webhook and the store need are present; no unresolved Key Vault reference, no placeholder
  policy         the policy file loads (a broken one is named with file and field)
  store          reachable, and its schema at the migrations' head (nothing is migrated by the doctor)
  graph token    the credential gets a Microsoft Graph token (graph mode)
  graph <perm>   each application permission probed with a call that needs it, per mailbox where the
                 Exchange RBAC scope matters; a 403 says which permission or role to grant. The probes read,
                 or aim a write at an id that does not exist (Graph checks permission before it looks), so
                 nothing changes, except one folder: "IRO automation preflight" in the case-folder library
  subscriptions  one per wanted resource, pointing at our webhook, not about to expire
  teams          every team channel and the IRO service channel have a Workflows URL; the person flow or
                 the bot is set up; the bot's credentials are present
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer

PASS, FAIL, SKIP = "pass", "fail", "skip"
PREFLIGHT_FOLDER = "IRO automation preflight"
EXPIRY_MARGIN = timedelta(hours=12)   # the renew timer runs every 6 h: less than this left means it is not running
FIX = {
    "Calendars.Read": "Exchange RBAC role 'Application Calendars.Read' on the IRO automation scope (this mailbox "
                      "in its group), or the Graph application permission Calendars.Read",
    "Calendars.ReadBasic": "Graph application permission Calendars.ReadBasic (free/busy), or Exchange RBAC "
                           "'Application Calendars.Read' on a scope holding this mailbox",
    "Calendars.ReadWrite": "Exchange RBAC role 'Application Calendars.ReadWrite' on the scope",
    "Mail.Read": "Exchange RBAC role 'Application Mail.Read' on the scope (this mailbox in its group)",
    "Mail.Send": "Exchange RBAC role 'Application Mail.Send' on the scope",
    "Sites.Selected": "Sites.Selected with admin consent, then a write grant on the case-folder site "
                      "(POST /sites/{site-id}/permissions; docs/permissions.md)",
}


@dataclass
class Check:
    name: str
    result: str
    detail: str
    fix: str = ""


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    settings_file: Path | None = typer.Option(None, "--settings", help="local.settings.json to read (env wins)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per check."),
    remote: str = typer.Option("", "--remote", help="The app's /api/preflight URL with its admin key: run the "
                               "checks in Azure as the app's identity."),
) -> None:
    """Preflight: settings, policy, store, Graph token and permissions, subscriptions, Teams. Exit 0 if all pass."""
    checks = fetch(remote) if remote else run(environment(settings_file))
    show(checks, as_json)
    raise typer.Exit(0 if all(c.result != FAIL for c in checks) else 1)


def fetch(url: str, http: Any = None) -> list[Check]:
    """The checks as the Function App ran them (function_app/preflight.py); the URL is never printed."""
    import httpx

    client = http or httpx.Client(timeout=120)
    try:
        answer = client.get(url)
    except httpx.HTTPError as exc:
        return [Check("remote", FAIL, f"the app did not answer: {type(exc).__name__}",
                      "check the address and that the app is running")]
    if answer.status_code not in (200, 503):
        return [Check("remote", FAIL, f"the app answered {answer.status_code}",
                      "use the host's master key (Function App > App keys) in ?code=")]
    return [Check(**item) for item in answer.json()]


def environment(settings_file: Path | None) -> dict[str, str]:
    """What the Functions host would give the app: the file's "Values" overlaid by the real environment."""
    values: dict[str, str] = {}
    if settings_file is not None:
        try:
            values = {k: str(v) for k, v in json.loads(settings_file.read_text("utf-8")).get("Values", {}).items()}
        except (OSError, ValueError) as exc:
            raise typer.BadParameter(f"cannot read {settings_file}: {type(exc).__name__}") from None
    return {**values, **os.environ}


def run(env: Mapping[str, str], credential: Any = None, now: datetime | None = None) -> list[Check]:
    """Every check against `env`; `credential` replaces the app's (tests: the Graph stand-in's)."""
    checks: list[Check] = []
    settings = _settings(env, checks)
    if settings is None:
        return checks
    checks.append(_policy(settings))
    store = _store(settings, checks)
    if settings.mode == "graph" and any(c.result == FAIL for c in checks if c.name == "settings"):
        checks.append(Check("graph", SKIP, "not tried until the settings pass"))
    elif settings.mode == "graph":
        checks += list(_graph(settings, store, credential, now or datetime.now(UTC)))
    else:
        checks.append(Check("graph", SKIP, "local mode (IRO_MODE=local): no Microsoft 365 is used"))
    checks += _teams(settings, store)
    if store is not None:
        store.close()
    return checks


# --- settings ------------------------------------------------------------------------------------------
def _settings(env: Mapping[str, str], checks: list[Check]):
    from function_app.settings import AppSettings, declared
    from rules.errors import IROError

    unresolved = [n for n in declared() if env.get(n, "").startswith("@Microsoft.KeyVault(")]
    placeholders = [n for n in declared() if env.get(n, "").strip().startswith("<")]
    if unresolved:
        checks.append(Check("settings", FAIL, f"Key Vault reference not resolved: {', '.join(unresolved)}",
                            "create the secret in the vault and give the app's identity 'Key Vault Secrets User' "
                            "(docs/deploy.md step 4); the portal's Environment variables page shows why"))
    if placeholders:
        checks.append(Check("settings", FAIL, f"still the example's placeholder: {', '.join(placeholders)}",
                            "put the real value in (local.settings.example.json says what each one is)"))
    try:
        settings = AppSettings.from_env(env)
    except IROError as exc:
        checks.append(Check("settings", FAIL, str(exc), getattr(exc, "fix", "")))
        return None
    missing = _required(settings) if settings.mode == "graph" else []
    if missing:
        checks.append(Check("settings", FAIL, "; ".join(missing), "set them in the app settings (infra/ does)"))
    if not (unresolved or placeholders or missing):
        checks.append(Check("settings", PASS, f"{len(declared())} settings read; mode {settings.mode}"))
    return settings if not (unresolved or placeholders) else None


def _required(settings) -> list[str]:
    g, out = settings.graph, []
    need = {"IRO_CLIENT_STATE": g.client_state, "IRO_NOTIFICATION_URL": g.notification_url,
            "IRO_LIFECYCLE_URL": g.lifecycle_url, "IRO_DRIVE_ID": g.drive_id, "IRO_SITE_ID": g.site_id,
            "IRO_SERVICE_MAILBOX": g.service_mailbox, "IRO_DB_URL": settings.db_url}
    if g.use_managed_identity:
        need["IRO_CLIENT_ID"] = g.client_id
    out += [f"{name} is empty" for name, value in need.items() if not value]
    for name, url in (("IRO_NOTIFICATION_URL", g.notification_url), ("IRO_LIFECYCLE_URL", g.lifecycle_url)):
        if url and not url.startswith("https://"):
            out.append(f"{name} is not https (Graph only delivers to https)")
    if any(len(s) > 128 for s in settings.client_states):
        out.append("IRO_CLIENT_STATE has a value over 128 characters (Graph's limit)")
    if g.service_mailbox and "@" not in g.service_mailbox:
        out.append("IRO_SERVICE_MAILBOX is not an e-mail address")
    if settings.db_url.startswith("sqlite") and g.use_managed_identity:
        out.append("IRO_DB_URL is SQLite: in Azure the file system is not kept; use the PostgreSQL server")
    return out


# --- policy and store ----------------------------------------------------------------------------------
def _policy(settings) -> Check:
    from rules.errors import IROError
    from rules.policy import load_policy

    try:
        policy = load_policy(settings.policy_file or None)
    except IROError as exc:
        return Check("policy", FAIL, str(exc), "correct the file and run `iro policy check FILE`")
    return Check("policy", PASS, f"{settings.policy_file or 'the embedded policy'} ({policy.council})")


def _store(settings, checks: list[Check]):
    """The store, opened without migrating: a schema behind head fails (the app migrates when it starts)."""
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from function_app import bootstrap
    from store.migrate import alembic_config
    from store.open import make_engine
    from store.store import Store

    url = settings.db_url or f"sqlite:///{Path(settings.local_root) / 'iro.sqlite'}"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        checks.append(Check("store", PASS, "SQLite file not there yet: created and migrated on first use"))
        return None
    password = bootstrap.entra_db_token(settings.graph.client_id) if settings.db_entra_auth else None
    engine = make_engine(url, password)
    where = engine.url.render_as_string(hide_password=True)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except (sa.exc.SQLAlchemyError, OSError, ValueError) as exc:
        engine.dispose()
        checks.append(Check("store", FAIL, f"cannot reach {where}: {type(exc).__name__}",
                            "check IRO_DB_URL, the server's firewall, and (Entra) that the identity is a "
                            "PostgreSQL administrator or role"))
        return None
    if current != head:
        checks.append(Check("store", FAIL, f"{where} is at revision {current or 'none'}, not {head}",
                            "start the app once (it migrates on start), or `python -c 'import store; "
                            "store.open_store(URL)'`"))
        return Store(engine)
    checks.append(Check("store", PASS, f"{where} at revision {head}"))
    return Store(engine)


# --- Graph ---------------------------------------------------------------------------------------------
def _graph(settings, store, credential, now: datetime) -> Iterator[Check]:
    from graph_clients.graph import build
    from graph_clients.graph.auth import GRAPH_SCOPE, make_credential

    g = settings.graph
    credential = credential or make_credential(g)
    adapters = build(g, credential=credential)
    try:
        try:
            adapters.session.run("token", lambda _c: credential.get_token(GRAPH_SCOPE))
        except Exception as exc:
            yield Check("graph token", FAIL, f"no token: {type(exc).__name__}",
                        "in Azure, IRO_CLIENT_ID must be the user-assigned identity's client id; elsewhere, "
                        "IRO_TENANT_ID, IRO_CLIENT_ID and IRO_CERTIFICATE_PATH (docs/permissions.md)")
            return
        yield Check("graph token", PASS, "a Microsoft Graph token was issued")
        iros = [p.email for p in store.people("iro")] if store is not None else []
        mailboxes = [*iros, g.service_mailbox]
        yield from _probes(adapters.session, g, mailboxes, iros[:1] + [g.service_mailbox])
        yield _subscriptions(adapters.subscriptions, g, iros, now)
    finally:
        adapters.close()


def _probes(session, g, readers: list[str], writers: list[str]) -> Iterator[Check]:
    for permission, operation, mailboxes, probe in _PROBES:
        targets = [None] if mailboxes is None else (readers if mailboxes == "all" else writers)
        failures = []
        for mailbox in targets:
            outcome = _attempt(session, operation, lambda c, m=mailbox, p=probe: p(c, m, g), mailbox or "")
            if outcome:
                failures.append(f"{mailbox or 'case-folder library'}: {outcome}")
        where = "" if mailboxes is None else f" ({len(targets)} mailbox{'es' if len(targets) != 1 else ''})"
        if failures:
            yield Check(f"graph {permission}", FAIL, "; ".join(failures), FIX[permission])
        else:
            yield Check(f"graph {permission}", PASS, f"{operation}{where}")


def _attempt(session, operation: str, call: Callable, mailbox: str) -> str:
    """'' when the call shows the permission is there (a 404 or 409 counts: Graph authorised it)."""
    from rules.errors import GraphError, NotFound, PermissionDenied

    try:
        session.run(operation, call, mailbox)
    except NotFound:
        return ""
    except PermissionDenied:
        return "403 Forbidden"
    except GraphError as exc:
        return "" if exc.status == 409 else f"{exc.status or type(exc).__name__}: {type(exc).__name__}"
    return ""


NOWHERE = "AAMkAGlyby1wcmVmbGlnaHQ="  # an id that names no item: the probes' writes land nowhere


async def _calendar_read(client, mailbox, _g):
    return await client.users.by_user_id(mailbox).events.by_event_id(NOWHERE).get()


async def _mail_read(client, mailbox, _g):
    return await client.users.by_user_id(mailbox).messages.by_message_id(NOWHERE).get()


async def _free_busy(client, mailbox, _g):
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
    from msgraph.generated.users.item.calendar.get_schedule.get_schedule_post_request_body import (
        GetSchedulePostRequestBody,
    )

    start = datetime.now(UTC).replace(microsecond=0)
    body = GetSchedulePostRequestBody(
        schedules=[mailbox], availability_view_interval=30,
        start_time=DateTimeTimeZone(date_time=start.strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC"),
        end_time=DateTimeTimeZone(date_time=(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
                                  time_zone="UTC"))
    return await client.users.by_user_id(mailbox).calendar.get_schedule.post(body)


async def _calendar_write(client, mailbox, _g):
    from msgraph.generated.models.event import Event

    return await client.users.by_user_id(mailbox).events.by_event_id(NOWHERE).patch(Event())


async def _mail_send(client, mailbox, _g):
    from msgraph.generated.users.item.messages.item.reply.reply_post_request_body import ReplyPostRequestBody

    return await client.users.by_user_id(mailbox).messages.by_message_id(NOWHERE).reply.post(
        ReplyPostRequestBody(comment=""))


async def _library(client, _mailbox, g):
    from msgraph.generated.models.drive_item import DriveItem
    from msgraph.generated.models.folder import Folder

    drive = client.drives.by_drive_id(g.drive_id)
    root = await drive.items.by_drive_item_id("root").get()
    folder = DriveItem(name=PREFLIGHT_FOLDER, folder=Folder(),
                       additional_data={"@microsoft.graph.conflictBehavior": "fail"})
    return await drive.items.by_drive_item_id(root.id).children.post(folder)  # 409 if there: write is granted


# (permission, operation named in errors.PERMISSIONS, which mailboxes, probe)
_PROBES = (
    ("Calendars.Read", "calendar.get_event", "all", _calendar_read),
    ("Mail.Read", "mail.get_message", "all", _mail_read),
    ("Calendars.ReadBasic", "calendar.busy", "writers", _free_busy),
    ("Calendars.ReadWrite", "calendar.update_meeting", "writers", _calendar_write),
    ("Mail.Send", "mail.reply", "writers", _mail_send),
    ("Sites.Selected", "case_folders.ensure_folder", None, _library),
)


def _subscriptions(subscriptions, g, iros: list[str], now: datetime) -> Check:
    from graph_clients.graph import upkeep
    from rules.errors import GraphError

    wanted = {resource.lower() for resource, _ in upkeep.wanted(iros, g.service_mailbox)}
    try:
        ours = [s for s in subscriptions.list() if s.notification_url == g.notification_url]
    except GraphError as exc:
        return Check("subscriptions", FAIL, f"cannot list: {type(exc).__name__}", FIX["Calendars.Read"])
    have = {s.resource.strip("/").lower(): s for s in ours}
    missing = sorted(wanted - set(have))
    soon = sorted(r for r, s in have.items() if s.expires - now < EXPIRY_MARGIN)
    if missing or soon:
        parts = ([f"{len(missing)} missing (first: {missing[0]})"] if missing else []) + \
                ([f"{len(soon)} expire within {EXPIRY_MARGIN}"] if soon else [])
        return Check("subscriptions", FAIL, "; ".join(parts),
                     "check the renew_subscriptions timer ran (Application Insights: timer.renew_subscriptions); "
                     "the webhook must answer the validation handshake at IRO_NOTIFICATION_URL")
    first = min((s.expires for s in ours), default=None)
    return Check("subscriptions", PASS, f"{len(ours)} ours; the next expires {first:%Y-%m-%d %H:%M} UTC"
                 if first else "none wanted yet (no IRO on the roster)")


# --- Teams ---------------------------------------------------------------------------------------------
def _teams(settings, store) -> list[Check]:
    if settings.mode != "graph":
        return [Check("teams", PASS, "local outbox (out/local/teams-outbox): nothing to configure")]
    # Every card goes to a person's chat (digests included: docs/notifications.md); no channel is posted to.
    out = [Check("teams routes", PASS, "cards go to people's chats; no channel needs a Workflows URL")]
    person = settings.teams_person_flow_url
    if not (person.startswith("https://") or settings.bot_app_id):
        out.append(Check("teams people", FAIL, "neither IRO_TEAMS_PERSON_FLOW_URL nor the bot is set up",
                         "set the chat flow's URL (Key Vault) or the bot (IRO_BOT_APP_ID)"))
    else:
        out.append(Check("teams people", PASS, "bot" if settings.bot_app_id else "Workflows chat flow"))
    if settings.bot_app_id:
        msi = settings.bot_app_id == settings.graph.client_id and settings.graph.use_managed_identity
        if not (msi or settings.bot_app_secret):
            out.append(Check("teams bot", FAIL, "IRO_BOT_APP_ID is an app registration but IRO_BOT_APP_SECRET "
                             "is empty", "put the secret in Key Vault as iro-bot-app-secret, or deploy the bot "
                             "as UserAssignedMSI (infra/main.bicep botAppType)"))
        else:
            out.append(Check("teams bot", PASS, "the managed identity" if msi else "app id and secret present"))
    return out


# --- output --------------------------------------------------------------------------------------------
def show(checks: list[Check], as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    if as_json:
        typer.echo(json.dumps([asdict(c) for c in checks], indent=1))
        return
    table = Table("check", "result", "detail", "what to do", show_lines=False)
    style = {PASS: "green", FAIL: "bold red", SKIP: "yellow"}
    for c in checks:
        table.add_row(c.name, f"[{style[c.result]}]{c.result.upper()}[/]", c.detail, c.fix)
    console = Console()
    console.print(table)
    failed = sum(c.result == FAIL for c in checks)
    console.print(f"{len(checks) - failed} of {len(checks)} checks passed" if failed else "all checks passed")
