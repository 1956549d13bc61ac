"""A case's facts, cleaned once for the clocks: duplicates dropped, the future ignored, sorted by kind.

Delivery is at-least-once and unordered (docs/architecture.md, flow 2), so the clocks must give the same answer
whatever order the facts arrive in and however often each is repeated. `CaseFacts` makes that so once, at the
start of every computation: one fact per `key`, facts dated after `today` dropped (the answer is what was
known on `today`), each kind sorted by (date, key).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from operator import attrgetter

from rules.errors import InputError
from rules.model import Fact, FactKind

_EMPTY: tuple[Fact, ...] = ()
_ORDER = attrgetter("on", "key")


class CaseFacts:
    """Facts of one case (or team) grouped by kind, each group sorted by (date, key) when first asked for."""

    __slots__ = ("case_ref", "today", "_by_kind", "_dates", "_sorted")

    def __init__(self, case_ref: str, facts: Iterable[Fact], today: date) -> None:
        self.case_ref, self.today = case_ref, today
        # One fact per key: a key names one happening, so any of its copies will do.
        unique = {f.key: f for f in facts if f.on <= today}
        by_kind: defaultdict[str, list[Fact]] = defaultdict(list)
        for f in unique.values():
            by_kind[f.kind].append(f)
        self._by_kind = by_kind
        self._sorted: set[str] = set()
        self._dates: dict[str, list[date]] = {}

    def of(self, kind: FactKind) -> Sequence[Fact]:
        group = self._by_kind.get(kind)
        if group is None:
            return _EMPTY
        if kind not in self._sorted:  # sorted lazily: a sweep over every case asks for a few kinds only
            group.sort(key=_ORDER)
            self._sorted.add(kind)
        return group

    def has(self, kind: FactKind) -> bool:
        """Whether the case has any fact of `kind` (cheap: no sorting)."""
        return kind in self._by_kind

    def dates(self, kind: FactKind) -> list[date]:
        found = self._dates.get(kind)
        if found is None:
            found = self._dates[kind] = [f.on for f in self.of(kind)]
        return found

    def first_between(self, kind: FactKind, lo: date, hi: date | None, *, after: bool = False) -> date | None:
        """The first date of `kind` in [lo, hi) ((lo, hi) with after=True); hi None means no upper end."""
        days = self._dates.get(kind)
        if days is None:
            days = self.dates(kind)
        i = bisect_left(days, lo)
        if after:
            while i < len(days) and days[i] == lo:
                i += 1
        if i < len(days) and (hi is None or days[i] < hi):
            return days[i]
        return None

    def first_matching(self, kind: FactKind, lo: date, keep: Callable[[Fact], bool]) -> date | None:
        """The first date of `kind` on or after `lo` whose fact passes `keep`."""
        group = self.of(kind)
        for f in group[bisect_left(self.dates(kind), lo):]:
            if keep(f):
                return f.on
        return None


def data_date(fact: Fact, field: str) -> date:
    """An ISO date or datetime in `fact.data[field]`, as a date; a clear InputError if it is not one."""
    value = fact.data.get(field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(
            f"fact {fact.key} ({fact.kind}) has no valid '{field}' date",
            f"record it again with data.{field} as an ISO date (YYYY-MM-DD)",
            fact.case_ref,
        ) from None
