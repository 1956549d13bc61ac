"""The `iro` case commands end to end on a temp SQLite store: imports, policy check, problems, due."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import REPO
from tests.store.conftest import pg_url  # noqa: F401 - the fixture

EXAMPLES = REPO / "examples"
RUNNER = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())  # rich wraps tables and long lines to the terminal's width


def iro(*args: str, db: str):
    return RUNNER.invoke(app, [*args, "--db", db] if args[0] != "policy" else list(args))


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'iro.sqlite'}"


def import_examples(db: str):
    ssda = EXAMPLES / "ssda903"
    roster = iro("import-roster", str(EXAMPLES / "roster.csv"), "--staff", str(EXAMPLES / "staff.csv"),
                 "--teams", str(EXAMPLES / "teams.csv"), db=db)
    assert roster.exit_code == 0, roster.output
    return iro("import-903", "--header", str(ssda / "header.csv"), "--episodes", str(ssda / "episodes.csv"),
               "--reviews", str(ssda / "reviews.csv"), db=db)


def test_importing_the_example_twice_records_nothing_the_second_time(db):
    first = import_examples(db)
    assert first.exit_code == 0 and "0 rows rejected" in first.output
    second = import_examples(db)
    assert second.exit_code == 0
    assert "0 facts recorded" in second.output and "0 rows rejected" in second.output


def on_roster(db: str, folder: Path, *children: tuple[str, str]) -> None:
    """The roster holds these (case, looked_after_since) children: the return refuses a child in care it lacks."""
    rows = "".join(f"{ref},{since},C2,iro@council.example,,,,\n" for ref, since in children)
    (folder / "roster.csv").write_text("case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n" + rows)
    assert iro("import-roster", str(folder / "roster.csv"), db=db).exit_code == 0


def test_a_bad_row_is_shown_with_file_and_line_and_the_command_fails(db, tmp_path):
    on_roster(db, tmp_path, ("A1", "2020-01-10"))
    (tmp_path / "h.csv").write_text("CHILD,DOB\nA1,01/02/2012\n")
    (tmp_path / "e.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC\nA1,10/01/2020,S,C2,N1,U1,,\nA1,10/02/2020,S,XX,N1,U1,,\n"
    )
    (tmp_path / "r.csv").write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/02/2012,01/02/2020,PN1\n")
    result = iro("import-903", "--header", str(tmp_path / "h.csv"), "--episodes", str(tmp_path / "e.csv"),
                 "--reviews", str(tmp_path / "r.csv"), db=db)
    assert result.exit_code == 1
    assert "1 facts recorded, 1 already recorded" in result.output and "1 rows rejected" in result.output
    assert "e.csv" in flat(result.output) and "LS is not an SSDA903 legal status" in flat(result.output)
    assert "XX" not in result.output  # a cell's text is never echoed (it could be a name)
    problems = iro("problems", db=db)
    assert "e.csv:3" in flat(problems.output)


def test_a_missing_column_rejects_the_file_with_exit_1(db, tmp_path):
    (tmp_path / "roster.csv").write_text("case_ref,iro\nA1,a@b.c\n")
    result = iro("import-roster", str(tmp_path / "roster.csv"), db=db)
    assert result.exit_code == 1 and "missing column" in result.output


def test_policy_check_prints_the_clocks_or_the_error():
    good = RUNNER.invoke(app, ["policy", "check", str(REPO / "rules" / "policies" / "buckinghamshire.yaml")])
    assert good.exit_code == 0, good.output
    assert "first_review" in good.output and "valid" in good.output


def test_policy_check_of_a_broken_file_exits_1_naming_the_problem(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("council: Nowhere\nclocks: {}\n")
    result = RUNNER.invoke(app, ["policy", "check", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml" in flat(result.output)


def due_json(db: str, *args: str) -> list[dict]:
    result = iro("due", "--as-of", "2025-10-01", "--json", *args, db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_due_json_lists_every_clock_of_every_case_with_the_agreed_fields(db):
    import_examples(db)
    items = due_json(db)
    assert {"C000001", "C000016", "T-NORTH"} <= {i["case_ref"] for i in items}
    for item in items:
        assert {"case_ref", "clock", "due", "status", "met_on"} <= set(item)
        assert item["status"] in {"met", "missed", "open", "overdue"}
        date.fromisoformat(item["due"])
        assert (item["met_on"] is None) or date.fromisoformat(item["met_on"])
    assert {"first_review", "second_review", "later_review"} <= {i["clock"] for i in items}
    assert due_json(db, "--workers", "1") == items


def test_due_filters_by_case_iro_and_overdue(db):
    import_examples(db)
    assert {i["case_ref"] for i in due_json(db, "--case", "C000016")} == {"C000016"}
    amber = {i["case_ref"] for i in due_json(db, "--iro", "IRO.Amber@council.example")}
    assert amber == {"C000001", "C000004", "C000007", "C000010", "C000013", "C000017", "T-NORTH"}
    overdue = due_json(db, "--overdue", "--since", "2020-01-01")  # history, imported today: asked for by date
    assert overdue and {i["status"] for i in overdue} == {"overdue"}


def test_review_clocks_follow_the_issue_s_rules(db, tmp_path):
    # Looked after 06/01/2025 (a Monday): first review due 20 working days later (reg 33; 003).
    on_roster(db, tmp_path, ("R1", "2025-01-06"), ("R2", "2025-01-06"))
    (tmp_path / "h.csv").write_text("CHILD,DOB\nR1,01/02/2012\nR2,01/02/2012\n")
    (tmp_path / "e.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,REC,DEC\nR1,06/01/2025,S,C2,N1,U1,,\nR2,06/01/2025,S,C2,N1,U1,,\n"
    )
    # R1: first review on time, second late. R2: no review at all.
    (tmp_path / "r.csv").write_text(
        "CHILD,DOB,REVIEW,REVIEW_CODE\nR1,01/02/2012,20/01/2025,PN1\nR1,01/02/2012,01/06/2025,PN1\n"
    )
    result = iro("import-903", "--header", str(tmp_path / "h.csv"), "--episodes", str(tmp_path / "e.csv"),
                 "--reviews", str(tmp_path / "r.csv"), db=db)
    assert result.exit_code == 0, result.output
    items = due_json(db)
    r1 = {i["clock"]: i for i in items if i["case_ref"] == "R1" and i["clock"].endswith("review")}
    assert (r1["first_review"]["status"], r1["first_review"]["met_on"]) == ("met", "2025-01-20")
    assert (r1["second_review"]["status"], r1["second_review"]["met_on"]) == ("missed", "2025-06-01")
    assert r1["second_review"]["due"] == "2025-04-20"
    assert r1["later_review"]["status"] == "open" and r1["later_review"]["due"] == "2025-12-01"
    (r2,) = [i for i in items if i["case_ref"] == "R2" and i["clock"] == "first_review"]
    assert (r2["status"], r2["met_on"], r2["due"]) == ("overdue", None, "2025-02-03")


def test_due_table_and_bad_dates(db):
    import_examples(db)
    table = iro("due", "--as-of", "2025-10-01", "--case", "C000005", db=db)
    assert table.exit_code == 0 and "first_review" in table.output
    bad = iro("due", "--as-of", "01/10/2025", db=db)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_the_store_comes_from_iro_db_url_when_no_db_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DB_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    missing = RUNNER.invoke(app, ["problems"])
    assert missing.exit_code == 2 and "env.sqlite" in flat(missing.output)
    assert not Path(tmp_path / "env.sqlite").exists()
    made = RUNNER.invoke(app, ["import-roster", str(EXAMPLES / "roster.csv"), "--staff", str(EXAMPLES / "staff.csv"),
                               "--teams", str(EXAMPLES / "teams.csv")])
    assert made.exit_code == 0 and Path(tmp_path / "env.sqlite").exists()
    assert RUNNER.invoke(app, ["problems"]).exit_code == 0


def test_a_fact_outside_the_calendar_stops_due_naming_the_case(db):
    from rules.model import Fact, FactKind
    from store import open_store

    store = open_store(db)
    store.record(Fact(FactKind.BECAME_LOOKED_AFTER, "OLD1", date(1985, 3, 1), "became_looked_after:OLD1:1985-03-01"))
    store.close()
    result = iro("due", "--as-of", "2025-10-01", "--json", db=db)
    assert result.exit_code == 1
    assert "case OLD1" in flat(result.output)


# ---- mistakes are errors that name what is wrong (issue 11 item 7) --------------------------------------------


def test_a_store_that_does_not_exist_is_named_and_not_created(tmp_path):
    where = tmp_path / "typo.sqlite"
    for args in (["problems"], ["due", "--as-of", "2025-10-01"], ["problems", "resolve", "1", "--note", "x"]):
        result = RUNNER.invoke(app, [*args, "--db", f"sqlite:///{where}"])
        assert result.exit_code == 2, (args, result.output)
        assert "typo.sqlite" in flat(result.output) and "import-roster" in flat(result.output)
    assert not where.exists()


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_not_a_store_and_gets_no_tables(pg_url):  # noqa: F811 - the fixture
    import sqlalchemy as sa

    result = RUNNER.invoke(app, ["problems", "--db", pg_url])
    assert result.exit_code == 2 and "no IRO tables" in flat(result.output)
    engine = sa.create_engine(pg_url)
    try:
        assert not sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_an_unknown_case_iro_or_team_is_an_error_naming_it(db):
    import_examples(db)
    for args, named in ((("--case", "C999999"), "C999999"), (("--iro", "nobody@council.example"), "nobody@"),
                        (("--iro", "sw.one@council.example"), "not as an IRO"), (("--team", "T-WEST"), "T-WEST")):
        result = iro("due", "--as-of", "2025-10-01", *args, db=db)
        assert result.exit_code == 2, (args, result.output)
        assert named in flat(result.output)
    assert iro("problems", "--case", "C999999", db=db).exit_code == 2
    north = {i["case_ref"] for i in due_json(db, "--team", "T-NORTH")}
    assert "T-NORTH" in north and "C000001" in north and "C000002" not in north


def test_overdue_lists_nothing_from_before_go_live(db, monkeypatch):
    import_examples(db)
    everything = due_json(db, "--overdue", "--since", "2000-01-01")
    assert any(i["due"] < "2025-06-01" for i in everything)
    monkeypatch.setenv("IRO_ALERTS_FROM", "2025-06-01")
    after = due_json(db, "--overdue")
    assert after and all(i["due"] >= "2025-06-01" for i in after)
    assert after == [i for i in everything if i["due"] >= "2025-06-01"]
    monkeypatch.delenv("IRO_ALERTS_FROM")  # no setting: go-live is the day the store began (the import, today)
    assert due_json(db, "--overdue") == []
    table = iro("due", "--as-of", "2025-10-01", "--overdue", db=db)
    assert table.exit_code == 0 and "before go-live" in flat(table.output)


def test_overdue_uses_the_go_live_day_the_app_recorded_and_names_a_bad_setting(db, monkeypatch):
    """One go-live for the app and the CLI (function_app/go_live.py): the day the app's first sweep recorded."""
    from function_app.go_live import STATE
    from store import open_store

    import_examples(db)
    store = open_store(db)
    store.set_state(STATE, "2025-06-01")  # as the app's first sweep records it
    store.close()
    everything = due_json(db, "--overdue", "--since", "2000-01-01")
    assert due_json(db, "--overdue") == [i for i in everything if i["due"] >= "2025-06-01"] != []
    monkeypatch.setenv("IRO_ALERTS_FROM", "1 June")
    bad = iro("due", "--as-of", "2025-10-01", "--overdue", db=db)
    assert bad.exit_code == 2 and "IRO_ALERTS_FROM" in flat(bad.output)


