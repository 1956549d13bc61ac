"""The go-live day: what falls due before it is history, never alerted, escalated or listed as overdue.

IRO_ALERTS_FROM (AppSettings.alerts_from) when the council sets it; else the day of the app's first sweep,
recorded in the store then (every fact the app handles is followed by a sweep of its case). `iro due
--overdue` may run on a store the app never swept (the history a council imports before it starts), so
there the day the store's first fact was recorded stands in (cli/cases.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from function_app.services import Services

STATE = "go-live"  # the store's state key holding the recorded day


def recorded(store: Any, alerts_from: date | None) -> date | None:
    """The setting, else the day recorded at the first sweep; None before the app has swept."""
    if alerts_from:
        return alerts_from
    day = store.get_state(STATE)
    return date.fromisoformat(day) if day else None


def go_live_day(svc: Services, today: date, record: bool = True) -> date:
    """The go-live day as the app uses it; before its first sweep that is `today` (recorded when `record`)."""
    day = recorded(svc.store, svc.alerts_from)
    if day is not None:
        return day
    if record:
        svc.store.set_state(STATE, today.isoformat())
    return today
