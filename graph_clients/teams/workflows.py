"""Delivery through Teams Workflows (Power Automate) webhooks: the live route an unattended app can use.

App-only Microsoft Graph cannot post chat or channel messages, and Office 365 connectors are retired;
a Workflows flow triggered by "When a Teams webhook request is received" posts the card as the Flow
bot. One flow per channel (its URL in `channel_urls`, keyed by the channel key on the roster), and
one chat flow for people (`person_flow_url`) whose body also carries the recipient:

    {"type": "message", "recipient": "<UPN>", "attachments": [{"contentType":
     "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": <AdaptiveCard>}]}

The chat flow's "Post card in a chat or channel" step posts as Flow bot, in "Chat with Flow bot",
to `triggerBody()?['recipient']`, the card `triggerBody()?['attachments']?[0]?['content']`.

429 and 5xx, and failures to connect, are retried with backoff, honouring Retry-After; any other 4xx
fails at once with `DeliveryError` naming the route. A failure after the request went out (a read
timeout, a dropped connection) is NOT retried: the flow may have accepted the card and Workflows takes no
idempotency key, so a retry could post it twice. It raises `WorkflowsDeliveryUncertain`, and
function_app/once.py asks a person to check rather than send it again (docs/app.md, "Side effects").
A flow URL carries its credential in the
`sig=` query parameter: no URL appears in an exception, and httpx's request log line is redacted.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

import telemetry
from graph_clients.ports import CardRoute
from graph_clients.teams import actions, envelope
from graph_clients.teams.layout import kind_of
from rules.errors import DeliveryError, DeliveryUncertain, InputError

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 120.0
_HINTS = {
    400: "the flow refused the message: check that its trigger is 'When a Teams webhook request is received'",
    401: "the flow URL's signature was refused: copy the URL from the flow's trigger into the settings again",
    403: "the flow URL's signature was refused or the flow is turned off: check the flow and its URL",
    404: "there is no flow at this URL (deleted, or the URL is wrong): copy it from the flow's trigger again",
    413: "the message is too large for Teams: the card must be summarised",
}


class WorkflowsDeliveryError(DeliveryError):
    """A card was not delivered. `route` names the channel key or the person; never the URL."""

    def __init__(self, route: str, problem: str, status: int | None = None, attempts: int = 0) -> None:
        self.route, self.status, self.attempts = route, status, attempts
        super().__init__(f"Teams card to {route} not delivered: {problem}")


class WorkflowsDeliveryUncertain(WorkflowsDeliveryError, DeliveryUncertain):
    """The request reached the flow and its answer did not come back: it may have been posted."""


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def exponential_backoff(attempt: int) -> float:
    """Seconds to wait before retry number `attempt + 1`: 1, 2, 4, 8, ... capped at 60."""
    return min(60.0, 2.0**attempt)


class WorkflowsDelivery:
    """`TeamsCards` through Workflows webhooks. `post` returns when Teams has accepted the message."""

    def __init__(
        self,
        channel_urls: Mapping[str, str],
        person_flow_url: str | None = None,
        http: httpx.Client | None = None,
        max_retries: int = 4,
        backoff: Callable[[int], float] = exponential_backoff,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        for key, url in channel_urls.items():
            _check_url(url, f"channel '{key}'")
        if person_flow_url:
            _check_url(person_flow_url, "the person chat flow")
        self._channels = dict(channel_urls)
        self._person_url = person_flow_url
        self._owns_http = http is None
        self._http = http or httpx.Client(timeout=30.0)
        self._max_retries, self._backoff, self._sleep = max_retries, backoff, sleep
        install_log_redaction()

    @telemetry.traced("teams.deliver", lambda self, route, card: telemetry.card_attributes(route, card))
    def post(self, route: CardRoute, card: dict[str, Any]) -> None:
        name, url, body = self._prepare(route, actions.for_workflows(card))
        data = envelope.encode(body)
        if len(data) > envelope.MESSAGE_LIMIT_BYTES:
            raise WorkflowsDeliveryError(
                name, f"the message is {len(data)} bytes, over Teams' {envelope.MESSAGE_LIMIT_BYTES}: summarise it"
            )
        attempts = self._send(name, url, data)
        log.info("teams card delivered: route=%s kind=%s attempts=%d", name, kind_of(card), attempts)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> WorkflowsDelivery:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals ---------------------------------------------------------------------------
    def _prepare(self, route: CardRoute, card: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        if bool(route.channel) == bool(route.person):
            raise InputError("a card route needs a channel or a person (exactly one)",
                             "give CardRoute(person=UPN) or CardRoute(channel=KEY)")
        if route.channel:
            name = f"channel '{route.channel}'"
            url = self._channels.get(route.channel)
            if not url:
                raise WorkflowsDeliveryError(name, "no Workflows URL is configured for this channel key; add it")
            return name, url, envelope.message(card)
        name = f"person '{route.person}'"
        if not self._person_url:
            raise WorkflowsDeliveryError(name, "no chat flow URL is configured for cards to people; add it")
        return name, self._person_url, {**envelope.message(card), "recipient": route.person}

    def _send(self, name: str, url: str, data: bytes) -> int:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        last = ""
        for attempt in range(self._max_retries + 1):
            try:
                response = self._http.post(url, content=data, headers=headers)
            except _NOT_SENT as exc:  # the request never reached the flow: worth another try
                last, wait = type(exc).__name__, self._backoff(attempt)
            except httpx.TransportError as exc:  # it went out and no answer came: the flow may have it
                raise WorkflowsDeliveryUncertain(name, f"no answer ({type(exc).__name__}); not retried, the flow "
                                                 "may have accepted it", None, attempt + 1) from None
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return attempt + 1
                if status != 429 and status < 500:
                    hint = _HINTS.get(status, "the flow refused the message")
                    problem = f"HTTP {status}{_error_code(response)}; {hint}"
                    raise WorkflowsDeliveryError(name, problem, status, attempt + 1)
                last = f"HTTP {status}"
                asked = _retry_after(response)
                wait = asked if asked is not None else self._backoff(attempt)
            if attempt == self._max_retries:
                break
            log.warning("teams card to %s: %s, retry %d in %.1fs", name, last, attempt + 1, wait)
            self._sleep(min(wait, MAX_WAIT_SECONDS))
        raise WorkflowsDeliveryError(name, f"gave up after {self._max_retries + 1} attempts (last: {last})")


def _check_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise WorkflowsDeliveryError(where, "the Workflows URL must be https (copy it from the flow's trigger)")


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_code(response: httpx.Response) -> str:
    """The flow's error code, if it sent one (Power Automate: {"error": {"code": ...}}); never the message."""
    try:
        code = response.json().get("error", {}).get("code")
    except (ValueError, AttributeError):
        return ""
    return f" ({code})" if isinstance(code, str) and code.isidentifier() else ""


# --- keep flow signatures out of logs ---------------------------------------------------------
_SIG = re.compile(r"(?i)(sig=)[^&\s\"']+")


def redact(text: str) -> str:
    """The text with every `sig=` value replaced, so a flow URL can be logged safely."""
    return _SIG.sub(r"\1REDACTED", text)


class _RedactSignatures(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(str(a)) if isinstance(a, httpx.URL | str) else a for a in record.args)
        return True


def install_log_redaction() -> None:
    """httpx logs each request's full URL at INFO; redact signatures on that logger (once)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactSignatures) for f in logger.filters):
        logger.addFilter(_RedactSignatures())
