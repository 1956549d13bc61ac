"""HTTP triggers: Graph's change and lifecycle notifications (the cold-start-critical path).

Graph flags an endpoint slower than ~3 s and then drops notifications for every subscription on the URL,
so these functions import only azure.functions and the standard library (test: tests/app/test_cold_path.py).
"""

from __future__ import annotations

import logging
import typing

import azure.functions as func

import telemetry
from function_app import envelope, settings

bp = func.Blueprint()

# Microsoft's worker reads these annotations at indexing and refuses the whole app over one it cannot
# read: it accepts `func.Out[typing.List[str]]` but not `func.Out[list[str]]` (tests/app/test_discovery.py).
log = logging.getLogger("iro.webhook")


def _receive(req: func.HttpRequest, msgs: func.Out, lifecycle: bool) -> func.HttpResponse:
    token = req.params.get("validationToken")
    if token is not None:
        # Subscription validation handshake: echo the token as text/plain within 10 s.
        return func.HttpResponse(token, status_code=200, mimetype="text/plain")
    body = req.get_body() or b""
    try:
        messages = envelope.split(body, settings.client_states(), lifecycle=lifecycle)
    except ValueError as exc:
        msgs.set([envelope.rejected_body(body, str(exc))])  # kept for a person to see, not dropped
        log.warning("rejected a notification body: %s", exc)
        return func.HttpResponse(f"Not a Graph notification: {exc}", status_code=400, mimetype="text/plain")
    except Exception as exc:  # never a 5xx: Graph would retry the same body, and then drop the URL
        reason = f"body could not be read ({type(exc).__name__})"
        msgs.set([envelope.rejected_body(body, reason)])
        log.error("rejected a notification body: %s", reason)
        return func.HttpResponse(f"Not a Graph notification: {reason}", status_code=400, mimetype="text/plain")
    msgs.set(messages)
    log.info("queued %d notification(s)", len(messages))
    return func.HttpResponse(status_code=202)


@bp.function_name("graph_webhook")
@bp.route(route="notifications", methods=["POST"])
@bp.queue_output(arg_name="msgs", queue_name=settings.QUEUE, connection=settings.STORAGE)
def graph_webhook(req: func.HttpRequest, msgs: func.Out[typing.List[str]]) -> func.HttpResponse:  # noqa: UP006
    """Change notifications for IRO calendars and mailboxes and the service mailbox."""
    return _traced(req, msgs, lifecycle=False)


@bp.function_name("graph_lifecycle")
@bp.route(route="lifecycle", methods=["POST"])
@bp.queue_output(arg_name="msgs", queue_name=settings.QUEUE, connection=settings.STORAGE)
def graph_lifecycle(req: func.HttpRequest, msgs: func.Out[typing.List[str]]) -> func.HttpResponse:  # noqa: UP006
    """Lifecycle notifications: reauthorizationRequired, subscriptionRemoved, missed."""
    return _traced(req, msgs, lifecycle=True)


def _traced(req: func.HttpRequest, msgs: func.Out, lifecycle: bool) -> func.HttpResponse:
    """_receive in a span (telemetry/); the first request starts telemetry on a background thread."""
    if settings.telemetry_wanted():
        telemetry.start_in_background(settings.AppSettings.from_env)
    with telemetry.span("webhook.lifecycle" if lifecycle else "webhook.notifications") as span:
        response = _receive(req, msgs, lifecycle)
        span.set(status=response.status_code, count=len(getattr(msgs, "get", list)() or ()))
    return response
