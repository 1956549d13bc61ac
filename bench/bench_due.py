"""`iro due` over a national-size caseload: 84,000 children with ten years of history.

England has about 84,000 looked-after children at any time. The synthetic return
(store.imports.synthetic) gives each child a period of care starting somewhere in 2016-2025, a few
placement moves, sometimes a second period, and reviews at about the statutory rhythm, mostly on
time and some late. It is written as SSDA903 CSVs, with a roster of the children still in care, and
loaded with the real importers into a SQLite file in a temp dir (in a child process, so the figures
below are `iro due`'s alone), then timed:

    store scan   Store.facts_by_case() alone: one ordered, streamed query, one process
    iro due      store.due.write_due_json to /dev/null, one worker per CPU: what `iro due --json` runs

IRO_BENCH_CHILDREN=5000 makes a smaller run; IRO_BENCH_WORKERS=1 times a single process.
Figures are printed, never asserted.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

CHILDREN = int(os.environ.get("IRO_BENCH_CHILDREN", "84000"))
WORKERS = int(os.environ.get("IRO_BENCH_WORKERS", "0")) or os.cpu_count() or 1
FIRST_DAY, AS_OF = date(2016, 1, 1), date(2026, 1, 1)


def _bench_staff(n: int) -> tuple[str, str, str, str]:  # one IRO per 280 children, about
    return f"iro{n % 300}@bench.example", "", "", ""


def _build(url: str, folder: Path) -> None:
    from store import open_store
    from store.imports import import_903, import_roster
    from store.imports.synthetic import generate, write, write_roster

    started = time.perf_counter()
    ret = generate(CHILDREN, FIRST_DAY, AS_OF)
    files = write(ret, folder)
    roster = write_roster(ret, folder / "roster.csv", _bench_staff)
    rows = len(ret.header) + len(ret.episodes) + len(ret.reviews)
    del ret
    generated = time.perf_counter()
    print(f"   generate  {CHILDREN:,} children, {rows:,} SSDA903 rows: {generated - started:.1f} s", flush=True)
    store = open_store(url)
    import_roster(store, roster)  # the children still in care (the return refuses those the roster lacks)
    report = import_903(store, files["header"], files["episodes"], files["reviews"])
    imported = time.perf_counter() - generated
    print(
        f"   import    {report.new_facts:,} facts ({report.rejected} rows rejected): {imported:.1f} s "
        f"({report.rows / imported:,.0f} rows/s)",
        flush=True,
    )
    store.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the pool's workers, once joined)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    from rules.calendar import WorkingCalendar
    from rules.policy import load_policy
    from store import open_store
    from store.due import write_due_json

    with tempfile.TemporaryDirectory(prefix="iro-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        child = multiprocessing.get_context("fork").Process(target=_build, args=(url, Path(tmp)))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"building the bench store failed (exit {child.exitcode})")
        store = open_store(url)
        policy = load_policy()
        calendar = WorkingCalendar.for_policy(policy)

        started = time.perf_counter()
        cases = facts = 0
        for _ref, found in store.facts_by_case():
            cases += 1
            facts += len(found)
        scan = time.perf_counter() - started
        print(f"   store scan {cases:,} cases, {facts:,} facts: {scan:.2f} s", flush=True)

        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        with open(os.devnull, "w") as sink:
            figures = write_due_json(store, AS_OF, sink, policy=policy, calendar=calendar, workers=WORKERS)
        took = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        print(
            f"   iro due --as-of {AS_OF} --json > /dev/null, {WORKERS} worker(s): {took:.2f} s for "
            f"{figures.cases:,} cases ({figures.cases / took:,.0f} cases/s, {figures.items:,} deadlines, "
            f"{cpu:.1f} CPU-s in all processes: well under wall-s x workers means other programs had the CPUs)",
            flush=True,
        )
        print(
            f"   peak RSS {_peak_mb():.0f} MB (main process), {figures.worker_peak_kb / 1024:.0f} MB (largest worker)",
            flush=True,
        )
        store.close()


if __name__ == "__main__":
    main()
