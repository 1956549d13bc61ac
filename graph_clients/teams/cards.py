"""One pure builder per card kind: domain values in, an Adaptive Card 1.5 dict out.

Cards are built with the typed models of `adaptive-cards-py` (pydantic; a wrong property or enum
value fails at build time) and returned as plain JSON dicts, the `content` of a Teams message.
Every card shows the case reference, what is due, by when, who must act, and has an
`Action.OpenUrl` to the document or case folder. Response buttons (`Action.Execute`) are added as
abstract actions (see actions.py): the Workflows route removes them, a bot route keeps them.

The first body element is a Container whose id is "card-<kind>": `kind_of(card)` reads it back
(the outbox names files by it; the AdaptiveCard root allows no extra properties). The channel
digest lives in digest.py and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from adaptive_cards import card as ac

from graph_clients.teams import actions, layout
from graph_clients.teams.actions import Verb
from graph_clients.teams.digest import DigestItem, DigestLinks, digest
from graph_clients.teams.layout import clock_label, decision_facts, due_phrase, fmt, kind_of, person_label
from graph_clients.teams.privacy import Privacy
from rules.errors import InputError
from rules.model import Child, Deadline, Decision, Person, Team
from rules.resolution import stage_name
from rules.roles import RESPONDING_STAGES, role_label

__all__ = [
    "DigestItem",
    "DigestLinks",
    "Resolution",
    "breach_alert",
    "cafcass_prompt",
    "decisions_issued",
    "digest",
    "kind_of",
    "link_meeting_notice",
    "resolution_escalation",
    "significant_change_prompt",
]


@dataclass(frozen=True)
class Resolution:
    """A resolution tool entry as a card needs it (004 s5, Appendix 1). Category labels come from the policy."""

    resolution_id: str
    case_ref: str
    category: int
    category_label: str
    stage: str                     # stage1, stage2, stage3, ad_qa
    concern_summary: str
    respond_by: date | None        # None at the AD (QA): no timescale of its own, respond as soon as possible
    raised_on: date | None = None
    stage_label: str = ""          # the policy's words for the stage (rules.roles.stage_label)
    respond_within: str = ""       # "10 working days from the day it reached this stage"
    cafcass: bool = False          # a senior stage: the card carries the Cafcass prompt (004 s5.3)
    owner_role: str = ""           # who answers at the stage (rules.roles.stage_owner_role), if not the recipient's
    cafcass_with: str = ""         # whom a referral is discussed with (rules.roles.cafcass_discuss_with)


# --- the builders --------------------------------------------------------------------------
def resolution_escalation(
    resolution: Resolution,
    child: Child,
    recipient: Person,
    today: date,
    link: str,
    privacy: Privacy = Privacy(),
    display_initials: str | None = None,
    full_name: str | None = None,
) -> dict[str, Any]:
    """To the person who must respond at this stage (TM, HoS, Service Director, AD QA; 004 s5)."""
    at = stage_name(resolution.stage)
    if at not in RESPONDING_STAGES:
        raise InputError(f"unknown resolution stage '{resolution.stage}'",
                         f"use one of {', '.join(RESPONDING_STAGES)}", case_ref=child.case_ref)
    if not 1 <= resolution.category <= 13:
        raise InputError(
            f"resolution {resolution.resolution_id}: category {resolution.category} is not 1-13",
            "use the Appendix 1 category number (004 Appendix 1)",
            case_ref=child.case_ref,
        )
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    by = resolution.respond_by
    late = by is not None and by < today
    stage_words = resolution.stage_label or at
    when = f"{fmt(by)} ({due_phrase(by, today)})" if by else "as soon as possible"
    facts = [
        ("Case", label),
        ("Resolution", resolution.resolution_id),
        # "9. Drift" would render as a numbered list (Teams reads TextBlock/Fact text as markdown).
        ("Category", f"{resolution.category_label} (category {resolution.category})"),
        ("Stage", stage_words),
        ("Respond by", when + (f": {resolution.respond_within}" if resolution.respond_within else "")),
        ("Who must act", f"{person_label(recipient)}, {role_label(recipient.role or resolution.owner_role)}"),
    ]
    if resolution.raised_on:
        facts.insert(4, ("Raised", fmt(resolution.raised_on)))
    body = [
        layout.header(
            "resolution_escalation", f"Resolution at {stage_words}", label, "attention" if late else "warning",
            about=child.case_ref,
        ),
        layout.facts(facts),
        ac.TextBlock(text="Concern", weight="bolder", spacing="medium"),
        ac.TextBlock(text=privacy.concern(resolution.concern_summary), wrap=True),
    ]
    if resolution.cafcass:
        body.append(ac.TextBlock(text=cafcass_words(resolution.cafcass_with), wrap=True, spacing="medium"))
    body.append(layout.source("004 s5; App. 1" + ("; 004 s5.3" if resolution.cafcass else "")))
    kind, ref, subject = "resolution_escalation", child.case_ref, resolution.resolution_id
    acts = [
        actions.link("Open resolution entry", link),
        actions.respond(Verb.RECORD_RESPONSE, "Record response", kind=kind, case_ref=ref, subject=subject),
        actions.respond(Verb.ACKNOWLEDGE, "Acknowledge", kind=kind, case_ref=ref, subject=subject),
    ]
    fallback = f"Resolution {resolution.resolution_id} for {child.case_ref}: respond by {when}"
    return layout.card(fallback, body, acts)


def decisions_issued(
    child: Child,
    tm: Person,
    review_date: date,
    sent_on: date,
    dispute_by: date,
    link: str,
    decisions: Sequence[Decision] = (),
    privacy: Privacy = Privacy(),
    display_initials: str | None = None,
    full_name: str | None = None,
) -> dict[str, Any]:
    """To the TM: the review decisions, and the end of the window to dispute them (004 s3.1, Appendix 3)."""
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    facts = [
        ("Case", label),
        ("Review held", fmt(review_date)),
        ("Decisions sent", fmt(sent_on)),
        ("Dispute by", fmt(dispute_by)),
        ("Who must act", f"{person_label(tm)}, Team manager"),
    ]
    facts[3:3] = decision_facts(decisions, privacy)  # each in words; how many lack what standard 5 asks
    body = [
        layout.header("decisions_issued", "Review decisions issued", label, "accent", child.case_ref),
        layout.facts(facts),
        ac.TextBlock(
            text=(
                f"If you disagree with a decision, dispute it in writing to the IRO and all attendees by "
                f"{fmt(dispute_by)}; otherwise the decisions are confirmed."
            ),
            wrap=True,
        ),
        layout.source("004 s3.1; Appendix 3"),
    ]
    kind, ref = "decisions_issued", child.case_ref
    acts = [
        actions.link("Open decisions", link),
        actions.respond(Verb.ACKNOWLEDGE, "Acknowledge", kind=kind, case_ref=ref, subject=review_date.isoformat()),
    ]
    return layout.card(f"Review decisions for {child.case_ref}: dispute by {fmt(dispute_by)}", body, acts)


def significant_change_prompt(
    child: Child,
    iro: Person,
    change_label: str,
    notified_on: date,
    link: str,
    decide_by: date | None = None,
    privacy: Privacy = Privacy(),
    display_initials: str | None = None,
    full_name: str | None = None,
) -> dict[str, Any]:
    """To the IRO after a significant change is notified: convene an early review? (000 standard 11)."""
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    facts = [
        ("Case", label),
        ("Change", change_label),
        ("Notified", fmt(notified_on)),
        ("Decide by", fmt(decide_by) if decide_by else "as soon as possible"),
        ("Who must act", f"{person_label(iro)}, IRO"),
    ]
    body = [
        layout.header("significant_change_prompt", "Significant change: convene a review?", label, "warning",
                      child.case_ref),
        layout.facts(facts),
        ac.TextBlock(
            text="Decide whether this change calls for an early review of the child's care plan.", wrap=True
        ),
        layout.source("000 standard 11; 004 Appendix 2"),
    ]
    kind, ref, subject = "significant_change_prompt", child.case_ref, notified_on.isoformat()
    acts = [
        actions.link("Open case folder", link),
        actions.respond(Verb.CONVENE_REVIEW, "Convene early review", kind=kind, case_ref=ref, subject=subject),
        actions.respond(Verb.NO_REVIEW_NEEDED, "No review needed", kind=kind, case_ref=ref, subject=subject),
    ]
    return layout.card(f"Significant change for {child.case_ref}: convene a review?", body, acts)


def breach_alert(
    deadline: Deadline,
    child: Child,
    manager: Person,
    today: date,
    link: str,
    responsible: Person | None = None,
    what: str = "",
    privacy: Privacy = Privacy(),
    display_initials: str | None = None,
    full_name: str | None = None,
) -> dict[str, Any]:
    """To the IRO service manager: a statutory timescale has passed with the work not done."""
    if deadline.case_ref != child.case_ref:
        raise InputError(
            f"breach alert: deadline is for {deadline.case_ref} but the child is {child.case_ref}",
            "pass the child the deadline belongs to",
            case_ref=deadline.case_ref,
        )
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    owner = role_label((responsible.role if responsible else "") or deadline.owner_role)
    passed = deadline.due < today  # "breached" only once the due date has passed
    facts = [
        ("Case", label),
        ("What was due", what or clock_label(deadline.clock)),
        ("Due", f"{fmt(deadline.due)} ({due_phrase(deadline.due, today)})"),
        ("Whose deadline", f"{person_label(responsible)}, {owner}" if responsible else owner or "not recorded"),
        ("Alert to", f"{person_label(manager)}, {role_label(manager.role) or 'member of staff'}"),
    ]
    title = "Timescale breached" if passed else "Timescale due soon"
    facts_set = layout.facts(facts)
    facts_set.id = layout.item_id("late" if passed else "due", deadline.case_ref, deadline.clock, deadline.subject,
                                  deadline.due)
    body = [
        layout.header("breach_alert", title, label, "attention" if passed else "warning", child.case_ref),
        facts_set,
        layout.source(deadline.source or "policy"),
    ]
    acts = [
        actions.link("Open case folder", link),
        actions.respond(
            Verb.ACKNOWLEDGE, "Acknowledge", kind="breach_alert", case_ref=child.case_ref, subject=deadline.clock
        ),
    ]
    return layout.card(f"{title} for {child.case_ref}: {what or clock_label(deadline.clock)}", body, acts)


def cafcass_words(discuss_with: str) -> str:
    """`discuss_with`: the policy's roles in words (rules.roles.cafcass_discuss_with)."""
    return ("If the child's plan is still at risk, the IRO may refer to Cafcass. Before a referral the IRO "
            f"discusses it with {discuss_with or 'the IRO service'}.")


