"""Cards people act on through the bot (Universal Actions): the view of one question, rendered per person.

The builders in cards.py make the card a notice starts with; this module renders the *answerable* view the bot
sends and returns from every `adaptiveCard/action` invoke: what is asked, who has answered what and when, and
the buttons the viewer may press. Pure: a `View` and the viewer's `Choice`s in, an Adaptive Card 1.5 dict out.

- Buttons are `Action.Execute` with a verb (function_app/bot/answers.py holds the verbs) and
  `data = {kind, case_ref, subject, v}`: references only, and `v`, the number of answers the card was drawn
  at, which makes a double click or a retried invoke the same answer (the fact's key holds it).
- A choice that needs words or a date opens its own small form (`Action.ShowCard`), so "Dispute" asks for the
  reason and "Ask for more time" for the date, each with its own send button.
- `refresh.userIds` names the people concerned (their Teams ids), so Teams fetches each of them their own
  view (verb `refresh`) when they open the chat; everyone else sees the read-only view the card was sent with.

Cards are built as plain JSON (the shape Teams receives) and validated against the vendored 1.5 schema in
tests/teams, like the builders in cards.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_clients.teams.layout import VERSION

REFRESH = "refresh"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_REFRESH_USERS = 60  # Teams refreshes automatically for at most 60 users


@dataclass(frozen=True)
class Field:
    """One input a choice needs: free text (multi-line) or a date, with the limits the bot also enforces."""

    id: str
    label: str
    kind: str = "text"            # text | date
    required: bool = True
    min: str | None = None        # ISO dates for kind="date"
    max: str | None = None
    placeholder: str = ""


@dataclass(frozen=True)
class Choice:
    verb: str
    title: str
    inputs: tuple[Field, ...] = ()
    style: str = "default"        # default | positive | destructive


@dataclass(frozen=True)
class View:
    """What every viewer sees of one question (function_app/bot/views.py reads it from the facts)."""

    kind: str                     # decisions | resolution | significant_change | decision | breach
    case_ref: str
    subject: str
    version: int                  # answers recorded so far (the `v` in every button's data)
    title: str
    label: str                    # the child as the policy lets a card show it
    facts: tuple[tuple[str, str], ...]
    history: tuple[str, ...] = () # "Accepted by Helen Osei, Tue 1 Dec 2026 14:03"
    source: str = ""
    style: str = "accent"
    link: str = ""                # the case folder or document
    closed: str = ""              # why nobody can answer any more ("The window closed on ...")
    user_ids: tuple[str, ...] = field(default_factory=tuple)  # Teams ids of the people concerned


def data_of(view: View) -> dict[str, Any]:
    return {"kind": view.kind, "case_ref": view.case_ref, "subject": view.subject, "v": view.version}


def render(view: View, choices: Sequence[Choice] = (), notice: str = "", notice_ok: bool = True) -> dict[str, Any]:
    """The card for one viewer: `choices` are what they may do now (none: the read-only view)."""
    body: list[dict[str, Any]] = [
        {"type": "Container", "id": f"card-answer_{view.kind}", "style": view.style, "bleed": True, "items": [
            {"type": "TextBlock", "text": view.title, "style": "heading", "wrap": True},
            {"type": "TextBlock", "text": view.label, "isSubtle": True, "spacing": "None", "wrap": True},
        ]},
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in view.facts]},
    ]
    if notice:
        body.append({"type": "TextBlock", "id": "notice", "text": notice, "wrap": True, "weight": "Bolder",
                     "color": "Good" if notice_ok else "Attention"})
    if view.history:
        body.append({"type": "TextBlock", "text": "Answers", "weight": "Bolder", "spacing": "Medium"})
        body.extend({"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"} for line in view.history)
    if view.closed:
        body.append({"type": "TextBlock", "id": "closed", "text": view.closed, "wrap": True, "isSubtle": True})
    if view.source:
        body.append({"type": "TextBlock", "text": f"Source: {view.source}", "isSubtle": True, "size": "Small",
                     "wrap": True, "spacing": "Medium"})
    actions = [_action(view, c) for c in choices]
    if view.link:
        actions.append({"type": "Action.OpenUrl", "title": "Open case folder", "url": view.link})
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION,
                            "fallbackText": f"{view.title}: {view.case_ref}", "body": body}
    if actions:
        card["actions"] = actions
    if view.user_ids:
        card["refresh"] = {"action": {"type": "Action.Execute", "verb": REFRESH, "title": "Refresh",
                                      "data": data_of(view)},
                           "userIds": list(view.user_ids)[:MAX_REFRESH_USERS]}
    return card


def _action(view: View, choice: Choice) -> dict[str, Any]:
    execute = {"type": "Action.Execute", "id": f"answer-{choice.verb}", "verb": choice.verb,
               "title": choice.title if not choice.inputs else f"Send: {choice.title.rstrip('…')}",
               "data": data_of(view)}
    if choice.style != "default":
        execute["style"] = choice.style
    if not choice.inputs:
        return execute
    form = {"type": "AdaptiveCard", "body": [_input(choice.verb, f) for f in choice.inputs], "actions": [execute]}
    return {"type": "Action.ShowCard", "id": f"open-{choice.verb}", "title": choice.title, "card": form}


def _input(verb: str, f: Field) -> dict[str, Any]:
    element: dict[str, Any] = {"id": f.id, "label": f.label, "isRequired": f.required,
                               "errorMessage": f"{f.label} is needed"}
    if f.kind == "date":
        element["type"] = "Input.Date"
        if f.min:
            element["min"] = f.min
        if f.max:
            element["max"] = f.max
    else:
        element.update(type="Input.Text", isMultiline=True, maxLength=2000)
        if f.placeholder:
            element["placeholder"] = f.placeholder
    return element
