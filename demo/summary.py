"""What the demo did, counted from its outputs (the store and the folders), and written as summary.html."""

from __future__ import annotations

import html
import json
from collections import Counter
from datetime import date
from pathlib import Path

from demo.replay import Replay
from function_app.case_view import REVIEW_CLOCKS
from reports.outputs import ANNUAL
from rules.citations import in_text
from rules.clocks import deadlines
from rules.model import FactKind, Status


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


def _due_now(r: Replay) -> tuple[list[dict], date]:
    """Every open or overdue deadline at the end of the year, with whose it is (after go-live)."""
    from function_app.go_live import go_live_day
    from function_app.notices.recipients import Roster, owner
    from function_app.notices.words import decisions_of, what_is_due

    svc, today = r.svc, r.svc.today()
    roster, live = Roster.read(svc), go_live_day(svc, r.council.start, record=False)
    rows = []
    for case_ref, facts in svc.store.facts_by_case():
        child = roster.children.get(case_ref)
        if child is None:
            continue
        words = decisions_of([f for f in facts if f.kind == FactKind.DECISION_RECORDED])
        for d in deadlines(case_ref, facts, svc.policy, svc.cal, today, only_open=True):
            if d.due < live or d.clock == "consultation":
                continue
            fact = words.get(d.subject) if d.clock == "decision" else None
            who = owner(svc.policy, roster, child, d, str(fact.data.get("named_person") or "") if fact else "")
            clock = svc.policy.clocks.get(d.clock)
            rows.append({"case_ref": case_ref, "team": child.team, "iro": roster.person(child.iro).display_name,
                         "what": what_is_due(clock.label if clock else d.clock, d, words), "due": d.due,
                         "late": d.status == Status.OVERDUE, "who": who.display_name, "role": who.role})
    return sorted(rows, key=lambda x: (not x["late"], x["due"])), today


def _per_role_per_day(r: Replay, out: Path) -> dict[str, dict[str, float]]:
    """Messages each role received per working day: mean and most, from the outbox indexes."""
    from demo.goals import check

    figures = check(r.svc, out, r.council.start, r.council.end)
    by_role: dict[str, list[dict]] = {}
    for person in figures["people"].values():
        by_role.setdefault(person["role"] or "other", []).append(person)
    return {role: {"people": len(ps), "mean per person per working day": round(
        sum(p["per_working_day"] for p in ps) / len(ps), 2), "most in a day": max(p["most"] for p in ps),
        "messages in the year": sum(p["messages"] for p in ps)} for role, ps in sorted(by_role.items())}, figures


def _words(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d %B %Y}".lstrip("0")


# Who acts on a problem, by where it came from (the problem's `source`): the role on the child's case, or the
# team's link IRO; anything the app itself could not read goes to whoever runs it. Not listed: the child's IRO.
PROBLEM_ROLES = {"team transfer": "tm", "link meetings": "link_iro", "webhook": "admin", "queue": "admin",
                 "poison queue": "admin", "lifecycle": "admin"}


def problem_actor(roster, p) -> str:
    """"Mia Brook (Team manager)": the person who should act on a problem, and in what role (`roster`:
    function_app.notices.recipients.Roster)."""
    from function_app.notices.recipients import role_holder
    from rules.roles import role_label

    child = roster.children.get(p.case_ref or "")
    role = PROBLEM_ROLES.get(p.source, "iro")
    if role == "admin":
        return "The app's administrator (docs/operations.md)"
    if role == "link_iro":
        team = roster.teams.get(p.case_ref or "")
        if team and team.link_iro:
            return f"{roster.person(team.link_iro, 'iro').display_name} (link IRO)"
        role = "iro_manager"
    if child is None and role != "iro_manager":
        who = role_holder(roster, None, "iro_manager")
        name = who.display_name if who else "The IRO service"
        return f"{name} ({role_label('iro_manager')}; the service mailbox)"
    who = role_holder(roster, child, role)
    if who is None:  # nobody in the role for this child: the service manager updates the roster
        manager = role_holder(roster, None, "iro_manager")
        return (f"{manager.display_name if manager else 'The IRO service'} ({role_label('iro_manager')}): "
                f"no {role_label(role)} on the roster for this child")
    return f"{who.display_name} ({role_label(role)})"


def tracker_line(tracker_url: str, page: Path) -> str:
    """Where the problems are kept besides this page: the tracker when one is configured (IRO_TRACKER_URL),
    else the words saying where to look (the `iro problems` command)."""
    from html import escape

    if tracker_url and tracker_url != page.resolve().as_uri():
        return f"<p class='sub'>Every problem is also in <a href='{escape(tracker_url)}'>the tracker</a>.</p>"
    return ("<p class='sub'>No tracker is configured (IRO_TRACKER_URL). To see the problems where you work, run "
            "<code>iro problems --open</code> (<code>--case REF</code> for one child, <code>--json</code> to "
            "export); once one is handled, <code>iro problems resolve ID --note TEXT</code>.</p>")


def verdict(goals: dict) -> str:
    """The notification goals, as they came out: a claim is made only when the check behind it held."""
    from html import escape

    passed = goals["passed_deadlines"]
    if not goals["problems"]:
        return (f"<p class='ok'>All the notification goals are met. {passed} deadlines passed in the year; each "
                "had reached its owner first.</p>")
    items = "".join(f"<li>{escape(x[:300])}</li>" for x in goals["problems"])
    return f"<p class='late'>Goals not met ({passed} deadlines passed in the year):</p><ul class='late'>{items}</ul>"


