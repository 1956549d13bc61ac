"""Two workers (two processes: two engines, two memories) on PostgreSQL, on the same queue message and on
the same stale claim: the card goes once (issue 10, deliverable 6d)."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import timedelta

import pytest

from function_app import bootstrap, envelope, runtime
from store import open_store
from tests.app.world import CASE, IRO, SECRET, SERVICE, TM, make_world

pytestmark = pytest.mark.postgres


class HostKilled(BaseException):
    pass


class _DyingFolders:
    """The case folders, whose host dies when the card's link is asked for (after the card's claim)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def folder_url(self, case_ref: str) -> str:
        raise HostKilled()


def _decisions_message(world, n: int) -> str:
    from graph_clients.ports import MailMessage

    world.svc.mail.deliver(MailMessage(f"msg-{n}", SERVICE, IRO, (SERVICE,),
                                       f"Review decisions {CASE} review 2026-01-28", "", world.clock()))
    item = {"subscriptionId": "sub-1", "clientState": SECRET, "changeType": "created",
            "resource": f"Users/{SERVICE}/Messages/msg-{n}", "tenantId": "t"}
    [message] = envelope.split(json.dumps({"value": [item]}).encode(), [SECRET])
    return message


def _both(buses, message) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(buses)), []

    def work(bus):
        barrier.wait()
        try:
            runtime.process_queue_message(message, bus=bus)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(b,)) for b in buses]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def workers(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    world.channels("decisions_issued", tm="card")  # a card of its own (the default is a digest line)
    other = dataclasses.replace(world.svc, store=open_store(pg_url), done_actions=set())
    yield world, [world.bus, bootstrap.bus(other)]
    other.store.close()
    world.svc.store.close()


def test_two_workers_on_one_message_send_one_card(workers):
    world, buses = workers
    for n in range(1, 11):  # ten messages, each delivered to both workers at once
        assert _both(buses, _decisions_message(world, n)) == []
    assert world.teams.kinds(TM).count("decisions_issued") == 10


def test_two_workers_retaking_one_stale_claim_send_one_card(workers):
    world, buses = workers
    for n in range(1, 11):
        message = _decisions_message(world, n)
        folders = world.svc.folders
        world.svc.folders = _DyingFolders(folders)
        with pytest.raises(HostKilled):  # worker A claims the card's action, then its host dies
            runtime.process_queue_message(message, bus=buses[0])
        world.svc.folders = folders
        world.clock.at += timedelta(minutes=10)  # the message is visible again; the claim is stale
        for bus in buses:
            bus.services.done_actions.clear()
        assert _both(buses, message) == []
    assert world.teams.kinds(TM).count("decisions_issued") == 10
    assert world.svc.store.pending_actions() == []
