"""Every card kind: valid Adaptive Card 1.5, under Teams' 28 KB, and carrying what the issue asks for."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from teams_samples import CHILD, HOS, IRO, PEOPLE, SP, TODAY, digest_items

from graph_clients.teams import actions, cards, envelope
from graph_clients.teams.cards import DigestLinks, Resolution
from graph_clients.teams.privacy import Privacy
from rules.errors import InputError, PolicyError
from rules.model import Deadline, Status

KINDS = [
    "digest",
    "resolution_escalation",
    "decisions_issued",
    "significant_change_prompt",
    "breach_alert",
    "link_meeting_notice",
]


def texts(card: dict) -> str:
    """All the text a reader sees (TextBlocks, facts, action titles), as one string."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    walk(card.get("actions", []))
    return "\n".join(found)


def open_urls(card: dict) -> list[str]:
    return [a["url"] for a in _all_actions(card) if a.get("type") == "Action.OpenUrl"]


def _all_actions(node: object) -> list[dict]:
    out: list[dict] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            out.append(node)
        for v in node.values():
            out += _all_actions(v)
    elif isinstance(node, list):
        for v in node:
            out += _all_actions(v)
    return out


def test_every_kind_is_built(all_cards):
    assert sorted(all_cards) == sorted(KINDS)
    assert {cards.kind_of(c) for c in all_cards.values()} == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_valid_against_the_official_1_5_schema_on_both_routes(all_cards, validate, kind):
    card = all_cards[kind]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    validate(card)                          # as built (the bot route keeps Action.Execute)
    validate(actions.for_workflows(card))   # as the Workflows route posts it


@pytest.mark.parametrize("kind", KINDS)
def test_under_the_teams_message_limit(all_cards, kind):
    assert envelope.size(all_cards[kind]) < envelope.MESSAGE_LIMIT_BYTES


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "link_meeting_notice"])
def test_case_reference_due_date_actor_and_a_link(all_cards, kind):
    card = all_cards[kind]
    shown = texts(card)
    assert ("BC-10234" if kind != "digest" else "BC-20000") in shown
    assert "Who must act" in shown or "Who acts" in shown or "Whose deadline" in shown
    assert any(m in shown for m in ("Nov", "Dec"))      # by when
    assert open_urls(card) and all(u.startswith(SP) for u in open_urls(card))


def test_link_meeting_notice_names_team_people_and_due_date(all_cards):
    shown = texts(all_cards["link_meeting_notice"])
    assert "Children in Care Team A" in shown and "Amara Okafor" in shown and "Tariq Malik" in shown
    assert "Sun 29 Nov 2026" in shown and "000 standard 14" in shown


def test_schema_check_can_fail(all_cards, validate):
    broken = copy.deepcopy(all_cards["breach_alert"])
    broken["body"][1]["facts"][0]["colour"] = "red"           # not a Fact property
    with pytest.raises(AssertionError):
        validate(broken)
    old = copy.deepcopy(all_cards["breach_alert"])
    old["body"].append({"type": "Carousel", "pages": []})     # not in 1.5
    with pytest.raises(AssertionError):
        validate(old)


def test_escalation_shows_category_stage_concern_and_deadline(all_cards):
    shown = texts(all_cards["resolution_escalation"])
    for expected in ("Drift in permanency planning (category 9)", "Stage 2: Head of Service", "Permanency plan not",
                     "Fri 27 Nov 2026 (in 4 days)", "Helen Osei, Head of Service", "RES-0042"):
        assert expected in shown
    assert actions.verbs(all_cards["resolution_escalation"]) == ["record_response", "acknowledge"]


def test_escalation_refuses_an_unknown_category_or_stage():
    res = Resolution("RES-1", CHILD.case_ref, 14, "?", "stage1", "text", TODAY)
    with pytest.raises(InputError, match="category 14"):
        cards.resolution_escalation(res, CHILD, HOS, TODAY, f"{SP}/x.docx")
    res = Resolution("RES-1", CHILD.case_ref, 2, "Care plan drifting", "stage9", "text", TODAY)
    with pytest.raises(InputError, match="stage9"):
        cards.resolution_escalation(res, CHILD, HOS, TODAY, f"{SP}/x.docx")


def test_long_concern_is_cut_to_the_policy_length():
    res = Resolution("RES-2", CHILD.case_ref, 4, "Decisions not carried out", "stage1", "word " * 500, TODAY)
    card = cards.resolution_escalation(res, CHILD, HOS, TODAY, f"{SP}/x.docx", privacy=Privacy(concern_chars=100))
    concern = card["body"][3]["text"]
    assert len(concern) == 100 and concern.endswith("…")


def test_decisions_issued_shows_dispute_window_and_standard_5_defects(all_cards):
    shown = texts(all_cards["decisions_issued"])
    assert "Dispute by" in shown and "Mon 30 Nov 2026" in shown
    assert "2 (1 without a named person or timescale)" in shown
    # each decision in words with its named person and date (issue 11: never "Decision 2025-04-04-3")
    assert "Arrange a life-story work referral (SW, by Mon 21 Dec 2026)" in shown
    assert "Review family time arrangements (no named person, no timescale)" in shown


