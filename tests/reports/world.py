"""A small hand-built store for the report tests: three children, two IROs, two teams, one year (2025-26).

Every fact goes in through the store's public API (`record`, `upsert_*`). The expected figures are counted
by hand in tests/reports/test_figures.py from the comments here, not computed by the code under test.
"""

from __future__ import annotations

from datetime import date

from rules.model import Child, Fact, FactKind, Person, Team

K = FactKind
FROM, TO = date(2025, 4, 1), date(2026, 3, 31)
PREV_FROM, PREV_TO = date(2024, 4, 1), date(2025, 3, 31)

ANN = Person("ann.smith@council.example", "Ann Smith", "iro", fte=1.0)
BOB = Person("bob.jones@council.example", "Bob Jones", "iro", fte=0.5)
TARA = Person("tara.north@council.example", "Tara Northcott", "tm")
UMA = Person("uma.south@council.example", "Uma Southwell", "tm")
SAM = Person("sam.okafor@council.example", "Sam Okafor", "sw")
PEOPLE = (ANN, BOB, TARA, UMA, SAM)
NAMES = [p.display_name for p in PEOPLE] + [p.display_name.split()[1] for p in PEOPLE] + [p.email for p in PEOPLE]


def _f(kind: FactKind, ref: str, on: date, n: str, **data) -> Fact:
    return Fact(kind, ref, on, f"t:{ref}:{kind}:{on}:{n}", data)


