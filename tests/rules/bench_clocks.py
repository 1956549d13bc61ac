"""Time `rules.clocks.deadlines` per case (not a test; run `python -m tests.rules.bench_clocks [N]`).

Two synthetic shapes, each a child whose care starts in 2016-2025 and is judged on 2026-01-01:
- "903":   periods of care and reviews only, as an SSDA903 import gives (about 11 reviews a case);
- "rich":  care since 2016 with every after-review fact (decisions, record, midway oversight), shuffled
           and partly duplicated, as a live system accumulates over ten years (~115 facts a case).
Figures are CPU time (process_time, best of 3: the machine is shared) per case, printed, never asserted.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from rules.calendar import WorkingCalendar
from rules.clocks import deadlines
from rules.model import Fact, FactKind
from rules.policy import load_policy

K = FactKind
AS_OF = date(2026, 1, 1)


def case_903(rng: random.Random, i: int) -> tuple[str, list[Fact]]:
    ref, facts = f"CLA-{i:06d}", []
    start = date(2016, 1, 1) + timedelta(days=rng.randrange(3650))
    facts.append(Fact(K.BECAME_LOOKED_AFTER, ref, start, f"{ref}:la"))
    end = start + timedelta(days=rng.randrange(60, 3000)) if rng.random() < 0.45 else None
    if end is not None and end < AS_OF:
        facts.append(Fact(K.CEASED_LOOKED_AFTER, ref, end, f"{ref}:ceased"))
    held, n = start + timedelta(days=rng.choice([18, 21, 24, 26, 27, 28, 40])), 0
    while held <= min(end or AS_OF, AS_OF):
        n += 1
        facts.append(Fact(K.REVIEW_HELD, ref, held, f"{ref}:r{n}", {"event_id": f"{ref}:r{n}"}))
        held += timedelta(days=rng.choice([85, 90, 91, 110] if n < 2 else [170, 178, 181, 182, 200]))
    return ref, facts


def case_rich(rng: random.Random, i: int) -> tuple[str, list[Fact]]:
    ref, facts = f"CLA-{i:06d}", []
    start = date(2016, 1, 1) + timedelta(days=rng.randrange(300))
    facts.append(Fact(K.BECAME_LOOKED_AFTER, ref, start, f"{ref}:la"))
    held, n = start + timedelta(days=25), 0
    while held < AS_OF:
        n += 1
        key = f"{ref}:r{n}"
        facts.append(Fact(K.REVIEW_HELD, ref, held, key, {"event_id": key}))
        for kind, days in ((K.DECISIONS_SENT, 5), (K.RECORD_COMPLETED, 18), (K.RECORD_DISTRIBUTED, 25),
                           (K.MIDWAY_OVERSIGHT, 80)):
            facts.append(Fact(kind, ref, held + timedelta(days=days), f"{key}:{kind}"))
        held += timedelta(days=rng.choice([150, 170, 185]))
    facts += rng.sample(facts, len(facts) // 10)  # at-least-once delivery: some facts twice
    rng.shuffle(facts)
    return ref, facts


def main(n: int = 10_000) -> None:
    policy = load_policy()
    cal = WorkingCalendar.for_policy(policy)
    for shape, make in (("903", case_903), ("rich", case_rich)):
        rng = random.Random(7)
        cases = [make(rng, i) for i in range(n)]
        nfacts = sum(len(f) for _, f in cases) / n
        for only_open in (False, True):
            best = float("inf")
            for _ in range(3):
                started, found = time.process_time(), 0
                for ref, facts in cases:
                    found += len(deadlines(ref, facts, policy, cal, AS_OF, only_open=only_open))
                best = min(best, time.process_time() - started)
            print(f"{shape:5} {'only_open' if only_open else 'all      '} {best / n * 1e6:6.1f} us/case "
                  f"({nfacts:.0f} facts, {found / n:.0f} deadlines a case; 84,000 cases: {best / n * 84_000:.1f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
