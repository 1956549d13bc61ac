"""No cell text in a problem (issue 10, deliverable 5): a bad cell holding a name is refused by row with its
column and kind only; the name appears nowhere in the store (every table dumped)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from store.imports import import_903, import_roster, import_staff
from store.schema import metadata

NAME = "Zebedee Smith"


def dump(store) -> str:
    with store.engine.connect() as conn:
        return "\n".join(repr(row) for table in metadata.sorted_tables for row in conn.execute(sa.select(table)))


@pytest.mark.parametrize("column", ["case_ref", "looked_after_since", "iro", "sw", "in_proceedings"])
def test_a_name_in_a_bad_roster_cell_is_stored_nowhere(store, tmp_path, column):
    row = {"case_ref": "CLA-1", "looked_after_since": "2024-01-10", "legal_status": "C2", "iro": "iro@c.gov.uk",
           "sw": "", "tm": "", "team": "", "case_folder": "", "in_proceedings": "no", column: NAME}
    path = tmp_path / "roster.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")
    report = import_roster(store, path)
    assert len(report.errors) == 1 and store.problems()
    assert NAME not in dump(store) and NAME not in str(report.errors[0])


@pytest.mark.parametrize("column", ["role", "fte"])
def test_a_name_in_a_bad_staff_cell_is_stored_nowhere(store, tmp_path, column):
    row = {"email": "a@c.gov.uk", "display_name": "", "role": "iro", "fte": "1", column: NAME}
    path = tmp_path / "staff.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")
    assert import_staff(store, path).errors
    assert NAME not in dump(store)


@pytest.mark.parametrize("file,column", [("header", "DOB"), ("episodes", "DECOM"), ("episodes", "DEC"),
                                         ("episodes", "RNE"), ("episodes", "LS"), ("episodes", "REC"),
                                         ("reviews", "REVIEW"), ("reviews", "REVIEW_CODE"), ("header", "CHILD")])
def test_a_name_in_a_bad_903_cell_is_stored_nowhere(store, tmp_path, file, column):
    rows = {"header": {"CHILD": "A1", "DOB": "01/02/2012"},
            "episodes": {"CHILD": "A1", "DECOM": "10/01/2020", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1",
                         "REC": "E11", "DEC": "01/03/2021"},
            "reviews": {"CHILD": "A1", "DOB": "01/02/2012", "REVIEW": "05/02/2020", "REVIEW_CODE": "PN1"}}
    rows[file][column] = NAME
    paths = []
    for name, row in rows.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")
        paths.append(path)
    report = import_903(store, *paths)
    assert report.errors and store.problems()
    assert NAME not in dump(store) and all(NAME not in str(e) for e in report.errors)
