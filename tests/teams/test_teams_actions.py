"""Abstract actions: links on every route, responses (Action.Execute) only where a bot receives them."""

from __future__ import annotations

import copy

from graph_clients.teams import actions, envelope


def test_workflows_rendering_drops_responses_and_keeps_links(all_cards, validate):
    card = all_cards["significant_change_prompt"]
    before = copy.deepcopy(card)
    posted = actions.for_workflows(card)
    assert actions.verbs(posted) == []
    assert [a["type"] for a in posted["actions"]] == ["Action.OpenUrl"]
    assert card == before                       # the builder's card is not changed
    validate(posted)


def test_bot_rendering_keeps_responses_with_references_only(all_cards):
    card = actions.for_bot(all_cards["resolution_escalation"])
    execute = [a for a in card["actions"] if a["type"] == "Action.Execute"]
    assert [a["verb"] for a in execute] == ["record_response", "acknowledge"]
    assert execute[0]["data"] == {"kind": "resolution_escalation", "case_ref": "BC-10234", "subject": "RES-0042"}


def test_execute_anywhere_is_removed_and_empty_action_sets_go():
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "ActionSet", "actions": [{"type": "Action.Execute", "verb": "acknowledge"}]},
            {"type": "Container", "items": [], "selectAction": {"type": "Action.Execute", "verb": "x"}},
        ],
    }
    posted = actions.for_workflows(card)
    assert posted["body"] == [{"type": "Container", "items": []}]


def test_envelope_is_the_teams_message_shape(all_cards):
    card = all_cards["breach_alert"]
    assert envelope.message(card) == {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }
    assert envelope.size(card) == len(envelope.encode(envelope.message(card)))


def test_a_digest_lines_answer_says_where_to_answer_on_the_workflows_route(validate):
    from datetime import date

    from graph_clients.teams import digest
    from rules.model import Person

    lines = (digest.Line("CLA-100001", "Carry out: Dental check", date(2026, 3, 2), "Ben Worker, Social worker",
                         answer=("decision", "2026-01-28-2")),
             digest.Line("CLA-100001", "Decisions sent to you", date(2026, 2, 4), "Cara Manager, Team manager",
                         answer=("decisions", "2026-01-28")))
    card = digest.personal(Person("sw@x.example", "Ben Worker", "sw"), [digest.Section("Due soon", lines)],
                           date(2026, 2, 2), digest.DigestLinks("https://x.example/list"))
    assert sorted(a["data"]["subject"] for a in _executes(actions.for_bot(card))) == ["2026-01-28", "2026-01-28-2"]
    posted = actions.for_workflows(card)
    text = str(posted)
    assert actions.verbs(posted) == [] and '"Decision done CLA-100001 review 2026-01-28 no 2"' in text
    assert "reply to the decisions email" in text
    validate(posted)


def _executes(node) -> list[dict]:
    if isinstance(node, dict):
        here = [node] if node.get("type") == "Action.Execute" else []
        return here + [a for v in node.values() for a in _executes(v)]
    return [a for v in node for a in _executes(v)] if isinstance(node, list) else []
