"""Subscriptions adapter and their upkeep (renew at half-life, recreate after removal) via the stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_clients.graph import upkeep
from graph_clients.graph.subscriptions import GraphSubscriptions
from graph_clients.ports import Subscriptions
from rules.errors import InputError, NotFound
from tests.support.graph_standin.fixtures import IRO, SERVICE

NOW = datetime(2026, 3, 23, 8, tzinfo=UTC)
LIFETIME = timedelta(minutes=4230)
WANT = upkeep.wanted([IRO], SERVICE)


@pytest.fixture
def subs(graph_adapters, graph_standin, graph_settings):
    clock = {"now": NOW}
    graph_standin.now = lambda: clock["now"]
    port = GraphSubscriptions(graph_adapters.session, graph_settings, clock=lambda: clock["now"])
    port.clock_state = clock
    return port


def test_adapter_satisfies_the_port(subs):
    assert isinstance(subs, Subscriptions)


def test_create_sets_client_state_lifecycle_url_and_expiry_within_outlook_limit(subs, graph_standin, graph_settings):
    sub = subs.create(f"users/{IRO}/events", "created,updated,deleted", NOW + LIFETIME)
    assert sub.id and sub.expires == NOW + LIFETIME
    stored = graph_standin.subscriptions[sub.id]
    assert stored.client_state == graph_settings.client_state
    assert stored.lifecycle_notification_url == graph_settings.lifecycle_url
    assert stored.notification_url == graph_settings.notification_url
    assert stored.expiration_date_time - NOW <= timedelta(minutes=10_080)


def test_expiry_beyond_outlooks_limit_is_refused_before_calling_graph(subs, graph_standin):
    with pytest.raises(InputError, match="10080 minutes"):
        subs.create(f"users/{IRO}/events", "created", NOW + timedelta(days=8))
    assert graph_standin.calls("POST", r"/subscriptions$") == []


def test_missing_lifecycle_url_is_a_configuration_error(graph_adapters, graph_settings):
    from dataclasses import replace

    with pytest.raises(InputError, match="IRO_LIFECYCLE_URL is not set"):
        GraphSubscriptions(graph_adapters.session, replace(graph_settings, lifecycle_url=""))


def test_renew_list_delete(subs, graph_standin):
    created = [subs.create(r, c, NOW + LIFETIME) for r, c in WANT]
    assert len(WANT) == 3 and {s.resource for s in subs.list()} == {r for r, _ in WANT}
    assert len(graph_standin.calls("GET", r"/subscriptions$")) == 1 + 0   # 3 fit in one page of 3
    renewed = subs.renew(created[0].id, NOW + 2 * LIFETIME - timedelta(hours=1))
    assert renewed.expires == NOW + 2 * LIFETIME - timedelta(hours=1)
    subs.delete(created[0].id)
    assert len(subs.list()) == 2
    with pytest.raises(NotFound):
        subs.renew(created[0].id, NOW + LIFETIME)


def test_list_follows_pages(subs, graph_standin):
    for n in range(4):
        subs.create(f"users/{IRO}/events", "created", NOW + LIFETIME - timedelta(minutes=n))
    assert len(subs.list()) == 4
    assert len(graph_standin.calls("GET", r"/subscriptions$")) == 2


def test_upkeep_creates_then_renews_at_half_life_before_expiry(subs, graph_standin, graph_settings):
    first = upkeep.keep_alive(subs, WANT, NOW, LIFETIME, graph_settings.notification_url)
    assert sorted(first.created) == sorted(r for r, _ in WANT) and first.reconcile == [IRO, SERVICE]

    early = NOW + LIFETIME / 2 - timedelta(minutes=1)       # not yet at half-life: nothing to do
    subs.clock_state["now"] = early
    assert upkeep.keep_alive(subs, WANT, early, LIFETIME, graph_settings.notification_url).renewed == []

    half = NOW + LIFETIME / 2                               # half-life: renewed, long before expiry
    subs.clock_state["now"] = half
    report = upkeep.keep_alive(subs, WANT, half, LIFETIME, graph_settings.notification_url)
    assert len(report.renewed) == 3 and report.created == []
    assert all(s.expiration_date_time == half + LIFETIME for s in graph_standin.subscriptions.values())
    assert len(graph_standin.calls("PATCH", r"/subscriptions/")) == 3


def test_upkeep_recreates_after_subscription_removed_and_asks_for_reconciliation(subs, graph_standin, graph_settings):
    upkeep.keep_alive(subs, WANT, NOW, LIFETIME, graph_settings.notification_url)
    removed = next(s for s in graph_standin.subscriptions.values() if s.resource.endswith("/events"))
    graph_standin.remove_subscription(removed.id)
    later = NOW + timedelta(hours=1)
    subs.clock_state["now"] = later
    report = upkeep.on_lifecycle(subs, "subscriptionRemoved", removed.id, WANT, later, LIFETIME,
                                 graph_settings.notification_url)
    assert report.created == [f"users/{IRO}/events"] and report.reconcile == [IRO]
    assert len(graph_standin.subscriptions) == 3 and removed.id not in graph_standin.subscriptions


def test_renewal_racing_a_removal_recreates(subs, graph_standin, graph_settings):
    upkeep.keep_alive(subs, WANT, NOW, LIFETIME, graph_settings.notification_url)
    victim = next(iter(graph_standin.subscriptions))
    graph_standin.inject("PATCH", rf"/subscriptions/{victim}", 404, code="ResourceNotFound")
    half = NOW + LIFETIME / 2
    subs.clock_state["now"] = half
    report = upkeep.keep_alive(subs, WANT, half, LIFETIME, graph_settings.notification_url)
    assert len(report.renewed) == 2 and len(report.created) == 1


def test_reauthorization_and_missed_and_unknown_lifecycle_events(subs, graph_settings):
    upkeep.keep_alive(subs, WANT, NOW, LIFETIME, graph_settings.notification_url)
    sub = subs.list()[0]
    later = NOW + timedelta(hours=2)
    subs.clock_state["now"] = later
    report = upkeep.on_lifecycle(subs, "reauthorizationRequired", sub.id, WANT, later, LIFETIME,
                                 graph_settings.notification_url)
    assert report.renewed == [sub.id]
    missed = upkeep.on_lifecycle(subs, "missed", sub.id, WANT, later, LIFETIME, graph_settings.notification_url)
    assert missed.reconcile == [IRO, SERVICE]
    gone = upkeep.on_lifecycle(subs, "reauthorizationRequired", "no-such-id", WANT, later, LIFETIME,
                               graph_settings.notification_url)
    assert gone.created == [] and gone.renewed == []      # nothing missing: keep_alive had nothing to do
    with pytest.raises(InputError, match="unknown lifecycle event"):
        upkeep.on_lifecycle(subs, "bogus", sub.id, WANT, later, LIFETIME, graph_settings.notification_url)


def test_upkeep_deletes_only_our_subscriptions_no_longer_wanted(subs, graph_standin, graph_settings):
    upkeep.keep_alive(subs, WANT, NOW, LIFETIME, graph_settings.notification_url)
    leaver_only = upkeep.wanted([], SERVICE)                 # the IRO left the service
    report = upkeep.keep_alive(subs, leaver_only, NOW, LIFETIME, graph_settings.notification_url)
    assert len(report.deleted) == 2 and len(graph_standin.subscriptions) == 1
    with pytest.raises(InputError):
        upkeep.keep_alive(subs, WANT, NOW, timedelta(0), graph_settings.notification_url)
