"""Queue and timer triggers. Each imports the service layer lazily, inside the call, so that indexing
the app (and the webhook's cold start) loads none of msgraph, docxtpl or the SQLAlchemy ORM."""

from __future__ import annotations

import azure.functions as func

from function_app import settings

bp = func.Blueprint()


def _runtime():
    from function_app import runtime  # heavy: store, policy, adapters

    return runtime


@bp.function_name("process_notification")
@bp.queue_trigger(arg_name="msg", queue_name=settings.QUEUE, connection=settings.STORAGE)
def process_notification(msg: func.QueueMessage) -> None:
    """One Graph notification: fetch the item, record the fact, act. Raising lets the host retry
    (maxDequeueCount 5 in host.json), after which the message moves to the poison queue."""
    _runtime().process_queue_message(msg.get_body().decode("utf-8"), dequeue_count=msg.dequeue_count or 1)


@bp.function_name("report_poison")
@bp.queue_trigger(arg_name="msg", queue_name=settings.POISON_QUEUE, connection=settings.STORAGE)
def report_poison(msg: func.QueueMessage) -> None:
    """A message that failed five times: recorded as a problem and shown to the service, never dropped."""
    _runtime().report_poison(msg.get_body().decode("utf-8", errors="replace"))


@bp.function_name("report_poison_again")
@bp.queue_trigger(arg_name="msg", queue_name=settings.POISON_AGAIN, connection=settings.STORAGE)
def report_poison_again(msg: func.QueueMessage) -> None:
    """report_poison failed five times (it fails only when the store does): the host moved the message to the
    poison queue's own poison queue, which is read here, so a store outage loses nothing (docs/app.md)."""
    _runtime().report_poison(msg.get_body().decode("utf-8", errors="replace"), again=True)


TIMER_RETRY = {"strategy": "fixed_delay", "max_retry_count": "5", "delay_interval": "00:05:00"}  # see runtime.finish


@bp.function_name("daily_sweep")
@bp.timer_trigger(arg_name="timer", schedule="0 0 6 * * *")  # 06:00 UTC: before the working day
@bp.retry(**TIMER_RETRY)
def daily_sweep(timer: func.TimerRequest) -> None:
    _runtime().daily_sweep()


@bp.function_name("redrive_actions")
@bp.timer_trigger(arg_name="timer", schedule="0 */5 * * * *")  # every 5 min: the lease in function_app/once.py
def redrive_actions(timer: func.TimerRequest) -> None:
    """Actions a failed or killed attempt left undone (a timer's, or a message's that is gone) are retried."""
    _runtime().redrive_actions()


@bp.function_name("renew_subscriptions")
@bp.timer_trigger(arg_name="timer", schedule="0 15 */6 * * *")  # well inside a subscription's half-life
def renew_subscriptions(timer: func.TimerRequest) -> None:
    _runtime().renew_subscriptions()


@bp.function_name("reconcile_delta")
@bp.timer_trigger(arg_name="timer", schedule="0 30 5 * * *")  # daily, and after `missed` via the queue
def reconcile_delta(timer: func.TimerRequest) -> None:
    _runtime().reconcile_delta()


@bp.function_name("watch_case_folders")
@bp.timer_trigger(arg_name="timer", schedule="0 */15 * * * *")  # only without drive subscriptions (permissions.md)
def watch_case_folders(timer: func.TimerRequest) -> None:
    _runtime().watch_case_folders()


@bp.function_name("schedule_link_meetings")
@bp.timer_trigger(arg_name="timer", schedule="0 0 7 * * 1")  # Mondays: books the coming weeks' meetings
@bp.retry(**TIMER_RETRY)
def schedule_link_meetings(timer: func.TimerRequest) -> None:
    _runtime().schedule_link_meetings()


@bp.function_name("weekly_escalations")
@bp.timer_trigger(arg_name="timer", schedule="0 0 8 * * 1")  # Mondays 08:00 UTC: the week's open resolutions
def weekly_escalations(timer: func.TimerRequest) -> None:
    _runtime().weekly_escalations()


@bp.function_name("sync_roster")
@bp.timer_trigger(arg_name="timer", schedule="0 0 5 * * *")
def sync_roster(timer: func.TimerRequest) -> None:
    _runtime().sync_roster()
