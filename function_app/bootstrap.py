"""Wires the app: the store, the council's policy, the adapters, the clock, and the bus's handlers.

`local(...)` is the embedded default (SQLite, case folders on disk, .eml/.ics outboxes, the Teams HTML
outbox): no Azure, no tenant. `from_environment()` reads IRO_MODE (local | graph) and the settings in
docs/configuration.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from function_app.bot import notices as bot_notices
from function_app.bus import MessageBus
from function_app.handlers import answers as answers_handler
from function_app.handlers import calendar_events, link_meetings, mailbox, problems, reactions, records, sweep
from function_app.handlers import lifecycle as lifecycle_handler
from function_app.messages import (
    CalendarChanged,
    CardAnswered,
    FactRecorded,
    Lifecycle,
    MailArrived,
    RecordSaved,
    Rejected,
    ScheduleLinkMeetings,
    Sweep,
)
from function_app.services import Services, system_clock

HANDLERS = {
    CalendarChanged: [calendar_events.on_calendar_changed],
    MailArrived: [mailbox.on_mail_arrived],
    Lifecycle: [lifecycle_handler.on_lifecycle],
    Rejected: [problems.on_rejected],
    RecordSaved: [records.on_record_saved],
    Sweep: [sweep.on_sweep],
    ScheduleLinkMeetings: [link_meetings.on_schedule],
    FactRecorded: [reactions.on_fact, bot_notices.on_fact],
    CardAnswered: [answers_handler.on_card_answered],
}


def bus(services: Services) -> MessageBus:
    return MessageBus(services, HANDLERS)


def local(root: Path, *, db_url: str | None = None, policy_file: str | None = None,
          now: Callable[[], datetime] | None = None, teams=None, live_page: bool = True, **extra) -> Services:
    """The embedded default under `root`: out/ folders a person can open."""
    from graph_clients.local.calendar import LocalCalendar
    from graph_clients.local.folders import LocalCaseFolders
    from graph_clients.local.mail import LocalMail
    from graph_clients.teams.outbox import LocalOutbox
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy
    from store import open_store

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    policy = load_policy(policy_file)
    clock = now or system_clock  # the app's clock: the store, the outboxes and the handlers all read this one
    return Services(
        store=open_store(db_url or f"sqlite:///{root / 'iro.sqlite'}", now=clock),
        policy=policy,
        cal=WorkingCalendar.for_policy(policy),
        folders=LocalCaseFolders(root / "case-folders"),
        mail=LocalMail(root / "mail-outbox", now=clock),
        outlook=LocalCalendar(root / "calendar-outbox", now=clock),
        teams=teams if teams is not None else LocalOutbox(root / "teams-outbox", live_page=live_page),
        now=clock,
        tracker_url=(root / "summary.html").resolve().as_uri(),
        **extra,
    )


def from_environment() -> Services:
    mode = os.environ.get("IRO_MODE", "local")
    if mode == "local":
        return with_bot(local(Path(os.environ.get("IRO_LOCAL_ROOT", "out/local")), db_url=os.environ.get("IRO_DB_URL"),
                              policy_file=os.environ.get("IRO_POLICY_FILE")))
    if mode == "graph":
        return with_bot(_graph())
    from rules.errors import PolicyError

    raise PolicyError("app settings", "IRO_MODE", f"'{mode}' is not a mode", "use local or graph")


def with_bot(svc: Services) -> Services:
    """Cards go through the app's Teams bot when it is configured (IRO_BOT_APP_ID, or IRO_TEAMS_BOT=1 locally
    with the Agents Playground), to the people and channels it has a conversation with; the adapter chosen
    above (Workflows, or the local outbox) stays the route for everyone else. IRO_TEAMS_BOT_CHANNELS maps
    channel keys to Teams channel ids (docs/teams.md)."""
    if not (os.environ.get("IRO_BOT_APP_ID") or os.environ.get("IRO_TEAMS_BOT") == "1"):
        return svc
    import json

    from function_app.bot.delivery import prepare
    from graph_clients.teams.bot_delivery import BotDelivery

    def send(ref, card):
        from function_app.bot.host import host

        return host().send(ref, card)

    channels = json.loads(os.environ.get("IRO_TEAMS_BOT_CHANNELS") or "{}")
    svc.teams = BotDelivery(svc.store, send, channels, prepare(svc), fallback=svc.teams)
    return svc


def _graph() -> Services:
    """Production: Graph adapters (graph_clients.graph) and the Teams Workflows delivery."""
    from graph_clients.graph import build as build_graph
    from graph_clients.graph.settings import GraphSettings
    from graph_clients.teams.workflows import WorkflowsDelivery
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy
    from store import open_store

    settings = GraphSettings.from_env()
    graph = build_graph(settings)
    policy = load_policy(os.environ.get("IRO_POLICY_FILE"))
    return Services(
        store=open_store(os.environ.get("IRO_DB_URL"), now=system_clock),
        policy=policy,
        cal=WorkingCalendar.for_policy(policy),
        folders=graph.case_folders,
        mail=graph.mail,
        outlook=graph.calendar,
        teams=WorkflowsDelivery(_channel_urls(), os.environ.get("IRO_TEAMS_PERSON_FLOW_URL") or None),
        now=system_clock,
        service_mailbox=settings.service_mailbox,
        subscriptions=graph.subscriptions,
        delta=graph.delta,
        notification_url=settings.notification_url,
        subscription_lifetime=timedelta(minutes=settings.subscription_minutes),
        tracker_url=os.environ.get("IRO_TRACKER_URL", ""),
        alerts_from=date.fromisoformat(os.environ["IRO_ALERTS_FROM"]) if os.environ.get("IRO_ALERTS_FROM") else None,
    )


def _channel_urls() -> dict[str, str]:
    """IRO_TEAMS_CHANNEL_URLS: a JSON object, channel key -> Workflows URL (kept in Key Vault: it carries a
    signature). A broken value is named, never echoed."""
    import json

    from rules.errors import PolicyError

    raw = os.environ.get("IRO_TEAMS_CHANNEL_URLS", "{}")
    try:
        urls = json.loads(raw)
    except ValueError:
        urls = None
    if not isinstance(urls, dict) or not all(isinstance(v, str) for v in urls.values()):
        raise PolicyError("app settings", "IRO_TEAMS_CHANNEL_URLS", "is not a JSON object of channel key to URL",
                          'set it like {"team-T1": "https://...", "iro-service": "https://..."}')
    return urls
