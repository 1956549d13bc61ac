"""The message bus: each message goes to its handlers; what they return is handled next.

Bad input (rules.errors.InputError) raised by a handler is recorded as a problem for a person to see and
the bus carries on; a message marked `last` (messages.DeltaAdvanced) waits until everything else is handled; any
other exception propagates, so the queue retries the message and, after five
failures, moves it to the poison queue (which is reported too).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping

import telemetry
from function_app.messages import SOURCE_NAMES, Message, Rejected, origin_of
from function_app.once import running
from function_app.services import Services
from rules.errors import InputError

log = logging.getLogger("iro.bus")
Handler = Callable[[Message, Services], Iterable[Message] | None]


class MessageBus:
    def __init__(self, services: Services, handlers: Mapping[type, list[Handler]]) -> None:
        self.services = services
        self.handlers = handlers

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
            return list(handler(message, self.services) or ())
        except InputError as exc:
            log.warning("%s: %s (case %s)", type(exc).__name__, exc.reason, exc.case_ref or "-")
            return [Rejected(source=SOURCE_NAMES.get(type(message), type(message).__name__), reason=exc.reason,
                             what_to_do=exc.what_to_do, case_ref=exc.case_ref,
                             payload={"error": type(exc).__name__})]
