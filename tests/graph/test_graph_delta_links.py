"""Delta links persisted between reconciliation rounds (calendar and mail) through the real SDK."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_clients.graph.delta_links import FileDeltaLinks, sync
from graph_clients.ports import DeltaResult
from rules.errors import InputError, NotFound
from tests.support.graph_standin.fixtures import IRO

T0 = datetime(2026, 3, 23, 10, tzinfo=UTC)


def test_calendar_delta_link_is_persisted_and_used_next_round(graph_adapters, graph_standin, tmp_path):
    graph_adapters.calendar.clock = lambda: T0
    links = FileDeltaLinks(tmp_path / "state" / "delta.json")
    graph_standin.seed_event(IRO, "AB1 review", T0, T0 + timedelta(hours=1))
    first = sync(graph_adapters.calendar, "calendar", IRO, links)
    assert [e.subject for e in first.changed] == ["AB1 review"]
    assert FileDeltaLinks(tmp_path / "state" / "delta.json").get("calendar", IRO.upper()) == first.delta_link

    graph_standin.seed_event(IRO, "AB2 review", T0, T0 + timedelta(hours=1))
    second = sync(graph_adapters.calendar, "calendar", IRO, links)
    assert [e.subject for e in second.changed] == ["AB2 review"]
    assert links.get("calendar", IRO) == second.delta_link != first.delta_link


def test_mail_and_calendar_links_are_kept_apart(graph_adapters, graph_standin, tmp_path):
    links = FileDeltaLinks(tmp_path / "delta.json")
    graph_standin.seed_message(IRO, "AB1 significant change")
    sync(graph_adapters.mail, "mail", IRO, links)
    assert links.get("mail", IRO) and links.get("calendar", IRO) is None


def test_a_stale_link_restarts_from_scratch(graph_adapters, graph_standin, tmp_path):
    graph_adapters.calendar.clock = lambda: T0
    links = FileDeltaLinks(tmp_path / "delta.json")
    links.put("calendar", IRO, f"{graph_standin.base_url}/users/{IRO}/calendarView/delta()?$deltatoken=9-expired")
    graph_standin.seed_event(IRO, "AB1 review", T0, T0 + timedelta(hours=1))
    result = sync(graph_adapters.calendar, "calendar", IRO, links)
    assert [e.subject for e in result.changed] == ["AB1 review"]
    assert [c.status for c in graph_standin.calls("GET", r"calendarView/delta")] == [410, 200]


class Broken:
    def delta(self, mailbox: str, delta_link: str | None = None) -> DeltaResult:
        raise NotFound("mailbox gone")


def test_not_found_without_a_link_is_raised(tmp_path):
    with pytest.raises(NotFound):
        sync(Broken(), "mail", IRO, FileDeltaLinks(tmp_path / "d.json"))


def test_adapters_delta_has_the_reconciliation_timers_shape(graph_adapters, graph_standin):
    graph_adapters.calendar.clock = lambda: T0
    event = graph_standin.seed_event(IRO, "AB1 review", T0, T0 + timedelta(hours=1))
    message = graph_standin.seed_message(IRO, "AB1 significant change")
    ids, link = graph_adapters.delta("events", IRO, None)
    assert ids == [event.id] and "$deltatoken=" in link
    graph_standin.delete_event(IRO, event.id)
    assert graph_adapters.delta("events", IRO, link)[0] == [event.id]          # removals are reported too
    assert graph_adapters.delta("messages", IRO, None)[0] == [message.id]
    stale = f"{graph_standin.base_url}/users/{IRO}/calendarView/delta()?$deltatoken=1-expired"
    assert graph_adapters.delta("events", IRO, stale)[0] == []                   # restarted: nothing left
    with pytest.raises(InputError, match="unknown delta kind"):
        graph_adapters.delta("contacts", IRO, None)
