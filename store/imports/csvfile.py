"""Reading import CSVs: header checks, line numbers, dates, and turning bad rows into problems."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from rules.calendar import FIRST_YEAR, LAST_YEAR
from rules.errors import ImportError_, InputError
from store.store import Store

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class BadRow(Exception):
    """Raised inside a row's validation; the reader turns it into an ImportError_ with file and line."""

    def __init__(self, reason: str, case_ref: str | None = None) -> None:
        self.reason, self.case_ref = reason, case_ref
        super().__init__(reason)


MAX_FIELD = 1000  # characters in one value; longer is refused by row (and never echoed)
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)  # the working calendar's range


def decode(raw: bytes) -> str:
    """The text of a council's export, whichever encoding its system wrote: UTF-8 (with or without Excel's
    BOM), UTF-16 (BOM, or none: NUL bytes give it away) or Windows-1252 (what "CSV" means to older Excel)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    if raw[:2000].count(b"\x00") > len(raw[:2000]) // 4:
        return raw.decode("utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # cp1252 leaves five bytes undefined: shown as U+FFFD


def read_rows(path: Path, required: list[str], upper: bool) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with names case-folded and values stripped.

    A missing file or missing columns reject the whole file (ImportError_ on line 1): no row
    could be read correctly without them. A row the CSV reader cannot parse (a field over its limit,
    a broken quote) is yielded as a bad row and reading goes on.
    """
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", "check the file name and permissions") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error:
        header = []
    if header is None:
        raise ImportError_(str(path), 1, "the file is empty; expected a header row")
    names = [(h.strip().upper() if upper else h.strip().lower()) for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise ImportError_(
            str(path), 1, f"missing column(s) {', '.join(missing)}; the header needs {', '.join(required)}"
        )
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, {"__error__": "a value the CSV reader cannot read (over 128 KiB, or a broken "
                                                 "quote)"}
            continue
        if not any(v.strip() for v in values):
            continue  # blank lines are not rows
        if len(values) != len(names):
            yield reader.line_num, {"__width__": f"{len(values)} values for {len(names)} columns"}
            continue
        row = {n: v.strip() for n, v in zip(names, values, strict=True)}
        long = [n for n, v in row.items() if len(v) > MAX_FIELD]
        if long:
            yield reader.line_num, {"__error__": f"{long[0]} is over {MAX_FIELD} characters"}
            continue
        yield reader.line_num, row


def check_width(row: dict[str, str]) -> None:
    if "__error__" in row:
        raise BadRow(row["__error__"])
    if "__width__" in row:
        raise BadRow(f"the row has {row['__width__']}; check for an unquoted comma")


def parse_dmy(value: str, column: str) -> date:
    """A dd/mm/yyyy date (the SSDA903 format). A bad cell is never echoed (it may hold a name)."""
    match = _DMY.fullmatch(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return plausible(date(year, month, day), column)
    except ValueError:
        pass
    raise BadRow(f"{column} is not a date in the form dd/mm/yyyy")  # the cell is never echoed: it may hold a name


def plausible(day: date, column: str) -> date:
    """A date the app can work with: inside the working calendar's years (rules.calendar)."""
    if not EARLIEST <= day <= LATEST:
        raise BadRow(f"{column} is not a plausible date (give one from {EARLIEST.year} to {LATEST.year})")
    return day


def parse_date(value: str, column: str) -> date:
    """ISO yyyy-mm-dd or dd/mm/yyyy (roster files come from spreadsheets in either form)."""
    match = _ISO.fullmatch(value)
    if match:
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            raise BadRow(f"{column} is not a real date") from None
        return plausible(day, column)
    if _DMY.fullmatch(value):
        return parse_dmy(value, column)
    raise BadRow(f"{column} is not a date in the form yyyy-mm-dd or dd/mm/yyyy")


_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,63}")


def case_ref(value: str, column: str) -> str:
    """A case reference: 1-64 letters, digits and _ . / - (it goes into keys, subjects and file names)."""
    if not value:
        raise BadRow(f"{column} is empty")
    if not _REF.fullmatch(value):
        raise BadRow(f"{column} is not a case reference (letters, digits, _ . / -; up to 64)")
    return value


def fits(value: str, column: str, most: int) -> str:
    """A value that fits its column in the store (PostgreSQL refuses longer ones)."""
    if len(value) > most:
        raise BadRow(f"{column} is {len(value)} characters long; at most {most} fit")
    return value


def email(value: str, column: str, required: bool = False) -> str:
    if not value:
        if required:
            raise BadRow(f"{column} is empty; give the person's work e-mail address")
        return ""
    if "@" not in value or " " in value or len(value) > 320:
        raise BadRow(f"{column} is not an e-mail address")
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
