"""Every clock of every case in the store, as of a day: what `iro due` prints and `make bench` times.

Facts come from one ordered, streamed query (`Store.facts_by_case`); the verdicts are the rules'
(`rules.clocks.deadlines` for a case, `team_deadlines` for a link team, 000 standard 14). For the
whole caseload as JSON, `write_due_json(..., workers=N)` splits the case references into blocks
and lets N processes judge them side by side, writing their JSON in the original order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import orjson

from rules.calendar import WorkingCalendar
from rules.clocks import deadlines, team_deadlines
from rules.errors import CalendarError
from rules.model import Deadline, Status
from rules.policy import Policy, load_policy
from store.store import Store

_BLOCK = 1_000  # cases per block handed to a worker: ~10 MB of JSON, so memory stays flat


@dataclass
class DueRun:
    """The fixed inputs of one run: policy, calendar, day, which team ids are teams, the filter."""

    policy: Policy
    calendar: WorkingCalendar
    as_of: date
    team_ids: frozenset[str] = field(default_factory=frozenset)
    overdue_only: bool = False
    overdue_from: date | None = None  # go-live: with overdue_only, a clock due before it is history, not listed

    @classmethod
    def for_store(cls, store: Store, as_of: date, policy: Policy | None = None,
                  calendar: WorkingCalendar | None = None, overdue_only: bool = False,
                  overdue_from: date | None = None) -> DueRun:
        policy = policy or load_policy()
        return cls(policy, calendar or WorkingCalendar.for_policy(policy), as_of,
                   frozenset(t.team_id for t in store.teams()), overdue_only, overdue_from)

    def verdicts(self, ref: str, facts: list) -> list[Deadline]:
        clocks = team_deadlines if ref in self.team_ids else deadlines
        try:
            found = clocks(ref, facts, self.policy, self.calendar, self.as_of)
        except CalendarError as exc:  # say which case: the message alone cannot lead anyone to the fact
            raise CalendarError(f"case {ref}: {exc}") from exc
        if not self.overdue_only:
            return list(found)
        since = self.overdue_from or date.min
        return [d for d in found if d.status == Status.OVERDUE and d.due >= since]


def due_deadlines(
    store: Store,
    as_of: date,
    *,
    policy: Policy | None = None,
    calendar: WorkingCalendar | None = None,
    case_ref: str | None = None,
    iro: str | None = None,
    team: str | None = None,
    overdue_only: bool = False,
    overdue_from: date | None = None,
) -> Iterator[tuple[str, list[Deadline]]]:
    """(case_ref, its deadlines) for every case and link team, in case-reference order.

    `case_ref` keeps one case (or team); `iro` keeps the IRO's children and the teams they link
    to; `team` the team's children and the team's own (link) clocks. `overdue_only` keeps the clocks
    still running past their due date, and `overdue_from` (go-live) only those due on or after it.
    Set-up (rules, policy, roster) happens before the first case is read, so a failure shows before
    any output.
    """
    run = DueRun.for_store(store, as_of, policy, calendar, overdue_only, overdue_from)
    refs: list[str] | None = None
    if case_ref is not None:
        refs = [case_ref]
    elif iro is not None:
        wanted = iro.strip().lower()
        refs = [c.case_ref for c in store.children(iro=iro)]
        refs += [t.team_id for t in store.teams() if t.link_iro == wanted]
    elif team is not None:
        refs = [c.case_ref for c in store.children() if c.team == team] + [team]
    unseen = set(run.team_ids) if refs is None else set(run.team_ids) & set(refs)

    def cases() -> Iterator[tuple[str, list[Deadline]]]:
        for ref, facts in store.facts_by_case(refs):
            unseen.discard(ref)
            yield ref, run.verdicts(ref, facts)
        for ref in sorted(unseen):  # a team with no meeting on record still has its clocks
            yield ref, run.verdicts(ref, [])

    return cases()


class CaseJSON:
    """A case's deadlines -> their JSON items (bytes, comma-separated, no brackets), with orjson.

    orjson writes a dataclass's fields directly (~0.4 us a deadline against ~2 us for
    json.dumps(d.as_json())). Each new Deadline class met is checked once: if orjson's rendering
    differs from `as_json()` (say the model grew a computed field), that class goes through
    `as_json()` from then on.
    """

    def __init__(self) -> None:
        self._direct: dict[type, bool] = {}

    def __call__(self, found: list[Deadline]) -> bytes:
        direct = self._direct
        for kind in set(map(type, found)):
            if kind not in direct:
                sample = next(d for d in found if type(d) is kind)
                direct[kind] = orjson.loads(orjson.dumps(sample)) == sample.as_json()
        if all(direct[type(d)] for d in found):
            return orjson.dumps(found)[1:-1]
        return orjson.dumps([d if direct[type(d)] else d.as_json() for d in found])[1:-1]


def _json_items(groups: Iterable[tuple[str, list[Deadline]]]) -> Iterator[tuple[bytes, int]]:
    encode = CaseJSON()
    for _ref, found in groups:
        if found:
            yield encode(found), len(found)


class _Bytes:
    """Write bytes to a text stream: to its binary buffer when it has one (stdout, files)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.raw = stream, getattr(stream, "buffer", None)
        if self.raw is not None:
            stream.flush()  # text written before must come first

    def write(self, data: bytes) -> None:
        if self.raw is not None:
            self.raw.write(data)
        else:
            self.stream.write(data.decode())

    def close(self) -> None:
        if self.raw is not None:
            self.raw.flush()


