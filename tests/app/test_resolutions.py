"""Significant changes, resolutions, Cafcass, team transfers (issue 6; 004 s4-5, Appendices 1-3)."""

from __future__ import annotations

import json
from datetime import date

from rules.model import Fact, FactKind
from tests.app.world import ADQA, CASE, HOS, IRO, MANAGER, SERVICE, SW, TM, World


def test_significant_change_email_prompts_the_iro(world: World):
    world.email(SW, f"Significant change {CASE}", "The placement ended unexpectedly last night.", mailbox=IRO)
    [fact] = world.facts(FactKind.SIGNIFICANT_CHANGE)
    assert fact.data["change_kind"]  # classified into an Appendix 2 kind by the policy's keywords
    assert "significant_change_prompt" in world.teams.kinds(IRO)
    assert "placement ended" not in str(fact.data)  # the email's words stay in the mailbox


def test_unclassifiable_mail_is_recorded_and_shown(world: World):
    world.email(SW, f"Update {CASE}", "Please call me when you can.", mailbox=IRO)
    [problem] = world.problems()
    assert problem.case_ref == CASE and "matches no mail convention" in problem.reason
    assert problem.source == "email"  # what a person is told it came from, not a handler's name


def test_mail_without_case_reference_and_from_strangers(world: World):
    world.email(SW, "Significant change", "A child moved placement.", mailbox=IRO)
    world.email("someone@elsewhere.example", f"Significant change {CASE}", "moved", mailbox=IRO)
    reasons = sorted(p.reason for p in world.problems())
    assert "names no case reference" in reasons[0] or "names no case reference" in reasons[1]
    assert any("not on the roster" in r for r in reasons)


def test_resolution_raised_makes_entry_and_cards_the_tm(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 4 stage 1", "Decisions from the last review not carried out.")
    [raised] = world.facts(FactKind.RESOLUTION_RAISED)
    assert raised.data["resolution_id"] == f"R-{CASE}-1" and raised.data["category"] == "4"
    assert any("resolution-entry" in n for n in world.documents())
    assert "resolution_escalation" in world.teams.kinds(TM)


def test_unanswered_stage1_escalates_to_head_of_service(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 4 stage 1", "Concern.")
    world.sweep(date(2026, 4, 20))  # long past the stage 1 response time
    escalated = world.facts(FactKind.RESOLUTION_ESCALATED)
    assert escalated and escalated[0].data["to_stage"] == "stage2"
    assert "resolution_escalation" in world.teams.kinds(HOS)
    [digest] = world.digests(ADQA)  # on_breach hears in the day's digest: whose deadline, in what role
    words = json.dumps(digest)
    assert "Formal dispute resolution completed" in words and "Ada Iro, IRO" in words and "21 days late" in words
    assert "1 item overdue for more than 20 working days" in words  # the stage 1 response: counted, not listed
    assert "Timescale breached" not in json.dumps([c for _, c in world.teams.posted])


def test_response_and_resolution_update_the_entry(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 2 stage 1", "Care plan drifting.")
    world.clock.set(date(2026, 3, 4))
    world.email(TM, f"RE: Resolution {CASE} category 2 stage 1", "Plan agreed at panel.")
    world.email(IRO, f"Resolved {CASE} resolution R-{CASE}-1")
    assert len(world.facts(FactKind.RESOLUTION_RESPONDED)) == 1
    assert len(world.facts(FactKind.RESOLUTION_RESOLVED)) == 1


def test_cafcass_referral(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 9 stage 1", "Drift in permanency planning.")
    world.email(IRO, f"Cafcass discussion {CASE}", "Discussed with the service manager and AD QA.")
    world.email(IRO, f"Cafcass referral {CASE}", "Referred.")
    assert len(world.facts(FactKind.CAFCASS_REFERRED)) == 1


def test_team_transfer_with_open_resolution_alerts(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 1 stage 1", "Missing documents.")
    fact = Fact(FactKind.TEAM_TRANSFER, CASE, date(2026, 3, 3), "transfer-1", {"from_team": "T1", "to_team": "T2"})
    from function_app.messages import FactRecorded

    world.bus.handle(FactRecorded(fact, world.svc.store.record(fact)))
    assert world.heard(MANAGER)["transfer_blocked"] == {"digest"} == world.heard(TM)["transfer_blocked"]
    assert any("outstanding resolution" in p.what_to_do for p in world.problems())


def test_service_mailbox_is_the_default_for_resolution_mail(world: World):
    assert world.svc.service_mailbox == SERVICE


def test_cafcass_prompt_when_a_resolution_reaches_the_senior_stages(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 9 stage 3", "Drift in permanency planning.")
    fact = Fact(FactKind.RESOLUTION_ESCALATED, CASE, date(2026, 3, 20), "esc-1",
                {"resolution_id": f"R-{CASE}-1", "to_stage": "ad_qa"})
    from function_app.messages import FactRecorded

    world.bus.handle(FactRecorded(fact, world.svc.store.record(fact)))
    world.bus.handle(FactRecorded(fact, False))  # redelivered: one prompt each
    assert world.teams.kinds(IRO).count("cafcass_prompt") == 1
    assert world.teams.kinds(MANAGER) == ["cafcass_prompt"]  # the IRO service manager discusses it first
    # the AD (QA) has the prompt on the card of the resolution reaching them: one card, not two
    assert world.teams.kinds(ADQA) == ["resolution_escalation"] and "Cafcass" in json.dumps(world.teams.posted[-1][1])


def test_cafcass_referral_without_the_discussion_is_a_problem(world: World):
    world.clock.set(date(2026, 3, 2))
    world.email(IRO, f"Resolution {CASE} category 9 stage 1", "Drift.")
    world.email(IRO, f"Cafcass referral {CASE}", "Referred.")
    assert any("no discussion on record" in p.reason for p in world.problems())
