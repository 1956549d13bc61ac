"""`check_templates`: a council's edited templates against the context each kind receives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from doc_templates import Kind
from doc_templates.check import check_template, check_templates
from doc_templates.render import TEMPLATE_DIR
from tests.documents.helpers import edit_template


@pytest.fixture
def council(tmp_path: Path) -> Path:
    folder = tmp_path / "council"
    shutil.copytree(TEMPLATE_DIR, folder)
    return folder


def test_the_bundled_templates_match_their_contexts() -> None:
    assert check_templates(TEMPLATE_DIR) == []


@pytest.mark.parametrize(("kind", "old", "new", "name"), [
    ("review_record", "{{ child_name }}", "{{ child_nmae }}", "child_nmae"),
    ("review_decisions", "{{ d.named_person }}", "{{ d.named_persn }}", "decisions[].named_persn"),
    ("resolution_entry", "{{ h.what }}", "{{ h.whatt }}", "history[].whatt"),
    ("introduction_letter", "{{ council.name }}", "{{ council.nmae }}", "council.nmae"),
    ("link_meeting_agenda", "{{ r.case_ref }}", "{{ r.case_ref.foo }}", None),  # str attributes: not checked
])
def test_a_misspelt_name_is_reported_with_its_template(council, kind, old, new, name) -> None:
    edit_template(council / f"{kind}.docx", council / f"{kind}.docx", old, new)
    problems = check_templates(council)
    if name is None:
        assert problems == []
        return
    assert len(problems) == 1
    assert problems[0].template == f"{kind}.docx" and problems[0].kind == kind
    assert problems[0].names == (name,)
    assert name in str(problems[0]) and f"{kind}.docx" in str(problems[0])


def test_an_unknown_filter_is_reported(council) -> None:
    edit_template(council / "review_record.docx", council / "review_record.docx", "|ordinal", "|ordnal")
    (problem,) = check_templates(council)
    assert problem.names == ("ordnal",) and "filter" in problem.problem


def test_a_broken_tag_is_reported_near_its_text(council) -> None:
    edit_template(council / "review_record.docx", council / "review_record.docx", "{{ placement }}", "{{ placement }")
    (problem,) = check_template(council / "review_record.docx", Kind.REVIEW_RECORD)
    assert "cannot be read" in problem.problem and "placement" in problem.problem


def test_missing_unknown_and_unreadable_files_are_reported(council) -> None:
    (council / "child_decisions.docx").unlink()
    (council / "minutes.docx").write_bytes((council / "review_record.docx").read_bytes())
    (council / "~$view_record.docx").write_bytes(b"Word lock file")
    (council / "midway_oversight.docx").write_bytes(b"not a zip")
    problems = {p.template: p.problem for p in check_templates(council)}
    assert problems.keys() == {"child_decisions.docx", "minutes.docx", "midway_oversight.docx"}
    assert problems["child_decisions.docx"].startswith("missing")
    assert "not a document kind" in problems["minutes.docx"]
    assert "cannot be opened" in problems["midway_oversight.docx"]


def test_loops_sets_and_loop_variables_are_understood(tmp_path) -> None:
    doc = Document()
    doc.add_paragraph("{% for x in decisions %}{{ loop.index }} {{ x.text }} {{ x.due_by.strftime('%d/%m') }}"
                      "{% endfor %}{% set who = iro %}{{ who.email }}{{ range(3)|list|length }}")
    doc.add_paragraph("{% for a, b in [(1, 2)] %}{{ a }}{{ b }}{% endfor %}{{ decisions[0].named_person }}"
                      "{% if draft %}DRAFT{% endif %}")
    doc.save(str(tmp_path / "review_record.docx"))
    assert check_template(tmp_path / "review_record.docx", "review_record") == []


def test_a_loop_variable_does_not_leak_out_of_its_loop(tmp_path) -> None:
    doc = Document()
    doc.add_paragraph("{% for x in decisions %}{{ x.text }}{% endfor %}{{ x.text }}{{ who.email }}{{ draft }}")
    doc.save(str(tmp_path / "review_record.docx"))
    (problem,) = check_template(tmp_path / "review_record.docx", "review_record")
    assert problem.names == ("who", "x")


def test_a_drafted_kinds_template_without_the_draft_marks_is_reported(tmp_path) -> None:
    doc = Document()
    doc.add_paragraph("Record for {{ case_ref }}")  # a council's own template, valid names, no DRAFT marks
    doc.save(str(tmp_path / "plain.docx"))
    (problem,) = check_template(tmp_path / "plain.docx", Kind.REVIEW_RECORD)
    assert "DRAFT mark" in problem.problem and "would look final" in problem.problem
    assert check_template(tmp_path / "plain.docx", Kind.INTRODUCTION_LETTER) == []  # issued as it is, not drafted
