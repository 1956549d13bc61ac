"""Telemetry: OpenTelemetry spans to Application Insights with case references and counts, never names or text.

    from telemetry import span, traced

    with span("worker.message", message="FactRecorded", case_ref="CLA-100777") as s:
        handled = bus.handle(message)
        s.set(handled=handled)

    @traced("teams.deliver", lambda self, route, card: card_attributes(route, card))
    def post(self, route, card): ...

Spans (names are `area.what`): `webhook.notifications` / `webhook.lifecycle`, `worker.message`,
`worker.poison`, `timer.<name>` (the sweep is `timer.daily_sweep`), `bus.handle`, `graph.<operation>`
(every Graph call, from GraphSession.run), `teams.deliver` (every Teams card, either adapter).

Privacy (children's data is special-category): an attribute is kept only if its key is in `ATTRIBUTES` and
its value is a number, a boolean or a short identifier (letters, digits and `_ . : / -`, no spaces, no `@`:
a case reference, a kind, an operation, a channel key); anything else is dropped and counted in
`iro.dropped`. Exceptions record their type only, never their message. Log records have e-mail addresses
replaced by `<address>` (`redact_logs`: a staff address is a name). HTTP libraries are not
auto-instrumented: their URLs carry mailbox addresses and Workflows signatures.
tests/deploy/test_telemetry.py runs a small demo and greps every span and log record for the demo's names.

Configuration: `configure(settings)` when APPLICATIONINSIGHTS_CONNECTION_STRING is set (azure-monitor-opentelemetry,
authenticated as the managed identity: Application Insights has local auth off). Until then every span is a
no-op and nothing of opentelemetry is imported, so the webhook's cold path stays light; the webhook starts
configuration in a background thread on its first request (`start_in_background`). Tests call `use(provider)`.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("iro.telemetry")

ATTRIBUTES = frozenset({
    "case_ref", "message", "kind", "operation", "status", "outcome", "route", "channel", "bytes", "count",
    "handled", "created", "renewed", "deleted", "lifecycle", "dequeue_count", "permission", "mode", "error.type",
})
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}")
PREFIX = "iro."

_tracer: Any = None
_lock = threading.Lock()
_started = False


class _Span:
    """What a `span` block gets: `set(**attributes)`, filtered like the span's own."""

    def __init__(self, span: Any = None) -> None:
        self._span = span

    def set(self, **attributes: Any) -> None:
        if self._span is not None:
            self._span.set_attributes(safe(attributes))


def safe(attributes: dict[str, Any]) -> dict[str, Any]:
    """Only allowed keys with identifier-like values, prefixed `iro.`; the number dropped as `iro.dropped`."""
    kept, dropped = {}, 0
    for key, value in attributes.items():
        if value is None:
            continue
        if key in ATTRIBUTES and (isinstance(value, bool | int | float) or
                                  (isinstance(value, str) and "@" not in value and _SAFE.fullmatch(value))):
            kept[PREFIX + key] = value
        else:
            dropped += 1
    if dropped:
        kept[PREFIX + "dropped"] = dropped
    return kept


@contextmanager
def span(name: str, **attributes: Any) -> Iterator[_Span]:
    tracer = _tracer
    if tracer is None:
        yield _Span()
        return
    from opentelemetry.trace import Status, StatusCode

    with tracer.start_as_current_span(name, attributes=safe(attributes), record_exception=False,
                                      set_status_on_exception=False) as current:
        try:
            yield _Span(current)
        except BaseException as exc:
            current.set_attribute(PREFIX + "error.type", type(exc).__name__)
            current.set_status(Status(StatusCode.ERROR))  # no description: an exception's text is not ours
            raise


