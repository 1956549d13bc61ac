"""graph_webhook / graph_lifecycle through azure-functions request objects."""

from __future__ import annotations

import json

import pytest

from tests.app.functions import Out, post, user_function

SECRET = "s3cret-state"


@pytest.fixture(autouse=True)
def client_state(monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", f"old-state, {SECRET}")


def notification(**over):
    item = {
        "subscriptionId": "sub-1", "clientState": SECRET, "changeType": "updated",
        "resource": "Users/iro1@council.example/Events/AAMk1",
        "resourceData": {"@odata.type": "#Microsoft.Graph.Event", "id": "AAMk1"},
        "tenantId": "t",
    }
    item.update(over)
    return item


def call(name, body, params=None):
    out = Out()
    resp = user_function(name)(post("notifications", body, params), out)
    return resp, [json.loads(m) for m in (out.value or [])]


def test_validation_handshake_echoes_token_as_plain_text():
    resp, queued = call("graph_webhook", b"", {"validationToken": "Validation: Token 123"})
    assert resp.status_code == 200 and resp.get_body() == b"Validation: Token 123"
    assert resp.mimetype == "text/plain" and queued == []


def test_each_notification_becomes_one_queue_message_and_202():
    body = json.dumps({"value": [notification(), notification(resource="Users/x/Messages/M1")]}).encode()
    resp, queued = call("graph_webhook", body)
    assert resp.status_code == 202
    assert [m["kind"] for m in queued] == ["notification", "notification"]
    assert queued[1]["item"]["resource"] == "Users/x/Messages/M1"
    assert all("clientState" not in m["item"] for m in queued)  # the secret is not copied on


def test_rotated_secret_still_accepted():
    body = json.dumps({"value": [notification(clientState="old-state")]}).encode()
    assert call("graph_webhook", body)[1][0]["kind"] == "notification"


def test_unknown_client_state_is_queued_as_rejected_with_reason():
    body = json.dumps({"value": [notification(clientState="forged")]}).encode()
    resp, queued = call("graph_webhook", body)
    assert resp.status_code == 202
    assert queued[0]["kind"] == "rejected" and "clientState" in queued[0]["reason"]
    assert "forged" not in json.dumps(queued)


def test_item_missing_fields_is_rejected_not_dropped():
    body = json.dumps({"value": [notification(resource=None)]}).encode()
    assert call("graph_webhook", body)[1][0]["reason"] == "notification lacks resource"


@pytest.mark.parametrize("body", [b"{not json", b'{"value": 3}', b"[]", b"\xff\xfe"])
def test_malformed_body_gets_400_and_is_kept(body):
    resp, queued = call("graph_webhook", body)
    assert resp.status_code == 400 and b"Not a Graph notification" in resp.get_body()
    assert len(queued) == 1 and queued[0]["kind"] == "rejected"


def test_no_configured_secret_fails_closed(monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", "")
    body = json.dumps({"value": [notification()]}).encode()
    assert call("graph_webhook", body)[1][0]["kind"] == "rejected"


def test_lifecycle_events_are_queued_as_lifecycle():
    items = [{"subscriptionId": "sub-1", "clientState": SECRET, "lifecycleEvent": e}
             for e in ("reauthorizationRequired", "subscriptionRemoved", "missed")]
    resp, queued = call("graph_lifecycle", json.dumps({"value": items}).encode())
    assert resp.status_code == 202 and [m["kind"] for m in queued] == ["lifecycle"] * 3


def test_unknown_lifecycle_event_is_rejected():
    item = {"subscriptionId": "s", "clientState": SECRET, "lifecycleEvent": "exploded"}
    assert call("graph_lifecycle", json.dumps({"value": [item]}).encode())[1][0]["kind"] == "rejected"


def test_lifecycle_handshake():
    resp, _ = call("graph_lifecycle", b"", {"validationToken": "abc"})
    assert resp.get_body() == b"abc"
