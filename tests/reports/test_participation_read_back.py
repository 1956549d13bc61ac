"""The annual report counts participation from what the IRO wrote in the completed record (issue 13: the
record_read facts of function_app/record_reading.py, the latest version read), and falls back to the SSDA903
import's review_code only for a review whose record was never read back."""

from __future__ import annotations

from datetime import date

from reports.figures import Period, annual_figures
from rules.model import Child, Fact, FactKind, Person
from store import open_store

K = FactKind
IRO = Person("iro.one@council.example", "Iro One", "iro")
FIRST, SECOND, THIRD = date(2025, 5, 20), date(2025, 8, 12), date(2026, 1, 20)


def _read(on: date, review: date, version: int, code: str | None, attended=(), absent=()) -> Fact:
    tag = "" if version == 1 else f"@v{version:03d}"
    return Fact(K.RECORD_READ, "C9", on, f"C9_review-record_{review}.docx{tag}:read",
                {"document": f"C9_review-record_{review}.docx", "version": version, "review_date": review.isoformat(),
                 "attended": list(attended), "absent": list(absent), "participation": code, "views": [],
                 "concern": False, "concern_category": None})


def test_participation_and_parents_come_from_the_records_read_back(tmp_path, policy, cal):
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.upsert_person(IRO)
    store.upsert_child(Child("C9", date(2025, 5, 1), "C2", IRO.email, "", "", ""))
    for fact in (
        Fact(K.BECAME_LOOKED_AFTER, "C9", date(2025, 5, 1), "la", {}),
        # first review: the 903 import says PN4, the record read back says PN7, then its edit says PN1
        Fact(K.REVIEW_HELD, "C9", FIRST, "r1", {"review_code": "PN4"}),
        _read(date(2025, 5, 27), FIRST, 1, "PN7", attended=("professional",), absent=("parent",)),
        _read(date(2025, 6, 2), FIRST, 2, "PN1", attended=("child", "parent")),
        # second review: read back with no code ticked (a problem for the IRO): the import's code stands
        Fact(K.REVIEW_HELD, "C9", SECOND, "r2", {"review_code": "PN2"}),
        _read(date(2025, 8, 20), SECOND, 1, None, absent=("parent",)),
        # third review: never read back, nothing imported
        Fact(K.REVIEW_HELD, "C9", THIRD, "r3", {}),
    ):
        store.record(fact)
    try:
        figs = annual_figures(store, Period(date(2025, 4, 1), date(2026, 3, 31)), policy, cal)
    finally:
        store.close()
    children = figs["participation"]["children"]
    assert {code: n for code, n in children.items() if n} == {"PN1": 1, "PN2": 1, "unknown": 1}
    assert figs["participation"]["parents"] == {"attended": 1, "did not attend": 1, "not recorded": 1}


def test_the_report_labels_the_codes_as_the_record_and_the_ssda903_do():
    from reports.annual import PARTICIPATION as REPORTED
    from rules.participation import PARTICIPATION

    assert {k: v for k, v in REPORTED.items() if k != "unknown"} == PARTICIPATION
    assert list(REPORTED) == [f"PN{n}" for n in range(8)] + ["unknown"]
