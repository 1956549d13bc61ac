"""The fact store: an append-only fact log, an action log, problems, small state and the roster.

SQLAlchemy 2 (Core) over SQLite (the default, a file) or PostgreSQL (psycopg 3). Idempotency is the
database's job, not the caller's: facts and actions have unique keys and are inserted with the
dialect's INSERT ... ON CONFLICT DO NOTHING, so two workers racing on the same notification record
it once. Nothing here logs anything but case references.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rules.errors import StoreError
from rules.model import Child, Fact, FactKind, Person, Team
from store import schema as t
from store.keys import bounded_key
from store.records import ActionRecord, Claim, ConversationRef, ProblemRecord
from store.rows import FactReader, action_record, case_of, dumps, problem_record, utc

_BATCH = 5_000  # rows per INSERT batch in record_many: large enough to amortise round trips
_STREAM = 20_000  # rows fetched at a time by facts_by_case


def _email(value: str) -> str:
    return (value or "").strip().lower()


def _child_values(child: Child) -> dict[str, Any]:
    values = dict(vars(child))
    for role in ("iro", "sw", "tm"):
        values[role] = _email(values[role])
    return values


def _errors(method: Callable) -> Callable:
    """Turn database failures into StoreError (the project's one hierarchy), keeping the cause."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sa.exc.SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            first_line = str(cause).splitlines()[0] if str(cause) else ""
            raise StoreError(f"store.{method.__name__} failed: {type(cause).__name__}: {first_line}") from exc

    return wrapper


class Store:
    """All reads and writes of the store. Build one with `store.open_store(url)`.

    `now` returns the current UTC time for the bookkeeping timestamps (claimed_at, raised_at);
    tests pass a fixed clock.
    """

    def __init__(self, engine: sa.Engine, now: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self._now = now or (lambda: datetime.now(UTC))
        name = engine.dialect.name
        if name == "sqlite":
            self._insert = sqlite.insert
        elif name == "postgresql":
            self._insert = postgresql.insert
        else:
            raise StoreError(f"database '{name}' is not supported; use a sqlite:// or postgresql+psycopg:// URL")

    def close(self) -> None:
        self.engine.dispose()

    # ---- facts -------------------------------------------------------------------------------

    def record(self, fact: Fact) -> bool:
        """Append one fact. True if new; False if its key was already recorded (a no-op)."""
        return self.record_many([fact]) == 1

    @_errors
    def record_many(self, facts: Iterable[Fact]) -> int:
        """Append facts in batches; keys already present are skipped. Returns how many were new."""
        now = self._now()
        new = 0
        statement = self._insert(t.facts).on_conflict_do_nothing(index_elements=["key"]).returning(t.facts.c.id)
        iterator = iter(facts)
        while batch := list(itertools.islice(iterator, _BATCH)):
            rows = [
                {
                    "key": bounded_key(f.key),
                    "kind": str(f.kind),
                    "case_ref": f.case_ref,
                    "on": f.on,
                    "data": dumps(f.data),
                    "recorded_at": now,
                }
                for f in batch
            ]
            with self.engine.begin() as conn:
                new += len(conn.execute(statement, rows).all())
        return new

    @_errors
    def facts(self, case_ref: str | None = None, kinds: Iterable[FactKind] | None = None) -> list[Fact]:
        """Facts in (case, business date, arrival) order, optionally for one case and some kinds."""
        query = self._facts_query()
        if case_ref is not None:
            query = query.where(t.facts.c.case_ref == case_ref)
        if kinds is not None:
            query = query.where(t.facts.c.kind.in_([str(FactKind(k)) for k in kinds]))
        read = FactReader()
        with self.engine.connect() as conn:
            return [read(row) for row in conn.execute(query)]

    def facts_by_case(
        self, case_refs: Iterable[str] | None = None, between: tuple[str, str] | None = None
    ) -> Iterator[tuple[str, list[Fact]]]:
        """Every case's facts, one case at a time, from ONE ordered, streamed query.

        Memory stays at one fetch batch plus one case, however large the store. `case_refs`, if
        given, limits it to those cases; `between=(first, last)` to the case references in that
        inclusive range (how `iro due` splits the sweep between processes). Still one query.
        """
        c = t.facts.c
        query = self._facts_query()
        if case_refs is not None:
            query = query.where(c.case_ref.in_(sorted(set(case_refs))))
        if between is not None:
            query = query.where(c.case_ref >= between[0], c.case_ref <= between[1])
        read = FactReader()
        try:
            with self.engine.connect() as conn:
                for case_ref, group in itertools.groupby(self._stream(conn, query), key=case_of):
                    yield case_ref, [read(row) for row in group]
        except (sa.exc.SQLAlchemyError, sqlite3.Error) as exc:
            raise StoreError(f"store.facts_by_case failed: {type(exc).__name__}") from exc

    def _stream(self, conn: sa.Connection, query: sa.Select) -> Iterator[tuple]:
        """The query's rows, fetched _STREAM at a time (PostgreSQL: a server-side cursor).

        On SQLite the compiled statement runs on the driver's own cursor: SQLAlchemy's per-row
        result machinery was a third of the national sweep's reading time, and the rows need no
        type processing (_FactReader parses the dates).
        """
        if self.engine.dialect.name != "sqlite":
            yield from conn.execution_options(stream_results=True, yield_per=_STREAM).execute(query)
            return
        compiled = query.compile(dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True})
        params = [compiled.params[name] for name in compiled.positiontup or ()]
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(str(compiled), params)
            while batch := cursor.fetchmany(_STREAM):
                yield from batch
        finally:
            cursor.close()

    def _facts_query(self) -> sa.Select:
        f = t.facts.c
        # SQLite keeps dates as ISO text: take the text and let _FactReader parse each distinct day
        # once, rather than SQLAlchemy parsing every row (the national sweep reads ~1M rows).
        on = sa.type_coerce(f.on, sa.String) if self.engine.dialect.name == "sqlite" else f.on
        return sa.select(f.kind, f.case_ref, on, f.key, f.data).order_by(f.case_ref, f.on, f.id)

    @_errors
    def case_refs(self) -> list[str]:
        """Every case reference (and team id) with at least one fact, in the order facts_by_case uses."""
        c = t.facts.c.case_ref
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(c).distinct().order_by(c)).scalars())

    @_errors
    def first_recorded_on(self) -> date | None:
        """The day the first fact was recorded (by the store's clock): when the store began, i.e. go-live."""
        with self.engine.connect() as conn:
            first = conn.execute(sa.select(sa.func.min(t.facts.c.recorded_at))).scalar()
        if isinstance(first, str):  # SQLite hands back a DateTime aggregate as text
            first = datetime.fromisoformat(first)
        return first.date() if first else None

    @_errors
    def count_facts(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.facts)).scalar_one()

    # ---- actions (exactly-once side effects) -------------------------------------------------

    @_errors
    def claim_action(self, key: str, kind: str, case_ref: str, detail: Mapping[str, Any],
                     now: datetime | None = None, stale_before: datetime | None = None) -> Claim | None:
        """Claim one attempt at an action. A Claim: this caller performs it, then completes or releases it.

        None: it is done, or another attempt holds it. An attempt is taken over when it was released
        (a failure) or, with `stale_before`, when it was claimed before then (a crash). The takeover is
        an UPDATE guarded by the token and attempt read (compare-and-set): of two workers retaking the
        same claim, exactly one gets it.
        """
        key = bounded_key(key)
        now = now or self._now()
        a = t.actions.c
        token = uuid.uuid4().hex
        statement = (
            self._insert(t.actions)
            .values(key=key, kind=kind, case_ref=case_ref, detail=dumps(detail), claimed_at=now, token=token,
                    attempt=1)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(a.key)
        )
        with self.engine.begin() as conn:
            if conn.execute(statement).first() is not None:
                return Claim(key, token, 1)
            row = conn.execute(sa.select(a.token, a.attempt, a.claimed_at, a.completed_at, a.effects, a.in_flight)
                               .where(a.key == key)).first()
        if row is None or row.completed_at is not None:
            return None
        stale = stale_before is not None and utc(row.claimed_at) < stale_before
        if row.token is not None and not stale:
            return None
        held = a.token.is_(None) if row.token is None else a.token == row.token
        take = (sa.update(t.actions)
                .where(a.key == key, a.completed_at.is_(None), a.attempt == row.attempt, held)
                .values(token=token, attempt=row.attempt + 1, claimed_at=now))
        with self.engine.begin() as conn:
            if conn.execute(take).rowcount != 1:
                return None  # another worker took it first
        return Claim(key, token, row.attempt + 1, row.effects, row.in_flight)

    @_errors
    def complete_action(self, key: str, result: Mapping[str, Any], token: str | None = None) -> bool:
        """Mark a claimed action done, with what it produced (e.g. a document's web URL).

        False when `token` no longer holds the claim (this attempt overran its lease and was taken over):
        the action is done either way.
        """
        key, a = bounded_key(key), t.actions.c
        statement = (sa.update(t.actions).where(a.key == key, a.completed_at.is_(None))
                     .values(completed_at=self._now(), result=dumps(result), token=None, in_flight=0))
        with self.engine.begin() as conn:
            held = token is None or conn.execute(sa.select(a.token).where(a.key == key)).scalar() == token
            if conn.execute(statement).rowcount == 0 and conn.execute(
                    sa.select(a.key).where(a.key == key)).first() is None:
                raise StoreError(f"no action '{key}' was claimed; call claim_action before complete_action")
        return held

    @_errors
    def release_action(self, key: str, token: str, error: str) -> bool:
        """A failed attempt gives its claim back, so the next delivery (or the re-drive) retries it at once.

        `error` is the kind of failure (an exception's class name), never a message: messages can hold text."""
        key, a = bounded_key(key), t.actions.c
        statement = (sa.update(t.actions).where(a.key == key, a.token == token, a.completed_at.is_(None))
                     .values(token=None, error=error[:200]))
        with self.engine.begin() as conn:
            return conn.execute(statement).rowcount == 1

    @_errors
    def action_effect(self, key: str, token: str, n: int, *, done: bool) -> bool:
        """Effect number `n` of the attempt holding `token` starts (done=False) or is confirmed (done=True).

        A crash in between leaves `in_flight == n`: the retake knows that effect's outcome is unknown."""
        key, a = bounded_key(key), t.actions.c
        values = {"effects": n, "in_flight": 0} if done else {"in_flight": n}
        statement = sa.update(t.actions).where(a.key == key, a.token == token).values(**values)
        with self.engine.begin() as conn:
            return conn.execute(statement).rowcount == 1

    @_errors
    def action(self, key: str) -> ActionRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.actions).where(t.actions.c.key == bounded_key(key))).first()
        return action_record(row) if row else None

    @_errors
    def pending_actions(self, stale_before: datetime | None = None) -> list[ActionRecord]:
        """Claimed but never completed. With `stale_before`: only those free to retry now (released after
        a failure, or claimed before then by an attempt that never finished)."""
        a = t.actions.c
        query = sa.select(t.actions).where(a.completed_at.is_(None)).order_by(a.claimed_at, a.key)
        if stale_before is not None:
            query = query.where(sa.or_(a.token.is_(None), a.claimed_at < stale_before))
        with self.engine.connect() as conn:
            return [action_record(row) for row in conn.execute(query)]

    # ---- problems ------------------------------------------------------------------------------

    @_errors
    def record_problem(
        self,
        source: str,
        reason: str,
        what_to_do: str,
        case_ref: str | None,
        payload: Mapping[str, Any],
    ) -> int:
        """Record bad input for a person. The same open problem recorded again returns its first id."""
        body = dumps(payload)
        fingerprint = hashlib.sha256("\x1f".join([source, reason, case_ref or "", body]).encode()).hexdigest()
        p = t.problems.c
        with self.engine.begin() as conn:
            existing = conn.execute(
                sa.select(p.id).where(p.fingerprint == fingerprint, p.resolved_at.is_(None)).limit(1)
            ).scalar()
            if existing is not None:
                return existing
            values = dict(source=source, reason=reason, what_to_do=what_to_do, case_ref=case_ref, payload=body)
            statement = sa.insert(t.problems).values(**values, fingerprint=fingerprint, raised_at=self._now())
            return conn.execute(statement.returning(p.id)).scalar_one()

    @_errors
    def problems(self, open_only: bool = True, case_ref: str | None = None) -> list[ProblemRecord]:
        """Problems in the order raised; `open_only` leaves out resolved ones, `case_ref` keeps one case's."""
        query = sa.select(t.problems).order_by(t.problems.c.id)
        if open_only:
            query = query.where(t.problems.c.resolved_at.is_(None))
        if case_ref is not None:
            query = query.where(t.problems.c.case_ref == case_ref)
        with self.engine.connect() as conn:
            return [problem_record(row) for row in conn.execute(query)]

    @_errors
    def problem(self, id: int) -> ProblemRecord | None:  # noqa: A002 - the problem's id, as the CLI shows it
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.problems).where(t.problems.c.id == id)).first()
        return problem_record(row) if row else None

    @_errors
    def resolve_problem(self, id: int, by: str = "", note: str = "") -> ProblemRecord:  # noqa: A002
        """Mark an open problem resolved now (the store's clock), by whom and what they did. Raises StoreError
        when there is no such problem or it is already resolved (saying when and by whom)."""
        p = t.problems.c
        statement = (sa.update(t.problems).where(p.id == id, p.resolved_at.is_(None))
                     .values(resolved_at=self._now(), resolved_by=by.strip(), resolution_note=note.strip()))
        with self.engine.begin() as conn:
            changed = conn.execute(statement).rowcount
        found = self.problem(id)
        if found is None:
            raise StoreError(f"no problem with id {id}; list them with `iro problems`")
        if not changed:
            who = f" by {found.resolved_by}" if found.resolved_by else ""
            raise StoreError(f"problem {id} was already resolved on {found.resolved_at:%Y-%m-%d %H:%M}{who}")
        return found

    # ---- small key/value state ---------------------------------------------------------------

    @_errors
    def get_state(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.state.c.value).where(t.state.c.key == bounded_key(key))).scalar()

    @_errors
    def set_state(self, key: str, value: str) -> None:
        statement = self._insert(t.state).values(key=bounded_key(key), value=value)
        statement = statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value})
        with self.engine.begin() as conn:
            conn.execute(statement)

    # ---- roster ----------------------------------------------------------------------------------

    def _upsert(self, table: sa.Table, values: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(self._upsert_statement(table, values))

    def _upsert_statement(self, table: sa.Table, values: dict[str, Any]) -> sa.Executable:
        unknown = sorted(set(values) - set(table.c.keys()))
        if unknown:  # rules.model grew a field: the schema needs a migration to keep it
            raise StoreError(
                f"table '{table.name}' has no column for {', '.join(unknown)}; "
                "add an Alembic migration (python -m store.migrate revision ...) and store.schema column"
            )
        keys = [c.name for c in table.primary_key.columns]
        statement = self._insert(table).values(**values)
        updates = {name: statement.excluded[name] for name in values if name not in keys}
        return statement.on_conflict_do_update(index_elements=keys, set_=updates)

    @_errors
    def upsert_child(self, child: Child) -> None:
        self._upsert(t.children, _child_values(child))

    @_errors
    def upsert_children(self, rows: Iterable[tuple[Child, Fact]]) -> int:
        """Children with the fact that starts their clock, in batches of one transaction each: a child is
        never stored without its fact (nor the fact without the child). Returns how many facts were new."""
        new = 0
        iterator = iter(rows)
        facts = self._insert(t.facts).on_conflict_do_nothing(index_elements=["key"]).returning(t.facts.c.id)
        now = self._now()
        while batch := list(itertools.islice(iterator, _BATCH)):
            with self.engine.begin() as conn:
                for child, _ in batch:
                    conn.execute(self._upsert_statement(t.children, _child_values(child)))
                new += len(conn.execute(facts, [{"key": bounded_key(f.key), "kind": str(f.kind), "case_ref": f.case_ref,
                                                 "on": f.on, "data": dumps(f.data), "recorded_at": now}
                                                for _, f in batch]).all())
        return new

    @_errors
    def child(self, case_ref: str) -> Child | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.children).where(t.children.c.case_ref == case_ref)).first()
        return Child(**row._mapping) if row else None

    @_errors
    def children(self, iro: str | None = None) -> list[Child]:
        query = sa.select(t.children).order_by(t.children.c.case_ref)
        if iro is not None:
            query = query.where(t.children.c.iro == _email(iro))
        with self.engine.connect() as conn:
            return [Child(**row._mapping) for row in conn.execute(query)]

    @_errors
    def upsert_person(self, person: Person) -> None:
        self._upsert(t.people, dict(vars(person), email=_email(person.email)))

    @_errors
    def person(self, email: str) -> Person | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.people).where(t.people.c.email == _email(email))).first()
        return Person(**row._mapping) if row else None

    @_errors
    def people(self, role: str | None = None) -> list[Person]:
        query = sa.select(t.people).order_by(t.people.c.email)
        if role is not None:
            query = query.where(t.people.c.role == role)
        with self.engine.connect() as conn:
            return [Person(**row._mapping) for row in conn.execute(query)]

    @_errors
    def upsert_team(self, team: Team) -> None:
        values = dict(vars(team))
        for role in ("tm", "hos", "link_iro"):
            values[role] = _email(values[role])
        self._upsert(t.teams, values)

    @_errors
    def team(self, team_id: str) -> Team | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.teams).where(t.teams.c.team_id == team_id)).first()
        return Team(**row._mapping) if row else None

    @_errors
    def teams(self) -> list[Team]:
        with self.engine.connect() as conn:
            return [Team(**row._mapping) for row in conn.execute(sa.select(t.teams).order_by(t.teams.c.team_id))]

    # ---- Teams conversation references ---------------------------------------------------------

    @_errors
    def save_conversation(self, ref: ConversationRef) -> None:
        """Keep (or replace) where the bot reaches a person or channel; the latest install wins."""
        values = dict(vars(ref), key=bounded_key(ref.key), upn=_email(ref.upn), updated_at=self._now())
        statement = self._insert(t.conversations).values(**values)
        updates = {name: statement.excluded[name] for name in values if name != "key"}
        with self.engine.begin() as conn:
            conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_=updates))

    @_errors
    def conversation(self, key: str) -> ConversationRef | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.conversations).where(t.conversations.c.key == bounded_key(key))).first()
        return _ref(row) if row else None

    @_errors
    def conversation_of_user(self, user_id: str) -> ConversationRef | None:
        """A person's 1:1 reference by their Teams id (who pressed a button)."""
        c = t.conversations.c
        query = sa.select(t.conversations).where(c.user_id == user_id, c.key.like("person:%")).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _ref(row) if row else None


def _ref(row: sa.Row) -> ConversationRef:
    values = dict(row._mapping)
    values.pop("updated_at", None)
    return ConversationRef(**values)
