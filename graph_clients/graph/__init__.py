"""Graph adapters of the ports (msgraph-sdk). Importing this package does NOT import msgraph:
the SDK is imported on first use, inside the adapters (the webhook must stay light).

    adapters = build(GraphSettings.from_env())
    adapters.calendar.get_event(mailbox, event_id)
    adapters.close()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules.errors import InputError

from .settings import GraphSettings

__all__ = ["GraphAdapters", "GraphSettings", "build"]


@dataclass
class GraphAdapters:
    calendar: Any        # GraphCalendar: ports.Calendar + DeltaSource (+ list_events, update_meeting, find_link_slots)
    mail: Any            # GraphMail: ports.Mail + ports.DeltaSource
    case_folders: Any    # GraphCaseFolders: ports.CaseFolders (+ set_metadata)
    subscriptions: Any   # GraphSubscriptions: ports.Subscriptions
    drives: Any          # GraphDrives: ports.FolderChanges (the case-folder libraries' delta feed)
    session: Any         # GraphSession: the one loop thread and GraphServiceClient they share

    def delta(self, kind: str, mailbox: str, link: str | None) -> tuple[list[str], str]:
        """The reconciliation timer's shape (Services.delta): ids changed or removed since `link`
        ("events": the calendar, "messages": the inbox) and the new link to store. A stale link restarts."""
        from .delta_links import delta_or_restart

        sources = {"events": self.calendar, "messages": self.mail}
        if kind not in sources:
            raise InputError(f"unknown delta kind {kind!r}", "use 'events' or 'messages'")
        result = delta_or_restart(sources[kind], mailbox, link)
        return [*(item.id for item in result.changed), *result.removed], result.delta_link

    def close(self) -> None:
        self.session.close()


def build(settings: GraphSettings, credential: Any = None, **session_options: Any) -> GraphAdapters:
    """All Graph adapters on one GraphSession. `credential` defaults to auth.make_credential(settings);
    `session_options` go to GraphSession (max_retries, retry_delay)."""
    from .calendar import GraphCalendar
    from .case_folders import GraphCaseFolders
    from .drives import GraphDrives
    from .mail import GraphMail
    from .session import GraphSession
    from .subscriptions import GraphSubscriptions

    session = GraphSession(settings, credential, **session_options)
    return GraphAdapters(
        calendar=GraphCalendar(session),
        mail=GraphMail(session),
        case_folders=GraphCaseFolders(session, settings),
        subscriptions=GraphSubscriptions(session, settings),
        drives=GraphDrives(session),
        session=session,
    )
