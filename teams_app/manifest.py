"""The Teams app manifest (schema v1.30): the bot, its scopes, and the Entra app behind it.

`manifest(...)` takes the deployment's values (no tenant's ids are kept in the repo): the Teams app id, the
bot's Entra app id (also `webApplicationInfo.id`), and the Function App's host name (the bot's messaging
endpoint is set on the Azure Bot resource, not here). Validated in tests against Microsoft's published
schema (npm @microsoft/app-manifest, teams_app/tools).
"""

from __future__ import annotations

import re
from typing import Any

from rules.errors import InputError
from teams_app.icons import ACCENT

VERSION = "1.30"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{VERSION}/MicrosoftTeams.schema.json"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def manifest(app_id: str, bot_id: str, domain: str, version: str = "1.0.0", council: str = "the council",
             website: str = "", privacy: str = "", terms: str = "") -> dict[str, Any]:
    for name, value in (("app id", app_id), ("bot id", bot_id)):
        if not _GUID.match(value or ""):
            raise InputError(f"the {name} '{value}' is not a GUID", "copy it from the Entra app registration / "
                             "Teams Developer Portal (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    if not _DOMAIN.match(domain or ""):
        raise InputError(f"'{domain}' is not a host name", "give the Function App's host name, without https://")
    if not _SEMVER.match(version):
        raise InputError(f"version '{version}' is not x.y.z", "use a version like 1.0.0, raised for each upload")
    site = website or f"https://{domain}"
    return {
        "$schema": SCHEMA,
        "manifestVersion": VERSION,
        "version": version,
        "id": app_id,
        "developer": {"name": council[:32], "websiteUrl": site, "privacyUrl": privacy or f"{site}/privacy",
                      "termsOfUseUrl": terms or f"{site}/terms"},
        "name": {"short": "IRO service", "full": "IRO service: reviews, decisions and resolutions"},
        "description": {
            "short": "Answer the IRO service's cards: decisions, resolutions, reviews.",
            "full": ("Cards from the Independent Reviewing Officer service about the children you work with: "
                     "review decisions to accept or dispute, resolutions to respond to, decisions to mark done, "
                     "significant changes and breached timescales. Each card shows what is due, by when, and "
                     "who must act, and records your answer."),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [{"botId": bot_id, "scopes": ["personal", "team"], "isNotificationOnly": False,
                  "supportsFiles": False, "supportsCalling": False, "supportsVideo": False}],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [domain],
        "webApplicationInfo": {"id": bot_id, "resource": f"api://{domain}/{bot_id}"},
    }
