"""Both outputs for one year, as files: the Word report (and its figures as JSON) and the dashboard.

    write_year(store, policy, cal, period, previous, out, today, branding=None) -> {name: path}

What `iro demo` calls at the end of its year (out/demo/report/); the same functions `iro report` uses.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from reports.figures import Period, annual_figures

ANNUAL = "annual-report-DRAFT.docx"  # a draft until the service manager completes it (its first line says so)
FIGURES = "annual-report.json"
DASHBOARD = "escalations.html"


def write_year(store: Any, policy: Any, cal: Any, period: Period, previous: Period | None, out: Path, today: date,
               branding: Any = None) -> dict[str, Path]:
    from reports.annual import render_report, report_context, report_json
    from reports.escalations import dashboard_html, headline, open_resolutions

    out.mkdir(parents=True, exist_ok=True)
    people = store.people()
    figures = annual_figures(store, period, policy, cal)
    before = annual_figures(store, previous, policy, cal) if previous else None
    context, drawn = report_context(figures, policy, people, before)
    paths = {"annual": out / ANNUAL, "figures": out / FIGURES, "dashboard": out / DASHBOARD}
    from doc_templates.branding import DEFAULT_BRANDING

    name = (branding or DEFAULT_BRANDING).name
    paths["annual"].write_bytes(render_report(context, drawn, branding=branding))
    paths["figures"].write_text(json.dumps(report_json(figures, policy, people, before, name), indent=1),
                                encoding="utf-8")
    cap = policy.clocks[policy.resolution.cap_clock]
    rows = open_resolutions(store, policy, cal, today)
    head = headline(rows, today, max(cap.reminders, default=0))
    paths["dashboard"].write_text(dashboard_html(rows, head, policy, name), encoding="utf-8")
    return paths
