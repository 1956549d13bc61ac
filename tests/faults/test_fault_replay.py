"""Exactly once and nothing lost under Azure's real faults (issue 10, deliverable 6).

A 24-child council's first three months (January to March: reviews, decisions, records, resolutions, link
meetings, daily sweeps and digests) through the real webhook and worker, under tests/faults/harness.py's
model of the queue and the host, compared with a clean replay of the same council: every card, email,
document, meeting and fact, counted. Three months rather than twelve keep it inside CI's time; `make bench`
runs a larger council for the year.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.faults import harness

UNTIL = date(2025, 4, 1)
ZERO = {"lost": 0, "doubled": 0, "different": 0}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    r = harness.run(tmp_path_factory.mktemp("clean"), harness.Faults(), until=UNTIL)
    yield harness.outcome(r)
    r.svc.store.close()


@pytest.mark.parametrize("name, faults", [
    ("duplicates and shuffled days", harness.Faults(seed=3, duplicate=0.2, shuffle=True)),
    ("killed hosts after claims and after effects", harness.Faults(seed=4, kill_after_claim=0.05,
                                                                   kill_after_effect=0.05)),
    ("5% transient Graph and Teams failures", harness.Faults(seed=5, transient=0.05)),
    ("30% transient failures, kills, duplicates, shuffles", harness.Faults(
        seed=6, transient=0.3, kill_after_claim=0.02, kill_after_effect=0.02, duplicate=0.2, shuffle=True)),
])
def test_faulty_replay_ends_as_the_clean_one(clean, tmp_path, name, faults):
    r = harness.run(tmp_path, faults, until=UNTIL)
    try:
        report = harness.compare(clean, harness.outcome(r))
        injected = sum(n for what, n in faults.counts.items() if what != "host restarts")
        assert injected > 0, "no fault was injected: the test would prove nothing"
        for kind, figures in report.items():
            assert figures["clean"] > 0, kind
            assert {k: figures[k] for k in ZERO} == ZERO, (name, kind, figures, dict(faults.counts))
        assert r.svc.store.pending_actions() == []
        uncertain = [p for p in r.svc.store.problems() if p.source == "teams delivery"]
        assert len(uncertain) <= faults.counts["killed after an effect"]  # a person checks those, nothing resent
    finally:
        r.svc.store.close()
