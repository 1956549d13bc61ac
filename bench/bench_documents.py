"""Word documents: renders per second for each kind on one core, read-back speed, and peak memory.

Each kind renders its example context (doc_templates/examples) in a loop for about a second, in this one
process pinned to one CPU; the first render (template parse and check, then cached) is timed separately.
"docs/s" is wall-clock; "per CPU s" divides by this process's CPU time, the honest one-core figure on a
shared machine. Peak memory is the process's maximum resident set size (getrusage), interpreter included.
"""

from __future__ import annotations

import json
import os
import resource
import time
from datetime import date
from pathlib import Path

SECONDS = 1.0
EXAMPLES = Path(__file__).resolve().parent.parent / "doc_templates" / "examples"


def _rate(action, seconds: float = SECONDS) -> tuple[float, float]:
    """(per wall-clock second, per CPU second): on a shared machine the CPU figure is the one-core speed."""
    count, started, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - started) < seconds or count < 3:
        action()
        count += 1
    return count / elapsed, count / max(time.process_time() - cpu, 1e-9)


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    from doc_templates import kinds
    from doc_templates.readback import read_decisions
    from doc_templates.render import render

    print(f"   import docxtpl + python-docx + doc_templates: {time.perf_counter() - started:.2f} s")
    print(f"   {'kind':<22} {'first (ms)':>10} {'docs/s':>8} {'per CPU s':>9} {'KB':>6}")
    for kind in kinds:
        context = json.loads((EXAMPLES / f"{kind}.json").read_text(encoding="utf-8"))
        first = time.perf_counter()
        blob = render(kind, context)
        first_ms = (time.perf_counter() - first) * 1000
        wall, cpu = _rate(lambda kind=kind, context=context: render(kind, context))
        print(f"   {kind:<22} {first_ms:>10.0f} {wall:>8.1f} {cpu:>9.1f} {len(blob) / 1024:>6.0f}")
    record = render("review_record", json.loads((EXAMPLES / "review_record.json").read_text(encoding="utf-8")))
    wall, cpu = _rate(lambda: read_decisions(record, date(2026, 3, 14)))
    print(f"   read_decisions (review record, 3 decisions): {wall:.1f} records/s ({cpu:.1f} per CPU second)")
    from doc_templates.record_fields import read_record

    wall, cpu = _rate(lambda: read_record(record, date(2026, 3, 14)))
    print(f"   read_record (progress, attendance, participation, views, concern): {wall:.1f} records/s "
          f"({cpu:.1f} per CPU second)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(f"   peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
