"""The case folder is the source, in Graph mode: the real msgraph adapters over HTTP against the Graph
stand-in. The app subscribes to the library's root; the IRO sets the record's Status to Final in SharePoint;
Graph posts its shoulder-tap notification (no item id) to the real webhook path; the worker runs the drive
delta (pages, repeats, reversed order, deleted items, 410 Gone resync) and reads the record back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from doc_templates.render import document_name
from function_app import bootstrap, envelope, runtime
from function_app.services import Services
from rules.calendar import WorkingCalendar
from rules.model import Child, Fact, FactKind, Person, Team
from rules.policy import load_policy
from store import open_store
from tests.app.test_case_folder import TWO, record
from tests.app.world import CASE, FakeTeams
from tests.support.graph_standin.fixtures import *  # noqa: F403
from tests.support.graph_standin.fixtures import IRO, SERVICE, TM

STATE = "client-state-for-tests"
REVIEW = date(2026, 1, 28)
NAME = document_name("review_record", CASE, REVIEW)
FOLDER = f"Children/{CASE}"
DRAFT = {"CaseReference": CASE, "DocumentType": "review_record", "ReviewDate": REVIEW.isoformat(), "Status": "draft"}


@pytest.fixture
def app(graph_standin, graph_adapters, graph_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_CLIENT_STATE", STATE)
    policy = load_policy()
    now = datetime(2026, 2, 5, 9, tzinfo=UTC)
    graph_standin.now = lambda: now
    graph_adapters.subscriptions.clock = lambda: now
    svc = Services(store=open_store(f"sqlite:///{tmp_path / 'iro.sqlite'}"), policy=policy,
                   cal=WorkingCalendar.for_policy(policy), folders=graph_adapters.case_folders,
                   mail=graph_adapters.mail, outlook=graph_adapters.calendar, teams=FakeTeams(),
                   now=lambda: now, service_mailbox=SERVICE, subscriptions=graph_adapters.subscriptions,
                   delta=graph_adapters.delta, notification_url=graph_settings.notification_url,
                   folder_changes=graph_adapters.drives, drives=(graph_standin.drive_id,))
    svc.store.upsert_person(Person(IRO, "Ada Iro", "iro"))
    svc.store.upsert_person(Person(TM, "Cara Manager", "tm"))
    svc.store.upsert_team(Team("T1", "Team one", TM, "", IRO, "team-T1"))
    svc.store.upsert_child(Child(CASE, date(2026, 1, 5), "C2", IRO, TM, TM, "T1"))
    svc.store.record(Fact(FactKind.BECAME_LOOKED_AFTER, CASE, date(2026, 1, 5), "la", {}))
    bus = bootstrap.bus(svc)
    runtime.renew_subscriptions(bus=bus)
    [sub] = [s for s in graph_standin.subscriptions.values() if s.resource.startswith("drives/")]
    yield bus, graph_standin, sub.id
    svc.store.close()


def notify(bus, standin, sub_id: str) -> None:
    """Graph posts the drive's notification; the webhook's envelope goes through the real worker path."""
    body = json.dumps(standin.drive_notification(sub_id)).encode()
    for message in envelope.split(body, [STATE]):
        runtime.process_queue_message(message, bus=bus)


def facts(bus, kind):
    return bus.services.store.facts(CASE, [kind])


def test_subscribed_notified_final_record_read_back_once(app):
    bus, standin, sub_id = app
    assert standin.subscriptions[sub_id].change_type == "updated"
    item = standin.put_file(FOLDER, NAME, record(REVIEW, TWO), DRAFT)
    notify(bus, standin, sub_id)
    assert facts(bus, FactKind.DECISION_RECORDED) == []          # the draft: Status is Draft
    standin.set_columns(item, {"Status": "Final"})                 # the IRO marks it complete in SharePoint
    notify(bus, standin, sub_id)
    assert len(facts(bus, FactKind.DECISION_RECORDED)) == 2
    [read] = facts(bus, FactKind.RECORD_READ)
    assert read.data["participation"] == "PN1" and "child" in read.data["attended"]
    assert facts(bus, FactKind.RECORD_COMPLETED)
    rounds, total = len(standin.calls("GET", r"/root/delta")), len(bus.services.store.facts(CASE))
    notify(bus, standin, sub_id)                                    # duplicate notifications: a delta each,
    notify(bus, standin, sub_id)                                    # nothing new
    assert len(standin.calls("GET", r"/root/delta")) == rounds + 2
    assert len(bus.services.store.facts(CASE)) == total
    assert bus.services.store.problems() == []


def test_pages_out_of_order_repeats_and_a_resync_read_nothing_twice(app):
    bus, standin, sub_id = app
    standin.drive_delta_reversed = standin.drive_delta_repeat = True
    for n in range(5):                                              # enough for several pages (page_size 3)
        standin.put_file(FOLDER, f"{CASE}_letter_{n}.docx", b"not a record")
    standin.put_file(FOLDER, NAME, record(REVIEW, TWO), {**DRAFT, "Status": "Final"})
    notify(bus, standin, sub_id)
    assert len(facts(bus, FactKind.DECISION_RECORDED)) == 2
    total = len(bus.services.store.facts(CASE))
    standin.forget_delta_tokens()                                   # next round: 410 Gone, resync
    notify(bus, standin, sub_id)
    assert any(r.status == 410 for r in standin.calls("GET", r"/root/delta"))
    assert len(bus.services.store.facts(CASE)) == total and bus.services.store.problems() == []


def test_edited_after_completion_unreadable_and_deleted_files(app):
    bus, standin, sub_id = app
    item = standin.put_file(FOLDER, NAME, record(REVIEW, TWO), {**DRAFT, "Status": "Final"})
    bad = standin.put_file(FOLDER, document_name("review_record", CASE, date(2026, 1, 20)), b"%PDF-1.7",
                           {**DRAFT, "ReviewDate": "2026-01-20", "Status": "Final"})
    notify(bus, standin, sub_id)
    assert any("not a Word document" in p.reason for p in bus.services.store.problems())
    edited = [("Health assessment", "Ben Worker", date(2026, 3, 6))] + TWO[1:]
    standin.put_file(FOLDER, NAME, record(REVIEW, edited))          # saved again after completion
    notify(bus, standin, sub_id)
    latest = {}
    for f in sorted(facts(bus, FactKind.DECISION_RECORDED), key=lambda f: f.key):
        latest[f.data["decision_id"]] = f.data["due"]
    assert latest == {f"{REVIEW.isoformat()}-1": "2026-03-06", f"{REVIEW.isoformat()}-2": "2026-03-13"}
    assert sorted(f.data["version"] for f in facts(bus, FactKind.RECORD_READ)) == [1, 2]
    standin.delete_item(item)
    standin.delete_item(bad)
    notify(bus, standin, sub_id)
    reasons = [p.reason for p in bus.services.store.problems()]
    assert sum("was deleted from the case folder" in r for r in reasons) == 1   # only the record that was read
    assert len(facts(bus, FactKind.RECORD_COMPLETED)) == 1


def test_daily_catch_up_finds_a_record_whose_notification_was_lost(app):
    bus, standin, sub_id = app
    standin.put_file(FOLDER, NAME, record(REVIEW, TWO), {**DRAFT, "Status": "Final"})
    runtime.reconcile_delta(bus=bus)                                # no notification at all
    assert len(facts(bus, FactKind.DECISION_RECORDED)) == 2


def test_a_record_renamed_and_saved_elsewhere_is_read_by_its_columns_and_named_by_the_app(app):
    bus, standin, sub_id = app
    columns = {**DRAFT, "Status": "Final"}
    standin.put_file("Uploads", "Maya Smith final record.docx", record(REVIEW, TWO), columns)
    notify(bus, standin, sub_id)
    decided = facts(bus, FactKind.DECISION_RECORDED)
    assert len(decided) == 2 and all(f.key.startswith(NAME) for f in decided)   # the app's name, not the file's
    everything = repr(bus.services.store.facts(CASE)) + repr(bus.services.store.problems())
    assert "Maya" not in everything and "Smith" not in everything
    [(sender, mail)] = [(u, m) for u, m in standin.sent if m.subject == f"Review record {CASE}"]
    assert mail.attachments[0].name == NAME and sender == SERVICE     # distributed from what was read