def test_significant_change_prompt_asks_the_iro_to_decide(all_cards):
    card = all_cards["significant_change_prompt"]
    assert "convene a review?" in texts(card) and "000 standard 11" in texts(card)
    assert actions.verbs(card) == ["convene_review", "no_review_needed"]


def test_breach_alert_must_match_the_child():
    deadline = Deadline("BC-99999", "review_record", TODAY - timedelta(days=1), Status.OVERDUE, owner_role="iro")
    with pytest.raises(InputError, match="BC-99999"):
        cards.breach_alert(deadline, CHILD, PEOPLE[-1], TODAY, CHILD.case_folder)


def test_links_must_be_web_or_file_urls():
    with pytest.raises(InputError, match="Open case folder"):
        cards.significant_change_prompt(CHILD, IRO, "Complaint", TODAY, "javascript:alert(1)")


# --- privacy ---------------------------------------------------------------------------------
def test_default_privacy_shows_case_reference_and_initials_never_the_name():
    card = cards.significant_change_prompt(
        CHILD, IRO, "Complaint", TODAY, CHILD.case_folder, display_initials="J.S.", full_name="Jamie Smith"
    )
    dumped = json.dumps(card)
    assert "BC-10234 (J.S.)" in dumped and "Jamie" not in dumped


def test_case_ref_policy_hides_initials_and_full_name_policy_shows_the_name():
    quiet = cards.significant_change_prompt(
        CHILD, IRO, "Complaint", TODAY, CHILD.case_folder, privacy=Privacy("case_ref"), display_initials="J.S."
    )
    assert "J.S." not in json.dumps(quiet)
    named = cards.significant_change_prompt(
        CHILD, IRO, "Complaint", TODAY, CHILD.case_folder, privacy=Privacy("full_name"), full_name="Jamie Smith"
    )
    assert "BC-10234 (Jamie Smith)" in json.dumps(named)


def test_a_name_passed_as_initials_is_refused_without_echoing_it():
    with pytest.raises(InputError) as caught:
        cards.significant_change_prompt(CHILD, IRO, "Complaint", TODAY, CHILD.case_folder, display_initials="Jamie")
    assert "Jamie" not in str(caught.value) and "BC-10234" in str(caught.value)


def test_unknown_privacy_setting_is_a_policy_error():
    with pytest.raises(PolicyError, match="teams.privacy.show"):
        Privacy("everything")  # type: ignore[arg-type]


# --- the digest ------------------------------------------------------------------------------
LINKS = DigestLinks(f"{SP}/Tracker.aspx")


def test_digest_groups_by_iro_most_urgent_first():
    card = cards.digest("Team A", digest_items(12), TODAY, 10, links=LINKS, people={p.email: p for p in PEOPLE})
    headings = [b["text"] for b in card["body"] if b["type"] == "TextBlock" and b["text"].startswith("IRO:")]
    assert headings[0].startswith("IRO: Amara Okafor")   # her group holds the most overdue item (9 days)
    assert len(headings) == 4 and any("No IRO allocated" in h for h in headings)
    tables = [b for b in card["body"] if b["type"] == "Table"]
    for table in tables:
        dues = [row["cells"][2]["items"][0]["text"] for row in table["rows"][1:]]
        assert dues == sorted(dues, key=lambda t: _day(t)), dues


def _day(text: str) -> tuple[int, int]:
    day, month = text.split(",")[0].split()
    return ({"Nov": 11, "Dec": 12}[month], int(day))


def test_digest_leaves_out_met_and_missed():
    items = digest_items(4)
    items[0] = replace(items[0], deadline=replace(items[0].deadline, status=Status.MET))
    card = cards.digest("Team A", items, TODAY, 10, links=LINKS)
    assert items[0].deadline.case_ref not in texts(card)
    assert items[1].deadline.case_ref in texts(card)


def test_digest_of_200_items_summarises_under_28_kb(validate):
    items = digest_items(200)
    card = cards.digest("IRO service", items, TODAY, 10, links=LINKS, people={p.email: p for p in PEOPLE})
    size = envelope.size(card)
    assert size < envelope.MESSAGE_LIMIT_BYTES, size
    validate(card)
    validate(actions.for_workflows(card))
    shown = texts(card)
    rows = sum(len(b["rows"]) - 1 for b in card["body"] if b["type"] == "Table")
    assert 0 < rows < 200
    assert f"…and {200 - rows} more" in shown
    assert "Open the full list" in shown and LINKS.full_list in open_urls(card)
    overdue = sum(1 for i in items if i.deadline.due < TODAY)
    assert f"{overdue} overdue, {200 - overdue} due in the next 10 working days" in shown


def test_digest_with_long_text_is_cut_until_it_fits(validate):
    wordy = [replace(i, what="A very long description of what is due " * 6) for i in digest_items(60)]
    card = cards.digest("Team A", wordy, TODAY, 10, links=LINKS, max_items=60)
    assert envelope.size(card) <= envelope.CARD_BUDGET_BYTES
    assert "more, less urgent" in texts(card)
    validate(card)


def test_empty_digest_says_so(validate):
    card = cards.digest("Team A", [], TODAY, 10, links=LINKS)
    assert "Nothing is due or overdue." in texts(card)
    validate(card)


def test_digest_needs_a_full_list_link():
    with pytest.raises(InputError, match="full list"):
        cards.digest("Team A", digest_items(3), TODAY, 10)
