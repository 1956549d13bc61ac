"""The daily sweep for a council of 2,000 children (issue 11: aim under 2 s for any day on one core).

The demo council's generator at 2,000 children with its history before the year (reviews, follow-ups),
on the embedded default (SQLite, local folders and outboxes). Five working days' whole sweeps are timed
one by one: the first drafts what falls due at go-live; the later ones are the steady state. Each sweep
sends every person's digest (notices/digests.py). Printed, never asserted.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

CHILDREN = 2_000


def main() -> None:
    from demo.council import make_council
    from demo.replay import setup
    from function_app import runtime

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        council = make_council(11, CHILDREN)
        replay = setup(Path(tmp) / "council", council)
        print(f"   {CHILDREN} children, {replay.svc.store.count_facts()} facts in the store "
              f"({time.perf_counter() - started:.1f} s to build)")
        day, swept = council.start, 0
        while swept < 5:
            if replay.svc.cal.is_working_day(day):
                replay.clock.at = datetime.combine(day, clock_time(6), UTC)
                t = time.perf_counter()
                runtime.daily_sweep(bus=replay.bus)
                cards = len(list((Path(tmp) / "council" / "teams-outbox").glob("[0-9]*.json")))
                print(f"   sweep {day:%a %d %b %Y}: {time.perf_counter() - t:.2f} s ({cards} Teams messages so far)")
                swept += 1
            day += timedelta(days=1)
        replay.svc.store.close()
