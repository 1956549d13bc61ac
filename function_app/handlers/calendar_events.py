"""An IRO's calendar changed: is it a CLA review, and what happened to it (booked, moved, cancelled)?

We always fetch the event's current state, so duplicated and reordered notifications converge: the
fact key is event id + Outlook's changeKey + what happened. Events that are not reviews (the policy's
review_subject_pattern) are none of our business and leave no trace; a review with no case reference, or
one for a case not on the roster, is recorded as a problem and shown to the IRO.
"""

from __future__ import annotations

from function_app.bus import uses
from function_app.messages import CalendarChanged, FactRecorded, Message
from function_app.services import LONDON, Services
from graph_clients.ports import CalendarEvent
from rules.errors import NoCaseReference, NotFound, UnknownPerson
from rules.model import Fact, FactKind
from rules.references import find_case_ref


@uses("outlook", "policy", "store", "today")
def on_calendar_changed(msg: CalendarChanged, svc: Services) -> list[Message]:
    event = _fetch(msg, svc)
    if event is None or event.is_cancelled:
        return _cancelled(msg, event, svc)
    review = svc.policy.pattern("review_subject").search(event.subject)
    if not review:
        return []
    case_ref = find_case_ref(event.subject, svc.policy) or find_case_ref(event.body_text, svc.policy)
    if case_ref is None:
        raise NoCaseReference(f"review event {event.id} in the calendar of {msg.mailbox} has no case reference",
                              "put the child's case reference (e.g. CLA-100234) in the event's subject")
    if svc.store.child(case_ref) is None:
        raise UnknownPerson(f"review event {event.id} names case {case_ref}, which is not on the roster",
                            "correct the case reference in the event, or add the child to the roster",
                            case_ref=case_ref)
    return _booked_or_moved(event, case_ref, bool(review.groupdict().get("early")), svc)


def _fetch(msg: CalendarChanged, svc: Services) -> CalendarEvent | None:
    if msg.change_type == "deleted":
        return None
    try:
        return svc.outlook.get_event(msg.mailbox, msg.event_id)
    except NotFound:
        return None  # deleted since the notification was sent


def _cancelled(msg: CalendarChanged, event: CalendarEvent | None, svc: Services) -> list[Message]:
    case_ref = svc.store.get_state(f"event:{msg.event_id}")
    if case_ref is None:
        return []  # not a review we ever booked
    fact = Fact(FactKind.REVIEW_CANCELLED, case_ref, svc.today(), f"{msg.event_id}:cancelled",
                {"event_id": msg.event_id})
    return [FactRecorded(fact, svc.store.record(fact))]


def _booked_or_moved(event: CalendarEvent, case_ref: str, early: bool, svc: Services) -> list[Message]:
    start = event.start.astimezone(LONDON)
    known = svc.store.get_state(f"event-start:{event.id}")
    if known == start.isoformat():
        # An update that did not move the meeting (attendees, notes), or this very notification delivered
        # again after a failure: the booking's fact goes round again, so its unfinished actions are done
        # (each action is once-only by key: nothing done is repeated).
        last = _last_booking(case_ref, event.id, svc)
        return [FactRecorded(last, False)] if last else []
    kind = FactKind.REVIEW_BOOKED if known is None else FactKind.REVIEW_MOVED
    data = {"event_id": event.id, "start": start.isoformat(), "early": early, "iro": event.mailbox}
    fact = Fact(kind, case_ref, svc.today(), f"{event.id}:{event.change_key or start.isoformat()}:{kind}", data)
    new = svc.store.record(fact)
    svc.store.set_state(f"event:{event.id}", case_ref)
    svc.store.set_state(f"event-start:{event.id}", start.isoformat())
    return [FactRecorded(fact, new)]


def _last_booking(case_ref: str, event_id: str, svc: Services) -> Fact | None:
    kinds = [FactKind.REVIEW_BOOKED, FactKind.REVIEW_MOVED]
    return next((f for f in reversed(svc.store.facts(case_ref, kinds)) if f.data.get("event_id") == event_id), None)
