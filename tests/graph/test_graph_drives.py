"""The case-folder libraries' change feed through the real SDK against the stand-in: drive-root
subscriptions, delta paging, the last occurrence of an item winning, deleted items, 410 Gone (resync),
and the library columns read from each Word file's listItem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_clients.graph import upkeep
from graph_clients.graph.delta_links import delta_or_restart
from graph_clients.graph.drives import DRIVE_MAX_SUBSCRIPTION_MINUTES, drive_of, drive_resource
from graph_clients.graph.subscriptions import GraphSubscriptions
from graph_clients.ports import FolderChanges
from rules.errors import NotFound
from tests.support.graph_standin.fixtures import IRO, SERVICE

FOLDER = "Children/CLA-100234"
NAME = "CLA-100234_review-record_2026-03-14.docx"


class _Drive:
    """delta_links.delta_or_restart wants source.delta(mailbox, link): the drive id stands for the mailbox."""

    def __init__(self, drives) -> None:
        self.drives = drives

    def delta(self, drive_id, link=None):
        return self.drives.changes(drive_id, link)


def test_adapter_satisfies_the_port(graph_adapters):
    assert isinstance(graph_adapters.drives, FolderChanges)


def test_first_round_lists_every_file_with_its_columns_across_pages(graph_adapters, graph_standin):
    ids = [graph_standin.put_file(FOLDER, f"doc-{n}.docx", b"x" * n, {"Status": "Draft"}) for n in range(1, 6)]
    graph_standin.put_file(FOLDER, NAME, b"record", {"CaseReference": "CLA-100234", "Status": "Final",
                                                     "DocumentType": "review_record", "ReviewDate": "2026-03-14"})
    result = graph_adapters.drives.changes(graph_standin.drive_id)
    assert len(graph_standin.calls("GET", r"/root/delta")) >= 3           # page_size 3: followed every nextLink
    names = {i.name: i for i in result.changed}
    assert set(names) == {f"doc-{n}.docx" for n in range(1, 6)} | {NAME}  # folders are not files
    record = names[NAME]
    assert record.columns["Status"] == "Final" and record.columns["ReviewDate"].startswith("2026-03-14")
    assert record.folder == "CLA-100234"          # parent by id: SharePoint's delta gives no path
    assert record.version and result.delta_link and not result.removed
    assert graph_adapters.drives.read_item(graph_standin.drive_id, record.item_id) == b"record"
    assert {i.item_id for i in result.changed} >= set(ids)


def test_next_round_has_only_the_changes_and_deleted_items(graph_adapters, graph_standin):
    keep = graph_standin.put_file(FOLDER, NAME, b"v1", {"Status": "Draft"})
    gone = graph_standin.put_file(FOLDER, "other.docx", b"o")
    first = graph_adapters.drives.changes(graph_standin.drive_id)
    graph_standin.set_columns(keep, {"Status": "Final"})
    graph_standin.delete_item(gone)
    second = graph_adapters.drives.changes(graph_standin.drive_id, first.delta_link)
    assert [i.item_id for i in second.changed] == [keep] and second.changed[0].columns["Status"] == "Final"
    assert second.changed[0].version != next(i.version for i in first.changed if i.item_id == keep)
    assert second.removed == (gone,)
    third = graph_adapters.drives.changes(graph_standin.drive_id, second.delta_link)
    assert third.changed == () and third.removed == ()


def test_an_item_listed_twice_or_out_of_order_counts_once_as_its_last_state(graph_adapters, graph_standin):
    graph_standin.drive_delta_reversed = graph_standin.drive_delta_repeat = True
    for n in range(4):
        graph_standin.put_file(FOLDER, f"d{n}.docx", b"d")
    result = graph_adapters.drives.changes(graph_standin.drive_id)
    assert sorted(i.name for i in result.changed) == [f"d{n}.docx" for n in range(4)]


def test_a_lost_sync_state_is_410_and_a_fresh_round_starts(graph_adapters, graph_standin):
    graph_standin.put_file(FOLDER, NAME, b"v1")
    first = graph_adapters.drives.changes(graph_standin.drive_id)
    graph_standin.forget_delta_tokens()
    with pytest.raises(NotFound) as caught:
        graph_adapters.drives.changes(graph_standin.drive_id, first.delta_link)
    assert caught.value.status == 410
    again = delta_or_restart(_Drive(graph_adapters.drives), graph_standin.drive_id, first.delta_link)
    assert [i.name for i in again.changed] == [NAME]      # everything again: the reader is idempotent


def test_drive_root_subscription_is_updated_only_and_may_live_longer_than_outlooks(graph_adapters, graph_standin,
                                                                                    graph_settings):
    now = datetime.now(UTC)
    graph_standin.now = lambda: now
    subs = GraphSubscriptions(graph_adapters.session, graph_settings, clock=lambda: now)
    want = upkeep.wanted([IRO], SERVICE, [graph_standin.drive_id])
    assert (drive_resource(graph_standin.drive_id), "updated") in want
    report = upkeep.keep_alive(subs, want, now, timedelta(minutes=4230), graph_settings.notification_url)
    assert f"drive:{graph_standin.drive_id}" in report.reconcile
    [sub] = [s for s in graph_standin.subscriptions.values() if s.resource.startswith("drives/")]
    assert sub.change_type == "updated" and drive_of(sub.resource) == graph_standin.drive_id
    note = graph_standin.drive_notification(sub.id)["value"][0]
    assert note["resource"] == f"drives/{graph_standin.drive_id}/root" and note["resourceData"] is None
    # half-life renewal and recreation work for the drive like for the mailboxes
    later = now + timedelta(minutes=2200)
    graph_standin.now = lambda: later
    subs.clock = lambda: later
    renewed = upkeep.keep_alive(subs, want, later, timedelta(minutes=4230), graph_settings.notification_url)
    assert sub.id in renewed.renewed
    graph_standin.remove_subscription(sub.id)
    again = upkeep.keep_alive(subs, want, later, timedelta(minutes=4230), graph_settings.notification_url)
    assert again.created == [drive_resource(graph_standin.drive_id)]
    assert DRIVE_MAX_SUBSCRIPTION_MINUTES == 42_300
