"""What the handlers work with: the store, the council's policy and calendar, the ports, and the clock.

The clock is a parameter here as everywhere: production passes the real one, the demo a simulated one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from graph_clients.ports import Calendar, CaseFolders, FolderChanges, Mail, Subscriptions, TeamsCards
from rules.calendar import WorkingCalendar
from rules.policy import Policy

if TYPE_CHECKING:
    from store import Store

LONDON = ZoneInfo("Europe/London")


def system_clock() -> datetime:
    """The wall clock, read here only: production passes it as the app's clock (Services.now, the store's
    timestamps, the outboxes' Date: headers); the demo and the tests pass a simulated one instead."""
    return datetime.now(UTC)


@dataclass
class Services:
    store: Store
    policy: Policy
    cal: WorkingCalendar
    folders: CaseFolders
    mail: Mail
    outlook: Calendar
    teams: TeamsCards
    now: Callable[[], datetime]
    service_mailbox: str = "iro.service@council.example"
    subscriptions: Subscriptions | None = None
    subscription_lifetime: timedelta = timedelta(minutes=4_230)  # IRO_SUBSCRIPTION_MINUTES; renewed at half-life
    notification_url: str = ""                # our webhook's URL: only subscriptions pointing here are ours
    delta: Callable[[str, str, str | None], tuple[list[str], str]] | None = None  # (kind, mailbox, link)
    folder_changes: FolderChanges | None = None  # the case-folder libraries' change feed (issue 13)
    drives: tuple[str, ...] = ()              # the case-folder libraries (drive ids) watched and caught up
    drive_subscriptions: bool = True          # False: no drive-root subscription (docs/permissions.md), catch-up only
    branding: Any = None                      # doc_templates.branding.Branding; None: the bundled default
    display_initials: dict[str, str] = field(default_factory=dict)  # case_ref -> initials for cards
    alerts_from: date | None = None           # go-live: deadlines due before it are not alerted on
    done_actions: set[str] = field(default_factory=set)  # action keys known done in this process (once.py)
    tracker_url: str = "https://council.sharepoint.example/sites/iro/tracker"  # the full list, linked from digests
    settings: Any = None                      # function_app.settings.AppSettings the app was built from
    graph: Any = None                         # graph_clients.graph.GraphAdapters in graph mode (roster, doctor)

    def today(self) -> date:
        return self.now().astimezone(LONDON).date()