def traced(name: str | Callable[..., str], attributes: Callable[..., dict[str, Any]] | None = None,
           result: str | None = None) -> Callable:
    """Decorator: the call in a span. `name` may be a function of the call's arguments; `attributes(*args,
    **kwargs)` gives the span's attributes; `result="handled"` records an int return value under that key."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            if _tracer is None:
                return fn(*args, **kwargs)
            title = name(*args, **kwargs) if callable(name) else name
            with span(title, **(attributes(*args, **kwargs) if attributes else {})) as current:
                value = fn(*args, **kwargs)
                if result and isinstance(value, int):
                    current.set(**{result: value})
                elif result and isinstance(value, dict):
                    current.set(**{k: v for k, v in value.items() if isinstance(v, int)})
                return value

        return call

    return wrap


def annotate(**attributes: Any) -> None:
    """Add attributes to the span that is running (e.g. the case a queue message turned out to be about)."""
    if _tracer is None:
        return
    from opentelemetry import trace

    trace.get_current_span().set_attributes(safe(attributes))


def case_of(message: Any) -> str | None:
    """The case reference a bus message is about, if it carries one (directly or in its fact)."""
    return getattr(message, "case_ref", None) or getattr(getattr(message, "fact", None), "case_ref", None)


def card_attributes(route: Any, card: dict) -> dict[str, Any]:
    """A Teams delivery: the card's kind, a channel key (never a person's address) and the case if the card is
    about one (an action's data, else the card's "Case" fact; a digest names many, so none)."""
    from graph_clients.teams.layout import kind_of

    channel = getattr(route, "channel", None)
    return {"kind": kind_of(card), "route": "channel" if channel else "person", "channel": channel,
            "case_ref": _case_in(card)}


def _case_in(node: Any, depth: int = 0) -> str | None:
    if depth > 8:
        return None
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("case_ref"), str):
            return data["case_ref"]
        if node.get("title") == "Case" and isinstance(node.get("value"), str) and node["value"].split():
            return node["value"].split()[0]  # the "Case" fact: "CLA-100001 (J.S.)" -> the reference only
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _case_in(child, depth + 1) if isinstance(child, dict | list) else None
            if found:
                return found
    return None


ADDRESS = re.compile(r"[A-Za-z0-9._+'-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.I)  # also URL-encoded
_redacting = False


def redact(text: str) -> str:
    """A log line without e-mail addresses (staff addresses are their names)."""
    return ADDRESS.sub("<address>", text) if "@" in text or "%40" in text else text


def redact_logs() -> None:
    """Every log record from here on has its addresses replaced, whichever handler ships it (the Functions
    host's, Application Insights', a console). Installed once, by the Functions app (function_app/__init__.py)."""
    global _redacting
    if _redacting:
        return
    _redacting = True
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return record
        if "@" in message or "%40" in message:
            record.msg, record.args = redact(message), ()
        return record

    logging.setLogRecordFactory(factory)


def enabled() -> bool:
    return _tracer is not None


def use(provider: Any) -> None:
    """Install a TracerProvider (tests: an InMemorySpanExporter behind a SimpleSpanProcessor); None: off."""
    global _tracer
    _tracer = None if provider is None else provider.get_tracer("iro")


def configure(settings: Any) -> bool:
    """Export to Application Insights when the settings have a connection string; True if now enabled.
    Authenticates as the managed identity (settings.graph.client_id) when IRO_USE_MANAGED_IDENTITY is true."""
    global _started
    with _lock:
        if _tracer is not None or not settings.telemetry_connection_string:
            return _tracer is not None
        _started = True
        from azure.monitor.opentelemetry import configure_azure_monitor
        from opentelemetry import trace

        graph = settings.graph
        credential = None
        if graph is not None and graph.use_managed_identity:
            from azure.identity import ManagedIdentityCredential

            credential = ManagedIdentityCredential(client_id=graph.client_id or None)
        off = {"enabled": False}
        configure_azure_monitor(
            connection_string=settings.telemetry_connection_string, credential=credential,
            logger_name="iro",  # our loggers only: their messages carry case references, never names
            enable_live_metrics=False,
            instrumentation_options={k: off for k in ("azure_sdk", "django", "fastapi", "flask", "psycopg2",
                                                      "requests", "urllib", "urllib3")},
        )
        use(trace.get_tracer_provider())
        log.info("telemetry to Application Insights is on")
        return True


def start_in_background(settings_factory: Callable[[], Any]) -> None:
    """From the webhook: configure once, on a daemon thread, so a cold start never waits for it."""
    global _started
    if _started or _tracer is not None:
        return
    _started = True

    def run() -> None:
        try:
            configure(settings_factory())
        except Exception as exc:  # telemetry must never take the webhook down
            log.warning("telemetry not configured: %s", type(exc).__name__)

    threading.Thread(target=run, name="iro-telemetry", daemon=True).start()
