from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from demo.council import Council, make_council
from rules.calendar import WorkingCalendar
from rules.errors import InputError
from rules.model import Child

CAL = WorkingCalendar(closures=(), first_year=2015, last_year=2030)


def test_same_seed_same_council_and_another_seed_differs(council: Council) -> None:
    assert make_council(7) == council
    other = make_council(8)
    assert other.children != council.children
    assert other.people != council.people


def test_people_and_roles(council: Council) -> None:
    roles = Counter(p.role for p in council.people)
    assert roles == {"iro": 3, "tm": 2, "sw": 7, "hos": 1, "service_director": 1, "ad_qa": 1, "iro_manager": 1}
    assert sorted(p.fte for p in council.by_role("iro")) == [0.8, 1.0, 1.0]
    assert len({p.email for p in council.people}) == len(council.people)
    for p in council.people:
        first, last = p.display_name.lower().split()
        assert re.fullmatch(rf"[a-z]+\.{first}\.{last}@council\.example", p.email)
    assert council.by_role("iro")[0].email.startswith("iro.")
    assert council.service_mailbox == "iro.service@council.example"


def test_teams_are_linked_and_staffed(council: Council) -> None:
    assert [t.team_id for t in council.teams] == ["T1", "T2"]
    iros = {p.email for p in council.by_role("iro")}
    assert {t.link_iro for t in council.teams} < iros and council.teams[0].link_iro != council.teams[1].link_iro
    for t in council.teams:
        assert council.person(t.tm).role == "tm" and council.person(t.hos).role == "hos"
        assert t.channel == f"team-{t.team_id}"
        assert 3 <= len(council.team_sws(t.team_id)) <= 4
    assert not set(council.team_sws("T1")) & set(council.team_sws("T2"))


def test_children_are_consistent_and_balanced(council: Council) -> None:
    kids = council.children
    assert [c.case_ref for c in kids] == [f"CLA-{100001 + i}" for i in range(60)]
    for c in kids:
        team = council.team(c.team)
        assert c.tm == team.tm and c.sw in council.team_sws(c.team)
        assert council.person(c.iro).role == "iro"
        assert c.case_folder == f"Children/{c.case_ref}"
        assert c.legal_status in {"C1", "C2", "V2", "E1", "J2"}
        assert c.in_proceedings == (c.legal_status == "C1")
    new = [c for c in kids if c.looked_after_since >= council.start]
    assert 12 <= len(new) <= 18 and all(c.looked_after_since < council.end for c in new)
    assert sum(c.looked_after_since < date(2023, 1, 1) for c in kids) >= 20  # long-standing cases
    fte = {p.email: p.fte for p in council.by_role("iro")}
    load = Counter(c.iro for c in kids)
    for iro, n in load.items():
        assert abs(n - 60 * fte[iro] / sum(fte.values())) <= 3
    assert abs(sum(c.team == "T1" for c in kids) - 30) <= 1
    assert sum(c.in_proceedings for c in new) >= 2


def test_prior_reviews_follow_the_statutory_cycle_and_leave_room(council: Council) -> None:
    for c in council.children:
        held = council.prior_reviews[c.case_ref]
        if c.looked_after_since >= council.start:
            assert held == ()
            continue
        due = CAL.add_working_days(c.looked_after_since, 20)
        for i, d in enumerate(held):
            assert c.looked_after_since < d <= due and d < council.start
            assert CAL.is_working_day(d)
            due = d + relativedelta(months=3 if i == 0 else 6)
        assert due >= council.start + relativedelta(days=28), c.case_ref  # the next one is bookable in the demo


def test_no_names_of_children(council: Council) -> None:
    assert not {f.name for f in fields(Child)} & {"name", "first_name", "surname", "display_name"}
    assert all(re.fullmatch(r"[A-Z]{2}", v) for v in council.display_initials.values())
    assert set(council.display_initials) == {c.case_ref for c in council.children}


def test_end_is_twelve_months_on(council: Council) -> None:
    assert council.end == council.start + relativedelta(months=12)
    assert make_council(start=date(2026, 3, 2), children=30).end == date(2027, 3, 2)


def test_too_few_children_is_refused_with_advice() -> None:
    with pytest.raises(InputError, match="at least 24 children"):
        make_council(children=5)


def test_unknown_person_is_refused(council: Council) -> None:
    with pytest.raises(InputError, match="not a member"):
        council.person("nobody@council.example")
