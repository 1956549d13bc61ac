"""Graph change notifications -> queue envelopes (the webhook's whole job), standard library only.

The webhook must answer Graph within ~3 s even on a cold start (ARCHITECTURE.md, "Flows"), so this module
imports nothing heavy: it validates the shape, checks `clientState` in constant time, and turns each item
into one queue message. Everything slow happens in the queue worker.

Envelope (one queue message, JSON): {"v": 1, "kind": "notification" | "lifecycle" | "rejected",
"received": ISO-8601, "item": {...}, "reason": str (rejected only)}. A rejected item is still queued, so the
worker records it as a problem for a person to see: nothing is swallowed. The clientState itself is never
copied into a message (it is a shared secret).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from datetime import UTC, datetime

VERSION = 1
MAX_REJECTED_BYTES = 2048  # a malformed body is kept for diagnosis, but bounded
LIFECYCLE_EVENTS = frozenset({"reauthorizationRequired", "subscriptionRemoved", "missed"})
_REQUIRED = ("subscriptionId", "changeType", "resource")


def client_state_ok(given: object, accepted: Iterable[str]) -> bool:
    """Constant-time check against every accepted secret (several while one is being rotated)."""
    if not isinstance(given, str) or not given:
        return False
    matches = [hmac.compare_digest(given.encode(), secret.encode()) for secret in accepted if secret]
    return any(matches)


def _envelope(kind: str, item: dict, now: datetime, reason: str = "") -> str:
    body = {"v": VERSION, "kind": kind, "received": now.isoformat(), "item": item}
    if reason:
        body["reason"] = reason
    return json.dumps(body, separators=(",", ":"))


def _without_secret(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "clientState"}


def rejected_body(raw: bytes, reason: str, now: datetime | None = None) -> str:
    """A queue message for a body that could not be read at all."""
    text = raw[:MAX_REJECTED_BYTES].decode("utf-8", errors="replace")
    return _envelope("rejected", {"raw": text}, now or datetime.now(UTC), reason)


def split(body: bytes, accepted_states: Iterable[str], *, lifecycle: bool = False,
          now: datetime | None = None) -> list[str]:
    """Turn a notification POST body into queue messages, one per item.

    Raises ValueError (with a reason fit for the HTTP answer) when the body is not a Graph
    notification collection at all; items that are individually wrong become "rejected" envelopes.
    """
    now = now or datetime.now(UTC)
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"body is not JSON ({exc.__class__.__name__})") from None
    items = doc.get("value") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise ValueError("body has no 'value' array of notifications")
    accepted = tuple(accepted_states)
    return [_one(item, accepted, lifecycle, now) for item in items]


def _one(item: object, accepted: tuple[str, ...], lifecycle: bool, now: datetime) -> str:
    if not isinstance(item, dict):
        return _envelope("rejected", {"raw": str(item)[:MAX_REJECTED_BYTES]}, now, "notification is not an object")
    if not client_state_ok(item.get("clientState"), accepted):
        return _envelope("rejected", _without_secret(item), now,
                         "clientState does not match: not from one of our subscriptions")
    event = item.get("lifecycleEvent")
    if lifecycle or event:
        if event not in LIFECYCLE_EVENTS:
            return _envelope("rejected", _without_secret(item), now, f"unknown lifecycleEvent {event!r}")
        return _envelope("lifecycle", _without_secret(item), now)
    missing = [k for k in _REQUIRED if not item.get(k)]
    if missing:
        return _envelope("rejected", _without_secret(item), now, f"notification lacks {', '.join(missing)}")
    return _envelope("notification", _without_secret(item), now)
