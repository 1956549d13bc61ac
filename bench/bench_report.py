"""The annual report over a large council: figures, charts and the Word document, timed (printed, never asserted).

IRO_BENCH_REPORT_CHILDREN (default 2,000, a large county's looked-after population) synthetic children with
ten years of SSDA903 history are imported into a temporary SQLite store; then the year's figures
(`reports.figures.annual_figures`, one streamed read and every clock of every case), the comparison year's,
and the rendered report (four matplotlib charts, docxtpl) are timed in this process.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

CHILDREN = int(os.environ.get("IRO_BENCH_REPORT_CHILDREN", "2000"))


def main() -> None:
    from reports.annual import render_report, report_context
    from reports.figures import Period, annual_figures
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy
    from store import open_store
    from store.imports import import_903, import_roster
    from store.imports.synthetic import generate, write, write_roster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ret = generate(CHILDREN, date(2016, 1, 1), date(2026, 1, 1))
        files = write(ret, folder)
        store = open_store(f"sqlite:///{folder / 'bench.sqlite'}")
        import_roster(store, write_roster(ret, folder / "roster.csv", lambda n: (f"iro{n % 100}@bench.example",
                                                                                 "", "", "")))
        report = import_903(store, files["header"], files["episodes"], files["reviews"])
        print(f"   store     {CHILDREN:,} children, {report.new_facts:,} facts", flush=True)
        policy = load_policy()
        cal = WorkingCalendar.for_policy(policy)
        started = time.perf_counter()
        figures = annual_figures(store, Period(date(2025, 1, 1), date(2025, 12, 31)), policy, cal)
        counted = time.perf_counter()
        before = annual_figures(store, Period(date(2024, 1, 1), date(2024, 12, 31)), policy, cal)
        context, drawn = report_context(figures, policy, store.people(), before)
        charted = time.perf_counter()
        blob = render_report(context, drawn)
        rendered = time.perf_counter()
        print(f"   figures   {counted - started:.2f} s for one year ({figures['reviews']['held']:,} reviews held, "
              f"{CHILDREN / (counted - started):,.0f} children/s)", flush=True)
        print(f"   charts    {charted - counted:.2f} s (the comparison year's figures and four charts)", flush=True)
        print(f"   document  {rendered - charted:.2f} s, {len(blob) / 1024:,.0f} KB", flush=True)
        print(f"   peak RSS  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB", flush=True)
        store.close()
