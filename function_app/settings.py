"""Every application setting, read once into one typed object: `AppSettings.from_env()` at bootstrap.

Where a setting's value comes from: App Settings in Azure (infra/app/settings.bicep writes them, Key Vault
references for the secrets), `local.settings.json` locally (copy local.settings.example.json), the real
environment for the CLI. Graph's own settings are `graph_clients.graph.settings.GraphSettings` (the
`graph` field here); the Functions host's are `HOST_LOCAL` / `HOST_AZURE` below (our code never reads them).

**Adding a setting** is one line in the class below:

    bot_app_id: str = setting("IRO_BOT_APP_ID", "", "the Azure Bot's Microsoft App ID")

then declare the same name in local.settings.example.json and in infra/app/settings.bicep:
tests/app/test_settings_declared.py fails, naming what is missing, until both have it (and fails for a
name declared there that no code reads). Read it as `settings.bot_app_id` from `Services.settings` or the
object bootstrap passes you; never from os.environ (the same test scans the code for reads).

Standard library only: the webhook imports this module on its cold path and calls `client_states()` on
every request (so a rotated clientState needs no new object; it is still declared here as
`graph.client_state`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any

QUEUE = "graph-notifications"           # the worker's queue; Functions moves a message to QUEUE-poison after
POISON_QUEUE = f"{QUEUE}-poison"        # host.json's maxDequeueCount (5) failures
POISON_AGAIN = f"{POISON_QUEUE}-poison"  # report_poison itself failed 5 times (the store was down): read too
STORAGE = "AzureWebJobsStorage"         # the connection name the queue bindings use (identity-based in Azure)

CLIENT_STATE = "IRO_CLIENT_STATE"       # read per request by the webhook (client_states)
CONNECTION_STRING = "APPLICATIONINSIGHTS_CONNECTION_STRING"

# Read by the Functions host, not by our code; declared so the test can check nothing else is declared.
HOST_LOCAL = ("FUNCTIONS_WORKER_RUNTIME", STORAGE)
HOST_AZURE = (f"{STORAGE}__accountName", f"{STORAGE}__credential", f"{STORAGE}__clientId",
              "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")
# Set by the platform itself (never declared): the managed identity endpoint (graph_clients/graph/auth.py).
PLATFORM = ("IDENTITY_ENDPOINT",)

ROSTER_SOURCES = ("", "folder", "sharepoint", "blob")


def bad_setting(name: str, problem: str, fix: str) -> Exception:
    """A setting that is missing or malformed: a PolicyError naming "app settings", the setting and the fix;
    a secret's value is never echoed."""
    from rules.errors import PolicyError

    return PolicyError("app settings", name, problem, fix)


def setting(env: str, default: Any, doc: str, *, secret: bool = False) -> Any:
    """A field read from the environment variable `env`; `doc` is what a council's administrator reads."""
    return field(default=default, metadata={"env": env, "doc": doc, "secret": secret})


