"""Synthetic SSDA903 returns (no real children): for the bundled example, the tests and `make bench`.

Children are `C000001`, `C000002`...; each has a period of care starting somewhere in
[first_day, last_day), a few contiguous episodes (placement moves, REC X1), sometimes a second
period after a gap, and reviews at roughly the statutory rhythm of 003 / reg 33 (about 20 working
days, then 3 months, then every 6 months), mostly on time and sometimes late or missing, so every
status (met, missed, open, overdue) turns up. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

_LS = ["C2", "C2", "C2", "V2", "J2", "L1", "E1", "D1"]
_RNE_MOVE = ["P", "P", "L", "T", "B", "U"]
_REC_END = ["E11", "E12", "E13", "E41", "E45", "E8", "E8", "E17"]


@dataclass
class Return:
    header: list[tuple[str, str]] = field(default_factory=list)
    episodes: list[tuple[str, ...]] = field(default_factory=list)
    reviews: list[tuple[str, str, str, str]] = field(default_factory=list)


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def generate(n_children: int, first_day: date, last_day: date, seed: int = 903) -> Return:
    """A return for `n_children` with care starting between first_day and last_day (exclusive)."""
    rng = random.Random(seed)
    out = Return()
    span = (last_day - first_day).days
    for i in range(1, n_children + 1):
        child = f"C{i:06d}"
        start = first_day + timedelta(days=rng.randrange(span))
        dob = start - timedelta(days=rng.randrange(30, 17 * 365))
        out.header.append((child, _dmy(dob)))
        while start < last_day:
            end = start + timedelta(days=rng.randrange(60, 3000)) if rng.random() < 0.45 else None
            if end is not None and end >= last_day:
                end = None
            _episodes(rng, out, child, dob, start, end)
            _reviews(rng, out, child, dob, start, end or last_day)
            if end is None or rng.random() > 0.15:
                break
            start = end + timedelta(days=rng.randrange(30, 700))  # a gap, then a new period
    return out


def _episodes(rng: random.Random, out: Return, child: str, dob: date, start: date, end: date | None) -> None:
    moves = sorted({start + timedelta(days=rng.randrange(1, max(2, ((end or start) - start).days or 400)))
                    for _ in range(rng.randrange(0, 3))})
    moves = [m for m in moves if end is None or m < end]
    bounds = [start, *moves]
    ls = rng.choice(_LS)
    for n, decom in enumerate(bounds):
        last = n == len(bounds) - 1
        dec = end if last else bounds[n + 1]
        rec = (rng.choice(_REC_END) if dec else "") if last else "X1"
        rne = "S" if n == 0 else rng.choice(_RNE_MOVE)
        if rne == "L":
            ls = rng.choice(_LS)
        out.episodes.append(
            (child, _dmy(decom), rne, ls, f"N{rng.randrange(1, 9)}", "U1", rec, _dmy(dec) if dec else "")
        )


def _reviews(rng: random.Random, out: Return, child: str, dob: date, start: date, stop: date) -> None:
    # Days after the previous review (or the start): first, second, then later reviews.
    held = start + timedelta(days=rng.choice([18, 21, 24, 26, 27, 27, 28, 40]))  # 20 working days ~ 28 days
    gap_days = [85, 88, 90, 91, 110]
    n = 0
    while held <= stop:
        if rng.random() < 0.03:  # sometimes the file simply lacks a review: the next one is late
            held += timedelta(days=150)
            continue
        out.reviews.append((child, _dmy(dob), _dmy(held), f"PN{rng.randrange(0, 8)}"))
        n += 1
        if n >= 2:
            gap_days = [170, 175, 178, 180, 181, 182, 200]
        held += timedelta(days=rng.choice(gap_days))


def write(ret: Return, folder: Path) -> dict[str, Path]:
    """Write header.csv, episodes.csv and reviews.csv into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "header": (["CHILD", "DOB"], ret.header),
        "episodes": (["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "REC", "DEC"], ret.episodes),
        "reviews": (["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], ret.reviews),
    }
    paths = {}
    for name, (columns, rows) in files.items():
        paths[name] = folder / f"{name}.csv"
        with paths[name].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    return paths


def case_refs(ret: Return) -> Iterator[str]:
    return (child for child, _ in ret.header)


ROSTER_COLUMNS = ["case_ref", "looked_after_since", "legal_status", "iro", "sw", "tm", "team", "case_folder"]


def open_periods(ret: Return) -> dict[str, tuple[date, str]]:
    """Each child still looked after at the return's end: the start of its current period and its LS."""
    current: dict[str, tuple[date, str]] = {}
    for child, decom, rne, ls, _cin, _place, rec, dec in ret.episodes:
        if rne == "S":
            current[child] = (datetime.strptime(decom, "%d/%m/%Y").date(), ls)
        if dec and rec != "X1":
            current.pop(child, None)
    return current


def write_roster(ret: Return, path: Path, assign: Callable[[int], tuple[str, str, str, str]]) -> Path:
    """The roster CSV of the children still in care (the import refuses a child in care the roster lacks).

    `assign(n)` gives the n-th child's (iro, sw, tm, team)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(ROSTER_COLUMNS)
        for n, (child, (since, ls)) in enumerate(sorted(open_periods(ret).items())):
            w.writerow([child, since.isoformat(), ls, *assign(n), f"Cases/{child}"])
    return path
