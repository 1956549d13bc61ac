"""The roster: children, people, teams (upserts; e-mail addresses are keys, stored lower-case)."""

from __future__ import annotations

from datetime import date

from rules.model import Child, Person, Team


def test_children_upsert_and_filter_by_iro(store):
    store.upsert_child(Child("C1", date(2024, 1, 1), "C2", iro="IRO.A@Council.example", team="T1"))
    store.upsert_child(Child("C2", date(2024, 2, 1), iro="iro.b@council.example"))
    store.upsert_child(Child("C1", date(2024, 1, 1), "C2", iro="iro.b@council.example", in_proceedings=True))
    assert store.child("C1") == Child("C1", date(2024, 1, 1), "C2", iro="iro.b@council.example", in_proceedings=True)
    assert [c.case_ref for c in store.children(iro="IRO.B@council.example")] == ["C1", "C2"]
    assert store.children(iro="iro.a@council.example") == []
    assert store.child("nobody") is None


def test_people_and_teams(store):
    store.upsert_person(Person("Iro.A@council.example", "IRO A", "iro", 0.6))
    store.upsert_person(Person("tm.n@council.example", "TM N", "tm"))
    store.upsert_team(Team("T1", "North", tm="TM.N@council.example", link_iro="iro.a@council.example"))
    assert store.person("iro.a@COUNCIL.example") == Person("iro.a@council.example", "IRO A", "iro", 0.6)
    assert [p.email for p in store.people(role="iro")] == ["iro.a@council.example"]
    assert len(store.people()) == 2
    assert store.team("T1") == Team("T1", "North", tm="tm.n@council.example", link_iro="iro.a@council.example")
    store.upsert_team(Team("T1", "North East", tm="tm.n@council.example"))
    assert [t.name for t in store.teams()] == ["North East"]
    assert store.team("T9") is None
