"""The message bus: each message goes to its handlers; what they return is handled next.

Bad input (rules.errors.InputError) raised by a handler is recorded as a problem for a person to see and
the bus carries on; a message marked `last` (messages.DeltaAdvanced) waits until everything else is handled; any
other exception propagates, so the queue retries the message and, after five
failures, moves it to the poison queue (which is reported too).

Each handler gets what it uses: it declares the parts of the Services it works with, its own and those of the
helpers it hands them to (`@uses("store", "policy", ...)`), and the bus gives it a `Needs` holding just those.
tests/app/test_handler_needs.py derives each handler's parts from the code and checks the declaration.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any, TypeVar

import telemetry
from function_app.messages import SOURCE_NAMES, Message, Rejected, origin_of
from function_app.once import running
from function_app.services import Services
from rules.errors import InputError

log = logging.getLogger("iro.bus")
Handler = Callable[[Message, Services], Iterable[Message] | None]
H = TypeVar("H", bound=Callable[..., Any])
PARTS = frozenset(f.name for f in fields(Services)) | {"today"}  # what a handler may declare


def uses(*parts: str) -> Callable[[H], H]:
    """Declares the parts of the Services a handler works with (module docstring); names nothing else."""
    unknown = sorted(set(parts) - PARTS)
    if unknown:
        raise TypeError(f"@uses names {unknown}, which the Services do not have (function_app/services.py)")

    def mark(handler: H) -> H:
        handler.uses = frozenset(parts)  # type: ignore[attr-defined]
        return handler
    return mark


class Needs:
    """The parts of the Services one handler declared, read live (a test may swap a port); reading any other
    part is an error naming the handler and the part, so a declaration cannot quietly fall behind the code."""

    __slots__ = ("_services", "_parts", "_handler")

    def __init__(self, services: Services, handler: Handler) -> None:
        parts = getattr(handler, "uses", None)
        if parts is None:
            raise TypeError(f"handler {_name(handler)} declares no @uses(...): say which parts of the Services "
                            "it works with")
        object.__setattr__(self, "_services", services)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_handler", _name(handler))

    def __getattr__(self, part: str) -> Any:
        if part in self._parts:
            return getattr(self._services, part)
        raise AttributeError(f"handler {self._handler} reads Services.{part} without declaring it: add "
                             f"{part!r} to its @uses(...)")

    def __setattr__(self, part: str, value: Any) -> None:
        raise AttributeError(f"handler {self._handler} sets Services.{part}: the Services are shared by every "
                             "invocation; a handling's own state is in function_app/once.Run")


def _name(handler: Handler) -> str:
    return f"{handler.__module__}.{getattr(handler, '__qualname__', handler)}"


class MessageBus:
    def __init__(self, services: Services, handlers: Mapping[type, list[Handler]]) -> None:
        self.services = services
        self.handlers = handlers
        self.needs = {h: Needs(services, h) for hs in handlers.values() for h in hs}  # checked now, not later

    def handle(self, message: Message) -> int:
        """Handle a message and everything it leads to; returns how many messages were handled."""
        queue: deque[Message] = deque([message])
        later: deque[Message] = deque()  # `last` messages: handled once nothing else is left
        handled = 0
        with running() as run:  # this handling's own state (function_app/once.Run), never the shared Services'
            while queue or later:
                current = queue.popleft() if queue else later.popleft()
                if queue and getattr(current, "last", False):
                    later.append(current)
                    continue
                handled += 1
                telemetry.annotate(case_ref=telemetry.case_of(current))  # the running span learns the case
                for handler in self.handlers.get(type(current), ()):
                    run.origin = origin_of(current)  # actions record it, for function_app/once.redrive
                    queue.extend(self._run(handler, current))
        return handled

    def _run(self, handler: Handler, message: Message) -> Iterable[Message]:
        try:
            return list(handler(message, self.needs[handler]) or ())  # type: ignore[arg-type]
        except InputError as exc:
            # the reason goes to the problem, not the log: it may name a staff member's address
            log.warning("%s from %s (case %s)", type(exc).__name__, type(message).__name__, exc.case_ref or "-")
            return [Rejected(source=SOURCE_NAMES.get(type(message), type(message).__name__), reason=exc.reason,
                             what_to_do=exc.what_to_do, case_ref=exc.case_ref,
                             payload={"error": type(exc).__name__})]
