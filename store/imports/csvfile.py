"""Reading import CSVs: header checks, line numbers, dates, and turning bad rows into problems."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from rules.errors import ImportError_, InputError
from store.store import Store

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class BadRow(Exception):
    """Raised inside a row's validation; the reader turns it into an ImportError_ with file and line."""

    def __init__(self, reason: str, case_ref: str | None = None) -> None:
        self.reason, self.case_ref = reason, case_ref
        super().__init__(reason)


def read_rows(path: Path, required: list[str], upper: bool) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with names case-folded and values stripped.

    A missing file or missing columns reject the whole file (ImportError_ on line 1): no row
    could be read correctly without them.
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", "check the file name and permissions") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ImportError_(str(path), 1, "the file is empty; expected a header row")
        names = [(h.strip().upper() if upper else h.strip().lower()) for h in header]
        missing = [c for c in required if c not in names]
        if missing:
            raise ImportError_(
                str(path), 1, f"missing column(s) {', '.join(missing)}; the header needs {', '.join(required)}"
            )
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows
            if len(values) != len(names):
                yield reader.line_num, {"__width__": f"{len(values)} values for {len(names)} columns"}
                continue
            yield reader.line_num, {n: v.strip() for n, v in zip(names, values, strict=True)}


def check_width(row: dict[str, str]) -> None:
    if "__width__" in row:
        raise BadRow(f"the row has {row['__width__']}; check for an unquoted comma")


def parse_dmy(value: str, column: str, echo: bool = True) -> date:
    """A dd/mm/yyyy date (the SSDA903 format). `echo=False` keeps the value out of the message (DOB)."""
    match = _DMY.fullmatch(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    shown = f" '{value}'" if echo else ""
    raise BadRow(f"{column}{shown} is not a date in the form dd/mm/yyyy")


def parse_date(value: str, column: str) -> date:
    """ISO yyyy-mm-dd or dd/mm/yyyy (roster files come from spreadsheets in either form)."""
    match = _ISO.fullmatch(value)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
        raise BadRow(f"{column} '{value}' is not a real date")
    try:
        return parse_dmy(value, column)
    except BadRow:
        raise BadRow(f"{column} '{value}' is not a date in the form yyyy-mm-dd or dd/mm/yyyy") from None


_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,63}")


def case_ref(value: str, column: str) -> str:
    """A case reference: 1-64 letters, digits and _ . / - (it goes into keys, subjects and file names)."""
    if not value:
        raise BadRow(f"{column} is empty")
    if not _REF.fullmatch(value):
        raise BadRow(f"{column} '{value[:64]}' is not a case reference (letters, digits, _ . / -; up to 64)")
    return value


def email(value: str, column: str, required: bool = False) -> str:
    if not value:
        if required:
            raise BadRow(f"{column} is empty; give the person's work e-mail address")
        return ""
    if "@" not in value or " " in value:
        raise BadRow(f"{column} '{value}' is not an e-mail address")
    return value.lower()


def reject(store: Store | None, errors: list[ImportError_], path: Path, line: int, bad: BadRow, importer: str) -> None:
    """Keep a bad row's error for the report and record it as a problem for a person to fix."""
    error = ImportError_(str(path), line, bad.reason)
    error.case_ref = bad.case_ref
    errors.append(error)
    if store is not None:
        store.record_problem(
            source=f"{importer} {path.name}:{line}",
            reason=bad.reason,
            what_to_do=error.what_to_do,
            case_ref=bad.case_ref,
            payload={"file": str(path), "line": line, "importer": importer},
        )
