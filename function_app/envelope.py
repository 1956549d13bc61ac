"""Graph change notifications -> queue envelopes (the webhook's whole job), standard library only.

The webhook must answer Graph within ~3 s even on a cold start (docs/architecture.md, "Flows"), so this module
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
MAX_BODY_BYTES = 1_048_576  # a POST larger than this is not read (Graph's batches are far smaller)
MAX_ITEMS = 500             # notifications queued per POST; the rest become a `missed` per subscription,
                            # so the worker catches them up through delta (function_app/reconcile.py)
MAX_DEPTH = 16              # nesting of an item's JSON (Graph's are three deep)
MAX_VALUE_CHARS = 2048      # a string field of an accepted notification (ids, resources)
MAX_REJECTED_BYTES = 2048   # a malformed body or item is kept for diagnosis, but bounded
QUEUE_MESSAGE_BYTES = 48_000  # 64 KiB Azure queue limit after host.json's base64 (4/3), with room to spare
LIFECYCLE_EVENTS = frozenset({"reauthorizationRequired", "subscriptionRemoved", "missed"})
_REQUIRED = ("subscriptionId", "changeType", "resource")
_KEPT = ("subscriptionId", "changeType", "resource", "resourceData", "tenantId", "lifecycleEvent",
         "subscriptionExpirationDateTime")


def client_state_ok(given: object, accepted: Iterable[str]) -> bool:
    """Constant-time check against every accepted secret (several while one is being rotated)."""
    if not isinstance(given, str) or not given:
        return False
    given_bytes = given.encode("utf-8", "surrogatepass")  # JSON may carry lone surrogates
    matches = [hmac.compare_digest(given_bytes, secret.encode()) for secret in accepted if secret]
    return any(matches)


def _envelope(kind: str, item: dict, now: datetime, reason: str = "") -> str:
    body = {"v": VERSION, "kind": kind, "received": now.isoformat(), "item": item}
    if reason:
        body["reason"] = reason[:200]
    text = json.dumps(body, separators=(",", ":"))
    if len(text.encode()) <= QUEUE_MESSAGE_BYTES:
        return text
    return _envelope("rejected", _head(item), now, f"{reason or kind}; the item was too large and is truncated")


def _head(value: object) -> dict:
    """A bounded, JSON-safe stand-in for an item that cannot be kept whole."""
    try:
        text = json.dumps(value, separators=(",", ":"), default=str)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return {"raw": text[:MAX_REJECTED_BYTES], "bytes": len(text)}


def _without_secret(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "clientState"}


def _kept(item: dict) -> dict | None:
    """The fields of a notification the worker reads, each bounded; None if one is not plain JSON data."""
    out = {}
    for k in _KEPT:
        v = item.get(k)
        if v is None:
            continue
        if isinstance(v, dict):  # resourceData: its scalar fields (id, @odata.type, @odata.etag)
            v = {a: b for a, b in v.items() if len(a) <= 100 and (isinstance(b, int | float | bool)
                                                                  or isinstance(b, str) and len(b) <= MAX_VALUE_CHARS)}
        elif not isinstance(v, str) or len(v) > MAX_VALUE_CHARS:
            return None
        out[k] = v
    return out


def _depth(value: object, limit: int) -> bool:
    """True if `value` nests no deeper than `limit` (iterative: no recursion on hostile input)."""
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return False
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return True


def rejected_body(raw: bytes, reason: str, now: datetime | None = None) -> str:
    """A queue message for a body that could not be read at all."""
    text = raw[:MAX_REJECTED_BYTES].decode("utf-8", errors="replace")
    return _envelope("rejected", {"raw": text, "bytes": len(raw)}, now or datetime.now(UTC), reason)


def split(body: bytes, accepted_states: Iterable[str], *, lifecycle: bool = False,
          now: datetime | None = None) -> list[str]:
    """Turn a notification POST body into queue messages, one per item (at most MAX_ITEMS + a few).

    Raises ValueError (with a reason fit for the HTTP answer) when the body is not a Graph
    notification collection at all; items that are individually wrong become "rejected" envelopes.
    Nothing else escapes, for any body: every message fits in a queue message.
    """
    now = now or datetime.now(UTC)
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"body is {len(body)} bytes, over {MAX_BODY_BYTES}")
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"body is not JSON ({exc.__class__.__name__})") from None
    except RecursionError:
        raise ValueError(f"body nests deeper than {MAX_DEPTH} levels") from None
    items = doc.get("value") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise ValueError("body has no 'value' array of notifications")
    accepted = tuple(accepted_states)
    out = [_one(item, accepted, lifecycle, now) for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        out += _overflow(items[MAX_ITEMS:], accepted, now)
    return out


def _overflow(rest: list, accepted: tuple[str, ...], now: datetime) -> list[str]:
    """Items past MAX_ITEMS: one rejected envelope saying how many, and a `missed` lifecycle message for each
    of our subscriptions among them, so the worker catches their changes up through delta."""
    ours = {item.get("subscriptionId") for item in rest if isinstance(item, dict)
            and isinstance(item.get("subscriptionId"), str) and len(item["subscriptionId"]) <= 200
            and client_state_ok(item.get("clientState"), accepted)}
    out = [_envelope("rejected", {"items": len(rest)}, now,
                     f"{len(rest)} notifications over the {MAX_ITEMS} read per POST; caught up through delta")]
    return out + [_envelope("lifecycle", {"subscriptionId": s, "lifecycleEvent": "missed"}, now)
                  for s in sorted(ours)[:50]]


def _one(item: object, accepted: tuple[str, ...], lifecycle: bool, now: datetime) -> str:
    if not isinstance(item, dict):
        return _envelope("rejected", _head(item), now, "notification is not an object")
    if not client_state_ok(item.get("clientState"), accepted):
        return _envelope("rejected", _head(_without_secret(item)), now,
                         "clientState does not match: not from one of our subscriptions")
    if not _depth(item, MAX_DEPTH):
        return _envelope("rejected", _head(_without_secret(item)), now, f"notification nests deeper than {MAX_DEPTH}")
    kept = _kept(item)
    if kept is None:
        return _envelope("rejected", _head(_without_secret(item)), now,
                         f"a notification field is not text of at most {MAX_VALUE_CHARS} characters")
    event = kept.get("lifecycleEvent")
    if lifecycle or event:
        if event not in LIFECYCLE_EVENTS:
            shown = event if isinstance(event, str) and event.isidentifier() and len(event) <= 40 else "(not a name)"
            return _envelope("rejected", kept, now, f"unknown lifecycleEvent {shown!r}")
        return _envelope("lifecycle", kept, now)
    missing = [k for k in _REQUIRED if not kept.get(k)]
    if missing:
        return _envelope("rejected", kept, now, f"notification lacks {', '.join(missing)}")
    return _envelope("notification", kept, now)
