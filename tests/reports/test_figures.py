"""Every figure of the annual report against a count made by hand over tests/reports/world.py."""

from __future__ import annotations

from datetime import date

import pytest

from reports.figures import Period, annual_figures
from reports.publish import published, rate, suppress
from tests.reports.world import FROM, PREV_FROM, PREV_TO, TO

ZERO3 = {"held": 0, "in_timescale": 0, "late": 0}


@pytest.fixture(scope="module")
def figs(report_store, policy, cal):
    return annual_figures(report_store, Period(FROM, TO), policy, cal)


def test_children(figs):
    # C1 and C2 throughout; C3 until 1 August 2025
    assert figs["children"] == {"looked_after_during": 3, "looked_after_at_end": 2}


def test_reviews(figs):
    r = figs["reviews"]
    # C1 10 Jun (2nd, on time) and 15 Jan (later, late); C2 20 Jun (1st, late), 15 Sep (2nd, on time);
    # C3 24 Apr (later, on time). C2's review due 15 Mar 2026 was not held.
    assert (r["held"], r["in_timescale"], r["late"], r["not_held"]) == (5, 3, 2, 1)
    assert r["late_reasons"] == {"child_unwell": 1, "": 1}
    assert r["by_review"] == {"first": {"held": 1, "in_timescale": 0, "late": 1},
                              "second": {"held": 2, "in_timescale": 2, "late": 0},
                              "later": {"held": 2, "in_timescale": 1, "late": 1}}
    assert r["by_iro"] == {"ann.smith@council.example": {"held": 3, "in_timescale": 2, "late": 1},
                           "bob.jones@council.example": {"held": 2, "in_timescale": 1, "late": 1}}
    assert r["by_team"] == {"North Team": {"held": 3, "in_timescale": 2, "late": 1},
                            "South Team": {"held": 2, "in_timescale": 1, "late": 1}}
    months = r["by_month"]
    assert list(months) == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]
    assert months["2025-04"] == {"held": 1, "in_timescale": 1, "late": 0}
    assert months["2025-06"] == {"held": 2, "in_timescale": 1, "late": 1}
    assert months["2025-09"] == {"held": 1, "in_timescale": 1, "late": 0}
    assert months["2026-01"] == {"held": 1, "in_timescale": 0, "late": 1}
    assert sum(m["held"] for m in months.values()) == 5
    assert months["2025-05"] == ZERO3


def test_participation(figs):
    p = figs["participation"]
    assert p["children"] == {"PN0": 0, "PN1": 1, "PN2": 0, "PN3": 0, "PN4": 1, "PN5": 1, "PN6": 0, "PN7": 1,
                             "unknown": 1}
    assert p["parents"] == {"attended": 1, "not recorded": 4}


def test_midway_oversight(figs):
    # due 5 May (C1: none), 9 Sep (C1: 1 Sep), 5 Aug (C2: none), 14 Dec (C2: 20 Dec), 24 Jul (C3: none)
    assert figs["midway_oversight"] == {"due": 5, "on_time": 1, "late": 1, "not_done": 3, "pending": 0}


def test_records(figs):
    rec = figs["records"]
    assert rec["decisions_to_tm"] == {"due": 5, "on_time": 3, "late": 1, "not_done": 1, "pending": 0}
    assert rec["record_completed"] == {"due": 5, "on_time": 1, "late": 0, "not_done": 4, "pending": 0}
    assert rec["record_distributed"] == {"due": 5, "on_time": 0, "late": 0, "not_done": 5, "pending": 0}


def test_decisions(figs):
    assert figs["decisions"] == {"recorded": 3, "due": 3, "on_time": 1, "late": 1, "not_done": 1, "pending": 0,
                                 "carried_forward": 1}


def test_disputes(figs):
    d = figs["disputes"]
    assert d["raised"] == 3                                   # R1, R2, R3 (R4 was raised before the period)
    assert {k: v for k, v in d["by_category"].items() if v} == {5: 2, 12: 1}
    assert len(d["by_category"]) == 14                        # Appendix 1's 13 and "not recorded"
    assert d["highest_stage"] == {"informal": 1, "stage1": 0, "stage2": 1, "stage3": 0, "ad_qa": 1}
    assert (d["resolved"], d["resolved_informally"], d["resolved_formal"], d["resolved_within_cap"]) == (3, 1, 2, 1)
    assert d["median_working_days_to_resolution"] == 13.0     # 5, 13, 40
    assert d["cafcass_referrals"] == 1
    assert d["open_at_end"] == {"informal": 0, "stage1": 0, "stage2": 0, "stage3": 0, "ad_qa": 1}
    assert d["themes_by_team"] == {"North Team": {5: 1}, "South Team": {5: 1, 12: 1}}


