"""What the triggers call: one Services and bus per worker process, built on first use.

Imported lazily by function_app/worker_triggers.py, so the cold path of the webhook never pays for it.
"""

from __future__ import annotations

import json
import logging
from functools import cache

import telemetry
from function_app import bootstrap, intake, reconcile, subscriptions
from function_app.bus import MessageBus
from function_app.messages import DriveChanged, Rejected, ScheduleLinkMeetings, Sweep
from graph_clients.graph.upkeep import DRIVE_SOURCE

log = logging.getLogger("iro.runtime")


@cache
def app_bus() -> MessageBus:
    from function_app.settings import AppSettings

    settings = AppSettings.from_env()  # every setting, read once for this worker process
    try:
        telemetry.configure(settings)
    except Exception as exc:  # telemetry must never stop the work; the host still logs
        log.warning("telemetry not configured: %s", type(exc).__name__)
    return bootstrap.bus(bootstrap.from_environment(settings))


@telemetry.traced("worker.message", lambda body, dequeue_count=1, bus=None: {"dequeue_count": dequeue_count},
                  result="handled")
def process_queue_message(body: str, dequeue_count: int = 1, bus: MessageBus | None = None) -> int:
    bus = bus or app_bus()
    try:
        message = intake.to_message(body, lambda sid: subscriptions.mailbox_of(bus.services, sid))
    except (AttributeError, TypeError, ValueError, KeyError, RecursionError) as exc:  # wrong shape: no retry helps
        message = Rejected("queue", f"queue message could not be read ({type(exc).__name__})",
                           "look at the message in the queue's storage account; it did not come from graph_webhook",
                           payload={"bytes": len(body)})
    telemetry.annotate(message=type(message).__name__, case_ref=telemetry.case_of(message))
    return finish(bus, bus.handle, message)


@telemetry.traced("worker.poison", result="handled")
def report_poison(body: str, bus: MessageBus | None = None, again: bool = False) -> int:
    """A message that failed five times is kept as a problem with its envelope, for a person to retry.
    `again`: it then failed five times more in report_poison (the store was unavailable meanwhile)."""
    bus = bus or app_bus()
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        envelope = None
    envelope = envelope if isinstance(envelope, dict) else {}
    item = envelope.get("item")
    item = item if isinstance(item, dict) else {}
    resource, kind = item.get("resource"), envelope.get("kind")
    reason = "a notification failed five times and was set aside" + (
        ", and reporting it failed five times more (the store was unavailable)" if again else "")
    return bus.handle(Rejected("poison queue", reason,
                               "look at the failure in Application Insights, fix the cause, then re-queue it",
                               payload={"resource": resource[:400] if isinstance(resource, str) else None,
                                        "kind": kind[:40] if isinstance(kind, str) else None,
                                        "bytes": len(body)}))


@telemetry.traced("timer.daily_sweep", result="handled")
def daily_sweep(bus: MessageBus | None = None) -> int:
    bus = bus or app_bus()
    redrive_actions(bus)  # yesterday's failures first: the digests then show what is still owed
    return finish(bus, bus.handle, Sweep(bus.services.today()))


class Incomplete(Exception):  # noqa: N818 - a state the host acts on
    """Some isolated part of a trigger's work failed outside an action: the host runs the trigger again
    (the queue redelivers; timers have a retry policy in worker_triggers.py). Done parts are not redone."""


def finish(bus: MessageBus, handle, message) -> int:
    """Handle `message`; if an isolated part failed (function_app/once.isolated), raise Incomplete afterwards,
    once everything else is done, so the trigger's retry finishes the rest."""
    from function_app.once import running

    with running() as run:  # this invocation's own: another one running beside it has its own (once.Run)
        handled = handle(message)
    if run.incomplete:
        failed = ", ".join(sorted(set(run.incomplete)))
        raise Incomplete(f"{type(message).__name__}: some parts failed ({failed}); the retry finishes them")
    return handled


def redrive_actions(bus: MessageBus | None = None) -> int:
    """Retries actions a failed or killed attempt left undone, when no redelivery comes (function_app/once.py)."""
    from function_app.once import redrive

    return redrive(bus or app_bus())


@telemetry.traced("timer.schedule_link_meetings", result="handled")
def schedule_link_meetings(bus: MessageBus | None = None) -> int:
    bus = bus or app_bus()
    return finish(bus, bus.handle, ScheduleLinkMeetings(bus.services.today()))


@telemetry.traced("timer.weekly_escalations", result="sent")
def weekly_escalations(bus: MessageBus | None = None) -> bool:
    """The escalations dashboard and its card to the IRO service's channel, once a week (issue 14)."""
    from function_app import escalations

    bus = bus or app_bus()
    return escalations.weekly(bus.services, bus.services.today())


@telemetry.traced("timer.renew_subscriptions", result="counts")
def renew_subscriptions(bus: MessageBus | None = None) -> dict[str, int]:
    bus = bus or app_bus()
    if bus.services.subscriptions is None:
        log.info("no subscription manager (local mode): nothing to renew")
        return {"created": 0, "renewed": 0}
    done = subscriptions.ensure(bus.services, bus.services.now())
    # A drive-root subscription gets no subscriptionRemoved or missed lifecycle notification (Graph sends those
    # for Outlook and Teams resources only): one found missing here was recreated, and its library is caught up
    # now rather than at the next daily catch-up (handlers/case_folder.py clears the mark).
    for drive in bus.services.drives:
        if bus.services.store.get_state(f"catch-up:{DRIVE_SOURCE}{drive}"):
            bus.handle(DriveChanged(drive))
    return done


@telemetry.traced("timer.reconcile_delta", result="handled")
def reconcile_delta(bus: MessageBus | None = None) -> int:
    """Daily catch-up through delta queries for every mailbox we subscribe to (see function_app/reconcile.py)
    and every case-folder library (handlers/case_folder.py), whether or not its notifications arrived."""
    bus = bus or app_bus()
    handled = sum(bus.handle(DriveChanged(drive)) for drive in bus.services.drives)
    if bus.services.delta is None:
        log.info("no mailbox delta reader (local mode): only the case folders were caught up")
        return handled
    return handled + sum(bus.handle(m) for mailbox in subscriptions.mailboxes(bus.services)
                         for m in reconcile.changes(bus.services, mailbox))


def watch_case_folders(bus: MessageBus | None = None) -> int:
    """Every 15 minutes, when the council runs without drive-root subscriptions (IRO_DRIVE_SUBSCRIPTIONS=false:
    Sites.Selected only, docs/permissions.md), a delta round per case-folder library instead of a notification.
    With subscriptions it does nothing: the notifications and the daily catch-up cover the libraries."""
    bus = bus or app_bus()
    if bus.services.drive_subscriptions:
        return 0
    return sum(bus.handle(DriveChanged(drive)) for drive in bus.services.drives)


@telemetry.traced("timer.sync_roster", result="handled")
def sync_roster(bus: MessageBus | None = None) -> int:
    """Imports the council's roster export from where the settings say (see function_app/roster_sync.py)."""
    from function_app import roster_sync

    bus = bus or app_bus()
    source = roster_sync.source_for(bus.services)
    if source is None:
        log.info("roster sync: IRO_ROSTER_SOURCE is not set; the roster is kept with `iro import-roster`")
        return 0
    return sum(bus.handle(m) for m in roster_sync.sync_from(bus.services, source))
