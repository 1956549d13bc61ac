"""The roster CSV imports: children (with their BECAME_LOOKED_AFTER fact), staff and teams."""

from __future__ import annotations

from datetime import date

import pytest

from rules.errors import ImportError_, InputError
from rules.model import Child, Person, Team
from store.imports import import_903, import_roster, import_staff, import_teams

ROSTER = """case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder,in_proceedings
A1,2022-08-01,C2,IRO.Amber@council.example,sw.one@council.example,tm.n@council.example,T1,Cases/A1,no
A2,15/05/2023,v2,iro.birch@council.example,,,T2,Cases/A2,yes
A3,2023-02-30,C2,iro.birch@council.example,,,T2,Cases/A3,
A4,2023-02-01,C2,,,,T2,Cases/A4,
A5,2023-02-01,C2,iro.birch,,,T2,Cases/A5,
A1,2022-08-01,C2,iro.amber@council.example,,,T1,Cases/A1,
bad ref,2023-02-01,C2,iro.birch@council.example,,,T2,Cases/A6,
A7,2023-02-01,C2,iro.birch@council.example,,,T2,Cases/A7,maybe
"""


def test_good_rows_load_bad_rows_are_reported_and_each_child_starts_its_clock(store, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    report = import_roster(store, path)
    assert store.child("A1") == Child(
        "A1", date(2022, 8, 1), "C2", "iro.amber@council.example", "sw.one@council.example",
        "tm.n@council.example", "T1", "Cases/A1", False,
    )
    assert store.child("A2").in_proceedings is True and store.child("A2").legal_status == "V2"
    assert [(e.line, e.case_ref) for e in report.errors] == [
        (4, "A3"), (5, "A4"), (6, "A5"), (7, "A1"), (8, None), (9, "A7")
    ]
    reasons = " | ".join(e.reason for e in report.errors)
    for expected in ("looked_after_since is not a real date", "iro is empty", "iro is not an e-mail",
                     "appears twice", "case_ref is not a case reference", "in_proceedings is not yes or no"):
        assert expected in reasons
    for cell in ("2023-02-30", "iro.birch", "bad ref", "maybe"):  # a cell's text is never echoed
        assert cell not in reasons
    assert [f.key for f in store.facts("A2")] == ["became_looked_after:A2:2023-05-15"]
    assert (report.roster, report.new_facts, len(store.problems())) == (2, 2, 6)


def test_roster_and_ssda903_share_the_start_fact_so_one_clock_starts(store, tmp_path):
    (tmp_path / "roster.csv").write_text(
        "case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n"
        "A2,2023-05-15,V2,iro.birch@council.example,,,T2,Cases/A2\n"
    )
    (tmp_path / "h.csv").write_text("CHILD,DOB\nA2,03/04/2010\n")
    (tmp_path / "e.csv").write_text("CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC\nA2,15/05/2023,S,V2,N4,U1,,\n")
    (tmp_path / "r.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\n")
    assert import_roster(store, tmp_path / "roster.csv").new_facts == 1
    report = import_903(store, tmp_path / "h.csv", tmp_path / "e.csv", tmp_path / "r.csv")
    assert (report.new_facts, report.known_facts, len(store.facts("A2"))) == (0, 1, 1)


def test_staff_and_teams(store, tmp_path):
    (tmp_path / "staff.csv").write_text(
        "email,display_name,role,fte\n"
        "iro.a@council.example,IRO A,IRO,0.6\n"
        "tm.n@council.example,TM N,tm,\n"
        "x@council.example,X,cleaner,1\n"
        "y@council.example,Y,sw,2\n"
    )
    (tmp_path / "teams.csv").write_text(
        "team_id,name,tm,hos,link_iro,channel\n"
        "T1,North,tm.n@council.example,hos@council.example,iro.a@council.example,cic-north\n"
        "T2,South,,,,\n"
    )
    staff = import_staff(store, tmp_path / "staff.csv")
    teams = import_teams(store, tmp_path / "teams.csv")
    assert store.people(role="iro") == [Person("iro.a@council.example", "IRO A", "iro", 0.6)]
    assert store.person("tm.n@council.example").fte == 1.0
    assert ["role is not one" in staff.errors[0].reason, "outside 0 to 1.5" in staff.errors[1].reason] == [True, True]
    assert store.teams() == [
        Team("T1", "North", "tm.n@council.example", "hos@council.example", "iro.a@council.example", "cic-north")
    ]
    assert teams.errors[0].line == 3 and "tm is empty" in teams.errors[0].reason


def test_missing_file_and_missing_columns(store, tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        import_roster(store, tmp_path / "nope.csv")
    (tmp_path / "r.csv").write_text("case_ref,iro\nA1,x@y\n")
    with pytest.raises(ImportError_, match="missing column"):
        import_roster(store, tmp_path / "r.csv")


GOOD = ("case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n"
        "B1,2024-03-01,C2,iro.amber@council.example,,,T1,Cases/Cafés\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_the_encodings_councils_systems_export(store, tmp_path, encoding):
    path = tmp_path / "roster.csv"
    path.write_bytes(GOOD.replace("\n", "\r\n").encode(encoding))
    report = import_roster(store, path)
    assert report.errors == [] and store.child("B1").case_folder == "Cases/Cafés"


def test_huge_fields_and_implausible_dates_are_refused_by_row_and_never_echoed(store, tmp_path):
    path = tmp_path / "roster.csv"
    rows = [GOOD.rstrip("\n"),
            "B2,0001-01-01,C2,iro.amber@council.example,,,T1,Cases/B2",
            "B3,2024-03-01,C2,iro.amber@council.example,,,T1,\"" + "x" * 200_000 + "\"",
            "B4,2024-03-01," + "Y" * 40 + ",iro.amber@council.example,,,T1,Cases/B4",
            "B5,2024-03-01,C2,iro.amber@council.example,,,T1," + "Jane Smith notes " * 100,
            "B6,2024-03-01,C2,iro.amber@council.example,,,T1,Cases/B6"]
    path.write_text("\n".join(rows) + "\n")
    report = import_roster(store, path)
    assert sorted(c.case_ref for c in store.children()) == ["B1", "B6"]
    assert [e.line for e in report.errors] == [3, 4, 5, 6]
    assert all(len(p.reason) < 200 and "Jane" not in p.reason and "xxxx" not in p.reason for p in store.problems())
    assert "plausible" in report.errors[0].reason
    for c in store.children():  # every child stored has its clock's fact
        assert store.facts(c.case_ref)


def test_a_child_is_never_stored_without_its_fact(store, tmp_path, monkeypatch):
    import store.store as module
    from rules.errors import StoreError

    path = tmp_path / "roster.csv"
    path.write_text(GOOD)

    def failing(data):  # the child's row is written, then its fact fails in the same transaction
        raise StoreError("cannot store the data (test)")
    monkeypatch.setattr(module, "dumps", failing)
    with pytest.raises(StoreError):
        import_roster(store, path)
    monkeypatch.undo()
    assert store.children() == [] and store.facts() == []
