"""Graph settings from the environment (Functions app settings) or local.settings.json.

No secret is ever read from the repository: in Azure the app uses its managed identity; elsewhere a
client certificate (a path to a PEM file outside the repo) or DefaultAzureCredential. The variable
names are the `ENV` values below; docs/graph.md lists them with examples.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from rules.errors import InputError

# Outlook resources (events, messages) accept subscriptions up to 10,080 minutes (just under 7 days).
OUTLOOK_MAX_SUBSCRIPTION_MINUTES = 10_080

ENV = {
    "tenant_id": "IRO_TENANT_ID",
    "client_id": "IRO_CLIENT_ID",
    "certificate_path": "IRO_CERTIFICATE_PATH",
    "use_managed_identity": "IRO_USE_MANAGED_IDENTITY",
    "client_state": "IRO_CLIENT_STATE",
    "notification_url": "IRO_NOTIFICATION_URL",
    "lifecycle_url": "IRO_LIFECYCLE_URL",
    "site_id": "IRO_SITE_ID",
    "drive_id": "IRO_DRIVE_ID",
    "case_folder_pattern": "IRO_CASE_FOLDER_PATTERN",
    "service_mailbox": "IRO_SERVICE_MAILBOX",
    "upload_threshold": "IRO_UPLOAD_THRESHOLD_BYTES",
    "subscription_minutes": "IRO_SUBSCRIPTION_MINUTES",
    "graph_base_url": "IRO_GRAPH_BASE_URL",
    "request_timeout": "IRO_GRAPH_TIMEOUT_SECONDS",
}
# What an administrator reads for each (docs/deploy.md, `iro doctor`); SECRET: never shown, kept in Key Vault.
DOCS = {
    "tenant_id": "directory (tenant) id",
    "client_id": "the user-assigned managed identity's (or app registration's) client id",
    "certificate_path": "outside Azure: PEM with the app registration's certificate and key",
    "use_managed_identity": "true in Azure: Graph, the store and telemetry use the managed identity",
    "client_state": "secret echoed in every notification, <= 128 chars; comma-separated while rotating",
    "notification_url": "https://<app>/api/notifications?code=<function key>",
    "lifecycle_url": "https://<app>/api/lifecycle?code=<function key>",
    "site_id": "SharePoint site id of the case-folder library",
    "drive_id": "drive id of the case-folder library",
    "case_folder_pattern": "folder per child, must contain {case_ref}",
    "service_mailbox": "the IRO service's shared mailbox",
    "upload_threshold": "above this many bytes, an upload session",
    "subscription_minutes": "subscription lifetime, 1..10080; renewed at half-life",
    "graph_base_url": "Graph root (the stand-in's URL in tests)",
    "request_timeout": "seconds per Graph operation, retries included",
}
SECRET = frozenset({"client_state"})


@dataclass(frozen=True)
class GraphSettings:
    tenant_id: str = ""
    client_id: str = ""
    certificate_path: str = ""            # PEM with private key, outside the repo (Key Vault in Azure)
    use_managed_identity: bool = False    # true in Azure; client_id then names a user-assigned identity
    client_state: str = ""                # secret echoed in each notification; compared in constant time
    notification_url: str = ""
    lifecycle_url: str = ""
    site_id: str = ""
    drive_id: str = ""                    # the case-folder document library
    case_folder_pattern: str = "Children/{case_ref}"
    service_mailbox: str = ""
    upload_threshold: int = 4 * 1024 * 1024   # above this, an upload session (simple PUT limit is 250 MB, 4 MB advised)
    subscription_minutes: int = 4_230         # below OUTLOOK_MAX_SUBSCRIPTION_MINUTES; renewed at half-life
    graph_base_url: str = "https://graph.microsoft.com/v1.0"
    request_timeout: float = 60.0

    def __post_init__(self) -> None:
        if "{case_ref}" not in self.case_folder_pattern:
            raise InputError(
                f"{ENV['case_folder_pattern']}={self.case_folder_pattern!r} has no {{case_ref}} placeholder",
                "set it to a path such as 'Children/{case_ref}'",
            )
        if not 1 <= self.subscription_minutes <= OUTLOOK_MAX_SUBSCRIPTION_MINUTES:
            raise InputError(
                f"{ENV['subscription_minutes']}={self.subscription_minutes} is outside "
                f"1..{OUTLOOK_MAX_SUBSCRIPTION_MINUTES}",
                "Outlook subscriptions live at most 10080 minutes; use e.g. 4230",
            )
        if self.upload_threshold < 1:
            raise InputError(f"{ENV['upload_threshold']} must be positive", "use e.g. 4194304 (4 MiB)")

    @property
    def current_client_state(self) -> str:
        """The clientState new subscriptions carry: the last of IRO_CLIENT_STATE's comma-separated values
        (while rotating, the webhook accepts them all; put the new one last)."""
        states = [s.strip() for s in self.client_state.split(",") if s.strip()]
        return states[-1] if states else ""

    def folder_path(self, case_ref: str) -> str:
        return self.case_folder_pattern.format(case_ref=case_ref).strip("/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GraphSettings:
        """Settings from `environ` (default os.environ); unset variables keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(ENV[f.name])
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw, cls.__dataclass_fields__[f.name].default)
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def from_local_settings(cls, path: str | Path, environ: Mapping[str, str] | None = None) -> GraphSettings:
        """local.settings.json's "Values" overlaid by the real environment (the Functions host's order)."""
        try:
            values = json.loads(Path(path).read_text(encoding="utf-8")).get("Values", {})
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {path}: {type(exc).__name__}", "copy local.settings.example.json") from exc
        merged = {**{k: str(v) for k, v in values.items()}, **(os.environ if environ is None else environ)}
        return cls.from_env(merged)


def _convert(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, bool):
            if raw.strip().lower() not in {"1", "true", "yes", "0", "false", "no"}:
                raise ValueError(raw)
            return raw.strip().lower() in {"1", "true", "yes"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        raise InputError(f"{ENV[name]}={raw!r} is not a valid {type(default).__name__}", "correct the setting") from exc
    return raw
