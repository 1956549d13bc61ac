"""Every function, called as the Functions host calls it (get_user_function with azure-functions
HttpRequest / QueueMessage / TimerRequest objects), on the embedded default configured by app settings."""

from __future__ import annotations

import json
from datetime import date

import azure.functions as func
import pytest
from azure.functions.timer import TimerRequest

from function_app import runtime
from rules.model import Child, Fact, FactKind, Person, Team
from tests.app.functions import Out, post, user_function

IRO, TM, SW = "iro.a@council.example", "tm.c@council.example", "sw.b@council.example"
CASE = "CLA-300001"


@pytest.fixture
def app_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_MODE", "local")
    monkeypatch.setenv("IRO_LOCAL_ROOT", str(tmp_path / "local"))
    monkeypatch.setenv("IRO_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    monkeypatch.setenv("IRO_CLIENT_STATE", "app-secret")
    monkeypatch.setenv("IRO_ROSTER_SOURCE", "folder")                  # the roster export's folder
    monkeypatch.setenv("IRO_ROSTER_LOCATION", str(tmp_path / "export"))
    runtime.app_bus.cache_clear()
    bus = runtime.app_bus()
    store = bus.services.store
    for email, role in ((IRO, "iro"), (TM, "tm"), (SW, "sw")):
        store.upsert_person(Person(email, email.split("@")[0], role))
    store.upsert_team(Team("T1", "Team one", TM, "", IRO, "team-T1"))
    store.upsert_child(Child(CASE, date(2026, 1, 5), "C2", IRO, SW, TM, "T1"))
    store.record(Fact(FactKind.BECAME_LOOKED_AFTER, CASE, date(2026, 1, 5), "la", {}))
    yield bus
    store.close()
    runtime.app_bus.cache_clear()


def test_notification_through_webhook_then_queue_trigger(app_settings):
    bus = app_settings
    message = bus.services.mail  # the local mailbox: Outlook's side
    from datetime import UTC, datetime

    from graph_clients.ports import MailMessage

    message.deliver(MailMessage("m1", IRO, SW, (IRO,), f"Significant change {CASE}", "He went missing overnight.",
                                datetime(2026, 2, 2, 10, tzinfo=UTC)))
    out = Out()
    body = {"value": [{"subscriptionId": "s", "clientState": "app-secret", "changeType": "created",
                       "resource": f"Users/{IRO}/Messages/m1"}]}
    assert user_function("graph_webhook")(post("notifications", json.dumps(body).encode()), out).status_code == 202
    for queued in out.value:
        user_function("process_notification")(func.QueueMessage(id="q1", body=queued.encode()))
    assert bus.services.store.facts(CASE, [FactKind.SIGNIFICANT_CHANGE])


def test_lifecycle_function_queues_for_the_worker(app_settings):
    out = Out()
    body = {"value": [{"subscriptionId": "s", "clientState": "app-secret", "lifecycleEvent": "missed"}]}
    assert user_function("graph_lifecycle")(post("lifecycle", json.dumps(body).encode()), out).status_code == 202
    user_function("process_notification")(func.QueueMessage(id="q2", body=out.value[0].encode()))
    # local mode has no subscription manager: the lifecycle event is recorded for a person, not lost
    assert any("no subscription manager" in p.reason for p in app_settings.services.store.problems())


def test_poison_queue_function_records_a_problem(app_settings):
    user_function("report_poison")(func.QueueMessage(id="p1", body=b'{"v":1,"kind":"notification","item":{}}'))
    assert any(p.source == "poison queue" for p in app_settings.services.store.problems())


def test_the_poison_queues_own_poison_queue_is_read_too(app_settings):
    """report_poison fails only while the store does; the host then moves the message one level down, where
    report_poison_again records it once the store is back: nothing is left unread."""
    body = b'{"v":1,"kind":"notification","item":{"resource":"Users/x/Events/y"}}'
    user_function("report_poison_again")(func.QueueMessage(id="p2", body=body))
    [problem] = [p for p in app_settings.services.store.problems() if p.source == "poison queue"]
    assert "failed five times more" in problem.reason and problem.payload["resource"] == "Users/x/Events/y"


def test_timer_functions(app_settings, tmp_path, monkeypatch):
    bus = app_settings
    roster = tmp_path / "export" / "roster.csv"
    roster.parent.mkdir()
    roster.write_text("case_ref,looked_after_since,legal_status,iro,sw,tm,team,case_folder\n"
                      f"{CASE},2026-01-05,C2,{IRO},{SW},{TM},T1,\nCLA-300002,2026-01-07,V2,{IRO},{SW},{TM},T1,\n")
    user_function("sync_roster")(TimerRequest())
    assert bus.services.store.child("CLA-300002") is not None
    user_function("daily_sweep")(TimerRequest())  # real clock: the app goes live today
    assert bus.services.store.get_state("go-live")  # history from before it is `iro due`'s, never alerted
    assert not list((tmp_path / "local" / "teams-outbox").glob("*breach_alert.json"))
    assert list((tmp_path / "local" / "mail-outbox").glob("*Introducing-the-IRO*.eml"))
    user_function("schedule_link_meetings")(TimerRequest())
    assert list((tmp_path / "local" / "calendar-outbox").glob("*.ics"))
    user_function("renew_subscriptions")(TimerRequest())   # local mode: nothing to renew, no error
    user_function("reconcile_delta")(TimerRequest())       # local mode: no delta reader, no error
