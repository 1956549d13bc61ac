"""Build the annual report's council-editable Word template (doc_templates/templates/annual_report.docx).

    python -m doc_templates.build      (builds it with the case documents' templates)

Built with python-docx and docxtpl tags, like doc_templates/build.py, whose building blocks it reuses; the
names it may use are reports.context.AnnualReport's, and `iro templates check` checks a council's edited copy
against them. The sections follow the IRO Handbook 7.11 list (002): disputes and their outcomes, caseloads
and the team, participation, reviews on time and out of time with the reasons, quality assurance.
The headings and explanatory paragraphs are the council's to reword; the tables' rows come from the figures.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor

from doc_templates.build import _h, _loop_table, _p

FILE = "annual_report.docx"


def _chart(doc: Document, name: str) -> None:
    para = doc.add_paragraph("{{ charts." + name + " }}")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _label(doc: Document, text: str) -> None:
    """A table's bold caption, kept on the page of its table."""
    _p(doc, text, bold=True)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True


def _rows(doc: Document, items: str, headers: tuple[str, ...], widths: tuple[float, ...]) -> None:
    cells = ["{{ r.label }}", *("{{ r." + c + " }}" for c in "abcdef"[: len(headers) - 1])]
    _loop_table(doc, headers, f"r in {items}", cells, widths)
    for row in doc.tables[-1].rows:  # a row is never split across two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _compare(doc: Document, items: str, first: str, widths: tuple[float, ...] = (10.0, 3.5, 3.5)) -> None:
    """A figure | this period | previous period table; without a comparison period, figure | this period."""
    doc.add_paragraph("{%p if previous %}")
    _rows(doc, items, (first, "This period", "Previous period"), widths)
    doc.add_paragraph("{%p else %}")
    _rows(doc, items, (first, "This period"), (widths[0] + widths[2], widths[1]))
    doc.add_paragraph("{%p endif %}")