# ---- problems: filtered, as JSON, resolved, shown as typed ---------------------------------------------------


def _problems(db: str) -> tuple[int, int]:
    from store import open_store

    store = open_store(db)
    try:
        first = store.record_problem("review record", "row 1: no named person [/b] [bold]x[/bold]",
                                     "name one [red]", "C000001", {"row": 1})
        second = store.record_problem("webhook", "no case reference", "add it", None, {})
        return first, second
    finally:
        store.close()


def test_problems_filter_by_case_and_open_and_print_json(db):
    import_examples(db)
    first, second = _problems(db)
    listed = json.loads(iro("problems", "--json", db=db).stdout)
    assert [p["id"] for p in listed] == [first, second]
    assert listed[0]["reason"] == "row 1: no named person [/b] [bold]x[/bold]" and listed[0]["resolved_at"] is None
    assert [p["id"] for p in json.loads(iro("problems", "--case", "C000001", "--json", db=db).stdout)] == [first]
    done = iro("problems", "resolve", str(first), "--note", "Named the SW [/b] in row 1", "--by", "iro.amber", db=db)
    assert done.exit_code == 0, done.output
    assert "Named the SW [/b] in row 1" in flat(done.output) and "iro.amber" in done.output
    assert [p["id"] for p in json.loads(iro("problems", "--open", "--json", db=db).stdout)] == [second]
    [resolved] = [p for p in json.loads(iro("problems", "--json", db=db).stdout) if p["id"] == first]
    assert (resolved["resolved_by"], resolved["resolution_note"]) == ("iro.amber", "Named the SW [/b] in row 1")
    assert resolved["resolved_at"] is not None


