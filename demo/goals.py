"""The notification goals of docs/notifications.md, checked from the outbox indexes of a replayed year.

- no manager gets more than 2 messages on any working day;
- nobody averages more than 3 messages a working day, or gets more than 10 in a day;
- no breach message before its due date (a "late" line or card is sent only after the due date);
- no notice reaches a person twice by two channels (same notice, case and day on a card and by email);
- every deadline that passed unmet had been in a message to its owner, on or before its due date (a decision
  the app learns of only on or after its date, from a record completed late, is counted apart).
`check` returns the figures and every violation in words; the demo prints them, the tests assert on them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

from function_app.notices.recipients import Roster, owner
from function_app.notices.words import decisions_of
from rules.clocks import deadlines
from rules.model import FactKind, Status
from rules.roles import MANAGERS

NOT_OWED = ("consultation",)  # clocks the app meets itself


def rows(out: Path) -> list[dict]:
    found = []
    for box, channel in (("teams-outbox", "card"), ("mail-outbox", "email")):
        path = out / box / "index.json"
        for row in json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []:
            if not row.get("replaces"):  # an answered card takes the place of the one pressed: no new message
                found.append({**row, "channel": channel})
    return found


def _day(row: dict) -> date:
    return datetime.fromisoformat(row["sent_at"]).date()


def check(svc, out: Path, start: date, end: date) -> dict:
    all_rows = rows(out)
    roster = Roster.read(svc)
    working = [d for d in (date.fromordinal(n) for n in range(start.toordinal(), end.toordinal()))
               if svc.cal.is_working_day(d)]
    per_day: Counter = Counter()
    for r in all_rows:
        for to in r["to"]:
            per_day[(to.lower(), _day(r))] += 1
    problems: list[str] = []
    people = {to for to, _ in per_day}
    figures: dict[str, dict] = {}
    for to in sorted(people):
        p = roster.people.get(to)
        role = p.role if p else ""
        on_working = [per_day[(to, d)] for d in working]
        most = max(on_working, default=0)
        mean = sum(on_working) / len(working) if working else 0
        figures[to] = {"role": role, "messages": sum(on_working), "per_working_day": round(mean, 2), "most": most}
        if role in MANAGERS and most > 2:
            days = [d.isoformat() for d in working if per_day[(to, d)] > 2]
            problems.append(f"{to} ({role}) got more than 2 messages on {len(days)} working day(s): {days[:5]}")
        if mean > 3 or most > 10:
            problems.append(f"{to} averaged {mean:.2f} messages a working day, at most {most} in a day")
    told: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in all_rows:
        for item in r.get("items", []):
            state, case_ref, clock, subject, due = item.split("~")
            if state == "late" and _day(r) <= date.fromisoformat(due):
                problems.append(f"{r['file']}: says {case_ref} {clock} is late on {_day(r)}, due {due}")
            for to in r["to"]:
                told[(to.lower(), f"{case_ref}~{clock}~{subject}")].append(_day(r))
    channels: dict[tuple, set[str]] = defaultdict(set)
    for r in all_rows:
        for to in r["to"]:
            channels[(to.lower(), r.get("notice", r["kind"]), r.get("case_ref", ""), _day(r))].add(r["channel"])
    for key, how in channels.items():
        if len(how) > 1 and key[1] != "digest":
            problems.append(f"{key[0]} got {key[1]} for {key[2] or '-'} on {key[3]} by {' and '.join(sorted(how))}")
    unreminded, passed, learned_late = [], 0, 0
    go_live = svc.store.get_state("go-live")
    live = date.fromisoformat(go_live) if go_live else start
    for case_ref, facts in svc.store.facts_by_case():
        child = roster.children.get(case_ref)
        if child is None:
            continue
        words = decisions_of([f for f in facts if f.kind == FactKind.DECISION_RECORDED])
        completed = {str(f.data.get("document")): f.on for f in facts if f.kind == FactKind.RECORD_COMPLETED}
        for d in deadlines(case_ref, facts, svc.policy, svc.cal, end):
            clock = svc.policy.clocks.get(d.clock)
            late = d.status == Status.OVERDUE or (d.status == Status.MISSED and (d.met_on is None or d.met_on > d.due))
            if not late or d.clock in NOT_OWED or (clock and clock.window) or not live <= d.due < end:
                continue
            if d.started_on and d.started_on >= d.due:
                continue  # due the day it began: nothing could come before it
            fact = words.get(d.subject) if d.clock == "decision" else None
            known = completed.get(str(fact.data.get("record"))) if fact else None
            if known and known >= d.due:
                learned_late += 1  # the record holding the decision came on or after its date: no day to warn
                continue
            passed += 1
            who = owner(svc.policy, roster, child, d, str(fact.data.get("named_person") or "") if fact else "")
            item = f"{case_ref}~{d.clock}~{d.subject}"
            sent = told.get((who.email.lower(), item), [])
            if any(f.kind == FactKind.TEAM_TRANSFER and f.on > d.due for f in facts):
                # moved team after the due date: its owner then was the previous holder of the role
                sent = [day for (to, it), days in told.items() if it == item
                        and (roster.people.get(to) or who).role == who.role for day in days]
            if not any(day <= d.due for day in sent):
                unreminded.append(f"{case_ref} {d.clock} {d.subject} due {d.due} ({who.email})")
    if unreminded:
        problems.append(f"{len(unreminded)} of {passed} passed deadlines had no reminder to their owner first: "
                        + "; ".join(unreminded[:40]))
    return {"people": figures, "passed_deadlines": passed, "known_only_after_due": learned_late,
            "problems": problems, "messages": len(all_rows)}