def _write_array(chunks: Iterable[tuple[bytes, int]], stream: IO[str]) -> int:
    out = _Bytes(stream)
    out.write(b"[")
    count = 0
    for data, n in chunks:
        if n:
            out.write((b"\n" if count == 0 else b",\n") + data)
            count += n
    out.write(b"\n]\n" if count else b"]\n")
    out.close()
    return count


def write_json(groups: Iterable[tuple[str, list[Deadline]]], stream: IO[str]) -> int:
    """One JSON array of `Deadline.as_json()` items, written a case at a time. Returns the count."""
    return _write_array(_json_items(groups), stream)


# ---- the whole caseload, several processes ---------------------------------------------------
#
# The case references are cut into blocks of _BLOCK cases; a pool of forked workers judges the
# blocks and the output keeps their order. When the stream is a real file descriptor (stdout, a
# file, /dev/null), each worker writes its own block's bytes straight to it when its turn comes
# (a shared counter under a condition), so gigabytes of JSON never cross a pipe; otherwise (a
# StringIO in tests) the blocks come back to the parent through the pool.


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while judging, then collect once.

    Facts and deadlines hold no reference cycles (reference counting frees them), but the
    millions made trigger thousands of collections that walk every live object: measured at more
    than a third of the CPU time of a national run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


@dataclass
class _Worker:
    store: Store
    run: DueRun
    fd: int | None = None
    turn: Any = None      # multiprocessing.Value: the index of the block whose turn it is to write
    written: Any = None   # multiprocessing.Value: items written so far (the separator depends on it)
    cond: Any = None      # multiprocessing.Condition guarding both


_worker: _Worker | None = None


def _start_worker(parent_engine: Any, url: str, run: DueRun, shared: tuple) -> None:
    from store.open import make_engine

    global _worker
    parent_engine.dispose(close=False)  # SQLAlchemy's fork recipe: forget, never close, the parent's connections
    _worker = _Worker(Store(make_engine(url)), run, *shared)


def _judge_block(task: tuple[int, tuple[str, str]]) -> tuple[bytes, int, int]:
    """Judge the cases in [first, last]. Returns (JSON, or b"" if written directly; items; peak RSS KB)."""
    index, bounds = task
    w = _worker
    groups = ((ref, w.run.verdicts(ref, facts)) for ref, facts in w.store.facts_by_case(between=bounds))
    parts, count = [], 0
    with _no_gc_pauses():
        for text, n in _json_items(groups):
            parts.append(text)
            count += n
    text = b",\n".join(parts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if w.fd is None:
        return text, count, peak
    with w.cond:
        w.cond.wait_for(lambda: w.turn.value == index)
        if count:
            _write_all(w.fd, (b"\n" if w.written.value == 0 else b",\n") + text)
            w.written.value += count
        w.turn.value = index + 1
        w.cond.notify_all()
    return b"", count, peak


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _file_descriptor(stream: IO[str]) -> int | None:
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.StringIO and friends have none
        return None
    stream.flush()
    if getattr(stream, "buffer", None) is not None:
        stream.buffer.flush()
    return fd


@dataclass
class DueFigures:
    items: int = 0
    cases: int = 0
    worker_peak_kb: int = 0


def write_due_json(
    store: Store,
    as_of: date,
    stream: IO[str],
    *,
    policy: Policy | None = None,
    calendar: WorkingCalendar | None = None,
    overdue_only: bool = False,
    overdue_from: date | None = None,
    workers: int | None = None,
) -> DueFigures:
    """Every clock of every case and team as one JSON array on `stream`, judged by `workers` processes.

    The output is the same, byte for byte and in the same order, as
    `write_json(due_deadlines(store, as_of, ...))`; workers=1 is exactly that. Default: one
    worker per CPU.
    """
    workers = workers or os.cpu_count() or 1
    run = DueRun.for_store(store, as_of, policy, calendar, overdue_only, overdue_from)
    refs = store.case_refs()
    figures = DueFigures(cases=len(refs))
    if workers <= 1 or len(refs) <= _BLOCK or "fork" not in multiprocessing.get_all_start_methods():
        with _no_gc_pauses():
            figures.items = write_json(due_deadlines(store, as_of, policy=run.policy, calendar=run.calendar,
                                                     overdue_only=overdue_only, overdue_from=overdue_from), stream)
        return figures
    blocks = [(refs[i], refs[min(i + _BLOCK, len(refs)) - 1]) for i in range(0, len(refs), _BLOCK)]
    unseen = sorted(run.team_ids - set(refs))
    url = store.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("fork")
    out = _Bytes(stream)
    out.write(b"[")
    fd = _file_descriptor(stream)
    shared = (fd, context.Value("q", 0, lock=False), context.Value("q", 0, lock=False), context.Condition())
    with context.Pool(workers, initializer=_start_worker, initargs=(store.engine, url, run, shared)) as pool:
        for data, n, peak in pool.imap(_judge_block, enumerate(blocks)):
            figures.worker_peak_kb = max(figures.worker_peak_kb, peak)
            if fd is None and n:
                out.write((b"\n" if figures.items == 0 else b",\n") + data)
            figures.items += n
    figures.cases += len(unseen)
    for data, n in _json_items((ref, run.verdicts(ref, [])) for ref in unseen):
        out.write((b"\n" if figures.items == 0 else b",\n") + data)
        figures.items += n
    out.write(b"\n]\n" if figures.items else b"]\n")
    out.close()
    return figures
