"""Exactly-once side effects under at-least-once delivery (the design is in docs/app.md, "Side effects").

Every document, card, email and meeting is an *action* with a key derived from what caused it. An attempt
claims the key in the store (store.Store.claim_action), performs the action, and completes it:
- a failed attempt (any exception) releases its claim, so the queue's next delivery (host.json
  visibilityTimeout, 30 s) or the re-drive retries it at once;
- an attempt that never finished (a killed host) holds its claim until LEASE has passed; then the next
  delivery or the re-drive takes it over, with compare-and-set, so exactly one worker does;
- `redrive` (the `redrive_actions` timer, every few minutes, and the daily sweep) re-handles the message
  that caused each released or stale action, even when no redelivery comes: the action records its origin;
- each external effect inside an action is journalled (started, confirmed), so a retake repeats none that
  was confirmed, and for the one whose outcome is unknown (a crash between effect and record) it follows
  the effect's rule: an email is looked for in Sent Items by a message id of ours, a Teams card (Workflows
  has no idempotency key) is not sent again and a problem asks a person to check; documents (replace
  semantics) and meetings (Graph's transactionId) are simply done again.
`each` gives every recipient of a notice their own action, so one failing recipient neither resends to the
others nor loses the rest.

What one handling carries (the origin actions record, the actions running, the parts that failed) is a `Run`,
held in a context variable for the thread or task doing that handling: the worker runs several invocations
at once (host.json's queue batch, the bot's answers) on one shared Services, so none of it lives there.
External effects go through `effect(port, method, ...)`, which journals them to the innermost running action.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from function_app.services import Services
from rules.errors import DeliveryError, DeliveryUncertain, Throttled, Unavailable

if TYPE_CHECKING:
    from function_app.bus import MessageBus
    from store.records import Claim

LEASE = timedelta(minutes=5)  # longer than any attempt (Workflows' retries, Graph's), shorter than the
                              # 10 min after which a killed host's message is visible again
STUCK_AFTER = 5               # attempts after which a person is told (the action is still retried)
MAX_KEY = 200                 # action keys: longer ones keep a prefix and a hash (store/keys.py)
log = logging.getLogger("iro.actions")


# Failures that a retry cures (Graph's 5xx and 429 after its own retries, Teams, the network): not problems
TRANSIENT: tuple[type[BaseException], ...] = (Unavailable, Throttled, DeliveryError, ConnectionError, TimeoutError)


@dataclasses.dataclass
class Run:
    """One handling of a message and everything it leads to (bus.handle, runtime.finish): its own, never shared."""

    origin: dict[str, Any] | None = None  # the message being handled, as messages.origin_of describes it
    journals: list[_Journal] = dataclasses.field(default_factory=list)  # the actions running, innermost last
    incomplete: list[str] = dataclasses.field(default_factory=list)  # isolated parts that failed outside an action


_RUN: ContextVar[Run | None] = ContextVar("iro_run", default=None)


@contextmanager
def running() -> Iterator[Run]:
    """The handling this thread or task is in; a new one if it is in none (left again at the end)."""
    run = _RUN.get()
    if run is not None:
        yield run
        return
    run = Run()
    token = _RUN.set(run)
    try:
        yield run
    finally:
        _RUN.reset(token)


def current() -> Run:
    """The running handling, or a passing one (a helper called on its own, as a test or the CLI may)."""
    return _RUN.get() or Run()


def effect(port: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """An external effect (a card posted, an email sent): journalled to the innermost running action, so a
    retake of that action repeats none that was confirmed; outside an action it simply happens."""
    run = _RUN.get()
    if run is None or not run.journals:
        return getattr(port, method)(*args, **kwargs)
    return run.journals[-1].effect(port, method, args, kwargs)


def bounded(key: str) -> str:
    """An action key of at most MAX_KEY characters (store/keys.py's rule; 200 since the first release)."""
    from store.keys import bounded_key

    return bounded_key(key, MAX_KEY)


def once(svc: Services, key: str, kind: str, case_ref: str, do: Callable[[], Mapping[str, Any] | None],
         detail: Mapping[str, Any] | None = None) -> bool:
    """Run `do` unless the action `key` is done or held by a live attempt elsewhere; True if it ran now."""
    key = bounded(key)
    if key in svc.done_actions:  # done stays done: no need to ask the store again in this process
        return False
    now = svc.now()
    info = {**(detail or {}), "claimed_at": now.isoformat(), "origin": current().origin}
    claim = svc.store.claim_action(key, kind, case_ref, info, now=now, stale_before=now - LEASE)
    if claim is None:
        record = svc.store.action(key)
        if record is not None and record.done:
            svc.done_actions.add(key)
        return False
    if claim.attempt > 1:
        log.warning("retrying action %s for case %s (attempt %d)", kind, case_ref or "-", claim.attempt)
    journal = _Journal(svc.store, claim, kind, case_ref)
    try:
        with running(), journal:
            result = do() or {}
    except _LeaseLost:
        # this attempt overran its lease and another worker retook the claim (compare-and-set): that worker
        # does the action; this one stops before its next effect, releasing nothing (the claim is not ours)
        log.warning("action %s for case %s: lease lost to another worker, stopped", kind, case_ref or "-")
        return False
    except Exception as exc:
        svc.store.release_action(key, claim.token, type(exc).__name__)
        exc.iro_action = key  # type: ignore[attr-defined]  # see isolated(): retried, not a problem yet
        raise
    result = {**result, **({"uncertain": journal.uncertain} if journal.uncertain else {})}
    if not svc.store.complete_action(key, result, claim.token):
        log.warning("action %s for case %s overran its lease and was taken over", kind, case_ref or "-")
    svc.done_actions.add(key)
    return True


def sent_to(svc: Services, key: str) -> bool:
    """True when the action `key` is done and reached someone (its result names recipients): what a fact
    such as record_distributed may claim. False while it is pending, held elsewhere, or had nobody to go to."""
    record = svc.store.action(bounded(key))
    result = (record.result or {}) if record and record.done else {}
    return bool(result.get("to") or result.get("email"))  # notices/deliver.send: who got it by email


def each(svc: Services, recipients: Iterable[str], send: Callable[[str], Any]) -> list[str]:
    """Inside an action: one action per recipient (the action's key + ':to:' + address). Every recipient is
    tried even when one fails; then the first failure is raised, so the outer action is retried and only
    the recipients still owed are sent to. Returns the recipients, in order."""
    journals = current().journals
    if not journals:
        raise RuntimeError("once.each is called inside once(...), which names the action")
    outer = journals[-1]
    done: list[str] = []
    failure: Exception | None = None
    for to in dict.fromkeys(recipients):
        try:
            once(svc, f"{outer.claim.key}:to:{to}", outer.kind, outer.case_ref, lambda to=to: {"to": send(to)})
        except Exception as exc:  # isolated: the others still get theirs
            log.warning("action %s for case %s: recipient failed (%s)", outer.kind, outer.case_ref or "-",
                        type(exc).__name__)
            failure = failure or exc
        done.append(to)
    if failure is not None:
        raise failure
    return done


def isolated(svc: Services, what: str, case_ref: str, run: Callable[[], Any]) -> bool:
    """Run one case's (or one recipient's, one channel's) part of a larger job; a failure does not stop the
    rest. A failed action was released and is retried by the re-drive (`redrive`), so it is logged; any
    other failure is recorded as a problem naming the case, what failed and what to do. True if it ran."""
    try:
        run()
        return True
    except Exception as exc:
        kind = type(exc).__name__
        if getattr(exc, "iro_action", None):
            log.warning("%s: an action for case %s failed (%s); it is retried", what, case_ref or "-", kind)
            return False
        log.warning("%s: case %s failed (%s)", what, case_ref or "-", kind)
        current().incomplete.append(kind)  # the trigger then fails, so the host runs it again (runtime.finish)
        if isinstance(exc, TRANSIENT):
            return False  # the retry will most likely succeed: no problem for a person yet
        svc.store.record_problem(what, f"{what} could not finish case {case_ref or '-'}: {kind}",
                                 "the next run tries again; if it fails again, see Application Insights for "
                                 f"the {kind} and correct the case's facts or roster entry",
                                 case_ref or None, {"error": kind})
        return False


class _LeaseLost(Exception):  # noqa: N818 - a signal inside once(), never seen outside it
    """The attempt's claim was retaken by another worker after its lease passed: stop before the effect."""


class _Journal:
    """The effects of one running action: each is numbered, marked started before and confirmed after, and a
    retake skips or checks those an earlier attempt began (module docstring)."""

    def __init__(self, store: Any, claim: Claim, kind: str, case_ref: str) -> None:
        self.store, self.claim, self.kind, self.case_ref = store, claim, kind, case_ref
        self.n = 0
        self.uncertain: list[int] = []

    def __enter__(self) -> _Journal:
        current().journals.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        current().journals.remove(self)

    def effect(self, port: Any, method: str, args: tuple, kwargs: dict) -> Any:
        self.n += 1
        n, store, key, token = self.n, self.store, self.claim.key, self.claim.token
        if n <= self.claim.effects:
            return None  # confirmed by an earlier attempt
        if n == self.claim.in_flight and self._already(port, method, args, n):
            store.action_effect(key, token, n, done=True)
            return None
        if method == "send":
            args = (dataclasses.replace(args[0], idempotency_key=_message_id(key, n)), *args[1:])
        if not store.action_effect(key, token, n, done=False):
            raise _LeaseLost  # the claim is another attempt's now: its effects are its own
        try:
            out = getattr(port, method)(*args, **kwargs)
        except DeliveryUncertain:
            raise  # in_flight stays n: the retake treats the outcome as unknown
        except Exception:
            if method == "post":  # a card that failed with an answer (or no connection) was not delivered
                store.action_effect(key, token, n - 1, done=True)
            raise
        store.action_effect(key, token, n, done=True)
        return out

    def _already(self, port: Any, method: str, args: tuple, n: int) -> bool:
        """An earlier attempt began effect n and its outcome is unknown: was it done?"""
        if method == "send":
            check = getattr(port, "already_sent", None)
            return bool(check and check(args[0].sender, _message_id(self.claim.key, n)))
        # Teams Workflows takes no idempotency key and cannot be asked what it posted: a card is never sent
        # twice; a person is asked to check instead (docs/app.md, "Side effects").
        self.uncertain.append(n)
        route = args[0]
        who = f"person {route.person}" if getattr(route, "person", None) else f"channel {route.channel}"
        self.store.record_problem(
            "teams delivery", f"a Teams card ({self.kind}) for case {self.case_ref or '-'} to {who} may not "
            "have arrived: the app stopped while sending it", "ask them whether it arrived; if not, look at "
            "the case's deadlines in `iro due` and tell them", self.case_ref or None, {"action": self.claim.key})
        return True


def _message_id(key: str, n: int) -> str:
    """Our id for the n-th email of an action: the same on every attempt, so Sent Items can be asked."""
    return hashlib.sha256(f"{key}#{n}".encode()).hexdigest()[:32]


# ---- re-drive -------------------------------------------------------------------------------------

def redrive(bus: MessageBus) -> int:
    """Retry every released or stale action by handling again the message that caused it. Returns how
    many distinct messages were re-handled. A message that fails again is left for the next run."""
    from function_app.messages import Rejected, from_origin

    svc = bus.services
    seen: set[str] = set()
    for record in svc.store.pending_actions(stale_before=svc.now() - LEASE):
        if record.attempt >= STUCK_AFTER:
            bus.handle(Rejected("actions", f"an action ({record.kind}) for case {record.case_ref or '-'} has "
                                f"failed {STUCK_AFTER} times (last failure: {record.error or 'a crash'})",
                                "it is still retried every few minutes; fix the cause named in Application "
                                "Insights (a Teams flow URL, a Graph permission, a mailbox)", record.case_ref or None,
                                {"action": record.key}, key=f"stuck:{record.key}"))
        origin = record.detail.get("origin")
        ident = repr(sorted(origin.items())) if isinstance(origin, dict) else record.key
        if ident in seen:
            continue
        seen.add(ident)
        message = from_origin(origin, svc.store)
        if message is None:
            log.warning("action %s for case %s cannot be re-driven: no origin", record.kind, record.case_ref or "-")
            continue
        try:
            bus.handle(message)
        except Exception as exc:  # released again; the next run tries again
            log.warning("re-drive of %s for case %s failed (%s)", record.kind, record.case_ref or "-",
                        type(exc).__name__)
    return len(seen)
