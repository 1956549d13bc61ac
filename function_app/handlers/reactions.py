"""What each new fact sets in motion: documents in the case folder, cards in Teams, emails.

Every action goes through `once` with a key derived from the fact (a notice: the fact, the channel and
the person), so a redelivered notification or a replayed fact never doubles a document or a card. After
its own actions a fact asks for a sweep of its case, so escalations follow from the new state at once
rather than the next morning.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from function_app import case_view, drafts, record_reading
from function_app.bot import notices as bot_notices
from function_app.bus import uses
from function_app.go_live import go_live_day
from function_app.messages import FactRecorded, Message, RecordSaved, Rejected, Sweep
from function_app.notices import events
from function_app.notices.recipients import missing_words
from function_app.notices.words import decision_words, decisions_of, late_reason_email
from function_app.once import once
from function_app.services import Services
from rules.errors import NotFound, StoreError
from rules.model import Fact, FactKind


@uses("alerts_from", "branding", "cal", "display_initials", "done_actions", "folder_changes", "folders", "mail",
      "now", "outlook", "policy", "service_mailbox", "store", "teams", "today")
def on_fact(msg: FactRecorded, svc: Services) -> list[Message]:
    react = REACTIONS.get(msg.fact.kind)
    follow = list(react(msg.fact, svc) or ()) if react else []
    if msg.fact.kind not in (FactKind.LINK_MEETING_HELD, FactKind.TEAM_MEETING_ATTENDED):
        follow.append(Sweep(svc.today(), (msg.fact.case_ref,)))
    return follow


LATE_BOOKING = "review booking"  # the problem a late booking raises, until its reason is recorded


def _review_booked(f: Fact, svc: Services) -> list[Message]:
    due = case_view.next_review_due(svc, f.case_ref, before=f.on)
    day = case_view.day_of(f.data["start"])
    out: list[Message] = []
    # late, and due since go-live: a review already overdue when the app went live is history, not an alert
    if due is not None and day > due and due >= go_live_day(svc, svc.today(), record=False):
        events.review_booked_late(svc, f.case_ref, day, due, f"{f.key}:booked-late")
        out.append(Rejected(LATE_BOOKING, f"review for {f.case_ref} booked for {day}, after its due date {due}",
                            _late_reason_request(svc, f.case_ref, day), f.case_ref,
                            {"event_id": f.data["event_id"], "due": due.isoformat(), "booked_for": day.isoformat()},
                            key=f"{f.key}:booked-late"))
    once(svc, f"{f.data['event_id']}:record-draft", "document", f.case_ref,
         lambda: drafts.review_record_draft(svc, f.case_ref, day))
    return out


def _late_reason_request(svc: Services, case_ref: str, day) -> str:
    return ("record why the review is out of time (it goes in the annual report, 002 Handbook 7.11): "
            + late_reason_email(svc.policy, svc.service_mailbox, case_ref, day))


def _late_reason_given(f: Fact, svc: Services) -> None:
    """The reason a late booking asked for has come: that problem is met, so it is resolved, not left open.
    A reason naming a review day answers that booking only; one without a day answers the case's."""
    day = f.data.get("review_date")
    for p in svc.store.problems(open_only=True, case_ref=f.case_ref):
        if p.source == LATE_BOOKING and (day is None or p.payload.get("booked_for") in (None, day)):
            with suppress(StoreError):  # another worker resolved it a moment ago: the same outcome
                svc.store.resolve_problem(p.id, by=f"{f.data.get('from_role') or 'staff'} by email",
                                          note=f"late reason recorded: {f.data.get('reason', '')}")


def _review_held(f: Fact, svc: Services) -> None:
    once(svc, f"{f.key}:decision-drafts", "document", f.case_ref,
         lambda: drafts.decision_drafts(svc, f.case_ref, f.on))


def _decisions_sent(f: Fact, svc: Services) -> None:
    events.decisions_issued(svc, f)


def _decisions_disputed(f: Fact, svc: Services) -> None:
    events.dispute_notice(svc, f)


