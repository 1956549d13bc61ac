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
from graph_clients.teams.layout import clock_label, due_phrase, fmt, kind_of, person_label
from graph_clients.teams.privacy import Privacy
from graph_clients.teams.stages import LABELS, OWNER_ROLE, role_label, stage
from rules.errors import InputError
from rules.model import Child, Deadline, Decision, Person, Team

__all__ = [
    "DigestItem",
    "DigestLinks",
    "Resolution",
    "breach_alert",
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
    respond_by: date
    raised_on: date | None = None


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
    at = stage(resolution.stage)
    if not 1 <= resolution.category <= 13:
        raise InputError(
            f"resolution {resolution.resolution_id}: category {resolution.category} is not 1-13",
            "use the Appendix 1 category number (004 Appendix 1)",
            case_ref=child.case_ref,
        )
    label = privacy.child_label(child.case_ref, display_initials, full_name)
    late = resolution.respond_by < today
    facts = [
        ("Case", label),
        ("Resolution", resolution.resolution_id),
        # "9. Drift" would render as a numbered list (Teams reads TextBlock/Fact text as markdown).
        ("Category", f"{resolution.category_label} (category {resolution.category})"),
        ("Stage", LABELS[at]),
        ("Respond by", f"{fmt(resolution.respond_by)} ({due_phrase(resolution.respond_by, today)})"),
        ("Who must act", f"{person_label(recipient)}, {role_label(recipient.role or OWNER_ROLE[at])}"),
    ]
    if resolution.raised_on:
        facts.insert(4, ("Raised", fmt(resolution.raised_on)))
    body = [
        layout.header(
            "resolution_escalation", f"Resolution at {LABELS[at]}", label, "attention" if late else "warning"
        ),
        layout.facts(facts),
        ac.TextBlock(text="Concern", weight="bolder", spacing="medium"),
        ac.TextBlock(text=privacy.concern(resolution.concern_summary), wrap=True),
        layout.source("004 s5; Appendix 1 (escalation to AD QA when not resolved in timescale)"),
    ]
    kind, ref, subject = "resolution_escalation", child.case_ref, resolution.resolution_id
    acts = [
        actions.link("Open resolution entry", link),
        actions.respond(Verb.RECORD_RESPONSE, "Record response", kind=kind, case_ref=ref, subject=subject),
        actions.respond(Verb.ACKNOWLEDGE, "Acknowledge", kind=kind, case_ref=ref, subject=subject),
    ]
    fallback = f"Resolution {resolution.resolution_id} for {child.case_ref}: respond by {fmt(resolution.respond_by)}"
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
    if decisions:
        # 000 standard 5: a decision needs a named person and a timescale; say how many lack them.
        defects = sum(1 for d in decisions if not d.named_person or not (d.due or d.timescale))
        count = f"{len(decisions)}" + (f" ({defects} without a named person or timescale)" if defects else "")
        facts.insert(3, ("Decisions", count))
    body = [
        layout.header("decisions_issued", "Review decisions issued", label, "accent"),
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
        layout.header("significant_change_prompt", "Significant change: convene a review?", label, "warning"),
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
    owner = role_label(deadline.owner_role)
    facts = [
        ("Case", label),
        ("What was due", what or clock_label(deadline.clock)),
        ("Due", f"{fmt(deadline.due)} ({due_phrase(deadline.due, today)})"),
        ("Who must act", f"{person_label(responsible)}, {owner}" if responsible else owner or "not recorded"),
        ("Alert to", f"{person_label(manager)}, IRO service manager"),
    ]
    body = [
        layout.header("breach_alert", "Timescale breached", label, "attention"),
        layout.facts(facts),
        layout.source(deadline.source or "policy"),
    ]
    acts = [
        actions.link("Open case folder", link),
        actions.respond(
            Verb.ACKNOWLEDGE, "Acknowledge", kind="breach_alert", case_ref=child.case_ref, subject=deadline.clock
        ),
    ]
    return layout.card(f"Timescale breached for {child.case_ref}: {what or clock_label(deadline.clock)}", body, acts)


def link_meeting_notice(
    team: Team,
    iro: Person,
    tm: Person,
    due: date,
    today: date,
    link: str,
    last_held: date | None = None,
) -> dict[str, Any]:
    """To the link IRO and the TM: their two-monthly link meeting is due (000 standard 14). No child data."""
    facts = [
        ("Team", team.name or team.team_id),
        ("Due by", f"{fmt(due)} ({due_phrase(due, today)})"),
        ("Last held", fmt(last_held) if last_held else "no meeting recorded"),
        ("Who must act", f"{person_label(iro)}, link IRO, with {person_label(tm)}, Team manager"),
    ]
    body = [
        layout.header("link_meeting_notice", "Link meeting due", team.name or team.team_id, "accent"),
        layout.facts(facts),
        ac.TextBlock(text="The link IRO and the team manager meet every two months.", wrap=True),
        layout.source("000 standard 14"),
    ]
    acts = [actions.link("Open link meeting notes", link)]
    return layout.card(f"Link meeting due for {team.name or team.team_id} by {fmt(due)}", body, acts)
