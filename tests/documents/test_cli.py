"""`iro templates check`, `iro render`, `iro decisions`."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from doc_templates.readback import read_decisions
from doc_templates.render import TEMPLATE_DIR, render
from tests.documents.helpers import EXAMPLES, edit_template, example

runner = CliRunner()


def test_templates_check_passes_the_bundled_templates() -> None:
    result = runner.invoke(app, ["templates", "check"])
    assert result.exit_code == 0, result.output
    assert "match their contexts" in result.output


def test_templates_check_fails_on_a_misspelt_variable_and_names_it(tmp_path) -> None:
    shutil.copytree(TEMPLATE_DIR, tmp_path, dirs_exist_ok=True)
    edit_template(TEMPLATE_DIR / "child_decisions.docx", tmp_path / "child_decisions.docx",
                  "{{ child_name }}", "{{ chld_name }}")
    result = runner.invoke(app, ["templates", "check", str(tmp_path)], terminal_width=200)
    assert result.exit_code == 1
    assert "child_decisions.docx" in result.output and "chld_name" in result.output


def test_render_writes_the_document_named_by_case_reference(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["render", "review_record", "--context", str(EXAMPLES / "review_record.json")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "CLA-100234_review-record_2026-03-30.docx"
    assert written.is_file()
    out = tmp_path / "x.docx"
    assert runner.invoke(app, ["render", "introduction_letter", "--context",
                               str(EXAMPLES / "introduction_letter.json"), "--out", str(out)]).exit_code == 0
    assert out.stat().st_size > 10_000


def test_render_names_a_missing_field_and_writes_nothing(tmp_path) -> None:
    context = example("review_decisions")
    del context["dispute_by"]
    (tmp_path / "ctx.json").write_text(json.dumps(context))
    result = runner.invoke(app, ["render", "review_decisions", "--context", str(tmp_path / "ctx.json"),
                                 "--out", str(tmp_path / "out.docx")], terminal_width=200)
    assert result.exit_code == 1
    assert "review_decisions.docx" in result.output and "dispute_by" in result.output
    assert not (tmp_path / "out.docx").exists()


def test_decisions_prints_the_parsed_decisions_as_json(tmp_path) -> None:
    blob = render("review_record", example("review_record"))
    (tmp_path / "record.docx").write_bytes(blob)
    result = runner.invoke(app, ["decisions", str(tmp_path / "record.docx"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["review_date"] == "2026-03-14"  # read from the record itself
    assert data == {"review_date": "2026-03-14"} | read_decisions(blob, date(2026, 3, 14)).as_json()
    assert [d["due"] for d in data["decisions"]] == ["2026-04-11", "2026-03-28", "2026-05-29"]


def test_decisions_reports_problems_by_row_and_exits_1(tmp_path) -> None:
    edit_template(TEMPLATE_DIR / "review_record.docx", tmp_path / "t.docx", "{{ d.due_by }}", "ongoing")
    shutil.copytree(TEMPLATE_DIR, tmp_path / "tpl")
    shutil.copy(tmp_path / "t.docx", tmp_path / "tpl" / "review_record.docx")
    (tmp_path / "record.docx").write_bytes(render("review_record", example("review_record"),
                                                  template_dir=tmp_path / "tpl"))
    result = runner.invoke(app, ["decisions", str(tmp_path / "record.docx"), "--review-date", "2026-03-14"],
                           terminal_width=200)
    assert result.exit_code == 1
    assert "ongoing" in result.output and "Problems" in result.output


def test_decisions_on_something_that_is_not_a_docx_exits_2(tmp_path: Path) -> None:
    (tmp_path / "record.docx").write_text("not a document")
    result = runner.invoke(app, ["decisions", str(tmp_path / "record.docx"), "--review-date", "2026-03-14"])
    assert result.exit_code == 2
    assert "not a Word document" in result.output
    assert runner.invoke(app, ["decisions", str(tmp_path / "record.docx"), "--review-date", "14/03"]).exit_code == 2


def _draft_record(tmp_path: Path) -> Path:
    from doc_templates import builders
    from rules.model import Child, Person

    people = {e: Person(e, n, r) for e, n, r in (("iro@x.example", "Ada Iro", "iro"), ("sw@x.example", "Ben Worker",
                                                                                      "sw"),
                                                  ("tm@x.example", "Cara Manager", "tm"))}
    child = Child("CLA-1", date(2026, 1, 5), "C2", "iro@x.example", "sw@x.example", "tm@x.example")
    ctx = builders.review_record(child, people, child_name="A.B.", review_date=date(2026, 3, 14), review_number=2,
                                 decisions=[], attendees=list(people), on=date(2026, 3, 14), draft=True)
    path = tmp_path / "CLA-1_review-record_2026-03-14_DRAFT.docx"
    path.write_bytes(render("review_record", ctx))
    return path


def test_decisions_refuses_a_drafts_placeholder_row_numbered_as_the_iro_sees_it(tmp_path) -> None:
    path = _draft_record(tmp_path)
    result = runner.invoke(app, ["decisions", str(path), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["decisions"] == []
    assert [p["row"] for p in data["problems"]][:1] == [1] and "placeholder" in data["problems"][0]["reason"]
    table = runner.invoke(app, ["decisions", str(path)], terminal_width=200)
    assert table.exit_code == 1 and "placeholder" in table.output and "No problems" not in table.output


def test_decisions_exits_0_only_when_every_decision_has_a_person_and_a_date(tmp_path) -> None:
    context = example("review_record")
    context["decisions"][1]["text"] = "Close the [/b] tag [bold]now[/bold]"  # typed by a person: shown as typed
    (tmp_path / "ok.docx").write_bytes(render("review_record", context))
    ok = runner.invoke(app, ["decisions", str(tmp_path / "ok.docx")], terminal_width=200)
    assert ok.exit_code == 0, ok.output
    assert "[/b]" in ok.output and "[bold]" in ok.output and "No problems" in ok.output  # the cell may wrap
    from docx import Document

    doc = Document(str(tmp_path / "ok.docx"))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Due by")
    table.add_row()  # an empty row left at the end of the table
    doc.save(str(tmp_path / "empty-row.docx"))
    bad = runner.invoke(app, ["decisions", str(tmp_path / "empty-row.docx"), "--json"])
    assert bad.exit_code == 1
    assert [(p["row"], "empty" in p["reason"]) for p in json.loads(bad.stdout)["problems"]] == [(4, True)]