def _significant_change(f: Fact, svc: Services) -> None:
    events.significant_change_prompt(svc, f)


def _resolution_step(f: Fact, svc: Services) -> list[Message]:
    """Raised, responded, escalated, resolved, good practice, Cafcass: the entry is re-rendered with the
    whole log, and whoever must act next is told."""
    once(svc, f"{f.key}:entry", "document", f.case_ref, lambda: drafts.resolution_entry(svc, f))
    if f.kind in (FactKind.RESOLUTION_RAISED, FactKind.RESOLUTION_ESCALATED):
        events.resolution_stage(svc, f)
    if f.kind == FactKind.RESOLUTION_ESCALATED and f.data.get("to_stage") in ("stage3", "ad_qa"):
        events.cafcass_prompt(svc, f)
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
    events.transfer_blocked(svc, f)
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
    told = events.introduction(svc, f.case_ref, name, f"{key}-sent")
    if not told.get("email"):
        # a fact says only what happened: the letter went to the SW
        missing = missing_words(told)
        return [Rejected(
            "introduction", f"the IRO's introduction for {f.case_ref} was not sent: the roster has no {missing} "
            "for this child", f"update the roster with the child's {missing}; the letter is in the case folder",
            f.case_ref, {"document": name, "missing": ",".join(told.get("missing", []))}, key=f"{key}:not-sent")]
    sent = Fact(FactKind.IRO_INTRODUCED, f.case_ref, svc.today(), f"{f.key}:introduced", {"document": name})
    return [FactRecorded(sent, svc.store.record(sent))]


def _record_completed(f: Fact, svc: Services) -> list[Message]:
    """004 s3.1: the completed record goes to the social worker to share (found again by the references the
    fact carries: the library's item, or the name in the case folder); earlier decisions still undone on the
    review day prompt the IRO to consider a category 4 concern (004 Appendix 1)."""
    name, review_date = str(f.data["document"]), case_view.day_of(str(f.data["review_date"]))
    out: list[Message] = []
    saved = RecordSaved(f.case_ref, name, review_date, str(f.data.get("drive_id") or ""),
                        str(f.data.get("item_id") or ""))
    try:
        content: bytes | None = record_reading.content_of(saved, svc)
    except NotFound:
        content = None  # moved since it was read: the mail attaches it from the case folder by name, if there
    told = events.distribute_record(svc, f.case_ref, name, content)
    if told.get("email"):
        # a fact says only what happened: the record went to someone (the policy's record_distributed)
        distributed = Fact(FactKind.RECORD_DISTRIBUTED, f.case_ref, svc.today(), f"{name}:distributed",
                           {"document": name, "review_date": review_date.isoformat()})
        out.append(FactRecorded(distributed, svc.store.record(distributed)))
    else:
        missing = missing_words(told)
        out.append(Rejected("review record", f"the record of the review of {f.case_ref} was not distributed: "
                            f"the roster has no {missing} for this child", f"update the roster with the child's "
                            f"{missing}, then save the record again (or send the 'Record complete' email again)",
                            f.case_ref, {"document": name, "missing": ",".join(told.get("missing", []))},
                            key=f"{name}:not-distributed"))
    carried = list(f.data.get("carried") or ())
    if carried:
        known = decisions_of(svc.store.facts(f.case_ref, [FactKind.DECISION_RECORDED]))
        events.category4_prompt(svc, f.case_ref, f"{name}:category4",
                                [decision_words(known.get(d), d) for d in carried])
    return out


REACTIONS: dict[FactKind, Callable[[Fact, Services], list[Message] | None]] = {
    FactKind.REVIEW_BOOKED: _review_booked,
    FactKind.REVIEW_MOVED: _review_booked,
    FactKind.REVIEW_HELD: _review_held,
    FactKind.REVIEW_LATE_REASON: _late_reason_given,
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
    FactKind.RECORD_COMPLETED: _record_completed,
    FactKind.DECISION_RECORDED: bot_notices.decision_recorded,
}
