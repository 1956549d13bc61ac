"""Between database rows and the domain's objects: JSON payloads, timestamps, Facts, records.

`FactReader` is on the national sweep's hot path (a million rows): it decodes each distinct day and
payload once and builds Facts without the frozen dataclass's per-field __setattr__.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa

from rules.errors import StoreError
from rules.model import Fact, FactKind
from store.records import ActionRecord, ProblemRecord

PAYLOAD_CACHE = 50_000  # distinct fact payloads kept decoded during one scan


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON: store references, codes and ISO dates only")


def dumps(data: Mapping[str, Any] | None) -> str:
    """Deterministic JSON (sorted keys, no spaces); dates become ISO strings. Anything else: StoreError."""
    try:
        return json.dumps(dict(data or {}), sort_keys=True, separators=(",", ":"), default=_json_default)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"cannot store the data: {exc}") from None


def utc(value: datetime | None) -> datetime | None:
    # SQLite keeps no time zone: everything is written in UTC, so naive values read back are UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


_KINDS = {str(kind): kind for kind in FactKind}


def case_of(row: sa.Row) -> str:
    return row[1]


_FAST_FACT = {f.name for f in dataclasses.fields(Fact)} == {"kind", "case_ref", "on", "key", "data"}
_new = object.__new__


class FactReader:
    """Rows -> Facts, fast: the same few kinds, days and data payloads recur across a million rows.

    Each distinct day and data payload is decoded once (payloads become shared read-only
    mappings, which is what Fact.__post_init__ would make of them anyway), and Facts are built
    without the frozen dataclass's per-field __setattr__: equal to Fact(...) field for field.
    If Fact ever gains a field, the plain constructor is used instead.
    """

    def __init__(self) -> None:
        self.days: dict[Any, date] = {}
        self.payloads: dict[str, Mapping[str, Any]] = {}

    def __call__(self, row: sa.Row) -> Fact:
        kind, case_ref, on, key, data = row
        try:
            kind = _KINDS[kind]
        except KeyError:
            raise StoreError(f"fact '{key}' has kind '{kind}', unknown to this version of FactKind") from None
        day = self.days.get(on)
        if day is None:
            day = self.days[on] = on if isinstance(on, date) else date.fromisoformat(on)
        payload = self.payloads.get(data)
        if payload is None:
            if len(self.payloads) >= PAYLOAD_CACHE:  # unique payloads (Graph event ids) must not pile up
                self.payloads.clear()
            payload = self.payloads[data] = MappingProxyType(json.loads(data))
        if not _FAST_FACT:
            return Fact(kind, case_ref, day, key, payload)
        fact = _new(Fact)
        fact.__dict__.update(kind=kind, case_ref=case_ref, on=day, key=key, data=payload)
        return fact


def action_record(row: sa.Row) -> ActionRecord:
    m = row._mapping
    return ActionRecord(
        key=m["key"],
        kind=m["kind"],
        case_ref=m["case_ref"],
        detail=json.loads(m["detail"]),
        claimed_at=utc(m["claimed_at"]),
        completed_at=utc(m["completed_at"]),
        result=json.loads(m["result"]) if m["result"] is not None else None,
        token=m["token"],
        attempt=m["attempt"],
        effects=m["effects"],
        in_flight=m["in_flight"],
        error=m["error"],
    )


def problem_record(row: sa.Row) -> ProblemRecord:
    m = row._mapping
    return ProblemRecord(
        id=m["id"],
        source=m["source"],
        reason=m["reason"],
        what_to_do=m["what_to_do"],
        case_ref=m["case_ref"],
        payload=json.loads(m["payload"]),
        raised_at=utc(m["raised_at"]),
        resolved_at=utc(m["resolved_at"]),
        resolved_by=m["resolved_by"] or "",
        resolution_note=m["resolution_note"] or "",
    )
