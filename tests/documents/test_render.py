"""Rendering: every kind from a realistic context; the safety nets; file names; branding."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from docx import Document

from doc_templates import Kind, kinds
from doc_templates.branding import Branding, load_branding
from doc_templates.render import TEMPLATE_DIR, document_name, render
from rules.errors import InputError, MissingFields, PolicyError, TemplateError
from tests.documents.helpers import KEY_FIELDS, docx_text, edit_template, example


def test_kinds_are_the_eight_of_issue_3() -> None:
    assert [str(k) for k in kinds] == [
        "review_decisions", "child_decisions", "review_record", "resolution_entry", "midway_oversight",
        "consultation_form", "introduction_letter", "link_meeting_agenda",
    ]


def test_every_kind_renders_its_example_with_the_key_fields(kind: str) -> None:
    blob = render(kind, example(kind))
    text = docx_text(blob)  # opens with python-docx
    missing = [k for k in KEY_FIELDS[kind] if k not in text]
    assert not missing, f"{kind}: not in the document: {missing}"
    assert "{{" not in text and "{%" not in text


def test_every_document_carries_the_council_and_its_logo(kind: str) -> None:
    blob = render(kind, example(kind), branding=Branding(name="Testshire Council", phone="01632 960999"))
    doc = Document(io.BytesIO(blob))
    assert "Testshire Council" in docx_text(blob)
    assert len(doc.inline_shapes) == 1
    no_logo = Document(io.BytesIO(render(kind, example(kind), branding=Branding(logo=None))))
    assert len(no_logo.inline_shapes) == 0


def test_autoescape_keeps_markup_in_text_as_text() -> None:
    context = example("resolution_entry") | {
        "concern": 'Carer said "no" & the PEP </w:t></w:r><w:r><w:t>INJECTED <b>bold</b>',
    }
    text = docx_text(render("resolution_entry", context))
    assert 'Carer said "no" & the PEP </w:t></w:r><w:r><w:t>INJECTED <b>bold</b>' in text


def test_line_breaks_in_text_become_breaks_in_word() -> None:
    blob = render("review_record", example("review_record"))
    doc = Document(io.BytesIO(blob))
    views = next(p for p in doc.paragraphs if "until I'm grown up" in p.text)
    assert views._p.xpath(".//w:br")
    assert "grown up\".\nShe would like" in views.text


def test_a_missing_context_field_names_the_template_and_the_field() -> None:
    context = example("review_record")
    del context["child_views"], context["permanency_plan"]
    with pytest.raises(MissingFields) as caught:
        render("review_record", context)
    assert caught.value.template == "review_record.docx"
    assert caught.value.missing == ("child_views", "permanency_plan")
    assert "Maya" not in str(caught.value)


def test_a_decision_without_a_named_person_is_named_by_its_place() -> None:
    context = example("review_decisions")
    del context["decisions"][1]["named_person"]
    with pytest.raises(MissingFields) as caught:
        render("review_decisions", context)
    assert caught.value.missing == ("decisions[1].named_person",)


def test_a_bad_value_names_the_field_never_the_value() -> None:
    context = example("review_decisions") | {"review_date": "Maya's birthday"}
    with pytest.raises(TemplateError) as caught:
        render("review_decisions", context)
    assert "review_date" in str(caught.value)
    assert "Maya" not in str(caught.value)


def test_an_unknown_context_key_is_refused_by_name() -> None:
    with pytest.raises(TemplateError, match="child_nmae"):
        render("introduction_letter", example("introduction_letter") | {"child_nmae": "x"})


@pytest.mark.parametrize(("old", "new", "name"), [
    ("{{ child_name }}", "{{ child_nmae }}", "child_nmae"),
    ("{{ d.named_person }}", "{{ d.named_persn }}", "decisions[].named_persn"),
    ("{{ iro.email }}", "{{ iro.mail }}", "iro.mail"),
])
def test_a_template_using_a_name_its_context_lacks_fails_with_the_template_name(tmp_path, old, new, name) -> None:
    shutil.copytree(TEMPLATE_DIR, tmp_path, dirs_exist_ok=True)
    edit_template(TEMPLATE_DIR / "review_record.docx", tmp_path / "review_record.docx", old, new)
    with pytest.raises(MissingFields) as caught:
        render("review_record", example("review_record"), template_dir=tmp_path)
    assert caught.value.template == "review_record.docx"
    assert name in caught.value.missing


def test_an_edited_template_is_picked_up_without_a_restart(tmp_path) -> None:
    shutil.copytree(TEMPLATE_DIR, tmp_path, dirs_exist_ok=True)
    assert "Who attended" in docx_text(render("review_record", example("review_record"), template_dir=tmp_path))
    edit_template(tmp_path / "review_record.docx", tmp_path / "review_record.docx", "Who attended", "Present")
    text = docx_text(render("review_record", example("review_record"), template_dir=tmp_path))
    assert "Present" in text and "Who attended" not in text


def test_a_template_missing_from_the_folder_is_named(tmp_path) -> None:
    with pytest.raises(TemplateError, match="review_record.docx"):
        render("review_record", example("review_record"), template_dir=tmp_path)


def test_an_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(TemplateError, match="review_record"):
        render("review_minutes", {})


@pytest.mark.parametrize(("audience", "present", "absent"), [
    ("child", "How do you feel about where you live?", "as Maya's carer"),
    ("parent", "Will you come to the review?", "How do you feel about where you live?"),
    ("carer", "Is there any support you need as Maya's carer?", "Will you come to the review?"),
])
def test_the_consultation_form_asks_each_audience_its_own_questions(audience, present, absent) -> None:
    context = example("consultation_form") | {"audience": audience, "recipient_name": "Ann"}
    text = docx_text(render("consultation_form", context))
    assert present in text and absent not in text


def test_document_names_carry_the_case_reference_and_kind_never_a_name() -> None:
    assert document_name("review_record", "CLA-100234", date(2026, 3, 14)) == "CLA-100234_review-record_2026-03-14.docx"
    assert document_name(Kind.LINK_MEETING_AGENDA, "TEAM-NORTH-2", date(2026, 4, 20)) == (
        "TEAM-NORTH-2_link-meeting-agenda_2026-04-20.docx")
    assert document_name("review_decisions", "CLA/100 234", date(2026, 3, 18)) == (
        "CLA-100-234_review-decisions_2026-03-18.docx")
    with pytest.raises(InputError):
        document_name("review_record", " / ", date(2026, 3, 14))
    with pytest.raises(TemplateError):
        document_name("minutes", "CLA-1", date(2026, 3, 14))


def test_branding_comes_from_a_file_with_its_logo_beside_it(tmp_path) -> None:
    shutil.copy(Branding().logo, tmp_path / "crest.png")
    (tmp_path / "branding.yaml").write_text("name: Testshire Council\nphone: 01632 960777\nlogo: crest.png\n")
    branding = load_branding(tmp_path / "branding.yaml")
    assert branding.name == "Testshire Council" and branding.logo == tmp_path / "crest.png"
    assert load_branding(None).name == "Example Council"


@pytest.mark.parametrize(("content", "field"), [
    ("name: [unclosed\n", "(yaml syntax, line 2"),
    ("- a list\n", "(file)"),
    ("name: X\nmotto: Y\n", "motto"),
    ("name: X\nlogo: nowhere.png\n", "logo"),
])
def test_a_broken_branding_file_names_the_field(tmp_path, content, field) -> None:
    (tmp_path / "branding.yaml").write_text(content)
    with pytest.raises(PolicyError) as caught:
        load_branding(tmp_path / "branding.yaml")
    assert caught.value.field.startswith(field)


def test_a_template_cannot_reach_outside_its_context(tmp_path) -> None:
    shutil.copytree(TEMPLATE_DIR, tmp_path, dirs_exist_ok=True)
    edit_template(TEMPLATE_DIR / "review_record.docx", tmp_path / "review_record.docx",
                  "{{ placement }}", "{{ placement.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="review_record.docx"):
        render("review_record", example("review_record"), template_dir=tmp_path)


@pytest.mark.parametrize("name, body, where", [
    ("branding.yaml", "name: Council\nphone: [unclosed\n", "line 3"),          # YAML syntax
    ("branding.yaml", "name: Council\nemail: 2026-02-30\n", "line 2"),        # a date that cannot exist
    ("branding.yaml", "name: Council\nphone:\n  nested: true\n", "line 3"),   # wrong type, its line
    ("branding.yaml", "[" * 5000, "line 1"),                                   # nested too deeply
    ("branding.json", '{"name": "Council",\n "phone": }', "line 2"),            # JSON syntax
    ("branding.yaml", b"name: Caf\xe9\n", "(file)"),                           # not UTF-8 (a cp1252 save)
])
def test_every_broken_branding_file_is_a_policy_error_with_its_line(tmp_path, name, body, where):
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(PolicyError) as caught:
        load_branding(path)
    assert caught.value.file == str(path) and where in caught.value.field and caught.value.fix


def test_a_templates_xml_is_cleaned_up_once_and_renders_the_same(monkeypatch) -> None:
    """docxtpl's patch_xml runs once per template part (render._Template), and the cached result renders the
    same document as a fresh clean-up would."""
    from docxtpl import DocxTemplate

    from doc_templates import render as r

    calls = []
    original = DocxTemplate.patch_xml
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda self, xml: calls.append(1) or original(self, xml))
    monkeypatch.setattr(r._Template, "_patched", {})
    first = docx_text(render("midway_oversight", example("midway_oversight")))
    parts = len(calls)
    assert parts >= 1
    again = docx_text(render("midway_oversight", example("midway_oversight")))
    assert len(calls) == parts and again == first
