"""(Re)build the bundled .docx templates and the placeholder logo from code, with python-docx.

    python -m doc_templates.build [--out DIR]

The generated files are committed: councils edit the .docx in Word afterwards, and `iro templates check`
validates their edits. The wording is the plain, respectful register councils use; where a passage comes
from a source document the comment cites it. Tags are docxtpl's: `{{ x }}` in a run, `{%p ... %}` on a
paragraph of its own, `{%tr ... %}` in the first cell of a table row of its own.
"""

from __future__ import annotations

import argparse
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from doc_templates import Kind
from doc_templates.branding import PLACEHOLDER_LOGO

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
IRO_CONTACT = ("{{ iro.name }}, Independent Reviewing Officer. Email {{ iro.email }}"
               "{% if iro.phone %}, phone {{ iro.phone }}{% endif %}")
RED = RGBColor(0xB0, 0x1E, 0x1E)
# A draft says so on every page, in its title and in a note that tells the person how to finish it; the file
# name says DRAFT too (doc_templates.render.document_name). The IRO deletes the marks when it is complete.
DRAFT_HEADER = "{% if draft %}DRAFT: not yet completed or checked{% endif %}"
DRAFT_NOTE = ("DRAFT prepared by the IRO service. Check every detail filled in, replace "
              "each passage that begins with DRAFT, then delete this note and the DRAFT line at the top of each "
              "page, and save the document without DRAFT in its name.")


# ---- building blocks ------------------------------------------------------------------------------

def _document(title: str, heading: bool = True) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for level in (1, 2):
        style = doc.styles[f"Heading {level}"]
        style.font.name, style.font.color.rgb = "Arial", RGBColor(0x1F, 0x3A, 0x5F)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    section.header_distance = Cm(0.6)  # room for a draft's DRAFT line above the text
    props = doc.core_properties  # static: never a child's name in the file's metadata
    props.title, props.author, props.last_modified_by, props.comments = title, "", "", ""
    footer = section.footer.paragraphs[0]
    footer.text = "OFFICIAL-SENSITIVE: personal information  |  {{ council.name }}  |  Case reference {{ case_ref }}"
    footer.runs[0].font.size = Pt(8)
    _draft_header(section)
    logo = doc.add_paragraph("{{ logo }}")
    logo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    council = doc.add_paragraph()
    council.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    council.add_run("{{ council.name }}").bold = True
    council.add_run("\n{{ council.service }}")
    council.add_run("\n{{ council.email }}{% if council.phone %}  |  {{ council.phone }}{% endif %}")
    council.add_run("{% if council.address %}\n{{ council.address }}{% endif %}")
    for run in council.runs:
        run.font.size = Pt(9)
    if heading:
        doc.add_heading("{% if draft %}DRAFT: {% endif %}" + title, level=1)
        _draft_note(doc)
    return doc


def _draft_header(section) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(DRAFT_HEADER)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(14), RED


def _draft_note(doc: Document) -> None:
    """The note under a draft's title: a shaded, bordered paragraph (gone when the context is not a draft)."""
    _tag(doc, "if draft")
    para = doc.add_paragraph()
    run = para.add_run(DRAFT_NOTE)
    run.bold, run.font.color.rgb = True, RED
    p_pr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "B01E1E")):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", "FDECEA")):
        shading.set(qn(f"w:{key}"), value)
    p_pr.append(borders)
    p_pr.append(shading)
    _tag(doc, "endif")


def _p(doc: Document, text: str, *, bold: bool = False, style: str | None = None) -> None:
    para = doc.add_paragraph(style=style)
    para.add_run(text).bold = bold


def _tag(doc: Document, tag: str) -> None:
    """A docxtpl paragraph tag: the whole paragraph is replaced by the Jinja tag."""
    doc.add_paragraph("{%p " + tag + " %}")


def _h(doc: Document, text: str) -> None:
    doc.add_heading(text, level=2)


def _bullets(doc: Document, items: Sequence[str]) -> None:
    for item in items:
        doc.add_paragraph(item, style="List Bullet")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc: Document, rows: int, headers: Sequence[str], widths: Sequence[float] | None):
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths:  # Word reads the cells' widths, LibreOffice the grid's: set both
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    return table


