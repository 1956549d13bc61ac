"""Abstract actions on a card, and how each delivery route renders them.

A card carries two sorts of action:
- *links* (`Action.OpenUrl`): open the document or case folder. Every route shows them.
- *responses* (`Action.Execute` with a `verb` from `Verb` and `data` naming the card kind, case
  reference and subject, never a name): "Acknowledge", "Record response", "Convene a review?".
  They need a bot (Microsoft 365 Agents SDK) to receive the `adaptiveCard/action` invoke. A
  Workflows webhook posts as the Flow bot, which cannot receive them, so `for_workflows` removes
  them; the bot adapter (a later issue) posts the card as built (`for_bot`).

So a new route is one more adapter with its own rendering function, not a change to the builders.
"""

from __future__ import annotations

import copy
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rules.errors import InputError

if TYPE_CHECKING:
    from adaptive_cards import card as ac  # loaded when a button is built: the bot's cold path builds none

EXECUTE = "Action.Execute"
_LINK_SCHEMES = ("https", "http", "file")


class Verb(StrEnum):
    """What a response button asks the bot to record. The value is the stored verb: add, never rename."""

    ACKNOWLEDGE = "acknowledge"              # the recipient has seen it (escalation, decisions, breach)
    RECORD_RESPONSE = "record_response"      # a stage owner's response to a resolution (004 s5.1)
    CONVENE_REVIEW = "convene_review"        # IRO convenes an early review (000 standard 11)
    NO_REVIEW_NEEDED = "no_review_needed"    # IRO decides no early review is needed (standard 11)


def link(title: str, url: str) -> ac.ActionOpenUrl:
    """An `Action.OpenUrl` to a document or case folder (https for SharePoint, file:// locally)."""
    from adaptive_cards import card as ac

    scheme = urlsplit(url).scheme.lower() if url else ""
    if scheme not in _LINK_SCHEMES:
        raise InputError(
            f"the link for '{title}' is not an http(s) or file URL",
            "pass the document's or case folder's webUrl from the case folder port",
        )
    return ac.ActionOpenUrl(title=title, url=url)


def respond(verb: Verb, title: str, *, kind: str, case_ref: str, subject: str = "") -> ac.ActionExecute:
    """An `Action.Execute` for the bot route; `data` carries references only."""
    from adaptive_cards import card as ac

    data = {"kind": kind, "case_ref": case_ref, "subject": subject}
    return ac.ActionExecute(id=f"respond-{verb}", verb=str(verb), title=title, data=data)


def for_workflows(card: dict[str, Any]) -> dict[str, Any]:
    """The card as a Workflows webhook can post it: responses removed, links kept (the input is not changed)."""
    return _without_execute(copy.deepcopy(card))


def for_bot(card: dict[str, Any]) -> dict[str, Any]:
    """The card as a bot posts it: everything kept. The bot adapter handles the verbs."""
    return copy.deepcopy(card)


def verbs(card: dict[str, Any]) -> list[str]:
    """Every response verb on the card, in document order (for tests and the bot adapter)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == EXECUTE:
                found.append(str(node.get("verb", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


# What a digest line's "Answer" (verb "open", teams/digest.py) says where the bot cannot take it: the email
# conventions of docs/operations.md (the policy's `mail:` rules), so the demand can still be met.
def where_to_answer(data: dict[str, Any]) -> str:
    kind, case_ref, subject = data.get("kind"), data.get("case_ref", ""), str(data.get("subject", ""))
    if kind == "decision" and subject.count("-") == 3:
        review, number = subject.rsplit("-", 1)
        return f"Done? Email the service mailbox: \"Decision done {case_ref} review {review} no {number}\"."
    if kind == "decisions":
        return "To dispute any, reply to the decisions email saying which and why; otherwise they stand."
    return "Answer in the IRO app in Teams, or by the email in docs/operations.md."


def _answer_hint(node: Any) -> Any:
    """An ActionSet of digest "Answer" buttons becomes the words saying where to answer instead."""
    acts = node.get("actions") or []
    if node.get("type") == "ActionSet" and acts and all(a.get("type") == EXECUTE and a.get("verb") == "open"
                                                        for a in acts):
        return {"type": "TextBlock", "text": where_to_answer(acts[0].get("data") or {}), "wrap": True,
                "isSubtle": True, "size": "small"}
    return node


def _without_execute(node: Any) -> Any:
    if isinstance(node, list):
        node = [_answer_hint(n) if isinstance(n, dict) else n for n in node]
        kept = [_without_execute(n) for n in node if not (isinstance(n, dict) and n.get("type") == EXECUTE)]
        # An ActionSet left with no actions shows nothing, and a ShowCard whose form lost its send button
        # (the bot's answer forms) leads nowhere: drop them rather than post an empty row or a dead form.
        return [n for n in kept if not (isinstance(n, dict) and (
            (n.get("type") == "ActionSet" and not n["actions"])
            or (n.get("type") == "Action.ShowCard" and not (n.get("card") or {}).get("actions"))))]
    if isinstance(node, dict):
        out = {k: _without_execute(v) for k, v in node.items()}
        if isinstance(out.get("selectAction"), dict) and out["selectAction"].get("type") == EXECUTE:
            del out["selectAction"]
        if isinstance(out.get("refresh"), dict) and (out["refresh"].get("action") or {}).get("type") == EXECUTE:
            del out["refresh"]  # automatic refresh asks the bot too
        return out
    return node