def annual_report() -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    for level in (1, 2):
        style = doc.styles[f"Heading {level}"]
        style.font.name, style.font.color.rgb = "Arial", RGBColor(0x1F, 0x3A, 0x5F)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.8)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = "IRO service annual report", "", "", ""
    footer = section.footer.paragraphs[0]
    footer.text = "{{ council.name }}  |  IRO service annual report  |  {{ period }}"
    footer.runs[0].font.size = Pt(8)
    logo = doc.add_paragraph("{{ logo }}")
    logo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading("DRAFT: Independent Reviewing Officer service: annual report", level=1)
    _p(doc, "DRAFT for the IRO service manager: complete the paragraphs in [brackets], then take \"DRAFT\" out "
            "of this title, this line and the file name before the report goes to the board.")
    _label(doc, "{{ council.name }}, {{ council.service }}")
    _p(doc, "For the corporate parenting board. Period: {{ period }}."
            "{% if previous %} Compared with {{ previous }}.{% endif %} Figures as of {{ as_of }}.")
    _p(doc, "This report is produced each year as the IRO Handbook asks (paragraph 7.11): it covers the "
            "dispute resolution process and its outcomes, caseloads and the team, the participation of children "
            "and their parents, the reviews held on time and out of time with the reasons, and quality "
            "assurance. Every figure is counted from what the IRO service's system recorded; how each is "
            "counted is set out in the service's report definitions. Numbers from 1 to {{ suppress_below - 1 }} "
            "are shown as \"<{{ suppress_below }}\" so that no child can be identified, and a percentage is "
            "not shown when it is of fewer than {{ suppress_below }}. No child or member of staff is named.")

    _h(doc, "1. Summary")
    _compare(doc, "headline", "Figure")
    _h(doc, "Good practice and issues for further development")
    _p(doc, "[The IRO service manager's commentary: what went well, and where action is needed, including "
            "anything urgent (Handbook 7.11). Replace this paragraph.]")

    _h(doc, "2. Reviews held on time and out of time")
    _p(doc, "A review is in timescale when it is held on or before the day its clock falls due: {{ first_review }} "
            "after the child became looked after for the first review, {{ second_review }} after the first for "
            "the second, and {{ later_review }} after the previous one for each later review.")
    _chart(doc, "reviews_by_month")
    _rows(doc, "reviews_by_review", ("Review", "Held", "In timescale", "Out of timescale", "% in timescale"),
          (5.0, 3.0, 3.0, 3.0, 3.0))
    _label(doc, "By team")
    _rows(doc, "reviews_by_team", ("Team", "Held", "In timescale", "Out of timescale", "% in timescale"),
          (5.0, 3.0, 3.0, 3.0, 3.0))
    _label(doc, "By IRO")
    _rows(doc, "reviews_by_iro", ("IRO", "Held", "In timescale", "Out of timescale", "% in timescale"),
          (5.0, 3.0, 3.0, 3.0, 3.0))
    _label(doc, "Reasons reviews were out of timescale")
    _compare(doc, "late_reasons", "Reason")

    _h(doc, "3. Participation of children and their parents")
    _chart(doc, "participation")
    doc.add_paragraph("{%p if previous %}")
    _rows(doc, "participation", ("Code", "How the child took part", "This period", "Previous period"),
          (2.0, 10.0, 2.5, 2.5))
    doc.add_paragraph("{%p else %}")
    _rows(doc, "participation", ("Code", "How the child took part", "This period"), (2.0, 12.5, 2.5))
    doc.add_paragraph("{%p endif %}")
    _label(doc, "Parents")
    _compare(doc, "parents", "Parents' participation")

    _h(doc, "4. Quality assurance: oversight, records and decisions")
    _rows(doc, "quality", ("Measure", "Due", "On time", "Late", "Not done", "Not yet due", "% on time"),
          (5.0, 1.8, 1.8, 1.8, 2.0, 2.2, 2.4))
    _compare(doc, "decisions", "Review decisions")

    _h(doc, "5. Dispute resolution")
    _p(doc, "Concerns the IROs raised with the local authority (the local dispute resolution process, IRO "
            "Handbook chapter 6), by the categories of the {{ categories_source }}, the most senior "
            "stage each reached, and their outcomes. The formal process should take no more than "
            "{{ resolution_cap }} (IRO Handbook 6.2).")
    _compare(doc, "disputes", "Figure")
    _chart(doc, "disputes_by_category")
    _compare(doc, "disputes_by_category", "Category")
    _compare(doc, "disputes_by_stage", "Most senior stage reached")
    _label(doc, "Themes by team")
    _rows(doc, "themes_by_team", ("Team", "Concerns raised", "Most frequent categories"), (5.0, 3.0, 9.0))
    _label(doc, "Good practice recorded")
    _compare(doc, "good_practice", "Team")

    _h(doc, "6. Caseloads and the team")
    _p(doc, "Caseloads against the band of {{ band }}. A part-time IRO's band is pro rata.")
    _chart(doc, "caseloads")
    _rows(doc, "caseloads_at_end", ("IRO", "FTE", "Children", "Per FTE", "Against the band"),
          (4.0, 2.5, 3.0, 3.0, 4.5))
    _rows(doc, "caseloads_by_month", ("Month end", "Children", "IRO FTE", "Per FTE", "IROs above the band"),
          (4.0, 3.0, 3.0, 3.0, 4.0))
    _p(doc, "[The make-up of the team, continuity of employment and how the team reflects the identity of the "
            "children it serves (Handbook 7.11): the service manager's account. Replace this paragraph.]")

    _h(doc, "7. Link meetings with the social work teams")
    _p(doc, "Each team's link IRO meets its team manager every {{ link_every }} ({{ link_source }}).")
    _rows(doc, "link_meetings", ("Team", "Due", "Held on time", "Held late", "Not held", "Meetings held"),
          (5.0, 2.0, 2.5, 2.5, 2.5, 2.5))

    _h(doc, "8. Significant changes notified to the IRO")
    _p(doc, "The kinds of change are those of the {{ changes_source }}.")
    _compare(doc, "significant_changes", "Kind of change")
    _p(doc, "Concerns raised because the IRO was not told of a significant event (category 12): "
            "{{ changes_notified_late }}.")

    _h(doc, "9. Resources")
    _p(doc, "[Whether any resource issues put at risk the delivery of a quality service to all looked-after "
            "children (Handbook 7.11): the service manager's assessment. Replace this paragraph.]")
    return doc


def build(out: Path) -> Path:
    path = out / FILE
    annual_report().save(path)
    return path
