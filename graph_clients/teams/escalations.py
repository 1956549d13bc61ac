"""The weekly escalations card to the IRO service's channel: the headline numbers and a link to the dashboard.

Built from `reports.escalations.Headline` (counts only: no child, no member of staff). Adaptive Card 1.5,
validated against the official schema in tests/teams/ like every other card.
"""

from __future__ import annotations

from typing import Any

from adaptive_cards import card as ac

from graph_clients.teams import actions, layout
from graph_clients.teams.layout import fmt

KIND = "escalations"


def escalations_card(head: Any, link: str, stage_names: dict[str, str]) -> dict[str, Any]:
    """The card: open resolutions, how many are past the 20-working-day cap or close to it, by stage."""
    summary = (f"{head.open} open, {head.past_cap} past the cap, {head.cap_soon} due within {head.soon} "
               f"working days, as of {fmt(head.today)}")
    style = "attention" if head.past_cap else "warning" if head.cap_soon else "good"
    body: list[Any] = [layout.header(KIND, "Open IRO resolutions this week", summary, style)]
    body.append(layout.facts([
        ("Open", str(head.open)),
        ("Past the cap", str(head.past_cap)),
        (f"Cap due within {head.soon} working days", str(head.cap_soon)),
        ("Oldest", f"{head.oldest} working days"),
        *[(stage_names[s], str(n)) for s, n in head.by_stage.items()],
    ]))
    body.append(ac.TextBlock(text="Open the dashboard for each resolution's age, team, category and who must act.",
                             wrap=True, is_subtle=True, spacing="medium"))
    return layout.card(f"Open IRO resolutions: {summary}", body, [actions.link("Open the dashboard", link)])
