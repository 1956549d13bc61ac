"""The Word report: its template is checked, it renders, LibreOffice opens it, its PDF carries the charts,
and no child's or staff member's name or address is anywhere in it (nor in the JSON)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from cli.main import app
from doc_templates.check import check_template, check_templates
from doc_templates.render import TEMPLATE_DIR
from reports.annual import render_report, report_context, report_json
from reports.figures import Period, annual_figures
from reports.template import FILE
from tests.reports.world import FROM, NAMES, PREV_FROM, PREV_TO, TO
from tests.support.requires import need_binary
from tests.support.seeds import seed_citations


@pytest.fixture(scope="module")
def rendered(report_store, policy, cal):
    figures = annual_figures(report_store, Period(FROM, TO), policy, cal)
    before = annual_figures(report_store, Period(PREV_FROM, PREV_TO), policy, cal)
    context, drawn = report_context(figures, policy, report_store.people(), before)
    return render_report(context, drawn), figures, before, drawn


def _xml(blob: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels")))


def test_the_bundled_templates_including_the_report_pass_the_check():
    assert check_templates(TEMPLATE_DIR) == []
    assert (TEMPLATE_DIR / FILE).is_file()


def test_a_council_edit_naming_a_missing_figure_is_reported(tmp_path):
    from docx import Document

    doc = Document(str(TEMPLATE_DIR / FILE))
    doc.add_paragraph("{{ headlin }} and {% for r in quality %}{{ r.lable }}{% endfor %}")
    doc.save(tmp_path / FILE)
    (problem,) = check_template(tmp_path / FILE, "annual_report")
    assert set(problem.names) == {"headlin", "quality[].lable"}


def test_the_report_has_its_tables_and_four_charts_with_alt_text(rendered):
    from docx import Document

    blob, _figures, _before, drawn = rendered
    doc = Document(io.BytesIO(blob))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Period: 1 April 2025 to 31 March 2026. Compared with 1 April 2024 to 31 March 2025." in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    headline = {t.rows[i].cells[0].text: (t.rows[i].cells[1].text, t.rows[i].cells[2].text)
                for t in doc.tables[:1] for i in range(1, len(t.rows))}
    assert headline["Reviews held"] == ("5", "<5")                 # 5 this year, 3 the year before
    assert headline["Reviews held in timescale"] == ("<5", "<5")   # 3: suppressed, and no % of 5 shown
    assert "IRO A" in cells and "IRO B" in cells
    assert "5. Statutory visits not being done" in cells
    pictures = [el for el in doc.element.body.iter() if el.tag.endswith("}docPr")]
    described = {p.get("title"): p.get("descr") for p in pictures if p.get("descr")}
    assert set(described) == {c.title for c in drawn} and len(drawn) == 4
    assert all(len(d) > 60 for d in described.values())


def test_citations_are_in_the_councils_titles_and_intervals_are_the_policys(rendered, policy):
    """The board reads "IRO Dispute Resolution Policy and Procedure, Appendix 1", never this repository's seed
    numbers ("004", "(Appendix 1)" alone, "002 Handbook 7.15"); the link-meeting interval is the policy's."""
    from docx import Document

    doc = Document(io.BytesIO(rendered[0]))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert seed_citations(text) == [] and not re.search(r"\b00[0-4]\b", text)
    assert "categories of the IRO Dispute Resolution Policy and Procedure, Appendix 1" in text
    assert "those of the IRO Dispute Resolution Policy and Procedure, Appendix 2" in text
    assert "per full-time IRO (NAIRO IRO Toolkit, Handbook 7.15)" in text
    assert f"every {policy.link_meetings.tm_every_months} months (IRO Practice Standards, standard 14)" in text


def test_the_report_is_a_draft_and_states_the_policys_timescales(rendered, policy):
    """The service manager completes it: a draft by its title, its first line and its file name. The text's
    timescales are the council's policy, not words fixed in the template."""
    from docx import Document

    from reports.outputs import ANNUAL

    doc = Document(io.BytesIO(rendered[0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.strip().startswith("DRAFT: Independent Reviewing Officer service: annual report") and "DRAFT" in ANNUAL
    first, cap = policy.clocks["first_review"], policy.clocks[policy.resolution.cap_clock]
    assert f"due: {first.amount} working days after the child became looked after" in text
    assert "3 months after the first for the second, and 6 months after the previous one" in text
    assert f"no more than {cap.amount} working days (Handbook 6.2)" in text


def test_no_name_or_address_anywhere(rendered, policy, report_store):
    blob, figures, before, _ = rendered
    xml = _xml(blob).lower()
    as_json = json.dumps(report_json(figures, policy, report_store.people(), before)).lower()
    for name in NAMES:
        assert name.lower() not in xml, name
        assert name.lower() not in as_json, name
    assert "@" not in re.sub(r"<[^>]+>", "", xml)


@pytest.mark.slow
def test_libreoffice_opens_it_and_the_pdf_carries_the_charts(rendered, tmp_path):
    soffice = need_binary("soffice", "apt-get install libreoffice-writer-nogui")
    pdfimages = need_binary("pdfimages", "apt-get install poppler-utils")
    pdftotext = need_binary("pdftotext", "apt-get install poppler-utils")
    (tmp_path / "annual.docx").write_bytes(rendered[0])
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "annual.docx")],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "annual.pdf"
    assert pdf.is_file(), "LibreOffice did not convert the report"
    listing = subprocess.run([pdfimages, "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.split() and line.split()[2] == "image"]
    big = [line for line in images if int(line.split()[3]) >= 600]   # the charts (the logo is 360 px wide)
    assert len(big) >= 4, listing
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = " ".join(text.split())
    for words in ("Reviews held in timescale", "Dispute resolution", "Caseloads and the team", "IRO A"):
        assert words in text


def test_iro_report_annual_json_and_docx(report_store, policy, tmp_path):
    url = str(report_store.engine.url)
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(app, ["report", "annual", "--from", str(FROM), "--to", str(TO), "--db", url,
                                      "--compare-from", str(PREV_FROM), "--compare-to", str(PREV_TO),
                                      "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{"):])
    assert data["reviews"]["held"] == 5 and data["previous"]["reviews"]["held"] == "<5"
    assert data["reviews"]["by_iro"] == {"IRO A": {"held": "<5", "in_timescale": "<5", "late": "<5"},
                                         "IRO B": {"held": "<5", "in_timescale": "<5", "late": "<5"}}
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args", [["--from", "2025-13-01", "--to", "2026-03-31", "--json"],
                                  ["--from", "2026-03-31", "--to", "2025-04-01", "--json"],
                                  ["--from", "2025-04-01", "--to", "2026-03-31"],
                                  ["--from", "2025-04-01", "--to", "2026-03-31", "--compare-from", "2024-04-01",
                                   "--json"]])
def test_bad_arguments_are_named(args, report_store):
    result = CliRunner().invoke(app, ["report", "annual", *args, "--db", str(report_store.engine.url)])
    assert result.exit_code == 1
    assert any(w in result.output for w in ("YYYY-MM-DD", "before it starts", "--out", "give both"))

