"""The SSDA903 import: periods from contiguous episodes, reviews, bad rows, and idempotency."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from rules.errors import ImportError_
from rules.model import Child
from rules.model import FactKind as K
from store.imports import import_903, import_roster
from store.imports.synthetic import generate, open_periods, write, write_roster
from store.schema import facts as facts_table
from store.schema import problems as problems_table

HEADER = "CHILD,SEX,DOB\nA1,1,01/02/2012\nA2,2,03/04/2010\nA3,1,05/06/2015\n"
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC
A1,10/01/2020,S,C2,N1,U1,X1,01/03/2020
A1,01/03/2020,P,C2,N1,U2,X1,05/09/2020
A1,05/09/2020,L,C1,N1,U2,E11,30/06/2021
A1,01/02/2022,P,C2,N1,U1,E13,01/08/2022
A1,01/08/2022,S,C2,N1,U1,,
A2,15/05/2023,S,V2,N4,U1,,
"""
REVIEWS = """CHILD,DOB,REVIEW,REVIEW_CODE
A1,01/02/2012,05/02/2020,PN1
A1,01/02/2012,01/05/2020,pn3
A2,03/04/2010,10/06/2023,
"""


@pytest.fixture
def store(store):
    """The store with the roster holding every child these files have in care (the import refuses others)."""
    for ref in ("A1", "A2", "A3", "B9"):
        store.upsert_child(Child(ref, date(2020, 1, 1), iro="iro@council.example"))
    return store


def write_files(folder: Path, header=HEADER, episodes=EPISODES, reviews=REVIEWS) -> tuple[Path, Path, Path]:
    paths = folder / "header.csv", folder / "episodes.csv", folder / "reviews.csv"
    for path, text in zip(paths, (header, episodes, reviews), strict=True):
        path.write_text(text)
    return paths


def summary(store, case: str) -> list[tuple[str, date, dict]]:
    return [(str(f.kind), f.on, dict(f.data)) for f in store.facts(case)]


def test_contiguous_episodes_make_one_period_and_s_or_a_gap_starts_another(store, tmp_path):
    report = import_903(store, *write_files(tmp_path))
    assert report.errors == []
    assert summary(store, "A1") == [
        ("became_looked_after", date(2020, 1, 10), {"legal_status": "C2"}),
        ("review_held", date(2020, 2, 5), {"review_code": "PN1"}),
        ("review_held", date(2020, 5, 1), {"review_code": "PN3"}),
        ("ceased_looked_after", date(2021, 6, 30), {"reason": "E11"}),
        # after a gap a new period starts even though RNE is P
        ("became_looked_after", date(2022, 2, 1), {"legal_status": "C2"}),
        # RNE S starts a new period even when it joins the previous one without a gap
        ("ceased_looked_after", date(2022, 8, 1), {"reason": "E13"}),
        ("became_looked_after", date(2022, 8, 1), {"legal_status": "C2"}),
    ]
    assert summary(store, "A2") == [
        ("became_looked_after", date(2023, 5, 15), {"legal_status": "V2"}),
        ("review_held", date(2023, 6, 10), {}),
    ]
    assert report.rows == 3 + 6 + 3 and report.new_facts == 9 and report.known_facts == 0


def test_keys_are_deterministic_from_the_data(store, tmp_path):
    import_903(store, *write_files(tmp_path))
    keys = {f.key for f in store.facts("A2")}
    assert keys == {"became_looked_after:A2:2023-05-15", "review_held:A2:2023-06-10"}


def _snapshot(store) -> tuple[list, list]:
    with store.engine.connect() as conn:
        facts = conn.execute(sa.select(facts_table).order_by(facts_table.c.id)).all()
        problems = conn.execute(sa.select(problems_table).order_by(problems_table.c.id)).all()
    return facts, problems


def test_importing_the_same_files_twice_changes_nothing(store, tmp_path):
    bad_reviews = REVIEWS + "A1,01/02/2012,31/02/2020,PN1\n"  # one bad row, so problems are covered too
    files = write_files(tmp_path, reviews=bad_reviews)
    first = import_903(store, *files)
    before = _snapshot(store)
    second = import_903(store, *files)
    assert _snapshot(store) == before
    assert second.new_facts == 0 and second.known_facts == first.new_facts == 9
    assert len(second.errors) == len(first.errors) == 1


def test_a_synthetic_return_imports_cleanly_and_twice_is_a_no_op(store, tmp_path):
    ret = generate(60, date(2016, 1, 1), date(2026, 1, 1), seed=7)
    files = write(ret, tmp_path)
    import_roster(store, write_roster(ret, tmp_path / "roster.csv", lambda n: ("iro@council.example", "", "", "")))
    first = import_903(store, files["header"], files["episodes"], files["reviews"])
    assert first.errors == [] and first.new_facts > 60
    assert first.known_facts == len(open_periods(ret))  # the roster's start of care is the return's: one clock
    count = store.count_facts()
    second = import_903(store, files["header"], files["episodes"], files["reviews"])
    assert (second.new_facts, second.known_facts, store.count_facts()) == (0, first.new_facts + first.known_facts,
                                                                           count)


