"""Who receives which card, from the roster (rules.model Team and Person) and a little configuration.

- a team's digest goes to the team's channel (`Team.channel`, a key whose Workflows URL is in settings);
- the IRO service digest goes to `RoutingConfig.service_channel`;
- a resolution escalation goes to the person who answers at that stage (004 s5, Appendix 1):
  stage1 the child's team manager, stage2 the team's Head of Service, stage3 the Service Director,
  ad_qa the Assistant Director (Quality Assurance);
- IRO prompts go to the IRO; breach alerts to the IRO service manager.
People are routed by user principal name (the roster's email). Roles with one holder (Service
Director, AD QA, IRO service manager) come from the configuration or else the roster's only person
with that role; none, or several, is a configuration error that says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph_clients.ports import CardRoute
from graph_clients.teams.stages import Stage, stage
from rules.errors import InputError, PolicyError, UnknownPerson
from rules.model import Child, Person, Team

ROSTER = "roster"


@dataclass(frozen=True)
class RoutingConfig:
    service_channel: str = "iro-service"   # channel key for the IRO service's digest
    service_director: str = ""             # UPN; empty: the roster's only service_director
    ad_qa: str = ""                        # UPN; empty: the roster's only ad_qa
    iro_manager: str = ""                  # UPN; empty: the roster's only iro_manager


class Routing:
    def __init__(self, teams: Mapping[str, Team], people: Mapping[str, Person], config: RoutingConfig) -> None:
        self._teams, self._people, self._config = dict(teams), dict(people), config

    @classmethod
    def from_roster(
        cls, teams: Iterable[Team], people: Iterable[Person], config: RoutingConfig | None = None
    ) -> Routing:
        by_id: dict[str, Team] = {}
        for team in teams:
            if team.team_id in by_id:
                raise PolicyError(ROSTER, f"teams[{team.team_id}]", "appears twice", "keep one row per team")
            by_id[team.team_id] = team
        return cls(by_id, {p.email.lower(): p for p in people}, config or RoutingConfig())

    # --- channels ------------------------------------------------------------------------------
    def digest_route(self, team_id: str) -> CardRoute:
        team = self.team(team_id)
        if not team.channel:
            raise PolicyError(
                ROSTER, f"teams[{team_id}].channel", "has no Teams channel key",
                "add the team's channel key to the roster and its Workflows URL to the settings",
            )
        return CardRoute(channel=team.channel)

    def service_route(self) -> CardRoute:
        if not self._config.service_channel:
            raise PolicyError("settings", "teams.service_channel", "is empty", "name the IRO service's channel key")
        return CardRoute(channel=self._config.service_channel)

    def channels(self) -> set[str]:
        """Every channel key a card may go to: check each has a Workflows URL at start-up."""
        return {t.channel for t in self._teams.values() if t.channel} | {self._config.service_channel}

    # --- people --------------------------------------------------------------------------------
    def escalation_route(self, at: str | int | Stage, child: Child) -> CardRoute:
        return CardRoute(person=self.escalation_recipient(at, child).email)

    def escalation_recipient(self, at: str | int | Stage, child: Child) -> Person:
        """The person who must respond at this stage for this child (004 s5; Appendix 1)."""
        which = stage(at)
        if which is Stage.STAGE1:
            return self.person(child.tm or self._child_team(child).tm)
        if which is Stage.STAGE2:
            team = self._child_team(child)
            if not team.hos:
                raise PolicyError(
                    ROSTER, f"teams[{team.team_id}].hos", "has no Head of Service", "add the HoS's email to the team"
                )
            return self.person(team.hos)
        if which is Stage.STAGE3:
            return self._sole("service_director", self._config.service_director)
        return self._sole("ad_qa", self._config.ad_qa)

    def iro_route(self, email: str) -> CardRoute:
        iro = self.person(email)
        if iro.role and iro.role != "iro":
            raise InputError(f"{iro.email} is on the roster as '{iro.role}', not as an IRO", "route to the child's IRO")
        return CardRoute(person=iro.email)

    def tm_route(self, child: Child) -> CardRoute:
        return CardRoute(person=self.person(child.tm or self._child_team(child).tm).email)

    def iro_manager_route(self) -> CardRoute:
        return CardRoute(person=self.iro_manager().email)

    def iro_manager(self) -> Person:
        return self._sole("iro_manager", self._config.iro_manager)

    def person(self, email: str) -> Person:
        found = self._people.get((email or "").lower())
        if found is None:
            raise UnknownPerson(
                f"'{email or '(empty)'}' is not on the roster", "add the person to the roster, or correct the email"
            )
        return found

    def team(self, team_id: str) -> Team:
        try:
            return self._teams[team_id]
        except KeyError:
            raise InputError(f"team '{team_id}' is not on the roster", "add the team or correct the id") from None

    # --- internals -----------------------------------------------------------------------------
    def _child_team(self, child: Child) -> Team:
        if not child.team:
            raise InputError(
                f"case {child.case_ref} has no team on the roster", "record the child's team", case_ref=child.case_ref
            )
        return self.team(child.team)

    def _sole(self, role: str, configured: str) -> Person:
        if configured:
            return self.person(configured)
        holders = [p for p in self._people.values() if p.role == role]
        if len(holders) != 1:
            problem = "nobody has this role" if not holders else f"{len(holders)} people have this role"
            raise PolicyError(ROSTER, f"people[role={role}]", problem, f"give one person the role, or set teams.{role}")
        return holders[0]
