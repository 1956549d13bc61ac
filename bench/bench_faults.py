"""Exactly once under faults, for a larger council than the test suite's (tests/faults/test_fault_replay.py):
60 children for six months, January to June (IRO_BENCH_FAULT_CHILDREN, IRO_BENCH_FAULT_UNTIL to change),
through the real webhook and worker under tests/faults/harness.py's model of Azure's queue and host, each
faulty run compared with a clean one: lost, doubled and different cards, emails, documents, meetings and
facts (all should be 0)."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    from tests.faults import harness

    children = int(os.environ.get("IRO_BENCH_FAULT_CHILDREN", "60"))
    until = date.fromisoformat(os.environ.get("IRO_BENCH_FAULT_UNTIL", "2025-07-01"))
    runs = {
        "duplicates 20% + shuffled days": harness.Faults(seed=3, duplicate=0.2, shuffle=True),
        "killed hosts 5% after claim, 5% after effect": harness.Faults(seed=4, kill_after_claim=0.05,
                                                                        kill_after_effect=0.05),
        "5% transient Graph/Teams": harness.Faults(seed=5, transient=0.05),
        "30% transient + kills + duplicates + shuffles": harness.Faults(
            seed=6, transient=0.3, kill_after_claim=0.02, kill_after_effect=0.02, duplicate=0.2, shuffle=True),
    }
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        clean_run = harness.run(Path(tmp) / "clean", harness.Faults(), children=children, until=until)
        clean = harness.outcome(clean_run)
        clean_run.svc.store.close()
        print(f"   clean replay, {children} children: {time.perf_counter() - started:.1f} s; "
              + ", ".join(f"{k} {sum(v.values())}" for k, v in clean.items()))
        for n, (name, faults) in enumerate(runs.items()):
            started = time.perf_counter()
            r = harness.run(Path(tmp) / f"run{n}", faults, children=children, until=until)
            report = harness.compare(clean, harness.outcome(r))
            totals = {k: sum(f[k] for f in report.values()) for k in ("lost", "doubled", "different")}
            injected = sum(n for what, n in faults.counts.items() if what not in ("host restarts",))
            print(f"   {name}: {injected} faults injected, {faults.counts['host restarts']} host restarts, "
                  f"{len(r.svc.store.pending_actions())} actions pending; lost {totals['lost']}, doubled "
                  f"{totals['doubled']}, different {totals['different']} ({time.perf_counter() - started:.1f} s)")
            r.svc.store.close()