def _facts(doc: Document, rows: Sequence[tuple[str, str]]) -> None:
    """A two-column table of labels and values (no header)."""
    table = _table(doc, len(rows), ("", ""), (5.0, 12.0))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)
    doc.add_paragraph()


def _loop_table(doc: Document, headers: Sequence[str], loop: str, cells: Sequence[str],
                widths: Sequence[float] | None = None) -> None:
    """Header row, then one row per item: `{%tr for ... %}`, the cells, `{%tr endfor %}` (docxtpl)."""
    table = _table(doc, 4, headers, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    doc.add_paragraph()


def _static_table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[str]],
                  widths: Sequence[float] | None = None, min_height: float = 0) -> None:
    table = _table(doc, len(rows) + 1, headers, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row, texts in zip(table.rows[1:], rows, strict=True):
        if min_height:  # room to write an answer by hand
            row.height, row.height_rule = Cm(min_height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].add_run(text)
    doc.add_paragraph()


DECISION_HEADERS = ("No.", "Decision", "Named person", "Due by")  # read back by doc_templates.readback
DECISION_CELLS = ("{{ d.ref }}", "{{ d.text }}", "{{ d.named_person }}",
                  "{% if d.due_by %}{{ d.due_by }}{% else %}{{ d.timescale }}{% endif %}")
DECISION_WIDTHS = (1.2, 9.3, 3.5, 3.0)


def _decisions_table(doc: Document, items: str = "decisions") -> None:
    _loop_table(doc, DECISION_HEADERS, f"d in {items}", DECISION_CELLS, DECISION_WIDTHS)


WHO_CAME = "{% if draft %}Who was invited{% else %}Who attended{% endif %}"


def _attendees_table(doc: Document) -> None:
    _loop_table(doc, ("Name", "Role", "Attendance"), "a in attendees",
                ("{{ a.name }}", "{{ a.role }}", "{{ a.attendance }}"), (6.0, 6.0, 5.0))


def _progress_table(doc: Document, items: str) -> None:
    # "Previous decision" and "Progress": readback must not take this table for the decisions table;
    # "No." and "Done?" are read back by doc_templates.record_fields (the decision clocks' done facts)
    _loop_table(doc, ("No.", "Previous decision", "Named person", "Due by", "Done?", "Progress"), f"p in {items}",
                ("{{ p.ref }}", "{{ p.decision }}", "{{ p.named_person }}",
                 "{% if p.due_by %}{{ p.due_by }}{% endif %}", "{{ p.done }}", "{{ p.progress }}"),
                (1.3, 4.5, 2.4, 2.2, 1.6, 5.0))


def _participation_table(doc: Document) -> None:
    """SSDA903 REVIEW_CODE (rules/participation.py): the IRO ticks one; read back by record_fields."""
    from rules.participation import PARTICIPATION

    _p(doc, "Participation code for the SSDA903 return: tick one.")
    _static_table(doc, ("Code", "How the child took part", "Tick one"),
                  [(code, meaning, "") for code, meaning in PARTICIPATION.items()], (1.5, 13.5, 2.0))


def _views_table(doc: Document) -> None:
    from doc_templates.record_fields import VIEWS

    _static_table(doc, ("How the views were given", "Tick all that apply"),
                  [(label, "") for label in VIEWS.values()], (13.0, 4.0))


def _concern_table(doc: Document) -> None:
    """004 Appendix 3: a concern is discussed with the TM within 3 working days (informal resolution)."""
    from doc_templates.record_fields import CATEGORY_QUESTION, CONCERN_QUESTION

    _static_table(doc, ("Question", "Answer"), [(CONCERN_QUESTION, ""), (CATEGORY_QUESTION, "")], (13.0, 4.0))


# ---- the documents ----------------------------------------------------------------------------------

def review_decisions() -> Document:
    """004 s3.1: decisions to the TM within 5 working days; the TM's dispute window; standard 5."""
    doc = _document("Review decisions")
    _facts(doc, [
        ("Case reference", "{{ case_ref }}"),
        ("Child", "{{ child_name }}"),
        ("Review", "{{ review_number|ordinal }} review, held on {{ review_date }}"),
        ("Independent Reviewing Officer", "{{ iro.name }}"),
        ("Date sent", "{{ document_date }}"),
    ])
    _p(doc, "To {{ team_manager.name }}, Team Manager, and everyone who attended the review.")
    _p(doc, "These are the decisions made at {{ child_name }}'s review. Each decision names the person "
            "responsible for it and the date by which it should be done. Please make sure that the actions "
            "you are named for are completed on time, and let me know if anything gets in the way.")
    _h(doc, "Decisions")
    _decisions_table(doc)
    _h(doc, "If you disagree with a decision")
    _p(doc, "As team manager you may dispute any of these decisions. To do so, please write to me and to "
            "everyone who attended the review within {{ dispute_window }} of receiving them, that is by "
            "{{ dispute_by }}, saying which decision you disagree with and why. If I have not heard from you "
            "by then, the decisions are confirmed.")
    _tag(doc, "if draft")
    _p(doc, "DRAFT: that date is {{ dispute_window }} after the date sent above, which is the day this draft "
            "was made. If you send it on another day, change both dates: the team manager's Teams card counts "
            "{{ dispute_window }} from the day your email is sent.")
    _tag(doc, "endif")
    _h(doc, WHO_CAME)
    _attendees_table(doc)
    _tag(doc, "if next_review")
    _p(doc, "The next review will be held by {{ next_review }}.")
    _tag(doc, "endif")
    _tag(doc, "if social_worker")
    _p(doc, "Copy to {{ social_worker.name }}, social worker.")
    _tag(doc, "endif")
    _p(doc, "If you have any questions about these decisions, please contact me.")
    _p(doc, IRO_CONTACT)
    return doc


def child_decisions() -> Document:
    """003 ("the IRO will write down the decisions so that everyone knows and understands"); code 3.3, 3.4."""
    doc = _document("What we decided at your review")
    _p(doc, "Dear {{ child_name }},")
    _p(doc, "Thank you for your help with your review on {{ review_date }}. I said I would tell you what we "
            "decided. Here are the decisions, who is going to do each thing, and when it should be done by.")
    _loop_table(doc, ("What we decided", "Who will do it", "By when"), "d in decisions",
                ("{{ d.what }}", "{{ d.who }}", "{% if d.by_when %}{{ d.by_when }}{% else %}{{ d.when }}{% endif %}"),
                (9.0, 4.5, 3.5))
    _p(doc, "If something does not happen by the date in the table, or you are not happy with a decision, "
            "please tell me. I will listen, and I can ask the people in charge to think again.")
    _tag(doc, "if next_review")
    _p(doc, "Your next review will be by {{ next_review }}. You can tell me or your social worker if you "
            "would like it to happen sooner, where you would like it to be and who you would like to come.")
    _tag(doc, "endif")
    _p(doc, "You can ask for someone to help you have your say (an advocate), and you can make a complaint "
            "if you are unhappy about how you are being looked after. I can help you do either.")
    _tag(doc, "if advocacy")
    _p(doc, "Advocacy: {{ advocacy.name }}{% if advocacy.phone %}, phone {{ advocacy.phone }}{% endif %}"
            "{% if advocacy.email %}, email {{ advocacy.email }}{% endif %}")
    _tag(doc, "endif")
    _h(doc, "How to contact me")
    _tag(doc, "if iro.phone")
    _p(doc, "Phone: {{ iro.phone }}")
    _tag(doc, "endif")
    _p(doc, "Email: {{ iro.email }}")
    _p(doc, "From {{ iro.name }}, your Independent Reviewing Officer")
    return doc


def review_record() -> Document:
    """The IRO's report: 000 standards 1-5, 7 and 9; 003 (what a review discusses); 004 s3.1 (timescales)."""
    doc = _document("Record of the looked after review")
    _facts(doc, [
        ("Case reference", "{{ case_ref }}"),
        ("Child", "{{ child_name }}"),
        ("Review", "{{ review_number|ordinal }} review"),
        ("Review date", "{{ review_date }}"),
        ("Venue", "{{ venue }}"),
        ("Legal status", "{{ legal_status }}"),
        ("Looked after since", "{{ looked_after_since }}"),
        ("Independent Reviewing Officer", "{{ iro.name }}"),
        ("Social worker", "{{ social_worker.name }}"),
        ("Team manager", "{{ team_manager.name }}"),
        ("Next review by", "{% if next_review %}{{ next_review }}{% else %}to be arranged{% endif %}"),
    ])
    _h(doc, WHO_CAME)
    _attendees_table(doc)
    _h(doc, "{{ child_name }}'s views and participation")
    _p(doc, "How {{ child_name }} took part: {{ participation }}")
    _participation_table(doc)
    _p(doc, "How {{ child_name }}'s views were given:")
    _views_table(doc)
    _p(doc, "{{ child_views }}")
    _h(doc, "Placement")
    _p(doc, "{{ placement }}")
    _h(doc, "Health")
    _p(doc, "{{ health }}")
    _h(doc, "Education and Personal Education Plan (PEP)")
    _p(doc, "{{ education }}")
    _p(doc, "{% if pep_date %}Latest PEP: {{ pep_date }}{% elif draft %}DRAFT: the date of the latest PEP."
            "{% else %}No PEP date is recorded.{% endif %}")
    _h(doc, "Family time")
    _p(doc, "{{ family_time }}")
    _h(doc, "Permanency plan")
    _p(doc, "{{ permanency_plan }}")
    _h(doc, "Progress on previous decisions")
    _tag(doc, "if previous_decisions")
    _progress_table(doc, "previous_decisions")
    _tag(doc, "elif review_number == 1")
    _p(doc, "This is the first review: there are no earlier decisions.")
    _tag(doc, "elif draft")
    _p(doc, "DRAFT: no earlier decisions are on record here. Write the progress on each decision of the "
            "last review.")
    _tag(doc, "else")
    _p(doc, "There were no decisions from a previous review.")
    _tag(doc, "endif")
    _h(doc, "Decisions")
    _p(doc, "Each decision has a named person and a date by which it should be done.")
    _decisions_table(doc)
    _h(doc, "The Independent Reviewing Officer's view of the care plan")
    _concern_table(doc)
    _h(doc, "Contacting the Independent Reviewing Officer")  # 000 standard 3; code 6.1-6.2
    _p(doc, "{{ child_name }}'s Independent Reviewing Officer is {{ iro.name }}. {{ child_name }}, their "
            "family and everyone working with them can contact {{ iro.name }} between reviews: email "
            "{{ iro.email }}{% if iro.phone %}, phone {{ iro.phone }}{% endif %}. The {{ council.service }} "
            "can also be reached on {{ council.phone }} or {{ council.email }}.")
    _p(doc, "Record completed by {{ iro.name }}, Independent Reviewing Officer, on "
            "{% if draft %}DRAFT: the date you complete it{% else %}{{ document_date }}{% endif %}.")
    return doc


def resolution_entry() -> Document:
    """004 s5-5.2 and Appendix 1 (categories); Handbook 6.7 (every action recorded)."""
    doc = _document("IRO resolution")
    _facts(doc, [
        ("Case reference", "{{ case_ref }}"),
        ("Child", "{{ child_name }}"),
        ("Resolution reference", "{{ resolution_id }}"),
        ("Category", "{{ category_number }}. {{ category_label }}"),
        ("Stage", "{{ stage }}"),
        ("Raised on", "{{ raised_on }}"),
        ("Raised by", "{{ raised_by.name }}{% if raised_by.role %}, {{ raised_by.role }}{% endif %}"),
        ("Who must respond", "{{ respond_to.name }}{% if respond_to.role %}, {{ respond_to.role }}{% endif %}"),
        ("Respond by", "{{ respond_by }}"),
    ])
    _h(doc, "The concern")
    _p(doc, "{{ concern }}")
    _h(doc, "What is needed")
    _p(doc, "{{ respond_to.name }} is asked to look into this concern with the social worker and to respond "
            "to {{ raised_by.name }} in writing by {{ respond_by }}. If it is not resolved by then, it will "
            "move to the next stage of the IRO resolution process.")
    _h(doc, "Responses and escalations")
    _tag(doc, "if history")
    _loop_table(doc, ("Date", "What happened"), "h in history", ("{{ h.on }}", "{{ h.what }}"), (3.5, 13.5))
    _tag(doc, "else")
    _p(doc, "No responses yet.")
    _tag(doc, "endif")
    _h(doc, "Outcome")
    _p(doc, "{% if outcome %}{{ outcome }}{% else %}Open: not yet resolved.{% endif %}")
    _p(doc, "Every action on this resolution is recorded on the child's record.")
    return doc


def midway_oversight() -> Document:
    """000 standard 10 ("IRO midway oversight"); code of practice 6.3; 004 s3.2."""
    doc = _document("IRO midway oversight")
    _facts(doc, [
        ("Case reference", "{{ case_ref }}"),
        ("Child", "{{ child_name }}"),
        ("Independent Reviewing Officer", "{{ iro.name }}"),
        # a draft is made before the oversight happens: its day is the IRO's to write, not the drafting day
        ("Date of oversight", "{% if draft %}DRAFT: the day you carry it out{% else %}{{ document_date }}{% endif %}"),
        ("Last review", "{{ last_review_date }}"),
        ("Next review by", "{% if next_review %}{{ next_review }}{% else %}to be arranged{% endif %}"),
    ])
    _h(doc, "Progress of the care plan")
    _p(doc, "{{ care_plan_progress }}")
    _h(doc, "Contact with {{ child_name }}")
    _p(doc, "{{ child_contact }}")
    _h(doc, "Progress on review decisions")
    _tag(doc, "if decisions_progress")
    _progress_table(doc, "decisions_progress")
    _tag(doc, "else")
    _p(doc, "No review decisions are outstanding.")
    _tag(doc, "endif")
    _h(doc, "Concerns")
    _p(doc, "{% if concerns %}{{ concerns }}{% elif draft %}DRAFT: any concerns, or that there are none."
            "{% else %}No concerns at this point.{% endif %}")
    _h(doc, "Actions agreed")
    _tag(doc, "if actions")
    _decisions_table(doc, "actions")
    _tag(doc, "elif draft")
    _p(doc, "DRAFT: any actions agreed, each with a named person and a date, or that there are none.")
    _tag(doc, "else")
    _p(doc, "No new actions.")
    _tag(doc, "endif")
    _tag(doc, "if resolution_raised")
    _p(doc, "A resolution has been raised: {{ resolution_raised }}.")
    _tag(doc, "endif")
    _p(doc, "Recorded by " + IRO_CONTACT)
    return doc


CHILD_QUESTIONS = (  # 003 (what a review discusses); code of practice 2.2, 2.5, 3.1
    "What is going well for you at the moment?",
    "Is there anything you are worried about, or would like to change?",
    "How do you feel about where you live?",
    "How are things at school or college?",
    "How do you feel about seeing your family and friends?",
    "Is there anything about your health you want to talk about?",
    "Who would you like to come to your review? Is there anyone you would rather was not there?",
    "Where and when would you like your review to happen? Would you like to chair some of it?",
    "Would you like someone to help you have your say, such as an advocate?",
)
PARENT_QUESTIONS = (
    "How do you think {{ child_name }} is getting on where they live?",
    "How are things going with school or college, and with {{ child_name }}'s health?",
    "How is family time going? Is there anything you would like to change?",
    "What is going well in the care plan, and what do you think needs to change?",
    "Is there anything you would like to raise at the review?",
    "Will you come to the review? Is there anything that would make it easier for you to take part?",
)
CARER_QUESTIONS = (
    "How has {{ child_name }} been since the last review?",
    "Health: appointments, assessments and any needs.",
    "Education: attendance, progress, the PEP and any support.",
    "Family time: how is it going, and how is {{ child_name }} afterwards?",
    "Is there any support you need as {{ child_name }}'s carer?",
    "Is there anything you would like to raise at the review?",
)


def consultation_form() -> Document:
    """003 (consultation forms before the review); code of practice 2.1-2.2."""
    doc = _document("Consultation before the review", heading=False)
    _tag(doc, 'if audience == "child"')
    doc.add_heading("Your review: what would you like to say?", level=1)
    _tag(doc, "else")
    doc.add_heading("Consultation before {{ child_name }}'s review", level=1)
    _tag(doc, "endif")
    _p(doc, "Dear {{ recipient_name }},")
    _tag(doc, 'if audience == "child"')
    _p(doc, "Your review is on {{ review_date }}{% if review_time %} at {{ review_time }}{% endif %}"
            "{% if venue %}, at {{ venue }}{% endif %}. It is your meeting, and I want to make sure your views "
            "are heard. You can fill in this form, ask someone you trust to help you, or tell me or your social "
            "worker instead. Please send it back by {{ return_by }}.")
    _static_table(doc, ("Question", "Your answer"), [(q, "") for q in CHILD_QUESTIONS], (7.0, 10.0), 2.2)
    _tag(doc, "else")
    _p(doc, "{{ child_name }}'s review is on {{ review_date }}{% if review_time %} at {{ review_time }}{% endif %}"
            "{% if venue %}, at {{ venue }}{% endif %}. Your views are an important part of the review. Please "
            "answer the questions below and return the form to me by {{ return_by }}. If you would rather talk "
            "to me, please get in touch.")
    _tag(doc, 'if audience == "parent"')
    _static_table(doc, ("Question", "Your answer"), [(q, "") for q in PARENT_QUESTIONS], (7.0, 10.0), 2.2)
    _tag(doc, "else")
    _static_table(doc, ("Question", "Your answer"), [(q, "") for q in CARER_QUESTIONS], (7.0, 10.0), 2.2)
    _tag(doc, "endif")
    _tag(doc, "endif")
    _p(doc, "What you write will be shared at the review. If there is something you would rather tell me on "
            "my own, please let me know and we can talk about how it is shared.")
    _p(doc, "Please return this form to " + IRO_CONTACT + "."
            "{% if social_worker %} You can also give it to {{ social_worker.name }}, social worker.{% endif %}")
    return doc


PLEDGE = (  # 002, "The NAIRO Pledge": "Your Independent Reviewing Officer's Promise to You"
    "Try my best to build a good relationship with you so that you can tell me what your wishes and feelings "
    "really are.",
    "Listen to your views carefully and make sure that I have understood you properly.",
    "Help you achieve what you want, if I agree it is in your interests.",
    "Talk to you about your rights and make sure you understand them.",
    "Make sure your review happens at a time and place that is best for you and that people you want to be "
    "there are there.",
    "Conduct your review in a way that puts you at the centre, and makes sure your voice and your views are "
    "properly heard, understood and respected.",
    "Respect you and your family.",
    "Make sure that your care plan is the best plan possible for you.",
    "Help you understand your care plan and challenge it if you want to.",
    "Challenge the Local Authority, social workers or others, if we think the plan isn't the best one for you, "
    "or that other things are happening that aren't right for you.",
    "Help you be who you want to be, doing safely the things you want to do, having great relationships and "
    "feeling good.",
)


def introduction_letter() -> Document:
    """002 (NAIRO pledge, given at the beginning of the care episode); 000 standard 3; 003."""
    doc = _document("Your Independent Reviewing Officer")
    _p(doc, "Dear {{ child_name }},")
    _p(doc, "My name is {{ iro.name }} and I am your Independent Reviewing Officer, or IRO. I work for "
            "{{ council.name }}, but I am independent of your social worker and their managers. My job is to "
            "make sure that the plan for your care is right for you, and that your wishes and feelings are "
            "heard.")
    _p(doc, "I will chair your reviews. {% if first_review %}Your first review will be by {{ first_review }}. "
            "{% endif %}Before each review I will ask you what you want to talk about, where you would like it "
            "to happen and who you would like to be there.")
    _h(doc, "My promise to you")
    _p(doc, "I am your Independent Reviewing Officer (IRO). I am an independent person, employed to support "
            "you. I promise to:")
    _bullets(doc, PLEDGE)
    _h(doc, "How to contact me")
    _p(doc, "If you ever want to talk to me about anything that is worrying you, please contact me at any time.")
    _tag(doc, "if iro.phone")
    _p(doc, "Phone: {{ iro.phone }}")
    _tag(doc, "endif")
    _p(doc, "Email: {{ iro.email }}")
    _p(doc, "Or through the {{ council.service }}: {{ council.phone }}, {{ council.email }}")
    _p(doc, "Signed: {{ iro.name }}")
    _p(doc, "Date: {{ document_date }}")
    return doc


def link_meeting_agenda() -> Document:
    """000 standard 14 (bimonthly TM/IRO link meetings); 004 Appendix 1 (resolutions tracked)."""
    doc = _document("Link meeting agenda")
    _facts(doc, [
        ("Team", "{{ team_name }}"),
        ("Team manager", "{{ team_manager.name }}"),
        ("Link IRO", "{{ iro.name }}"),
        ("Date", "{{ meeting_date }}{% if meeting_time %} at {{ meeting_time }}{% endif %}"),
        ("Venue", "{{ venue }}"),
        ("Last link meeting", "{% if last_meeting %}{{ last_meeting }}{% endif %}"),
    ])
    _p(doc, "Children are referred to by case reference only.")
    _h(doc, "1. Open resolutions")
    _tag(doc, "if open_resolutions")
    _loop_table(doc, ("Case reference", "Resolution", "Category", "Stage", "Respond by", "Status"),
                "r in open_resolutions",
                ("{{ r.case_ref }}", "{{ r.resolution_id }}", "{{ r.category }}", "{{ r.stage }}",
                 "{{ r.respond_by }}", "{% if r.overdue %}Overdue{% else %}Open{% endif %}"),
                (2.8, 3.0, 3.9, 2.8, 2.6, 1.9))
    _tag(doc, "else")
    _p(doc, "There are no open resolutions for this team.")
    _tag(doc, "endif")
    _h(doc, "2. Overdue review decisions")
    _tag(doc, "if overdue_decisions")
    _loop_table(doc, ("Case reference", "Decision", "Named person", "Was due by"), "o in overdue_decisions",
                ("{{ o.case_ref }}", "{{ o.decision }}", "{{ o.named_person }}", "{{ o.due_by }}"),
                (2.8, 8.2, 3.0, 3.0))
    _tag(doc, "else")
    _p(doc, "No review decisions are overdue.")
    _tag(doc, "endif")
    _h(doc, "3. Themes")
    _tag(doc, "if themes")
    _tag(doc, "for t in themes")
    _p(doc, "{{ t }}", style="List Bullet")
    _tag(doc, "endfor")
    _tag(doc, "elif draft")
    _p(doc, "DRAFT: themes the IRO or the team manager want to raise.")
    _tag(doc, "else")
    _p(doc, "No themes noted.")
    _tag(doc, "endif")
    _h(doc, "4. Good practice")
    _tag(doc, "if good_practice")
    _tag(doc, "for g in good_practice")
    _p(doc, "{{ g }}", style="List Bullet")
    _tag(doc, "endfor")
    _tag(doc, "elif draft")
    _p(doc, "DRAFT: good practice to recognise.")
    _tag(doc, "else")
    _p(doc, "None noted yet.")
    _tag(doc, "endif")
    _h(doc, "5. Any other business")
    _h(doc, "6. Date of the next link meeting")
    _p(doc, "Link meetings are held every {{ link_every }}, and the IRO joins the team meeting every "
            "{{ team_meeting_every }} or as agreed.")
    return doc


BUILDERS: dict[Kind, Callable[[], Document]] = {
    Kind.REVIEW_DECISIONS: review_decisions,
    Kind.CHILD_DECISIONS: child_decisions,
    Kind.REVIEW_RECORD: review_record,
    Kind.RESOLUTION_ENTRY: resolution_entry,
    Kind.MIDWAY_OVERSIGHT: midway_oversight,
    Kind.CONSULTATION_FORM: consultation_form,
    Kind.INTRODUCTION_LETTER: introduction_letter,
    Kind.LINK_MEETING_AGENDA: link_meeting_agenda,
}


# ---- the placeholder logo -------------------------------------------------------------------------

def placeholder_png(width: int = 360, height: int = 120) -> bytes:
    """A plain slate-blue plate with three pale bars: clearly a placeholder, no real council's mark."""
    back, bar, edge = (0x3A, 0x4A, 0x5A), (0xC8, 0xD2, 0xDC), (0xE8, 0xEC, 0xF0)
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0 for each scanline
        for x in range(width):
            colour = back
            if x < 4 or y < 4 or x >= width - 4 or y >= height - 4:
                colour = edge
            elif 30 <= y < height - 30 and any(a <= x < a + 18 for a in (40, 70, 100)):
                colour = bar
            row += bytes(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def build(out: Path = TEMPLATES, logo: Path = PLACEHOLDER_LOGO) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_bytes(placeholder_png())
    written = []
    for kind, make in BUILDERS.items():
        path = out / f"{kind.value}.docx"
        make().save(path)
        written.append(path)
    from reports import template as report_template  # the service's annual report (issue 14)

    written.append(report_template.build(out))
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="directory for the .docx templates")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
