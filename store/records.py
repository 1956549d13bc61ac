"""What the store hands back besides the domain's own types (Fact, Child, Person, Team in rules.model)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ActionRecord:
    """A side effect (document, card, e-mail, meeting) claimed for exactly-once delivery.

    `completed_at` is None while the action is claimed but not yet done: after a crash these are
    the ones `Store.pending_actions()` returns for a retry.
    """

    key: str
    kind: str
    case_ref: str
    detail: Mapping[str, Any]
    claimed_at: datetime
    completed_at: datetime | None = None
    result: Mapping[str, Any] | None = None
    token: str | None = None        # the current attempt's claim; None when released (or done)
    attempt: int = 1
    effects: int = 0                # external effects of the action confirmed done
    in_flight: int = 0              # an effect started whose outcome is unknown (0: none)
    error: str | None = None        # the kind of the last failure (an exception's class name), never text

    @property
    def done(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class Claim:
    """The right to perform one attempt of an action (Store.claim_action). Truthy."""

    key: str
    token: str
    attempt: int
    effects: int = 0                # effects an earlier attempt confirmed: not repeated
    in_flight: int = 0              # an earlier attempt's effect of unknown outcome (0: none)


@dataclass(frozen=True)
class ProblemRecord:
    """Bad input recorded for a person to see and fix (never swallowed).

    `source` says where it came from (for an import: the file and line), `reason` what is wrong,
    `what_to_do` how to fix it. None of them holds a child's name.
    """

    id: int
    source: str
    reason: str
    what_to_do: str
    case_ref: str | None
    payload: Mapping[str, Any]
    raised_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str = ""        # who resolved it (their address or user name)
    resolution_note: str = ""    # what they did, in their words (shown literally, never as markup)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "case_ref": self.case_ref, "reason": self.reason,
                "what_to_do": self.what_to_do, "payload": dict(self.payload),
                "raised_at": self.raised_at.isoformat(),
                "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
                "resolved_by": self.resolved_by or None, "resolution_note": self.resolution_note or None}


@dataclass(frozen=True)
class ConversationRef:
    """Where the bot can post to a person (1:1 chat) or a channel: a Bot Framework conversation reference.

    `key` is "person:<upn>" or "channel:<Teams channel id>". `user_id` is the person's Teams id ("29:..."),
    the id `refresh.userIds` takes.
    """

    key: str
    conversation_id: str
    service_url: str
    upn: str = ""
    user_id: str = ""
    aad_object_id: str = ""
    tenant_id: str = ""
    bot_id: str = ""
