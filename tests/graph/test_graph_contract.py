"""The stand-in holds requests to the SDK's own models: prove it fails a misspelt property."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.event import Event

from rules.errors import GraphError
from tests.support.graph_standin.contract import parse
from tests.support.graph_standin.fixtures import IRO, fail_on_violations

START = DateTimeTimeZone(date_time="2026-03-23T10:00:00", time_zone="UTC")
END = DateTimeTimeZone(date_time="2026-03-23T11:00:00", time_zone="UTC")


def test_a_misspelt_property_sent_by_the_real_sdk_is_refused_and_recorded(graph_adapters, graph_standin):
    misspelt = Event(subject="AB1 review", start=START, end=END, additional_data={"isOnlineMeting": True})

    async def call(client):
        return await client.users.by_user_id(IRO).events.post(misspelt)

    with pytest.raises(GraphError, match="400 RequestBodyRead"):
        graph_adapters.session.run("calendar.create_meeting", call)
    assert graph_standin.take_violations() == [
        f"POST /v1.0/users/{IRO}/events: Event.isOnlineMeting: unknown property"]
    assert graph_standin.events[IRO].items == {}


def test_a_test_that_leaves_a_violation_fails_at_teardown(graph_standin):
    body = json.dumps({"subject": "AB1", "strat": {"dateTime": "2026-03-23T10:00:00", "timeZone": "UTC"}}).encode()
    req = urllib.request.Request(f"{graph_standin.base_url}/users/{IRO}/events", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(req)
    with pytest.raises(pytest.fail.Exception, match=r"break the SDK's contract:\n  .*Event.strat: unknown property"):
        fail_on_violations(graph_standin)
    assert graph_standin.violations == []


def test_nested_unknowns_bad_enums_and_open_types():
    body = json.dumps({
        "subject": "AB1", "onlineMeetingProvider": "teamsForBusines",
        "attendees": [{"emailAddress": {"address": "a@b.c", "nmae": "x"}}],
        "@microsoft.graph.conflictBehavior": "fail",
    }).encode()
    _, problems = parse(body, Event)
    assert problems == ["Event.attendees[0].email_address.nmae: unknown property",
                        "Event.onlineMeetingProvider: value not understood by the model"]
    from msgraph.generated.models.field_value_set import FieldValueSet

    assert parse(b'{"CaseReference": "AB1"}', FieldValueSet, open_type=True)[1] == []
    assert parse(b"[1]", Event)[1] == ["Event: body is not a JSON object"]
    assert parse(b"{nope", Event)[1] == ["Event: body is not JSON"]


def test_an_endpoint_the_stand_in_does_not_know_is_a_violation(graph_standin):
    req = urllib.request.Request(graph_standin.base_url + "/me/drive", method="GET")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req)
    assert caught.value.code == 400
    assert graph_standin.take_violations() == ["GET /v1.0/me/drive: no such endpoint in the stand-in"]


def test_responses_are_serialised_from_sdk_models(graph_standin):
    seeded = graph_standin.seed_event(IRO, "AB1", datetime(2026, 3, 23, 10, tzinfo=UTC),
                                      datetime(2026, 3, 23, 11, tzinfo=UTC))
    with urllib.request.urlopen(f"{graph_standin.base_url}/users/{IRO}/events/{seeded.id}") as answer:
        data = json.loads(answer.read())
    assert data["@odata.type"] == "#microsoft.graph.event"
    assert data["start"] == {"dateTime": "2026-03-23T10:00:00.0000000", "timeZone": "UTC"}
