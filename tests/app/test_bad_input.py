"""Bad input becomes a recorded problem that names it and what to do: never a poison message, never a traceback."""

from __future__ import annotations

import json

import pytest

from function_app import envelope, runtime
from tests.app.functions import Out, post, user_function
from tests.app.world import CASE, IRO, SERVICE, World

SECRET = "test-client-state"


@pytest.fixture
def webhook(monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", SECRET)

    def call(body: bytes, name: str = "graph_webhook"):
        out = Out()
        resp = user_function(name)(post("notifications", body), out)
        return resp, list(out.value or [])
    return call


def _item(**over):
    return {"subscriptionId": "s", "clientState": SECRET, "changeType": "created", "resource": "Users/a/Events/b",
            **over}


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,                                    # deeper than the parser goes
    json.dumps({"value": [{"lifecycleEvent": {"a": 1}, "clientState": SECRET}]}).encode(),
    json.dumps({"value": [_item(lifecycleEvent=["missed"])]}).encode(),
    json.dumps({"value": [_item(resource={"x": 1})]}).encode(),
    json.dumps({"value": [_item(clientState="\ud800")]}).encode(),
    b'{"value": [' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"]}",
    b"x" * (envelope.MAX_BODY_BYTES + 1),
])
def test_hostile_bodies_get_4xx_or_202_never_5xx_and_every_message_fits_a_queue(webhook, body):
    for name in ("graph_webhook", "graph_lifecycle"):
        resp, queued = webhook(body, name)
        assert resp.status_code in (202, 400), resp.status_code
        assert queued and all(len(m.encode()) <= envelope.QUEUE_MESSAGE_BYTES for m in queued)


def test_a_ten_megabyte_item_is_truncated_to_fit_a_queue_message(webhook):
    body = json.dumps({"value": [_item(resourceData={"id": "x" * 60_000}, junk="y" * 900_000)]}).encode()
    resp, queued = webhook(body)
    assert resp.status_code == 202 and len(queued) == 1 and len(queued[0]) <= envelope.QUEUE_MESSAGE_BYTES
    [item] = queued
    assert json.loads(item)["kind"] == "notification" and "junk" not in item  # only the fields the worker reads


def test_items_past_the_cap_are_caught_up_through_delta_not_dropped(webhook):
    body = json.dumps({"value": [_item(resource=f"Users/a/Events/{n}") for n in range(envelope.MAX_ITEMS + 7)]})
    resp, queued = webhook(body.encode())
    kinds = [json.loads(m)["kind"] for m in queued]
    assert resp.status_code == 202 and kinds.count("notification") == envelope.MAX_ITEMS
    assert kinds[-2:] == ["rejected", "lifecycle"]  # how many, and a `missed` for the subscription: delta catches up
    assert json.loads(queued[-1])["item"] == {"subscriptionId": "s", "lifecycleEvent": "missed"}


@pytest.mark.parametrize("body", [
    '{"v":1,"kind":"notification","item":[1,2]}', '{"v":1,"kind":"lifecycle","item":"x"}', "[]", "null", "{}",
    '{"v":1,"kind":"notification","item":{"resource":{"a":1}}}', "[" * 10_000,
])
def test_queue_messages_of_any_shape_become_problems_and_so_do_their_poison(world: World, body):
    runtime.process_queue_message(body, bus=world.bus)
    runtime.report_poison(body, bus=world.bus)
    sources = {p.source for p in world.problems()}
    assert "poison queue" in sources and len(sources) == 2


def test_an_impossible_date_in_a_subject_is_a_problem_naming_it(world: World):
    world.email(IRO, f"Review decisions {CASE} review 2026-02-30")
    [problem] = world.problems()
    assert "2026-02-30" in problem.reason and "not a real date" in problem.reason and "YYYY-MM-DD" in problem.what_to_do


def test_a_message_moved_before_it_was_read_is_a_problem_not_a_poison(world: World):
    world.notify(f"Users/{SERVICE}/Messages/gone")
    [problem] = world.problems()
    assert "moved or deleted" in problem.reason and problem.what_to_do


def test_mail_about_a_case_not_on_the_roster_records_no_fact(world: World):
    world.email(IRO, "Review decisions CLA-999999 review 2026-01-28")
    [problem] = world.problems()
    assert "not on the roster" in problem.reason and problem.case_ref == "CLA-999999"
    assert world.svc.store.facts("CLA-999999") == []
