"""Wires the app: the store, the council's policy, the adapters, the clock, and the bus's handlers.

`local(...)` is the embedded default (SQLite, case folders on disk, .eml/.ics outboxes, the Teams HTML
outbox): no Azure, no tenant. `from_environment()` reads every setting once (function_app/settings.py) and
builds local or graph mode as IRO_MODE says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from function_app.bus import MessageBus
from function_app.handlers import answers as answers_handler
from function_app.handlers import (
    calendar_events,
    case_folder,
    link_meetings,
    mailbox,
    problems,
    reactions,
    records,
    sweep,
)
from function_app.handlers import lifecycle as lifecycle_handler
from function_app.messages import (
    CalendarChanged,
    CardAnswered,
    DeltaAdvanced,
    DriveChanged,
    FactRecorded,
    Lifecycle,
    MailArrived,
    RecordSaved,
    Rejected,
    ScheduleLinkMeetings,
    Sweep,
)
from function_app.services import Services, system_clock

if TYPE_CHECKING:
    from function_app.settings import AppSettings

HANDLERS = {
    CalendarChanged: [calendar_events.on_calendar_changed],
    MailArrived: [mailbox.on_mail_arrived],
    DriveChanged: [case_folder.on_drive_changed],
    DeltaAdvanced: [case_folder.on_delta_advanced],
    Lifecycle: [lifecycle_handler.on_lifecycle],
    Rejected: [problems.on_rejected],
    RecordSaved: [records.on_record_saved],
    Sweep: [sweep.on_sweep],
    ScheduleLinkMeetings: [link_meetings.on_schedule],
    FactRecorded: [reactions.on_fact],  # every effect of a fact: reactions.REACTIONS
    CardAnswered: [answers_handler.on_card_answered],
}


def bus(services: Services) -> MessageBus:
    return MessageBus(services, HANDLERS)


def local(root: Path, *, db_url: str | None = None, policy_file: str | None = None,
          now: Callable[[], datetime] | None = None, teams=None, live_page: bool = True, **extra) -> Services:
    """The embedded default under `root`: out/ folders a person can open."""
    from graph_clients.local.calendar import LocalCalendar
    from graph_clients.local.folders import LOCAL_DRIVE, LocalCaseFolders
    from graph_clients.local.mail import LocalMail
    from graph_clients.teams.outbox import LocalOutbox
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy
    from store import open_store

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    policy = load_policy(policy_file)
    clock = now or system_clock  # the app's clock: the store, the outboxes and the handlers all read this one
    folders = LocalCaseFolders(root / "case-folders")
    return Services(
        store=open_store(db_url or f"sqlite:///{root / 'iro.sqlite'}", now=clock),
        policy=policy,
        cal=WorkingCalendar.for_policy(policy),
        folders=folders,
        folder_changes=folders,
        drives=(LOCAL_DRIVE,),
        mail=LocalMail(root / "mail-outbox", now=clock),
        outlook=LocalCalendar(root / "calendar-outbox", now=clock),
        teams=teams if teams is not None else LocalOutbox(root / "teams-outbox", live_page=live_page, now=clock),
        now=clock,
        tracker_url=(root / "summary.html").resolve().as_uri(),
        **extra,
    )


def from_environment(settings: AppSettings | None = None) -> Services:
    """The app as its settings say (function_app/settings.py: read once, here, unless given)."""
    from function_app.settings import AppSettings

    settings = settings or AppSettings.from_env()
    if settings.mode == "graph":
        return with_bot(_graph(settings), settings)
    return with_bot(local(Path(settings.local_root), db_url=settings.db_url or None,
                          policy_file=settings.policy_file or None, settings=settings), settings)


def with_bot(svc: Services, settings: AppSettings) -> Services:
    """Cards go through the app's Teams bot when it is configured (IRO_BOT_APP_ID, or IRO_TEAMS_BOT=1 locally
    with the Agents Playground), to the people and channels it has a conversation with; the adapter chosen
    above (Workflows, or the local outbox) stays the route for everyone else. IRO_TEAMS_BOT_CHANNELS maps
    channel keys to Teams channel ids (docs/teams.md)."""
    if not (settings.bot_app_id or (settings.teams_bot and settings.mode == "local")):
        return svc
    from function_app.bot.delivery import prepare
    from graph_clients.teams.bot_delivery import BotDelivery

    def send(ref, card):
        from function_app.bot.host import host

        return host().send(ref, card)

    channels = settings.teams_bot_channels or {}
    svc.teams = BotDelivery(svc.store, send, channels, prepare(svc), fallback=svc.teams)
    return svc


def _graph(settings: AppSettings) -> Services:
    """Production: Graph adapters (graph_clients.graph) and the Teams Workflows delivery."""
    from graph_clients.graph import build as build_graph
    from graph_clients.teams.workflows import WorkflowsDelivery
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy

    graph_settings = settings.graph
    graph = build_graph(graph_settings)
    policy = load_policy(settings.policy_file or None)
    return Services(
        store=open_app_store(settings),
        policy=policy,
        cal=WorkingCalendar.for_policy(policy),
        folders=graph.case_folders,
        mail=graph.mail,
        outlook=graph.calendar,
        teams=WorkflowsDelivery(settings.channel_urls, settings.teams_person_flow_url or None),
        now=system_clock,
        service_mailbox=graph_settings.service_mailbox,
        subscriptions=graph.subscriptions,
        delta=graph.delta,
        folder_changes=graph.drives,
        drives=(graph_settings.drive_id,) if graph_settings.drive_id else (),
        # docs/permissions.md: a drive-root subscription needs Files.ReadWrite.All; without it, the 15-minute watch
        drive_subscriptions=settings.drive_subscriptions,
        notification_url=graph_settings.notification_url,
        subscription_lifetime=timedelta(minutes=graph_settings.subscription_minutes),
        tracker_url=settings.tracker_url,
        alerts_from=settings.alerts_from,
        settings=settings,
        graph=graph,
    )


def open_app_store(settings: AppSettings):
    """The store the settings name; with IRO_DB_ENTRA_AUTH, each new PostgreSQL connection's password is an
    Entra access token of the managed identity (tokens live about an hour; the pool recycles before that)."""
    from store import open_store

    password = entra_db_token(settings.graph.client_id) if settings.db_entra_auth else None
    return open_store(settings.db_url or None, now=system_clock, password=password)


POSTGRES_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"


def entra_db_token(client_id: str) -> Callable[[], str]:
    from azure.identity import ManagedIdentityCredential

    credential = ManagedIdentityCredential(client_id=client_id or None)
    return lambda: credential.get_token(POSTGRES_SCOPE).token