def test_problems_show_typed_text_literally_in_the_table(db, monkeypatch):
    from cli import cases

    import_examples(db)
    _problems(db)
    monkeypatch.setattr(cases.out, "width", 250)  # a wide terminal: the cells are not folded
    result = RUNNER.invoke(app, ["problems", "--db", db])
    assert result.exit_code == 0, result.output
    assert "[/b]" in result.output and "[bold]x[/bold]" in result.output and "[red]" in result.output


def test_problems_cite_the_councils_document_titles_not_the_seed_numbers(db, monkeypatch, tmp_path):
    from cli import cases
    from store import open_store

    import_examples(db)
    store = open_store(db)
    store.record_problem("review record", "row 2: no named person (000 standard 5)",
                         "000 standard 5: give every decision a named person", "C000001", {"row": 2})
    store.close()
    monkeypatch.setattr(cases.out, "width", 250)
    shown = flat(RUNNER.invoke(app, ["problems", "--db", db]).output)
    assert "no named person (IRO Practice Standards, standard 5)" in shown and "000 standard" not in shown
    own = (REPO / "rules" / "policies" / "buckinghamshire.yaml").read_text().replace(
        '"000": {title: "IRO Practice Standards"}', '"000": {title: "Our IRO Standards"}')
    (tmp_path / "ours.yaml").write_text(own)
    ours = flat(RUNNER.invoke(app, ["problems", "--policy", str(tmp_path / "ours.yaml"), "--db", db]).output)
    assert "(Our IRO Standards, standard 5)" in ours
    as_json = json.loads(iro("problems", "--json", db=db).stdout)[0]  # in the same words as the table
    assert as_json["reason"].endswith("(IRO Practice Standards, standard 5)")
    assert as_json["what_to_do"].startswith("IRO Practice Standards, standard 5: give")