def cafcass_prompt(
    child: Child,
    recipient: Person,
    resolution_id: str,
    link: str,
    discuss_with: Sequence[Person] = (),
    privacy: Privacy = Privacy(),
    display_initials: str | None = None,
    full_name: str | None = None,
    discuss_with_roles: str = "",
) -> dict[str, Any]:
    """To the IRO and those a referral is discussed with: a resolution has reached the senior stages (004 s5.3).
    `discuss_with_roles`: the policy's roles in words (rules.roles.cafcass_discuss_with)."""
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    with_whom = ", ".join(f"{person_label(p)} ({role_label(p.role)})" for p in discuss_with) or "the IRO service"
    facts = [
        ("Case", label),
        ("Resolution", resolution_id),
        ("Discuss with", with_whom),
        ("Who must act", f"{person_label(recipient)}, {role_label(recipient.role)}"),
    ]
    body = [
        layout.header("cafcass_prompt", "Consider a Cafcass referral", label, "warning", child.case_ref),
        layout.facts(facts),
        ac.TextBlock(text=cafcass_words(discuss_with_roles), wrap=True),
        layout.source("004 s5.3; IRO Handbook 6.3"),
    ]
    return layout.card(f"Consider a Cafcass referral for {child.case_ref} (resolution {resolution_id})", body,
                       [actions.link("Open case folder", link)])


def link_meeting_notice(
    team: Team,
    iro: Person,
    tm: Person,
    due: date,
    today: date,
    link: str,
    last_held: date | None = None,
    *,
    every: str,
) -> dict[str, Any]:
    """To the link IRO and the TM: their link meeting is due (000 standard 14), every `every` ("2 months": the
    policy's LinkMeetings.interval). No child data."""
    facts = [
        ("Team", team.name or team.team_id),
        ("Due by", f"{fmt(due)} ({due_phrase(due, today)})"),
        ("Last held", fmt(last_held) if last_held else "no meeting recorded"),
        ("Who must act", f"{person_label(iro)}, link IRO, with {person_label(tm)}, Team manager"),
    ]
    body = [
        layout.header("link_meeting_notice", "Link meeting due", team.name or team.team_id, "accent", team.team_id),
        layout.facts(facts),
        ac.TextBlock(text=f"The link IRO and the team manager meet every {every}.", wrap=True),
        layout.source("000 standard 14"),
    ]
    acts = [actions.link("Open link meeting notes", link)]
    return layout.card(f"Link meeting due for {team.name or team.team_id} by {fmt(due)}", body, acts)
