"""The figures as a council publishes them: small counts suppressed, staff as "IRO A", codes as words.

`published(figures, policy, people)` turns `reports.figures.annual_figures`' raw dict into the one the report,
the JSON and the dashboard show:
- every count from 1 to `report.suppress_below - 1` becomes "<N" (and 0 too if `report.suppress_zero`), so no
  child can be picked out of a small number; totals are suppressed by the same rule, never back-calculated;
- a percentage is shown only when its base is at least `suppress_below` and its own count is not suppressed
  (`rate`). Only this primary suppression is applied: a suppressed count can still be the difference of two
  published ones (e.g. held minus in timescale), as in most councils' published tables;
- an IRO is "IRO A", "IRO B" ... in the order of their roster e-mail (`report.staff_labels: names` shows the
  display name instead); teams by their name; Appendix 1 categories, late reasons and Appendix 2 kinds by the
  policy's labels. No e-mail address survives (tests grep for every roster name and address).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from string import ascii_uppercase
from typing import Any

from rules.model import Person
from rules.policy import Policy

#: Keys whose numbers are not counts of children or events: never suppressed.
NOT_COUNTS = frozenset({"fte", "per_fte", "median_working_days_to_resolution", "min_per_fte", "max_per_fte"})
UNALLOCATED = "no IRO on the roster"


def letter(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": a label for the n-th IRO."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = ascii_uppercase[r] + out
    return out


def staff_labels(iros: Iterable[Person], policy: Policy) -> dict[str, str]:
    """email -> how the report names the IRO."""
    ordered = sorted(iros, key=lambda p: p.email)
    if policy.report.staff_labels == "names":
        return {p.email: p.display_name or f"IRO {letter(i)}" for i, p in enumerate(ordered)}
    return {p.email: f"IRO {letter(i)}" for i, p in enumerate(ordered)}


def suppress(n: Any, policy: Policy) -> Any:
    """A count as published: "<5" for 1..4 (policy), else the number."""
    if not isinstance(n, int) or isinstance(n, bool):
        return n
    floor = policy.report.suppress_below
    if 0 < n < floor or (n == 0 and policy.report.suppress_zero and floor > 0):
        return f"<{floor}"
    return n


def rate(part: int, whole: int, policy: Policy) -> str:
    """"91.7%", or "-" when the base is too small to publish (or zero), or the part itself is suppressed
    (a "<5 (60.0%)" would give the suppressed number away)."""
    if whole <= 0 or whole < policy.report.suppress_below or isinstance(suppress(part, policy), str):
        return "-"
    return f"{100 * part / whole:.1f}%"


def _walk(value: Any, policy: Policy, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return {k: _walk(v, policy, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, policy, key) for v in value]
    return value if key in NOT_COUNTS else suppress(value, policy)


def category_label(n: int | None, policy: Policy) -> str:
    return f"{n}. {policy.categories[n].label}" if n in policy.categories else "Category not recorded"


def reason_label(code: str, policy: Policy) -> str:
    if not code:
        return "Reason not recorded"
    return policy.report.late_reasons.get(code, f"Other ({code})")


def change_label(kind: str, policy: Policy) -> str:
    return next((k.label for k in policy.significant_changes if k.id == kind), "Not classified")


def _rekey(rows: Mapping[Any, Any], name: Any) -> dict[str, Any]:
    """Rows re-keyed by `name(key)`; rows that fall under one name are added up (e.g. IROs not on the roster)."""
    out: dict[str, Any] = {}
    for k, v in rows.items():
        label = name(k)
        if label in out and isinstance(v, Mapping):
            out[label] = {f: out[label][f] + v[f] if isinstance(v[f], int) else v[f] for f in v}
        elif label in out:
            out[label] += v
        else:
            out[label] = v
    return out


def labelled(figures: Mapping[str, Any], policy: Policy, people: Iterable[Person]) -> dict[str, Any]:
    """The raw figures with staff, categories, reasons and kinds as the report names them (still raw counts)."""
    names = staff_labels([p for p in people if p.role == "iro"], policy)
    f = {k: v for k, v in figures.items()}
    r = dict(f["reviews"])
    r["by_iro"] = _rekey(r["by_iro"], lambda k: names.get(k, UNALLOCATED))
    r["late_reasons"] = _rekey(r["late_reasons"], lambda k: reason_label(k, policy))
    f["reviews"] = r
    d = dict(f["disputes"])
    d["by_category"] = {category_label(k, policy): v for k, v in d["by_category"].items()}
    d["themes_by_team"] = {team: {category_label(k, policy): v for k, v in c.items()}
                           for team, c in d["themes_by_team"].items()}
    f["disputes"] = d
    c = dict(f["caseloads"])
    c["month_ends"] = {day: {"iros": {names.get(e, UNALLOCATED): row for e, row in m["iros"].items()},
                             "service": m["service"]} for day, m in c["month_ends"].items()}
    f["caseloads"] = c
    s = dict(f["significant_changes"])
    s["by_kind"] = {change_label(k, policy) if k != "unclassified" else "Not classified": v
                    for k, v in s["by_kind"].items()}
    f["significant_changes"] = s
    return f


def published(figures: Mapping[str, Any], policy: Policy, people: Iterable[Person]) -> dict[str, Any]:
    """The figures as published: labelled, then every count suppressed by the policy's rule."""
    out = _walk(labelled(figures, policy, people), policy)
    for m in out["caseloads"]["month_ends"].values():  # a suppressed caseload must not leak through per FTE
        for row in (*m["iros"].values(), m["service"]):
            if isinstance(row["children"], str):
                row["per_fte"] = None
    return out
