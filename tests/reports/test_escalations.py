"""The escalations dashboard: open resolutions by stage, age in working days against the cap, who must act;
a self-contained page (no scripts, nothing fetched) that Chromium renders, with no names in it."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from typer.testing import CliRunner

from cli.main import app
from reports.escalations import dashboard_html, headline, open_resolutions
from tests.reports.world import NAMES, TO
from tests.support.requires import need_binary
from tests.support.seeds import seed_citations


def test_at_the_year_end_only_R3_is_open_and_past_the_cap(report_store, policy, cal):
    (row,) = open_resolutions(report_store, policy, cal, TO)
    assert (row.case_ref, row.resolution_id, row.stage, row.team) == ("C2", "R3", "ad_qa", "South Team")
    assert row.category == "5. Statutory visits not being done"
    assert row.formal_on == date(2026, 2, 2) and row.cap_due == date(2026, 3, 2)    # 20 working days
    assert row.age == 41 and row.left == -21 and row.past_cap                     # counted by hand
    assert row.acts == "Assistant Director (Quality Assurance)"  # rules.roles, the one vocabulary


def test_in_july_R1_is_at_stage_one_with_the_team_manager(report_store, policy, cal):
    (row,) = open_resolutions(report_store, policy, cal, date(2025, 7, 5))
    assert (row.resolution_id, row.stage, row.age, row.left) == ("R1", "stage1", 3, 17)
    assert row.cap_due == date(2025, 7, 29) and row.response_due == date(2025, 7, 15)   # 10 working days
    assert row.acts == "Team manager, North Team"
    head = headline([row], date(2025, 7, 5), soon=5)
    assert (head.open, head.past_cap, head.cap_soon, head.by_stage["stage1"]) == (1, 0, 0, 1)


def test_the_page_is_self_contained_and_names_nobody(report_store, policy, cal):
    rows = open_resolutions(report_store, policy, cal, TO)
    page = dashboard_html(rows, headline(rows, TO, 5), policy)
    assert "<script" not in page.lower()
    assert seed_citations(page) == []   # the council's document titles (rules.citations), not seed numbers
    assert "IRO Dispute Resolution Policy and Procedure" in page
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)   # nothing fetched from elsewhere
    assert "<style>" in page and "C2" in page and "41" in page
    for name in NAMES:
        assert name.lower() not in page.lower(), name


def test_nothing_open_says_so(report_store, policy, cal):
    rows = open_resolutions(report_store, policy, cal, date(2025, 9, 1))
    assert rows == []
    assert "No resolutions are open." in dashboard_html(rows, headline(rows, date(2025, 9, 1), 5), policy)


@pytest.mark.slow
def test_chromium_renders_the_page_from_a_file(report_store, policy, cal, tmp_path):
    chromium = need_binary("chromium", "apt-get install chromium")
    result = CliRunner().invoke(app, ["report", "escalations", "--out", str(tmp_path), "--as-of", str(TO),
                                      "--db", str(report_store.engine.url), "--card"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "escalations.html"
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    text = " ".join(re.sub(r"<[^>]+>", " ", dom).split())
    assert "1 Open resolutions" in text and "1 Past the cap" in text
    assert "21 working days past the cap" in text
    assert (tmp_path / "escalations-card.json").is_file()


def test_the_year_s_files_as_the_demo_writes_them(report_store, policy, cal, tmp_path):
    import json

    from reports.figures import Period
    from reports.outputs import write_year
    from tests.reports.world import FROM, PREV_FROM, PREV_TO

    paths = write_year(report_store, policy, cal, Period(FROM, TO), Period(PREV_FROM, PREV_TO), tmp_path, TO)
    assert paths["annual"].read_bytes()[:2] == b"PK"
    figures = json.loads(paths["figures"].read_text(encoding="utf-8"))
    assert figures["council"] == "Example Council" and figures["reviews"]["held"] == 5
    assert "21 working days past the cap" in paths["dashboard"].read_text(encoding="utf-8")