def write_html(summary: dict, r: Replay, out: Path) -> Path:
    from rules.roles import role_label

    e = html.escape

    def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table class='{cls}'><tr>{head}</tr>{body}</table>"

    due, today = _due_now(r)
    teams = {t.team_id: t.name for t in r.svc.store.teams()}
    parts = [f"<h1>IRO service: {e(r.svc.policy.council)} (demo council)</h1>",
             f"<p class='sub'>As of {today:%A %d %B %Y}. {summary['council']['children']} children, "
             f"{summary['council']['iros']} IROs, {summary['council']['teams']} teams; the year "
             f"{_words(summary['council']['from'])} to {_words(summary['council']['to'])}.</p>"]
    late = [x for x in due if x["late"]]
    horizon = r.svc.policy.notifications.digest.horizon_working_days
    soon = [x for x in due if not x["late"] and x["due"] <= r.svc.cal.add_working_days(today, horizon)]
    parts.append(f"<h2>Overdue now: {len(late)}; due in the next {horizon} working days: {len(soon)}</h2>")
    groups: dict[tuple[str, str], list[dict]] = {}
    for x in late + soon:
        groups.setdefault((teams.get(x["team"], x["team"]), x["iro"]), []).append(x)
    rows = [[e(team), e(iro), str(sum(x["late"] for x in xs)), str(sum(not x["late"] for x in xs)),
             "<br>".join(f"{'<b class=late>' if x['late'] else ''}{e(x['case_ref'])}: {e(x['what'])}, "
                         f"{'was due' if x['late'] else 'due'} {x['due']:%d %b}; {e(x['who'])} "
                         f"({e(role_label(x['role']))}) to act{'</b>' if x['late'] else ''}" for x in xs[:6])
             + (f"<br><i>and {len(xs) - 6} more</i>" if len(xs) > 6 else "")]
            for (team, iro), xs in sorted(groups.items())]
    parts.append(table(["Team", "IRO", "Overdue", "Due soon", "What, by when, who must act"], rows))
    reviews = summary["reviews in the year"]
    total = sum(reviews.values()) or 1
    facts = summary["facts"]
    figures = [["Reviews held in the year", str(total)],
               ["... on time", f"{reviews.get('on time', 0)} ({100 * reviews.get('on time', 0) // total}%)"],
               ["... late or missed", str(reviews.get("late or missed", 0))],
               ["Decisions recorded", str(facts.get("decision_recorded", 0))],
               ["Decisions disputed by a TM", str(facts.get("decisions_disputed", 0))],
               ["Resolutions raised / escalated", f"{facts.get('resolution_raised', 0)} / "
                                                  f"{facts.get('resolution_escalated', 0)}"],
               ["Cafcass referrals", str(facts.get("cafcass_referred", 0))],
               ["Significant changes notified", str(facts.get("significant_change", 0))],
               ["Documents drafted", str(sum(summary["documents"].values()))],
               ["Teams messages / emails sent", f"{sum(summary['teams cards'].values())} / {summary['emails sent']}"],
               ["Answers given in Teams / by email", f"{summary['answers given'].get('in Teams', 0)} / "
                                                     f"{summary['answers given'].get('by email', 0)}"],
               ["Link meetings booked", str(summary["meetings booked"])]]
    parts.append("<h2>The year in figures</h2>" + table(["", ""], [[e(a), e(b)] for a, b in figures], "narrow"))
    from function_app.notices.recipients import Roster

    problems, roster = r.svc.store.problems(), Roster.read(r.svc)
    prow = [[str(p.id), e(p.case_ref or "-"), e(in_text(r.svc.policy, p.reason)), e(problem_actor(roster, p)),
             e(in_text(r.svc.policy, p.what_to_do))] for p in problems]  # the id `iro problems resolve ID` takes
    parts.append(f"<h2>Problems for a person: {len(problems)}</h2>"
                 + tracker_line(r.svc.tracker_url, out / "summary.html")
                 + table(["ID", "Case", "Problem", "Who should act", "What to do"], prow))
    per_role, goals = _per_role_per_day(r, out)
    parts.append("<h2>Messages each role received</h2>" + table(
        ["Role", "People", "Per person per working day", "Most in a day", "In the year"],
        [[e(role_label(k)), str(v["people"]), str(v["mean per person per working day"]), str(v["most in a day"]),
          str(v["messages in the year"])] for k, v in per_role.items()], "narrow"))
    parts.append(verdict(goals))
    page = ("<!doctype html><meta charset='utf-8'><title>IRO service: due, overdue, who must act</title>"
            "<style>body{font-family:'Segoe UI',Arial,sans-serif;margin:1.5em;max-width:78em;color:#222}"
            "table{border-collapse:collapse;margin-bottom:1em}th{text-align:left;background:#f0f0f5}"
            "td,th{padding:4px 10px;border-bottom:1px solid #ddd;vertical-align:top;font-size:14px}"
            ".late{color:#a4262c}.ok{color:#107c10}.sub{color:#555}table.narrow td:first-child{width:22em}</style>"
            "<p><a href='teams-outbox/index.html'>Teams messages as Teams shows them</a> · "
            "<a href='case-folders/'>case folders</a> · <a href='mail-outbox/'>emails (.eml)</a> · "
            f"<a href='calendar-outbox/'>meetings (.ics)</a> · <a href='report/{ANNUAL}'>annual report (draft)</a> · "
            "<a href='report/escalations.html'>escalations dashboard</a></p>" + "".join(parts))
    path = out / "summary.html"
    path.write_text(page, encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return path