def test_a_case_reference_is_read_as_the_council_writes_it(db):
    from store import open_store

    store = open_store(db)
    store.record_problem("mail", "no review date", "write the date", "CLA-100044", {})
    store.close()
    listed = json.loads(iro("problems", "--case", "cla100044", "--json", db=db).stdout)
    assert [p["case_ref"] for p in listed] == ["CLA-100044"]


def test_options_that_would_be_ignored_are_refused_naming_them(db):
    import_examples(db)
    alone = iro("due", "--as-of", "2025-01-01", "--since", "2020-01-01", db=db)
    assert alone.exit_code == 2 and "--since only narrows --overdue" in flat(alone.output)
    both = iro("due", "--as-of", "2025-01-01", "--case", "C000016", "--iro", "IRO.Amber@council.example", db=db)
    assert both.exit_code == 2 and "--case names one case" in flat(both.output)


def test_due_cites_sources_in_the_councils_titles(db, monkeypatch):
    from cli import cases

    import_examples(db)
    monkeypatch.setattr(cases.out, "width", 250)
    shown = flat(iro("due", "--as-of", "2025-01-01", "--case", "C000016", db=db).output)
    assert "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33(2)(a)" in shown
    assert "reg 33" not in shown and "004 s" not in shown


def test_resolving_twice_or_an_unknown_problem_is_an_error_naming_it(db):
    import_examples(db)
    first, _ = _problems(db)
    assert iro("problems", "resolve", str(first), "--note", "done", db=db).exit_code == 0
    again = iro("problems", "resolve", str(first), "--note", "again", db=db)
    assert again.exit_code == 1 and "already resolved" in flat(again.output)
    unknown = iro("problems", "resolve", "999", "--note", "x", db=db)
    assert unknown.exit_code == 1 and "no problem with id 999" in flat(unknown.output)
    empty = iro("problems", "resolve", str(first), "--note", "  ", db=db)
    assert empty.exit_code == 2 and "--note" in flat(empty.output)


def test_on_a_terminal_too_typed_text_is_shown_as_typed(db, monkeypatch):
    from cli import cases

    import_examples(db)
    _problems(db)
    monkeypatch.setattr(cases.out, "_force_terminal", True)  # rich draws the table, as for a person at a terminal
    monkeypatch.setattr(cases.out, "width", 250)
    result = RUNNER.invoke(app, ["problems", "--db", db])
    assert result.exit_code == 0, result.output
    assert "┃" in result.output or "│" in result.output  # the drawn table, not the plain one
    assert "[/b]" in result.output and "[bold]x[/bold]" in result.output and "[red]" in result.output
