"""The weekly escalations card: Adaptive Card 1.5 (the official schema), the headline numbers and the link."""

from __future__ import annotations

import json
from datetime import date

from graph_clients.teams.escalations import escalations_card
from reports.escalations import Headline, stage_names
from rules.policy import load_policy

LINK = "https://council.sharepoint.example/sites/iro/Case%20folders/IRO-SERVICE/escalations.html"


def _card(**over):
    head = Headline(date(2026, 3, 30), open=7, past_cap=2, cap_soon=3,
                    by_stage={"informal": 1, "stage1": 3, "stage2": 1, "stage3": 0, "ad_qa": 2}, oldest=41, soon=5)
    return escalations_card(head.__class__(**{**head.__dict__, **over}), LINK, stage_names(load_policy()))


def test_the_card_is_valid_and_shows_the_numbers_and_the_link(validate):
    card = _card()
    validate(card)
    assert card["version"] == "1.5"
    text = json.dumps(card)
    assert "7 open, 2 past the cap, 3 due within 5 working days" in text
    facts = {f["title"]: f["value"] for item in card["body"] if item.get("type") == "FactSet" for f in item["facts"]}
    assert facts["Past the cap"] == "2" and facts["Stage 1: Team Manager"] == "3"
    assert facts["Oldest"] == "41 working days"
    (action,) = card["actions"]
    assert (action["type"], action["title"], action["url"]) == ("Action.OpenUrl", "Open the dashboard", LINK)
    assert card["body"][0]["style"] == "attention"


def test_a_calm_week_is_not_red(validate):
    card = _card(past_cap=0, cap_soon=0)
    validate(card)
    assert card["body"][0]["style"] == "good"