def build(store) -> None:
    for p in PEOPLE:
        store.upsert_person(p)
    store.upsert_team(Team("T1", "North Team", TARA.email, link_iro=ANN.email))
    store.upsert_team(Team("T2", "South Team", UMA.email, link_iro=BOB.email))
    store.upsert_child(Child("C1", date(2025, 3, 3), "C2", ANN.email, SAM.email, TARA.email, "T1"))
    store.upsert_child(Child("C2", date(2025, 5, 1), "C2", BOB.email, SAM.email, UMA.email, "T2"))
    store.upsert_child(Child("C3", date(2024, 1, 10), "C2", ANN.email, SAM.email, TARA.email, "T1"))
    facts = [
        # C1 (Ann, North): first review due 31 Mar 2025, held 20 Mar (before the period); second due 20 Jun,
        # held 10 Jun (in time, PN1, parents attended); later due 10 Dec, held 15 Jan 2026 (late, PN5, reason
        # child_unwell recorded on 5 Jan naming the review).
        _f(K.BECAME_LOOKED_AFTER, "C1", date(2025, 3, 3), "la"),
        _f(K.REVIEW_HELD, "C1", date(2025, 3, 20), "r1", review_code="PN1"),
        _f(K.REVIEW_HELD, "C1", date(2025, 6, 10), "r2", review_code="PN1", parents_participation="attended"),
        _f(K.REVIEW_LATE_REASON, "C1", date(2026, 1, 5), "why", reason="child_unwell", review_date="2026-01-15"),
        _f(K.REVIEW_HELD, "C1", date(2026, 1, 15), "r3", review_code="pn5"),
        # midway: after 20 Mar due 5 May (none: not done); after 10 Jun due 9 Sep (1 Sep: on time)
        _f(K.MIDWAY_OVERSIGHT, "C1", date(2025, 9, 1), "m"),
        # records: 10 Jun decisions sent 12 Jun, record completed 20 Jun; 15 Jan 2026 nothing sent
        _f(K.DECISIONS_SENT, "C1", date(2025, 6, 12), "d"),
        _f(K.RECORD_COMPLETED, "C1", date(2025, 6, 20), "rc"),
        # decisions: d1 due 1 Aug done 20 Jul (on time); d2 due 1 Oct never done (carried forward to 15 Jan)
        _f(K.DECISION_RECORDED, "C1", date(2025, 6, 12), "d1", decision_id="C1-d1", due="2025-08-01",
           named_person="sw"),
        _f(K.DECISION_RECORDED, "C1", date(2025, 6, 12), "d2", decision_id="C1-d2", due="2025-10-01",
           named_person="sw"),
        _f(K.DECISION_DONE, "C1", date(2025, 7, 20), "d1", decision_id="C1-d1"),
        # R1: stage 1 on 1 Jul (category 5), stage 2 on 10 Jul, resolved 20 Jul (13 working days, within the cap)
        _f(K.RESOLUTION_RAISED, "C1", date(2025, 7, 1), "R1", resolution_id="R1", category=5, stage="stage1"),
        _f(K.RESOLUTION_ESCALATED, "C1", date(2025, 7, 10), "R1", resolution_id="R1", to_stage="stage2"),
        _f(K.RESOLUTION_RESOLVED, "C1", date(2025, 7, 20), "R1", resolution_id="R1"),
        _f(K.GOOD_PRACTICE, "C1", date(2025, 11, 5), "gp"),
        _f(K.SIGNIFICANT_CHANGE, "C1", date(2025, 5, 5), "sc", change_kind="placement_change"),
        # C2 (Bob at 0.5 FTE, South): first review due 30 May 2025 (26 May a bank holiday), held 20 Jun (late,
        # no code, no reason); second due 20 Sep, held 15 Sep (PN7); later due 15 Mar 2026: not held.
        _f(K.BECAME_LOOKED_AFTER, "C2", date(2025, 5, 1), "la"),
        _f(K.REVIEW_HELD, "C2", date(2025, 6, 20), "r1"),
        _f(K.REVIEW_HELD, "C2", date(2025, 9, 15), "r2", review_code="PN7"),
        # midway: after 20 Jun due 5 Aug (none); after 15 Sep due 14 Dec (20 Dec: late)
        _f(K.MIDWAY_OVERSIGHT, "C2", date(2025, 12, 20), "m"),
        _f(K.DECISIONS_SENT, "C2", date(2025, 7, 10), "d1"),   # late (due 27 Jun)
        _f(K.DECISIONS_SENT, "C2", date(2025, 9, 16), "d2"),   # in time
        _f(K.DECISION_RECORDED, "C2", date(2025, 9, 16), "d3", decision_id="C2-d3", due="2025-11-01",
           named_person="tm"),
        _f(K.DECISION_DONE, "C2", date(2025, 11, 10), "d3", decision_id="C2-d3"),  # late
        # R2: informal, category 12, raised 1 Oct, resolved 8 Oct (5 working days)
        _f(K.RESOLUTION_RAISED, "C2", date(2025, 10, 1), "R2", resolution_id="R2", category=12),
        _f(K.RESOLUTION_RESOLVED, "C2", date(2025, 10, 8), "R2", resolution_id="R2"),
        # R3: stage 1 on 2 Feb 2026 (category 5), Cafcass discussed 10 Feb and referred 20 Feb, AD QA 10 Mar: open
        _f(K.RESOLUTION_RAISED, "C2", date(2026, 2, 2), "R3", resolution_id="R3", category=5, stage="stage1"),
        _f(K.CAFCASS_DISCUSSED, "C2", date(2026, 2, 10), "R3", resolution_id="R3"),
        _f(K.CAFCASS_REFERRED, "C2", date(2026, 2, 20), "R3", resolution_id="R3"),
        _f(K.RESOLUTION_ESCALATED, "C2", date(2026, 3, 10), "R3", resolution_id="R3", to_stage="ad_qa"),
        _f(K.SIGNIFICANT_CHANGE, "C2", date(2025, 11, 11), "sc"),
        _f(K.SIGNIFICANT_CHANGE, "C2", date(2026, 4, 5), "sc2", change_kind="complaint"),  # after the period
        # C3 (Ann, North): looked after 10 Jan 2024 to 1 Aug 2025. Reviews 1 Feb, 1 May, 25 Oct 2024 (all in
        # time), 24 Apr 2025 (due 25 Apr: in time, PN4). Midway after 24 Apr due 24 Jul: not done.
        _f(K.BECAME_LOOKED_AFTER, "C3", date(2024, 1, 10), "la"),
        _f(K.REVIEW_HELD, "C3", date(2024, 2, 1), "r1", review_code="PN2"),
        _f(K.REVIEW_HELD, "C3", date(2024, 5, 1), "r2", review_code="PN2"),
        _f(K.REVIEW_HELD, "C3", date(2024, 10, 25), "r3", review_code="PN2"),
        _f(K.REVIEW_HELD, "C3", date(2025, 4, 24), "r4", review_code="PN4"),
        _f(K.DECISIONS_SENT, "C3", date(2025, 4, 25), "d"),
        _f(K.CEASED_LOOKED_AFTER, "C3", date(2025, 8, 1), "ceased"),
        # R4: stage 1 on 3 Mar 2025 (category 2), resolved 30 Apr 2025 (40 working days: past the cap)
        _f(K.RESOLUTION_RAISED, "C3", date(2025, 3, 3), "R4", resolution_id="R4", category=2, stage="stage1"),
        _f(K.RESOLUTION_RESOLVED, "C3", date(2025, 4, 30), "R4", resolution_id="R4"),
        _f(K.GOOD_PRACTICE, "C3", date(2025, 4, 10), "gp"),
        # North's link meetings: 15 Mar 2025, 10 May (due 15 May: on time), 1 Aug (due 10 Jul: late); the
        # next due 1 Oct: not held. South: none on record (due on the period's last day: not yet due).
        _f(K.LINK_MEETING_HELD, "T1", date(2025, 3, 15), "l1"),
        _f(K.LINK_MEETING_HELD, "T1", date(2025, 5, 10), "l2"),
        _f(K.LINK_MEETING_HELD, "T1", date(2025, 8, 1), "l3"),
    ]
    for fact in facts:
        assert store.record(fact)
