"""What each new fact sets in motion: documents in the case folder, cards in Teams, emails.

Every action goes through `once` with a key derived from the fact, so a redelivered notification or a
replayed fact never doubles a document or a card. After its own actions a fact asks for a sweep of its
case, so reminders and escalations follow from the new state at once rather than the next morning.
"""

from __future__ import annotations

from collections.abc import Callable

from function_app import case_view, drafts, notices
from function_app.messages import FactRecorded, Message, Rejected, Sweep
from function_app.once import once
from function_app.services import Services
from rules.model import Fact, FactKind


def on_fact(msg: FactRecorded, svc: Services) -> list[Message]:
    react = REACTIONS.get(msg.fact.kind)
    follow = list(react(msg.fact, svc) or ()) if react else []
    if msg.fact.kind not in (FactKind.LINK_MEETING_HELD, FactKind.TEAM_MEETING_ATTENDED):
        follow.append(Sweep(svc.today(), (msg.fact.case_ref,)))
    return follow


def _review_booked(f: Fact, svc: Services) -> list[Message]:
    due = case_view.next_review_due(svc, f.case_ref, before=f.on)
    day = case_view.day_of(f.data["start"])
    out: list[Message] = []
    if due is not None and day > due:
        once(svc, f"{f.key}:booked-late", "breach_alert", f.case_ref,
             lambda: notices.review_booked_late(svc, f.case_ref, day, due))
        out.append(Rejected("review booking", f"review for {f.case_ref} booked for {day}, after its due date {due}",
                            "record the reason the review is out of time (it goes in the annual report, "
                            "Handbook 7.11): email 'Late review CLA-… review YYYY-MM-DD reason CODE' to the "
                            "service mailbox (codes: the policy's report.late_reasons)", f.case_ref,
                            {"event_id": f.data["event_id"], "due": due.isoformat()}, key=f"{f.key}:booked-late"))
    once(svc, f"{f.data['event_id']}:record-draft", "document", f.case_ref,
         lambda: drafts.review_record_draft(svc, f.case_ref, day))
    return out


def _review_held(f: Fact, svc: Services) -> None:
    once(svc, f"{f.key}:decision-drafts", "document", f.case_ref,
         lambda: drafts.decision_drafts(svc, f.case_ref, f.on))


def _decisions_sent(f: Fact, svc: Services) -> None:
    once(svc, f"{f.key}:card", "card", f.case_ref, lambda: notices.decisions_issued(svc, f))


def _decisions_disputed(f: Fact, svc: Services) -> None:
    once(svc, f"{f.key}:mail", "mail", f.case_ref, lambda: notices.dispute_notice(svc, f))


def _significant_change(f: Fact, svc: Services) -> None:
    once(svc, f"{f.key}:card", "card", f.case_ref, lambda: notices.significant_change_prompt(svc, f))


def _resolution_step(f: Fact, svc: Services) -> list[Message]:
    """Raised, responded, escalated, resolved, good practice, Cafcass: the entry is re-rendered with the
    whole log, and whoever must act next is told."""
    once(svc, f"{f.key}:entry", "document", f.case_ref, lambda: drafts.resolution_entry(svc, f))
    if f.kind in (FactKind.RESOLUTION_RAISED, FactKind.RESOLUTION_ESCALATED):
        once(svc, f"{f.key}:card", "card", f.case_ref, lambda: notices.resolution_card(svc, f))
    if f.kind == FactKind.RESOLUTION_ESCALATED and f.data.get("to_stage") in ("stage3", "ad_qa"):
        rid = f.data.get("resolution_id")
        once(svc, f"cafcass-prompt:{rid}", "mail", f.case_ref, lambda: notices.cafcass_prompt(svc, f.case_ref, rid))
    if f.kind == FactKind.CAFCASS_REFERRED:
        res = case_view.resolution(svc, f.case_ref, str(f.data.get("resolution_id", "")))
        if res is not None and res.cafcass_discussed_on is None:
            return [Rejected("cafcass referral", f"{f.case_ref} referred to Cafcass with no discussion on record",
                             "004 s5.3: record the discussion with the IRO service manager and the AD (QA) "
                             "('Cafcass discussion' email)", f.case_ref, key=f"{f.key}:no-discussion")]
    return []


def _team_transfer(f: Fact, svc: Services) -> list[Message]:
    if not case_view.open_resolution(svc, f.case_ref):
        return []
    once(svc, f"{f.key}:blocked", "breach_alert", f.case_ref, lambda: notices.transfer_alert(svc, f))
    return [Rejected("team transfer", f"case {f.case_ref} moved team with a resolution still open",
                     "a case with an outstanding resolution must not transfer (004 Appendix 1): resolve it "
                     "or move the case back", f.case_ref, key=f"{f.key}:blocked")]


def _became_looked_after(f: Fact, svc: Services) -> list[Message]:
    """000 standard 3; 002: the IRO's introduction letter and the NAIRO pledge at the start of care."""
    key = f"{f.key}:introduction"
    once(svc, key, "document", f.case_ref, lambda: drafts.introduction_letter(svc, f.case_ref, f.on))
    record = svc.store.action(key)
    name = (record.result or {}).get("name") if record and record.done else None
    if not name:
        return []
    once(svc, f"{key}-sent", "mail", f.case_ref, lambda: notices.introduction(svc, f.case_ref, name))
    sent = Fact(FactKind.IRO_INTRODUCED, f.case_ref, svc.today(), f"{f.key}:introduced", {"document": name})
    return [FactRecorded(sent, svc.store.record(sent))]


REACTIONS: dict[FactKind, Callable[[Fact, Services], list[Message] | None]] = {
    FactKind.REVIEW_BOOKED: _review_booked,
    FactKind.REVIEW_MOVED: _review_booked,
    FactKind.REVIEW_HELD: _review_held,
    FactKind.DECISIONS_SENT: _decisions_sent,
    FactKind.DECISIONS_DISPUTED: _decisions_disputed,
    FactKind.SIGNIFICANT_CHANGE: _significant_change,
    FactKind.RESOLUTION_RAISED: _resolution_step,
    FactKind.RESOLUTION_RESPONDED: _resolution_step,
    FactKind.RESOLUTION_ESCALATED: _resolution_step,
    FactKind.RESOLUTION_RESOLVED: _resolution_step,
    FactKind.GOOD_PRACTICE: _resolution_step,
    FactKind.CAFCASS_REFERRED: _resolution_step,
    FactKind.TEAM_TRANSFER: _team_transfer,
    FactKind.BECAME_LOOKED_AFTER: _became_looked_after,
}
