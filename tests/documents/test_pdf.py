"""Every kind converts to PDF with LibreOffice headless and the PDF shows the key fields (pdftotext).

All kinds convert in ONE soffice call (its start-up dominates), with a private user profile so parallel
runs do not collide. Needs libreoffice-writer-nogui and poppler-utils (`make system-deps`).
"""

from __future__ import annotations

import subprocess

import pytest

from doc_templates import kinds
from doc_templates.render import render
from tests.documents.helpers import KEY_FIELDS, example
from tests.support.requires import need_binary

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory) -> dict[str, str]:
    soffice = need_binary("soffice", "apt-get install libreoffice-writer-nogui")
    pdftotext = need_binary("pdftotext", "apt-get install poppler-utils")
    folder = tmp_path_factory.mktemp("pdf")
    for kind in kinds:
        (folder / f"{kind}.docx").write_bytes(render(kind, example(kind)))
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *sorted(str(p) for p in folder.glob("*.docx"))],
        check=True, capture_output=True, timeout=300,
    )
    texts = {}
    for kind in kinds:
        pdf = folder / f"{kind}.pdf"
        assert pdf.is_file(), f"LibreOffice did not convert {kind}.docx"
        text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        texts[kind] = " ".join(text.split())
    return texts


def test_the_pdf_shows_the_key_fields(pdf_text, kind) -> None:
    missing = [k for k in KEY_FIELDS[kind] if k not in pdf_text[kind]]
    assert not missing, f"{kind}.pdf lacks {missing}"
    assert "{{" not in pdf_text[kind] and "{%" not in pdf_text[kind]
