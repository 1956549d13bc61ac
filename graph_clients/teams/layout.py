"""Shared layout for the card builders: header, facts, source line, dates, people, and the final build.

Dates are shown as "Tue 24 Nov 2026"; "in N days" / "N days late" count calendar days (the sweep
that chose the items knows the working-day calendar; a card only reports).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from adaptive_cards import card as ac

from rules.model import Person

VERSION = "1.5"  # the highest Adaptive Card version Teams renders


def kind_of(card: dict[str, Any]) -> str:
    """The card kind from its first body element ("card-<kind>"); "card" when it was not built here."""
    body = card.get("body") or [{}]
    ident = str(body[0].get("id", ""))
    return ident.removeprefix("card-") if ident.startswith("card-") else "card"


def fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} late"
    if days == 0:
        return "due today"
    return f"in {days} day{'s' if days != 1 else ''}"


def person_label(person: Person | None) -> str:
    """A member of staff as shown: display name, else the mailbox name (staff, never a child)."""
    if person is None:
        return "not recorded"
    return person.display_name or person.email.split("@")[0]


def clock_label(clock: str) -> str:
    """A readable name for a policy clock id when the caller gives none ("decisions_to_tm" -> "Decisions to TM")."""
    words = [w.upper() if w in {"tm", "iro", "sw", "hos", "qa", "pep"} else w for w in clock.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def header(kind: str, title: str, subtitle: str, style: str) -> ac.Container:
    return ac.Container(
        id=f"card-{kind}",
        style=style,
        bleed=True,
        items=[
            ac.TextBlock(text=title, style="heading", wrap=True),
            ac.TextBlock(text=subtitle, is_subtle=True, spacing="none", wrap=True),
        ],
    )


def facts(pairs: Sequence[tuple[str, str]]) -> ac.FactSet:
    return ac.FactSet(facts=[ac.Fact(title=t, value=v) for t, v in pairs])


def source(citation: str) -> ac.TextBlock:
    return ac.TextBlock(text=f"Source: {citation}", is_subtle=True, size="small", wrap=True, spacing="medium")


def card(fallback: str, body: Sequence[Any], acts: Sequence[Any]) -> dict[str, Any]:
    built = ac.AdaptiveCard.new().version(VERSION).fallback_text(fallback).add_items(body)
    if acts:
        built = built.add_actions(acts)
    # Through JSON so the dict holds plain values (no enums) and matches what is sent.
    return json.loads(built.create().to_json())
