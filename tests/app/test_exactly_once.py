"""Exactly once and nothing lost: crashes, poison messages, bad envelopes (issue 6, behaviour 3)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from function_app import runtime
from graph_clients.teams.layout import ids_of
from rules.model import Child, Fact, FactKind
from tests.app.world import CASE, IRO, MANAGER, SERVICE, SW, TM, World

VISIBILITY = timedelta(seconds=30)  # host.json visibilityTimeout: a failed message is seen again after this
KILLED_HOST = timedelta(minutes=10)  # a message a dead host had taken is visible again after this


class HostKilled(BaseException):
    """The process dies: no except clause runs, nothing is released."""


def _decisions(world: World) -> str:
    return f"Users/{world.svc.service_mailbox}/Messages/msg-{world.n}"  # the last email, delivered again


def test_a_failed_action_is_retried_by_the_next_delivery_at_the_real_visibility_timeout(world: World):
    world.channels("decisions_issued", tm="card")  # a card of its own: its delivery is watched
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    world.teams.posted.clear()
    world.teams.fail_next = 1
    with pytest.raises(ConnectionError):  # the queue will redeliver this message
        world.email(IRO, f"Review decisions {CASE} review 2026-03-28")
    assert world.teams.posted == []
    world.clock.at += VISIBILITY
    world.notify(_decisions(world))  # redelivery of the same message
    world.notify(_decisions(world))  # and a duplicate after that
    assert world.teams.kinds(TM) == ["decisions_issued"]


def test_a_failed_action_of_a_message_gone_is_redriven_by_the_timer(world: World):
    world.channels("decisions_issued", tm="card")  # a card of its own: its delivery is watched
    world.teams.fail_next = 1
    with pytest.raises(ConnectionError):
        world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    # no redelivery comes (say the message was deleted by hand): the redrive timer finishes it
    world.clock.at += timedelta(minutes=5)
    assert runtime.redrive_actions(bus=world.bus) >= 1
    assert world.teams.kinds(TM) == ["decisions_issued"]
    assert runtime.redrive_actions(bus=world.bus) == 0


def test_a_killed_host_after_the_claim_is_finished_by_the_redelivery(world: World, monkeypatch):
    from graph_clients.teams import cards

    world.channels("decisions_issued", tm="card")  # a card of its own: its delivery is watched
    real = cards.decisions_issued
    monkeypatch.setattr(cards, "decisions_issued", lambda *a, **k: (_ for _ in ()).throw(HostKilled()))
    with pytest.raises(HostKilled):  # claimed, then the host dies while the card is being made
        world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    monkeypatch.setattr(cards, "decisions_issued", real)
    world.clock.at += VISIBILITY
    world.notify(_decisions(world))  # the claim is still live: not doubled by a quick duplicate
    assert world.teams.kinds(TM) == []
    world.clock.at += KILLED_HOST
    world.svc.done_actions.clear()
    world.notify(_decisions(world))
    assert world.teams.kinds(TM) == ["decisions_issued"]


def test_a_killed_host_after_the_card_went_never_sends_it_twice(world: World):
    world.channels("decisions_issued", tm="card")  # a card of its own: its delivery is watched
    real = world.teams.post

    def post_then_die(route, card):
        real(route, card)
        raise HostKilled
    world.teams.post = post_then_die
    with pytest.raises(HostKilled):
        world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    world.teams.post = real
    world.clock.at += KILLED_HOST
    world.notify(_decisions(world))
    world.clock.at += KILLED_HOST
    runtime.redrive_actions(bus=world.bus)
    assert world.teams.kinds(TM) == ["decisions_issued"]
    [problem] = [p for p in world.problems() if p.source == "teams delivery"]  # a person is asked to check
    assert CASE in problem.reason and problem.case_ref == CASE


def _disputed(world: World) -> list[str]:
    """Who got the dispute notice by email (004 s3.1: the IRO and the SW, one email each), in order sent."""
    return [to for m in world.svc.mail.sent if m.subject.startswith("Review decisions disputed") for to in m.to]


def test_a_killed_host_after_an_email_checks_sent_items(world: World):
    real, sent = world.svc.mail.send, []

    def send_then_die(mail):
        real(mail)
        sent.append(mail)
        raise HostKilled
    world.svc.mail.send = send_then_die
    with pytest.raises(HostKilled):  # the dispute notice (004 s3.1) went to the IRO, then the host died
        world.email(TM, f"RE: Review decisions {CASE} review 2026-01-28", "I dispute decision 3.")
    del world.svc.mail.send
    assert _disputed(world) == [IRO] and sent[0].idempotency_key
    checked = []
    real_check = world.svc.mail.already_sent
    world.svc.mail.already_sent = lambda *a: checked.append(a) or real_check(*a)
    world.clock.at += KILLED_HOST
    world.notify(_decisions(world))
    assert checked == [(SERVICE, sent[0].idempotency_key)]  # the IRO's found in Sent Items by our id: not resent
    assert sorted(_disputed(world)) == [IRO, SW]  # and the SW's, never sent before, went once
    assert world.svc.store.pending_actions() == []


def test_a_killed_host_before_an_email_left_sends_it_on_the_retake(world: World):
    def die(mail):
        raise HostKilled
    world.svc.mail.send = die
    with pytest.raises(HostKilled):
        world.email(TM, f"RE: Review decisions {CASE} review 2026-01-28", "I dispute decision 3.")
    del world.svc.mail.send
    assert _disputed(world) == []
    world.clock.at += VISIBILITY
    world.notify(_decisions(world))  # the dead host's claim on the IRO's is still live: not doubled
    assert IRO not in _disputed(world)
    world.clock.at += KILLED_HOST
    world.notify(_decisions(world))
    world.notify(_decisions(world))
    assert sorted(_disputed(world)) == [IRO, SW]  # not in Sent Items: sent on the retake, once each


def test_a_killed_host_after_a_nested_email_checks_sent_items(world: World):
    """The consultation forms: an action (documents) holding a per-person mail action, through
    notices/deliver.send. The host dies after the email left: neither action sends it again."""
    from rules.model import FactKind as K

    world.book("evt-1", datetime(2026, 3, 30, 10, tzinfo=UTC))
    real = world.svc.mail.send

    def send_then_die(mail):
        real(mail)
        raise HostKilled
    world.svc.mail.send = send_then_die
    day = date(2026, 3, 2)
    while not world.svc.mail.sent and day < date(2026, 3, 30):
        try:
            world.sweep(day)
        except HostKilled:
            break
        day += timedelta(days=1)
    del world.svc.mail.send
    forms = [m for m in world.svc.mail.sent if m.kind == "consultation_forms"]
    assert [m.to for m in forms] == [(SW,)] and not world.facts(K.CONSULTATION_SENT)
    world.clock.at += KILLED_HOST
    runtime.redrive_actions(bus=world.bus)
    world.sweep(day)
    assert [m.to for m in world.svc.mail.sent if m.kind == "consultation_forms"] == [(SW,)]
    assert len(world.facts(K.CONSULTATION_SENT)) == 1  # it did go: the fact says so, once
    assert world.svc.store.pending_actions() == []


def test_redelivered_calendar_notification_finishes_its_actions(world: World, monkeypatch):
    from function_app.notices import deliver

    real, calls = deliver.note, []

    def store_down(svc, email, notice):  # the late-booking digest lines cannot be written (twice)
        calls.append(email)
        if len(calls) <= 2:
            raise ConnectionError("store unreachable (test)")
        return real(svc, email, notice)
    monkeypatch.setattr(deliver, "note", store_down)
    with pytest.raises(ConnectionError):
        world.book("evt-1", datetime(2026, 2, 9, 10, tzinfo=UTC))
    assert world.facts(FactKind.REVIEW_BOOKED)
    assert sorted(calls) == [IRO, MANAGER]  # both were tried
    assert not any("review-record" in n for n in world.documents())
    world.clock.at += VISIBILITY
    world.notify(f"Users/{IRO}/Events/evt-1")  # the start is already saved: the actions must still finish
    world.notify(f"Users/{IRO}/Events/evt-1")
    assert world.heard(IRO).get("review_booked_late") == {"digest"}
    assert world.heard(MANAGER).get("review_booked_late") == {"digest"}
    late = [n for who in (IRO, MANAGER) for n in deliver.pending_notes(world.svc, who)
            if n["kind"] == "review_booked_late"]
    assert len(late) == 2  # the IRO and the IRO service manager, once each
    assert any("review-record" in n for n in world.documents())


def test_one_failing_recipient_neither_resends_to_the_others_nor_loses_itself(world: World):
    real, calls = world.svc.mail.send, []

    def fail_for_iro(mail):
        calls.append(mail.to)
        if mail.to == (IRO,) and calls.count((IRO,)) == 1:
            raise ConnectionError("Graph unreachable (test)")
        real(mail)
    world.svc.mail.send = fail_for_iro
    with pytest.raises(ConnectionError):  # the dispute notice: the IRO and the SW each get an email
        world.email(TM, f"RE: Review decisions {CASE} review 2026-01-28", "I dispute decision 3.")
    assert _disputed(world) == [SW]  # the IRO's failure did not stop the SW's
    world.clock.at += VISIBILITY
    world.notify(_decisions(world))
    world.notify(_decisions(world))
    assert sorted(_disputed(world)) == [IRO, SW]
    assert calls.count((SW,)) == 1


def test_one_failing_card_recipient_neither_resends_to_the_others_nor_loses_itself(world: World):
    world.channels("decisions_issued", tm="card", iro="card")  # a council that wants both told by a card
    real, calls = world.teams.post, []

    def fail_for_iro(route, card):
        calls.append(route.person)
        if route.person == IRO and calls.count(IRO) == 1:
            raise ConnectionError("Teams unreachable (test)")
        real(route, card)
    world.teams.post = fail_for_iro
    with pytest.raises(ConnectionError):
        world.email(IRO, f"Review decisions {CASE} review 2026-01-28")
    assert [r.person for r, _ in world.teams.posted] == [TM]  # the IRO's failure did not stop the TM's
    world.clock.at += VISIBILITY
    world.notify(_decisions(world))
    world.notify(_decisions(world))
    assert sorted(r.person for r, _ in world.teams.posted) == sorted([IRO, TM])


def test_one_failing_case_does_not_stop_the_sweep_or_the_digests(world: World, monkeypatch):
    from function_app.handlers import sweep

    world.book("evt-1", datetime(2026, 1, 28, 10, tzinfo=UTC))
    world.svc.store.upsert_child(Child("CLA-100002", date(2026, 1, 5), "C2", IRO, SW, TM, "T1", ""))
    world.svc.store.record(Fact(FactKind.BECAME_LOOKED_AFTER, "CLA-100002", date(2026, 1, 5), "la:2", {}))
    real = sweep.deadlines

    def broken(case_ref, *a, **kw):
        if case_ref == CASE:
            raise ValueError("bad facts")
        return real(case_ref, *a, **kw)
    monkeypatch.setattr(sweep, "deadlines", broken)
    world.teams.posted.clear()
    with pytest.raises(runtime.Incomplete):  # after the rest is done: the timer's retry policy runs it again
        world.sweep(date(2026, 2, 23))
    # the digests still went, one per person in their own chat, with the other case's deadlines
    assert all(r.person and not r.channel for r, _ in world.teams.posted)
    assert len(world.digests(IRO)) == 1 and len(world.digests(MANAGER)) == 1
    items = ids_of(world.digests(IRO)[0], "item-")
    assert any(i.startswith("late~CLA-100002~first_review~") for i in items)
    assert not any(f"~{CASE}~" in i for i in items)  # the failing case's deadlines could not be worked out
    assert "CLA-100002" in json.dumps([c for _, c in world.teams.posted])
    [problem] = [p for p in world.problems() if p.source == "the daily sweep"]
    assert problem.case_ref == CASE and "ValueError" in problem.reason and "bad facts" not in problem.reason


def test_poison_message_is_reported(world: World):
    runtime.report_poison('{"v":1,"kind":"notification","item":{"resource":"Users/x/Events/y"}}', bus=world.bus)
    [problem] = world.problems()
    assert problem.source == "poison queue" and problem.payload["resource"] == "Users/x/Events/y"


def test_unknown_client_state_is_recorded_by_the_worker(world: World):
    world.notify(f"Users/{IRO}/Events/evt-1", client_state="forged")
    [problem] = world.problems()
    assert "clientState" in problem.reason and "forged" not in str(problem.payload)


def test_queue_message_that_is_not_an_envelope_is_recorded(world: World):
    runtime.process_queue_message("garbage", bus=world.bus)
    assert "not an envelope" in world.problems()[0].reason


def test_notification_for_an_unhandled_resource_is_recorded(world: World):
    world.notify(f"Users/{IRO}/Contacts/c1")
    assert "not handled" in world.problems()[0].reason


def test_daily_sweep_is_idempotent(world: World):
    world.book("evt-1", datetime(2026, 1, 28, 10, tzinfo=UTC))
    world.sweep(date(2026, 2, 20))
    first = (len(world.teams.posted), len(world.svc.mail.sent), world.documents())
    world.sweep(date(2026, 2, 20))
    assert (len(world.teams.posted), len(world.svc.mail.sent), world.documents()) == first


def test_each_person_gets_one_digest_a_day_in_their_own_chat(world: World):
    world.book("evt-1", datetime(2026, 1, 28, 10, tzinfo=UTC))
    world.sweep(date(2026, 1, 26))
    world.sweep(date(2026, 1, 26))
    assert all(r.person and not r.channel for r, _ in world.teams.posted)
    assert len(world.digests(IRO)) == 1  # the first review, due 2 Feb, is the IRO's
    items = ids_of(world.digests(IRO)[0], "item-")
    assert any(i.startswith(f"due~{CASE}~first_review~") for i in items)


def test_deadlines_before_go_live_are_neither_alerted_nor_in_digests(world: World):
    world.svc.alerts_from = date(2026, 6, 1)  # the child came into care in January: history by then
    world.sweep(date(2026, 6, 1))
    assert "breach_alert" not in world.teams.kinds()
    items = [i for r, c in world.teams.posted for i in ids_of(c, "item-")]
    assert all(date.fromisoformat(i.split("~")[-1]) >= date(2026, 6, 1) for i in items)


def test_by_default_go_live_is_the_first_whole_sweep(world: World):
    world.sweep(date(2026, 6, 1))  # months of history, never alerted: the app went live today
    assert not [i for r, c in world.teams.posted for i in ids_of(c, "item-") if i.startswith("late~")]
    world.sweep(date(2026, 6, 2))
    assert world.svc.store.get_state("go-live") == "2026-06-01"


def test_a_worker_whose_lease_was_retaken_stops_before_its_effect(world: World):
    """Worker A overruns its lease; worker B retakes the stale claim (compare-and-set) and owns the action.
    A's next effect finds the claim is not its own and stops: B's card is the only one (no double)."""
    from function_app import once as once_mod

    svc, posted = world.svc, []

    class Teams:  # the port A would post through
        def post(self, *args, **kwargs):
            posted.append(args)

    svc.teams = Teams()
    taken = {}

    def attempt_a():
        later = svc.now() + once_mod.LEASE + timedelta(seconds=1)  # A stalled past its lease meanwhile
        taken["b"] = svc.store.claim_action("lease-card", "card", CASE, {}, now=later,
                                            stale_before=later - once_mod.LEASE)
        once_mod.effect(svc.teams, "post", "route", "card")  # every effect goes through once.effect

    assert once_mod.once(svc, "lease-card", "card", CASE, attempt_a) is False
    assert taken["b"] is not None and taken["b"].attempt == 2 and posted == []
    assert not svc.store.action("lease-card").done  # B completes it; A neither completed nor released it
    assert svc.store.release_action("lease-card", taken["b"].token, "x")  # B's token still holds the claim
