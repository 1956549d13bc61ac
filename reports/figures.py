"""Every figure of the annual report for one period, counted from the store's facts and roster.

`annual_figures(store, period, policy, cal)` reads the store once (one streamed query, a case at a time)
and returns plain nested dicts of raw counts (JSON-able; `reports.publish` suppresses small numbers and
labels staff). Each clock's verdict is `rules.clocks`' as of the period's last day, so "in timescale" means
exactly what `iro due --as-of <to>` says; facts dated after the period are not seen. docs/report.md defines
each figure and how it is counted.

Staff appear here by e-mail (the roster key) and teams by id; nothing here is published as it is.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from function_app.case_view import REVIEW_CLOCKS
from rules import review_clocks as rc
from rules.calendar import WorkingCalendar
from rules.caseload import assess
from rules.clock_math import shift
from rules.clocks import deadlines, team_deadlines
from rules.decisions import counted_dones
from rules.facts import CaseFacts
from rules.model import Child, Deadline, Fact, FactKind, Person, Status
from rules.policy import Policy
from rules.resolution import Resolution, replay
from rules.roles import RESPONDING_STAGES

WHICH = dict(zip(REVIEW_CLOCKS, ("first", "second", "later"), strict=True))  # the review chain, 003 s10
RECORD_CLOCKS = ("decisions_to_tm", "record_completed", "record_distributed")
STAGE_ORDER = ("informal", *RESPONDING_STAGES)  # rules/roles.py
PN_CODES = tuple(f"PN{n}" for n in range(8))  # SSDA903 REVIEW_CODE (participation), PN0-PN7
NOT_RECORDED = "not recorded"
NO_TEAM = "not on the roster"


@dataclass(frozen=True)
class Period:
    """An inclusive range of business dates (the report's year)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def month_ends(self) -> list[date]:
        """The last day of each month in the period, and the period's last day if it is not one."""
        out, d = [], self.start
        while d <= self.end:
            nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
            out.append(min(nxt - timedelta(days=1), self.end))
            d = nxt
        return out

    def as_json(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _outcome(d: Deadline) -> str:
    """How a clock that fell due (or started) in the period ended, as of the period's end."""
    if d.status is Status.MET:
        return "on_time"
    if d.met_on is not None:
        return "late"
    return "pending" if d.status is Status.OPEN else "not_done"


def _tally() -> dict[str, int]:
    return {"due": 0, "on_time": 0, "late": 0, "not_done": 0, "pending": 0}


@dataclass
class _Counts:
    """The running counts while the store is read; `result()` turns them into the published shape."""

    policy: Policy
    cal: WorkingCalendar
    period: Period
    children: dict[str, Child]
    team_names: dict[str, str]
    looked_after: dict[str, list[rc.Period]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.held: list[dict[str, Any]] = []                 # one row per review held in the period
        self.not_held = 0
        self.participation: Counter[str] = Counter()
        self.parents: Counter[str] = Counter()
        self.midway = _tally()
        self.records = {cid: _tally() for cid in RECORD_CLOCKS}
        self.decisions = {"recorded": 0, **_tally(), "carried_forward": 0}
        self.disputes: list[tuple[str, Resolution]] = []
        self.good_practice: Counter[str] = Counter()
        self.links: dict[str, dict[str, int]] = {}
        self.changes: Counter[str] = Counter()

    # ---- one case -------------------------------------------------------------------------------

    def team_of(self, case_ref: str) -> str:
        child = self.children.get(case_ref)
        return self.team_names.get(child.team, child.team) if child and child.team else NO_TEAM

    def case(self, case_ref: str, facts: Sequence[Fact]) -> None:
        p = self.period
        seen = [f for f in facts if f.on <= p.end]
        case = CaseFacts(case_ref, seen, p.end)
        self.looked_after[case_ref] = rc.periods(case)
        found = deadlines(case_ref, seen, self.policy, self.cal, p.end)
        held_data = {f.on: f.data for f in case.of(FactKind.REVIEW_HELD)}
        held_days: list[date] = []
        for d in found:
            if d.clock in REVIEW_CLOCKS:
                self._review(case_ref, d, case, held_data, held_days)
            elif d.clock == "midway_oversight" and d.due in p:
                self._add(self.midway, d)
            elif d.clock in self.records and d.started_on in p:
                self._add(self.records[d.clock], d)
            elif d.clock == "decision" and d.due in p:
                self._add(self.decisions, d)
        self._decisions(case, held_days)
        live = [r for r in replay(seen) if r.stage != "good_practice"]
        self.disputes += [(case_ref, r) for r in live]
        team = self.team_of(case_ref)
        for f in case.of(FactKind.GOOD_PRACTICE):
            if f.on in p:
                self.good_practice[team] += 1
        for f in case.of(FactKind.SIGNIFICANT_CHANGE):
            if f.on in p:
                self.changes[str(f.data.get("change_kind") or "")] += 1

    @staticmethod
    def _add(tally: dict[str, int], d: Deadline) -> None:
        tally["due"] += 1
        tally[_outcome(d)] += 1

    def _review(self, case_ref: str, d: Deadline, case: CaseFacts, held_data: dict, held_days: list[date]) -> None:
        p = self.period
        if d.met_on is None:
            if d.due in p and d.status is not Status.OPEN:
                self.not_held += 1  # fell due in the period and was not held by its end
            return
        if d.met_on not in p:
            return
        held_days.append(d.met_on)
        late = d.met_on > d.due
        child = self.children.get(case_ref)
        self.held.append({
            "case_ref": case_ref, "on": d.met_on, "due": d.due, "late": late, "which": WHICH[d.clock],
            "iro": child.iro if child else "", "team": self.team_of(case_ref),
            "reason": self._late_reason(case, d) if late else None,
        })
        data = held_data.get(d.met_on, {})
        read = read_back(case, d.met_on)
        code = str(read.get("participation") or data.get("review_code") or "").upper()
        self.participation[code if code in PN_CODES else "unknown"] += 1
        self.parents[_parents(read) or str(data.get("parents_participation") or NOT_RECORDED)] += 1

    def _late_reason(self, case: CaseFacts, d: Deadline) -> str:
        """The reason recorded for a late review: a `review_late_reason` fact naming the review's day
        (`review_date`), else the latest one dated after the clock started and on or before the day held."""
        named, between = None, None
        for f in case.of(FactKind.REVIEW_LATE_REASON):
            if str(f.data.get("review_date") or "")[:10] == d.met_on.isoformat():
                named = f
            elif d.started_on is not None and d.started_on < f.on <= d.met_on and not f.data.get("review_date"):
                between = f
        chosen = named or between
        return str(chosen.data.get("reason") or "") if chosen else ""

    def _decisions(self, case: CaseFacts, held_days: list[date]) -> None:
        """Recorded in the period (first record of each decision id); carried forward: due before a review
        held in the period, recorded before it, and not done on or before that review's day."""
        first: dict[str, Fact] = {}
        latest: dict[str, Fact] = {}
        for f in case.of(FactKind.DECISION_RECORDED):
            rid = str(f.data.get("decision_id") or f.key)
            first.setdefault(rid, f)
            latest[rid] = f
        self.decisions["recorded"] += sum(1 for f in first.values() if f.on in self.period)
        done: dict[str, date] = {}
        for f in counted_dones([*case.of(FactKind.DECISION_PROGRESS), *case.of(FactKind.DECISION_DONE)]):
            done.setdefault(str(f.data.get("decision_id")), f.on)
        carried = set()
        for rid, f in latest.items():
            due = str(f.data.get("due") or "")[:10]
            if not due:
                continue
            due_on = date.fromisoformat(due)
            for h in held_days:
                if first[rid].on < h and due_on < h and not (rid in done and done[rid] <= h):
                    carried.add(rid)
        self.decisions["carried_forward"] += len(carried)

    def team(self, team_id: str, facts: Sequence[Fact]) -> None:
        p = self.period
        seen = [f for f in facts if f.on <= p.end]
        tally = {"due": 0, "on_time": 0, "late": 0, "not_done": 0, "pending": 0, "held": 0}
        for d in team_deadlines(team_id, seen, self.policy, self.cal, p.end):
            if d.clock == "link_meeting" and d.due in p:
                self._add(tally, d)
        tally["held"] = len({f.on for f in seen if f.kind == FactKind.LINK_MEETING_HELD and f.on in p})
        self.links[self.team_names.get(team_id, team_id)] = tally

    # ---- the whole period -----------------------------------------------------------------------

    def reviews_figure(self) -> dict[str, Any]:
        def split(key: str) -> dict[str, dict[str, int]]:
            out: dict[str, dict[str, int]] = defaultdict(lambda: {"held": 0, "in_timescale": 0, "late": 0})
            for r in self.held:
                row = out[r[key]]
                row["held"] += 1
                row["late" if r["late"] else "in_timescale"] += 1
            return dict(sorted(out.items()))

        late = [r for r in self.held if r["late"]]
        reasons = Counter(r["reason"] or "" for r in late)
        return {
            "held": len(self.held),
            "in_timescale": len(self.held) - len(late),
            "late": len(late),
            "not_held": self.not_held,
            "late_reasons": {code: reasons[code] for code in sorted(reasons, key=lambda c: (c == "", c))},
            "by_review": {w: split("which").get(w, {"held": 0, "in_timescale": 0, "late": 0})
                          for w in ("first", "second", "later")},
            "by_iro": split("iro"),
            "by_team": split("team"),
            "by_month": {m: split("month").get(m, {"held": 0, "in_timescale": 0, "late": 0})
                         for m in self._months()},
        }

    def _months(self) -> list[str]:
        for r in self.held:
            r["month"] = r["on"].strftime("%Y-%m")
        return [d.strftime("%Y-%m") for d in self.period.month_ends()]

    def disputes_figure(self) -> dict[str, Any]:
        p, cap = self.period, self.policy.clocks[self.policy.resolution.cap_clock]
        raised = [(ref, r) for ref, r in self.disputes if r.opened_on in p]
        resolved = [(ref, r) for ref, r in self.disputes if r.stage == "resolved" and r.closed_on in p]
        formal = [r for _, r in resolved if r.formal_started_on is not None]
        within = [r for r in formal if r.closed_on <= shift(self.cal, r.formal_started_on, cap)]
        days = [self.cal.working_days_between(r.opened_on, r.closed_on) for _, r in resolved]
        categories = Counter(r.category for _, r in raised)
        themes: dict[str, Counter[int | None]] = defaultdict(Counter)
        for ref, r in raised:
            themes[self.team_of(ref)][r.category] += 1
        open_now = [r for _, r in self.disputes if r.is_open]
        return {
            "raised": len(raised),
            "by_category": {n: categories[n] for n in [*self.policy.categories, None]},
            "highest_stage": {s: sum(1 for _, r in raised if highest_stage(r) == s) for s in STAGE_ORDER},
            "resolved": len(resolved),
            "resolved_informally": len(resolved) - len(formal),
            "resolved_formal": len(formal),
            "resolved_within_cap": len(within),
            "median_working_days_to_resolution": float(statistics.median(days)) if days else None,
            "cafcass_referrals": sum(1 for _, r in self.disputes if r.cafcass_referred_on in p),
            "open_at_end": {s: sum(1 for r in open_now if r.stage == s) for s in STAGE_ORDER},
            "themes_by_team": {team: {n: c[n] for n in sorted(c, key=lambda n: (n is None, n or 0))}
                               for team, c in sorted(themes.items())},
        }

    def caseloads_figure(self, iros: Sequence[Person]) -> dict[str, Any]:
        band = self.policy.caseload
        months: dict[str, Any] = {}
        for day in self.period.month_ends():
            counts: Counter[str] = Counter()
            for ref, child in self.children.items():
                if any(pp.start <= day and (pp.end is None or pp.end > day) for pp in self.looked_after.get(ref, ())):
                    counts[child.iro] += 1  # "" (no IRO allocated) counts as unallocated
            rows = {}
            for iro in iros:
                v = assess(iro, counts[iro.email], self.policy)
                rows[iro.email] = {"children": v.children, "fte": iro.fte,
                                   "per_fte": round(v.children / iro.fte, 1), "verdict": v.verdict}
            total_fte = sum(i.fte for i in iros)
            total = sum(counts[i.email] for i in iros)
            months[day.isoformat()] = {
                "iros": rows,
                "service": {"children": total, "fte": round(total_fte, 2),
                            "per_fte": round(total / total_fte, 1) if total_fte else None,
                            "unallocated": sum(c for e, c in counts.items() if e not in {i.email for i in iros})},
            }
        return {"band": {"min_per_fte": band.min_per_fte, "max_per_fte": band.max_per_fte,
                         "source": band.source.cite}, "month_ends": months}

    def children_figure(self) -> dict[str, int]:
        """Children looked after at any time in the period, and on its last day: the base for rates per 100."""
        p = self.period
        during = {ref for ref, pps in self.looked_after.items()
                  if any(pp.start <= p.end and (pp.end is None or pp.end >= p.start) for pp in pps)}
        at_end = {ref for ref, pps in self.looked_after.items()
                  if any(pp.start <= p.end and (pp.end is None or pp.end > p.end) for pp in pps)}
        return {"looked_after_during": len(during), "looked_after_at_end": len(at_end)}

    def significant_changes_figure(self) -> dict[str, Any]:
        notify_cat = 12 if 12 in self.policy.categories else None  # 004 App. 1: IRO not notified
        kinds = [k.id for k in self.policy.significant_changes]
        return {
            "notified": sum(self.changes.values()),
            "by_kind": {**{k: self.changes[k] for k in kinds}, "unclassified": self.changes[""]},
            "notified_late": sum(1 for _, r in self.disputes if r.opened_on in self.period
                                 and r.category == notify_cat),
        }


def highest_stage(r: Resolution) -> str:
    """The most senior stage a resolution reached: informal < stage 1 < 2 < 3 < AD QA."""
    states = {"informal", *(s.to_state for s in r.history)}
    return max((s for s in states if s in STAGE_ORDER), key=STAGE_ORDER.index)


def read_back(case: CaseFacts, review_on: date) -> dict[str, Any]:
    """What the completed record of the review held on `review_on` says (the latest version read: issue 13,
    function_app/record_reading.py), or {} when no record of it was read back."""
    day = review_on.isoformat()
    reads = [f for f in case.of(FactKind.RECORD_READ) if f.data.get("review_date") == day]
    return sorted(reads, key=lambda f: int(f.data.get("version") or 1))[-1].data if reads else {}


def _parents(read: dict[str, Any]) -> str:
    """Parents' attendance as the record's attendance table gives it; "" when it says nothing of parents."""
    if "parent" in (read.get("attended") or ()):
        return "attended"
    return "did not attend" if "parent" in (read.get("absent") or ()) else ""


def annual_figures(store: Any, period: Period, policy: Policy, cal: WorkingCalendar) -> dict[str, Any]:
    """Every figure of the report for `period`, raw (see reports.publish for what is published)."""
    teams = {t.team_id: t for t in store.teams()}
    counts = _Counts(policy, cal, period, {c.case_ref: c for c in store.children()},
                     {tid: t.name or tid for tid, t in teams.items()})
    seen_teams = set()
    for ref, facts in store.facts_by_case():
        if ref in teams:
            seen_teams.add(ref)
            counts.team(ref, facts)
        else:
            counts.case(ref, facts)
    for tid in sorted(set(teams) - seen_teams):
        counts.team(tid, [])
    for ref in counts.children:
        counts.looked_after.setdefault(ref, [])
    return _assemble(counts, [p for p in store.people("iro")], period)


def _assemble(c: _Counts, iros: Iterable[Person], period: Period) -> dict[str, Any]:
    iros = sorted(iros, key=lambda p: p.email)
    return {
        "period": period.as_json(),
        "children": c.children_figure(),
        "reviews": c.reviews_figure(),
        "participation": {"children": {code: c.participation[code] for code in (*PN_CODES, "unknown")},
                          "parents": dict(sorted(c.parents.items(), key=lambda kv: (kv[0] == NOT_RECORDED, kv[0])))},
        "midway_oversight": c.midway,
        "records": c.records,
        "decisions": c.decisions,
        "disputes": c.disputes_figure(),
        "good_practice": {"recorded": sum(c.good_practice.values()), "by_team": dict(sorted(c.good_practice.items()))},
        "caseloads": c.caseloads_figure(iros),
        "link_meetings": dict(sorted(c.links.items())),
        "significant_changes": c.significant_changes_figure(),
    }
