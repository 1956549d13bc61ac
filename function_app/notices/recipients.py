"""Who a notice reaches: the one resolver of recipients, from the roster and the policy.

A notice names its audience in the policy (`notifications.notices`): roles on the child's case (iro, sw,
tm, hos, service_director, ad_qa, iro_manager) or a relation: `owner` (whose deadline it is),
`on_breach` (the clock's on_breach roles), `stage_owner` (who answers at a resolution's stage, 004 s4),
`cafcass_discuss_with` (004 s5.3) and `link_iro` (the team's link IRO, 000 standard 14). `Roster` is read
once per sweep, so resolving thousands of deadlines asks the store nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.model import Child, Deadline, Person, Team
from rules.policy import Policy
from rules.roles import AD_QA, ROLES, role_in_text, stage_owner_role

SINGLE_HOLDER = ("service_director", "ad_qa", "iro_manager")  # one per council: the roster's first
CHILD_ROLES = ("iro", "sw", "tm")  # the child's own: never anyone else's


@dataclass
class Roster:
    children: dict[str, Child]
    people: dict[str, Person]
    teams: dict[str, Team]
    service_mailbox: str

    @classmethod
    def read(cls, svc) -> Roster:
        return cls({c.case_ref: c for c in svc.store.children()}, {p.email.lower(): p for p in svc.store.people()},
                   {t.team_id: t for t in svc.store.teams()}, svc.service_mailbox)

    def person(self, email: str, role: str = "") -> Person:
        """The roster's person, or a stand-in that still carries the address (a delivery never fails on it)."""
        found = self.people.get((email or "").lower())
        return found or Person(email=email or self.service_mailbox, display_name=email or self.service_mailbox,
                               role=role)

    def in_role(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.role == role]

    def find(self, named: str) -> Person | None:
        """The person a decision names, by display name or address, if the roster knows them."""
        text = named.strip().lower()
        return next((p for p in self.people.values() if text in (p.display_name.lower(), p.email.lower())), None)


def role_holder(roster: Roster, child: Child | None, role: str) -> Person | None:
    """The person in `role` for this child, or None when the roster has nobody for it.

    The child's own IRO, SW and TM (the TM: the child's, else their team's) are never replaced by someone
    else's: a missing one is None, for the caller to raise as a problem (update the roster). The HoS is the
    team's, else the roster's only one; a council-wide role (SINGLE_HOLDER) is its roster holder."""
    direct = {"iro": child.iro, "sw": child.sw, "tm": child.tm} if child else {}
    if direct.get(role):
        return roster.person(direct[role], role)
    team = roster.teams.get(child.team) if child and child.team else None
    if role == "tm" and team and team.tm:
        return roster.person(team.tm, role)
    if role == "hos" and team and team.hos:
        return roster.person(team.hos, role)
    if role in CHILD_ROLES:
        return None  # never another child's worker
    holders = roster.in_role(role)
    return holders[0] if holders else None


def missing_roles(policy: Policy, roster: Roster, child: Child | None, kind: str) -> list[str]:
    """The roles a notice's policy audience names for this child that the roster has nobody for."""
    return [who for who in policy.notifications.channels(kind)
            if who in ROLES and role_holder(roster, child, who) is None]


def missing_words(told: dict) -> str:
    """The `missing` roles of a notice's result in words ("social worker"); "recipient" when none is named."""
    return " or ".join(role_in_text(r) for r in told.get("missing", ())) or "recipient"


def stage_owner(policy: Policy, roster: Roster, child: Child, stage: str) -> Person | None:
    """Who must respond at `stage` (004 s4; Appendix 1): the policy's owner role for the stage (None: nobody)."""
    return role_holder(roster, child, stage_owner_role(policy, stage if stage != "informal" else "stage1"))


def owner(policy: Policy, roster: Roster, child: Child | None, d: Deadline, named: str = "") -> Person:
    """Whose deadline it is: a decision's named person when the roster knows them (000 standard 5), else the
    clock's owner role for this child; a resolution stage's owner for stage clocks. When the roster has
    nobody in that role for the child, the service mailbox (never another child's worker)."""
    if named:
        found = roster.find(named)
        if found is not None:
            return found
    role = d.owner_role or "iro"
    holder: Person | None = None
    if role in ("hos", "service_director", AD_QA) and child is not None:
        stages = [s for s, st in policy.resolution.stages.items() if st.response_clock == d.clock]
        if stages:
            holder = stage_owner(policy, roster, child, stages[0])
            return holder or roster.person("", role)
    return role_holder(roster, child, role) or roster.person("", role)


def audience(policy: Policy, roster: Roster, who: str, child: Child | None, *, deadline: Deadline | None = None,
             stage: str = "", team: Team | None = None, named: str = "") -> list[Person]:
    """The people one audience entry of a notice stands for."""
    if who == "owner" and deadline is not None:
        return [owner(policy, roster, child, deadline, named)]
    if who == "on_breach" and deadline is not None:
        clock = policy.clocks.get(deadline.clock)
        roles = clock.on_breach if clock and clock.on_breach else ("iro_manager",)
        return _held(roster, child, roles)
    if who == "stage_owner" and child is not None and stage:
        return [p] if (p := stage_owner(policy, roster, child, stage)) else []
    if who == "cafcass_discuss_with":
        return _held(roster, child, policy.resolution.cafcass_discuss_with)
    if who == "link_iro":
        return [roster.person(team.link_iro, "iro")] if team and team.link_iro else []
    if who == "tm" and team is not None and child is None:
        return [roster.person(team.tm, "tm")] if team.tm else []
    if who in ("owner", "on_breach", "stage_owner", "link_iro"):
        return []
    return _held(roster, child, (who,))


def breach_answerers(policy: Policy, roster: Roster, child: Child | None, deadline: Deadline) -> list[Person]:
    """Who acknowledges a breach (the breach card's Acknowledge, from their digest line): the people the clock's
    `on_breach` roles name for this child, the managers the policy tells of it."""
    return audience(policy, roster, "on_breach", child, deadline=deadline)


def _held(roster: Roster, child: Child | None, roles) -> list[Person]:
    return [p for r in roles if (p := role_holder(roster, child, r)) is not None]
