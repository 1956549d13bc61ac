"""What the demo did, counted from its outputs (the store and the folders), and written as summary.html."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path

from demo.replay import Replay
from function_app.case_view import REVIEW_CLOCKS
from rules.clocks import deadlines
from rules.model import Status


def summarise(r: Replay, out: Path) -> dict:
    svc = r.svc
    facts = svc.store.facts()
    today = svc.today()
    reviews = Counter()
    for case_ref, case_facts in svc.store.facts_by_case():
        for d in deadlines(case_ref, case_facts, svc.policy, svc.cal, today):
            if d.clock in REVIEW_CLOCKS and d.met_on and d.met_on >= r.council.start or (
                    d.clock in REVIEW_CLOCKS and d.status == Status.MISSED and d.due >= r.council.start):
                reviews["on time" if d.status == Status.MET else "late or missed"] += 1
    documents = Counter(p.name.split("_")[1] for p in (out / "case-folders").rglob("*.docx"))
    cards = Counter(p.stem.rsplit("-", 1)[-1] for p in (out / "teams-outbox").glob("[0-9]*.json"))
    return {
        "council": {"children": len(r.council.children), "iros": len(svc.store.people("iro")),
                    "teams": len(svc.store.teams()), "from": r.council.start.isoformat(),
                    "to": r.council.end.isoformat()},
        "replayed": dict(sorted(r.counts.items())),
        "facts": dict(sorted(Counter(str(f.kind) for f in facts).items())),
        "reviews in the year": dict(sorted(reviews.items())),
        "documents": dict(sorted(documents.items())),
        "teams cards": dict(sorted(cards.items())),
        "answers given": dict(sorted(Counter(_channel(f) for f in facts if _channel(f)).items())),
        "emails sent": len(list((out / "mail-outbox").glob("*.eml"))),
        "meetings booked": len(list((out / "calendar-outbox").glob("*.ics"))),
        "problems for a person": dict(sorted(Counter(p.source for p in svc.store.problems()).items())),
    }


def _channel(f) -> str:
    """Where a person's answer came from: a Teams card (the bot) or an email (the mail conventions)."""
    if f.data.get("via") == "teams":
        return "in Teams"
    return "by email" if f.data.get("message_id") else ""


def write_html(summary: dict, r: Replay, out: Path) -> Path:
    def table(title: str, rows: dict) -> str:
        body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows.items())
        return f"<h2>{html.escape(title)}</h2><table>{body}</table>"

    sections = [table(k, v) if isinstance(v, dict) else table(k, {"total": v}) for k, v in summary.items()]
    problems = "".join(f"<li><b>{html.escape(p.case_ref or '-')}</b> {html.escape(p.reason)} "
                       f"<i>{html.escape(p.what_to_do)}</i></li>" for p in r.svc.store.problems())
    page = ("<!doctype html><meta charset='utf-8'><title>IRO automation demo</title>"
            "<style>body{font-family:Segoe UI,Arial,sans-serif;margin:2em;max-width:70em}"
            "td{padding:2px 12px;border-bottom:1px solid #ddd}</style>"
            "<h1>IRO automation: twelve months of a synthetic council</h1>"
            "<p><a href='teams-outbox/index.html'>Teams cards as Teams shows them</a> · "
            "<a href='case-folders/'>case folders</a> · <a href='mail-outbox/'>emails (.eml)</a> · "
            "<a href='calendar-outbox/'>meetings (.ics)</a> · <a href='report/annual-report.docx'>annual report</a> · "
            "<a href='report/escalations.html'>escalations dashboard</a></p>"
            + "".join(sections) + f"<h2>Problems recorded for a person</h2><ul>{problems}</ul>")
    path = out / "summary.html"
    path.write_text(page, encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return path
