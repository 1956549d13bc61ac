"""Exactly once and nothing lost: crashes, poison messages, bad envelopes (issue 6, behaviour 3)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from function_app import runtime
from tests.app.world import CASE, IRO, TM, World


def test_crash_between_recording_and_acting_is_retried_never_doubled(world: World):
    world.email(IRO, f"Review decisions {CASE} review 2026-01-28")  # card to the TM
    world.teams.posted.clear()
    world.teams.fail_next = 1
    with pytest.raises(ConnectionError):  # the queue will redeliver this message
        world.email(IRO, f"Review decisions {CASE} review 2026-03-28")
    assert world.teams.posted == []
    world.clock.at += timedelta(minutes=5)  # the interrupted claim is now stale
    world.notify(f"Users/{world.svc.service_mailbox}/Messages/msg-2")  # redelivery of the same message
    world.notify(f"Users/{world.svc.service_mailbox}/Messages/msg-2")  # and a duplicate after that
    assert world.teams.kinds(TM) == ["decisions_issued"]


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


def test_digests_go_to_each_team_channel_and_the_service_once_a_day(world: World):
    world.book("evt-1", datetime(2026, 1, 28, 10, tzinfo=UTC))
    world.sweep(date(2026, 1, 26))
    channels = sorted(r.channel for r, _ in world.teams.posted if r.channel)
    assert channels == ["iro-service", "team-T1", "team-T2"]


def test_deadlines_before_go_live_are_neither_alerted_nor_in_digests(world: World):
    world.svc.alerts_from = date(2026, 6, 1)  # the child came into care in January: history by then
    world.sweep(date(2026, 6, 1))
    assert "breach_alert" not in world.teams.kinds()
    digests = [c for r, c in world.teams.posted if r.channel]
    assert digests and all(CASE not in json.dumps(c) for c in digests)
