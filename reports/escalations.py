"""The escalations dashboard: every open resolution, its stage, its age against the cap, and who must act.

    open_resolutions(store, policy, cal, today) -> list[OpenResolution]   most urgent first
    headline(rows, cal, today, soon) -> Headline                          the numbers the weekly card shows
    dashboard_html(rows, headline, policy, today) -> str                  one static page

The page is one self-contained file: inline CSS, no scripts, no external fonts or images, so it opens from
a file, from an e-mail attachment and from a SharePoint document library alike. Children appear by case
reference only; who must act is a role and a team, never a person's name (the page goes to managers and
may be forwarded). Ages count working days (rules.calendar) from the day the resolution entered a formal
stage (the cap's start, Handbook 6.2), or from the day it was raised while it is still informal.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reports.publish import category_label
from rules.calendar import WorkingCalendar
from rules.citations import categories_source, for_staff
from rules.clock_math import shift
from rules.clocks import deadlines
from rules.model import Status
from rules.policy import Policy
from rules.resolution import replay
from rules.roles import RESPONDING_STAGES, role_label, stage_label, stage_owner_role

STAGES = ("informal", *RESPONDING_STAGES)


def stage_names(policy: Policy) -> dict[str, str]:
    """Each of STAGES as the policy names it (rules.roles)."""
    return {s: stage_label(policy, s) for s in STAGES}


@dataclass(frozen=True)
class OpenResolution:
    case_ref: str
    resolution_id: str
    team: str
    category: str
    stage: str                  # one of STAGES
    raised_on: date
    formal_on: date | None      # first formal stage (the cap runs from here)
    age: int                    # working days since formal_on (else raised_on)
    cap_due: date | None        # formal_on + the policy's cap
    left: int | None            # working days from today to cap_due (negative: past the cap)
    response_due: date | None   # the current stage's response, if one is running
    acts: str                   # who must act: role and team

    @property
    def past_cap(self) -> bool:
        return self.left is not None and self.left < 0


def _who(stage: str, team: str, policy: Policy) -> str:
    if stage == "informal":
        return f"IRO with the team manager, {team}"
    role = stage_owner_role(policy, stage)
    return f"{role_label(role)}, {team}" if role in ("tm", "hos") else role_label(role)


def open_resolutions(store: Any, policy: Policy, cal: WorkingCalendar, today: date) -> list[OpenResolution]:
    """Every resolution open on `today` (facts after it unseen), most urgent first (least time left)."""
    teams = {t.team_id: t.name or t.team_id for t in store.teams()}
    children = {c.case_ref: c for c in store.children()}
    cap = policy.clocks[policy.resolution.cap_clock]
    rows = []
    for ref, facts in store.facts_by_case():
        if ref in teams:
            continue
        seen = [f for f in facts if f.on <= today]
        found = [r for r in replay(seen) if r.is_open]
        if not found:
            continue
        child = children.get(ref)
        team = teams.get(child.team, child.team) if child and child.team else "not on the roster"
        running = {(d.subject, d.clock): d for d in deadlines(ref, seen, policy, cal, today, only_open=True)}
        for r in found:
            formal = r.formal_started_on
            cap_due = shift(cal, formal, cap) if formal else None
            response = None
            if r.stage in policy.resolution.stages:
                d = running.get((r.id, policy.resolution.stages[r.stage].response_clock))  # type: ignore[index]
                response = d.due if d is not None and d.status in (Status.OPEN, Status.OVERDUE) else None
            rows.append(OpenResolution(
                ref, r.id, team, category_label(r.category, policy), r.stage, r.opened_on, formal,
                cal.working_days_between(formal or r.opened_on, today), cap_due,
                cal.working_days_between(today, cap_due) if cap_due else None, response, _who(r.stage, team, policy)))
    rows.sort(key=lambda x: (x.left if x.left is not None else 10**6, -x.age, x.case_ref, x.resolution_id))
    return rows


@dataclass(frozen=True)
class Headline:
    today: date
    open: int
    past_cap: int
    cap_soon: int               # within `soon` working days of the cap
    by_stage: dict[str, int]
    oldest: int                 # the largest age, working days
    soon: int


def headline(rows: Sequence[OpenResolution], today: date, soon: int) -> Headline:
    stages = Counter(r.stage for r in rows)
    return Headline(today, len(rows), sum(r.past_cap for r in rows),
                    sum(1 for r in rows if r.left is not None and 0 <= r.left <= soon),
                    {s: stages[s] for s in STAGES}, max((r.age for r in rows), default=0), soon)


_CSS = """
body{font-family:"Segoe UI",Arial,sans-serif;margin:24px;color:#1b1b1b;max-width:1200px}
h1{color:#1f3a5f;font-size:24px;margin:0 0 4px} h2{color:#1f3a5f;font-size:18px;margin:28px 0 8px}
p.sub{color:#555;margin:0 0 16px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}
.tile{border:1px solid #c8d2dc;border-radius:6px;padding:10px 16px;min-width:150px;background:#f6f8fa}
.tile b{display:block;font-size:28px;color:#1f3a5f} .tile.bad b{color:#b00020} .tile.warn b{color:#8a5a00}
table{border-collapse:collapse;width:100%;font-size:14px;margin-bottom:8px}
th,td{border:1px solid #c8d2dc;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#e8edf3} td.n{text-align:right;white-space:nowrap}
tr.past td{background:#fde7e9} tr.soon td{background:#fff4ce}
.bar{display:inline-block;height:10px;background:#1f3a5f;vertical-align:middle}
.bar.past{background:#b00020} .muted{color:#666;font-size:13px}
@media print{.tile{break-inside:avoid} tr{break-inside:avoid}}
"""


def _e(v: object) -> str:
    return html.escape(str(v), quote=True)


def _day(d: date | None) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}" if d else "-"


def _left(r: OpenResolution) -> str:
    if r.left is None:
        return "informal: no cap yet"
    if r.left < 0:
        return f"{-r.left} working days past the cap"
    return "cap due today" if r.left == 0 else f"{r.left} working days left"


def _row(r: OpenResolution, cap_days: int, soon: int) -> str:
    cls = "past" if r.past_cap else "soon" if r.left is not None and r.left <= soon else ""
    width = min(r.age, cap_days * 2) * 4
    bar = f"<span class='bar{' past' if r.past_cap else ''}' style='width:{width}px'></span>"
    return (f"<tr class='{cls}'><td>{_e(r.case_ref)}</td><td>{_e(r.resolution_id)}</td><td>{_e(r.team)}</td>"
            f"<td>{_e(r.category)}</td><td>{_e(_day(r.raised_on))}</td><td class='n'>{r.age} {bar}</td>"
            f"<td>{_e(_day(r.cap_due))}<br><span class='muted'>{_e(_left(r))}</span></td>"
            f"<td>{_e(_day(r.response_due))}</td><td>{_e(r.acts)}</td></tr>")


def _crosstab(rows: Sequence[OpenResolution], key: str, title: str, names: dict[str, str]) -> str:
    values = sorted({getattr(r, key) for r in rows})
    head = "".join(f"<th>{_e(names[s])}</th>" for s in STAGES)
    body = ""
    for v in values:
        mine = [r for r in rows if getattr(r, key) == v]
        cells = "".join(f"<td class='n'>{sum(1 for r in mine if r.stage == s) or ''}</td>" for s in STAGES)
        body += (f"<tr><td>{_e(v)}</td>{cells}<td class='n'>{len(mine)}</td>"
                 f"<td class='n'>{sum(r.past_cap for r in mine) or ''}</td></tr>")
    return (f"<table><tr><th>{_e(title)}</th>{head}<th>All</th><th>Past the cap</th></tr>{body}</table>"
            if values else "<p>None.</p>")


def dashboard_html(rows: Sequence[OpenResolution], head: Headline, policy: Policy, council: str = "") -> str:
    """The page; `council` is the branding's name (the documents' and the report's), else the policy's."""
    cap = policy.clocks[policy.resolution.cap_clock]
    names = stage_names(policy)
    tiles = [("Open resolutions", head.open, ""), ("Past the cap", head.past_cap, "bad" if head.past_cap else ""),
             (f"Cap due within {head.soon} working days", head.cap_soon, "warn" if head.cap_soon else ""),
             ("Oldest (working days)", head.oldest, "")]
    tiles += [(names[s], head.by_stage[s], "") for s in STAGES]
    tile_html = "".join(f"<div class='tile {c}'><b>{n}</b>{_e(label)}</div>" for label, n, c in tiles)
    sections = []
    for s in STAGES:
        mine = [r for r in rows if r.stage == s]
        if not mine:
            continue
        body = "".join(_row(r, cap.amount, head.soon) for r in mine)
        sections.append(
            f"<h2>{_e(names[s])} ({len(mine)})</h2><table><tr><th>Case</th><th>Resolution</th><th>Team</th>"
            "<th>Category</th><th>Raised</th><th>Age (working days)</th><th>Cap</th>"
            f"<th>Stage response due</th><th>Who must act</th></tr>{body}</table>")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>Open IRO resolutions, {_e(_day(head.today))}</title><style>{_CSS}</style></head><body>"
        f"<h1>Open IRO resolutions</h1><p class='sub'>{_e(council or policy.council)} IRO service, as of "
        f"{_e(_day(head.today))}. The formal process should take no more than "
        f"{_e(cap.span)} ({_e(for_staff(policy, cap.source.cite))}; IRO Handbook 6.2); past "
        f"it, the {_e(role_label(policy.resolution.breach_role))} is told "
        f"({_e(for_staff(policy, policy.resolution.source.cite))}). "
        "Ages count working days from the first formal stage (or from raising, while informal). Categories are "
        f"those of the {_e(categories_source(policy))}.</p>"
        f"<div class='tiles'>{tile_html}</div>"
        + ("".join(sections) if sections else "<p>No resolutions are open.</p>")
        + "<h2>By team</h2>" + _crosstab(rows, "team", "Team", names)
        + "<h2>By category</h2>" + _crosstab(rows, "category", "Category", names)
        + "<p class='muted'>Children are shown by case reference only. \"Stage response due\" is blank when the "
          "stage's response is in or none is running. Generated by the IRO automation from the resolution facts "
          "it holds; see docs/report.md for how each figure is counted.</p></body></html>")
