"""The role and stage vocabulary: who the people are and which stage of a resolution each one answers at.

One home for these words; cards, emails, documents, digests and the CLI import them. Who owns a stage
and what it is called come from the policy (`resolution.stages`, `resolution.breach_role`), so a council
that names its stages differently changes the policy file, not this module. The roster's `Person.role`
holds one of ROLES.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rules.policy import Policy

ROLES = ("iro", "sw", "tm", "hos", "service_director", "ad_qa", "iro_manager")

ROLE_LABELS = {
    "iro": "IRO",
    "sw": "Social worker",
    "tm": "Team manager",
    "hos": "Head of Service",
    "service_director": "Service Director",
    "ad_qa": "Assistant Director (Quality Assurance)",
    "iro_manager": "IRO service manager",
}

# Roles that manage others: their messages are batched hardest (docs/notifications.md).
MANAGERS = ("tm", "hos", "service_director", "ad_qa", "iro_manager")

# The stages at which someone must respond (004 s4-5): the three formal stages, then the AD (QA) when a
# resolution is not resolved in timescale (004 Appendix 1).
FORMAL_STAGES = ("stage1", "stage2", "stage3")
AD_QA = "ad_qa"
RESPONDING_STAGES = (*FORMAL_STAGES, AD_QA)
NEXT_STAGE = {"stage1": "stage2", "stage2": "stage3", "stage3": AD_QA}
OTHER_STATES = {"informal": "Informal", "resolved": "Resolved", "good_practice": "Good practice recorded"}


def role_label(role: str) -> str:
    """"tm" -> "Team manager"; an unknown role is shown as written."""
    return ROLE_LABELS.get(role, role.replace("_", " ").capitalize() if role else "")


def role_in_text(role: str) -> str:
    """The role's label inside a sentence: "the team manager", "the Head of Service", "the IRO"."""
    label = role_label(role)
    return label[:1].lower() + label[1:] if label[1:] == label[1:].lower() else label


def stage_owner_role(policy: Policy, stage: str) -> str:
    """The roster role that answers at `stage` (the policy's owner_role; breach_role for the AD (QA))."""
    if stage in policy.resolution.stages:
        return policy.resolution.stages[stage].owner_role
    return policy.resolution.breach_role if stage == AD_QA else "iro_manager"


def stage_label(policy: Policy, stage: str, numbered: bool = True) -> str:
    """"stage2" -> "Stage 2: Head of Service" (the policy's label); "ad_qa" -> the breach role's label."""
    if stage in policy.resolution.stages:
        label = policy.resolution.stages[stage].label
        return f"Stage {stage.removeprefix('stage')}: {label}" if numbered else label
    if stage == AD_QA:
        return role_label(policy.resolution.breach_role)
    return OTHER_STATES.get(stage, stage)


def cafcass_discuss_with(policy: Policy) -> str:
    """Whom an IRO discusses a Cafcass referral with first (004 s5.3), in words: the policy's
    resolution.cafcass_discuss_with, e.g. "the IRO service manager and the Assistant Director (Quality
    Assurance)"."""
    names = [f"the {role_label(r)}" for r in policy.resolution.cafcass_discuss_with]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "the IRO service"