def test_good_practice_and_significant_changes(figs):
    assert figs["good_practice"] == {"recorded": 2, "by_team": {"North Team": 2}}
    s = figs["significant_changes"]
    assert s["notified"] == 2
    assert s["by_kind"]["placement_change"] == 1 and s["by_kind"]["unclassified"] == 1
    assert sum(s["by_kind"].values()) == 2
    assert s["notified_late"] == 1                            # R2, category 12


def test_caseloads(figs):
    c = figs["caseloads"]
    assert c["band"]["min_per_fte"] == 50 and c["band"]["max_per_fte"] == 70
    months = c["month_ends"]
    assert list(months)[0] == "2025-04-30" and list(months)[-1] == "2026-03-31" and len(months) == 12
    ann, bob = "ann.smith@council.example", "bob.jones@council.example"
    assert months["2025-04-30"]["iros"][ann]["children"] == 2 and months["2025-04-30"]["iros"][bob]["children"] == 0
    assert months["2025-07-31"]["iros"][ann]["children"] == 2 and months["2025-07-31"]["iros"][bob]["children"] == 1
    assert months["2025-08-31"]["iros"][ann]["children"] == 1           # C3 ceased on 1 August
    assert months["2025-08-31"]["iros"][bob] == {"children": 1, "fte": 0.5, "per_fte": 2.0, "verdict": "below"}
    assert months["2026-03-31"]["service"] == {"children": 2, "fte": 1.5, "per_fte": 1.3, "unallocated": 0}


def test_link_meetings(figs):
    assert figs["link_meetings"] == {
        "North Team": {"due": 3, "on_time": 1, "late": 1, "not_done": 1, "pending": 0, "held": 2},
        "South Team": {"due": 1, "on_time": 0, "late": 0, "not_done": 0, "pending": 1, "held": 0},
    }


def test_the_previous_period_is_counted_alike(report_store, policy, cal):
    before = annual_figures(report_store, Period(PREV_FROM, PREV_TO), policy, cal)
    # C3 1 May 2024 (2nd) and 25 Oct 2024 (later), C1 20 Mar 2025 (1st): all in time
    assert (before["reviews"]["held"], before["reviews"]["in_timescale"]) == (3, 3)
    assert before["disputes"]["raised"] == 1 and before["disputes"]["resolved"] == 0   # R4 raised in March 2025


def test_facts_after_the_period_are_not_seen(report_store, policy, cal):
    short = annual_figures(report_store, Period(FROM, date(2025, 6, 30)), policy, cal)
    assert short["reviews"]["held"] == 3 and short["disputes"]["raised"] == 0
    assert short["decisions"]["recorded"] == 2


def test_small_numbers_are_suppressed_as_councils_publish_them(figs, policy, report_store):
    assert [suppress(n, policy) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    zero = policy.model_copy(update={"report": policy.report.model_copy(update={"suppress_zero": True})})
    assert suppress(0, zero) == "<5"
    assert rate(3, 4, policy) == "-" and rate(5, 6, policy) == "83.3%"
    assert rate(4, 50, policy) == "-"   # "<5 (8.0%)" would give the 4 away
    pub = published(figs, policy, report_store.people())
    assert pub["reviews"]["held"] == 5 and pub["reviews"]["in_timescale"] == "<5"
    assert pub["decisions"]["recorded"] == "<5" and pub["decisions"]["pending"] == 0
    assert pub["disputes"]["median_working_days_to_resolution"] == 13.0   # not a count
    row = pub["caseloads"]["month_ends"]["2026-03-31"]["iros"]["IRO B"]
    assert row["children"] == "<5" and row["per_fte"] is None and row["fte"] == 0.5   # no back-calculating


def test_staff_are_letters_unless_the_policy_says_names(figs, policy, report_store):
    pub = published(figs, policy, report_store.people())
    assert set(pub["reviews"]["by_iro"]) == {"IRO A", "IRO B"}
    names = policy.model_copy(update={"report": policy.report.model_copy(update={"staff_labels": "names"})})
    assert set(published(figs, names, report_store.people())["reviews"]["by_iro"]) == {"Ann Smith", "Bob Jones"}


def test_the_period_must_run_forwards():
    with pytest.raises(ValueError, match="before it starts"):
        Period(TO, FROM)


@pytest.mark.postgres
def test_postgres_gives_the_same_figures(figs, policy, cal):
    """Production's database: the same hand-built store in a schema of its own, the same figures."""
    import uuid

    import psycopg

    from store import open_store
    from tests.reports import world
    from tests.support.requires import need_postgres

    base = need_postgres()
    schema = f"t_report_{uuid.uuid4().hex[:12]}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        store = open_store(f"{base}?options=-csearch_path%3D{schema}")
        world.build(store)
        assert annual_figures(store, Period(FROM, TO), policy, cal) == figs
        store.close()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
