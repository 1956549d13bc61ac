"""Routing from the roster: digests to channels, escalation stages to people (004 s5, Appendix 1)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from teams_samples import ADQA, CHILD, HOS, IRO, MANAGER, PEOPLE, SD, TEAM, TM

from graph_clients.ports import CardRoute
from graph_clients.teams.routing import Routing, RoutingConfig
from rules.errors import InputError, PolicyError, UnknownPerson
from rules.model import Person, Team

TEAM_B = Team("team-b", "Team B", tm="tm.b@council.example", hos=HOS.email, channel="")


@pytest.fixture
def routing() -> Routing:
    return Routing.from_roster([TEAM, TEAM_B], PEOPLE, RoutingConfig(service_channel="iro-service"))


def test_digests_go_to_channels(routing):
    assert routing.digest_route("team-a") == CardRoute(channel="cic-team-a")
    assert routing.service_route() == CardRoute(channel="iro-service")
    assert routing.channels() == {"cic-team-a", "iro-service"}


def test_a_team_without_channel_or_unknown_team_is_explained(routing):
    with pytest.raises(PolicyError, match=r"teams\[team-b\].channel"):
        routing.digest_route("team-b")
    with pytest.raises(InputError, match="team 'team-z' is not on the roster"):
        routing.digest_route("team-z")


@pytest.mark.parametrize(
    ("stage", "who"),
    [("stage1", TM), (1, TM), ("stage2", HOS), ("2", HOS), ("stage3", SD), ("ad_qa", ADQA)],
)
def test_each_escalation_stage_reaches_its_owner(routing, stage, who):
    assert routing.escalation_route(stage, CHILD) == CardRoute(person=who.email)
    assert routing.escalation_recipient(stage, CHILD) == who


def test_stage1_falls_back_to_the_team_manager_of_the_childs_team(routing):
    assert routing.escalation_route("stage1", replace(CHILD, tm="")) == CardRoute(person=TM.email)


def test_unknown_stage_is_refused(routing):
    with pytest.raises(InputError, match="stage1, stage2, stage3 or ad_qa"):
        routing.escalation_route("stage4", CHILD)


def test_missing_hos_or_ambiguous_role_is_a_policy_error():
    no_hos = replace(TEAM, hos="")
    with pytest.raises(PolicyError, match="Head of Service"):
        Routing.from_roster([no_hos], PEOPLE).escalation_route("stage2", CHILD)
    two = (*PEOPLE, Person("sd2@council.example", "Another", "service_director"))
    with pytest.raises(PolicyError, match=r"2 people have this role"):
        Routing.from_roster([TEAM], two).escalation_route("stage3", CHILD)
    assert Routing.from_roster([TEAM], two, RoutingConfig(service_director=SD.email)).escalation_route(
        "stage3", CHILD
    ) == CardRoute(person=SD.email)


def test_iro_and_manager_routes(routing):
    assert routing.iro_route(IRO.email.upper()) == CardRoute(person=IRO.email)
    assert routing.iro_manager_route() == CardRoute(person=MANAGER.email)
    assert routing.tm_route(CHILD) == CardRoute(person=TM.email)
    with pytest.raises(InputError, match="not as an IRO"):
        routing.iro_route(TM.email)
    with pytest.raises(UnknownPerson, match="nobody@council.example"):
        routing.iro_route("nobody@council.example")


def test_duplicate_team_is_refused():
    with pytest.raises(PolicyError, match="appears twice"):
        Routing.from_roster([TEAM, TEAM], PEOPLE)
