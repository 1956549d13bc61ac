"""Regenerate the bundled example (synthetic: no real children or staff). Run: python examples/make_examples.py

Twenty children looked after at some time between 2022 and October 2025, from
store.imports.synthetic (seed 20), plus a roster of those still looked after, three IROs, two teams.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from store.imports.synthetic import generate, write, write_roster

HERE = Path(__file__).resolve().parent
IROS = ["iro.amber@council.example", "iro.birch@council.example", "iro.cedar@council.example"]
TEAMS = [
    ("T-NORTH", "Children in Care North", "tm.north@council.example", "iro.amber@council.example"),
    ("T-SOUTH", "Children in Care South", "tm.south@council.example", "iro.birch@council.example"),
]
HOS = "hos.cic@council.example"
SWS = ["sw.one@council.example", "sw.two@council.example", "sw.three@council.example", "sw.four@council.example"]


def _staff(n: int) -> tuple[str, str, str, str]:
    team_id, _name, tm, _link = TEAMS[n % 2]
    return IROS[n % 3], SWS[n % 4], tm, team_id


def main() -> None:
    ret = generate(20, date(2022, 1, 1), date(2025, 10, 1), seed=20)
    write(ret, HERE / "ssda903")
    write_roster(ret, HERE / "roster.csv", _staff)
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
