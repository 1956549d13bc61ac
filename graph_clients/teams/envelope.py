"""The Teams message around a card, as a Workflows webhook receives it, and its size.

The shape is the one the Teams docs give for Adaptive Cards sent to a webhook, which the Workflows
trigger "When a Teams webhook request is received" reads (the flow posts `attachments[0].content`):
    {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                         "contentUrl": null, "content": <AdaptiveCard>}]}
Teams caps a message at about 28 KB and counts the bytes it receives, so the body is sent as compact
UTF-8 JSON with an explicit charset (without one the service may count UTF-16, halving the limit).
"""

from __future__ import annotations

import json
from typing import Any

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_LIMIT_BYTES = 28 * 1024
# Builders aim below the limit so that the person flow's extra field and Teams' own wrapping fit too.
CARD_BUDGET_BYTES = 26 * 1024


def message(card: dict[str, Any]) -> dict[str, Any]:
    """The Teams message that carries one Adaptive Card."""
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card}],
    }


def encode(body: dict[str, Any]) -> bytes:
    """The exact bytes sent: compact JSON, UTF-8."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def size(card: dict[str, Any]) -> int:
    """Bytes of the whole message carrying `card` (what Teams' limit applies to)."""
    return len(encode(message(card)))
