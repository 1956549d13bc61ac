"""Shared layout for the card builders: header, facts, source line, dates, people, and the final build.

Dates are shown as "Tue 24 Nov 2026"; "in N days" / "N days late" count calendar days (the sweep
that chose the items knows the working-day calendar; a card only reports).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rules.decisions import decision_defects, in_words
from rules.model import Decision, Person

if TYPE_CHECKING:
    from adaptive_cards import card as ac  # loaded by the builders below only: the bot's cold path needs none

    from graph_clients.teams.privacy import Privacy

VERSION = "1.5"  # the highest Adaptive Card version Teams renders


def kind_of(card: dict[str, Any]) -> str:
    """The card kind from its first body element ("card-<kind>"); "card" when it was not built here."""
    body = card.get("body") or [{}]
    ident = str(body[0].get("id", ""))
    return ident.removeprefix("card-") if ident.startswith("card-") else "card"


def about_of(card: dict[str, Any]) -> str:
    """The case reference a card is about (its header's subtitle id "about-<ref>"), "" when none."""
    body = card.get("body") or [{}]
    for item in body[0].get("items", []) if isinstance(body[0], dict) else []:
        ident = str(item.get("id", ""))
        if ident.startswith("about-"):
            return ident.removeprefix("about-")
    return ""


def ids_of(card: dict[str, Any], prefix: str) -> list[str]:
    """Every element id in the card that starts with `prefix`, the prefix removed, in document order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, str) and ident.startswith(prefix):
                found.append(ident.removeprefix(prefix))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    return found


def stamp(card: dict[str, Any], notice: str) -> dict[str, Any]:
    """Mark the card with the notice it carries (the title's id "notice-<kind>"), for the outbox index."""
    body = card.get("body") or []
    if body and isinstance(body[0], dict) and body[0].get("items"):
        body[0]["items"][0]["id"] = f"notice-{notice}"
    return card


def item_id(state: str, case_ref: str, clock: str, subject: str, due: date) -> str:
    """The id a deadline's line carries on a card: "item-<due|late>~<case>~<clock>~<subject>~<due>"."""
    return "item-" + "~".join((state, case_ref, clock, subject, due.isoformat()))


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


def decision_facts(decisions: Sequence[Decision], privacy: Privacy) -> list[tuple[str, str]]:
    """FactSet rows: how many decisions (and how many lack a named person or timescale: 000 standard 5), then
    one per decision in words with its named person and date (rules.decisions.in_words), each cut to what the
    card's privacy allows (a card is a prompt; the letter holds the full text). None when none are known."""
    if not decisions:
        return []
    defects = sum(1 for d in decisions if decision_defects(d))
    count = f"{len(decisions)}" + (f" ({defects} without a named person or timescale)" if defects else "")
    return [("Decisions", count), *((f"Decision {n}", privacy.concern(in_words(d, fmt)))
                                    for n, d in enumerate(decisions, start=1))]


def clock_label(clock: str) -> str:
    """A readable name for a policy clock id when the caller gives none ("decisions_to_tm" -> "Decisions to TM")."""
    words = [w.upper() if w in {"tm", "iro", "sw", "hos", "qa", "pep"} else w for w in clock.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def header(kind: str, title: str, subtitle: str, style: str, about: str = "") -> ac.Container:
    """The card's first element: its kind in the id ("card-<kind>") and, when it is about one case, the case
    reference in the subtitle's id ("about-<ref>"), so outboxes and tests can read both back."""
    from adaptive_cards import card as ac

    sub = ac.TextBlock(text=subtitle, is_subtle=True, spacing="none", wrap=True)
    if about:
        sub.id = f"about-{re.sub(r'[^A-Za-z0-9_-]', '_', about)}"
    return ac.Container(id=f"card-{kind}", style=style, bleed=True,
                        items=[ac.TextBlock(text=title, style="heading", wrap=True), sub])


def facts(pairs: Sequence[tuple[str, str]]) -> ac.FactSet:
    from adaptive_cards import card as ac

    return ac.FactSet(facts=[ac.Fact(title=t, value=v) for t, v in pairs])


def source(citation: str) -> ac.TextBlock:
    from adaptive_cards import card as ac

    return ac.TextBlock(id="source", text=f"Source: {citation}", is_subtle=True, size="small", wrap=True,
                        spacing="medium")


def cite_with(card: dict[str, Any], words: Callable[[str], str]) -> dict[str, Any]:
    """The card with its "Source:" line rewritten by `words` (the council's document titles for the short
    citation the builder wrote: rules.citations.for_staff)."""
    for item in card.get("body", []):
        if item.get("id") == "source" and str(item.get("text", "")).startswith("Source: "):
            item["text"] = "Source: " + words(item["text"].removeprefix("Source: "))
    return card


def card(fallback: str, body: Sequence[Any], acts: Sequence[Any]) -> dict[str, Any]:
    from adaptive_cards import card as ac

    built = ac.AdaptiveCard.new().version(VERSION).fallback_text(fallback).add_items(body)
    if acts:
        built = built.add_actions(acts)
    # Through JSON so the dict holds plain values (no enums) and matches what is sent.
    return json.loads(built.create().to_json())