@dataclass(frozen=True)
class AppSettings:
    mode: str = setting("IRO_MODE", "local", "local (the embedded default) or graph (Microsoft 365)")
    local_root: str = setting("IRO_LOCAL_ROOT", "out/local", "local mode: folder for the store and outboxes")
    db_url: str = setting("IRO_DB_URL", "", "the store: sqlite:///FILE or postgresql+psycopg://HOST/DB")
    db_entra_auth: bool = setting("IRO_DB_ENTRA_AUTH", False,
                                  "true: PostgreSQL password is an Entra token of the managed identity")
    policy_file: str = setting("IRO_POLICY_FILE", "", "the council's policy YAML; empty: the embedded one")
    alerts_from: date | None = setting("IRO_ALERTS_FROM", None, "go-live date: nothing due before it alerts")
    teams_channel_urls: dict = setting("IRO_TEAMS_CHANNEL_URLS", None,
                                       "JSON: channel key -> Workflows URL (Key Vault)", secret=True)
    teams_person_flow_url: str = setting("IRO_TEAMS_PERSON_FLOW_URL", "", "Workflows URL posting to a person "
                                         "(Key Vault)", secret=True)
    tracker_url: str = setting("IRO_TRACKER_URL", "", "SharePoint view listing every open deadline")
    drive_subscriptions: bool = setting("IRO_DRIVE_SUBSCRIPTIONS", True, "false: no drive-root subscription "
                                        "(it needs Files.ReadWrite.All); the case folder is polled every 15 min")
    bot_app_id: str = setting("IRO_BOT_APP_ID", "", "the Azure Bot's Microsoft App ID (empty: no bot)")
    bot_app_secret: str = setting("IRO_BOT_APP_SECRET", "", "the bot's client secret, SingleTenant only "
                                  "(Key Vault); empty with UserAssignedMSI", secret=True)
    bot_tenant_id: str = setting("IRO_BOT_TENANT_ID", "", "the council's tenant id, for a single-tenant bot")
    teams_bot: bool = setting("IRO_TEAMS_BOT", False, "local mode only: send cards through the bot (to the "
                              "Agents Playground) without an IRO_BOT_APP_ID")
    teams_bot_channels: dict = setting("IRO_TEAMS_BOT_CHANNELS", None, "JSON: channel key -> Teams channel id, "
                                       "for channel cards through the bot (docs/teams.md)")
    roster_source: str = setting("IRO_ROSTER_SOURCE", "", "where the roster export is: sharepoint, blob, "
                                 "folder, or empty (kept with `iro import-roster`)")
    roster_location: str = setting("IRO_ROSTER_LOCATION", "", "sharepoint: DRIVE-ID:/folder; blob: "
                                   "https://ACCOUNT.blob.core.windows.net/CONTAINER[/prefix]; folder: a path")
    telemetry_connection_string: str = setting(CONNECTION_STRING, "", "Application Insights; empty: no telemetry")
    graph: Any = None  # GraphSettings, built from the same environment

    def __post_init__(self) -> None:
        if self.mode not in ("local", "graph"):
            raise bad_setting("IRO_MODE", f"is {self.mode!r}", "use local or graph")
        if self.roster_source not in ROSTER_SOURCES:
            raise bad_setting("IRO_ROSTER_SOURCE", f"is {self.roster_source!r}", "use sharepoint, blob or folder")
        if self.roster_source and not self.roster_location:
            raise bad_setting("IRO_ROSTER_LOCATION", "is empty", f"say where the {self.roster_source} export is")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AppSettings:
        """Every setting from `environ` (default: os.environ, once); unset or empty keeps the default."""
        from graph_clients.graph.settings import GraphSettings

        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            if "env" not in f.metadata:
                continue
            raw = env.get(f.metadata["env"], "")
            if raw.strip():
                values[f.name] = _convert(f.metadata["env"], raw.strip(), f.type, f.metadata["secret"])
        return cls(**values, graph=GraphSettings.from_env(env))

    @property
    def client_states(self) -> tuple[str, ...]:
        return _split(self.graph.client_state if self.graph else "")

    @property
    def channel_urls(self) -> dict[str, str]:
        return dict(self.teams_channel_urls or {})


def declared() -> dict[str, dict]:
    """Every setting our code reads: env name -> {doc, secret, default} (AppSettings and GraphSettings)."""
    from graph_clients.graph.settings import DOCS, ENV, SECRET, GraphSettings

    out = {f.metadata["env"]: {"doc": f.metadata["doc"], "secret": f.metadata["secret"], "default": f.default}
           for f in fields(AppSettings) if "env" in f.metadata}
    for f in fields(GraphSettings):
        out[ENV[f.name]] = {"doc": DOCS[f.name], "secret": f.name in SECRET,
                            "default": None if f.default is MISSING else f.default}
    return out


def client_states(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Accepted clientState secrets: IRO_CLIENT_STATE, comma-separated while one is rotated out."""
    return _split((os.environ if environ is None else environ).get(CLIENT_STATE, ""))


def telemetry_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether Application Insights is configured (the webhook asks before starting telemetry)."""
    return bool((os.environ if environ is None else environ).get(CONNECTION_STRING, "").strip())


def _split(raw: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in raw.split(",") if s.strip())


def _convert(name: str, raw: str, kind: Any, secret: bool) -> Any:
    shown = "(value hidden)" if secret else repr(raw)
    kind = str(kind)
    if kind == "bool":
        if raw.lower() not in {"1", "true", "yes", "0", "false", "no"}:
            raise bad_setting(name, f"is {shown}, not true or false", "set true or false")
        return raw.lower() in {"1", "true", "yes"}
    if kind.startswith("date"):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise bad_setting(name, f"is {shown}, not a date", "set YYYY-MM-DD, e.g. 2026-04-01") from None
    if kind == "dict":
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise bad_setting(name, "is not a JSON object of key to URL",
                               'set it like {"team-T1": "https://...", "iro-service": "https://..."}')
        return value
    return raw
