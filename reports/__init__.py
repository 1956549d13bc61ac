"""The IRO service's annual report (002, IRO Handbook 7.11) and the escalations dashboard, from the store's facts.

    figures      annual_figures(store, period, policy, cal) -> Figures: every count, raw, for one period
    publish      published(figures, policy): counts suppressed as councils publish them ("<5"), no names
    charts       the report's charts (matplotlib, PNG bytes + alt text)
    template     the council-editable Word template (built like doc_templates/build.py, checked by
                 `iro templates check`)
    annual       the report: figures -> docx (docxtpl) and the JSON object `iro report annual --json` prints
    escalations  open resolutions by stage, age against the cap, team, category, who must act: the
                 static HTML dashboard and the weekly card to the IRO service's channel

Pure where it counts: `figures` takes the period as a parameter and never reads the wall clock; each
figure's definition is in docs/report.md. matplotlib and docxtpl are imported only by the modules that draw
and render, so `iro report annual --json` needs neither.
"""
