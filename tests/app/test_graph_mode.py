"""The app in Graph mode: the same handlers with the real msgraph adapters, over HTTP, against the Graph
stand-in (which fails the test on any request the SDK's own models would not accept)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from function_app import bootstrap, envelope, runtime
from function_app.messages import Lifecycle
from function_app.services import Services
from rules.calendar import WorkingCalendar
from rules.model import Child, Fact, FactKind, Person, Team
from rules.policy import load_policy
from store import open_store
from tests.app.world import FakeTeams, with_channels
from tests.support.graph_standin.fixtures import *  # noqa: F403
from tests.support.graph_standin.fixtures import IRO, SERVICE, TM

CASE = "CLA-200001"
STATE = "client-state-for-tests"


@pytest.fixture
def app(graph_standin, graph_adapters, graph_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", STATE)
    policy = load_policy()
    today = datetime.now(UTC).date()
    svc = Services(store=open_store(f"sqlite:///{tmp_path / 'iro.sqlite'}"), policy=policy,
                   cal=WorkingCalendar.for_policy(policy), folders=graph_adapters.case_folders,
                   mail=graph_adapters.mail, outlook=graph_adapters.calendar, teams=FakeTeams(),
                   now=lambda: datetime.now(UTC), service_mailbox=SERVICE, subscriptions=graph_adapters.subscriptions,
                   delta=graph_adapters.delta, notification_url=graph_settings.notification_url)
    svc.store.upsert_person(Person(IRO, "Ada Iro", "iro"))
    svc.store.upsert_person(Person(TM, "Cara Manager", "tm"))
    svc.store.upsert_team(Team("T1", "Team one", TM, "", IRO, "team-T1"))
    svc.store.upsert_child(Child(CASE, today - timedelta(days=10), "C2", IRO, TM, TM, "T1"))
    svc.store.record(Fact(FactKind.BECAME_LOOKED_AFTER, CASE, today - timedelta(days=10), "la", {}))
    yield bootstrap.bus(svc), graph_standin
    svc.store.close()


def notify(bus, resource: str, change: str = "created") -> None:
    item = {"subscriptionId": "s", "clientState": STATE, "changeType": change, "resource": resource}
    for m in envelope.split(json.dumps({"value": [item]}).encode(), [STATE]):
        runtime.process_queue_message(m, bus=bus)


def test_review_event_from_graph_becomes_a_fact_and_a_draft_in_sharepoint(app):
    bus, standin = app
    start = datetime.combine(date.today() + timedelta(days=14), datetime.min.time(), UTC) + timedelta(hours=10)
    event = standin.seed_event(IRO, f"CLA review {CASE}", start, start + timedelta(hours=1))
    notify(bus, f"Users/{IRO}/Events/{event.id}")
    [booked] = bus.services.store.facts(CASE, [FactKind.REVIEW_BOOKED])
    assert booked.data["event_id"] == event.id
    from doc_templates.render import document_name

    name = document_name("review_record", CASE, start.date(), draft=True)  # ..._DRAFT.docx until completed
    assert standin.item_by_path(f"Children/{CASE}/{name}") is not None


def test_decisions_email_from_graph_cards_the_tm(app):
    bus, standin = app
    with_channels(bus.services, "decisions_issued", tm="card")  # the default policy makes it a digest line
    msg = standin.seed_message(SERVICE, f"Review decisions {CASE} review 2026-01-28", "Attached.", sender=IRO)
    notify(bus, f"Users/{SERVICE}/Messages/{msg.id}")
    assert len(bus.services.store.facts(CASE, [FactKind.DECISIONS_SENT])) == 1
    assert bus.services.teams.kinds(TM) == ["decisions_issued"]


def test_subscriptions_and_catch_up_after_missed_notifications(app):
    bus, standin = app
    assert runtime.renew_subscriptions(bus=bus)["created"] == 3
    start = datetime.now(UTC) + timedelta(days=20)
    event = standin.seed_event(IRO, f"CLA review {CASE}", start, start + timedelta(hours=1))
    bus.handle(Lifecycle("any", "missed"))  # nothing was notified: the delta catch-up finds the event
    assert [f.data["event_id"] for f in bus.services.store.facts(CASE, [FactKind.REVIEW_BOOKED])] == [event.id]