BAD_EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC
A1,10/01/2020,S,C2,N1,U1,,
A1,01/03/2020,P,C2,N1,U2,E11,05/09/2020
A2,15/05/2023,S,ZZ,N4,U1,,
A2,15/05/2023,Q,C2,N4,U1,E11,10/05/2023
A3,32/01/2021,S,C2,N1,U1,,
A3,01/02/2021,S,C2,N1,U1,X1,01/03/2021
B9,01/02/2021,S,C2,N1,U1,,
A2,01/06/2023,S,C2,N4,U1,E11
"""


def test_bad_episode_rows_are_reported_with_file_line_and_reason_and_good_rows_load(store, tmp_path):
    paths = write_files(tmp_path, episodes=BAD_EPISODES, reviews="CHILD,DOB,REVIEW,REVIEW_CODE\n")
    report = import_903(store, *paths)
    found = {(e.line, e.case_ref): e.reason for e in report.errors}
    assert all(e.file == str(paths[1]) for e in report.errors)
    assert "follows an open episode (line 2" in found[(3, "A1")]
    assert "LS is not" in found[(4, "A2")]
    assert "RNE is not" in found[(5, "A2")] and "DEC 10/05/2023 is before DECOM" in found[(5, "A2")]
    assert "DECOM is not a date" in found[(6, "A3")]
    assert "X1" in found[(7, "A3")]  # X1 but no next episode: the period stays open
    assert "not in the header" in found[(8, "B9")]
    assert "7 values for 8 columns" in found[(9, None)]  # a short row
    assert len(report.errors) == 7
    # The good rows still loaded.
    assert [(str(f.kind), f.on) for f in store.facts("A1")] == [("became_looked_after", date(2020, 1, 10))]
    assert [(str(f.kind), f.on) for f in store.facts("A3")] == [("became_looked_after", date(2021, 2, 1))]
    # Every bad row is a problem a person will see, with the file and line.
    sources = sorted(p.source for p in store.problems())
    assert sources[0] == "ssda903 episodes.csv:3" and len(sources) == 7


def test_bad_review_rows_are_reported_and_the_dob_is_never_echoed(store, tmp_path):
    reviews = REVIEWS + (
        "A1,01/02/2012,01/01/2019,PN1\n"  # before any period
        "A1,01/02/2012,01/06/2020,PN9\n"  # bad code
        "A3,05/06/2015,01/06/2020,PN1\n"  # child with no episodes
    )
    header = HEADER + "A4,1,31/13/2014\n"
    report = import_903(store, *write_files(tmp_path, header=header, reviews=reviews))
    reasons = [(Path(e.file).name, e.line, e.reason.removeprefix(f"{e.file}:{e.line}: ")) for e in report.errors]
    assert reasons[0] == ("header.csv", 5, "DOB is not a date in the form dd/mm/yyyy")
    assert ("reviews.csv", 5, "review on 01/01/2019 is outside every period of care in the episodes file") in reasons
    assert ("reviews.csv", 6, "REVIEW_CODE is not PN0 to PN7") in reasons
    assert any(line == 7 and "outside every period" in why for _f, line, why in reasons)
    assert not any("31/13/2014" in why or "01/02/2012" in why for _f, _l, why in reasons)
    assert len(store.facts("A1", kinds=[K.REVIEW_HELD])) == 2


def test_a_file_without_the_needed_columns_is_rejected_whole(store, tmp_path):
    paths = write_files(tmp_path, episodes="CHILD,DECOM,RNE\nA1,10/01/2020,S\n")
    with pytest.raises(ImportError_) as caught:
        import_903(store, *paths)
    assert caught.value.line == 1 and "LS, CIN, PLACE, REC, DEC" in caught.value.reason
    assert store.count_facts() == 0


def test_a_child_in_care_not_on_the_roster_is_refused_by_row_and_ended_care_still_loads(store_url, tmp_path):
    """Nobody holds a child the roster lacks, so no clock of theirs may start: their rows are refused (one
    problem on the open episode's line, one per review, naming the fix); history of ended care loads."""
    from store import open_store

    bare = open_store(store_url)
    header = "CHILD,DOB\nA1,01/02/2012\nA2,03/04/2010\n"
    episodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC\nA1,10/01/2020,S,C2,N1,U1,E11,30/06/2021\n" \
               "A2,15/05/2023,S,V2,N4,U1,X1,01/06/2023\nA2,01/06/2023,P,V2,N4,U1,,\n"
    reviews = "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/02/2012,05/02/2020,PN1\nA2,03/04/2010,10/06/2023,PN2\n"
    paths = write_files(tmp_path, header=header, episodes=episodes, reviews=reviews)
    report = import_903(bare, *paths)
    found = {(Path(e.file).name, e.line, e.case_ref): e.reason for e in report.errors}
    assert set(found) == {("episodes.csv", 4, "A2"), ("reviews.csv", 3, "A2")}
    assert "not on the roster" in found[("episodes.csv", 4, "A2")] and "import the roster first" in found[
        ("episodes.csv", 4, "A2")]
    assert "import the roster first" in found[("reviews.csv", 3, "A2")]
    assert bare.facts("A2") == [] and len(bare.problems(case_ref="A2")) == 2
    assert [str(f.kind) for f in bare.facts("A1")] == ["became_looked_after", "review_held", "ceased_looked_after"]
    # The fix it names works: the roster, then the same return again.
    bare.upsert_child(Child("A2", date(2023, 5, 15), iro="iro@council.example"))
    again = import_903(bare, *paths)
    assert again.errors == [] and [str(f.kind) for f in bare.facts("A2")] == ["became_looked_after", "review_held"]
    bare.close()


def test_the_synthetic_roster_holds_exactly_the_children_still_in_care():
    ret = generate(200, date(2016, 1, 1), date(2026, 1, 1), seed=3)
    last = {}
    for child, *_rest, dec in ret.episodes:
        last[child] = dec
    assert set(open_periods(ret)) == {child for child, dec in last.items() if not dec}
