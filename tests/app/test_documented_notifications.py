"""Every notification form Microsoft Graph documents reaches the right handler message.

Each fixture in fixtures/notifications/ is a payload shaped as on the documentation page its `source`
and `section` name (ids and secrets replaced). Each is POSTed to the real function (graph_webhook, or
graph_lifecycle for lifecycle notifications) and its queue messages go through function_app.intake, as the
worker does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from function_app import intake
from function_app.messages import CalendarChanged, DriveChanged, Lifecycle, MailArrived
from tests.app.functions import Out, post, user_function

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "notifications").glob("*.json"))


@pytest.fixture(autouse=True)
def client_state(monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", "secretClientValue")


def _through_the_app(body: dict) -> list:
    lifecycle = all("lifecycleEvent" in item for item in body["value"])
    name, route = ("graph_lifecycle", "lifecycle") if lifecycle else ("graph_webhook", "notifications")
    out = Out()
    resp = user_function(name)(post(route, json.dumps(body).encode()), out)
    assert resp.status_code == 202
    return [intake.to_message(m) for m in out.value]


def _seen(message) -> dict:
    if isinstance(message, CalendarChanged):
        return {"type": "CalendarChanged", "mailbox": message.mailbox, "id": message.event_id,
                "change": message.change_type}
    if isinstance(message, MailArrived):
        return {"type": "MailArrived", "mailbox": message.mailbox, "id": message.message_id}
    if isinstance(message, Lifecycle):
        return {"type": "Lifecycle", "event": message.event}
    if isinstance(message, DriveChanged):
        return {"type": "DriveChanged", "drive": message.drive_id}
    return {"type": type(message).__name__, "reason": getattr(message, "reason", "")}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_documented_payload_reaches_its_handler(path):
    fixture = json.loads(path.read_text())
    assert fixture["source"].startswith("https://learn.microsoft.com/")
    assert [_seen(m) for m in _through_the_app(fixture["body"])] == fixture["expect"]


def test_there_is_a_fixture_for_each_documented_form():
    names = {p.stem for p in FIXTURES}
    assert {"basic_message_path_form", "odata_key_form_message", "rich_notification_encrypted",
            "several_items_in_one_post", "lifecycle_missed"} <= names


def _envelope(item: dict) -> str:
    return json.dumps({"v": 1, "kind": "notification", "item": item})


def test_the_item_id_comes_from_resource_data_when_present():
    item = {"subscriptionId": "s", "changeType": "created", "resource": "Users/u1/Events",
            "resourceData": {"@odata.type": "#Microsoft.Graph.Event", "id": "E-from-data"}}
    assert intake.to_message(_envelope(item)) == CalendarChanged("u1", "E-from-data", "created")


def test_resource_data_wins_over_the_path_key():
    item = {"subscriptionId": "s", "changeType": "updated", "resource": "users/u1/messages/OLD",
            "resourceData": {"id": "NEW"}}
    assert intake.to_message(_envelope(item)) == MailArrived("u1", "NEW")


def test_the_subscriptions_mailbox_wins_over_the_users_segment():
    item = {"subscriptionId": "sub-9", "changeType": "updated", "resource": "Users('guid-1')/Events('E1')"}
    msg = intake.to_message(_envelope(item), lambda sid: "iro1@council.example" if sid == "sub-9" else None)
    assert msg == CalendarChanged("iro1@council.example", "E1", "updated")


@pytest.mark.parametrize("resource", ["", "Users/u1", "not a path!", "Users('u1')/Events", "Groups/g/Events"])
def test_a_resource_naming_no_item_is_a_problem_not_a_crash(resource):
    msg = intake.to_message(_envelope({"subscriptionId": "s", "changeType": "updated", "resource": resource}))
    assert type(msg).__name__ == "Rejected"


def test_a_queue_item_that_is_not_an_object_is_a_problem():
    msg = intake.to_message(json.dumps({"v": 1, "kind": "notification", "item": ["x"]}))
    assert type(msg).__name__ == "Rejected" and "not an object" in msg.reason
