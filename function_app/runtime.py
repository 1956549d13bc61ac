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
from function_app.messages import Rejected, ScheduleLinkMeetings, Sweep

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
    message = intake.to_message(body, lambda sid: subscriptions.mailbox_of(bus.services, sid))
    telemetry.annotate(message=type(message).__name__, case_ref=telemetry.case_of(message))
    return bus.handle(message)


@telemetry.traced("worker.poison", result="handled")
def report_poison(body: str, bus: MessageBus | None = None) -> int:
    """A message that failed five times is kept as a problem with its envelope, for a person to retry."""
    bus = bus or app_bus()
    try:
        envelope = json.loads(body)
    except ValueError:
        envelope = {"raw": body[:2048]}
    item = envelope.get("item", {}) if isinstance(envelope, dict) else {}
    return bus.handle(Rejected("poison queue", "a notification failed five times and was set aside",
                               "look at the failure in Application Insights, fix the cause, then re-queue it",
                               payload={"resource": item.get("resource"), "kind": envelope.get("kind")}))


@telemetry.traced("timer.daily_sweep", result="handled")
def daily_sweep(bus: MessageBus | None = None) -> int:
    bus = bus or app_bus()
    return bus.handle(Sweep(bus.services.today()))


@telemetry.traced("timer.schedule_link_meetings", result="handled")
def schedule_link_meetings(bus: MessageBus | None = None) -> int:
    bus = bus or app_bus()
    return bus.handle(ScheduleLinkMeetings(bus.services.today()))


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
    return subscriptions.ensure(bus.services, bus.services.now())


@telemetry.traced("timer.reconcile_delta", result="handled")
def reconcile_delta(bus: MessageBus | None = None) -> int:
    """Daily catch-up through delta queries for every mailbox we subscribe to (see function_app/reconcile.py)."""
    bus = bus or app_bus()
    if bus.services.delta is None:
        log.info("no delta reader (local mode): nothing to reconcile")
        return 0
    return sum(bus.handle(m) for mailbox in subscriptions.mailboxes(bus.services)
               for m in reconcile.changes(bus.services, mailbox))


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
