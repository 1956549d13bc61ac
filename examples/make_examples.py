"""Regenerate the bundled example (synthetic: no real children or staff). Run: python examples/make_examples.py

Twenty children looked after at some time between 2022 and October 2025, from
store.imports.synthetic (seed 20), plus a roster of those still looked after, three IROs, two teams.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from store.imports.synthetic import generate, write

HERE = Path(__file__).resolve().parent
IROS = ["iro.amber@council.example", "iro.birch@council.example", "iro.cedar@council.example"]
TEAMS = [
    ("T-NORTH", "Children in Care North", "tm.north@council.example", "iro.amber@council.example"),
    ("T-SOUTH", "Children in Care South", "tm.south@council.example", "iro.birch@council.example"),
]
HOS = "hos.cic@council.example"
SWS = ["sw.one@council.example", "sw.two@council.example", "sw.three@council.example", "sw.four@council.example"]


def _dmy(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def main() -> None:
    ret = generate(20, date(2022, 1, 1), date(2025, 10, 1), seed=20)
    write(ret, HERE / "ssda903")
    open_periods: dict[str, tuple[date, str]] = {}  # child -> (start of its current period, LS)
    for child, decom, rne, ls, *_rest, dec in ret.episodes:
        if rne == "S":
            open_periods[child] = (_dmy(decom), ls)
        if dec and child in open_periods and _rest[-1] != "X1":
            open_periods.pop(child)
    with (HERE / "roster.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["case_ref", "looked_after_since", "legal_status", "iro", "sw", "tm", "team", "case_folder"])
        for n, (child, (since, ls)) in enumerate(sorted(open_periods.items())):
            team_id, _name, tm, _link = TEAMS[n % 2]
            w.writerow([child, since.isoformat(), ls, IROS[n % 3], SWS[n % 4], tm, team_id, f"Cases/{child}"])
    with (HERE / "staff.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["email", "display_name", "role", "fte"])
        for n, iro in enumerate(IROS):
            w.writerow([iro, f"IRO {iro.split('.')[1].split('@')[0].title()}", "iro", "1" if n < 2 else "0.6"])
        for sw in SWS:
            w.writerow([sw, f"Social Worker {sw.split('.')[1].split('@')[0].title()}", "sw", "1"])
        for _id, name, tm, _link in TEAMS:
            w.writerow([tm, f"Team Manager {name.split()[-1]}", "tm", "1"])
        w.writerow([HOS, "Head of Service CiC", "hos", "1"])
    with (HERE / "teams.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["team_id", "name", "tm", "hos", "link_iro", "channel"])
        for team_id, name, tm, link in TEAMS:
            w.writerow([team_id, name, tm, HOS, link, f"cic-{team_id.lower()}"])


if __name__ == "__main__":
    main()
