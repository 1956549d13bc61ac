"""A 403 while managing a drive-root subscription names the permission Graph documents for it
(Files.ReadWrite.All, docs/permissions.md), not only the mailbox ones: renewing, listing and deleting are held
to the same rule as creating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_clients.graph.drives import drive_resource
from graph_clients.graph.subscriptions import GraphSubscriptions
from rules.errors import PermissionDenied
from tests.support.graph_standin.fixtures import *  # noqa: F403


@pytest.mark.parametrize("method, call", [
    ("PATCH", lambda subs, sub, now: subs.renew(sub.id, now + timedelta(days=2))),
    ("DELETE", lambda subs, sub, now: subs.delete(sub.id)),
    ("GET", lambda subs, sub, now: subs.list()),
])
def test_a_403_on_a_drive_subscription_names_files_readwrite_all(graph_adapters, graph_standin, graph_settings,
                                                                 method, call):
    now = datetime.now(UTC)
    graph_standin.now = lambda: now
    subs = GraphSubscriptions(graph_adapters.session, graph_settings, clock=lambda: now)
    sub = subs.create(drive_resource(graph_standin.drive_id), "updated", now + timedelta(days=3))
    graph_standin.inject(method, r"/subscriptions", 403, code="accessDenied")
    with pytest.raises(PermissionDenied) as caught:
        call(subs, sub, now)
    assert "Files.ReadWrite.All" in (caught.value.permission or "")
