"""The DfE SSDA903 return (children looked after): header, episodes and reviews CSVs.

Columns used (DfE SSDA903 guidance; dates dd/mm/yyyy):
    header    CHILD, DOB
    episodes  CHILD, DECOM, RNE, LS, CIN, PLACE, REC, DEC
    reviews   CHILD, DOB, REVIEW, REVIEW_CODE
CHILD is the case reference. An episode is a stretch of one legal status and placement; a *period
of care* is a run of contiguous episodes. A new period starts where RNE is S ("started to be looked
after") or after a gap (DECOM later than the previous episode's DEC). DEC blank means still looked
after, so only a child's last episode may be open.

Facts recorded (keys are built from the data, so a second import of the same files is a no-op):
    BECAME_LOOKED_AFTER  on each period's first DECOM   key became_looked_after:CHILD:DATE  data legal_status
    CEASED_LOOKED_AFTER  on each closed period's DEC    key ceased_looked_after:CHILD:DATE  data reason (REC)
    REVIEW_HELD          on each REVIEW                 key review_held:CHILD:DATE          data review_code
The DOB is only checked (a known child, a plausible date); it is never stored or echoed.

A child still looked after (last episode open) must be on the roster: the roster names the IRO who is
told of the clocks the return starts, and a case nobody holds is a deadline nobody can meet. Such a
child's rows are refused (one problem on the open episode's line, one per review row) until the roster
is imported; children whose care has ended load without it (history for the annual report).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rules.errors import ImportError_
from rules.model import Fact, FactKind
from store.imports.csvfile import BadRow, case_ref, check_width, parse_dmy, read_rows, reject
from store.imports.report import ImportReport
from store.store import Store

IMPORTER = "ssda903"
HEADER_COLUMNS = ["CHILD", "DOB"]
EPISODE_COLUMNS = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "REC", "DEC"]
REVIEW_COLUMNS = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]

# SSDA903 code sets (DfE guidance). V3/V4 are short-break legal statuses.
RNE_CODES = {"S", "L", "P", "T", "U", "B"}
LS_CODES = {"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
REC_CODE = re.compile(r"X1|E[0-9A-Z]{1,3}")
REVIEW_CODES = {f"PN{n}" for n in range(8)}  # participation of the child in the review
CONTINUES = "X1"  # REC: "episode ceases and a new one begins on the same day"


@dataclass(frozen=True)
class Episode:
    line: int
    decom: date
    rne: str
    ls: str
    rec: str
    dec: date | None


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None  # None: still looked after
    legal_status: str
    reason: str  # REC of the last episode, "" if open
    line: int = 0  # the line of its last episode


def import_903(store: Store, header: Path, episodes: Path, reviews: Path) -> ImportReport:
    """Load one SSDA903 return. Bad rows are reported (and recorded as problems); good rows load."""
    report = ImportReport()
    births = _read_header(store, Path(header), report)
    by_child = _read_episodes(store, Path(episodes), births, report)
    periods = {child: _periods(store, Path(episodes), child, eps, report) for child, eps in by_child.items()}
    _refuse_unheld(store, Path(episodes), periods, report)
    period_facts = list(_period_facts(periods))
    _record(store, period_facts, report)
    _record(store, _review_facts(store, Path(reviews), births, periods, report), report)
    return report


NOT_ON_ROSTER = ("CHILD is still looked after (last episode open) but not on the roster; import the roster "
                 "first (iro import-roster), then this return again")
REFUSED = "CHILD is still looked after but not on the roster (see the episodes file); import the roster first"


def _refuse_unheld(store: Store, path: Path, periods: dict[str, list[Period] | None], report: ImportReport) -> None:
    """Drop, and report once, each child in care whom the roster does not hold (see the module docstring)."""
    held = {child.case_ref for child in store.children()}
    for child in [c for c, spans in periods.items() if spans and spans[-1].end is None and c not in held]:
        reject(store, report.errors, path, periods[child][-1].line, BadRow(NOT_ON_ROSTER, child), IMPORTER)
        periods[child] = None  # refused: its reviews are refused too


def _record(store: Store, facts, report: ImportReport) -> None:
    counted = _Counted(facts)
    new = store.record_many(counted)
    report.new_facts += new
    report.known_facts += counted.n - new


class _Counted:
    def __init__(self, items) -> None:
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def _read_header(store: Store, path: Path, report: ImportReport) -> dict[str, date]:
    births: dict[str, date] = {}
    for line, row in read_rows(path, HEADER_COLUMNS, upper=True):
        report.rows += 1
        try:
            check_width(row)
            child = case_ref(row["CHILD"], "CHILD")
            if child in births:
                raise BadRow("CHILD appears twice in the header file; keep one row per child", child)
            births[child] = parse_dmy(row["DOB"], "DOB")
        except BadRow as bad:
            reject(store, report.errors, path, line, bad, IMPORTER)
    return births


def _read_episodes(store: Store, path: Path, births: dict[str, date], report: ImportReport) -> dict[str, list]:
    by_child: dict[str, list[Episode]] = {}
    for line, row in read_rows(path, EPISODE_COLUMNS, upper=True):
        report.rows += 1
        try:
            episode, child = _episode(line, row, births)
            by_child.setdefault(child, []).append(episode)
        except BadRow as bad:
            reject(store, report.errors, path, line, bad, IMPORTER)
    return by_child


def _episode(line: int, row: dict[str, str], births: dict[str, date]) -> tuple[Episode, str]:
    check_width(row)
    child = case_ref(row["CHILD"], "CHILD")
    if child not in births:
        raise BadRow("CHILD is not in the header file (or its header row was rejected); add it there", child)
    try:
        decom = parse_dmy(row["DECOM"], "DECOM")
        dec = parse_dmy(row["DEC"], "DEC") if row["DEC"] else None
    except BadRow as bad:
        raise BadRow(bad.reason, child) from None
    rne, ls, rec = row["RNE"].upper(), row["LS"].upper(), row["REC"].upper()
    problems = []
    if rne not in RNE_CODES:
        problems.append(f"RNE is not one of {', '.join(sorted(RNE_CODES))}")
    if ls not in LS_CODES:
        problems.append("LS is not an SSDA903 legal status")
    if dec is None and rec:
        problems.append("REC is given but DEC is blank; give both or neither")
    if dec is not None and not REC_CODE.fullmatch(rec):
        problems.append("REC is not a reason episode ceased (X1 or E..) and DEC is set")
    if dec is not None and dec < decom:
        problems.append(f"DEC {dec:%d/%m/%Y} is before DECOM {decom:%d/%m/%Y}")
    if decom < births[child]:
        problems.append("DECOM is before the child's DOB")
    if problems:
        raise BadRow("; ".join(problems), child)
    return Episode(line, decom, rne, ls, rec, dec), child


def _periods(store: Store, path: Path, child: str, episodes: list[Episode], report: ImportReport) -> list[Period]:
    """Join contiguous episodes into periods of care; reject episodes that overlap or follow an open one."""
    periods: list[Period] = []
    start: Episode | None = None
    last: Episode | None = None
    for ep in sorted(episodes, key=lambda e: (e.decom, e.line)):
        try:
            if last is not None:
                _check_follows(last, ep)
        except BadRow as bad:
            reject(store, report.errors, path, ep.line, BadRow(bad.reason, child), IMPORTER)
            continue
        if last is None or ep.rne == "S" or ep.decom > last.dec:  # a start, or a gap after the last
            if start is not None:
                periods.append(_close(store, path, child, start, last, report))
            start = ep
        last = ep
    if start is not None:
        periods.append(_close(store, path, child, start, last, report))
    return periods


def _check_follows(last: Episode, ep: Episode) -> None:
    if last.dec is None:
        raise BadRow(
            f"episode starting {ep.decom:%d/%m/%Y} follows an open episode (line {last.line}, DEC blank); "
            "only a child's last episode may be open"
        )
    if ep.decom < last.dec:
        raise BadRow(f"episode starting {ep.decom:%d/%m/%Y} overlaps the one on line {last.line}")


def _close(store: Store, path: Path, child: str, start: Episode, last: Episode, report: ImportReport) -> Period:
    if last.dec is not None and last.rec == CONTINUES:
        # X1 promises a next episode the file does not have: keep the period open (its clocks keep
        # running, which is the safe side) and ask a person to add the missing episode.
        reject(
            store,
            report.errors,
            path,
            last.line,
            BadRow("REC is X1 (a new episode starts the same day) but no episode follows; add it", child),
            IMPORTER,
        )
        return Period(start.decom, None, start.ls, "", last.line)
    return Period(start.decom, last.dec, start.ls, last.rec if last.dec else "", last.line)


def _period_facts(periods: dict[str, list[Period] | None]) -> Iterator[Fact]:
    for child, spans in periods.items():
        for p in spans or ():
            yield Fact(
                FactKind.BECAME_LOOKED_AFTER,
                child,
                p.start,
                f"became_looked_after:{child}:{p.start.isoformat()}",
                {"legal_status": p.legal_status},
            )
            if p.end is not None:
                yield Fact(
                    FactKind.CEASED_LOOKED_AFTER,
                    child,
                    p.end,
                    f"ceased_looked_after:{child}:{p.end.isoformat()}",
                    {"reason": p.reason},
                )


def _review_facts(
    store: Store, path: Path, births: dict[str, date], periods: dict[str, list[Period]], report: ImportReport
) -> Iterator[Fact]:
    errors: list[ImportError_] = report.errors
    for line, row in read_rows(path, REVIEW_COLUMNS, upper=True):
        report.rows += 1
        try:
            yield _review(row, births, periods)
        except BadRow as bad:
            reject(store, errors, path, line, bad, IMPORTER)


def _review(row: dict[str, str], births: dict[str, date], periods: dict[str, list[Period]]) -> Fact:
    check_width(row)
    child = case_ref(row["CHILD"], "CHILD")
    if child not in births:
        raise BadRow("CHILD is not in the header file (or its header row was rejected); add it there", child)
    try:
        held = parse_dmy(row["REVIEW"], "REVIEW")
    except BadRow as bad:
        raise BadRow(bad.reason, child) from None
    if child in periods and periods[child] is None:
        raise BadRow(REFUSED, child)
    code = row["REVIEW_CODE"].upper()
    if code and code not in REVIEW_CODES:
        raise BadRow("REVIEW_CODE is not PN0 to PN7", child)
    if not any(p.start <= held and (p.end is None or held <= p.end) for p in periods.get(child, ())):
        raise BadRow(f"review on {held:%d/%m/%Y} is outside every period of care in the episodes file", child)
    data = {"review_code": code} if code else {}
    return Fact(FactKind.REVIEW_HELD, child, held, f"review_held:{child}:{held.isoformat()}", data)
