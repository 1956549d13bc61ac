"""Graph failures as the project's own exceptions: ODataError never leaves graph_clients/.

    404, 410            -> NotFound
    429                 -> Throttled (retry_after from Retry-After), after the SDK's RetryHandler gave up
    401, 403            -> PermissionDenied naming the least-privilege application permission needed
    5xx, timeouts,
    connection failures -> Unavailable
    anything else       -> GraphError (a request this code got wrong: a bug to fix, not to retry)

Messages name the operation, the status and Graph's error code only: Graph's own message can echo
request content, and nothing about a child may reach a log.
"""

from __future__ import annotations

import concurrent.futures

from rules.errors import GraphError, NotFound, PermissionDenied, Throttled, Unavailable

SUBSCRIBED = ("Calendars.Read or Mail.Read (the permission to read the subscribed resource); a drive root: "
              "Files.ReadWrite.All (docs/permissions.md)")

# The least-privilege APPLICATION permission each operation needs (docs/permissions.md explains).
PERMISSIONS = {
    "calendar.get_event": "Calendars.Read",
    "calendar.list_events": "Calendars.Read",
    "calendar.delta": "Calendars.Read",
    "calendar.create_meeting": "Calendars.ReadWrite",
    "calendar.update_meeting": "Calendars.ReadWrite",
    "calendar.busy": "Calendars.ReadBasic",
    "mail.get_message": "Mail.Read",
    "mail.attachments": "Mail.Read",
    "mail.delta": "Mail.Read",
    "mail.send": "Mail.Send",
    "mail.reply": "Mail.Send",
    "case_folders.ensure_folder": "Sites.Selected (write grant on the case-folder site)",
    "case_folders.save": "Sites.Selected (write grant on the case-folder site)",
    "case_folders.read": "Sites.Selected (read grant on the case-folder site)",
    "case_folders.set_metadata": "Sites.Selected (write grant on the case-folder site)",
    "roster.read": "Sites.Selected (read grant on the site holding the roster export)",
    "drives.delta": "Sites.Selected (read grant on the case-folder site)",
    "drives.read_item": "Sites.Selected (read grant on the case-folder site)",
    # Graph's create-subscription page (driveItem): its limits hold for managing a subscription (get, update,
    # delete) as for creating one, so a 403 on any of these for a drive root names Files.ReadWrite.All too
    **{op: SUBSCRIBED for op in ("subscriptions.create", "subscriptions.renew", "subscriptions.delete",
                                 "subscriptions.list")},
}

TRANSIENT = {500, 502, 503, 504}


def translate(exc: BaseException, operation: str) -> GraphError:
    """The project exception for any failure raised while running `operation` against Graph."""
    if isinstance(exc, GraphError):
        return exc
    status = getattr(exc, "response_status_code", None)
    if status is not None:
        return _from_status(exc, int(status), operation)
    if isinstance(exc, concurrent.futures.TimeoutError | TimeoutError):
        return Unavailable(f"{operation}: Graph did not answer in time")
    if _is_transport_error(exc):
        return Unavailable(f"{operation}: cannot reach Graph ({type(exc).__name__})")
    return GraphError(f"{operation}: unexpected {type(exc).__name__} from the Graph SDK")


def _from_status(exc: BaseException, status: int, operation: str) -> GraphError:
    main = getattr(exc, "error", None)
    code = getattr(main, "code", None) or "unknown"
    headers = {k.lower(): v for k, v in (getattr(exc, "response_headers", None) or {}).items()}
    request_id = headers.get("request-id")
    text = f"{operation}: Graph answered {status} {code}"
    if status in (404, 410):
        return NotFound(text, status=status, request_id=request_id)
    if status == 429:
        return Throttled(text, retry_after=_seconds(headers.get("retry-after")), status=status, request_id=request_id)
    if status in (401, 403):
        return PermissionDenied(text, permission=PERMISSIONS.get(operation), status=status, request_id=request_id)
    if status in TRANSIENT:
        return Unavailable(text, status=status, request_id=request_id)
    return GraphError(text, status=status, request_id=request_id)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _is_transport_error(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, httpx.TransportError | ConnectionError | OSError)
